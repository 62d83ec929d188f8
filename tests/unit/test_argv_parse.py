"""%docker's parser: docker CLI (cobra/pflag) reading rules, and each refusal's exact message."""
from __future__ import annotations

import pytest

from dockerlab.commands.argv import parse
from dockerlab.commands.run_options import Mount, Port
from dockerlab.engine.errors import InvalidInput


@pytest.mark.parametrize("line, key", [
    ("docker run busybox:1.36", ("container", "run")), ("docker container run busybox:1.36", ("container", "run")),
    ("create busybox:1.36", ("container", "create")), ("docker ps", ("container", "ls")),
    ("docker container ls", ("container", "ls")), ("docker container ps", ("container", "ls")),
    ("docker container list", ("container", "ls")), ("docker images", ("image", "ls")),
    ("docker image ls", ("image", "ls")), ("docker image list", ("image", "ls")), ("docker rmi a", ("image", "rm")),
    ("docker image rm a", ("image", "rm")), ("docker build -t a .", ("image", "build")),
    ("docker image build -t a .", ("image", "build")), ("docker history a", ("image", "history")),
    ("docker image history a", ("image", "history")), ("docker tag a b", ("image", "tag")),
    ("docker image tag a b", ("image", "tag")), ("docker push a", ("image", "push")),
    ("docker login localhost:5000 -u me --password-stdin", ("registry", "login")),
    ("docker network ls", ("network", "ls")), ("docker network list", ("network", "ls")),
    ("docker network remove n1", ("network", "rm")), ("docker volume ls", ("volume", "ls")),
    ("docker volume remove v1", ("volume", "rm")), ("docker inspect web", ("object", "inspect")),
    ("docker container inspect web", ("container", "inspect")), ("docker image inspect a", ("image", "inspect")),
    ("$ docker stats --no-stream web", ("container", "stats")), ("docker cp web:/etc/hostname -", ("container", "cp")),
])
def test_command_spellings(line, key):
    assert parse(line).key == key


def test_short_bundles_equals_and_glued_values():
    a = parse("docker run -dit --name=box -p8080:80 -p=127.0.0.1:8081:81 -e A=1 --env=B=2 busybox:1.36").spec
    b = parse("docker run -itd --name box --publish 8080:80 --publish 127.0.0.1:8081:81 --env A=1 -eB=2 busybox:1.36").spec
    assert a == b
    assert (a.detach, a.interactive, a.tty, a.name) == (True, True, True, "box")
    assert a.ports == (Port(80, 8080), Port(81, 8081)) and a.env == {"A": "1", "B": "2"}


def test_a_value_flag_takes_the_rest_of_a_bundle():
    s = parse("docker run -dp 8080:80 nginx:1.25").spec
    assert s.detach and s.ports == (Port(80, 8080),)
    assert parse("docker run -dp8080:80 nginx:1.25").spec == s


def test_booleans_take_false_only_with_equals():
    s = parse("docker run --rm=false --detach=false -i=true busybox:1.36 echo").spec
    assert (s.remove, s.detach, s.interactive, s.command) == (False, False, True, ["echo"])
    assert parse("docker run --rm busybox:1.36 false").spec.command == ["false"]  # 'false' is the command


def test_aliases_of_flags():
    s = parse("docker run -d --net app --net-alias api --network-alias search -w /srv --workdir=/app "
              "--hostname h1 -l tier=web --label=team busybox:1.36").spec
    assert (s.network, s.aliases, s.workdir, s.hostname) == ("app", ("api", "search"), "/app", "h1")
    assert s.labels == {"tier": "web", "team": ""}


def test_flags_after_the_image_belong_to_the_container():
    s = parse("docker run busybox:1.36 ls -l --name x -p 1").spec
    assert s.command == ["ls", "-l", "--name", "x", "-p", "1"] and s.name is None and s.ports == ()
    e = parse("docker exec -u 1000 web sh -c 'id -u' -e X")
    assert (e.targets, e.args, e.options["user"]) == (("web",), ("sh", "-c", "id -u", "-e", "X"), "1000")


