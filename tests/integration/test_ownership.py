"""The toolkit never touches what it did not create, and reaps what crashed kernels left.

Resources "of the learner" are made with the docker CLI, without the session label."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import image as IM
from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine.client import engine as api
from dockerlab.engine.errors import NotOwned
from dockerlab.reads import tables as inventory
from dockerlab.session import cleanup, labels

pytestmark = pytest.mark.docker
IMAGE = "busybox:1.36"


def sh(*args: str) -> str:
    return subprocess.run(["docker", *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def foreign(uid):
    """A container, network, volume and image tag made without dockerlab's label."""
    names = {"container": f"mine-{uid}", "network": f"mine-net-{uid}", "volume": f"mine-vol-{uid}",
             "image": f"mine-img-{uid}:1"}
    sh("network", "create", names["network"])
    sh("volume", "create", names["volume"])
    sh("run", "-d", "--name", names["container"], "--network", names["network"],
       "-v", f"{names['volume']}:/data", IMAGE, "sleep", "300")
    sh("tag", IMAGE, names["image"])
    yield names
    subprocess.run(["docker", "rm", "-f", names["container"]], capture_output=True)
    subprocess.run(["docker", "network", "rm", names["network"]], capture_output=True)
    subprocess.run(["docker", "volume", "rm", names["volume"]], capture_output=True)
    subprocess.run(["docker", "rmi", names["image"]], capture_output=True)


def _exists(kind: str, name: str) -> bool:
    return subprocess.run(["docker", kind, "inspect", name], capture_output=True).returncode == 0


def test_clean_all_leaves_unlabelled_resources_alone(foreign, session):
    others = cleanup.live_sessions() - {labels.session_id()}
    if others and not os.environ.get("CI"):
        pytest.skip(f"{len(others)} other live dockerlab session(s) on this daemon: clean --all would remove "
                    "their work (CI, which owns its daemon, always runs this)")
    R.run(RunSpec(IMAGE, "sleep 300", name=f"ours-{foreign['container']}"))
    report = cleanup.clean_all()
    assert f"ours-{foreign['container']}" in report.containers
    for kind in ("container", "network", "volume", "image"):
        assert _exists(kind, foreign[kind]), f"clean --all removed the learner's {kind}"
    assert sh("inspect", "-f", "{{.State.Running}}", foreign["container"]) == "true"


@pytest.mark.parametrize("action", ["stop", "restart", "kill", "pause", "remove"])
def test_actions_refuse_foreign_containers(foreign, action):
    with pytest.raises(NotOwned) as e:
        CT.action(foreign["container"], action)
    assert "not created by dockerlab" in e.value.message and e.value.hint
    assert sh("inspect", "-f", "{{.State.Status}}", foreign["container"]) == "running"


def test_other_paths_refuse_foreign_resources(foreign, session):
    with pytest.raises(NotOwned):
        CT.exec_in(foreign["container"], "touch /tmp/x")
    with pytest.raises(NotOwned):
        NW.remove(foreign["network"])
    with pytest.raises(NotOwned):
        VL.remove(foreign["volume"])
    with pytest.raises(NotOwned):
        IM.remove(foreign["image"])
    ours = R.run(RunSpec(IMAGE, "sleep 300"))
    with pytest.raises(NotOwned):  # our container, but the learner's network
        NW.connect(foreign["network"], ours.id)
    for kind in ("container", "network", "volume", "image"):
        assert _exists(kind, foreign[kind])


def test_tables_filter_on_the_session(foreign, session, uid):
    R.run(RunSpec(IMAGE, "sleep 300", name=f"tbl-{uid}"))
    lab = inventory.containers(lab_only=True)
    assert list(lab["name"]) == [f"tbl-{uid}"]
    everything = inventory.containers(lab_only=False)
    assert {f"tbl-{uid}", foreign["container"]} <= set(everything["name"])
    assert inventory.containers(lab_only=True, all_sessions=True)["session"].ne("").all()


