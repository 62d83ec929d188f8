"""What this machine's kernel says, and whether the daemon shares it.

Lessons prove "a container is a process of the host" by reading the host's ``/proc``. That
holds only when the daemon runs on this kernel: with Docker Desktop (a VM) or a remote
``DOCKER_HOST`` the container's PIDs are another kernel's. :func:`daemon_is_local` tells.

>>> cmdline(1) is None or isinstance(cmdline(1), str)
True
"""
from __future__ import annotations

import os
import socket
import struct

from ..engine.client import docker_host

#: The processes that may hold an engine's socket on this machine: the engines themselves
#: (Podman serves the Docker API as `podman system service`), and systemd for a socket it
#: activates (docker.socket, podman.socket). A proxy (Docker Desktop's backend, ssh, socat)
#: is none of them: its daemon is elsewhere.
ENGINE_PROCESSES = ("dockerd", "podman", "systemd")


def socket_peer(path: str) -> int | None:
    """The PID (in this PID namespace) of the process serving a unix socket: ``SO_PEERCRED``.
    0 when that process is in a PID namespace this one cannot see; None when it cannot be read."""
    if not hasattr(socket, "SO_PEERCRED"):
        return None  # not Linux
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect(path)
            pid, _uid, _gid = struct.unpack("3i", s.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                                 struct.calcsize("3i")))
            return pid
    except OSError:
        return None


def same_pid_namespace(pid: int) -> bool:
    """True when ``pid`` lives in this /proc's PID namespace: its NSpid line has one entry
    (a process in a nested namespace, a lane's dockerd for one, lists its inner PIDs too)."""
    try:
        with open(f"/proc/{int(pid)}/status") as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return len(line.split()) == 2
    except (OSError, ValueError):
        return False
    return True  # kernels before 4.1 have no NSpid: no way to tell, the process is here


def daemon_is_local() -> bool:
    """True when the daemon's containers are processes of this /proc: its socket is here, the
    process serving it is an engine (or systemd, for an activated socket) in this PID namespace.
    Docker Desktop (a proxy into its VM), a remote DOCKER_HOST, a socket shared from a daemon in
    another PID namespace: False (their containers' PIDs are not this /proc's)."""
    host = docker_host()
    if not host.startswith("unix://") or not os.path.exists(host[len("unix://"):]):
        return False
    pid = socket_peer(host[len("unix://"):])
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/comm") as f:
            comm = f.read().strip()
    except OSError:
        return False
    return comm in ENGINE_PROCESSES and same_pid_namespace(pid)


def cmdline(pid: int) -> str | None:
    """A process's command line from this machine's /proc (None: no such process here)."""
    try:
        with open(f"/proc/{int(pid)}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except (OSError, ValueError):
        return None


def cgroup(pid: int) -> str | None:
    """A process's cgroup membership from this machine's /proc (None when unreadable)."""
    try:
        with open(f"/proc/{int(pid)}/cgroup") as f:
            return f.read()
    except (OSError, ValueError):
        return None