def test_user_and_ipv6_ports_are_read():
    s = parse("docker run -d -u 1000:1000 --user=nobody -p '[::1]:8080:80' -p [::1]::53/udp busybox:1.36").spec
    assert s.user == "nobody" and s.ports == (Port(80, 8080, "::1"), Port(53, None, "::1", "udp"))
    assert s.cli() == "docker run -d --user nobody -p '[::1]:8080:80' -p '[::1]::53/udp' busybox:1.36"


def test_double_dash_ends_the_flags():
    s = parse("docker run -- busybox:1.36 -d").spec
    assert (s.image, s.command, s.detach) == ("busybox:1.36", ["-d"], False)
    assert parse("docker rm -- -f").targets == ("-f",)


def test_other_commands_read_flags_anywhere():
    p = parse("docker rm web -f db")
    assert (p.targets, p.options) == (("web", "db"), {"force": True})
    b = parse("docker build . -t app:1 --no-cache --build-arg V=2")
    assert (b.spec.tag, b.spec.nocache, b.spec.buildargs, b.spec.context) == ("app:1", True, {"V": "2"}, ".")


def test_quoting_is_posix_shell():
    s = parse("""docker run -e 'MSG=hello world' -e "Q=it's" busybox:1.36 sh -c 'echo "$MSG"' """).spec
    assert s.env == {"MSG": "hello world", "Q": "it's"} and s.command == ["sh", "-c", 'echo "$MSG"']


def test_quoted_shell_operators_are_words():
    assert parse("docker run busybox:1.36 echo ';' '|' \"a && b\" # a comment | here").spec.command == \
        ["echo", ";", "|", "a && b"]


def test_environment_variables_expand_outside_single_quotes(tmp_path, monkeypatch):
    (tmp_path / "site").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TAG", "1.36")
    s = parse("docker run -v $PWD/site:/site busybox:${TAG} echo '$TAG'").spec
    assert s.mounts == (Mount("/site", f"{tmp_path}/site", "bind"),) and s.image == "busybox:1.36"
    assert s.command == ["echo", "$TAG"]


def test_mount_flag_forms():
    s = parse("docker run --mount type=volume,src=data,dst=/data,ro --mount type=tmpfs,target=/t busybox:1.36").spec
    assert s.mounts == (Mount("/data", "data", "volume", True, "mount"), Mount("/t", "", "tmpfs", False, "mount"))


def test_logs_ps_and_build_options():
    assert parse("docker logs -f -n 5 web").options == {"follow": True, "tail": 5}
    assert parse("docker logs --tail=all web").options == {"tail": "all"}
    assert parse("docker ps -aq").options == {"all": True, "quiet": True}
    assert parse("docker network connect --alias api n1 web").options == {"aliases": ["api"]}


def test_build_reads_f_from_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "ctx").mkdir()
    monkeypatch.chdir(tmp_path)
    assert parse("docker build -f ctx/Dockerfile.dev -t app:1 ctx").spec.dockerfile == "Dockerfile.dev"


