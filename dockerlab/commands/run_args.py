"""``docker run`` and ``docker create`` read back: their flag table (what :meth:`RunSpec.cli`
renders, plus the flags a learner may type) and the validated :class:`RunSpec` it builds.
Names read from a line are the learner's (a classroom scope's suffix is dropped: the
engine adds it again).

>>> from dockerlab.commands.argv import parse
>>> parse("docker container run -dit --name box busybox:1.36").spec.tty
True
"""
from __future__ import annotations

from dataclasses import replace

from ..engine import names
from ..engine.errors import InvalidInput
from . import validate as V
from .argv import MANY, VALUE, Command, Flag, R, label, pair, register
from .run import RunSpec
from .run_options import Mount, Port

NO_TERMINAL = "a notebook cell has no terminal to attach"


def env_entry(text: str) -> tuple[str, str]:
    k, v = pair(text, "environment entry", "MODE=dev", need_value=True)
    return V.check_env_key(k), v


def _mount(text: str) -> Mount:
    """``--mount type=bind,source=/x,target=/y,readonly`` (src/dst/destination, ro too)."""
    fields: dict[str, str] = {}
    read_only = False
    for item in text.split(","):
        k, eq, v = item.partition("=")
        k = k.strip().lower()
        if k in ("readonly", "ro"):
            if eq and v.lower() not in ("true", "1", "false", "0"):
                raise InvalidInput(f"invalid readonly value: {v!r}", "Write readonly (or readonly=true).")
            read_only = not eq or v.lower() in ("true", "1")
        elif k in ("type", "source", "src", "target", "destination", "dst") and eq:
            fields[{"src": "source", "destination": "target", "dst": "target"}.get(k, k)] = v
        else:
            raise InvalidInput(f"unsupported --mount field: {item!r}",
                               "The course uses type=volume|bind|tmpfs, source=..., target=..., readonly.")
    if "target" not in fields:
        raise InvalidInput("a mount needs a target", "e.g. --mount type=volume,source=data,target=/data.")
    return Mount(fields["target"], fields.get("source", ""), fields.get("type", "volume"), read_only,
                 style="mount").validated()


def _network_host(value: str):
    if value == "host":
        return ("the container would use this machine's network directly, so whatever it listens on is "
                "reachable on every interface, past the course's 127.0.0.1 default",
                "Publish the port instead: -p 8080:80 (this machine only), or -p 0.0.0.0:8080:80 if you mean it.")
    return None


def _restart(value: str) -> str:
    V.check_restart(value)
    return value


def _entrypoint(value: str) -> list[str]:
    if value == "":
        raise InvalidInput("an empty entrypoint (reset the image's) is not supported in the course",
                           "Give the program to run instead, e.g. --entrypoint sh.")
    return [value]  # docker takes --entrypoint as one executable, unsplit


UNSAFE = (
    R("--privileged", "a privileged container has every capability and every host device: it is root on this machine",
      "The course never needs it; leave --privileged out.", unsafe=True, value=False),
    R("--pid", "the container would see and signal every process on this machine",
      "Leave --pid out: a container sees its own processes (docker top shows them from the host).", True, when="host"),
    R("--ipc", "the container would share this machine's shared memory and semaphores",
      "Leave --ipc out.", True, when="host"),
    R("--uts", "the container could change this machine's hostname", "Leave --uts out.", True, when="host"),
    R("--userns", "root in the container would be root on this machine", "Leave --userns out.", True, when="host"),
    R("--cgroupns", "the container would see this machine's control groups", "Leave --cgroupns out.", True,
      when="host"),
    R("--cap-add", "extra kernel capabilities take away the isolation the course relies on",
      "Leave --cap-add out; the default capabilities run every course image.", True),
    R("--device", "it hands one of this machine's devices to the container", "Leave --device out.", True),
    R("--device-cgroup-rule", "it lets the container use this machine's devices", "Leave it out.", True),
    R("--security-opt", "it can switch off the seccomp/AppArmor confinement of the container",
      "Leave --security-opt out.", True),
)

