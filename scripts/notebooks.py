#!/usr/bin/env python3
"""Notebooks are written as percent-format sources (notebooks/src/NN-name.py) and built
into executed .ipynb files (notebooks/NN-name.ipynb) with their outputs and widget state.

    python scripts/notebooks.py build [NAME ...]     # convert + execute + save
    python scripts/notebooks.py convert [NAME ...]   # convert only (no outputs)
    python scripts/notebooks.py stale                # exit 1 if a notebook is older than its source
    python scripts/notebooks.py count [NAME ...]     # learner-facing cells: docker lines vs Python

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
    if argv and argv[0] == "count":
        return count_main(argv[1:])
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


# ----------------------------------------------------------------- count (issue 11 §1)
# Lessons use %docker where a learner would type a command, Python only where it computes a
# proof. Read from the percent source on its own (no dependency on how build reads it).

WIDGETS = ("ContainerTable", "RunBuilder", "LogViewer", "StatsMonitor", "ProcessTable", "InspectViewer",
           "ExecConsole", "NetworkPanel", "NetworkMap", "ImageTable", "LayerExplorer", "BuildRunner",
           "VolumePanel", "EventLog", "CheckWidget", "ProgressWidget")
_WIDGET_NEW = re.compile(r"(?:^|[\s(,=])dl\.(" + "|".join(WIDGETS) + r")\(")
_WIDGET_VAR = re.compile(r"^\s*(\w+)\s*=\s*dl\.(?:" + "|".join(WIDGETS) + r")\(", re.M)
_DOCKER_LINE = re.compile(r"^\s*(?:\w+\s*=\s*)?%docker\s")
_CELL = re.compile(r"^# %%(?: \[(\w+)\])?(?: tags=(\[.*\]))?\s*$")


def code_cells(text: str) -> list[tuple[str, list[str]]]:
    """A percent source's code cells as (source, tags); markdown and raw cells left out."""
    cells: list[tuple[str, list[str]]] = []
    kind, tags, lines = None, [], []
    for line in [*text.splitlines(), "# %% [markdown]"]:
        m = _CELL.match(line)
        if not m:
            lines.append(line)
            continue
        body = "\n".join(lines).strip()
        if kind == "code" and body:
            cells.append((body, tags))
        kind, tags, lines = m.group(1) or "code", json.loads(m.group(2)) if m.group(2) else [], []
    return cells


def classify(cells: list[tuple[str, list[str]]]) -> dict[str, int]:
    """Learner-facing code cells (solution cells left out: they are not the learner's) by kind:
    docker (only %docker lines or a %%docker cell), mixed (%docker lines and the Python that
    proves something with their results), widget (makes or drives a widget), python (the rest);
    and lines: how many docker command lines they hold."""
    counts = dict.fromkeys(("docker", "mixed", "python", "widget", "lines"), 0)
    widget_vars: set[str] = set()
    for body, tags in cells:
        if "solution" in tags:
            continue
        code = [ln for ln in body.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        widget_vars |= set(_WIDGET_VAR.findall(body))
        if code and code[0].startswith("%%docker"):
            counts["docker"] += 1
            counts["lines"] += len(code) - 1 + bool(code[0][len("%%docker"):].strip())
            continue
        docker = [ln for ln in code if _DOCKER_LINE.match(ln)]
        counts["lines"] += len(docker)
        if docker:
            counts["docker" if len(docker) == len(code) else "mixed"] += 1
        elif _WIDGET_NEW.search(body) or any(re.search(rf"(?<![\w.-]){re.escape(v)}(\.|\s*$)", body, re.M)
                                             for v in widget_vars):
            counts["widget"] += 1
        else:
            counts["python"] += 1
    return counts


def count(names: list[str]) -> dict[str, dict[str, int]]:
    return {src.stem: classify(code_cells(src.read_text())) for src in sources(names)}


def count_main(names: list[str]) -> int:
    table = count(names)
    print(f"{'notebook':<16} {'docker':>6} {'mixed':>6} {'python':>6} {'widget':>6} {'docker lines':>12}")
    for stem, c in table.items():
        print(f"{stem:<16} {c['docker']:>6} {c['mixed']:>6} {c['python']:>6} {c['widget']:>6} {c['lines']:>12}")
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
