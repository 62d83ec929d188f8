"""The README's two commands on a clean Debian 12 and a clean Ubuntu 24.04.

Each machine is a debootstrapped minbase root filesystem with python3 (and bash) and its
distribution's default apt sources, imported as ``dockerlab-firstrun/SUITE`` (label
``dockerlab.infra=firstrun``; built once by tests/firstrun/rootfs.sh, then cached). In a
container of it — with the flags a second dockerd needs on this engine (shared/NOTES.md) and
its own /var/lib/docker volume — the test unpacks this checkout, then runs exactly the
commands of the README's Quickstart block, as root:

1. the lab command until the URL it prints answers with JupyterLab (HTTP 200 from /api/status
   with the token, and the lab page), then stops it with SIGTERM;
2. the test command's set-up: ``DOCKERLAB_SETUP_ONLY=1`` stops scripts/test.sh after the
   venv, the engine and the images (make test's prerequisites), then ``dockerlab doctor``
   must report the engine and every course image present.

Before, ``python3 -m venv .venv`` is run as a newcomer would: it fails (no python3-venv) and
leaves a broken .venv, which the lab command must make again. Every package the commands
install (``apt-mark showmanual`` after minus before) must be named in the README's
Quickstart: a step that needs anything unnamed fails the test.

Opt-in: DOCKERLAB_FIRSTRUN=1 (it installs JupyterLab and an engine in each machine). Times are
printed with -s. Measured here on 2 shared cores: warm (rootfs image cached, pip and apt
download caches kept) 6.6 min for Debian 12 and 8.9 min for Ubuntu 24.04; a cold run
(DOCKERLAB_FIRSTRUN_REBUILD=1 DOCKERLAB_FIRSTRUN_NOCACHE=1) adds the debootstrap (~1-3 min)
and the downloads. Most of the time is the offline image kit inside the machine.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import tarfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LABEL = "dockerlab.infra=firstrun"
#: What a dockerd inside a container needs on this engine (shared/NOTES.md, "A second engine").
ENGINE_FLAGS = ["--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE",
                "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
                "--security-opt", "systempaths=unconfined", "--device-cgroup-rule", "a *:* rwm",
                "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw"]
SUITES = {"bookworm": "Debian GNU/Linux 12", "noble": "Ubuntu 24.04"}
#: A network that intercepts TLS (this one does) needs its CA for pip: the host's bundle is
#: handed in as PIP_CERT, as a learner behind such a proxy would set it. Nothing else uses TLS.
HOST_CA = os.environ.get("DOCKERLAB_FIRSTRUN_CA") or os.environ.get("PIP_CERT") or ""
LAB_TIMEOUT = int(os.environ.get("DOCKERLAB_FIRSTRUN_TIMEOUT", "2400"))

pytestmark = [
    pytest.mark.docker,
    pytest.mark.skipif(not os.environ.get("DOCKERLAB_FIRSTRUN"),
                       reason="opt-in: DOCKERLAB_FIRSTRUN=1 (~10-15 min per distribution, cold)"),
]


def readme_quickstart() -> tuple[str, list[str]]:
    """(the Quickstart section's text, the commands of its first bash block)."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Quickstart"):]
    section = section[:section.index("\n## ", 3)]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    cmds = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    return section, [c for c in cmds if c]


def sh(*args, check=True, timeout=600, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{shlex.join(args)} exited {r.returncode}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return r


class Machine:
    def __init__(self, suite: str):
        self.suite = suite
        self.name = f"firstrun-{suite}-{uuid.uuid4().hex[:6]}"
        self.times: dict[str, float] = {}

    def start(self) -> None:
        caches = []
        if os.environ.get("DOCKERLAB_FIRSTRUN_NOCACHE") is None:
            # Downloads only (pip wheels, .deb files): every step still runs.
            for vol, path in (("firstrun-pip-cache", "/root/.cache/pip"),
                              (f"firstrun-apt-{self.suite}", "/var/cache/apt/archives")):
                sh("docker", "volume", "create", "--label", LABEL, vol)
                caches += ["-v", f"{vol}:{path}"]
        # The inner engine's own storage: a fresh labelled volume per machine, removed after.
        sh("docker", "volume", "create", "--label", LABEL, f"{self.name}-var-lib-docker")
        # --init: an init that reaps orphans, as on a real machine (sleep as PID 1 would not).
        sh("docker", "run", "-d", "--init", "--name", self.name, "--label", LABEL, "--hostname", self.suite,
           *ENGINE_FLAGS, "-v", f"{self.name}-var-lib-docker:/var/lib/docker", *caches, f"dockerlab-firstrun/{self.suite}:latest", "sleep", "infinity")

    def sh(self, script: str, check=True, timeout=600) -> subprocess.CompletedProcess:
        return sh("docker", "exec", self.name, "bash", "-c", script, check=check, timeout=timeout)

    def remove(self) -> None:
        sh("docker", "rm", "-f", "-v", self.name, check=False, timeout=120)
        sh("docker", "volume", "rm", f"{self.name}-var-lib-docker", check=False, timeout=120)


def checkout_tarball(dest: Path) -> Path:
    """This checkout's files (tracked and new, not ignored), as a download would have them."""
    files = sh("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    out = dest / "dockerlab.tar"
    with tarfile.open(out, "w") as t:
        for f in sorted(set(filter(None, files.split("\0")))):
            if (ROOT / f).exists():
                t.add(ROOT / f, arcname=f"dockerlab/{f}", recursive=False)
    return out


def wait_for(machine: Machine, log: str, pidfile: str, pattern: str, deadline: float) -> re.Match:
    while True:
        text = machine.sh(f"cat {log} 2>/dev/null || true").stdout
        m = re.search(pattern, text)
        if m:
            return m
        if machine.sh(f"kill -0 $(cat {pidfile})", check=False).returncode != 0:
            raise AssertionError(f"the lab command exited before {pattern!r}:\n{text[-4000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {pattern!r} within {LAB_TIMEOUT} s:\n{text[-4000:]}")
        time.sleep(5)


@pytest.mark.parametrize("suite", list(SUITES))
def test_readme_commands_on_a_clean_machine(suite, tmp_path):
    section, cmds = readme_quickstart()
    assert len(cmds) == 2 and "lab" in cmds[0] and "test" in cmds[1], cmds
    lab_cmd, test_cmd = cmds

    t0 = time.monotonic()
    # DOCKERLAB_FIRSTRUN_REBUILD=1 debootstraps the image again (a cold run, with _NOCACHE=1).
    sh("bash", str(HERE / "rootfs.sh"), suite, *(["--force"] if os.environ.get("DOCKERLAB_FIRSTRUN_REBUILD") else []),
       timeout=1800)
    machine = Machine(suite)
    machine.times["rootfs image"] = time.monotonic() - t0
    machine.start()
    try:
        assert SUITES[suite] in machine.sh("cat /etc/os-release").stdout
        # Clean: python3 and bash, nothing the project needs beyond them.
        assert machine.sh("command -v make || command -v git || python3 -c 'import ensurepip'",
                          check=False).returncode != 0
        before = set(machine.sh("apt-mark showmanual").stdout.split())

        sh("docker", "cp", str(checkout_tarball(tmp_path)), f"{machine.name}:/root/dockerlab.tar")
        env = ""
        if HOST_CA:
            sh("docker", "cp", "-L", HOST_CA, f"{machine.name}:/root/network-ca.pem")
            env = "export PIP_CERT=/root/network-ca.pem; "
        machine.sh("tar -C /root -xf /root/dockerlab.tar && rm /root/dockerlab.tar")
        # A newcomer's first try: fails without python3-venv and leaves a broken .venv behind.
        r = machine.sh("cd /root/dockerlab && python3 -m venv .venv", check=False)
        assert r.returncode != 0 and "ensurepip" in r.stdout + r.stderr
        assert machine.sh("test -x /root/dockerlab/.venv/bin/python", check=False).returncode == 0

        # 1. The lab command, in its own process group, until JupyterLab answers.
        t = time.monotonic()
        # The session leader writes its own pid: it is the process group that SIGTERM goes to.
        inner = f"echo $$ >/root/lab.pid; exec {lab_cmd} >/root/lab.log 2>&1"
        machine.sh(f"{env}cd /root/dockerlab && rm -f /root/lab.pid && "
                   f"(setsid bash -c {shlex.quote(inner)} </dev/null >/dev/null 2>&1 &) && "
                   "for i in $(seq 50); do [ -s /root/lab.pid ] && break; sleep 0.1; done")
        deadline = t + LAB_TIMEOUT
        url = wait_for(machine, "/root/lab.log", "/root/lab.pid",
                       r"JupyterLab on \S+ at\s+(http://127\.0\.0\.1:\d+/\S*\?token=(\w+))", deadline)
        machine.times["lab: until the URL"] = time.monotonic() - t
        base = re.match(r"(http://[^/]+)", url.group(1)).group(1)
        probe = ("import sys, time, urllib.request\n"
                 "for _ in range(120):\n"
                 "    try:\n"
                 f"        s = urllib.request.urlopen('{base}/api/status?token={url.group(2)}', timeout=5).status\n"
                 f"        p = urllib.request.urlopen('{url.group(1)}', timeout=5).read().decode()\n"
                 "        print(s, 'JupyterLab' in p); sys.exit(0)\n"
                 "    except OSError: time.sleep(1)\n"
                 "sys.exit(1)\n")
        r = machine.sh(f"python3 -c {shlex.quote(probe)}", check=False, timeout=200)
        assert r.stdout.split() == ["200", "True"], r.stdout + r.stderr
        machine.times["lab: until JupyterLab answers"] = time.monotonic() - t
        lab_log = machine.sh("cat /root/lab.log").stdout
        for line in re.findall(r"^\[\d/\d\] .* in [\d.]+ s$", lab_log, re.M):
            print(f"  {suite}: {line}")
        assert "bootstrap: installing make git python3-venv" in lab_log
        assert "is broken" in lab_log and "making it again" in lab_log
        assert "engine: dockerd answers" in lab_log
        machine.sh("kill -TERM -- -$(cat /root/lab.pid)")
        for _ in range(60):
            if machine.sh("kill -0 $(cat /root/lab.pid)", check=False).returncode != 0:
                break
            time.sleep(1)
        else:
            raise AssertionError("the lab command did not stop on SIGTERM")

        # 2. The test command's set-up: venv, engine, images; doctor says so.
        t = time.monotonic()
        r = machine.sh(f"{env}cd /root/dockerlab && DOCKERLAB_SETUP_ONLY=1 {test_cmd}", check=False, timeout=LAB_TIMEOUT)
        machine.times["test: set-up (warm)"] = time.monotonic() - t
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
        assert "set-up done" in r.stdout
        d = machine.sh("cd /root/dockerlab && .venv/bin/dockerlab doctor", check=False)
        assert d.returncode == 0, d.stdout + d.stderr
        assert re.search(r"^engine\s+\S+", d.stdout, re.M)
        assert len(re.findall(r"^image \S+\s+present$", d.stdout, re.M)) == 5, d.stdout
        assert "Traceback" not in lab_log + r.stdout + r.stderr + d.stderr

        # Nothing installed that the README does not name.
        after = set(machine.sh("apt-mark showmanual").stdout.split())
        unnamed = sorted(p for p in after - before if not re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", section))
        assert unnamed == [], f"installed but not named in the README's Quickstart: {unnamed}"
    finally:
        machine.times["total"] = time.monotonic() - t0
        print(f"\nfirstrun {suite}: " + ", ".join(f"{k} {v:.0f} s" for k, v in machine.times.items()))
        if os.environ.get("DOCKERLAB_FIRSTRUN_KEEP"):
            print(f"kept {machine.name}")
        else:
            machine.remove()