_RUN_ONLY_OTHER = (
    R("-P --publish-all", "every exposed port would be published", "Publish each port with -p, e.g. -p 8080:80.",
      value=False),
    R("--env-file", "the variables are written in the line", "Give each with -e KEY=value."),
    R("--tmpfs", "tmpfs mounts are written with --mount", "Use --mount type=tmpfs,target=/path."),
    R("-a --attach", NO_TERMINAL, "Run in the foreground (without -d): the cell shows the output when it exits."),
    R("--init --read-only --no-healthcheck --oom-kill-disable --sig-proxy -q --quiet --disable-content-trust",
      "the course leaves it at docker's default", "Leave it out.", value=False),
    R("--add-host --blkio-weight --cidfile -c --cpu-shares --cpus --cpuset-cpus --dns --dns-search --dns-option "
      "--domainname --expose --gpus --health-cmd --health-interval --health-retries --health-timeout "
      "--health-start-period --ip --ip6 --isolation --label-file --link --link-local-ip --log-driver --log-opt "
      "--mac-address -m --memory --memory-swap --memory-reservation --pids-limit --platform --pull --runtime "
      "--shm-size --stop-signal --stop-timeout --storage-opt --ulimit --volume-driver --detach-keys "
      "--cgroup-parent --kernel-memory --oom-score-adj --sysctl --cap-drop --group-add --volumes-from",
      "the course leaves it at docker's default", "Leave it out, or use a terminal for it."),
)


def _run_flags(with_detach: bool) -> tuple[Flag, ...]:
    return ((Flag("detach", "d"),) if with_detach else ()) + (
        Flag("interactive", "i"), Flag("tty", "t"), Flag("rm", dest="remove"),
        Flag("name", kind=VALUE, convert=lambda v: V.check_name(v, "container name")),
        Flag("hostname", "h", VALUE),
        Flag("user", "u", VALUE, convert=V.check_user),
        Flag("publish", "p", MANY, "ports", convert=Port.parse),
        Flag("env", "e", MANY, convert=env_entry),
        Flag("volume", "v", MANY, "mounts", convert=Mount.parse),
        Flag("mount", kind=MANY, dest="mounts", convert=_mount),
        Flag("network", kind=VALUE, aliases=("net",), convert=lambda v: V.check_name(v, "network name"),
             refuse=_network_host),
        Flag("network-alias", kind=MANY, dest="aliases", aliases=("net-alias",), convert=V.check_alias),
        Flag("workdir", "w", VALUE, convert=lambda v: V.check_container_path(v, "working directory")),
        Flag("entrypoint", kind=VALUE, convert=_entrypoint),
        Flag("restart", kind=VALUE, convert=_restart),
        Flag("label", "l", MANY, "labels", convert=label),
    )


def _run_spec(cmd: Command, o: dict, pos: list[str]) -> dict:
    image, *command = pos
    spec = RunSpec(image, command, name=o.get("name"), detach=o.get("detach", False),
                   interactive=o.get("interactive", False), tty=o.get("tty", False), remove=o.get("remove", False),
                   ports=tuple(o.get("ports", ())), env=dict(o.get("env", ())), mounts=tuple(o.get("mounts", ())),
                   network=o.get("network"), aliases=tuple(o.get("aliases", ())), workdir=o.get("workdir"),
                   entrypoint=o.get("entrypoint"), restart=o.get("restart"), labels=dict(o.get("labels", ())),
                   hostname=o.get("hostname"), user=o.get("user"))
    notes: tuple[str, ...] = ()
    run_flags = {n for f in cmd.flags for n in f.names()}
    if command and command[0].split("=", 1)[0] in run_flags:
        notes = (f"{command[0]} comes after the image, so docker passes it to the container's command, "
                 f"not to docker {cmd.verb}: put docker's flags before the image.",)
    return {"spec": learners_names(spec.validated()), "notes": notes}


def learners_names(spec: RunSpec) -> RunSpec:
    """A spec read from a shown line in the learner's names (the line shows the daemon's)."""
    return replace(spec, name=names.unscoped(spec.name) if spec.name else None,
                   network=names.unscoped(spec.network) if spec.network else None,
                   mounts=tuple(replace(m, source=names.unscoped(m.source)) if m.type == "volume" else m
                                for m in spec.mounts))


def _c(verb: str, usage: str, *spellings: str, **kw) -> Command:
    return register(Command("container", verb, usage, **kw), *spellings)


_c("run", "run [OPTIONS] IMAGE [COMMAND] [ARG...]", "run", "container run", flags=_run_flags(True),
   refused=UNSAFE + _RUN_ONLY_OTHER, min_args=1, interspersed=False, build=_run_spec)
_c("create", "create [OPTIONS] IMAGE [COMMAND] [ARG...]", "create", "container create", flags=_run_flags(False),
   refused=UNSAFE + _RUN_ONLY_OTHER, min_args=1, interspersed=False, build=_run_spec)
