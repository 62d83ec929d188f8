#!/usr/bin/env python3
"""Notebooks are written as percent-format sources (notebooks/src/NN-name.py) and built
into executed .ipynb files (notebooks/NN-name.ipynb) with their outputs and widget state.

    python scripts/notebooks.py build [NAME ...]     # convert + execute + save
    python scripts/notebooks.py convert [NAME ...]   # convert only (no outputs)
    python scripts/notebooks.py stale                # exit 1 if a notebook is older than its source

Source format: cells start at lines ``# %%`` (code) or ``# %% [markdown]``; a code cell may
carry tags: ``# %% tags=["solution"]``. Markdown lines lose their leading ``# ``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
MARK = re.compile(r"^# %%(?: \[(markdown)\])?(?: tags=(\[.*\]))?\s*$")


def parse(text: str) -> nbformat.NotebookNode:
    cells, kind, tags, lines = [], None, [], []

    def flush():
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(body))
        else:
            cell = nbformat.v4.new_code_cell(body)
            if tags:
                cell.metadata["tags"] = tags
            cells.append(cell)

    for line in text.splitlines():
        m = MARK.match(line)
        if m:
            flush()
            kind = "markdown" if m.group(1) else "code"
            tags = json.loads(m.group(2)) if m.group(2) else []
            lines = []
        elif kind is not None:
            lines.append(line)
    flush()
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["dockerlab"] = {"source_sha1": hashlib.sha1(text.encode()).hexdigest()}
    for i, cell in enumerate(nb.cells):  # stable ids: diffs stay readable
        cell.id = f"c{i:03d}"
    return nb


def sources(names: list[str]) -> list[Path]:
    found = sorted(SRC.glob("*.py"))
    if names:
        found = [p for p in found if any(p.stem.startswith(n) for n in names)]
    return found


def execute(nb: nbformat.NotebookNode, timeout: int = 600) -> None:
    from nbclient import NotebookClient
    env_progress = tempfile.NamedTemporaryFile(prefix="dockerlab-progress-", suffix=".json", delete=False).name
    os.environ["DOCKERLAB_PROGRESS"] = env_progress  # a fresh learner: stored outputs show 0 passed first
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(OUT)}},
                       store_widget_state=True).execute()
    finally:
        os.unlink(env_progress)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("build", "convert", "stale"):
        print(__doc__)
        return 2
    cmd, names = argv[0], argv[1:]
    if cmd == "stale":
        bad = []
        for src in sources(names):
            target = OUT / f"{src.stem}.ipynb"
            sha = hashlib.sha1(src.read_bytes()).hexdigest()
            if not target.exists() or json.loads(target.read_text())["metadata"].get("dockerlab", {}).get("source_sha1") != sha:
                bad.append(src.stem)
        if bad:
            print("notebooks not rebuilt from their source: " + ", ".join(bad) +
                  " (run: python scripts/notebooks.py build " + " ".join(bad) + ")")
        return 1 if bad else 0
    for src in sources(names):
        nb = parse(src.read_text())
        if cmd == "build":
            print(f"executing {src.stem} ...", flush=True)
            execute(nb)
        nbformat.write(nb, OUT / f"{src.stem}.ipynb")
        print(f"wrote notebooks/{src.stem}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
