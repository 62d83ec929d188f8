#!/usr/bin/env python3
"""Notebooks are written as jupytext percent-format sources (notebooks/src/NN-name.py) and built
into executed .ipynb files (notebooks/NN-name.ipynb) with their outputs and widget state.

    python scripts/notebooks.py build [NAME ...]     # convert + execute + save
    python scripts/notebooks.py convert [NAME ...]   # convert only (no outputs)
    python scripts/notebooks.py stale                # exit 1 if a notebook is older than its source
    python scripts/notebooks.py count [NAME ...]     # learner-facing cells: docker lines vs Python

One source, two notebooks: the learner's (notebooks/NN-name.ipynb) shows each exercise with an
empty cell in place of its solution, and the solutions notebook
(notebooks/solutions/NN-name-solutions.ipynb) is the whole source, solutions run. CI runs both
under strict nbval.

Source format: jupytext's percent format (``# %%`` code, ``# %% [markdown]``, cell tags as
``# %% tags=["solution"]``), read by ``jupytext.reads``; the small post-processors below make
the notebook ours (stable cell ids, the kernel, the source hash that ``stale`` compares).
"""
from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
SOLUTIONS = OUT / "solutions"
SOLUTION_TAG = "solution"   # a source cell that solves an exercise: only in the solutions notebook
EXERCISE_TAG = "exercise"   # the learner's empty cell that takes its place
EXERCISE_ID = re.compile(r"CheckWidget\(\s*['\"]([^'\"]+)['\"]")
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


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return SOLUTION_TAG in cell.metadata.get("tags", [])


def _takes_answer(exercise_id: str) -> bool:
    sys.path.insert(0, str(ROOT))
    from dockerlab.course import base
    from dockerlab.engine.errors import DockerlabError
    try:
        return base.get(exercise_id).takes_answer
    except DockerlabError:  # an unknown id: the placeholder still says what to do
        return False


def exercise_cell(exercise_id: str | None) -> nbformat.NotebookNode:
    """The learner's empty cell: a comment saying what to do, nothing that runs."""
    what = f"Exercise {exercise_id}" if exercise_id else "Exercise"
    then = ("type your answer in the widget's Answer box, then run the check below"
            if exercise_id and _takes_answer(exercise_id) else "then run the check below (or press Check)")
    cell = nbformat.v4.new_code_cell(f"# {what}: your turn. Type your docker commands here and run this cell;\n"
                                     f"# {then}.")
    cell.metadata["tags"] = [EXERCISE_TAG]
    return cell


def learner_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The learner's notebook: each run of solution cells becomes one empty exercise cell, keeping
    the id of the run's first cell; the exercise is the one of the nearest CheckWidget above."""
    out = copy.deepcopy(nb)
    cells, exercise_id, previous_solution = [], None, False
    for cell in nb.cells:
        if not is_solution(cell):
            found = EXERCISE_ID.findall(cell.source) if cell.cell_type == "code" else []
            exercise_id = found[-1] if found else exercise_id
            cells.append(copy.deepcopy(cell))
        elif not previous_solution:
            empty = exercise_cell(exercise_id)
            empty.id = cell.id
            cells.append(empty)
        previous_solution = is_solution(cell)
    out.cells = cells
    out.metadata["dockerlab"]["variant"] = "learner"
    return out


def solutions_version(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """The whole source, solutions included, under a note that says what it is."""
    out = copy.deepcopy(nb)
    note = nbformat.v4.new_markdown_cell(
        f"**Solutions of `{stem}`**: the lesson with every exercise solved, as CI runs it. "
        f"Try the exercises in [../{stem}.ipynb](../{stem}.ipynb) first.")
    note.id = "solutions-note"
    out.cells.insert(0, note)
    out.metadata["dockerlab"]["variant"] = "solutions"
    return out


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
    """The notebooks built from one source, by the path each is written to: the learner's, and
    the solutions notebook when the source has solution cells."""
    nb = read(src.read_text())
    built = {OUT / f"{src.stem}.ipynb": learner_version(nb)}
    if any(is_solution(c) for c in nb.cells):
        built[SOLUTIONS / f"{src.stem}-solutions.ipynb"] = solutions_version(nb, src.stem)
    return built


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
    if argv and argv[0] == "count":
        return count_main(argv[1:])
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
            target.parent.mkdir(parents=True, exist_ok=True)
            if cmd == "build":
                print(f"executing {target.relative_to(OUT)} ...", flush=True)
                execute(nb, target.parent)
            nbformat.write(nb, target)
            print(f"wrote {target.relative_to(ROOT)}")
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
