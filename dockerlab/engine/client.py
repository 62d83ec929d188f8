"""The one shared Docker engine of this kernel: docker-py's APIClient behind :class:`Engine`.

``docker.from_env()`` semantics: unix socket, ``DOCKER_HOST`` (tcp, ssh), the TLS variables,
the current Docker CLI context; the API version is negotiated with the daemon. The Engine
wraps the APIClient by composition: every call goes through the classroom scope
(:mod:`.names`) both ways and comes out with a :class:`~.errors.DockerlabError`, never a
docker-py or requests exception. A daemon that is down is reported within ~2 s.

>>> engine().version()["ApiVersion"]  # doctest: +SKIP
'1.41'
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import docker

from . import names
from .errors import CONNECT_HINT, DaemonUnreachable, NoAnswer, is_read_timeout, translate, translating

#: Fail fast: a learner waiting on a dead daemon should see the fix within ~2 s.
PING_TIMEOUT = float(os.environ.get("DOCKERLAB_PING_TIMEOUT", "2"))
#: Ordinary calls: stop/restart add their own stop timeout on top.
API_TIMEOUT = int(os.environ.get("DOCKERLAB_API_TIMEOUT", "60"))
#: Widgets keep several streams open (logs, events, stats): a larger pool than 10.
POOL_SIZE = 32


class Engine:
    """docker-py's ``APIClient``, held (not subclassed): the same method names, with names
    scoped on the way in and unscoped on the way out, and errors translated.

    Only the methods listed in :data:`names.PATH_ARGS` exist here: a new call must say
    which of its arguments names a resource before it can reach the daemon.
    """

    def __init__(self, api: docker.APIClient, scoped: bool = True):
        self._api = api
        self._scoped = scoped
        self._podman: bool | None = None

    def exact(self) -> Engine:
        """The same client with names exactly as on the daemon (no scope either way): for
        cleanup, which removes every session's resources whatever scope made them."""
        twin = Engine(self._api, scoped=False)
        twin._podman = self._podman
        return twin

    @property
    def api_version(self) -> str:
        return str(self._api.api_version)

    @property
    def base_url(self) -> str:
        return str(self._api.base_url)

    def __getattr__(self, method: str) -> Callable[..., Any]:
        if method.startswith("_") or method not in names.PATH_ARGS:
            raise AttributeError(f"Engine has no {method!r}: list it in engine/names.PATH_ARGS first")
        fn = getattr(self._api, method)
        document = method in names.DOCUMENTS

        def call(*args: Any, **kwargs: Any) -> Any:
            if self._scoped:
                args, kwargs = names.scope_call(method, args, kwargs, self.resolve_image)
            try:
                out = fn(*args, **kwargs)
            except Exception as e:
                err = translate(e)
                if self._scoped:  # the daemon's explanation, in the learner's names
                    err.message = names.unscope_all(err.message)
                    err.args = (err.message,)
                raise err from e
            return names.unscope_all(out) if document and self._scoped else out
        call.__name__ = method
        return call

    def resolve_image(self, ref: str) -> str:
        """In a scope: the learner's own image if they built one, else the shared one."""
        candidate = names.scoped_image(ref)
        if candidate == ref:
            return ref
        try:
            found = self._api.images(filters={"reference": [candidate]})
        except Exception:  # noqa: BLE001 - the shared image then
            return ref
        return candidate if found else ref

    @property
    def is_podman(self) -> bool:
        """True when the engine is Podman's Docker-compatible API (asked once)."""
        if self._podman is None:
            try:
                comps = self._api.version().get("Components") or []
            except Exception:  # noqa: BLE001 - unknown: behave as Docker
                return False
            self._podman = any("podman" in (c.get("Name") or "").lower() for c in comps)
        return self._podman

    # -- calls docker-py has no public form for. Each uses APIClient's private request
    # helpers (_get/_post/_url/_raise_for_status/_stream_helper) because the public method
    # hides what the lesson needs; nothing outside this class calls a private docker-py method.

    def ping(self, timeout: float = PING_TIMEOUT) -> bool:
        """``/_ping`` with its own short timeout (``APIClient.ping`` waits the full 60 s)."""
        a: Any = self._api
        try:
            return bool(a._get(a._url("/_ping"), timeout=timeout).ok)
        except Exception:  # noqa: BLE001 - any failure means "not reachable"
            return False

    def logs_response(self, ref: str, params: dict, timeout: float | None = None) -> Any:
        """The raw logs response: ``APIClient.logs`` merges stdout and stderr, the lessons
        tell them apart (docker-py's ``frames_iter`` then demultiplexes it)."""
        a: Any = self._api
        try:
            ref = names.scoped(ref) if self._scoped else ref
            res = a._get(a._url("/containers/{0}/logs", ref), params=params, stream=True,
                         timeout=timeout)
            a._raise_for_status(res)
        except Exception as e:
            raise translate(e) from e
        return res

    def pull_stream(self, repo: str, tag: str, timeout: float) -> Iterator[dict]:
        """``POST /images/create`` with a read timeout: ``APIClient.pull`` posts with
        timeout=None, so a registry that never answers would hang it (~25 s measured)."""
        from docker import auth
        a: Any = self._api

        def events() -> Iterator[dict]:
            try:
                header = auth.get_config_header(a, auth.resolve_repository_name(repo)[0])
                res = a._post(a._url("/images/create"), params={"fromImage": repo, "tag": tag},
                              headers={"X-Registry-Auth": header} if header else {}, stream=True,
                              timeout=timeout)
                a._raise_for_status(res)
                yield from a._stream_helper(res, decode=True)
            except Exception as e:
                if is_read_timeout(e):
                    raise NoAnswer(f"no answer within {timeout:g} s", CONNECT_HINT) from e
                raise translate(e) from e
        return events()

    def save_response(self, refs: list[str]) -> Any:
        """``GET /images/get?names=...``: several images in one bundle (``get_image`` takes one)."""
        a: Any = self._api
        try:
            res = a._get(a._url("/images/get"), params={"names": list(refs)}, stream=True)
            a._raise_for_status(res)
        except Exception as e:
            raise translate(e) from e
        return res


