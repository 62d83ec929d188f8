"""NetworkPanel against the real daemon: create a network, connect a container with an
alias, and prove the alias resolves from another container on that network (Docker's
embedded DNS); disconnect and remove; a bad subnet and a daemon network end in the
error box with a hint and change nothing."""
from __future__ import annotations

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.reads import tables as inventory
from dockerlab.widgets.network_map import NetworkMap
from dockerlab.widgets.networks import NetworkPanel

pytestmark = pytest.mark.docker


def _ok(w):
    assert w.wait_idle(60)
    assert w.last_error is None, w.error_box.value


def test_create_connect_with_alias_resolves_by_dns_then_disconnect_and_remove(session, uid):
    net, alias = f"net-{uid}", f"search-{uid}"
    api_c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"api-{uid}"))
    client = R.run(RunSpec("debian:bookworm-slim", "sleep 300", name=f"client-{uid}"))
    m = NetworkMap()
    p = NetworkPanel(lesson="02-networking")  # m observes the change signal
    try:
        p.new_name.value = net
        _clicked(p.create_button)
        _ok(p)
        assert net in inventory.networks(lab_only=True)["name"].tolist()
        assert p.cli_lines == [f"docker network create --driver bridge {net}"]
        assert p.network.value == net and f"<td>{net}</td>" in p.table.value
        assert repr(p) == f"NetworkPanel(2 networks: bridge, {net})"

        p.container.value, p.alias.value = api_c.name, alias
        _clicked(p.connect_button)
        _ok(p)
        assert p.cli_lines == [f"docker network connect --alias {alias} {net} {api_c.name}"]
        assert f"(alias: {alias})" in p.table.value
        p.container.value, p.alias.value = client.name, ""
        _clicked(p.connect_button)
        _ok(p)
        # the lesson itself: on a user-defined network a container finds another by its alias
        r = CT.exec_in(client.name, ["getent", "hosts", alias])
        assert r.exit_code == 0, r.output
        ip = next(c["ip"] for n in p.topo["networks"] if n["name"] == net for c in n["containers"]
                  if c["name"] == api_c.name)
        assert r.stdout.split()[0] == ip.split("/")[0]
        m.wait_idle(30)
        assert net in m.diagram.value and api_c.name in m.diagram.value

        p.container.value = api_c.name
        _clicked(p.disconnect_button)
        _ok(p)
        assert p.cli_lines == [f"docker network disconnect {net} {api_c.name}"]
        assert CT.exec_in(client.name, ["getent", "hosts", alias]).exit_code != 0
        p.container.value = client.name
        _clicked(p.disconnect_button)
        _ok(p)
        _clicked(p.remove_button)
        _ok(p)
        assert p.cli_lines == [f"docker network rm {net}"]
        assert net not in inventory.networks(lab_only=True)["name"].tolist()
        assert net not in p.network.options
    finally:
        p.close()
        m.close()


def test_bad_subnet_shows_hint_and_creates_nothing(session, uid):
    p = NetworkPanel()
    try:
        p.new_name.value, p.new_subnet.value = f"bad-{uid}", "10.77.0.0/33"
        _clicked(p.create_button)
        assert p.wait_idle(30)
        assert p.last_error is not None and "invalid subnet" in p.last_error.message
        assert "Hint:" in p.error_box.value and "CIDR" in p.error_box.value
        assert f"bad-{uid}" not in inventory.networks()["name"].tolist()
    finally:
        p.close()


def test_removing_the_default_bridge_is_refused(session):
    p = NetworkPanel()
    try:
        p.network.value = "bridge"
        _clicked(p.remove_button)
        assert p.wait_idle(30)
        assert p.last_error is not None and "not created by dockerlab" in p.last_error.message
        assert "Hint:" in p.error_box.value
        assert "bridge" in inventory.networks()["name"].tolist()
    finally:
        p.close()
