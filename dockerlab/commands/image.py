"""``docker image``: presence, pull, import, tag, rmi, save/load bundles.

The kit (``dockerlab/kit``) and the lessons use these. Every failure is a
:class:`~dockerlab.engine.errors.DockerlabError` with a hint. Long operations stream small
dataclasses to a callback so a terminal or a widget can show progress while they run.

>>> image_present("busybox:1.36")                               # doctest: +SKIP
True
"""
from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..engine import names, podman
from ..engine.client import engine, private_engine
from ..engine.errors import (
    DaemonUnreachable,
    DockerlabError,
    ImageNotFound,
    NoAnswer,
    NotFound,
    NotOwned,
    from_text,
    translate,
    translating,
)
from ..session import labels as L
from .argv import FORMAT, FORMAT_F, NO_TRUNC, NOT_TAUGHT, Command, Flag, R, register
from .ownership import require_owned
from .result import Result

#: Seconds a pull may wait for the daemon's next progress line. A registry that answers
#: keeps streaming; an unreachable one is abandoned after this long.
PULL_TIMEOUT = float(os.environ.get("DOCKERLAB_PULL_TIMEOUT", "10"))
#: Builds, imports and bundles can be silent for minutes (apt-get, a 100 MB upload).
LONG_TIMEOUT = int(os.environ.get("DOCKERLAB_LONG_TIMEOUT", "900"))

OFFLINE_HINT = (
    "No registry answered. Build the course images locally with `dockerlab images --offline`, "
    "or load a classroom bundle with `dockerlab images --import FILE`."
)


@dataclass(frozen=True)
class PullEvent:
    """One progress line of a pull; ``current``/``total`` are bytes of one layer."""
    layer: str
    status: str
    current: int = 0
    total: int = 0


def local_refs() -> dict[str, str]:
    """Every local `repo:tag` mapped to its image id: one list call, no inspects."""
    with translating("docker images"):
        rows = engine().images()
    # normalize_ref: Podman lists docker.io/library/busybox:1.36 where Docker lists busybox:1.36.
    return {names.normalize_ref(tag): row["Id"] for row in rows for tag in (row.get("RepoTags") or [])
            if tag != "<none>:<none>"}


def image_id(ref: str) -> str | None:
    """The local image id of ``ref``, or None when it is not here."""
    try:
        with translating(f"docker image inspect {ref}"):
            return engine().inspect_image(ref)["Id"]
    except (ImageNotFound, NotFound):
        return None


def image_present(ref: str) -> bool:
    """True when ``ref`` is in the local image cache (no pull is attempted)."""
    return image_id(ref) is not None


def image_size(ref: str) -> int:
    """Bytes of a local image unpacked, layers shared with others included: the sum of its
    layers in ``docker history``. (``Size`` in ``docker image inspect`` is the compressed
    content with the containerd image store, the unpacked size with overlay2.)"""
    with translating(f"docker history {ref}"):
        return sum(int(h.get("Size") or 0) for h in engine().history(ref))


def image_labels(ref: str) -> dict[str, str]:
    """The labels of a local image ({} when it has none)."""
    with translating(f"docker image inspect {ref}"):
        info = engine().inspect_image(ref)
    return dict((info.get("Config") or {}).get("Labels") or {})


def pull(ref: str, on_progress: Callable[[PullEvent], None] | None = None,
         timeout: float = PULL_TIMEOUT) -> str:
    """``docker pull ref``; streams :class:`PullEvent`s; returns the image id.

    Gives up after ``timeout`` seconds without news from the daemon, raising
    ImageNotFound with the offline hint instead of hanging on a dead registry.
    """
    repo, tag = names.split_ref(ref)
    command = f"docker pull {ref}"
    client = private_engine(timeout)
    try:
        for ev in client.pull_stream(repo, tag, timeout):
            if "error" in ev:
                raise _pull_error(ev["error"], command)
            if on_progress is not None:
                detail = ev.get("progressDetail") or {}
                on_progress(PullEvent(ev.get("id", ""), ev.get("status", ""),
                                      int(detail.get("current") or 0), int(detail.get("total") or 0)))
    except NoAnswer as e:
        raise ImageNotFound(f"no registry answered within {timeout:g} s while pulling {ref}",
                            OFFLINE_HINT, command) from e
    except DockerlabError as e:
        if isinstance(e, (ImageNotFound, DaemonUnreachable)):
            raise translate(e, command) from None
        raise _pull_error(e.message, command) from e
    finally:
        client.close()
    found = image_id(ref)
    if found is None:
        raise ImageNotFound(f"pull of {ref} finished but the image is not here", OFFLINE_HINT, command)
    return found


_UNREACHABLE = re.compile(r"Client\.Timeout|dial tcp|no such host|i/o timeout|connection refused"
                          r"|TLS handshake timeout|server gave HTTP response to HTTPS client", re.I)


def _pull_error(text: str, command: str) -> DockerlabError:
    err = from_text(text, command)
    if not isinstance(err, ImageNotFound) and _UNREACHABLE.search(text):
        return ImageNotFound(err.message, OFFLINE_HINT, command)
    return err