def test_every_created_resource_is_labelled(session, uid):
    NW.create(NetworkSpec(f"lbl-net-{uid}"))
    VL.create(VolumeSpec(f"lbl-vol-{uid}"))
    c = R.run(RunSpec(IMAGE, "sleep 300", mounts=(f"lbl-auto-{uid}:/data",), network=f"lbl-net-{uid}"))
    sid = labels.session_id()
    assert api().inspect_container(c.id)["Config"]["Labels"][labels.SESSION] == sid
    assert api().inspect_network(f"lbl-net-{uid}")["Labels"][labels.SESSION] == sid
    # -v NAME:/path would have made an unlabelled volume: the toolkit makes it labelled first.
    for vol in (f"lbl-vol-{uid}", f"lbl-auto-{uid}"):
        assert api().inspect_volume(vol)["Labels"][labels.SESSION] == sid


CHILD = textwrap.dedent("""
    import sys, time
    from dockerlab.commands import run as R, container as CT, network as NW, volume as VL, image as IM, ownership as OWN
    from dockerlab.commands.network import NetworkSpec
    from dockerlab.commands.run import RunSpec
    from dockerlab.commands.volume import VolumeSpec
    uid = sys.argv[1]
    NW.create(NetworkSpec(f"crash-net-{uid}"))
    VL.create(VolumeSpec(f"crash-vol-{uid}"))
    for i in range(2):
        R.run(RunSpec("busybox:1.36", "sleep 300", name=f"crash-{i}-{uid}",
                      network=f"crash-net-{uid}", mounts=(f"crash-vol-{uid}:/data",)))
    print("ready", flush=True)
    time.sleep(600)
""")


def _child(uid: str) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", CHILD, uid], stdout=subprocess.PIPE, text=True,
                         env={**os.environ, "DOCKERLAB_SESSION": ""})
    assert p.stdout.readline().strip() == "ready"
    return p


@pytest.mark.parametrize("via", ["start-up", "cli"])
def test_sigkilled_session_is_reaped_live_ones_stay(foreign, via, uid):
    dead, live = _child(f"d{uid}"), _child(f"l{uid}")
    try:
        dead.send_signal(signal.SIGKILL)
        dead.wait()
        if via == "cli":
            out = subprocess.run([sys.executable, "-m", "dockerlab", "clean"], capture_output=True,
                                 text=True, env={k: v for k, v in os.environ.items() if k != "DOCKERLAB_SESSION"})
            assert out.returncode == 0, out.stderr
            assert "removed 2 containers, 1 network, 1 volume" in out.stdout
        else:
            # A new kernel's first created resource reaps dead sessions in the background.
            code = "from dockerlab.session import cleanup; print(cleanup.reap_orphans().summary())"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            assert "removed 2 containers, 1 network, 1 volume" in out.stdout, out.stderr
        assert not _exists("container", f"crash-0-d{uid}")
        assert not _exists("network", f"crash-net-d{uid}")
        assert not _exists("volume", f"crash-vol-d{uid}")
        for name in (f"crash-0-l{uid}", f"crash-1-l{uid}"):
            assert _exists("container", name), "a live session's container was reaped"
        assert _exists("network", f"crash-net-l{uid}") and _exists("volume", f"crash-vol-l{uid}")
        for kind in ("container", "network", "volume", "image"):
            assert _exists(kind, foreign[kind])
    finally:
        live.kill()
        live.wait()
        time.sleep(0.1)
        cleanup.reap_orphans()
    assert not _exists("container", f"crash-0-l{uid}")


def test_a_process_exit_removes_its_session(uid):
    """atexit cleanup (a kernel shut down normally): nothing of the session outlives it."""
    code = ("from dockerlab.commands import network as NW, run as R\n"
            "from dockerlab.commands.network import NetworkSpec\nfrom dockerlab.commands.run import RunSpec\n"
            f"NW.create(NetworkSpec('exit-net-{uid}'))\n"
            f"R.run(RunSpec('busybox:1.36', 'sleep 300', name='exit-{uid}', network='exit-net-{uid}'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert not _exists("container", f"exit-{uid}") and not _exists("network", f"exit-net-{uid}")
