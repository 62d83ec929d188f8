"""Every spec's rendered ``docker ...`` line makes the same container as the toolkit.

For each spec: create through the Engine API (core.resources), inspect, remove; then run
the rendered line with the real docker CLI, inspect, remove; compare what a learner
would care about. Sequential, so fixed host ports and names never collide.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile

import pytest

from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Mount, Port
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine import client as connection
from dockerlab.engine import podman
from dockerlab.engine.client import engine as api

pytestmark = pytest.mark.docker
IMAGE = "busybox:1.36"
DOCKER = shutil.which("docker")


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def env():
    """A labelled network and volume the specs use, and a host folder to bind."""
    from dockerlab.session import cleanup
    tag = os.urandom(3).hex()
    net = f"eq-net-{tag}"
    vol = f"eq-vol-{tag}"
    NW.create(NetworkSpec(net))
    VL.create(VolumeSpec(vol))
    folder = tempfile.mkdtemp(prefix="dockerlab-eq-")
    yield {"net": net, "vol": vol, "dir": folder, "tag": tag}
    cleanup.clean_session()
    shutil.rmtree(folder, ignore_errors=True)


def specs(e) -> list[tuple[str, RunSpec, str]]:
    """(id, spec, verb): at least 15 varied specs; interactive foreground ones use create."""
    n, v, d, t = e["net"], e["vol"], e["dir"], e["tag"]
    long = "sleep 300"
    return [
        ("plain", RunSpec(IMAGE, long, name=f"eq-plain-{t}"), "run"),
        ("fixed-port", RunSpec(IMAGE, long, name=f"eq-port-{t}", ports=(Port(80, _free_port()),)), "run"),
        ("random-port-udp", RunSpec(IMAGE, long, ports=("53/udp", "8080")), "run"),
        ("all-interfaces", RunSpec(IMAGE, long, ports=(Port(443, _free_port(), "0.0.0.0"),)), "run"),
        ("env", RunSpec(IMAGE, long, env={"MODE": "dev", "GREETING": "hello world", "EMPTY": "",
                                          "QUOTE": "it's $HOME"}), "run"),
        ("named-volume", RunSpec(IMAGE, long, mounts=(f"{v}:/data",)), "run"),
        ("bind-ro", RunSpec(IMAGE, long, mounts=(f"{d}:/site:ro",)), "run"),
        ("mount-volume-ro", RunSpec(IMAGE, long, mounts=(Mount("/data", v, "volume", True, "mount"),)), "run"),
        ("mount-tmpfs", RunSpec(IMAGE, long, mounts=(Mount("/scratch", type="tmpfs", style="mount"),)), "run"),
        ("mount-bind", RunSpec(IMAGE, long, mounts=(Mount("/site", d, "bind", False, "mount"),)), "run"),
        ("network-aliases", RunSpec(IMAGE, long, network=n, aliases=("search", "api")), "run"),
        ("network-none", RunSpec(IMAGE, long, network="none"), "run"),
        ("workdir", RunSpec(IMAGE, long, workdir="/srv/app"), "run"),
        ("entrypoint", RunSpec(IMAGE, ["-c", "sleep 300"], entrypoint="sh"), "run"),
        ("entrypoint-args", RunSpec(IMAGE, "sleep 300", entrypoint=["env", "-i"]), "run"),
        ("restart-always", RunSpec(IMAGE, long, restart="unless-stopped"), "run"),
        ("restart-on-failure", RunSpec(IMAGE, long, restart="on-failure:3"), "run"),
        ("dit", RunSpec(IMAGE, None, interactive=True, tty=True), "run"),
        ("rm", RunSpec(IMAGE, long, remove=True), "run"),
        ("user", RunSpec(IMAGE, long, user="1000:1000"), "run"),
        ("labels-hostname", RunSpec(IMAGE, long, labels={"app": "shop", "tier": "web"}, hostname="shop-1"), "run"),
        ("create-it", RunSpec(IMAGE, "sh", interactive=True, tty=True, detach=False), "create"),
        ("kitchen-sink", RunSpec(IMAGE, "sh -c 'echo hi && sleep 300'", ports=("127.0.0.1::80",),
                                 env={"A": "1"}, mounts=(f"{v}:/data",), network=n, aliases=("db",),
                                 workdir="/data", restart="always", labels={"x": "y"}, lesson="02-networking"),
         "run"),
    ]


def facts(doc: dict) -> dict:
    """What must be equal: image, cmd, entrypoint, env, ports, mounts, networks and aliases,
    workdir, restart policy, tty/stdin, labels, user."""
    cfg, hc = doc["Config"], doc["HostConfig"]
    short = doc["Id"][:12]
    nets = {}
    for name, ep in (doc["NetworkSettings"]["Networks"] or {}).items():
        # The daemon adds the container's short id as an alias on user networks: not ours.
        nets[name] = sorted(a for a in (ep.get("Aliases") or []) if a != short)
    mounts = sorted((m["Type"], m.get("Name") or m.get("Source"), m["Destination"], m["RW"])
                    for m in doc.get("Mounts") or [])
    return {
        "image": cfg["Image"],
        "cmd": cfg["Cmd"],
        "entrypoint": cfg["Entrypoint"],
        "env": sorted(cfg.get("Env") or []),
        "exposed": sorted((cfg.get("ExposedPorts") or {}).keys()),
        "port_bindings": {k: sorted((b["HostIp"], b["HostPort"]) for b in v)
                          for k, v in (hc.get("PortBindings") or {}).items()},
        "mounts": mounts,
        "hc_mounts": sorted((m["Type"], m.get("Source", ""), m["Target"], bool(m.get("ReadOnly")))
                            for m in hc.get("Mounts") or []),
        "binds": sorted(b[:-3] if b.endswith(":rw") else b for b in hc.get("Binds") or []),
        "network_mode": hc["NetworkMode"],
        "networks": nets,
        "workdir": cfg["WorkingDir"],
        "restart": (hc["RestartPolicy"]["Name"] or "no", hc["RestartPolicy"]["MaximumRetryCount"]),
        "auto_remove": hc["AutoRemove"],
        "tty": cfg["Tty"],
        "stdin": cfg["OpenStdin"],
        "labels": cfg["Labels"],
        "user": cfg.get("User") or "",
        "hostname": cfg["Hostname"] if not cfg["Hostname"] == short else "<id>",
    }


def _inspect_and_remove(cid: str) -> dict:
    doc = api().inspect_container(cid)
    podman.remove_container(api(), cid, v=False)  # Podman 5 would wait its 10 s stop grace
    return doc


def _asked_bind(bind: str) -> str:
    parts = bind.split(":")
    if len(parts) < 3:
        return bind
    opts = [o for o in parts[-1].split(",") if o not in ("rw", "rprivate", "nosuid", "nodev", "rbind")]
    return ":".join(parts[:-1] + ([",".join(opts)] if opts else []))


def _podman_normalized(f: dict, spec: RunSpec) -> None:
    """What Podman fills in per container: HOSTNAME=<id> in Config.Env, and the host port it
    picked in HostConfig.PortBindings (Docker keeps "" there)."""
    fixed = {str(p.host_port) for p in spec.validated().ports if p.host_port}
    f["env"] = [e for e in f["env"] if not e.startswith("HOSTNAME=")]
    # Podman 5 writes its own mount options into HostConfig.Binds ("v:/data:rw,rprivate,nosuid,
    # nodev,rbind" for "v:/data:rw", "v:/data:rprivate,..." for "v:/data"): keep what was asked.
    f["binds"] = sorted(_asked_bind(b) for b in f["binds"])
    f["port_bindings"] = {k: [(ip, hp if hp in fixed else "") for ip, hp in v]
                          for k, v in f["port_bindings"].items()}


@pytest.mark.skipif(DOCKER is None, reason="the docker CLI is not installed")
def test_rendered_cli_makes_the_same_container(env):
    cases = specs(env)
    assert len(cases) >= 15
    differences = {}
    for case_id, spec, verb in cases:
        made = R.create(spec) if verb == "create" else R.run(spec)
        via_api = facts(_inspect_and_remove(made.id))
        line = spec.cli(verb, session_labels=True)
        out = subprocess.run(shlex.split(line), capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, f"{case_id}: `{line}` failed: {out.stderr}"
        via_cli = facts(_inspect_and_remove(out.stdout.strip().splitlines()[-1]))
        if connection.is_podman():
            _podman_normalized(via_api, spec)
            _podman_normalized(via_cli, spec)
        diff = {k: (via_api[k], via_cli[k]) for k in via_api if via_api[k] != via_cli[k]}
        if diff:
            differences[case_id] = (line, diff)
    assert not differences, "\n".join(f"{k}: {line}\n   {d}" for k, (line, d) in differences.items())


def test_learner_line_has_no_toolkit_labels(env):
    spec = RunSpec(IMAGE, "sleep 1", name="web", labels={"app": "shop"})
    assert "dockerlab." not in spec.cli()
    assert "--label app=shop" in spec.cli()
    assert "dockerlab.session=" in spec.cli(session_labels=True)
