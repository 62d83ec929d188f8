"""Remove what a session created, and nothing else.

Only resources carrying ``dockerlab.session`` are ever listed here, so nothing else
can be removed. Containers go first (they hold networks and volumes), all of them
concurrently; then networks, volumes and images, concurrently.

Runs at kernel exit (atexit), on ``dockerlab clean [--all]``, and at start-up for
sessions whose process is gone (``reap_orphans``).

>>> report = clean_session()          # doctest: +SKIP
>>> report.summary()
'removed 3 containers, 1 network, 1 volume, 0 images'
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..engine import podman
from ..engine.client import engine, ping
from ..engine.errors import NotFound, translating
from . import labels as L

WORKERS = 8
_exiting = threading.Event()


def count(items, word: str) -> str:
    """'1 container', '3 containers'."""
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


@dataclass
class CleanReport:
    containers: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def total(self) -> int:
        return len(self.containers) + len(self.networks) + len(self.volumes) + len(self.images)

    def summary(self) -> str:
        return (f"removed {count(self.containers, 'container')}, {count(self.networks, 'network')}, "
                f"{count(self.volumes, 'volume')}, {count(self.images, 'image')}")

    def merge(self, other: CleanReport) -> CleanReport:
        for f in ("containers", "networks", "volumes", "images", "errors"):
            getattr(self, f).extend(getattr(other, f))
        return self


def _run_all(fn, items, report_list, report: CleanReport):
    if not items:
        return
    def one(item):
        ref, label = item
        try:
            fn(ref)
            return label, None
        except NotFound:
            return None, None  # gone already: fine
        except Exception as e:  # noqa: BLE001 - report the rest, remove what can be removed
            return None, f"{label}: {e}"
    results: Iterable[tuple[str | None, str | None]]
    if _exiting.is_set():  # at interpreter exit no new thread pool may start: one by one
        results = map(one, items)
    else:
        pool = ThreadPoolExecutor(min(WORKERS, len(items)))
        results = list(pool.map(one, items))
        pool.shutdown()
    for done, err in results:
        if done:
            report_list.append(done)
        if err:
            report.errors.append(err)


def _labels_ok(labels: dict | None, sessions: set[str] | None) -> bool:
    """Belt and braces: re-check the label on every listed item before removing it."""
    labels = labels or {}
    return L.SESSION in labels and (sessions is None or labels[L.SESSION] in sessions)


def _clean(filters: dict, sessions: set[str] | None) -> CleanReport:
    a = engine().exact()
    report = CleanReport()
    with translating("docker ps -a --filter label=" + filters["label"][0]):
        cs = [(c["Id"], c["Names"][0].lstrip("/")) for c in a.containers(all=True, filters=filters)
              if _labels_ok(c.get("Labels"), sessions)]
    _run_all(lambda i: podman.remove_container(a, i, v=True), cs, report.containers, report)
    with translating("docker network ls"):
        ns = [(n["Id"], n["Name"]) for n in a.networks(filters=filters) if _labels_ok(n.get("Labels"), sessions)]
        vs = [(v["Name"], v["Name"]) for v in (a.volumes(filters=filters).get("Volumes") or [])
              if _labels_ok(v.get("Labels"), sessions)]
        ims = [(i["Id"], (i.get("RepoTags") or [i["Id"][7:19]])[0]) for i in _images(a, filters)
               if _labels_ok(i.get("Labels"), sessions)]
    jobs = [(a.remove_network, ns, report.networks), (a.remove_volume, vs, report.volumes),
            (lambda i: a.remove_image(i, force=True), ims, report.images)]
    if _exiting.is_set():
        for fn, items, into in jobs:
            _run_all(fn, items, into, report)
    else:
        with ThreadPoolExecutor(3) as pool:
            for fn, items, into in jobs:
                pool.submit(_run_all, fn, items, into, report)
    # With the containerd image store, removing a legacy-built image by id can leave its
    # parent step images (labelled too) behind as <none>: a pass or two more removes them.
    for _ in range(2):
        with translating("docker images --filter label=" + filters["label"][0]):
            left = [(i["Id"], (i.get("RepoTags") or [i["Id"][7:19]])[0]) for i in _images(a, filters)
                    if _labels_ok(i.get("Labels"), sessions)]
        if not left:
            break
        _run_all(lambda i: a.remove_image(i, force=True), left, [], report)
    return report


def _images(a, filters: dict) -> list[dict]:
    """The image list; Podman (4.3) fails it with "image not known" when an image goes away
    while it lists (another session removing one): list again."""
    for attempt in range(3):
        try:
            return a.images(filters=filters)
        except Exception as e:
            if attempt == 2 or "image not known" not in str(e):
                raise
    return []


def clean_session(session: str | None = None) -> CleanReport:
    """Remove every resource of one session (this one by default)."""
    sid = session or L.session_id()
    return _clean(L.session_filter(sid), {sid})


def session_leftovers(session: str | None = None) -> list[str]:
    """What of a session is still on the daemon, as 'container web', 'volume data'..."""
    f = L.session_filter(session)
    a = engine().exact()
    return ([f"container {c['Names'][0].lstrip('/')}" for c in a.containers(all=True, filters=f)]
            + [f"network {n['Name']}" for n in a.networks(filters=f)]
            + [f"volume {v['Name']}" for v in a.volumes(filters=f).get("Volumes") or []]
            + [f"image {(i.get('RepoTags') or [i['Id'][7:19]])[0]}" for i in a.images(filters=f)])


def clean_all() -> CleanReport:
    """Remove the resources of every dockerlab session on this daemon (kit images stay)."""
    return _clean(L.any_session_filter(), None)


def dead_sessions() -> set[str]:
    """Sessions whose owning process is gone (proved dead on this host)."""
    return {s for s, labels in _sessions().items() if s != L.session_id() and not L.owner_alive(labels)}


def live_sessions() -> set[str]:
    """Sessions with labelled resources whose owner may still be running."""
    return set(_sessions()) - dead_sessions()


def _sessions() -> dict[str, dict]:
    """Every session that has labelled resources, with one resource's labels each."""
    a = engine().exact()
    labels_by_session: dict[str, dict] = {}
    f = L.any_session_filter()
    for c in a.containers(all=True, filters=f):
        labels_by_session.setdefault(c["Labels"][L.SESSION], c["Labels"])
    for n in a.networks(filters=f):
        labels_by_session.setdefault(n["Labels"][L.SESSION], n["Labels"])
    for v in a.volumes(filters=f).get("Volumes") or []:
        labels_by_session.setdefault(v["Labels"][L.SESSION], v["Labels"])
    return labels_by_session


def reap_orphans() -> CleanReport:
    """Remove the resources of sessions whose process is gone (a crashed kernel)."""
    report = CleanReport()
    dead = dead_sessions()
    for s in sorted(dead):
        report.merge(clean_session(s))
    return report


def reap_orphans_quietly() -> None:
    try:
        reap_orphans()
    except Exception:  # noqa: BLE001 - a background courtesy; `dockerlab clean` reports
        pass


def clean_session_quietly() -> None:
    """atexit: a kernel going away must not hang or print a traceback. Python refuses new
    thread pools by then, so this cleanup removes things one at a time."""
    _exiting.set()
    try:
        if ping(1.0):
            clean_session()
    except Exception:  # noqa: BLE001 - at exit: never a traceback, never a hang
        pass
