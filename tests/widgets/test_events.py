"""EventLog against the real daemon: a live feed of lab events, newest first; Stop and
close end the follow; bounded; daemon gone shows the connection panel, retry works."""
from __future__ import annotations

import time

import pytest
from helpers import clicked as _clicked
from helpers import until as _until

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine import client as connection
from dockerlab.widgets.events import EventLog

pytestmark = pytest.mark.docker


def _actions(log: EventLog, name: str) -> list[str]:
    df = log.table()
    return list(df[df["name"] == name]["action"])


def test_feed_shows_lab_events_newest_first(session, uid):
    log = EventLog()
    try:
        assert log.following and log.cli_lines[0].startswith("docker events --filter label=dockerlab.session=")
        assert repr(log) == "EventLog(this session's containers, following)"
        c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"ev-{uid}"))
        CT.exec_in(c.name, "true")
        CT.action(c.name, "remove")
        assert not CT.exists(c.name)
        assert _until(lambda: "destroy" in _actions(log, c.name))
        acts = _actions(log, c.name)
        assert acts[0] == "destroy" and acts[-1] == "create"  # newest first
        assert {"start", "exec_start", "die"} <= set(acts)
        time.sleep(0.3)  # the last render is throttled
        log.render()
        assert f"<td>ev-{uid}</td>" in log.view.value and "<td>destroy</td>" in log.view.value
    finally:
        log.close()


def test_stop_ends_the_feed_and_close_ends_the_thread(session, uid):
    log = EventLog()
    try:
        thread = log._thread
        _clicked(log.stop_button)
        log.wait_idle()
        assert not log.following and not thread.is_alive()
        assert repr(log) == "EventLog(this session's containers, stopped)"
        R.run(RunSpec("busybox:1.36", "sleep 300", name=f"evs-{uid}"))
        time.sleep(0.5)
        assert _actions(log, f"evs-{uid}") == []  # nothing after Stop
        _clicked(log.start_button)
        log.wait_idle()
        assert log.following
        thread = log._thread
    finally:
        log.close()
    assert _until(lambda: not thread.is_alive(), 3)


def test_feed_is_bounded(session, uid):
    log = EventLog(max_events=3)
    try:
        c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"evb-{uid}"))
        CT.action(c.name, "remove")
        assert _until(lambda: "destroy" in _actions(log, c.name))
        assert len(log.table()) == 3 and _actions(log, c.name) in (["destroy", "die", "kill"],
                                                                  ["destroy", "die", "stop"])  # Podman: stop
    finally:
        log.close()


def test_daemon_gone_shows_connection_panel_then_retry_follows(session, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    log = EventLog()
    try:
        assert not log.connected and log.connect_panel in log.body.children and not log.following
        assert repr(log) == "EventLog(daemon unreachable)"
        assert "unreachable" in log.status.value
        monkeypatch.undo()
        _clicked(log.retry_button)
        log.wait_idle()
        assert log.connected and log.following and log.last_error is None
    finally:
        log.close()
