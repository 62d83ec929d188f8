"""``dockerlab lab``: check the daemon, make the course images present, start JupyterLab
on the course with the first notebook open. Ctrl-C stops it; the kernels' sessions are
cleaned as they exit, and what a crashed kernel left is reaped.

    $ dockerlab lab --no-browser --port 8899
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

FIRST_NOTEBOOK = "01-running.ipynb"


def course_dir() -> Path:
    """notebooks/ next to the current folder, else next to the installed package."""
    for candidate in (Path.cwd() / "notebooks", Path(__file__).resolve().parent.parent / "notebooks"):
        if (candidate / FIRST_NOTEBOOK).exists() or candidate.is_dir():
            return candidate
    return Path.cwd()


def jupyter_command(root: Path, port: int, ip: str, no_browser: bool) -> list[str]:
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", f"--ServerApp.port={port}",
           f"--ServerApp.ip={ip}", "--ServerApp.port_retries=20"]
    if no_browser:
        cmd.append("--no-browser")
    if os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    if (root / FIRST_NOTEBOOK).exists():
        cmd.append(f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}")
    return cmd


def run_lab(port: int = 8888, ip: str = "127.0.0.1", no_browser: bool = False, offline: bool = False) -> int:
    from .core import cleanup, connection
    from .core.errors import CONNECT_HINT
    if not connection.ping():
        print("dockerlab: no Docker daemon answers at " + connection.docker_host(), file=sys.stderr)
        print("  hint: " + CONNECT_HINT, file=sys.stderr)
        print("  The notebooks still open read-only (with their stored outputs).", file=sys.stderr)
    else:
        from .kit import run_images
        if run_images(offline=offline) != 0:
            print("dockerlab: some course images are missing; the lessons that need them will say so.",
                  file=sys.stderr)
    root = course_dir()
    if not shutil.which("jupyter") and not _has_jupyterlab():
        print("dockerlab: JupyterLab is not installed (pip install jupyterlab)", file=sys.stderr)
        return 1
    cmd = jupyter_command(root, port, ip, no_browser)
    print(f"dockerlab: starting JupyterLab on {root} (http://{ip}:{port}/lab; the URL with its token follows)")
    proc = subprocess.Popen(cmd)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait()
        return 0
    finally:
        if connection.ping():
            report = cleanup.reap_orphans()
            print(f"dockerlab: stopped; {report.summary()} left by kernels that are gone")


def _has_jupyterlab() -> bool:
    import importlib.util
    return importlib.util.find_spec("jupyterlab") is not None
