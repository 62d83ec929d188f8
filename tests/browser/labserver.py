"""A JupyterLab server for the browser tests: random free port, a token, HOME and learner
progress in a temporary folder, a temporary COPY of notebooks/ as its root.

Kernels started there create labelled resources on the real daemon. ``stop()`` shuts the
kernels down (their atexit cleanup runs), stops the server, removes what is left of *these*
kernels' sessions and reaps dead sessions; ``leftovers()`` lists what these kernels left.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Settings of a fresh user: every cell attached to the DOM (the default windowing detaches
# or skips off-screen cells, which hides them from the assertions and the screenshots), no
# news/update toasts covering the page.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running ``jupyter lab`` and what its kernels did."""
    proc: subprocess.Popen
    url: str
    token: str
    root: Path
    log: Path
    kernel_pids: set[int] = field(default_factory=set)
    stopped: bool = False

    # ------------------------------------------------------------- REST
    def api(self, method: str, path: str, body: dict | None = None):
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            data = r.read()
        return json.loads(data) if data else None

    def lab_url(self, path: str) -> str:
        return f"{self.url}/lab/tree/{path}?token={self.token}&reset"

    def write_notebook(self, name: str, sources: list[str]) -> str:
        """A scratch notebook in the temporary copy (code cells only)."""
        import nbformat
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                     "language": "python"}
        nbformat.write(nb, self.root / name)
        return name

    # ------------------------------------------------------------- kernels
    def note_kernels(self) -> set[int]:
        """Remember the pids of the kernels running now: the resources they create carry
        ``dockerlab.pid=<pid>``, which is how leftovers are found after they are gone."""
        import psutil
        try:
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return set()
        pids = set()
        for p in kids:
            try:
                if "ipykernel" in " ".join(p.cmdline()):
                    pids.add(p.pid)
            except psutil.Error:
                continue
        self.kernel_pids |= pids
        return pids

    def shutdown_kernels(self, path: str | None = None, timeout: float = 30) -> None:
        """Shut kernels down gracefully (of one notebook, or all): their atexit cleanup runs."""
        import psutil
        self.note_kernels()
        victims = []
        for s in self.api("GET", "/api/sessions"):
            if path is None or s.get("path") == path:
                self.api("DELETE", f"/api/sessions/{s['id']}")
                victims.append(s)
        if path is None:
            for k in self.api("GET", "/api/kernels"):
                self.api("DELETE", f"/api/kernels/{k['id']}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in self._live_kernel_pids()):
            time.sleep(0.2)

    def _live_kernel_pids(self) -> set[int]:
        import psutil
        return {p for p in self.kernel_pids if psutil.pid_exists(p)
                and psutil.Process(p).status() != psutil.STATUS_ZOMBIE}

    def leftovers(self) -> list[str]:
        """Labelled resources on the daemon created by this server's kernels."""
        from dockerlab.engine.client import engine as api
        from dockerlab.session import labels as L
        a, host = api(), socket.gethostname()
        pids = {str(p) for p in self.kernel_pids}

        def ours(lbl):
            lbl = lbl or {}
            return lbl.get(L.OWNER_HOST) == host and lbl.get(L.OWNER_PID) in pids

        f = L.any_session_filter()
        found = [f"container {c['Names'][0].lstrip('/')}" for c in a.containers(all=True, filters=f)
                 if ours(c.get("Labels"))]
        found += [f"network {n['Name']}" for n in a.networks(filters=f) if ours(n.get("Labels"))]
        found += [f"volume {v['Name']}" for v in (a.volumes(filters=f).get("Volumes") or [])
                  if ours(v.get("Labels"))]
        found += [f"image {(i.get('RepoTags') or [i['Id']])[0]}" for i in a.images(filters=f)
                  if ours(i.get("Labels"))]
        return found

    def sessions_of_kernels(self) -> set[str]:
        from dockerlab.engine.client import engine as api
        from dockerlab.session import labels as L
        a, pids, sessions = api(), {str(p) for p in self.kernel_pids}, set()
        f = L.any_session_filter()
        items = [c.get("Labels") for c in a.containers(all=True, filters=f)]
        items += [n.get("Labels") for n in a.networks(filters=f)]
        items += [v.get("Labels") for v in (a.volumes(filters=f).get("Volumes") or [])]
        items += [i.get("Labels") for i in a.images(filters=f)]
        for lbl in items:
            if lbl and lbl.get(L.OWNER_PID) in pids and lbl.get(L.OWNER_HOST) == socket.gethostname():
                sessions.add(lbl[L.SESSION])
        return sessions

    def stop(self) -> list[str]:
        """Kernels down (atexit cleans), server down, then remove what is left of our
        kernels' sessions and reap dead sessions. Returns what atexit had left behind."""
        if self.stopped:
            return []
        self.stopped = True
        try:
            self.shutdown_kernels()
        except (OSError, urllib.error.URLError):
            pass
        self.proc.send_signal(signal.SIGINT)  # no tty: jupyter stops at once, kernels included
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        left_by_atexit: list[str] = []
        from dockerlab.engine import client as connection
        from dockerlab.session import cleanup
        if connection.ping():
            left_by_atexit = self.leftovers()
            for sid in self.sessions_of_kernels():
                cleanup.clean_session(sid)
            cleanup.reap_orphans()
        return left_by_atexit


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyter lab exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"jupyter lab did not answer within {timeout}s:\n{log.read_text()[-3000:]}")


def start_lab(base: Path) -> LabServer:
    """JupyterLab on a temporary copy of notebooks/ under ``base``; answers when returned."""
    root, home = base / "notebooks", base / "home"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for rel, value in USER_SETTINGS.items():
        target = home / ".jupyter" / "lab" / "user-settings" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(value))
    port, token = free_port(), uuid.uuid4().hex
    env = {**os.environ, "HOME": str(home), "DOCKERLAB_PROGRESS": str(base / "progress.json")}
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "DOCKERLAB_SESSION",
                "JUPYTER_PLATFORM_DIRS", "JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        env.pop(var, None)
    log = base / "jupyter.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
           "--ServerApp.allow_root=True", "--LabApp.expose_app_in_browser=True",
           f"--ServerApp.root_dir={root}"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    server = LabServer(proc, f"http://127.0.0.1:{port}", token, root, log)
    try:
        _wait_http(f"{server.url}/api/status?token={token}", proc, log)
    except BaseException:
        server.stop()
        raise
    return server
