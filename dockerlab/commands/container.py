"""``docker start/stop/restart/kill/pause/unpause/rm``, ``exec``, ``wait``, ``logs``, ``top``,
``inspect`` and ``cp`` (out of a container) — on the toolkit's own containers only.

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
from .ownership import require_owned
from .result import Result

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
            e.remove_container(ref, force=True, v=True)
        elif action in ("stop", "restart"):
            getattr(e, action)(ref, timeout=timeout)
        else:
            getattr(e, action)(ref)
    return Result([cmd], name=ref)


def remove_quietly(ref: str) -> None:
    """Remove a container the toolkit just made (a failed start, a helper): best effort."""
    try:
        engine().remove_container(ref, force=True, v=True)
    except Exception:  # noqa: BLE001 - best effort, the original error matters more
        pass


def exec_in(ref: str, command: list[str] | str, workdir: str | None = None, user: str | None = None,
            env: dict[str, str] | None = None, owned: bool = True) -> Result:
    """``docker exec``: a new process in a running container; the main process is untouched.
    ``owned=False`` is for read-only probes of a learner's own container (checkers)."""
    argv = V.split_command(command)
    if not argv:
        raise InvalidInput("no command to run", "Type a command, e.g. ls / or cat /etc/os-release.")
    cmd = "docker exec " + (f"-w {shlex.quote(workdir)} " if workdir else "") + \
          (f"-u {shlex.quote(user)} " if user else "") + f"{shlex.quote(ref)} " + " ".join(map(shlex.quote, argv))
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
