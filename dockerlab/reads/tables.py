"""What is on the daemon, as pandas DataFrames a learner can read: one list call each.

docker-py's ``containers.list()`` inspects every container (N+1 requests); the Engine's
list endpoints already carry what a table needs, so each table here is one request.

>>> containers(lab_only=True)[["name", "image", "state", "ports"]]   # doctest: +SKIP
"""
from __future__ import annotations

import time

import pandas as pd

from ..engine import podman
from ..engine.client import engine
from ..engine.errors import translating
from ..engine.names import familiar, normalize_ref
from ..session import labels as L

CONTAINER_COLUMNS = ["name", "image", "state", "status", "ports", "networks", "mounts", "created", "id", "session", "lesson"]
IMAGE_COLUMNS = ["repository", "tag", "id", "size", "created", "dangling", "kit", "session"]
NETWORK_COLUMNS = ["name", "driver", "scope", "internal", "id", "session"]
VOLUME_COLUMNS = ["name", "driver", "mountpoint", "created", "session"]


def age(ts: float | str | None, now: float | None = None) -> str:
    """'42 seconds ago' the way ``docker ps`` says it (coarse on purpose)."""
    if ts in (None, "", 0):
        return ""
    if isinstance(ts, str):
        ts = pd.Timestamp(ts).timestamp()
    d = max(0.0, (now or time.time()) - float(ts))
    if d < 1:
        return "Less than a second ago"
    if d < 60:
        return f"{int(d)} seconds ago"
    if d < 120:
        return "About a minute ago"
    if d < 3600:
        return f"{int(d // 60)} minutes ago"
    if d < 7200:
        return "About an hour ago"
    if d < 86400 * 2:
        return f"{int(d // 3600)} hours ago"
    return f"{int(d // 86400)} days ago"


def human_size(n: float | int | None) -> str:
    """Sizes the way the docker CLI prints them (decimal units: 1.2MB)."""
    if n is None or n < 0:
        return ""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f}{unit}" if unit == "B" else f"{n:.3g}{unit}"
        n /= 1000.0
    return ""


def format_ports(ports: list[dict] | None) -> str:
    """``127.0.0.1:8080->80/tcp, 443/tcp`` like ``docker ps``."""
    out = []
    for p in sorted(ports or [], key=lambda p: (p.get("PrivatePort", 0), p.get("PublicPort", 0), p.get("IP", ""))):
        inner = f"{p.get('PrivatePort')}/{p.get('Type', 'tcp')}"
        if p.get("PublicPort"):
            ip = p.get("IP") or "0.0.0.0"
            if ":" in ip:
                continue  # docker ps lists the IPv4 binding; skip the [::] twin
            out.append(f"{ip}:{p['PublicPort']}->{inner}")
        else:
            out.append(inner)
    return ", ".join(dict.fromkeys(out))


def _visible(rows: list[dict], all_sessions: bool) -> list[dict]:
    """Other sessions' resources stay out of this session's tables (a classroom shares one
    daemon); what carries no dockerlab label at all is the learner's own and shows."""
    if all_sessions:
        return rows
    me = L.session_id()
    return [r for r in rows if (r.get("Labels") or {}).get(L.SESSION, me) == me]


def _filters(lab_only: bool, all_sessions: bool) -> dict | None:
    if not lab_only:
        return None
    return L.any_session_filter() if all_sessions else L.session_filter()


def containers(lab_only: bool = True, all_sessions: bool = False, include_stopped: bool = True) -> pd.DataFrame:
    """``docker ps -a`` as a DataFrame; ``lab_only`` keeps this session's containers."""
    cmd = "docker ps" + (" -a" if include_stopped else "") + \
          (f" --filter label={L.SESSION}" if lab_only else "")
    with translating(cmd):
        rows = _visible(engine().containers(all=include_stopped, filters=_filters(lab_only, all_sessions)), all_sessions)
    now = time.time()
    data = []
    for c in rows:
        labels = c.get("Labels") or {}
        nets = sorted(((c.get("NetworkSettings") or {}).get("Networks") or {}).keys())
        mounts = [f"{m.get('Name') or m.get('Source')}:{m.get('Destination')}" for m in c.get("Mounts") or []]
        data.append({
            "name": (c.get("Names") or ["/"])[0].lstrip("/"),
            "image": familiar(c.get("Image", "")),
            "state": podman.state(c.get("State", "")),
            "status": c.get("Status", ""),
            "ports": format_ports(c.get("Ports")),
            "networks": ", ".join(nets),
            "mounts": ", ".join(mounts),
            "created": age(c.get("Created"), now),
            "id": c.get("Id", "")[:12],
            "session": labels.get(L.SESSION, ""),
            "lesson": labels.get(L.LESSON, ""),
        })
    df = pd.DataFrame(data, columns=CONTAINER_COLUMNS)
    return df.sort_values("name", kind="stable").reset_index(drop=True)


def images(lab_only: bool = False, include_dangling: bool = True, all_sessions: bool = False) -> pd.DataFrame:
    """``docker images`` as a DataFrame, one row per repo:tag (dangling: <none>)."""
    cmd = "docker images" + (" -a" if include_dangling else "")
    with translating(cmd):
        rows = _visible(engine().images(filters=_filters(lab_only, all_sessions)), all_sessions)
    now = time.time()
    data = []
    for im in rows:
        labels = im.get("Labels") or {}
        # The familiar form: Podman says docker.io/library/busybox:1.36 where Docker says busybox:1.36.
        tags = [normalize_ref(t) for t in (im.get("RepoTags") or []) if t != "<none>:<none>"]
        dangling = not tags
        if dangling and not include_dangling:
            continue
        for t in tags or ["<none>:<none>"]:
            repo, _, tag = t.rpartition(":")
            data.append({"repository": repo, "tag": tag, "id": im["Id"].split(":")[-1][:12],
                         "size": human_size(im.get("Size")), "created": age(im.get("Created"), now),
                         "dangling": dangling, "kit": labels.get(L.KIT, ""),
                         "session": labels.get(L.SESSION, "")})
    df = pd.DataFrame(data, columns=IMAGE_COLUMNS)
    return df.sort_values(["repository", "tag"], kind="stable").reset_index(drop=True)


def networks(lab_only: bool = False, all_sessions: bool = False) -> pd.DataFrame:
    """``docker network ls`` as a DataFrame."""
    with translating("docker network ls"):
        rows = _visible(engine().networks(filters=_filters(lab_only, all_sessions)), all_sessions)
    data = [{"name": n["Name"], "driver": n.get("Driver", ""), "scope": n.get("Scope", ""),
             "internal": bool(n.get("Internal")), "id": n["Id"][:12],
             "session": (n.get("Labels") or {}).get(L.SESSION, "")} for n in rows]
    return pd.DataFrame(data, columns=NETWORK_COLUMNS).sort_values("name", kind="stable").reset_index(drop=True)


def volumes(lab_only: bool = False, all_sessions: bool = False) -> pd.DataFrame:
    """``docker volume ls`` as a DataFrame."""
    with translating("docker volume ls"):
        rows = _visible(engine().volumes(filters=_filters(lab_only, all_sessions)).get("Volumes") or [], all_sessions)
    now = time.time()
    data = [{"name": v["Name"], "driver": v.get("Driver", ""), "mountpoint": v.get("Mountpoint", ""),
             "created": age(v.get("CreatedAt"), now),
             "session": (v.get("Labels") or {}).get(L.SESSION, "")} for v in rows]
    return pd.DataFrame(data, columns=VOLUME_COLUMNS).sort_values("name", kind="stable").reset_index(drop=True)
