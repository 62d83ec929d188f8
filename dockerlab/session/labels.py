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
#: The classroom scope the resource was made in (only in a scope): a checker in another
#: process of the same scope (``dockerlab check`` in a terminal) counts it as the learner's
#: even when its name carries no scope (``docker run --rm`` without a name).
SCOPE = PREFIX + "scope"


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
    scope = os.environ.get("DOCKERLAB_SCOPE", "")  # engine.names.scope(), read the same way
    if scope:
        labels[SCOPE] = scope
    if lesson:
        labels[LESSON] = lesson
    return labels


def with_session_labels(user: dict[str, str] | None, lesson: str | None = None) -> dict[str, str]:
    """A learner's labels plus the session's; reserved keys in ``user`` are refused."""
    from ..engine.errors import InvalidInput

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
