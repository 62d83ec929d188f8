"""scripts/notebooks.py: one percent source, two notebooks. The learner's shows each exercise
with an empty cell and its check stored "not attempted"; no solution text reaches it (sources,
outputs or widget state); the solutions notebook is the whole source, every check passed."""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("nbscript", ROOT / "scripts" / "notebooks.py")
nbscript = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nbscript)

SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.py"))
WITH_SOLUTIONS = [p for p in SOURCES if any(nbscript.is_solution(c) for c in nbscript.read(p.read_text()).cells)]
CHECK_RESULT = re.compile(r"<div class='dl-check-result'[^>]*>(.*?)</div>", re.S)


def _solution_lines(src: Path) -> set[str]:
    """The solution cells' code lines, without blank lines and without those the lesson's own
    cells of the same source show too (``import re``; 04's ``"COPY app.sh /app/app.sh\\n"``,
    which section 5 builds as well): the lesson's text, not the answer."""
    nb = nbscript.read(src.read_text())
    lesson = "\n".join(c.source for c in nb.cells if not nbscript.is_solution(c))
    return {line.strip() for c in nb.cells if nbscript.is_solution(c)
            for line in c.source.splitlines() if line.strip() and line.strip() not in lesson}


def _strings(obj) -> list[str]:
    """Every string in a JSON document (widget state), unescaped."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def _shown(nb: nbformat.NotebookNode) -> str:
    """All a notebook holds a learner can read: cell sources, outputs, stored widget state."""
    parts = [c.source for c in nb.cells]
    for c in nb.cells:
        for out in c.get("outputs", []):
            parts += _strings(out.get("text", "")) + _strings(out.get("data", {})) + _strings(out.get("traceback", []))
    parts += _strings(nb.metadata.get("widgets", {}))
    return "\n".join(parts)


def _built(src: Path) -> tuple[Path, Path]:
    return (ROOT / "notebooks" / f"{src.stem}.ipynb",
            ROOT / "notebooks" / "solutions" / f"{src.stem}-solutions.ipynb")


def _check_results(nb: nbformat.NotebookNode) -> list[str]:
    """The stored result line of every CheckWidget (its HTML model's value)."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    values = [m["state"].get("value", "") for m in state.values() if m.get("model_name") == "HTMLModel"]
    return [CHECK_RESULT.search(v).group(1) for v in values if "dl-check-result" in v]


SAMPLE = """# %% [markdown]
# # A title
#
# Some *text*.

# %%
import dockerlab as dl
x = 1

# %% tags=["solution"]
dl.run("busybox:1.36", name="ex0-a")
# %%
# %docker ps
"""


def test_read_is_jupytext_plus_our_post_processors():
    nb = nbscript.read(SAMPLE)
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "code", "code"]
    assert nb.cells[0].source == "# A title\n\nSome *text*."
    assert nb.cells[1].source == "import dockerlab as dl\nx = 1"
    assert nb.cells[2].metadata == {"tags": ["solution"]}
    assert nb.cells[3].source == "%docker ps"  # jupytext's rule: a magic is commented out in the source
    assert [c.id for c in nb.cells] == ["c000", "c001", "c002", "c003"]
    assert "jupytext" not in nb.metadata and all(set(c.metadata) <= {"tags"} for c in nb.cells)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["dockerlab"]["source_sha1"] == nbscript.source_sha1(SAMPLE)


def test_every_lesson_has_exercises_with_solutions():
    assert {p.stem for p in WITH_SOLUTIONS} >= {"01-running", "02-networking", "03-images", "04-dockerfiles",
                                                "05-volumes"}


@pytest.mark.parametrize("src", WITH_SOLUTIONS, ids=lambda p: p.stem)
def test_learner_version_replaces_each_solution_with_one_empty_cell(src):
    full = nbscript.read(src.read_text())
    learner = nbscript.learner_version(full)
    assert not [c for c in learner.cells if nbscript.is_solution(c)]
    empty = [c for c in learner.cells if nbscript.EXERCISE_TAG in c.metadata.get("tags", [])]
    widgets = [c for c in full.cells if c.cell_type == "code" and nbscript.EXERCISE_ID.search(c.source)]
    assert len(empty) == len(widgets) > 0  # one empty cell per exercise (a run of solution cells is one)
    for cell in empty:
        assert all(line.startswith("#") for line in cell.source.splitlines()), cell.source  # nothing runs
        assert re.search(r"Exercise \d\d-[\w-]+: your turn", cell.source), cell.source
    assert {c.id for c in learner.cells} <= {c.id for c in full.cells}  # ids shared with the solutions
    assert [c.source for c in full.cells if not nbscript.is_solution(c)] == \
           [c.source for c in learner.cells if c not in empty]
    solutions = nbscript.solutions_version(full, src.stem)
    assert [c.source for c in solutions.cells[1:]] == [c.source for c in full.cells]


def test_the_solution_text_check_can_fail():
    src = WITH_SOLUTIONS[0]
    full = nbscript.read(src.read_text())
    assert _solution_lines(src) and any(line in _shown(full) for line in _solution_lines(src))


@pytest.mark.parametrize("src", WITH_SOLUTIONS, ids=lambda p: p.stem)
def test_no_solution_text_in_the_learner_notebook(src):
    learner_path, _ = _built(src)
    shown = _shown(nbformat.read(learner_path, as_version=4))
    leaked = sorted(line for line in _solution_lines(src) if line in shown)
    assert not leaked, f"{learner_path.name} shows solution lines: {leaked}"


@pytest.mark.parametrize("src", WITH_SOLUTIONS, ids=lambda p: p.stem)
def test_learner_checks_are_stored_not_attempted_and_solutions_passed(src):
    learner_path, solutions_path = _built(src)
    learner, solutions = (nbformat.read(p, as_version=4) for p in (learner_path, solutions_path))
    exercises = [c for c in learner.cells if c.cell_type == "code" and nbscript.EXERCISE_ID.search(c.source)]
    stored = _check_results(learner)
    assert len(stored) == len(exercises) > 0, stored
    assert all(">… not attempted<" in r for r in stored), stored
    passed = _check_results(solutions)
    assert len(passed) == len(exercises) and all(">✔ passed<" in r for r in passed), passed


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_built_notebooks_carry_their_source_hash(src):
    sha = nbscript.source_sha1(src.read_text())
    for path in nbscript.targets(src):
        assert path.exists(), path
        assert json.loads(path.read_text())["metadata"]["dockerlab"]["source_sha1"] == sha, path
