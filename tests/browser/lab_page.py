"""What the browser tests do to a JupyterLab page: open a notebook, run all cells, wait for
the kernel, and read back what the learner sees (errors, widgets, diagrams, plots)."""
from __future__ import annotations

import time
from pathlib import Path

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_MIME = "application/vnd.jupyter.stderr"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
#: What @jupyter-widgets/jupyterlab-manager writes when a view cannot be shown.
BROKEN_WIDGET_TEXT = ("Loading widget...", "Error displaying widget", "model not found")

_PANEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.content || !w.sessionContext || !w.context || !w.context.isReady) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.content.widgets.length > 0;
}"""

_PROGRESS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  return {
    status: k ? k.status : 'none',
    pending: code.filter(c => c.promptNode && c.promptNode.textContent.includes('*')).length,
    executed: code.filter(c => c.model.executionCount !== null).length,
    total: code.length,
  };
}"""

_REPORT = """([widgetMime, stderrMime, broken]) => {
  const w = window.jupyterapp.shell.currentWidget;
  const errors = [], stderr = [], widgets = [], boxes = [];
  w.content.widgets.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    cell.model.outputs.toJSON().forEach((o, j) => {
      if (o.output_type === 'error') errors.push({cell: i, text: `${o.ename}: ${o.evalue}`});
      if (!(o.data && o.data[widgetMime])) return;
      // A widget view's output node carries no mime type: pair model outputs and views by index.
      const child = cell.outputArea.widgets[j];
      const node = child ? child.node : null;
      const text = node ? node.textContent : '';
      const bad = broken.find(b => text.includes(b));
      const view = node && node.querySelector('.jupyter-widgets');
      widgets.push({cell: i, broken: bad || null, rendered: !!view,
                    height: view ? view.getBoundingClientRect().height : 0, text: text.slice(0, 120)});
    });
    for (const el of cell.node.querySelectorAll(`.jp-OutputArea-output[data-mime-type="${stderrMime}"]`)) {
      if (el.textContent.includes('Traceback')) stderr.push({cell: i, text: el.textContent.slice(0, 500)});
    }
    // What a widget shows instead of its controls: an error box, or the connection panel.
    for (const el of cell.node.querySelectorAll('.jupyter-widgets .dl-error, .jupyter-widgets .dl-connect')) {
      if (el.getBoundingClientRect().height > 0)
        boxes.push({cell: i, kind: el.className, text: el.textContent.trim().slice(0, 300)});
    }
  });
  return {errors, stderr, widgets, boxes};
}"""

_FIND = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    out.push({w: r.width, h: r.height, visible: r.width > 0 && r.height > 0 && cs.visibility !== 'hidden'
              && cs.display !== 'none', natural: el.naturalWidth === undefined ? null : el.naturalWidth});
  }
  return out;
}"""


def open_notebook(page, lab, path: str, timeout: float = 90) -> None:
    """Open ``path`` in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.lab_url(path))
    page.wait_for_function("() => !!(window.jupyterapp && window.jupyterapp.shell)", timeout=timeout * 1000)
    page.wait_for_function(_PANEL_READY, timeout=timeout * 1000)
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # the notebook gets the width


def run_all(page, timeout: float = 420) -> dict:
    """Run all cells (not awaited in the page), then wait until no cell is queued or running
    and the kernel is idle, twice in a row. Returns the last progress reading."""
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    deadline, started, calm = time.monotonic() + timeout, False, 0
    prog: dict = {}
    while time.monotonic() < deadline:
        prog = page.evaluate(_PROGRESS)
        started = started or prog["pending"] > 0 or prog["status"] == "busy"
        if started and prog["pending"] == 0 and prog["status"] == "idle":
            calm += 1
            if calm >= 3:
                return prog
        else:
            calm = 0
        time.sleep(0.5)
    raise TimeoutError(f"run-all did not finish within {timeout}s: {prog}")


def report(page) -> dict:
    return page.evaluate(_REPORT, [WIDGET_MIME, STDERR_MIME, list(BROKEN_WIDGET_TEXT)])


def find(page, selector: str) -> list[dict]:
    """Size and visibility of every element matching ``selector`` (images: naturalWidth)."""
    return page.evaluate(_FIND, selector)


def screenshot(page, path: Path) -> None:
    """The whole notebook in one PNG: the window is made as tall as the notebook (JupyterLab
    scrolls inside a panel, so a page screenshot alone shows one screen), scrolled to the top."""
    outer = """() => { const w = window.jupyterapp.shell.currentWidget;
      return w.content.node.querySelector('.jp-WindowedPanel-outer') || w.content.node; }"""
    height = page.evaluate(f"() => ({outer})().scrollHeight")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 150, 16000)})
    page.evaluate(f"() => {{ ({outer})().scrollTop = 0; }}")
    page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
