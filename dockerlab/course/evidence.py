"""What a learner's work does, read for the checkers: their container or image by the name the
exercise gives (with the classroom hint), what a web server answers, what a database answers.

>>> find("ex1-web")               # doctest: +SKIP
ContainerView(...)
"""
from __future__ import annotations

import time

from ..engine.errors import DockerlabError
from ..host.http import fetch as http_fetch
from ..reads import views as state
from .base import Incorrect

#: A server that just started may take seconds to answer on a loaded machine (0.25 s apart: ~10 s).
STARTUP_RETRIES = 40


def find(name: str) -> state.ContainerView | None:
    """The learner's container ``name``, or None; in a classroom scope a container under the
    plain name (typed in a terminal) gets a hint naming the scoped one."""
    c = state.container(name)
    if c is None:
        scoped = state.plain_name_elsewhere("container", name)
        if scoped:
            raise Incorrect(f"there is a container {name}, but in this classroom yours is named {scoped}",
                            f"Your names carry your scope: docker rm -f {name}, then do it again with "
                            f"--name {scoped}.")
    return c


def serves_as(c: state.ContainerView, port: int = 80) -> tuple[int, str, str] | None:
    """(host port, Server header, page) of the first published host port of ``port`` that
    answers HTTP from this machine; None when none answers."""
    for host_port in c.host_ports(port):
        try:
            _status, headers, body = http_fetch(f"http://127.0.0.1:{host_port}/", timeout=3, retries=STARTUP_RETRIES)
        except DockerlabError:
            continue
        return host_port, headers.get("server", ""), body
    return None


def sql_answer(c: state.ContainerView, sql: str, user: str | None = None, wait: float = 10) -> tuple[int, str]:
    """(exit code, output) of ``psql -tAc SQL`` in a running postgres container as ``user``
    (default: the one it was initialised with, POSTGRES_USER, else postgres), retrying while
    a fresh database initialises."""
    user = user or c.env.get("POSTGRES_USER") or "postgres"
    db = c.env.get("POSTGRES_DB") or user
    deadline = time.monotonic() + wait
    while True:
        code, out = state.exec_read(c.name, ["psql", "-U", user, "-d", db, "-tAc", sql])
        if code == 0 or time.monotonic() > deadline or code in (126, 127) or "role" in out and "does not exist" in out:
            return code, out
        time.sleep(0.5)


def own_image(ref: str) -> dict | None:
    """The learner's image ``ref``; in a classroom scope an image under the plain name (built
    in a terminal) gets a hint naming the scoped one."""
    img = state.own_image(ref)
    if img is None:
        scoped = state.plain_name_elsewhere("image", ref)
        if scoped:
            raise Incorrect(f"there is an image {ref}, but in this classroom yours is named {scoped}",
                            f"Your names carry your scope: docker tag {ref} {scoped} (or build with -t {scoped}).")
    return img


def course_image_ids() -> dict[str, str]:
    """image id -> course reference, for the course images present."""
    from ..kit.catalog import CATALOG
    return {i: e.ref for e in CATALOG if (i := state.image_id(e.ref))}
