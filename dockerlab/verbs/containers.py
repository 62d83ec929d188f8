"""Notebook verbs for containers: each performs one ``docker`` command and shows its line,
then a short, stable result (no ids, times or random names).

>>> import dockerlab as dl
>>> dl.run("busybox:1.36", "echo hello", rm=True, detach=False)     # doctest: +SKIP
$ docker run --rm busybox:1.36 echo hello
hello
"""
from __future__ import annotations

from dataclasses import replace

from ..commands import container as C
from ..commands import run as R
from ..commands.result import Result
from ..commands.run import RunSpec
from ..reads import tables
from ..session import lesson
from .offline import offline_safe

__all__ = ["run", "run_spec", "create", "create_spec", "start", "stop", "rm", "exec", "logs", "state", "inspect", "ps", "port",
           "host_port", "top", "read_file"]


@offline_safe
def run(image: str, command=None, *, name: str | None = None, detach: bool = True, rm: bool = False,
        it: bool = False, ports=(), env=None, volumes=(), network: str | None = None, aliases=(),
        workdir: str | None = None, entrypoint=None, restart: str | None = None, labels=None,
        hostname: str | None = None) -> Result:
    """``docker run``. Detached: the container runs on; foreground: waits and shows output."""
    spec = RunSpec(image, command, name=name, detach=detach, interactive=it, tty=it, remove=rm,
                   ports=tuple(ports), env=env or {}, mounts=tuple(volumes), network=network,
                   aliases=tuple(aliases), workdir=workdir, entrypoint=entrypoint, restart=restart,
                   labels=labels or {}, hostname=hostname, lesson=lesson.current())
    return run_spec(spec)


@offline_safe
def run_spec(spec: RunSpec) -> Result:
    """``docker run`` of a ready spec (what ``%docker run`` reads), labelled with the lesson."""
    return _shown(R.run(_in_lesson(spec)))


def _in_lesson(spec):
    return spec if spec.lesson else replace(spec, lesson=lesson.current())


def _shown(made: Result) -> Result:
    made.value = replace(made)  # what code uses next: the container (its id, name, exit code)
    return made


@offline_safe
def create(image: str, command=None, *, name: str | None = None, it: bool = False, **kw) -> Result:
    """``docker create``: the container exists, not started."""
    return create_spec(RunSpec(image, command, name=name, interactive=it, tty=it, detach=False,
                               lesson=lesson.current(), **kw))


@offline_safe
def create_spec(spec: RunSpec) -> Result:
    """``docker create`` of a ready spec (what ``%docker create`` reads)."""
    made = R.create(_in_lesson(spec))
    made.text = f"{made.name or made.short_id}  created"
    return _shown(made)


@offline_safe
def start(name: str, attach: bool = False, timeout: float = 60) -> Result:
    """``docker start [--attach]``: with attach, waits for the exit and shows the output."""
    done = C.action(name, "start")
    if not attach:
        return Result(done.cli, name, f"{name}  {state(name)}", name=name)
    code = C.wait(name, timeout)
    out = C.logs(name).text
    return Result([done.line.replace("docker start", "docker start --attach")], code, out, name=name,
                  exit_code=code, stdout=out, extra={"exit_code": code})


@offline_safe
def stop(name: str, timeout: int = 3) -> Result:
    """``docker stop -t SECONDS NAME``: SIGTERM, then SIGKILL after the timeout."""
    return Result(C.action(name, "stop", timeout).cli, name, f"{name}  {state(name)}", name=name)


@offline_safe
def rm(name: str) -> Result:
    return Result(C.action(name, "remove").cli, name, f"{name}  removed", name=name)


@offline_safe
def exec(name: str, command, user: str | None = None, workdir: str | None = None,  # noqa: A001 - the docker verb
         env: dict[str, str] | None = None) -> Result:
    """``docker exec [-u USER] [-w DIR] [-e K=V] NAME COMMAND``; ``user`` as in ``--user``: a
    name or ``uid:gid``."""
    return C.exec_in(name, command, workdir=workdir, user=user, env=env)


@offline_safe
def logs(name: str, tail="all") -> Result:
    return C.logs(name, tail=tail)


@offline_safe
def state(name: str) -> str:
    """running / exited / created / paused (``docker inspect -f '{{.State.Status}}'``)."""
    return C.inspect(name)["State"]["Status"]


@offline_safe
def inspect(name: str) -> dict:
    return C.inspect(name)


@offline_safe
def ps(all: bool = True, columns=("name", "image", "state", "ports", "networks")):  # noqa: A002 - docker ps --all
    """``docker ps -a`` of this lesson's containers, as a table."""
    df = tables.containers(lab_only=True, include_stopped=all)
    return df[list(columns)]


@offline_safe
def port(name: str) -> Result:
    """``docker port NAME``: container port -> host address."""
    ports = C.inspect(name)["NetworkSettings"]["Ports"] or {}
    lines = [f"{k} -> {b['HostIp']}:{b['HostPort']}" for k, binds in sorted(ports.items()) for b in binds or []
             if ":" not in b["HostIp"]]
    return Result([f"docker port {name}"], lines, "\n".join(lines) or "(no published ports)", name=name)


@offline_safe
def host_port(name: str, container_port: int | str, protocol: str = "tcp") -> int | None:
    """The host port Docker chose (or was given) for ``container_port``."""
    binds = (C.inspect(name)["NetworkSettings"]["Ports"] or {}).get(f"{container_port}/{protocol}") or []
    return int(binds[0]["HostPort"]) if binds else None


@offline_safe
def top(name: str):
    import pandas as pd
    t = C.top(name)
    return pd.DataFrame(t.get("Processes") or [], columns=t.get("Titles") or [])


@offline_safe
def read_file(name: str, path: str) -> str | None:
    """A file's text from a container's filesystem (``docker cp NAME:PATH -``); read-only."""
    from ..reads.views import read_container_file
    return read_container_file(name, path)
