"""LogViewer against the real daemon: tail, stdout/stderr apart, search, timestamps, a
follow that stops on Stop, on close and when its container is removed; errors shown."""
from __future__ import annotations

import time

import pytest
from helpers import clicked as _clicked
from helpers import until as _until

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine import client as connection
from dockerlab.widgets.logs import LogViewer

pytestmark = pytest.mark.docker
TICKER = "i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.1; done"


def test_tail_tells_stdout_and_stderr_apart_and_search_filters(session, uid):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", "echo one; echo two >&2; echo three; sleep 300"],
                              name=f"logs-{uid}"))
    assert _until(lambda: len(CT.logs(c.id).value) == 3)
    v = LogViewer(c.name, tail=10)
    try:
        # Two pipes: the daemon may interleave stdout and stderr in either order.
        assert sorted(v.lines) == [("stderr", "two"), ("stdout", "one"), ("stdout", "three")]
        assert "dl-log-stderr" in v.view.value and ">two</div>" in v.view.value
        assert v.cli_lines == [f"docker logs --tail 10 {c.name}"]
        v.search.value = "TW"
        v.wait_idle()
        assert v.visible() == [("stderr", "two")]
        assert ">one</div>" not in v.view.value and "<mark>tw</mark>o" in v.view.value
        assert "1 of 3 lines" in v.status.value
        v.search.value = ""
        v.tail.value, v.timestamps.value = 1, True
        _clicked(v.load_button)
        v.wait_idle()
        assert len(v.lines) == 1 and v.lines[0][1].startswith("20")  # -t: an RFC 3339 time first
        assert v.cli_lines == [f"docker logs --tail 1 -t {c.name}"]
        assert repr(v) == f"LogViewer({c.name}: last 1 lines)"
    finally:
        v.close()


def test_follow_streams_and_stop_button_ends_it(session, uid):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", TICKER], name=f"logf-{uid}"))
    v = LogViewer(c.name, tail=0)
    try:
        _clicked(v.follow_button)
        v.wait_idle()
        assert v.following and v.cli_lines == [f"docker logs -f --tail 0 {c.name}"]
        assert _until(lambda: len(v.lines) >= 3)
        assert _until(lambda: "tick" in v.view.value)
        thread = v._follow_thread
        _clicked(v.stop_button)
        v.wait_idle()
        assert not v.following and not thread.is_alive()
        n = len(v.lines)
        time.sleep(0.4)
        assert len(v.lines) == n  # nothing arrives after Stop
        assert not v.follow_button.disabled and v.stop_button.disabled
    finally:
        v.close()


def test_follow_stops_when_widget_closes(session, uid):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", TICKER], name=f"logc-{uid}"))
    v = LogViewer(c.name, tail=0, follow=True)
    v.wait_idle()
    assert _until(lambda: len(v.lines) >= 2)
    thread = v._follow_thread
    v.close()
    assert _until(lambda: not thread.is_alive(), 3)


def test_follow_ends_when_container_is_removed_under_it(session, uid):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", TICKER], name=f"logr-{uid}"))
    v = LogViewer(c.name, tail=0, follow=True)
    try:
        v.wait_idle()
        assert _until(lambda: len(v.lines) >= 2)
        thread = v._follow_thread
        CT.action(c.name, "remove")
        assert _until(lambda: not thread.is_alive(), 5)
        assert not v.following and not CT.exists(c.name)
        assert "follow ended" in v.status.value
        assert v.last_error is None
    finally:
        v.close()


def test_buffer_is_bounded(session, uid):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", "seq 1 50; sleep 300"], name=f"logb-{uid}"))
    assert _until(lambda: len(CT.logs(c.id).value) == 50)
    v = LogViewer(c.name, tail=50, max_lines=5)
    try:
        assert [ln for _, ln in v.lines] == ["46", "47", "48", "49", "50"]
    finally:
        v.close()


def test_missing_container_shows_error_with_hint(session, uid):
    v = LogViewer(f"nosuch-{uid}")
    try:
        assert v.last_error is not None and "no such container" in v.last_error.message.lower()
        assert "Hint:" in v.error_box.value and "docker ps -a" in v.error_box.value
        _clicked(v.follow_button)
        v.wait_idle()
        assert not v.following and "no such container" in v.error_box.value.lower()
        assert not CT.exists(f"nosuch-{uid}")
    finally:
        v.close()


def test_daemon_gone_then_back(session, uid, monkeypatch):
    c = R.run(RunSpec("busybox:1.36", ["sh", "-c", "echo hi; sleep 300"], name=f"logd-{uid}"))
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    v = LogViewer(c.name)
    try:
        assert not v.connected and v.connect_panel in v.body.children
        assert repr(v) == "LogViewer(daemon unreachable)"
        monkeypatch.undo()
        _clicked(v.retry_button)
        v.wait_idle()
        assert v.connected and _until(lambda: ("stdout", "hi") in v.lines, 3)
    finally:
        v.close()
