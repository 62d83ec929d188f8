"""``docker start/stop/restart/kill/pause/unpause/rm``, ``exec``, ``wait``, ``logs``, ``top``,
``inspect`` and ``cp`` (out of a container) — on the toolkit's own containers only; and
their flag tables, which read those lines back (``%docker stop -t 5 web``).

>>> action("web", "stop").cli            # doctest: +SKIP
['docker stop -t 3 web']
"""
from __future__ import annotations

import io
import shlex
import tarfile

from ..engine import podman, streams
from ..engine.client import engine
from ..engine.errors import DockerlabError, InvalidInput, NotFound, translating
from . import validate as V
from .argv import FORMAT, FORMAT_F, MANY, NO_TRUNC, NOT_TAUGHT, VALUE, Command, Flag, R, register
from .ownership import require_owned
from .result import Result
from .run_args import NO_TERMINAL, UNSAFE, env_entry

ACTIONS = ("start", "stop", "restart", "kill", "pause", "unpause", "remove")


def action_cli(ref: str, action: str, timeout: int = 3) -> str:
    """The docker line of a container action (rm is ``rm -f -v``: anonymous volumes go too)."""
    q = shlex.quote(ref)
    return {"remove": f"docker rm -f -v {q}", "stop": f"docker stop -t {timeout} {q}",
            "restart": f"docker restart -t {timeout} {q}"}.get(action, f"docker {action} {q}")


def action(ref: str, action: str, timeout: int = 3) -> Result:
    """start / stop / restart / kill / pause / unpause / remove, on our containers only."""
    if action not in ACTIONS:
        raise DockerlabError(f"unknown container action {action!r}", f"Use one of {sorted(ACTIONS)}.")
    cmd = action_cli(ref, action, timeout)
    require_owned("container", ref)
    e = engine()
    with translating(cmd):
        if action == "remove":
            podman.remove_container(e, ref, v=True)
        elif action in ("stop", "restart"):
            getattr(e, action)(ref, timeout=timeout)
        else:
            getattr(e, action)(ref)
    return Result([cmd], name=ref)


def remove_quietly(ref: str) -> None:
    """Remove a container the toolkit just made (a failed start, a helper): best effort."""
    try:
        podman.remove_container(engine(), ref, v=True)
    except Exception:  # noqa: BLE001 - best effort, the original error matters more
        pass


def exec_in(ref: str, command: list[str] | str, workdir: str | None = None, user: str | None = None,
            env: dict[str, str] | None = None, owned: bool = True) -> Result:
    """``docker exec``: a new process in a running container; the main process is untouched.
    ``owned=False`` is for read-only probes of a learner's own container (checkers)."""
    argv = V.split_command(command)
    if not argv:
        raise InvalidInput("no command to run", "Type a command, e.g. ls / or cat /etc/os-release.")
    env_flags = "".join(f"-e {shlex.quote(f'{k}={v}')} " for k, v in (env or {}).items())
    cmd = "docker exec " + (f"-w {shlex.quote(workdir)} " if workdir else "") + \
          (f"-u {shlex.quote(user)} " if user else "") + env_flags + \
          f"{shlex.quote(ref)} " + " ".join(map(shlex.quote, argv))
    if owned:
        require_owned("container", ref)
    e = engine()
    with translating(cmd):
        made = e.exec_create(ref, argv, workdir=workdir, user=user or "", environment=env)
        out, err = e.exec_start(made["Id"], demux=True)
        code = e.exec_inspect(made["Id"])["ExitCode"]
    stdout, stderr = (out or b"").decode(errors="replace"), (err or b"").decode(errors="replace")
    return Result([cmd], value=code, text=stdout + stderr, name=ref, exit_code=code, stdout=stdout,
                  stderr=stderr, extra={"exit_code": code})


def wait(ref: str, timeout: float = 60) -> int:
    with translating(f"docker wait {shlex.quote(ref)}"):
        return int(engine().wait(ref, timeout=timeout)["StatusCode"])


def logs_cli(ref: str, tail: int | str = "all", timestamps: bool = False, follow: bool = False) -> str:
    """The one rendering of ``docker logs [-f] [--tail N] [-t] REF``."""
    return "docker logs " + ("-f " if follow else "") + (f"--tail {tail} " if tail not in (None, "all") else "") + \
        ("-t " if timestamps else "") + shlex.quote(ref)


def logs(ref: str, tail: int | str = "all", timestamps: bool = False) -> Result:
    """The container's log as (stream, line) pairs in ``value``, stdout and stderr told apart."""
    cmd = logs_cli(ref, tail, timestamps)
    lines = streams.read_logs(ref, cmd, tail=tail, timestamps=timestamps)
    return Result([cmd], value=lines, name=ref, text="".join(line + "\n" for _s, line in lines))


Follow = streams.Follow


def follow_logs(ref: str, tail: int = 10, timestamps: bool = False) -> Follow:
    """``docker logs -f``: a stream of (stream, line) until the container stops or close()."""
    return streams.follow_logs(ref, logs_cli(ref, tail, timestamps, follow=True), tail=tail, timestamps=timestamps)


def top(ref: str) -> dict:
    """``docker top``: the container's processes as the host sees them (host PIDs)."""
    return podman.top(ref, f"docker top {shlex.quote(ref)}")


def inspect(ref: str) -> dict:
    """``docker container inspect REF``, in the learner's names."""
    with translating(f"docker container inspect {shlex.quote(ref)}"):
        return dict(engine().inspect_container(ref))


