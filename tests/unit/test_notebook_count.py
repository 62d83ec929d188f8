"""`python scripts/notebooks.py count`: the lessons keep their docker lines (issue 11 §1).

Lessons use %docker where a learner would type a command; Python stays only where it computes
a proof. The floors are the counts measured when the lessons were converted: a cell turned
back into ``dl.run(...)`` lowers a count and fails here.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("notebooks_script", ROOT / "scripts" / "notebooks.py")
notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(notebooks)

#: docker command lines in learner-facing cells, per lesson (measured; raise them, never lower)
FLOOR_LINES = {"01-running": 20, "02-networking": 16, "03-images": 13, "04-dockerfiles": 12, "05-volumes": 27}
#: learner-facing cells that are docker lines only
FLOOR_DOCKER_CELLS = {"01-running": 13, "02-networking": 5, "03-images": 9, "04-dockerfiles": 10, "05-volumes": 21}


def test_every_lesson_keeps_its_docker_lines():
    counts = notebooks.count([])
    for lesson, floor in FLOOR_LINES.items():
        assert counts[lesson]["lines"] >= floor, (lesson, counts[lesson])
        assert counts[lesson]["docker"] >= FLOOR_DOCKER_CELLS[lesson], (lesson, counts[lesson])


def test_cells_are_classified_by_what_the_learner_sees():
    source = "\n".join([
        "# %%", "import dockerlab as dl",
        "# %% [markdown]", "# %docker run in prose is no cell",
        "# %%", "%docker run -d --name web nginx:1.25",
        "# %%", "%%docker", "network create n", "# a comment", "run -d --network n busybox:1.36 sleep 9",
        "# %%", "r = %docker exec web ls", 'print("ok:", r.value == 0)',
        "# %%", 'panel = dl.NetworkPanel()', "panel",
        "# %%", "panel.refresh()",
        "# %%", "n4_panel_free = 1  # a name that only contains a widget's",
        '# %% tags=["solution"]', "%docker run -d --name ex1-web nginx:1.25",
    ])
    assert notebooks.classify(notebooks.code_cells(source)) == \
        {"docker": 2, "mixed": 1, "python": 2, "widget": 2, "lines": 4}


def test_count_prints_a_row_per_notebook():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "notebooks.py"), "count", "01", "05"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].split() == ["notebook", "docker", "mixed", "python", "widget", "docker", "lines"]
    assert [row.split()[0] for row in out[1:]] == ["01-running", "05-volumes"]
