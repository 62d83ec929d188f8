"""Who owns what: the session id and the labels every created resource carries.

Every container, network, volume and image the toolkit creates carries
``dockerlab.session=<id>``; listing, checkers and cleanup filter on it, and nothing
without it is ever stopped, removed or changed. Keys under ``dockerlab.`` are reserved:
a learner's own labels may not use them.

>>> session_labels(lesson="01-running")["dockerlab.lesson"]
'01-running'
"""
from __future__ import annotations

import os
import socket
import time
import uuid

PREFIX = "dockerlab."
SESSION = PREFIX + "session"
LESSON = PREFIX + "lesson"
KIT = PREFIX + "kit"
#: Host and pid of the process that owns the session: cleanup at start-up reaps the
#: sessions whose process is gone (a crashed kernel leaves no orphan for long).
OWNER_HOST = PREFIX + "host"
OWNER_PID = PREFIX + "pid"
OWNER_START = PREFIX + "started"


def _new_session_id() -> str:
    return uuid.uuid4().hex[:12]


# One id per process (one kernel = one session); DOCKERLAB_SESSION overrides it so that a
# CLI call (`dockerlab check`, `dockerlab clean`) can act for a kernel's session.
_session_id = os.environ.get("DOCKERLAB_SESSION") or _new_session_id()


def session_id() -> str:
    """The current session's id (stable for the life of this process)."""
    return _session_id


def set_session_id(value: str) -> None:
    """Adopt another session id (tests, `dockerlab clean --session`)."""
    global _session_id
    _session_id = value


def _process_start(pid: int) -> str:
    """Start time of a process in clock ticks since boot ('' when unknown): pid + start
    time identifies a process even after its pid is reused."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def owner_labels() -> dict[str, str]:
    pid = int(os.environ.get("DOCKERLAB_OWNER_PID", os.getpid()))
    return {
        OWNER_HOST: socket.gethostname(),
        OWNER_PID: str(pid),
        OWNER_START: _process_start(pid),
    }


def session_labels(lesson: str | None = None, session: str | None = None) -> dict[str, str]:
    """The labels every resource created now must carry."""
    labels = {SESSION: session or _session_id, **owner_labels()}
    if lesson:
        labels[LESSON] = lesson
    return labels


def with_session_labels(user: dict[str, str] | None, lesson: str | None = None) -> dict[str, str]:
    """A learner's labels plus the session's; reserved keys in ``user`` are refused."""
    from .errors import InvalidInput

    user = dict(user or {})
    for key in user:
        if key.startswith(PREFIX):
            raise InvalidInput(
                f"label key {key!r} is reserved",
                hint=f"labels starting with '{PREFIX}' belong to the toolkit; pick another key, e.g. 'app.{key[len(PREFIX):]}'",
            )
    return {**user, **session_labels(lesson)}


def session_filter(session: str | None = None) -> dict[str, list[str]]:
    """Engine API filter for one session's resources."""
    return {"label": [f"{SESSION}={session or _session_id}"]}


def any_session_filter() -> dict[str, list[str]]:
    """Engine API filter for resources of every dockerlab session."""
    return {"label": [SESSION]}


def is_owned(labels: dict[str, str] | None, session: str | None = None, any_session: bool = False) -> bool:
    """True when ``labels`` mark a resource of this session (or of any, if asked)."""
    labels = labels or {}
    if SESSION not in labels:
        return False
    return any_session or labels[SESSION] == (session or _session_id)


def owner_alive(labels: dict[str, str]) -> bool:
    """Is the process that created this resource still running? Unknown owners (another
    host, no pid label) count as alive: we never reap what we cannot prove dead."""
    if labels.get(OWNER_HOST) != socket.gethostname():
        return True
    try:
        pid = int(labels.get(OWNER_PID, ""))
    except ValueError:
        return True
    started = _process_start(pid)
    if not started:
        return False  # no such process
    return started == labels.get(OWNER_START, started)


def now() -> float:
    return time.time()


# ---------------------------------------------------------------- name scopes
# Names are the one thing every session on a daemon shares. A classroom gives each learner
# a scope (DOCKERLAB_SCOPE=c3), like Compose's project name: every name a learner picks
# ("web", "app-net", "data", "site:v1") becomes "web--c3" on the daemon, and every lookup
# by name is scoped the same way, so 30 notebooks can all run "web" on one daemon.
# Containers on a user network also answer to their unscoped name (a network alias), so
# DNS by name works as the lesson shows. Without a scope, names are used as given.
SCOPE_SEP = "--"
BUILTIN_NETWORKS = frozenset({"bridge", "host", "none", "default"})
_ID_RE = __import__("re").compile(r"^(sha256:)?[0-9a-f]{12,64}$")


def scope() -> str:
    return os.environ.get("DOCKERLAB_SCOPE", "")


def scoped(name: str | None) -> str | None:
    """``name`` as it is on the daemon in this scope (ids and built-ins are left alone)."""
    s = scope()
    if not s or not name or not isinstance(name, str) or name in BUILTIN_NETWORKS or _ID_RE.match(name) \
            or name.endswith(SCOPE_SEP + s):
        return name
    return f"{name}{SCOPE_SEP}{s}"


def unscoped(name: str) -> str:
    s = scope()
    return name[: -len(SCOPE_SEP + s)] if s and name.endswith(SCOPE_SEP + s) else name


def scoped_image(ref: str) -> str:
    """A learner's image reference in this scope: the repository's last part is scoped and
    the tag kept (``me/app:v1`` -> ``me/app--c3:v1``). References into a registry
    (``127.0.0.1:5000/me/app``) stay as they are: each learner runs their own registry."""
    if not scope() or not ref or "@" in ref or _ID_RE.match(ref):
        return ref
    first = ref.split("/", 1)[0]
    if "/" in ref and ("." in first or ":" in first or first == "localhost"):
        return ref  # a registry's name: each learner's registry is their own (its own port)
    head, sep, last = ref.rpartition("/")
    name, colon, tag = last.partition(":")
    return f"{head}{sep}{scoped(name)}{colon}{tag}"


def unscope_all(obj):
    """A daemon document (or table cell) in the learner's names: the scope suffix is
    dropped from every string and key, so tables, inspect views and checkers read
    "web", not "web--c3". Without a scope, ``obj`` is returned as is."""
    s = scope()
    if not s:
        return obj
    pattern = __import__("re").compile(__import__("re").escape(SCOPE_SEP + s) + r"\b")

    def walk(o):
        if isinstance(o, str):
            return pattern.sub("", o)
        if isinstance(o, dict):
            return {walk(k): walk(v) for k, v in o.items()}
        if isinstance(o, list):
            return [walk(v) for v in o]
        if isinstance(o, tuple):
            return tuple(walk(v) for v in o)
        return o
    return walk(obj)
