"""The daemon stops in the middle of a lesson: every widget and checker says "daemon
unreachable" with the fix within 2 s (no hang); once it is back, the same widgets work
again without a kernel restart.

Stopping the daemon is only done to a dockerd this project started (scripts/engine.sh
keeps its pid in .run/): never to a system or Docker Desktop daemon."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from helpers import until

import dockerlab as dl
from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine import client as connection
from dockerlab.engine.errors import DaemonUnreachable

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]
PIDFILE = ROOT / ".run" / "dockerd.pid"


def _own_dockerd() -> bool:
    try:
        os.kill(int(PIDFILE.read_text()), 0)
        return True
    except (OSError, ValueError):
        return False


def _engine(cmd: str) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "engine.sh"), cmd], check=True, capture_output=True, timeout=120)


def _trigger(w):
    """The action a learner would take next on each widget (its refresh, or its main button)."""
    for attr in ("refresh_button", "load_button", "show_button", "run_button", "build_button", "start_button"):
        b = getattr(w, attr, None)
        if b is not None and not b.disabled:
            b.click()
            return
    raise AssertionError(f"no button to press on {w!r}")


def _unreachable(w) -> bool:
    return isinstance(w.last_error, DaemonUnreachable) and "DOCKER_HOST" in (w.last_error.hint or "") \
        and w.connect_panel in w.body.children


@pytest.mark.skipif(not _own_dockerd(), reason="only a dockerd started by scripts/engine.sh is ever stopped")
def test_daemon_stops_and_comes_back(session, uid, capsys):
    name = f"fault-{uid}"
    R.run(RunSpec("busybox:1.36", "sh -c 'trap \"exit 0\" TERM; while true; do echo tick; sleep 0.2; done'",
                  name=name))
    widgets = {
        "ContainerTable": dl.ContainerTable(), "RunBuilder": dl.RunBuilder(image="busybox:1.36", command="true"),
        "LogViewer": dl.LogViewer(name), "StatsMonitor": dl.StatsMonitor([name]),
        "ProcessTable": dl.ProcessTable(name), "InspectViewer": dl.InspectViewer(name),
        "ExecConsole": dl.ExecConsole(name), "NetworkPanel": dl.NetworkPanel(), "NetworkMap": dl.NetworkMap(),
        "ImageTable": dl.ImageTable(), "LayerExplorer": dl.LayerExplorer("busybox:1.36"),
        "BuildRunner": dl.BuildRunner("FROM busybox:1.36\n", tag=f"fault-{uid}:1"), "VolumePanel": dl.VolumePanel(),
        "EventLog": dl.EventLog(follow=False),
    }
    widgets["ExecConsole"].command.value = "true"
    for w in widgets.values():
        assert w.connected and w.last_error is None, repr(w)
    _engine("down")
    try:
        assert not connection.ping(1.0)
        times = {}
        for label, w in widgets.items():
            t0 = time.monotonic()
            _trigger(w)
            assert until(lambda w=w: _unreachable(w), timeout=2.0), f"{label}: no 'daemon unreachable' within 2 s"
            times[label] = time.monotonic() - t0
        t0 = time.monotonic()
        result = dl.check("01-web-db")
        times["checker"] = time.monotonic() - t0
        assert result.status == "error" and "unreachable" in result.message and "DOCKER_HOST" in result.hint
        assert times["checker"] < 2.0
    finally:
        _engine("up")
    down = max(times.values())
    t0 = time.monotonic()
    CT.action(name, "start")
    for label, w in widgets.items():
        w.retry_button.click()
        assert w.wait_idle(30), label
        assert w.connected and w.last_error is None and w.connect_panel not in w.body.children, \
            f"{label} did not recover: {w.last_error and w.last_error.as_text()}"
    back = time.monotonic() - t0
    for w in widgets.values():
        w.close()
    with capsys.disabled():
        print(f"\nfault recovery: slowest 'daemon unreachable' shown in {down:.2f} s "
              f"(of {len(times)} widgets and checkers); all recovered {back:.2f} s after the daemon was back")
