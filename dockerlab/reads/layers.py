"""An image's layers, and the layers two images share: pure data for the LayerExplorer.

``docker history`` lists an image's build steps (newest first); ``RootFS.Layers`` in
``docker image inspect`` lists its filesystem layers (oldest first) by content digest.
Metadata steps (ENV, CMD, LABEL...) add no layer: the history API does not say which
steps are empty, so we tell them apart the way the classic builder writes them
(``#(nop)`` without COPY/ADD) and check the count against RootFS.

Two images share a layer on disk when they share the whole chain below it, so the
shared layers are the common prefix of their RootFS lists.

>>> shared_layers("app:v1", "app:v2").count_line()     # doctest: +SKIP
'shared layers: 1 of 3'
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

import pandas as pd

from ..engine import podman
from ..engine.client import engine
from ..engine.errors import translating
from ..session import labels as L
from .tables import age, human_size

LAYER_COLUMNS = ["step", "created_by", "size", "bytes", "empty_layer", "layer", "created", "id"]
_NOP = re.compile(r"#\(nop\)\s*(\w+)")


def _is_empty(created_by: str) -> bool:
    m = _NOP.search(created_by or "")
    return bool(m) and m.group(1).upper() not in ("COPY", "ADD")


def _short(digest: str) -> str:
    return digest.split(":")[-1][:12] if digest else ""


def _instruction(created_by: str) -> str:
    """One step in one wording, whichever builder wrote it: the classic builder's
    ``/bin/sh -c #(nop)  CMD ["sh"]`` and BuildKit's ``CMD ["sh"]`` are both ``CMD ["sh"]``;
    ``/bin/sh -c echo hi`` and ``RUN /bin/sh -c echo hi # buildkit`` are both ``RUN echo hi``."""
    text = (created_by or "").strip()
    text = re.sub(r"\s+# buildkit$", "", text)
    m = re.search(r"#\(nop\)\s*(.*)$", text)
    if m:
        return m.group(1).strip()
    if text.startswith("RUN /bin/sh -c "):
        return "RUN " + text[len("RUN /bin/sh -c "):]
    if text.startswith("/bin/sh -c "):
        return "RUN " + text[len("/bin/sh -c "):]
    return text or "(imported root filesystem)"


def root_layers(ref: str) -> list[str]:
    """The image's filesystem layer digests, oldest first (``RootFS.Layers``)."""
    with translating(f"docker image inspect {shlex.quote(ref)}"):
        return list((engine().inspect_image(ref).get("RootFS") or {}).get("Layers") or [])


def history(ref: str) -> pd.DataFrame:
    """``docker history`` oldest first, each step with its layer digest ('' when empty)."""
    with translating(f"docker history {shlex.quote(ref)}"):
        rows = list(reversed(engine().history(ref)))
    digests = root_layers(ref)
    empty = [_is_empty(r.get("CreatedBy", "")) for r in rows]
    if sum(not e for e in empty) != len(digests):
        # Another builder wrote the history: trust sizes, newest non-empty steps last.
        empty = [int(r.get("Size") or 0) == 0 for r in rows]
    layer_iter = iter(digests)
    data = []
    for i, (r, is_empty) in enumerate(zip(rows, empty, strict=False), start=1):
        if is_empty and podman.label_step(r.get("CreatedBy", ""), L.PREFIX):
            continue  # the toolkit's own ownership labels, not a step the learner wrote
        data.append({
            "step": i,
            "created_by": _instruction(r.get("CreatedBy", "")),
            "size": human_size(int(r.get("Size") or 0)),
            "bytes": int(r.get("Size") or 0),
            "empty_layer": is_empty,
            "layer": "" if is_empty else next(layer_iter, ""),
            "created": age(r.get("Created")),
            "id": _short(r.get("Id", "")) if r.get("Id") != "<missing>" else "<missing>",
        })
    return pd.DataFrame(data, columns=LAYER_COLUMNS)


