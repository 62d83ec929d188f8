"""scripts/lane_table.py: JUnit XML of the lanes -> one row per suite folder and notebook."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("lane_table", ROOT / "scripts" / "lane_table.py")
lane_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lane_table)

SUITE = """<?xml version="1.0"?><testsuites><testsuite name="pytest">
<testcase classname="tests.widgets.test_logs" name="test_a" time="1.5"/>
<testcase classname="tests.widgets.test_logs.TestX" name="test_b" time="0.5"><failure message="AssertionError: boom&#10;more"/></testcase>
<testcase classname="tests.test_no_daemon" name="test_c" time="2"/>
<testcase classname="tests.integration.test_podman" name="test_d" time="0"><skipped message="no"/></testcase>
<testcase classname="notebooks.01-running.ipynb" name="Cell 3" time="1"/>
</testsuite></testsuites>"""

NBVAL = """<?xml version="1.0"?><testsuites><testsuite name="pytest">
<testcase classname="notebooks.01-running.ipynb" name="Cell 3" time="1"><failure message="#x1B[91mNotebook cell execution failed#x1B[0m"/></testcase>
<testcase classname="notebooks.01-running.ipynb" name="Cell 4" time="2"/>
</testsuite></testsuites>"""


def test_rows_failures_and_markers(tmp_path):
    lane = tmp_path / "runs" / "docker28"
    lane.mkdir(parents=True)
    (lane / "suite.xml").write_text(SUITE)
    (lane / "nbval.xml").write_text(NBVAL)
    (lane / "suite.seconds").write_text("42\n")
    doc = tmp_path / "engines.md"
    doc.write_text(f"# Engines\nkept\n{lane_table.BEGIN}\nold table\n{lane_table.END}\nafter\n")

    status = lane_table.main(str(tmp_path / "runs"), str(doc), "docker28")

    body = doc.read_text()
    assert status == 1
    assert "old table" not in body and body.startswith("# Engines\nkept\n") and body.endswith("after\n")
    assert "| `tests/widgets` | ❌ 1/2, 2 s |" in body
    assert "| `tests/test_no_daemon.py` | ✅ 1/1, 2 s |" in body
    assert "| `tests/integration` | ⏭ 0/0 (1 skipped), 0 s |" in body
    # The separate strict-nbval run counts for the notebooks, not the suite's copy of them.
    assert "| `notebooks/01-running.ipynb` | ❌ 1/2, 3 s |" in body
    assert "docker28: suite 42 s" in body
    table, failures = lane_table.collect(tmp_path / "runs", ("docker28",))
    assert failures["docker28"] == [
        "tests.widgets.test_logs.TestX::test_b: AssertionError: boom",
        "notebooks.01-running.ipynb::Cell 3: Notebook cell execution failed",
    ]
