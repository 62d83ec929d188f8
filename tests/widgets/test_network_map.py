"""NetworkMap: the SVG and Mermaid text are deterministic (sorted names, no ids or IPs)
and follow the daemon after a change; without a daemon the connection panel shows and
a retry works."""
from __future__ import annotations

import re
import socket

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import network as NW
from dockerlab.commands.network import NetworkSpec
from dockerlab.engine import client as connection
from dockerlab.widgets.network_map import (
    NetworkMap,
    network_map_mermaid,
    network_map_svg,
)
from dockerlab.widgets.run_builder import RunBuilder

TOPO = {
    "networks": [{"name": "bridge", "driver": "bridge", "subnet": "172.17.0.0/16", "gateway": "172.17.0.1",
                  "internal": False, "lab": False, "containers": []},
                 {"name": "app", "driver": "bridge", "subnet": "", "gateway": "", "internal": False, "lab": True,
                  "containers": []}],
    "containers": [{"name": "web", "image": "nginx:1.25", "state": "running",
                    "ports": [{"host_ip": "127.0.0.1", "host_port": 8080, "container_port": 80, "protocol": "tcp"}],
                    "networks": [{"name": "app", "ip": "172.20.0.2/16", "aliases": ["api"]}]},
                   {"name": "db", "image": "postgres:15", "state": "exited", "ports": [],
                    "networks": [{"name": "app", "ip": "172.20.0.3/16", "aliases": []}]}],
}


def test_svg_and_mermaid_are_deterministic_and_carry_no_ips():
    svg = network_map_svg(TOPO)
    assert svg == network_map_svg({**TOPO, "containers": TOPO["containers"][::-1]})  # order-free
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for text in ("web", "db", "app", "bridge", "127.0.0.1:8080→80/tcp", "alias api", "this machine"):
        assert text in svg
    assert "172.20" not in svg
    assert svg.index(">db<") < svg.index(">web<")  # rows by sorted name
    mm = network_map_mermaid(TOPO)
    assert mm.splitlines()[0] == "flowchart LR"
    assert 'c1["web<br/>nginx:1.25"]' in mm and "host --> p0" in mm and 'c1 -- "alias api" --- n0' in mm


@pytest.mark.docker
def test_map_shows_container_network_and_port_after_a_change(session, uid):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    net = f"map-{uid}"
    NW.create(NetworkSpec(net))
    m = NetworkMap()
    try:
        assert f"c:web-{uid}" not in m.diagram.value and f"web-{uid}" not in m.diagram.value
        b = RunBuilder(image="busybox:1.36", name=f"web-{uid}", command="sleep 300", ports=f"{port}:80",
                       network=net, alias="shop")  # m observes the change signal
        _clicked(b.run_button)
        assert b.wait_idle(30) and b.last_error is None, b.error_box.value
        assert m.wait_idle(30)
        svg = m.diagram.value
        for text in (f"web-{uid}", net, f"127.0.0.1:{port}→80/tcp", "alias shop", "bridge"):
            assert text in svg, text
        assert not re.search(r"\b\d+\.\d+\.\d+\.\d+/\d+", svg)  # no subnets/IPs: they vary run to run
        assert f"web-{uid}" in m.to_mermaid()
        assert repr(m).startswith("NetworkMap(") and "1 published port" in repr(m)
        b.close()
    finally:
        m.close()


@pytest.mark.docker
def test_daemon_gone_shows_connection_panel_and_retry_works(session, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    connection.reset()
    m = NetworkMap()
    try:
        assert repr(m) == "NetworkMap(daemon unreachable)" and m.connect_panel in m.body.children
        monkeypatch.undo()
        connection.reset()
        _clicked(m.retry_button)
        assert m.wait_idle(30) and m.connected
        assert "bridge" in m.diagram.value
    finally:
        m.close()
        connection.reset()
