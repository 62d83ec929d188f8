"""The one shared Docker client of this kernel.

``docker.from_env()`` semantics: unix socket, ``DOCKER_HOST`` (tcp, ssh), the TLS
variables; the API version is negotiated with the daemon. A daemon that is down or a
socket that is not permitted becomes a :class:`DaemonUnreachable` /
:class:`PermissionDenied` with a hint, never a raw traceback.

>>> client = get_client()            # doctest: +SKIP
>>> client.api.version()["ApiVersion"]  # doctest: +SKIP
'1.41'
"""
from __future__ import annotations

import os
import threading

import docker

from . import labels
from .errors import CONNECT_HINT, DaemonUnreachable, translating

#: Fail fast: a learner waiting on a dead daemon should see the fix within ~2 s.
PING_TIMEOUT = float(os.environ.get("DOCKERLAB_PING_TIMEOUT", "2"))
#: Ordinary calls: stop/restart add their own stop timeout on top.
API_TIMEOUT = int(os.environ.get("DOCKERLAB_API_TIMEOUT", "60"))
#: Widgets keep several streams open (logs, events, stats): a larger pool than 10.
POOL_SIZE = 32

_lock = threading.Lock()
_client: docker.DockerClient | None = None


class ScopedAPIClient(docker.APIClient):
    """An APIClient whose name lookups go through the session's scope (labels.scoped):
    every ``/containers/NAME``, ``/networks/NAME``, ``/volumes/NAME`` URL, whoever builds
    it, reaches the scoped name; ``/images/REF`` reaches the scoped image if the learner
    built one, else the shared one (course images are never scoped)."""

    def _url(self, pathfmt, *args, **kwargs):
        if args and isinstance(args[0], str) and labels.scope():
            kind = pathfmt.split("/")[1] if pathfmt.startswith("/") else ""
            if kind in ("containers", "networks", "volumes"):
                args = (labels.scoped(args[0]), *args[1:])
            elif kind == "images":
                args = (self.resolve_image(args[0]), *args[1:])
        return super()._url(pathfmt, *args, **kwargs)

    def resolve_image(self, ref: str) -> str:
        candidate = labels.scoped_image(ref)
        if candidate == ref:
            return ref
        # A bare repository (a push of all its tags, a run of :latest) matches any tag.
        res = self._get(super()._url("/images/json"), params={"filters": '{"reference": ["%s"]}' % candidate})
        return candidate if res.ok and res.json() else ref


def make_client(timeout: float, version: str = "auto") -> docker.DockerClient:
    """A client like the shared one (same host, TLS, API version), scope-aware."""
    c = docker.from_env(version=version, timeout=timeout, max_pool_size=POOL_SIZE)
    c.api.__class__ = ScopedAPIClient
    return c


def docker_host() -> str:
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def get_client() -> docker.DockerClient:
    """The shared client, created on first use; raises DaemonUnreachable with a hint."""
    global _client
    c = _client
    if c is not None:
        return c
    with _lock:
        if _client is None:
            with translating("docker version"):
                # version="auto" asks the daemon for its API version: one /version call.
                # A short timeout for that first call, so a dead daemon is reported fast.
                c = make_client(PING_TIMEOUT)
                c.api.timeout = API_TIMEOUT
                _client = c
        return _client


def reset_client() -> None:
    """Forget the shared client (after the daemon restarted, or DOCKER_HOST changed)."""
    global _client
    with _lock:
        c, _client = _client, None
    if c is not None:
        try:
            c.close()
        except Exception:  # noqa: BLE001 - closing a dead client must not fail
            pass


def ping(timeout: float = PING_TIMEOUT) -> bool:
    """True when the daemon answers /_ping within ``timeout`` seconds."""
    try:
        client = get_client()
        return client.api._get(client.api._url("/_ping"), timeout=timeout).ok
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        reset_client()
        return False


def require_daemon() -> docker.DockerClient:
    """The client, after a quick ping: raises DaemonUnreachable within ~PING_TIMEOUT."""
    if not ping():
        raise DaemonUnreachable("the Docker daemon is unreachable", CONNECT_HINT, "docker version")
    return get_client()


def api():
    """The low-level APIClient (one HTTP call per method)."""
    return get_client().api


def daemon_info() -> dict:
    """Version facts a learner (and `dockerlab doctor`) wants to see."""
    with translating("docker version"):
        v = api().version()
    return {
        "host": docker_host(),
        "engine": v.get("Version", "?"),
        "api_version": v.get("ApiVersion", "?"),
        "min_api_version": v.get("MinAPIVersion", "?"),
        "os": v.get("Os", "?"),
        "arch": v.get("Arch", "?"),
        "kernel": v.get("KernelVersion", "?"),
        "podman": any("podman" in (c.get("Name", "").lower()) for c in v.get("Components", [])),
    }


def is_podman() -> bool:
    """True when the engine is Podman's Docker-compatible API (asked once per client).

    Podman differs in places (stats, events, build log wording, API versions): core uses
    this to say so clearly instead of failing obscurely."""
    c = get_client()
    known = getattr(c, "_dockerlab_podman", None)
    if known is None:
        try:
            comps = c.api.version().get("Components") or []
        except Exception:  # noqa: BLE001 - unknown: behave as Docker
            return False
        known = any("podman" in (x.get("Name") or "").lower() for x in comps)
        c._dockerlab_podman = known
    return known
