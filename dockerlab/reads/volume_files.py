"""What volumes hold and who mounts them: mounts from the container list, sizes from
``docker system df``, and files read through a short-lived helper container.

A volume's files live under the daemon's data root, which the notebook may not reach
(Docker Desktop, a remote daemon). So we look inside the way a learner would: a
``docker run --rm -v VOL:/v:ro busybox:1.36 ...`` helper, created through the commands layer (so it
carries the session labels) and removed as soon as it has answered. The mount is
read-only: browsing never changes a volume.

>>> list_files("pgdata", "/")                 # doctest: +SKIP
[FileEntry(name='PG_VERSION', kind='file', size=3), ...]
"""
from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass, replace

import pandas as pd

from ..commands import container as C
from ..commands import run as R
from ..commands.result import Result
from ..commands.run import Mount, RunSpec
from ..engine.client import engine
from ..engine.errors import DockerlabError, InvalidInput, translating
from ..session import labels as L

HELPER_IMAGE = "busybox:1.36"
MOUNT_AT = "/v"
MOUNT_COLUMNS = ["container", "type", "source", "destination", "mode", "session"]
#: Reading a file shows at most this much: a notebook is no place for a 1 GB log.
MAX_READ = 64 * 1024


@dataclass(frozen=True)
class FileEntry:
    name: str
    kind: str   # file | dir | link | other
    size: int


def mounts(all_containers: bool = True) -> pd.DataFrame:
    """Every container's mounts (volumes and bind mounts): one container list call."""
    with translating("docker ps -a --format '{{.Names}} {{.Mounts}}'"):
        rows = engine().containers(all=all_containers)
    data = []
    for c in rows:
        name = (c.get("Names") or ["/"])[0].lstrip("/")
        session = (c.get("Labels") or {}).get(L.SESSION, "")
        for m in c.get("Mounts") or []:
            kind = m.get("Type", "")
            data.append({"container": name, "type": kind,
                         "source": m.get("Name") if kind == "volume" else m.get("Source", ""),
                         "destination": m.get("Destination", ""), "mode": "rw" if m.get("RW") else "ro",
                         "session": session})
    df = pd.DataFrame(data, columns=MOUNT_COLUMNS)
    return df.sort_values(["source", "container"], kind="stable").reset_index(drop=True)


def volume_sizes() -> dict[str, int]:
    """``docker system df -v``: bytes per volume (slow: the daemon walks every volume)."""
    with translating("docker system df -v"):
        vols = engine().df().get("Volumes") or []
    return {v["Name"]: int((v.get("UsageData") or {}).get("Size", -1)) for v in vols}


def _inside(path: str) -> str:
    """A path in the volume, as the helper sees it under /v; '..' cannot climb out."""
    rel = (path or "/").strip()
    if not rel.startswith("/"):
        rel = "/" + rel
    if ".." in rel.split("/"):
        raise InvalidInput(f"invalid path in the volume: {path!r}",
                           "Give a path from the volume's root, e.g. / or /conf/app.ini (no '..').")
    return posixpath.normpath(MOUNT_AT + rel)


def _helper(volume: str, argv: list[str]) -> Result:
    """Run the helper to completion, read its output, remove it: ``docker run --rm``."""
    with translating(f"docker volume inspect {shlex.quote(volume)}"):
        engine().inspect_volume(volume)  # a clear "no such volume" (run would create one)
    spec = RunSpec(HELPER_IMAGE, argv, detach=False,
                   mounts=(Mount(MOUNT_AT, volume, "volume", read_only=True),))
    cli = replace(spec, remove=True).cli()  # what it amounts to, as a learner would type it
    created = None
    try:
        created = R.create(spec)
        with translating(cli):
            a = engine()
            a.start(created.id)
            code = a.wait(created.id, timeout=60)["StatusCode"]
            out = a.logs(created.id, stdout=True, stderr=False).decode(errors="replace")
            err = a.logs(created.id, stdout=False, stderr=True).decode(errors="replace")
    finally:
        if created is not None:
            C.action(created.id, "remove")
    if code != 0:
        raise DockerlabError(err.strip().replace(MOUNT_AT, "", 1) or f"the helper exited with {code}",
                             "Check the path: list the folder first, then pick a file from it.", cli)
    return Result([cli], value=out, text=out, exit_code=code, stdout=out)


def list_files(volume: str, path: str = "/") -> tuple[list[FileEntry], str]:
    """The entries of one folder of a volume, and the CLI line that lists them."""
    where = _inside(path)
    out = _helper(volume, ["find", where, "-mindepth", "1", "-maxdepth", "1",
                           "-exec", "stat", "-c", "%F|%s|%n", "{}", "+"])
    kinds = {"regular file": "file", "regular empty file": "file", "directory": "dir", "symbolic link": "link"}
    entries = []
    for line in out.text.splitlines():
        kind, _, rest = line.partition("|")
        size, _, full = rest.partition("|")
        if full:
            entries.append(FileEntry(posixpath.basename(full), kinds.get(kind, "other"), int(size or 0)))
    return sorted(entries, key=lambda e: (e.kind != "dir", e.name)), out.line


def read_file(volume: str, path: str) -> tuple[str, str]:
    """The start of one file of a volume (at most MAX_READ bytes), and the CLI line."""
    where = _inside(path)
    if where == MOUNT_AT:
        raise InvalidInput("that is the volume's root folder, not a file", "Pick a file, e.g. /index.html.")
    out = _helper(volume, ["head", "-c", str(MAX_READ), where])
    return out.text, out.line
