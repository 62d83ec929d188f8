"""``dockerlab lab``: check the daemon, make the course images present, start JupyterLab
on the course with the first notebook open. Ctrl-C (or SIGTERM, or closing the terminal)
stops JupyterLab and its kernels; what a kernel left behind is then reaped.

    $ dockerlab lab --no-browser --port 8899
    dockerlab: JupyterLab on /work/dockerlab/notebooks at
      http://127.0.0.1:8899/lab/tree/01-running.ipynb?token=3f2a...
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from ..host.ports import first_free_port

FIRST_NOTEBOOK = "01-running.ipynb"
#: How long JupyterLab gets to shut its kernels down before it is terminated.
STOP_TIMEOUT = 20


def course_dir() -> Path:
    """notebooks/ next to the current folder, else next to the installed package."""
    for candidate in (Path.cwd() / "notebooks", Path(__file__).resolve().parents[2] / "notebooks"):
        if (candidate / FIRST_NOTEBOOK).exists() or candidate.is_dir():
            return candidate
    return Path.cwd()


def pick_port(port: int, ip: str, tries: int = 20) -> int:
    """``port`` if free, else the next free one: the URL printed is the one that answers."""
    host = "127.0.0.1" if ip in ("", "0.0.0.0", "*", "localhost") else ip
    free = first_free_port(port, host, tries)
    return port if free is None else free  # None: JupyterLab says why it cannot listen


def lab_url(ip: str, port: int, root: Path, token: str) -> str:
    host = "127.0.0.1" if ip in ("", "0.0.0.0", "*") else ip
    path = f"/lab/tree/{FIRST_NOTEBOOK}" if (root / FIRST_NOTEBOOK).exists() else "/lab"
    return f"http://{host}:{port}{path}" + (f"?token={token}" if token else "")


def jupyter_command(root: Path, port: int, ip: str, no_browser: bool, token: str | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", f"--ServerApp.port={port}",
           f"--ServerApp.ip={ip}", "--ServerApp.port_retries=0"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if no_browser:
        cmd.append("--no-browser")
    if os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    if (root / FIRST_NOTEBOOK).exists():
        cmd.append(f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}")
    return cmd


def run_lab(port: int = 8888, ip: str = "127.0.0.1", no_browser: bool = False, offline: bool = False) -> int:
    from ..engine import client as connection
    from ..engine.errors import CONNECT_HINT
    from ..session import cleanup
    if not connection.ping():
        print("dockerlab: no Docker daemon answers at " + connection.docker_host(), file=sys.stderr)
        print("  hint: " + CONNECT_HINT, file=sys.stderr)
        print("  JupyterLab starts anyway: the notebooks open and run, and each widget shows how to "
              "connect a daemon.", file=sys.stderr)
    else:
        from ..kit import run_images
        if run_images(offline=offline) != 0:
            print("dockerlab: some course images are missing; the lessons that need them will say so.",
                  file=sys.stderr)
    if not _has_jupyterlab():
        print("dockerlab: JupyterLab is not installed (pip install jupyterlab)", file=sys.stderr)
        return 1
    root = course_dir()
    port = pick_port(port, ip)
    # Our own token (or the user's JUPYTER_TOKEN) so that the URL printed here is complete.
    token = os.environ.get("JUPYTER_TOKEN") or secrets.token_hex(24)
    cmd = jupyter_command(root, port, ip, no_browser, token=None if "JUPYTER_TOKEN" in os.environ else token)
    print(f"dockerlab: JupyterLab on {root} at\n  {lab_url(ip, port, root, token)}\n"
          "  (Ctrl-C stops it and its kernels)", flush=True)
    # "Ctrl-C stops it" must hold when a script started it with SIGINT ignored (a background job
    # of a non-interactive shell, nohup): measured, kill -INT then did nothing. A handled signal
    # is also reset to its default on exec, so JupyterLab starts with SIGINT working too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    proc = subprocess.Popen(cmd)
    forwarded = _forward_signals(proc)
    try:
        code = proc.wait()
        return 0 if forwarded else code
    except KeyboardInterrupt:
        # Ctrl-C in a terminal reached JupyterLab too, which now asks "Shutdown (y/[n])?": a
        # second SIGINT is its "yes". Sent alone (kill -INT), it stops JupyterLab at once.
        _stop(proc, signal.SIGINT)
        return 0
    finally:
        if proc.poll() is None:
            _stop(proc, signal.SIGTERM)
        if connection.ping():
            report = cleanup.reap_orphans()
            print(f"dockerlab: stopped; {report.summary()} left by kernels that are gone")


def _forward_signals(proc: subprocess.Popen) -> list[int]:
    """SIGTERM and SIGHUP (kill, a closed terminal) stop JupyterLab too, never orphan it."""
    got: list[int] = []

    def forward(signum, _frame):
        got.append(signum)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    return got


def _stop(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _has_jupyterlab() -> bool:
    import importlib.util
    return importlib.util.find_spec("jupyterlab") is not None
