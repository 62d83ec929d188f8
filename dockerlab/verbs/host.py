"""Notebook verbs for this machine's side: HTTP, free ports, where the daemon runs.

>>> import dockerlab as dl
>>> dl.free_port(8080) >= 8080            # doctest: +SKIP
True
"""
from __future__ import annotations

from ..commands import container as C
from ..commands.result import Result
from ..engine import names
from ..engine.errors import DockerlabError
from ..host import http, ports
from ..host.proc import daemon_is_local
from .offline import offline_safe

__all__ = ["http_get", "free_port", "daemon_is_local", "daemon_kernel", "curl"]


@offline_safe
def daemon_kernel() -> str:
    """The kernel the daemon's containers run on: this machine's when the daemon is local, else
    the one ``docker version`` reports (Docker Desktop's VM, a remote machine)."""
    import platform

    from ..engine.client import daemon_info
    return platform.release() if daemon_is_local() else daemon_info()["kernel"]


def http_get(url: str, timeout: float = 5.0, retries: int = 20) -> tuple[int, str]:
    """(status, body) of a GET from this machine, retrying while a server starts."""
    return http.get(url, timeout, retries)


def free_port(preferred: int = 8080) -> int:
    """``preferred`` if nothing listens there on 127.0.0.1, else the next free port: two
    notebooks on one daemon never fight over 8080."""
    port = ports.free_port(preferred, names.scope())
    if port is not None:
        return port
    raise DockerlabError(f"no free port from {preferred}", "Stop what holds those ports, or pick another range.")


@offline_safe
def curl(container: str, container_port: int = 80, path: str = "/") -> Result:
    """``curl http://127.0.0.1:PORT/`` where PORT is the host port published for the container's
    ``container_port``; value (status, body). Refused plainly when nothing is published."""
    binds = (C.inspect(container)["NetworkSettings"]["Ports"] or {}).get(f"{container_port}/tcp") or []
    port = binds[0]["HostPort"] if binds else None
    if port is None:
        raise DockerlabError(f"{container}: port {container_port} is not published on the host",
                             "Run the container with -p, e.g. -p 8080:80 (or just 80: Docker picks).")
    status, body = http.get(f"http://127.0.0.1:{port}{path}")
    return Result([f"curl http://127.0.0.1:{port}{path}"], (status, body), f"HTTP {status}\n{body.strip()}")
