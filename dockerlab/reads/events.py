"""The daemon's events in a learner's words, and which of them change what ``docker ps`` shows.

The Engine reports an event per thing that happened (``create``, ``start``, ``die``,
``exec_start: ls /``, ``top``...). ``describe`` turns one into a table row;
``changes_listing`` says whether a container list must be reloaded after it (a
``docker top`` or ``docker exec`` does not change the list, so a table need not reload).

>>> describe({"Type": "container", "Action": "exec_start: ls / ", "time": 0,
...           "Actor": {"Attributes": {"name": "web"}}})["text"]
'container web: exec_start (ls /)'
"""
from __future__ import annotations

import time

from ..engine import names, podman
from ..session import labels as L

#: Container actions after which ``docker ps`` shows something else.
LISTING_ACTIONS = frozenset({
    "create", "start", "restart", "stop", "die", "kill", "destroy", "pause", "unpause",
    "rename", "update", "oom", "health_status",
})

EVENT_COLUMNS = ["time", "type", "action", "name", "detail"]



def _action(event: dict) -> tuple[str, str]:
    """(action, detail) of an event, in Docker's words."""
    action, _, detail = (event.get("Action") or event.get("status") or "").partition(":")
    action = action.strip()
    return podman.action(action), detail  # the course's (Docker's) words on either engine


def shown(event: dict) -> bool:
    """False for Podman's internal container steps (``init``, ``cleanup``): not Docker's events."""
    return _action(event)[0] not in podman.INTERNAL_ACTIONS


def lab_filter(all_sessions: bool = False) -> dict[str, list[str]]:
    """The label filter that keeps the events of this session's (or every session's) resources."""
    return L.any_session_filter() if all_sessions else L.session_filter()


def describe(event: dict) -> dict:
    """One event as a row: time (HH:MM:SS), type, action, name, detail and a sentence."""
    actor = event.get("Actor") or {}
    attrs = actor.get("Attributes") or {}
    action, detail = _action(event)
    kind = event.get("Type") or "container"
    name = attrs.get("name") or (actor.get("ID") or event.get("id") or "")[:12]
    code = attrs.get("exitCode", attrs.get("containerExitCode"))  # Docker's name, Podman's
    if not detail and kind == "container" and action == "die" and code is not None:
        detail = f" exit code {code}"
    detail = detail.strip()
    ts = event.get("time") or time.time()
    return names.unscope_all({
        "time": time.strftime("%H:%M:%S", time.localtime(ts)),
        "type": kind,
        "action": action.strip(),
        "name": name,
        "detail": detail,
        "text": f"{kind} {name}: {action.strip()}" + (f" ({detail})" if detail else ""),
    })


def changes_listing(event: dict) -> bool:
    """True when a container table must reload after this event."""
    action = _action(event)[0]
    return (event.get("Type") or "container") == "container" and action in LISTING_ACTIONS


def past(since: float, until: float | None = None, filters: dict | None = None) -> list[dict]:
    """The events the daemon still remembers between ``since`` and ``until`` (epoch seconds):
    ``docker events --since S --until U``. The daemon keeps only its last 256 events, so on a
    busy daemon the oldest ones are gone: :func:`remembered_since` says from when it knows."""
    from ..engine.client import engine
    from ..engine.errors import translating
    until = time.time() + 1 if until is None else until
    with translating(f"docker events --since {int(since)} --until {int(until)}"):
        e = engine().exact()
        stream = e.events(since=int(since), until=int(until) + 1, filters=filters or None, decode=True)
        # Podman's own action words (remove, exec) in Docker's, as the checkers read them.
        return [podman.docker_event(ev) for ev in stream] if e.is_podman else list(stream)


def remembered_since() -> float:
    """The time of the oldest event the daemon still remembers (now, when it has none)."""
    now = time.time()
    events = past(0, now)
    return float(events[0].get("time") or now) if events else now


def container_actions(container_id: str, since: float) -> list[tuple[str, str]]:
    """(action, detail) of every remembered event of one container since ``since``:
    e.g. ('exec_start', 'sh -c echo hi'), ('extract-to-dir', '') for a ``docker cp`` into it."""
    evs = past(since, filters={"container": [container_id]})
    return [_action(e) for e in evs if (e.get("Type") or "container") == "container"]
