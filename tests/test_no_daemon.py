"""Without a daemon (Binder, a laptop without Docker) every notebook still executes top to
bottom with no exception, and what it shows says how to connect one.

Each notebook runs in a kernel whose ``DOCKER_HOST`` points at a socket that does not exist;
the notebooks on disk are not changed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dockerlab.verbs.offline import OFFLINE_TEXT

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "notebooks" / "solutions").glob("*.ipynb"))
NO_DAEMON = "unix:///nonexistent"
#: What the connection panel (widgets, Lesson) says: a heading and the ways to connect.
CONNECT_TEXT = ("No Docker daemon answers", "DOCKER_HOST", "Docker Desktop", "podman.sock")


def _texts(nb) -> str:
    """Everything the executed notebook shows: outputs and the stored widget state."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts.extend(str(v) for v in out.get("data", {}).values())
    parts.append(json.dumps(nb.metadata.get("widgets", {})))
    return "\n".join(parts)


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 6, NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_a_daemon(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, "DOCKER_HOST": NO_DAEMON, "DOCKERLAB_PROGRESS": str(tmp_path / "progress.json"),
           "HOME": str(tmp_path)}
    for var in ("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKERLAB_SESSION"):
        env.pop(var, None)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute(env=env)  # a cell that raises fails the test here (CellExecutionError)

    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    tracebacks = [o["text"] for c in nb.cells for o in c.get("outputs", [])
                  if o.get("name") == "stderr" and "Traceback" in o.get("text", "")]
    assert not tracebacks, tracebacks
    shown = _texts(nb)
    assert all(t in shown for t in CONNECT_TEXT), f"{path.name}: the connection help is not shown"
    assert NO_DAEMON in shown, f"{path.name}: the panel does not say which DOCKER_HOST it tried"
    steps = shown.count(OFFLINE_TEXT)
    widgets = len(nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
                  .get("state", {}))
    assert steps or widgets, f"{path.name}: neither a widget nor a step says it did not run"
