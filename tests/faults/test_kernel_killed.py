"""A kernel killed with SIGKILL in the middle of each notebook: what it created is reaped
by `dockerlab clean` (and at the next start-up), and nothing of a live session is touched."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jupyter_client import KernelManager

from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine.client import engine as api

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("0*.ipynb"))


def _labelled(session: str) -> dict[str, int]:
    f = {"label": [f"dockerlab.session={session}"]}
    a = api()
    return {"containers": len(a.containers(all=True, filters=f)), "networks": len(a.networks(filters=f)),
            "volumes": len(a.volumes(filters=f).get("Volumes") or [])}


def _code_cells(nb_path: Path) -> list[str]:
    nb = json.loads(nb_path.read_text())
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_killed_kernel_is_reaped(notebook, session, uid):
    live = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"live-{uid}"))  # this process: alive
    sid = f"kill{uid}"
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(notebook.parent), env={**os.environ, "DOCKERLAB_SESSION": sid,
                                                   "DOCKERLAB_PROGRESS": f"/tmp/dockerlab-kill-{uid}.json"})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        cells = _code_cells(notebook)
        # Run until the notebook has made something and we are past its middle.
        for i, code in enumerate(cells):
            kc.execute_interactive(code, timeout=180, output_hook=lambda msg: None)
            if i >= len(cells) // 2 and sum(_labelled(sid).values()):
                break
        made = _labelled(sid)
        assert sum(made.values()), f"{notebook.stem} created nothing in its first half"
        os.kill(km.provisioner.process.pid, signal.SIGKILL)
        km.provisioner.process.wait(10)
    finally:
        kc.stop_channels()
        km.cleanup_resources()
    time.sleep(0.2)
    out = subprocess.run([sys.executable, "-m", "dockerlab", "clean"], capture_output=True, text=True,
                         env={k: v for k, v in os.environ.items() if k != "DOCKERLAB_SESSION"})
    assert out.returncode == 0, out.stderr
    assert _labelled(sid) == {"containers": 0, "networks": 0, "volumes": 0}, out.stdout
    assert api().inspect_container(live.id)["State"]["Running"], "a live session's container was touched"