# (line, exact message, exact hint). Every class of refusal, as the learner reads it.
RUN = "(docker run [OPTIONS] IMAGE [COMMAND] [ARG...])"
SOCKET_HINT = "Mount a project folder of your own instead, e.g. a folder under /tmp or next to this notebook."
ERRORS = [
    ("docker create --it busybox:1.36", "unknown flag: --it (docker create [OPTIONS] IMAGE [COMMAND] [ARG...])",
     "Did you mean -it?"),
    ("docker run --detatch nginx", f"unknown flag: --detatch {RUN}", "Did you mean --detach?"),
    ("docker run -name web nginx", f"unknown flag: -n in -name {RUN}", "Did you mean --name?"),
    ("docker run -dx nginx", f"unknown flag: -x in -dx {RUN}",
     "Each letter after a single '-' is a short flag; long flags take two dashes."),
    ("docker ps --al", "unknown flag: --al (docker ps [OPTIONS])", "Did you mean --all?"),
    ("docker run --privileged nginx", "refused --privileged: a privileged container has every capability and every "
     "host device: it is root on this machine", "The course never needs it; leave --privileged out."),
    ("docker run --pid host nginx", "refused --pid host: the container would see and signal every process on this "
     "machine", "Leave --pid out: a container sees its own processes (docker top shows them from the host)."),
    ("docker run --pid=host nginx", "refused --pid host: the container would see and signal every process on this "
     "machine", "Leave --pid out: a container sees its own processes (docker top shows them from the host)."),
    ("docker run --ipc=host nginx", "refused --ipc host: the container would share this machine's shared memory and "
     "semaphores", "Leave --ipc out."),
    ("docker run --cap-add NET_ADMIN nginx", "refused --cap-add NET_ADMIN: extra kernel capabilities take away the "
     "isolation the course relies on", "Leave --cap-add out; the default capabilities run every course image."),
    ("docker run --device /dev/sda nginx", "refused --device /dev/sda: it hands one of this machine's devices to the "
     "container", "Leave --device out."),
    ("docker run --security-opt seccomp=unconfined nginx", "refused --security-opt seccomp=unconfined: it can switch "
     "off the seccomp/AppArmor confinement of the container", "Leave --security-opt out."),
    ("docker exec --privileged web sh", "refused --privileged: a privileged container has every capability and every "
     "host device: it is root on this machine", "The course never needs it; leave --privileged out."),
    ("docker run --network host nginx", "refused --network host: the container would use this machine's network "
     "directly, so whatever it listens on is reachable on every interface, past the course's 127.0.0.1 default",
     "Publish the port instead: -p 8080:80 (this machine only), or -p 0.0.0.0:8080:80 if you mean it."),
    ("docker run -v /var/run/docker.sock:/var/run/docker.sock nginx", "-v /var/run/docker.sock:/var/run/docker.sock: "
     "refused to bind-mount /var/run/docker.sock: whoever holds the Docker socket controls the host as root",
     SOCKET_HINT),
    ("docker run -v /:/host nginx", "-v /:/host: refused to bind-mount /: it would hand the container the whole host "
     "filesystem", SOCKET_HINT),
    ("docker run --volume /etc:/host-etc nginx", "--volume /etc:/host-etc: refused to bind-mount /etc: it would let "
     "the container rewrite the host's configuration", SOCKET_HINT),
    ("docker run --mount type=bind,source=/etc,target=/x nginx", "--mount type=bind,source=/etc,target=/x: refused to "
     "bind-mount /etc: it would let the container rewrite the host's configuration", SOCKET_HINT),
    ("docker run --pid container:db nginx", "--pid container:db is not supported in the course: only the default "
     "(its own namespace) is taught", "Leave --pid out."),
    ("docker run -P nginx", "-P is not supported in the course: every exposed port would be published",
     "Publish each port with -p, e.g. -p 8080:80."),
    ("docker run --memory 1g nginx", "--memory 1g is not supported in the course: the course leaves it at docker's "
     "default", "Leave it out, or use a terminal for it."),
    ("docker run --user 'x y' nginx", "--user 'x y': invalid user: 'x y'",
     "Give a user name or UID, optionally with a group: e.g. 1000:1000 or nobody."),
    ("docker ps --format '{{.Names}}'", "--format '{{.Names}}' is not supported in the course: Go templates are not "
     "read here", "The result is a table (a pandas DataFrame) or a dict: select from it in Python, e.g. "
     "dl.inspect('web')['State']['Status']."),
    ("docker login -p s3cret localhost:5000", "refused -p s3cret: a password typed in a line stays in the notebook "
     "and its history", "Use --password-stdin: the password of the registry this session started is used (or the "
     "login widget)."),
    ("docker run 'unclosed nginx", "cannot read the line: No closing quotation (docker run 'unclosed nginx)",
     "Close every quote you open, e.g. sh -c 'echo hello'."),
    ("docker run -e A nginx", "-e A: invalid environment entry: 'A'", "Write KEY=value, e.g. MODE=dev. (-e KEY alone "
     "copies KEY from this machine's environment; the course writes the value.)"),
    ("docker run -p 99999:80 nginx", "-p 99999:80: invalid host port: '99999'",
     "A port is a number from 1 to 65535, e.g. 8080."),
    ("docker run --label dockerlab.session=x nginx", "label key 'dockerlab.session' is reserved",
     "Keys starting with 'dockerlab.' belong to the toolkit; use another, e.g. 'app'."),
    ("docker run --name web", "docker run takes at least 1 argument, got 0",
     "Usage: docker run [OPTIONS] IMAGE [COMMAND] [ARG...]"),
    ("docker run --name", "flag needs a value: --name", "Write --name VALUE or --name=VALUE."),
    ("docker ps extra", "docker ps takes no arguments, got 1 (extra: extra)", "Usage: docker ps [OPTIONS]"),
    ("docker frobnicate", "unknown docker command: docker frobnicate", "The course's commands: build, builder, "
     "container, cp, create, exec, history, image, images, inspect, login, logout, logs, network, port, ps, push, "
     "restart, rm, rmi, run, start, stats, stop, tag, top, volume."),
    ("docker contaner ls", "unknown docker command: docker contaner ls", "Did you mean docker container ls?"),
    ("docker pull nginx", "docker pull is not supported in the course", "No registry is reachable in the course: "
     "`docker run` uses the local image, and `dockerlab images --offline` builds the course images."),
    ("docker -H tcp://x:2375 ps", "docker's own option -H is not supported here",
     "The notebook talks to the daemon DOCKER_HOST names; set it with %env DOCKER_HOST=..."),
    ("docker run -d nginx | grep x", "shell operator '|' is not supported here",
     "One docker command per line; in %%docker, put each command on its own line."),
    ("docker run -v $NOPE_ARGV:/x nginx", "$NOPE_ARGV is not set", "Write the value itself, or set it first: "
     "%env NOPE_ARGV=..."),
    ("docker run busybox:1.36 echo $(id)", "command substitution $(...) is not supported here",
     "Write the value itself, or compute it in Python and use {name} in the line."),
    ("docker build .", "docker build needs a name here: -t NAME[:TAG]",
     "Name the image so you can run it, e.g. docker build -t app:1 ."),
    ("docker build -t a -t b .", "one -t per build here (got 2)",
     "Build with -t a, then add the other names: docker tag a b."),
    ("docker volume create", "a volume without a name gets a random one",
     "Name it, e.g. docker volume create data: the course refers to volumes by name."),
    ("docker run --rm --detach=maybe nginx", "invalid value for --detach: 'maybe'",
     "--detach is a yes/no flag: write --detach or --detach=false."),
]


@pytest.mark.parametrize("line, message, hint", ERRORS, ids=[e[0] for e in ERRORS])
def test_refusals_name_the_flag_and_why(line, message, hint):
    with pytest.raises(InvalidInput) as e:
        parse(line)
    assert (e.value.message, e.value.hint) == (message, hint)


def test_a_docker_flag_after_the_image_is_read_as_docker_does_with_a_note():
    p = parse("docker run -d nginx:1.25 -p 8080:80")
    assert p.spec.command == ["-p", "8080:80"] and p.spec.ports == ()
    assert p.notes == ("-p comes after the image, so docker passes it to the container's command, not to docker "
                       "run: put docker's flags before the image.",)
    assert parse("docker run -d nginx:1.25 nginx -g 'daemon off;'").notes == ()
