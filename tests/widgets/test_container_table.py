"""ContainerTable against the real daemon: actions on the selected row change the daemon
and show the CLI line; the table follows the event stream; others' containers are
read-only; viewers open below; errors shown; daemon gone then back."""
from __future__ import annotations

import subprocess
import time

import pytest
from helpers import clicked as _clicked
from helpers import until as _until

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine import client as connection
from dockerlab.widgets.containers import ContainerTable, ports_html
from dockerlab.widgets.exec import ExecConsole
from dockerlab.widgets.inspect import InspectViewer
from dockerlab.widgets.logs import LogViewer
from dockerlab.widgets.processes import ProcessTable

pytestmark = pytest.mark.docker


def _state(name: str) -> str:
    return CT.inspect(name)["State"]["Status"]


def test_actions_change_the_daemon_and_show_the_cli(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"ct-{uid}", ports=["127.0.0.1::8080"]))
    t = ContainerTable()
    try:
        assert f"ct-{uid}" in t.select.options and f"ct-{uid}" in repr(t)
        assert "href='http://127.0.0.1:" in t.view.value and "<td>lab</td>" in t.view.value
        t.select.value = c.name
        _clicked(t.buttons["Stop"])
        t.wait_idle()
        assert _state(c.name) == "exited" and t.cli_lines == [f"docker stop -t 3 {c.name}"]
        assert "Exited" in t.view.value
        _clicked(t.buttons["Start"])
        t.wait_idle()
        assert _state(c.name) == "running" and t.cli_lines == [f"docker start {c.name}"]
        _clicked(t.buttons["Restart"])
        t.wait_idle()
        assert _state(c.name) == "running" and t.cli_lines == [f"docker restart -t 3 {c.name}"]
        _clicked(t.buttons["Remove"])
        t.wait_idle()
        assert not CT.exists(c.name) and t.cli_lines == [f"docker rm -f -v {c.name}"]
        assert c.name not in t.select.options and t.select.value is None
    finally:
        t.close()


def test_table_follows_the_event_stream_not_a_poll(session, uid):
    t = ContainerTable()
    try:
        assert t.watching
        before = t.reloads
        time.sleep(0.8)
        assert t.reloads == before  # no polling while nothing happens
        c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"cte-{uid}"))
        assert _until(lambda: c.name in t.select.options, 5)
        CT.action(c.name, "remove")  # kill + die + destroy: debounced
        assert _until(lambda: c.name not in t.select.options, 5)
        t.wait_idle()
        assert t.reloads - before <= 4
    finally:
        t.close()
    assert _until(lambda: not t.watching, 3)


def test_filter_box_keeps_matching_rows(session, uid):
    R.run(RunSpec("busybox:1.36", "sleep 300", name=f"ctf-web-{uid}"))
    R.run(RunSpec("busybox:1.36", "sleep 300", name=f"ctf-db-{uid}"))
    t = ContainerTable()
    try:
        t.filter.value = "web"
        t.wait_idle()
        assert list(t.select.options) == [f"ctf-web-{uid}"] and f"ctf-db-{uid}" not in t.view.value
        assert repr(t) == f"ContainerTable(2 containers: ctf-db-{uid}, ctf-web-{uid})"
    finally:
        t.close()


def test_viewers_open_below_the_table(session, uid):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", "echo ready; sleep 300"], name=f"ctv-{uid}"))
    t = ContainerTable()
    try:
        t.select.value = c.name
        for label, cls in (("Logs", LogViewer), ("Inspect", InspectViewer),
                           ("Processes", ProcessTable), ("Exec", ExecConsole)):
            old = t.viewer
            _clicked(t.buttons[label])
            t.wait_idle()
            assert isinstance(t.viewer, cls) and t.detail.children == (t.viewer,)
            assert t.viewer.container == c.name and t.viewer.last_error is None
            assert old is None or old.comm is None  # the previous viewer was closed
    finally:
        t.close()


def test_no_selection_and_not_owned_are_errors(session, uid):
    other = f"notlab-{uid}"
    subprocess.run(["docker", "run", "-d", "--name", other, "busybox:1.36", "sleep", "300"],
                   check=True, capture_output=True)
    t = ContainerTable()
    try:
        assert other not in t.select.options
        _clicked(t.buttons["Stop"])
        t.wait_idle()
        assert "no container selected" in t.error_box.value and "Hint:" in t.error_box.value
        t.all_toggle.value = True
        t.wait_idle()
        assert other in t.select.options and "not dockerlab (read-only)" in t.view.value
        t.select.value = other
        _clicked(t.buttons["Remove"])
        t.wait_idle()
        assert "not created by dockerlab" in t.error_box.value and "Hint:" in t.error_box.value
        assert _state(other) == "running"  # the toolkit left it alone
    finally:
        t.close()
        subprocess.run(["docker", "rm", "-f", other], capture_output=True)


def test_daemon_gone_then_back(session, uid, monkeypatch):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"ctd-{uid}"))
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    t = ContainerTable()
    try:
        assert not t.connected and t.connect_panel in t.body.children and not t.watching
        assert repr(t) == "ContainerTable(daemon unreachable)"
        monkeypatch.undo()
        _clicked(t.retry_button)
        t.wait_idle()
        assert t.connected and c.name in t.select.options and t.watching
    finally:
        t.close()


def test_ports_html_links_published_ports_only():
    html = ports_html("127.0.0.1:8080->80/tcp, 443/tcp")
    assert html.startswith("<a href='http://127.0.0.1:8080'") and html.endswith(", 443/tcp")
