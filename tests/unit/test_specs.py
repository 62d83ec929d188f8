"""Specs: validation with hints, and the CLI line a learner would type. No daemon."""
from __future__ import annotations

import pytest

from dockerlab.commands.build import BuildSpec
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Mount, Port
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine.errors import InvalidInput


@pytest.mark.parametrize("spec, line", [
    (RunSpec("nginx:1.25", name="web", ports=["8080:80"]), "docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25"),
    (RunSpec("nginx"), "docker run -d nginx"),
    (RunSpec("busybox:1.36", "echo hi", detach=False, remove=True), "docker run --rm busybox:1.36 echo hi"),
    (RunSpec("debian:bookworm-slim", "bash", interactive=True, tty=True, detach=False),
     "docker run -it debian:bookworm-slim bash"),
    (RunSpec("busybox:1.36", interactive=True, tty=True, name="box"), "docker run -dit --name box busybox:1.36"),
    (RunSpec("busybox:1.36", "sh -c 'echo $HOME'", detach=False), "docker run busybox:1.36 sh -c 'echo $HOME'"),
    (RunSpec("postgres:15", env={"POSTGRES_PASSWORD": "s3cret pass"}, mounts=["pgdata:/var/lib/postgresql/data"]),
     "docker run -d -e 'POSTGRES_PASSWORD=s3cret pass' -v pgdata:/var/lib/postgresql/data postgres:15"),
    (RunSpec("nginx:1.25", ports=[Port(80, 8080, "0.0.0.0")]), "docker run -d -p 0.0.0.0:8080:80 nginx:1.25"),
    (RunSpec("nginx:1.25", ports=["80"]), "docker run -d -p 127.0.0.1::80 nginx:1.25"),
    (RunSpec("busybox:1.36", network="app", aliases=["search"]),
     "docker run -d --network app --network-alias search busybox:1.36"),
    (RunSpec("busybox:1.36", mounts=[Mount("/t", type="tmpfs", style="mount")]),
     "docker run -d --mount type=tmpfs,target=/t busybox:1.36"),
    (RunSpec("busybox:1.36", "-c ls", entrypoint="sh"), "docker run -d --entrypoint sh busybox:1.36 -c ls"),
    (RunSpec("busybox:1.36", restart="unless-stopped", workdir="/app"),
     "docker run -d -w /app --restart unless-stopped busybox:1.36"),
    (RunSpec("busybox:1.36", "sh", interactive=True, tty=True), "docker run -dit busybox:1.36 sh"),
])
def test_cli_line(spec, line):
    assert spec.cli() == line


def test_create_verb_has_no_detach_flag():
    assert RunSpec("busybox:1.36", "sh", interactive=True, tty=True, name="c1").cli("create") == \
        "docker create -it --name c1 busybox:1.36 sh"


