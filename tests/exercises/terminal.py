"""A learner at a terminal: the plain ``docker`` CLI (no dockerlab label) in a classroom scope
of its own, and a tally of what the checkers accepted and refused.

Every name a test types carries the scope (``ex1-web--cx1a2b3c4d``), so tests never touch
what others made on a shared daemon; :meth:`Learner.reset` removes only those names."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import defaultdict

from dockerlab.course import check

#: exercise -> kind (correct/wrong/fake/terminal) -> [accepted, refused]
TALLY: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))


class Learner:
    def __init__(self, monkeypatch, tmp_path):
        self.scope = "cx" + uuid.uuid4().hex[:10]
        self.tmp = tmp_path
        self.env = {**os.environ, "DOCKER_CONFIG": str(tmp_path / "docker-config")}
        self.extra_images: list[str] = []
        monkeypatch.setenv("DOCKERLAB_SCOPE", self.scope)
        monkeypatch.setenv("DOCKER_CONFIG", self.env["DOCKER_CONFIG"])

    def n(self, name: str) -> str:
        """A name as the learner types it in this classroom: ``ex1-web`` -> ``ex1-web--SCOPE``."""
        return f"{name}--{self.scope}"

    def sh(self, line: str, ok: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess:
        """One shell line, as typed in a terminal (``docker ...`` with no dockerlab label)."""
        p = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=self.env,
                           input=stdin, timeout=180, cwd=self.tmp)
        if ok:
            assert p.returncode == 0, f"{line}\n{p.stdout}\n{p.stderr}"
        return p

    def port(self, container: str, inner: int = 80) -> int:
        return int(self.sh(f"docker port {self.n(container)} {inner}").stdout.split(":")[-1].split()[0])

    def reset(self) -> None:
        """Remove every container, volume, network and image with this learner's scope (and the
        registry names it tagged): only what this test made."""
        s = self.scope
        self.sh(f"docker ps -aq --filter name=--{s} | xargs -r docker rm -fv >/dev/null", ok=False)
        self.sh(f"docker volume ls -q --filter name=--{s} | xargs -r docker volume rm >/dev/null", ok=False)
        self.sh(f"docker network ls -q --filter name=--{s} | xargs -r docker network rm >/dev/null", ok=False)
        tags = [t for t in self.sh("docker images --format '{{.Repository}}:{{.Tag}}'", ok=False).stdout.split()
                if f"--{s}" in t] + self.extra_images
        if tags:
            self.sh("docker rmi " + " ".join(tags) + " >/dev/null", ok=False)
        self.extra_images = []

    def expect(self, exercise: str, kind: str, status: str, message: str, answer: str | None = None,
               hint: str | None = None):
        """Check as the CheckWidget does, assert the exact message, count the outcome."""
        r = check(exercise, answer=answer, record=False)
        TALLY[exercise][kind][0 if r.passed else 1] += 1
        assert (r.status, r.message) == (status, message), repr(r)
        if hint is not None:
            assert hint in r.hint, repr(r)
        return r

    def expect_any(self, exercise: str, kind: str, answer: str | None = None):
        """Check and count, for a message the test then matches itself (a choice the checker makes)."""
        r = check(exercise, answer=answer, record=False)
        TALLY[exercise][kind][0 if r.passed else 1] += 1
        return r

    def terminal_check(self, exercise: str, answer: str | None = None) -> subprocess.CompletedProcess:
        """``python -m dockerlab check ID`` in another process: another session, same scope."""
        env = {**self.env, "DOCKERLAB_SCOPE": self.scope, "DOCKERLAB_SESSION": uuid.uuid4().hex[:12],
               "DOCKERLAB_PROGRESS": str(self.tmp / "progress.json")}
        argv = [sys.executable, "-m", "dockerlab", "check", exercise] + (["--answer", answer] if answer else [])
        p = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        TALLY[exercise]["terminal"][0 if p.returncode == 0 else 1] += 1
        return p


def summary() -> list[str]:
    kinds = ("correct", "wrong", "fake", "terminal")
    lines = ["exercise              " + "".join(f"{k:>14}" for k in kinds) + "   (accepted/refused)"]
    for ex in sorted(TALLY):
        cells = ("{}/{}".format(*TALLY[ex][k]) for k in kinds)
        lines.append(f"{ex:<22}" + "".join(f"{c:>14}" for c in cells))
    return lines
