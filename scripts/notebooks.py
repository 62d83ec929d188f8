#!/usr/bin/env python3
"""Notebooks are written as jupytext percent-format sources (notebooks/src/NN-name.py) and built
into executed .ipynb files (notebooks/NN-name.ipynb) with their outputs and widget state.

    python scripts/notebooks.py build [NAME ...]     # convert + execute + save
    python scripts/notebooks.py convert [NAME ...]   # convert only (no outputs)
    python scripts/notebooks.py stale                # exit 1 if a notebook is older than its source

Source format: jupytext's percent format (``# %%`` code, ``# %% [markdown]``, cell tags as
``# %% tags=["solution"]``), read by ``jupytext.reads``; the small post-processors below make
the notebook ours (stable cell ids, the kernel, the source hash that ``stale`` compares).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: Cell metadata jupytext keeps only to write the text file back the same way.
JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker", "skipline",
                      "noskipline")


def source_sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


# ----------------------------------------------------------------- post-processors

def drop_jupytext_metadata(nb: nbformat.NotebookNode) -> None:
    """The built notebook is not paired with its source: no jupytext round-trip metadata."""
    nb.metadata.pop("jupytext", None)
    for cell in nb.cells:
        for key in JUPYTEXT_CELL_KEYS:
            cell.metadata.pop(key, None)


def set_kernel(nb: nbformat.NotebookNode) -> None:
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}


def stamp_source(nb: nbformat.NotebookNode, text: str) -> None:
    """The hash of the source it was built from: what ``stale`` compares."""
    nb.metadata["dockerlab"] = {"source_sha1": source_sha1(text)}


def stable_ids(nb: nbformat.NotebookNode) -> None:
    """c000, c001, ...: rebuilt notebooks diff by content, not by random ids."""
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i:03d}"


def read(text: str) -> nbformat.NotebookNode:
    """A source's text as a notebook (no outputs)."""
    nb = jupytext.reads(text, fmt="py:percent")
    drop_jupytext_metadata(nb)
    set_kernel(nb)
    stamp_source(nb, text)
    stable_ids(nb)
    return nb


# ----------------------------------------------------------------- build, convert, stale

def sources(names: list[str]) -> list[Path]:
    found = sorted(SRC.glob("*.py"))
    if names:
        found = [p for p in found if any(p.stem.startswith(n) for n in names)]
    return found


def execute(nb: nbformat.NotebookNode, folder: Path = OUT, timeout: int = 600) -> None:
    """Run every cell in a kernel started in ``folder`` (as nbval does), keeping widget state."""
    from nbclient import NotebookClient
    env_progress = tempfile.NamedTemporaryFile(prefix="dockerlab-progress-", suffix=".json", delete=False).name
    os.environ["DOCKERLAB_PROGRESS"] = env_progress  # a fresh learner: stored outputs show 0 passed first
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                       store_widget_state=True).execute()
    finally:
        os.unlink(env_progress)


def targets(src: Path) -> dict[Path, nbformat.NotebookNode]:
    """The notebooks built from one source, by the path each is written to."""
    return {OUT / f"{src.stem}.ipynb": read(src.read_text())}


def stale(names: list[str]) -> list[str]:
    bad = []
    for src in sources(names):
        sha = source_sha1(src.read_text())
        for target in targets(src):
            built = json.loads(target.read_text()) if target.exists() else {}
            if built.get("metadata", {}).get("dockerlab", {}).get("source_sha1") != sha:
                bad.append(src.stem)
                break
    return bad


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "convert", "stale"):
        print(__doc__)
        return 2
    cmd, names = argv[0], argv[1:]
    if cmd == "stale":
        bad = stale(names)
        if bad:
            print("notebooks not rebuilt from their source: " + ", ".join(bad) +
                  " (run: python scripts/notebooks.py build " + " ".join(bad) + ")")
        return 1 if bad else 0
    for src in sources(names):
        for target, nb in targets(src).items():
            if cmd == "build":
                print(f"executing {target.relative_to(OUT)} ...", flush=True)
                execute(nb, target.parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
            print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
