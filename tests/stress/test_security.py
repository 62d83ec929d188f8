"""Issue 6 §4: security defaults.

- Published ports bind 127.0.0.1 unless a host IP is given (RunSpec, RunBuilder, ops.run):
  HostConfig.PortBindings, and the address really listening on the host.
- No ``--privileged``, no Docker socket in a container: not in any notebook source or kit
  recipe, not possible through a spec; refused bind mounts say why.
- The registry password is generated per start and never stored in a notebook; no generated
  secret an exercise prints is stored in committed outputs.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import fields
from pathlib import Path

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands import validate as V
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Mount, Port
from dockerlab.engine.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(ROOT.glob("notebooks/*.ipynb")) + sorted(ROOT.glob("notebooks/solutions/*.ipynb"))
SOURCES = sorted(ROOT.glob("notebooks/src/*.py"))
RECIPES = [p for p in (ROOT / "dockerlab/kit/recipes").rglob("*") if p.is_file()]


# ----------------------------------------------------------------------------- ports

def _listening(port: int) -> set[str]:
    """Host addresses listening on TCP ``port`` (from /proc/net/tcp and tcp6)."""
    out = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, _, hexport = local.partition(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A: LISTEN
                if width == 8:
                    out.add(".".join(str(b) for b in reversed(bytes.fromhex(addr))))
                else:
                    out.add("v6:" + addr)
    return out


def _bindings(cid: str) -> list[dict]:
    doc = CT.inspect(cid)
    return [b for binds in (doc["HostConfig"]["PortBindings"] or {}).values() for b in binds]


def _published(cid: str) -> list[dict]:
    doc = CT.inspect(cid)
    return [b for binds in (doc["NetworkSettings"]["Ports"] or {}).values() for b in binds or []]


def test_port_default_is_loopback_without_daemon():
    assert Port.parse("8080:80").host_ip == "127.0.0.1"
    assert Port.parse("80").host_ip == "127.0.0.1"
    assert Port(80).host_ip == "127.0.0.1"
    assert "-p 127.0.0.1:8080:80" in RunSpec("nginx:1.25", ports=["8080:80"]).cli()
    assert Port.parse("0.0.0.0:8080:80").host_ip == "0.0.0.0"  # only when asked


@pytest.mark.docker
def test_run_spec_publishes_on_loopback(session):
    made = R.run(RunSpec("busybox:1.36", "sleep 60", ports=["80"]))
    binds = _bindings(made.id)
    assert binds and all(b["HostIp"] == "127.0.0.1" for b in binds)
    published = _published(made.id)
    assert published and {b["HostIp"] for b in published} == {"127.0.0.1"}
    port = int(published[0]["HostPort"])
    listening = _listening(port)
    assert listening == {"127.0.0.1"}, listening  # docker-proxy listens on loopback only


@pytest.mark.docker
def test_explicit_host_ip_is_honoured(session):
    made = R.run(RunSpec("busybox:1.36", "sleep 60", ports=["0.0.0.0::80"]))
    assert {b["HostIp"] for b in _bindings(made.id)} == {"0.0.0.0"}
    port = int(_published(made.id)[0]["HostPort"])
    assert "0.0.0.0" in _listening(port)


@pytest.mark.docker
def test_run_builder_publishes_on_loopback(session):
    from dockerlab.widgets import run_builder as RB
    w = RB.RunBuilder(image="busybox:1.36", command="sleep 60", ports="80")
    try:
        assert "-p 127.0.0.1::80" in w.preview_line
        w.run_button.click()
        assert w.wait_idle(60) and w.last_error is None, w.last_error
        cid = w.result["id"]
        assert {b["HostIp"] for b in _bindings(cid)} == {"127.0.0.1"}
        assert _listening(int(_published(cid)[0]["HostPort"])) == {"127.0.0.1"}
    finally:
        w.close()


@pytest.mark.docker
def test_ops_run_publishes_on_loopback(session):
    import dockerlab.verbs as ops
    done = ops.run("busybox:1.36", "sleep 60", ports=["80"])
    assert "-p 127.0.0.1::80" in done.cli[0]
    cid = done.value.id
    assert {b["HostIp"] for b in _bindings(cid)} == {"127.0.0.1"}
    assert _listening(int(_published(cid)[0]["HostPort"])) == {"127.0.0.1"}


@pytest.mark.docker
def test_containers_are_never_privileged(session):
    made = R.run(RunSpec("busybox:1.36", "sleep 60"))
    host = CT.inspect(made.id)["HostConfig"]
    assert host["Privileged"] is False
    assert not host.get("CapAdd")
    assert not any("docker.sock" in b for b in host.get("Binds") or [])
    # and no spec field could ask for it
    assert not {f.name for f in fields(RunSpec)} & {"privileged", "cap_add", "devices", "pid_mode", "security_opt"}


# ----------------------------------------------------------------------------- static scans

PRIVILEGED = re.compile(r"--privileged|privileged\s*=\s*True|\"Privileged\"\s*:\s*true|--cap-add|cap_add",
                        re.IGNORECASE)
SOCKET_MOUNT = re.compile(r"(docker|podman|containerd)\.sock\s*:|source=[^,\s]*\.sock|/var/run:|/run:")


def _notebook_sources() -> list[tuple[str, str]]:
    out = [(str(p), p.read_text()) for p in SOURCES]
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text())["cells"]
        out += [(f"{nb}#{i}", "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "code"]
    return out


def test_no_privileged_or_socket_in_course_code():
    assert NOTEBOOKS and SOURCES and RECIPES
    texts = _notebook_sources() + [(str(p), p.read_text(errors="replace")) for p in RECIPES]
    for where, text in texts:
        for line in text.splitlines():
            assert not PRIVILEGED.search(line), (where, line)
            if SOCKET_MOUNT.search(line):
                # The only place a socket mount may appear is a demonstration of its refusal.
                assert re.search(r"refus|attempt\(|NBVAL_RAISES", line + text[:0]), (where, line)


# ----------------------------------------------------------------------------- refused bind mounts

@pytest.mark.parametrize("source", sorted(V.REFUSED_BIND_SOURCES))
def test_refused_bind_mount_says_why(source):
    with pytest.raises(InvalidInput) as e:
        Mount.parse(f"{source}:/host")
    assert e.value.message.startswith(f"refused to bind-mount {source}")
    assert V.REFUSED_BIND_SOURCES[source] in e.value.message  # the reason, in words
    assert e.value.hint


def test_socket_refused_by_any_name(tmp_path):
    """A symlink to the socket, a folder holding it, a socket under another name."""
    import socket as so
    link = tmp_path / "innocent"
    link.symlink_to("/var/run/docker.sock")
    runlink = tmp_path / "rundir"
    runlink.symlink_to("/run")
    other = so.socket(so.AF_UNIX)
    odd = tempfile.mktemp(prefix="dl-sec-", suffix=".data")
    other.bind(odd)
    try:
        for src in (str(link), str(runlink), "/run/containerd", odd, "/var/run/docker.sock"):
            with pytest.raises(InvalidInput, match="refused to bind-mount") as e:
                RunSpec("busybox:1.36", mounts=[f"{src}:/x"]).validated()
            assert "root" in e.value.message and e.value.hint
        with pytest.raises(InvalidInput, match="refused to bind-mount"):  # the local driver's bind, too
            from dockerlab.commands.volume import VolumeSpec
            VolumeSpec("v1", options={"type": "none", "o": "bind", "device": str(link)}).validated()
    finally:
        other.close()
        os.unlink(odd)


# ----------------------------------------------------------------------------- secrets

def test_registry_password_is_new_per_start():
    from dockerlab.commands import registry
    from dockerlab.verbs import registry as registry_verbs
    pw = {registry.new_password() for _ in range(50)}
    assert len(pw) == 50 and all(len(p) >= 16 for p in pw)
    # registry_start asks for a fresh one each time it starts a registry
    src = Path(registry_verbs.__file__).read_text()
    start = src[src.index("def registry_start"):]
    assert "core_registry.new_password()" in start.split("\ndef ")[0]
    assert "password" not in repr(registry.Registry("r", "127.0.0.1:1", "u", "s3cret-value"))


def _stored_texts(nb: Path) -> list[str]:
    """Everything a saved notebook keeps besides its sources: outputs and widget state."""
    d = json.loads(nb.read_text())
    out = [json.dumps(o) for c in d["cells"] for o in c.get("outputs", [])]
    out.append(json.dumps(d.get("metadata", {}).get("widgets", {})))
    return out


SECRET_VALUE = re.compile(r"(?i)(?:[A-Z_]*PASSWORD|passwd|secret|token)\s*[=:]\s*['\"]?([^\s'\"\\,<)]+)")
MASKS = {"********", "...", "…", "PASS", "set", "USER", ""}


def test_no_secret_in_stored_outputs():
    assert NOTEBOOKS
    for nb in NOTEBOOKS:
        source = "\n".join(t for _w, t in _notebook_sources() if _w.startswith(str(nb)))
        src_py = ROOT / "notebooks/src" / (nb.stem.removesuffix("-solutions") + ".py")
        if src_py.exists():
            source += src_py.read_text()
        for text in _stored_texts(nb):
            # A generated secret (ex1-secret's password, the registry's) is never stored.
            assert not re.search(r"GENERATED PASSWORD: [0-9a-f]{8,}", text), nb
            for m in SECRET_VALUE.finditer(text):
                value = m.group(1)
                # A value shown must be a mask, or a fixed demo value written in the notebook's
                # own source (no secret: anyone reading the source sees it); never generated.
                assert value in MASKS or value.startswith("$") or value in source, (nb.name, m.group(0))


def test_registry_and_secret_values_absent_from_outputs():
    """The values the solution cells generate have the shapes of token_urlsafe(12) (registry)
    and 16 hex digits (ex1-secret); neither may follow a password word in stored outputs."""
    generated = re.compile(r"(?i)(password|passwd|secret)[^\n]{0,40}?\b([A-Za-z0-9_-]{16}|[0-9a-f]{16})\b")
    for nb in NOTEBOOKS:
        for text in _stored_texts(nb):
            for m in generated.finditer(text):
                assert not re.fullmatch(r"[0-9a-f]{16}|(?=.*\d)(?=.*[A-Z])[A-Za-z0-9_-]{16}", m.group(2)), (
                    nb.name, m.group(0))