def test_entrypoint_with_arguments_moves_them_into_the_command():
    s = RunSpec("busybox:1.36", "sleep 1", entrypoint="env -i").validated()
    assert s.entrypoint == ["env"] and s.command == ["-i", "sleep", "1"]


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(image=""), "Name an image"),
    (dict(image="Nginx"), "lowercase"),
    (dict(image="nginx latest"), "no spaces"),
    (dict(image="nginx::1"), "reference"),
    (dict(image="busybox:1.36", name="a"), "2 to 128"),
    (dict(image="busybox:1.36", name="-web"), "starting"),
    (dict(image="busybox:1.36", ports=["0:80"]), "1 to 65535"),
    (dict(image="busybox:1.36", ports=["65536:80"]), "1 to 65535"),
    (dict(image="busybox:1.36", ports=["http:80"]), "1 to 65535"),
    (dict(image="busybox:1.36", ports=["8080:80", "8080:81"]), "published once"),
    (dict(image="busybox:1.36", ports=["999.1.1.1:80:80"]), "127.0.0.1"),
    (dict(image="busybox:1.36", ports=["80/xtp"]), "udp"),
    (dict(image="busybox:1.36", env={"1BAD": "x"}), "not starting with a digit"),
    (dict(image="busybox:1.36", env={"A=B": "x"}), "letters, digits"),
    (dict(image="busybox:1.36", mounts=["data:relative"]), "absolute"),
    (dict(image="busybox:1.36", mounts=["./site:/site"]), "absolute path"),
    (dict(image="busybox:1.36", mounts=["/:/host"]), "whole host"),
    (dict(image="busybox:1.36", mounts=["/etc:/x"]), "configuration"),
    (dict(image="busybox:1.36", mounts=["/etc/passwd:/x"]), "configuration"),
    (dict(image="busybox:1.36", mounts=["/var/run/docker.sock:/var/run/docker.sock"]), "root"),
    (dict(image="busybox:1.36", mounts=["/tmp/../etc:/x"]), "'..'"),
    (dict(image="busybox:1.36", mounts=["data:/"]), "below /"),
    (dict(image="busybox:1.36", mounts=["aa:/d", "bb:/d"]), "once"),
    (dict(image="busybox:1.36", aliases=["db"]), "network too"),
    (dict(image="busybox:1.36", network="host", ports=["80"]), "bridge"),
    (dict(image="busybox:1.36", restart="sometimes"), "on-failure"),
    (dict(image="busybox:1.36", restart="always", remove=True), "--rm"),
    (dict(image="busybox:1.36", workdir="app"), "absolute"),
    (dict(image="busybox:1.36", command="sh -c 'unclosed"), "quote"),
    (dict(image="busybox:1.36", labels={"dockerlab.session": "x"}), "toolkit"),
])
def test_invalid_input_has_a_hint(kwargs, fragment):
    with pytest.raises(InvalidInput) as e:
        RunSpec(**kwargs).validated()
    assert fragment in e.value.hint + e.value.message
    assert e.value.hint


def test_no_privileged_option():
    with pytest.raises(TypeError):
        RunSpec("busybox:1.36", privileged=True)  # type: ignore[call-arg]


def test_network_volume_build_specs():
    assert NetworkSpec("app").cli() == "docker network create app"
    assert NetworkSpec("app", driver="bridge", subnet="10.77.0.0/24", gateway="10.77.0.1").cli() == \
        "docker network create --driver bridge --subnet 10.77.0.0/24 --gateway 10.77.0.1 app"
    assert VolumeSpec("data").cli() == "docker volume create data"
    assert BuildSpec("app:v1", files={"Dockerfile.dev": "FROM busybox:1.36"}, dockerfile="Dockerfile.dev").cli() == \
        "docker build -f Dockerfile.dev -t app:v1 ."
    for bad, hint in [(NetworkSpec("bridge"), "exist on every daemon"), (NetworkSpec("n1", subnet="10.0.0.0/33"), "CIDR"),
                      (NetworkSpec("n1", subnet="10.0.0.0/24", gateway="10.1.0.1"), "inside"),
                      (NetworkSpec("n1", driver="vpn"), "bridge"), (VolumeSpec("x"), "2 to 128"),
                      (BuildSpec("app:v1", files={"x": "y"}), "FROM"), (BuildSpec("App", files={"Dockerfile": "FROM x"}), "lowercase"),
                      (BuildSpec("app:v1", files={"../x": "y", "Dockerfile": "FROM x"}), "relative")]:
        with pytest.raises(InvalidInput) as e:
            bad.validated()
        assert hint in e.value.hint + e.value.message


def test_port_parse_forms():
    assert Port.parse("8080:80") == Port(80, 8080)
    assert Port.parse("0.0.0.0:53:53/udp") == Port(53, 53, "0.0.0.0", "udp")
    assert Port.parse("80") == Port(80, None)
    assert Port.parse("80").cli() == "127.0.0.1::80"


def test_mount_parse_forms():
    assert Mount.parse("data:/data") == Mount("/data", "data", "volume")
    assert Mount.parse("/tmp:/site:ro") == Mount("/site", "/tmp", "bind", True)
