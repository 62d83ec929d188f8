"""What this machine's kernel says, and whether the daemon shares it.

Lessons prove "a container is a process of the host" by reading the host's ``/proc``. That
holds only when the daemon runs on this kernel: with Docker Desktop (a VM) or a remote
``DOCKER_HOST`` the container's PIDs are another kernel's. :func:`daemon_is_local` tells.

>>> cmdline(1) is None or isinstance(cmdline(1), str)
True
"""
from __future__ import annotations

import os

from ..engine.client import docker_host

#: The engines' process names (Podman serves the Docker API as `podman system service`).
ENGINE_PROCESSES = ("dockerd", "podman")


def daemon_is_local() -> bool:
    """True when the daemon runs on this machine's kernel in this PID namespace: its socket
    is here AND the engine's process shows in this machine's /proc. Docker Desktop's VM, a
    remote DOCKER_HOST, or a daemon in another PID namespace whose socket is shared here:
    False (their containers' PIDs are not this /proc's)."""
    host = docker_host()
    if not host.startswith("unix://") or not os.path.exists(host[len("unix://"):]):
        return False
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() in ENGINE_PROCESSES:
                        return True
            except OSError:
                continue
    return False


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
