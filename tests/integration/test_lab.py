"""``dockerlab lab``: JupyterLab on notebooks/ with the first lesson as the default URL, the
URL printed, HTTP answered; Ctrl-C / SIGINT / SIGTERM stop it and its kernels; without a
daemon it explains and starts anyway."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab/tree/01-running\.ipynb\?token=(\w+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """``python -m dockerlab lab --no-browser --port P`` in its own process group."""

    def __init__(self, tmp_path: Path, sigint_ignored: bool = False, **env):
        self.port = _free_port()
        full_env = {**os.environ, "HOME": str(tmp_path), "DOCKERLAB_PROGRESS": str(tmp_path / "p.json"), **env}
        full_env.pop("JUPYTER_TOKEN", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dockerlab", "lab", "--no-browser", "--port", str(self.port)],
            cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            text=True, start_new_session=True,
            # as a non-interactive shell starts a background job (or nohup): SIGINT ignored
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None)
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=lambda s=stream, k=sink: k.extend(iter(s.readline, "")), daemon=True).start()

    def wait_url(self, timeout: float = 90) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = URL.search("".join(self.out))
            if m:
                return int(m.group(1)), m.group(2)
            assert self.proc.poll() is None, f"dockerlab lab exited early:\n{''.join(self.out + self.err)}"
            time.sleep(0.1)
        raise AssertionError(f"no URL printed within {timeout}s:\n{''.join(self.out + self.err)}")

    def get(self, path: str, timeout: float = 60):
        """(status, headers, body) of a GET, not following redirects; waits for the server."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None
        opener = urllib.request.build_opener(NoRedirect)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with opener.open(f"http://127.0.0.1:{self.port}{path}", timeout=5) as r:
                    return r.status, r.headers, r.read()
            except urllib.error.HTTPError as e:
                return e.code, e.headers, e.read()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children(recursive=True)

    def stop(self, timeout: float = 60) -> int | None:
        """Its exit code, or None when it had to be killed (with its process group)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def text(self) -> str:
        return "".join(self.out + self.err)


from dockerlab.host.ports import port_free as _port_free  # noqa: E402


@pytest.mark.docker
@pytest.mark.parametrize("how", ["kill -INT", "Ctrl-C", "kill -INT, started with SIGINT ignored"])
def test_lab_serves_the_course_and_stops_on_sigint(tmp_path, how):
    lab = Lab(tmp_path, sigint_ignored=how.endswith("ignored"))
    try:
        port, token = lab.wait_url()
        assert port == lab.port
        status, headers, _ = lab.get("/")
        assert status == 302, status
        assert headers["Location"].split("?")[0].endswith("/lab/tree/01-running.ipynb"), headers["Location"]
        status, _, body = lab.get(f"/api/contents?token={token}")
        assert status == 200
        names = {item["name"] for item in json.loads(body)["content"]}
        assert {"01-running.ipynb", "toolkit-tour.ipynb"} <= names, names  # root is notebooks/
        assert lab.get("/api/contents")[0] == 403, "the server must want the token"
        status, _, body = lab.get(f"/lab/tree/01-running.ipynb?token={token}")
        assert status == 200 and b"JupyterLab" in body
        # A kernel, as a learner's open notebook would have.
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/kernels?token={token}", method="POST",
                                     data=b"{}", headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=60).read()
        deadline = time.monotonic() + 30
        while not any("ipykernel" in " ".join(p.cmdline()) for p in lab.children()):
            assert time.monotonic() < deadline, "the kernel did not start"
            time.sleep(0.2)
        family = lab.children()

        if how == "Ctrl-C":  # the terminal signals the whole foreground process group
            os.killpg(lab.proc.pid, signal.SIGINT)
        else:
            lab.proc.send_signal(signal.SIGINT)
        code = lab.stop(60)
    finally:
        lab.kill()
    assert code == 0, lab.text()
    assert "Traceback" not in lab.text(), lab.text()
    _gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, f"left running after {how}: {[p.cmdline() for p in alive]}"
    assert _port_free(port)
    assert "dockerlab: stopped;" in lab.text()


def test_lab_without_a_daemon_explains_and_starts(tmp_path):
    lab = Lab(tmp_path, DOCKER_HOST="unix:///nonexistent")
    try:
        port, token = lab.wait_url()
        assert lab.get(f"/api/status?token={token}")[0] == 200
        err = "".join(lab.err)
        assert "no Docker daemon answers at unix:///nonexistent" in err
        assert "hint:" in err and "JupyterLab starts anyway" in err
        family = lab.children()
        lab.proc.send_signal(signal.SIGTERM)  # kill: JupyterLab must not be orphaned
        code = lab.stop(60)
    finally:
        lab.kill()
    assert code == 0, lab.text()
    _gone, alive = psutil.wait_procs(family, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    assert _port_free(port)