def exists(ref: str) -> bool:
    try:
        inspect(ref)
        return True
    except NotFound:
        return False


def cp_out(ref: str, path: str, limit: int | None = None) -> bytes | None:
    """``docker cp REF:PATH -``: the bytes of one file (None when it is not there)."""
    with translating(f"docker cp {ref}:{path} -"):
        try:
            stream, _ = engine().get_archive(ref, path)
        except NotFound:
            return None
        data = b"".join(stream)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        f = tar.extractfile(tar.getmembers()[0])
        return (f.read(limit) if limit else f.read()) if f else None


# ------------------------------------------------------------------ the lines read back (%docker)
# The container verbs' flag tables; run/create's are in run_args (beside run.py).

def _tail(value: str) -> str | int:
    if value == "all":
        return value
    if not (value.isascii() and value.isdigit()):
        raise InvalidInput(f"invalid line count: {value!r}", "Give a number of lines, e.g. --tail 20, or all.")
    return int(value)


def _seconds(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) > 600:
        raise InvalidInput(f"invalid seconds: {value!r}", "Give whole seconds from 0 to 600, e.g. -t 3.")
    return int(value)


FILTER = R("-f --filter", "filters are not read here",
           "The table lists this lesson's containers; filter it in Python, e.g. df[df.state == 'running'].")


def _exec(cmd: Command, o: dict, pos: list[str]) -> dict:
    return {"targets": (pos[0],), "args": tuple(pos[1:]), "options": {**o, "env": dict(o.get("env", ()))}}


def _c(verb: str, usage: str, *spellings: str, **kw) -> Command:
    return register(Command("container", verb, usage, **kw), *spellings)


_c("start", "start [OPTIONS] CONTAINER [CONTAINER...]", "start", "container start", flags=(Flag("attach", "a"),),
   refused=(R("-i --interactive", NO_TERMINAL, "Use --attach to see the output, or a terminal to type into it.",
              value=False),
            R("--detach-keys --checkpoint --checkpoint-dir", NOT_TAUGHT, "Leave it out.")),
   min_args=1)
for _verb in ("stop", "restart"):
    _c(_verb, f"{_verb} [OPTIONS] CONTAINER [CONTAINER...]", _verb, f"container {_verb}",
       flags=(Flag("time", "t", VALUE, convert=_seconds),), min_args=1)
_c("rm", "rm [OPTIONS] CONTAINER [CONTAINER...]", "rm", "container rm", "container remove",
   flags=(Flag("force", "f"), Flag("volumes", "v")),
   refused=(R("-l --link", "links are not part of the course", "Leave it out.", value=False),), min_args=1)
_c("exec", "exec [OPTIONS] CONTAINER COMMAND [ARG...]", "exec", "container exec",
   flags=(Flag("interactive", "i"), Flag("tty", "t"), Flag("user", "u", VALUE), Flag("env", "e", MANY, convert=env_entry),
          Flag("workdir", "w", VALUE, convert=lambda v: V.check_container_path(v, "working directory"))),
   refused=(UNSAFE[0], R("-d --detach", "the cell shows the command's output when it ends",
                          "Run it without -d; for a long-running process start a container instead.", value=False),
            R("--detach-keys --env-file", NOT_TAUGHT, "Leave it out.")),
   min_args=2, interspersed=False, build=_exec)
_c("logs", "logs [OPTIONS] CONTAINER", "logs", "container logs",
   flags=(Flag("follow", "f"), Flag("tail", "n", VALUE, convert=_tail)),
   refused=(R("-t --timestamps --details", "times change on every run, a lesson's output should not",
              "Leave it out; dl.LogViewer(NAME) follows a log live.", value=False),
            R("--since --until", "the course reads a whole log or its last lines", "Use --tail N.")),
   min_args=1, max_args=1)
_c("ls", "ps [OPTIONS]", "ps", "container ls", "container ps", "container list",
   flags=(Flag("all", "a"), Flag("quiet", "q")),
   refused=(FILTER, FORMAT, NO_TRUNC, R("-s --size -l --latest", NOT_TAUGHT, "Leave it out.",
                                        value=False), R("-n --last", NOT_TAUGHT, "Leave it out.")),
   max_args=0)
_INSPECT_REFUSED = (FORMAT_F, R("-s --size", NOT_TAUGHT, "Leave it out.", value=False))
_c("inspect", "container inspect [OPTIONS] CONTAINER [CONTAINER...]", "container inspect",
   refused=_INSPECT_REFUSED, min_args=1)


def _kind(value: str) -> str:
    if value not in ("container", "image", "network", "volume"):
        raise InvalidInput(f"invalid type: {value!r}", "Use container, image, network or volume.")
    return value


register(Command("object", "inspect", "inspect [OPTIONS] NAME|ID [NAME|ID...]",
                 flags=(Flag("type", kind=VALUE, convert=_kind),), refused=_INSPECT_REFUSED, min_args=1), "inspect")
_c("top", "top CONTAINER", "top", "container top", min_args=1, max_args=1)
_c("stats", "stats [OPTIONS] [CONTAINER...]", "stats", "container stats",
   flags=(Flag("no-stream"), Flag("all", "a")), refused=(FORMAT, NO_TRUNC))
_c("port", "port CONTAINER [PRIVATE_PORT[/PROTO]]", "port", "container port", min_args=1, max_args=2)
_c("cp", "cp CONTAINER:SRC_PATH -", "cp", "container cp",
   refused=(R("-a --archive -L --follow-link -q --quiet", NOT_TAUGHT, "Leave it out.", value=False),),
   min_args=2, max_args=2)