_lock = threading.Lock()
_engine: Engine | None = None


def docker_host() -> str:
    """The endpoint docker-py connects to: DOCKER_HOST, else the current Docker CLI context's
    (Docker Desktop, Colima, a remote daemon), else the default socket (see :mod:`.endpoint`)."""
    from .endpoint import resolve
    return resolve().url


def new_engine(timeout: float, version: str = "auto") -> Engine:
    """An Engine of its own (same host, TLS, API version) for a long stream whose timeout
    must not change the shared one's under other threads."""
    # docker-py's stubs say int; requests takes any number of seconds (tests use 0.5).
    return Engine(docker.from_env(version=version, timeout=timeout, max_pool_size=POOL_SIZE).api)  # type: ignore[arg-type]


def engine() -> Engine:
    """The shared Engine, created on first use; raises DaemonUnreachable with a hint."""
    global _engine
    e = _engine
    if e is not None:
        return e
    with _lock:
        if _engine is None:
            with translating("docker version"):
                # version="auto" asks the daemon for its API version: one /version call, with a
                # short timeout, so a dead daemon is reported fast.
                client = docker.from_env(version="auto", timeout=PING_TIMEOUT,  # type: ignore[arg-type]
                                         max_pool_size=POOL_SIZE)
                client.api.timeout = API_TIMEOUT
                _engine = Engine(client.api)
        return _engine


def private_engine(timeout: float) -> Engine:
    """A private Engine at the shared one's API version (no second negotiation)."""
    with translating("docker version"):
        return new_engine(timeout, version=engine().api_version)


def reset() -> None:
    """Forget the shared Engine (after the daemon restarted, or DOCKER_HOST changed)."""
    global _engine
    with _lock:
        e, _engine = _engine, None
    if e is not None:
        try:
            e.close()
        except Exception:  # noqa: BLE001 - closing a dead client must not fail
            pass


def ping(timeout: float = PING_TIMEOUT) -> bool:
    """True when the daemon answers /_ping within ``timeout`` seconds."""
    try:
        ok = engine().ping(timeout)
    except Exception:  # noqa: BLE001 - no engine could even be made
        ok = False
    if not ok:
        reset()
    return ok


def require_daemon() -> Engine:
    """The Engine, after a quick ping: raises DaemonUnreachable within ~PING_TIMEOUT."""
    if not ping():
        raise DaemonUnreachable("the Docker daemon is unreachable", CONNECT_HINT, "docker version")
    return engine()


def is_podman() -> bool:
    return engine().is_podman


def daemon_info() -> dict:
    """Version facts a learner (and `dockerlab doctor`) wants to see."""
    with translating("docker version"):
        v = engine().version()
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
