"""Every error a learner can cause comes back as a DockerlabError with a hint — from the
real daemon, not a mock — and leaves nothing behind."""
from __future__ import annotations

import os
import re
import shutil

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Port
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine import client as connection
from dockerlab.engine.errors import (
    Conflict,
    DaemonTooOld,
    DaemonUnreachable,
    DockerlabError,
    ImageNotFound,
    InvalidInput,
    PermissionDenied,
    translate,
)
from dockerlab.reads import tables as inventory

pytestmark = pytest.mark.docker
IMAGE = "busybox:1.36"


def _assert_clean():
    assert inventory.containers(lab_only=True).empty, "an error left a container behind"


def test_daemon_unreachable(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    connection.reset()
    try:
        with pytest.raises(DaemonUnreachable) as e:
            R.run(RunSpec(IMAGE, "true"))
        assert "DOCKER_HOST" in e.value.hint and "systemctl start docker" in e.value.hint
        assert e.value.command == "docker version"
    finally:
        monkeypatch.delenv("DOCKER_HOST")
        connection.reset()
    assert connection.ping()


def test_permission_denied_on_the_socket():
    """A user outside the docker group: fork, drop to nobody, talk to the real socket."""
    from dockerlab.engine.errors import DockerlabError
    connection.reset()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: everything it needs is imported already
        try:
            os.setgid(65534)
            os.setuid(65534)
            inventory.containers()
            msg = "no error"
        except DockerlabError as e:
            msg = f"{type(e).__name__}|{e.hint}"
        except BaseException as e:
            msg = f"raw {type(e).__name__}: {e}"
        os.write(write, msg.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    msg = os.read(read, 4096).decode()
    os.close(read)
    assert msg.startswith("PermissionDenied|"), msg
    assert "docker group" in msg


def test_image_not_found_and_not_pullable(session):
    with pytest.raises(ImageNotFound) as e:
        R.run(RunSpec("dockerlab-no-such-image:9.9", "true"))
    assert "dockerlab images --offline" in e.value.hint
    assert e.value.command.startswith("docker run")
    _assert_clean()


def test_invalid_reference_format_before_and_at_the_daemon():
    with pytest.raises(InvalidInput) as e:
        RunSpec("NGINX:latest").validated()
    assert "lowercase" in e.value.hint
    from dockerlab.engine.client import engine as api
    with pytest.raises(Exception) as raw:
        api().create_container("Bad Image!!", "true")
    err = translate(raw.value)
    assert isinstance(err, InvalidInput) and "reference" in err.hint


def test_name_already_in_use(session, uid):
    R.run(RunSpec(IMAGE, "sleep 300", name=f"dup-{uid}"))
    with pytest.raises(Conflict) as e:
        R.run(RunSpec(IMAGE, "sleep 300", name=f"dup-{uid}"))
    assert "already in use" in e.value.message and "docker rm -f" in e.value.hint
    assert len(inventory.containers(lab_only=True)) == 1


def test_port_already_allocated(session, uid):
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    R.run(RunSpec(IMAGE, "sleep 300", name=f"p1-{uid}", ports=(Port(80, port),)))
    with pytest.raises(Conflict) as e:
        R.run(RunSpec(IMAGE, "sleep 300", name=f"p2-{uid}", ports=(Port(80, port),)))
    assert "port" in e.value.message and "host port" in e.value.hint
    assert list(inventory.containers(lab_only=True)["name"]) == [f"p1-{uid}"], "failed start left a container"


def test_container_not_running(session, uid):
    c = R.create(RunSpec(IMAGE, "sleep 300", name=f"stopped-{uid}"))
    with pytest.raises(Conflict) as e:
        CT.exec_in(c.id, "ls")
    # Podman: "can only create exec sessions on running containers"
    assert re.search("is not running|on running containers", e.value.message) and "docker start" in e.value.hint


def test_network_in_use(session, uid):
    NW.create(NetworkSpec(f"busy-{uid}"))
    R.run(RunSpec(IMAGE, "sleep 300", network=f"busy-{uid}"))
    with pytest.raises(Conflict) as e:
        NW.remove(f"busy-{uid}")
    # Podman: "... has associated containers with it ...: network is being used"
    assert re.search("active endpoints|is being used", e.value.message) and "Disconnect" in e.value.hint


def test_volume_in_use(session, uid):
    VL.create(VolumeSpec(f"busy-{uid}"))
    R.run(RunSpec(IMAGE, "sleep 300", mounts=(f"busy-{uid}:/data",)))
    with pytest.raises(Conflict) as e:
        VL.remove(f"busy-{uid}")
    # Podman: "volume ... is being used by the following container(s)"
    assert re.search("in use|being used", e.value.message) and "Remove the containers" in e.value.hint


def test_bind_source_missing(session, uid):
    missing = f"/tmp/dockerlab-missing-{uid}/dir"
    with pytest.raises(InvalidInput) as e:
        RunSpec(IMAGE, "true", mounts=(f"{missing}:/data",)).validated()
    assert "mkdir -p" in e.value.hint
    # And when the daemon says it (a path that vanished between check and create):
    from dockerlab.engine.client import engine as api
    hc = api().create_host_config(mounts=[__import__("docker").types.Mount("/d", missing, type="bind")])
    if connection.is_podman():
        # Podman creates a missing bind source (Docker only does for -v): the toolkit's own
        # check above is what refuses it there.
        cid = api().create_container(IMAGE, "true", host_config=hc)["Id"]
        api().remove_container(cid, force=True)
        assert os.path.isdir(missing)
        shutil.rmtree(os.path.dirname(missing))
        return
    with pytest.raises(Exception) as raw:
        api().create_container(IMAGE, "true", host_config=hc)
    err = translate(raw.value)
    assert isinstance(err, InvalidInput) and "absolute path" in err.hint
    _assert_clean()


def test_daemon_too_old_for_a_feature():
    import docker
    old = docker.APIClient(base_url=connection.docker_host(), version="1.24")
    with pytest.raises(Exception) as raw:
        old.create_host_config(mounts=[docker.types.Mount("/d", "v")])  # --mount needs API 1.30
    err = translate(raw.value)
    assert isinstance(err, DaemonTooOld) and "newer Docker Engine" in err.hint
    if connection.is_podman():
        return  # Podman answers any API version in the URL (/v9.99/...): nothing to refuse
    too_new = docker.APIClient(base_url=connection.docker_host(), version="9.99")
    with pytest.raises(Exception) as raw:
        too_new.containers()
    assert isinstance(translate(raw.value), DaemonTooOld)


def test_command_not_in_image(session):
    with pytest.raises(InvalidInput) as e:
        R.run(RunSpec(IMAGE, "bash"))
    assert "executable file not found" in e.value.message and "sh" in e.value.hint
    _assert_clean()


def test_every_error_is_one_root():
    for cls in (Conflict, DaemonTooOld, DaemonUnreachable, ImageNotFound, InvalidInput, PermissionDenied):
        assert issubclass(cls, DockerlabError)
