"""ProcessTable against the real daemon: docker top as a table whose PIDs are the host's,
proved from this machine's /proc; errors for stopped or missing containers."""
from __future__ import annotations

import os

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.widgets import processes
from dockerlab.widgets.processes import ProcessTable

pytestmark = pytest.mark.docker


def test_pids_are_host_pids(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"top-{uid}"))
    t = ProcessTable(c.name)
    try:
        df = t.table()
        main_pid = str(CT.inspect(c.name)["State"]["Pid"])
        assert list(df["CMD"]) == ["sleep 300"] and list(df["PID"]) == [main_pid]
        assert list(df["host cmdline"]) == ["sleep 300"]  # read from the host's /proc
        assert list(df["in container's cgroup"]) == ["yes"] and t.verified is True
        assert f"host PID {main_pid}" in t.proof.value and "<td>sleep 300</td>" in t.view.value
        assert t.cli_lines[0] == f"docker top {c.name}"
        assert repr(t) == f"ProcessTable(top-{uid}: 1 processes)"
        CT.exec_in(c.name, ["sh", "-c", "sleep 30 &"])
        _clicked(t.refresh_button)
        t.wait_idle()
        assert len(t.table()) == 2 and t.verified is True
    finally:
        t.close()


def test_remote_daemon_says_pids_cannot_be_verified(session, uid, monkeypatch):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"topr-{uid}"))
    monkeypatch.setattr(processes, "daemon_is_local", lambda: False)  # Docker Desktop, a remote daemon
    t = ProcessTable(c.name)
    try:
        assert t.verified is None and "cannot be verified" in t.proof.value
        assert "host cmdline" not in t.table().columns and len(t.table()) == 1
    finally:
        t.close()


def test_daemon_is_local_only_for_a_socket_here_and_an_engine_in_this_proc(monkeypatch):
    from dockerlab.host import proc
    assert proc.daemon_is_local()  # the engine the suite runs on is on this kernel
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.1:2376")
    assert not proc.daemon_is_local()
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    assert not proc.daemon_is_local()
    monkeypatch.delenv("DOCKER_HOST")
    monkeypatch.setattr(proc, "ENGINE_PROCESSES", ("no-such-engine",))  # a socket shared from elsewhere
    assert not proc.daemon_is_local()
    assert processes.host_view("999999999", "abc")[0] == ""


def test_a_socket_served_by_a_proxy_or_from_another_pid_namespace_is_not_local(monkeypatch, tmp_path):
    import socket
    import subprocess
    import sys
    import time

    from dockerlab.host import proc
    # a proxy here (as Docker Desktop's backend, ssh or socat forward a daemon's socket)
    path = str(tmp_path / "proxy.sock")
    server = socket.socket(socket.AF_UNIX)
    server.bind(path)
    server.listen(1)
    try:
        assert proc.socket_peer(path) == os.getpid()
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        assert not proc.daemon_is_local()
    finally:
        server.close()
    # a process in a PID namespace of its own (a daemon in a VM-like box whose socket is shared)
    assert proc.same_pid_namespace(os.getpid())
    child = subprocess.Popen(["unshare", "--pid", "--fork", sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        for _ in range(50):
            inner = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == child.pid]
            if inner:
                break
            time.sleep(0.1)
        if not inner:
            pytest.skip("unshare --pid is not permitted here")
        assert not proc.same_pid_namespace(inner[0])
    finally:
        child.kill()


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return -1


def test_stopped_container_shows_error_with_hint(session, uid):
    c = R.create(RunSpec("busybox:1.36", "sleep 300", name=f"tops-{uid}"))
    t = ProcessTable(c.name)
    try:
        assert t.last_error is not None and "is not running" in t.last_error.message
        assert "Hint:" in t.error_box.value and "docker start" in t.error_box.value
        assert t.table().empty and repr(t) == f"ProcessTable(tops-{uid}: 0 processes)"
        assert CT.inspect(c.name)["State"]["Status"] == "created"  # untouched
    finally:
        t.close()


def test_missing_container_shows_error(session, uid):
    t = ProcessTable(f"nosuch-{uid}")
    try:
        assert "no such container" in t.error_box.value.lower() and "Hint:" in t.error_box.value
        assert not CT.exists(f"nosuch-{uid}")
    finally:
        t.close()
