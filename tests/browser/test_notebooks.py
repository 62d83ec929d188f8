"""Every course notebook in JupyterLab in headless Chromium: run all cells, then check what
the learner sees — no traceback, every widget view rendered, the NetworkMap diagram and the
plots on screen. A screenshot of each lands in tests/browser/screenshots/ (git-ignored)."""
from __future__ import annotations

from pathlib import Path

import pytest
from lab_page import SCREENSHOTS, find, open_notebook, report, run_all, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.docker]

NOTEBOOKS = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
#: Notebooks that show a NetworkMap (an inline SVG in a widget).
WITH_MAP = {"02-networking.ipynb", "toolkit-tour.ipynb"}
#: Notebooks that show a plot (a widget Image: StatsMonitor, LayerExplorer).
WITH_PLOT = {"01-running.ipynb", "03-images.ipynb", "toolkit-tour.ipynb"}


def test_every_course_notebook_is_tested():
    assert {"01-running.ipynb", "02-networking.ipynb", "03-images.ipynb", "04-dockerfiles.ipynb",
            "05-volumes.ipynb", "toolkit-tour.ipynb"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_the_browser(lab, page, name):
    open_notebook(page, lab, name)
    prog = run_all(page)
    lab.note_kernels()
    page.wait_for_timeout(1000)  # the last widget views attach
    seen = report(page)
    seen["maps"] = find(page, ".jp-OutputArea-output .jupyter-widgets svg.dl-network-map")
    seen["plots"] = find(page, ".jp-OutputArea-output img.widget-image")
    screenshot(page, SCREENSHOTS / f"{Path(name).stem}.png")
    js_errors = list(page.js_errors)  # before the kernel goes: the page then fails to reach it
    page.close()
    lab.shutdown_kernels(name)  # its atexit cleanup runs now, not at the end of the suite

    assert not seen["errors"], f"{name}: cells raised: {seen['errors']}"
    assert not seen["stderr"], f"{name}: tracebacks on stderr: {seen['stderr']}"
    assert prog["executed"] == prog["total"], f"{name}: not every code cell ran: {prog}"
    widgets = seen["widgets"]
    assert widgets, f"{name}: no widget output at all"
    broken = [w for w in widgets if w["broken"] or not w["rendered"] or w["height"] <= 0]
    assert not broken, f"{name}: widget views not rendered: {broken}"
    if name in WITH_MAP:
        maps = seen["maps"]
        assert any(m["visible"] for m in maps), f"{name}: no NetworkMap diagram on screen: {maps}"
    if name in WITH_PLOT:
        plots = seen["plots"]
        assert any(p["visible"] and p["natural"] for p in plots), f"{name}: no plot on screen: {plots}"
    # With a daemon, no widget shows the connection panel or an error box instead of its work.
    assert not seen["boxes"], f"{name}: widgets show errors: {seen['boxes']}"
    assert not js_errors, f"{name}: errors in the page: {js_errors}"