@dataclass(frozen=True)
class SharedLayers:
    """What two images have in common: a table over the union of their layers."""
    a: str
    b: str
    table: pd.DataFrame   # columns: layer, created_by, size, in_a, in_b, shared
    shared: int           # layers shared on disk (common prefix of RootFS.Layers)
    total: int            # distinct layers of the two images together
    shared_history: int   # build steps the two histories have in common (cache hits)

    def count_line(self) -> str:
        return f"shared layers: {self.shared} of {self.total}"


def _step_key(row) -> tuple:
    """A history step is the same step when it has the same id (built here), else when
    it says the same thing and adds the same bytes (pulled: ids are <missing>)."""
    return (row["id"],) if row["id"] not in ("", "<missing>") else (row["created_by"], row["bytes"])


def shared_layers(a: str, b: str) -> SharedLayers:
    """Compare two images by RootFS digests (what is stored once) and by history."""
    ha, hb = history(a), history(b)
    la, lb = root_layers(a), root_layers(b)
    prefix = 0
    for x, y in zip(la, lb, strict=False):
        if x != y:
            break
        prefix += 1
    steps = 0
    for (_, ra), (_, rb) in zip(ha.iterrows(), hb.iterrows(), strict=False):
        if _step_key(ra) != _step_key(rb):
            break
        steps += 1

    def described(h: pd.DataFrame) -> dict[str, tuple[str, str]]:
        return {r["layer"]: (r["created_by"], r["size"]) for _, r in h.iterrows() if r["layer"]}

    da, db = described(ha), described(hb)
    rows = []
    for d in la[:prefix]:
        rows.append((d, *da.get(d, ("", "")), True, True, True))
    for d in la[prefix:]:
        rows.append((d, *da.get(d, ("", "")), True, d in lb, False))
    for d in lb[prefix:]:
        if d not in la:
            rows.append((d, *db.get(d, ("", "")), False, True, False))
    table = pd.DataFrame([{"layer": _short(d), "created_by": c, "size": s, "in_a": ia, "in_b": ib, "shared": sh}
                          for d, c, s, ia, ib, sh in rows],
                         columns=["layer", "created_by", "size", "in_a", "in_b", "shared"])
    return SharedLayers(a, b, table, prefix, len(set(la) | set(lb)), steps)


class _ChunkReader:
    """A file object over a stream of byte chunks (``docker save``), for tarfile's stream mode."""

    def __init__(self, chunks):
        self._it, self._buf = iter(chunks), b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            try:
                self._buf += next(self._it)
            except StopIteration:
                break
        if n < 0:
            n = len(self._buf)
        out, self._buf = self._buf[:n], self._buf[n:]
        return out


def layer_files(ref: str) -> list[set[str]]:
    """The paths each filesystem layer of an image adds or changes, oldest layer first
    (``docker save`` read as a stream, nothing written to disk). Meant for small images:
    every layer, the base's too, passes through."""
    import json
    import tarfile
    by_path: dict[str, set[str]] = {}
    order: list[str] = []
    with translating(f"docker save {shlex.quote(ref)}"):
        chunks = engine().get_image(ref)
        with tarfile.open(fileobj=_ChunkReader(chunks), mode="r|") as outer:
            for member in outer:
                f = outer.extractfile(member) if member.isfile() else None
                if f is None:
                    continue
                if member.name == "manifest.json":
                    order = json.loads(f.read())[0]["Layers"]
                elif not member.name.endswith((".json", "repositories", "oci-layout")):
                    # a layer: "<id>/layer.tar" (classic) or "blobs/sha256/<hex>" (Engine 25+, OCI)
                    try:
                        with tarfile.open(fileobj=f, mode="r|*") as layer:
                            by_path[member.name] = {m.name.lstrip("./") for m in layer}
                    except tarfile.ReadError:
                        pass  # a config or index blob, not a layer
    return [by_path.get(p, set()) for p in order]
