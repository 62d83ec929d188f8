"""Podman as a second engine: the toolkit's basics through Podman's Docker-compatible API.

Optional (Podman is not the course's engine, and starting it costs CI time): runs only with
DOCKERLAB_PODMAN=1, which starts `podman system service` on .run/podman.sock
(scripts/podman.sh up) and points DOCKER_HOST at it for this module only, or at
DOCKERLAB_PODMAN_HOST when that is set (the podman5 lane, scripts/lane.sh). The whole suites
against Podman: `make engines` (scripts/engine-matrix.sh, table in docs/engines.md).
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine import client as connection
from dockerlab.engine import streams
from dockerlab.engine.errors import Conflict
from dockerlab.reads import events as E
from dockerlab.reads import tables as inventory
from dockerlab.session import cleanup
from dockerlab.session import labels as L

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "busybox:1.36"

pytestmark = [
    pytest.mark.podman,
    pytest.mark.skipif(not os.environ.get("DOCKERLAB_PODMAN"),
                       reason="Podman is an optional second engine: set DOCKERLAB_PODMAN=1 to start "
                              "`podman system service` (scripts/podman.sh) and test the toolkit on it"),
]


@pytest.fixture(scope="module", autouse=True)
def podman():
    """The Podman service, and DOCKER_HOST at it for this module (restored after).
    DOCKERLAB_PODMAN_HOST names a service that already runs (the podman5 lane's own, at the
    lane's default socket); otherwise scripts/podman.sh starts the host's."""
    host = os.environ.get("DOCKERLAB_PODMAN_HOST", "")
    if not host:
        up = subprocess.run(["bash", str(ROOT / "scripts/podman.sh"), "up"], capture_output=True, text=True,
                            timeout=300)
        assert up.returncode == 0, f"scripts/podman.sh up failed:\n{up.stderr}"
        host = subprocess.run(["bash", str(ROOT / "scripts/podman.sh"), "host"], capture_output=True,
                              text=True, check=True).stdout.strip()
    before = os.environ.get("DOCKER_HOST")
    os.environ["DOCKER_HOST"] = host
    connection.reset()
    try:
        yield host
    finally:
        try:
            cleanup.clean_session()
        finally:
            if before is None:
                os.environ.pop("DOCKER_HOST", None)
            else:
                os.environ["DOCKER_HOST"] = before
            connection.reset()


def _ours() -> list[dict]:
    a = connection.engine()
    f = L.session_filter()
    return [*a.containers(all=True, filters=f), *a.networks(filters=f),
            *(a.volumes(filters=f).get("Volumes") or [])]


def test_the_engine_is_podman(podman):
    info = connection.daemon_info()
    assert info["host"] == podman and info["podman"] is True and connection.is_podman()
    assert info["api_version"] in ("1.41", "1.44")  # what docker-py negotiates: 4.3 says 1.41, 5.x 1.44


def test_run_inspect_logs_ps_top_and_clean_by_label(uid):
    net = NW.create(NetworkSpec(f"pm-net-{uid}"))
    VL.create(VolumeSpec(f"pm-vol-{uid}"))
    c = R.run(RunSpec(IMAGE, "sh -c 'echo hello-podman; echo oops >&2; sleep 300'", name=f"pm-{uid}",
                      network=net.name, aliases=("api",), mounts=(f"pm-vol-{uid}:/data",)))
    doc = CT.inspect(c.name)
    assert L.is_owned(doc["Config"]["Labels"]) and doc["State"]["Running"]
    assert "api" in doc["NetworkSettings"]["Networks"][net.name]["Aliases"]
    deadline = time.monotonic() + 10
    while ("stderr", "oops") not in CT.logs(c.name).value and time.monotonic() < deadline:
        time.sleep(0.1)
    assert CT.logs(c.name).value == [("stdout", "hello-podman"), ("stderr", "oops")]  # streams told apart
    ps = inventory.containers()
    row = ps[ps["name"] == c.name].iloc[0]
    assert row["state"] == "running" and row["image"].endswith(IMAGE) and net.name in row["networks"]
    assert CT.exec_in(c.name, "cat /proc/1/cmdline").stdout.startswith("sleep")
    top = CT.top(c.name)  # host PIDs, in docker top's columns
    pid_col, cmd_col = top["Titles"].index("PID"), top["Titles"].index("CMD")
    assert [(p[pid_col], p[cmd_col]) for p in top["Processes"]] == [(str(doc["State"]["Pid"]), "sleep 300")]
    sample = streams.summarize_stats(streams.stats_sample(c.name))
    assert sample["mem_bytes"] > 0 and sample["pids"] == 1
    report = cleanup.clean_session()
    assert c.name in report.containers and report.networks and report.volumes
    assert _ours() == []


def test_images_show_the_familiar_names():
    df = inventory.images()
    assert IMAGE in {f"{r}:{t}" for r, t in zip(df["repository"], df["tag"], strict=False)}  # not docker.io/library/...


def test_events_in_dockers_words_for_one_and_every_session(uid):
    seen: dict[str, list[dict]] = {"one": [], "every": []}
    follows = {"one": streams.follow_events(E.lab_filter()), "every": streams.follow_events(E.lab_filter(True))}
    threads = [threading.Thread(target=lambda k=k, f=f: seen[k].extend(f), daemon=True) for k, f in follows.items()]
    for t in threads:
        t.start()
    try:
        c = R.run(RunSpec(IMAGE, "sleep 300", name=f"pm-ev-{uid}"))
        CT.exec_in(c.name, "true")
        CT.action(c.name, "remove")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(
                any(E.describe(e)["action"] == "destroy" for e in evs) for evs in seen.values()):
            time.sleep(0.1)
    finally:
        for f in follows.values():
            f.close()
    for key, evs in seen.items():
        acts = [E.describe(e)["action"] for e in evs if E.describe(e)["name"] == c.name]
        # Podman says remove / exec: the feed says destroy / exec_start, as the course does
        assert {"create", "start", "exec_start", "die", "destroy"} <= set(acts), (key, acts)


def test_what_podman_does_differently_is_said(uid):
    c = R.create(RunSpec(IMAGE, "sleep 300", name=f"pm-stopped-{uid}"))
    with pytest.raises(Conflict) as e:
        CT.top(c.name)  # Podman answers an empty body here; the toolkit says why
    assert "not running" in e.value.message and "Podman" in e.value.message and "docker start" in e.value.hint
    with pytest.raises(Conflict) as e:
        CT.exec_in(c.name, "ls")
    assert "running containers" in e.value.message and "docker start" in e.value.hint