def import_rootfs(tar_path: str, ref: str, labels: dict[str, str] | None = None,
                  changes: Iterable[str] = ()) -> str:
    """``docker import`` a root filesystem tarball as ``ref``; returns the image id.

    ``changes`` are Dockerfile instructions such as ``CMD ["bash"]``; ``labels`` are
    applied as one ``LABEL`` change.
    """
    repo, tag = names.split_ref(ref)
    all_changes = list(changes)
    all_changes += podman.import_changes(labels or {})
    command = f"docker import {' '.join(f'-c {c!r}' for c in all_changes)} {tar_path} {ref}"
    client = private_engine(LONG_TIMEOUT)
    try:
        with translating(command):
            out = client.import_image(src=tar_path, repository=repo, tag=tag, changes=all_changes)
            if isinstance(out, str) and '"error"' in out:
                raise from_text(out, command)
    finally:
        client.close()
    found = image_id(ref)
    if found is None:
        raise DockerlabError(f"docker import of {tar_path} produced no image {ref}", "", command)
    return found


def inspect(ref: str) -> dict:
    """``docker image inspect REF``."""
    with translating(f"docker image inspect {shlex.quote(ref)}"):
        return dict(engine().inspect_image(ref))


def tag(ref: str, new_ref: str) -> Result:
    """``docker tag REF NEW_REF``: one more name for the same image (in the session's scope)."""
    repo, t = names.split_ref(new_ref)
    cmd = f"docker tag {ref} {new_ref}"
    with translating(cmd):
        engine().tag(ref, repo, t)
    return Result([cmd], name=new_ref, text=f"{new_ref} -> same image as {ref}")


def remove(ref: str, force: bool = False) -> Result:
    """``docker rmi [-f] REF`` of an image the toolkit built in this session."""
    cmd = f"docker rmi {'-f ' if force else ''}{shlex.quote(ref)}"
    require_owned("image", ref)
    with translating(cmd):
        engine().remove_image(ref, force=force)
    return Result([cmd], name=ref, text=f"Untagged: {ref}")


def untag(ref: str) -> Result:
    """``docker rmi REF`` for a name only: the image stays while another name points at it
    (or it was built in this session). Images made outside the toolkit are never deleted."""
    info = inspect(ref)
    tags = [names.normalize_ref(n) for n in info.get("RepoTags") or []]  # Podman: docker.io/library/...
    if len(tags) < 2 and not L.is_owned((info.get("Config") or {}).get("Labels")):
        raise NotOwned(f"{ref} is the last name of an image the toolkit did not build; it stays",
                       "Remove it yourself with docker rmi if you mean it.")
    cmd = f"docker rmi {ref}"
    with translating(cmd):
        engine().remove_image(names.normalize_ref(ref))
    left = [n for n in tags if n != names.normalize_ref(ref)]
    # Which other names remain is not this lesson's business (on a shared daemon classmates
    # tag the same course image): that the image stays is.
    return Result([cmd], name=ref, text=f"Untagged: {ref}" + (
        " (the image stays: other names still point at it)" if left else ""))


def save(refs: list[str], path: str, on_progress: Callable[[int], None] | None = None) -> int:
    """``docker save -o path refs...`` into one bundle; returns its size in bytes.

    ``on_progress`` receives the number of bytes written so far. The file appears only
    once complete (written to ``path.part`` first).
    """
    command = f"docker save -o {path} {' '.join(refs)}"
    client = private_engine(LONG_TIMEOUT)
    part = path + ".part"
    written = 0
    try:
        with translating(command):
            res = client.save_response(list(refs))
            with open(part, "wb") as f:
                for chunk in res.iter_content(chunk_size=1 << 20):
                    f.write(chunk)
                    written += len(chunk)
                    if on_progress is not None:
                        on_progress(written)
        os.replace(part, path)
    finally:
        client.close()
        if os.path.exists(part):
            os.unlink(part)
    return written


def load(path: str) -> list[str]:
    """``docker load -i path``; returns the refs (or ids) the daemon reports loaded."""
    command = f"docker load -i {path}"
    loaded: list[str] = []
    client = private_engine(LONG_TIMEOUT)
    try:
        with translating(command), open(path, "rb") as f:
            for ev in client.load_image(f):
                if "error" in ev:
                    raise from_text(ev["error"], command)
                m = re.match(r"Loaded image(?: ID)?: (\S+)", ev.get("stream", "").strip())
                if m:
                    loaded.append(m.group(1))
    finally:
        client.close()
    return loaded


# ------------------------------------------------------------------ the lines read back (%docker)
# docker build's table is in build_args (beside build.py).

def _i(verb: str, usage: str, *spellings: str, **kw) -> Command:
    return register(Command("image", verb, usage, **kw), f"image {verb}", *spellings)


_i("ls", "images [OPTIONS] [REPOSITORY[:TAG]]", "images", "image list",
   flags=(Flag("all", "a"), Flag("quiet", "q")),
   refused=(R("-f --filter", "filters are not read here",
              "Give the repository (docker images nginx), or filter the table in Python."), FORMAT, NO_TRUNC,
            R("--digests", NOT_TAUGHT, "dl.image_id(REF) gives the id.", value=False)),
   max_args=1)
_i("rm", "rmi [OPTIONS] IMAGE [IMAGE...]", "rmi", "image remove", flags=(Flag("force", "f"),),
   refused=(R("--no-prune", NOT_TAUGHT, "Leave it out.", value=False),), min_args=1)
_i("history", "history [OPTIONS] IMAGE", "history",
   refused=(R("-H --human -q --quiet", NOT_TAUGHT, "Leave it out.", value=False), NO_TRUNC, FORMAT),
   min_args=1, max_args=1)
_i("inspect", "image inspect IMAGE [IMAGE...]", refused=(FORMAT_F,), min_args=1)
_i("tag", "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "tag", min_args=2, max_args=2)
_i("push", "push [OPTIONS] NAME[:TAG]", "push",
   refused=(R("-a --all-tags -q --quiet --disable-content-trust", NOT_TAUGHT, "Push one name at a time.",
              value=False),), min_args=1, max_args=1)

