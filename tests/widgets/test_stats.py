"""StatsMonitor against the real daemon: one refresh samples every container at once,
CPU % appears from the second sample, history is bounded, Start/Stop drive a poller that
stops; a container removed under a running monitor ends it cleanly."""
from __future__ import annotations

import time

import pytest
from helpers import clicked as _clicked
from helpers import until

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.widgets.stats import StatsMonitor

pytestmark = pytest.mark.docker
BUSY = "while true; do :; done"


def _until(pred, timeout=15.0):
    return until(pred, timeout)


def test_refresh_samples_all_containers_concurrently_with_cpu_and_bounded_history(session, uid):
    busy = R.run(RunSpec("busybox:1.36", ["sh", "-c", BUSY], name=f"busy-{uid}"))
    idle = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"idle-{uid}"))
    m = StatsMonitor([busy.name, idle.name], history=2)
    try:
        assert repr(m) == f"StatsMonitor(2 containers: {busy.name}, {idle.name})"
        assert set(m.latest) == {busy.name, idle.name}
        assert m.latest[busy.name]["cpu_percent"] is None  # one sample: no CPU % yet
        t0 = time.perf_counter()
        m.refresh()
        m.refresh()
        # two containers sampled in parallel: about one call (~1 s) per refresh, not two
        assert time.perf_counter() - t0 < 2 * 1.6
        assert m.latest[busy.name]["cpu_percent"] > 20  # a busy loop on one core
        assert m.latest[idle.name]["cpu_percent"] < 5
        assert all(len(h) == 2 for h in m.history.values())  # maxlen holds
        assert m.latest[idle.name]["mem_bytes"] > 0
        assert m.plot.value[:4] == b"\x89PNG"
        assert f"<td>{busy.name}</td>" in m.table.value and "%" in m.table.value
        assert m.cli_lines == [f"docker stats --no-stream {busy.name} {idle.name}"]
        _clicked(m.start_button)
        assert _until(lambda: m.running)
        _clicked(m.stop_button)
        assert _until(lambda: not m.running, 5)
        assert not m.start_button.disabled and m.stop_button.disabled
        assert m.last_error is None, m.error_box.value
    finally:
        m.close()


def test_all_lab_containers_mode_follows_the_session(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"lab-{uid}"))
    m = StatsMonitor()
    try:
        assert repr(m) == "StatsMonitor(all running lab containers)"
        assert c.name in m.latest
        CT.action(c.name, "remove")
        m.refresh()
        assert c.name not in m.latest and c.name not in m.history
    finally:
        m.close()


def test_container_removed_under_a_running_monitor_ends_cleanly(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"gone-{uid}"))
    m = StatsMonitor([c.name], interval=0.5)
    try:
        _clicked(m.start_button)
        assert _until(lambda: m.running)
        CT.action(c.name, "remove")
        assert _until(lambda: not m.running, 10)  # the poller ended by itself
        assert m.gone == [c.name] and m.watch == [], (m.last_error and m.last_error.as_text(), type(m.last_error))
        assert m.last_error is None and m.error_box.value == ""  # not an error: the container left
        assert "gone" in m.status.value and c.name in m.status.value
        assert c.name not in m.table.value
    finally:
        m.close()


def test_unknown_container_is_reported_not_raised(session, uid):
    m = StatsMonitor([f"nosuch-{uid}"])
    try:
        assert m.gone == [f"nosuch-{uid}"] and "gone" in m.status.value
        assert m.last_error is None
    finally:
        m.close()
