"""What every command that creates or changes something shares: ownership.

Everything the toolkit creates carries the session labels; everything it changes or removes
must carry them already (:func:`require_owned`): the toolkit never touches a container,
network, volume or image it did not create. The first creation of a process arranges the
cleanup of its session at exit and reaps the sessions of dead kernels.

>>> not_owned("container", "web").kind
'not-owned'
"""
from __future__ import annotations

import atexit
import shlex
import threading

from ..engine.client import engine
from ..engine.errors import NotOwned, translating
from ..session import labels as L

_atexit_registered = threading.Event()


def created_something() -> None:
    """First resource of this process: clean up at exit, and reap dead sessions now."""
    if not _atexit_registered.is_set():
        _atexit_registered.set()
        from ..session import cleanup
        atexit.register(cleanup.clean_session_quietly)
        threading.Thread(target=cleanup.reap_orphans_quietly, name="dockerlab-reaper", daemon=True).start()


def not_owned(kind: str, ref: str) -> NotOwned:
    return NotOwned(
        f"{kind} {ref!r} was not created by dockerlab in this session; the toolkit leaves it alone",
        f"Resources made outside the toolkit are yours to manage with the docker CLI "
        f"(e.g. docker {kind} rm {ref}).")


def require_owned(kind: str, ref: str, any_session: bool = False) -> dict:
    """Inspect ``ref`` and raise NotOwned unless it carries this session's label."""
    e = engine()
    with translating(f"docker {kind} inspect {shlex.quote(ref)}"):
        doc = {"container": e.inspect_container, "network": e.inspect_network,
               "volume": e.inspect_volume, "image": e.inspect_image}[kind](ref)
    labels = (doc.get("Config") or {}).get("Labels") if kind in ("container", "image") else doc.get("Labels")
    if not L.is_owned(labels, any_session=any_session):
        raise not_owned(kind, ref)
    return doc
