"""Plain calls for notebooks: each does one ``docker`` command through core and shows the
exact CLI line it performed, then a short, stable result (no ids, times or random names).

>>> import dockerlab as dl
>>> dl.run("busybox:1.36", "echo hello", rm=True, detach=False)     # doctest: +SKIP
$ docker run --rm busybox:1.36 echo hello
hello
"""
from __future__ import annotations

import os
import shlex
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from .core import connection, inventory, resources as R
from .core.errors import DaemonUnreachable, DockerlabError
from .core.specs import NetworkSpec, RunSpec, VolumeSpec

#: The lesson every resource created through these calls is labelled with (set by Lesson).
_lesson: str | None = None

OFFLINE_TEXT = "(no Docker daemon answers: this step did not run; see how to connect one at the top)"


class Offline:
    """What a call returns when no daemon answers (Binder, a laptop without Docker): it
    absorbs whatever the notebook does next, so the notebook still runs top to bottom
    and reads as a text, while each step says it did not run."""

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *a, **k):
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return False

    def __eq__(self, other):
        return other is self

    def __hash__(self):
        return 0

    def __format__(self, spec):
        return "n/a"

    def __repr__(self):
        return OFFLINE_TEXT

    __str__ = __repr__
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __call__
    __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: False


OFFLINE = Offline()


def offline_safe(fn):
    """A daemon that is gone turns into OFFLINE for the notebook, not an exception."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DaemonUnreachable:
            return OFFLINE
    return wrapper


def set_lesson(lesson: str | None) -> None:
    global _lesson
    _lesson = lesson


@dataclass
class Done:
    """What a call did: the CLI line(s), a value for code, and text for people."""
    cli: list[str]
    value: Any = None
    text: str = ""
    extra: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        lines = [f"$ {c}" for c in self.cli]
        if self.text:
            lines.append(self.text.rstrip("\n"))
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):  # IPython: plain text, no quotes
        p.text(repr(self))

    def __str__(self) -> str:
        return self.text


# ------------------------------------------------------------------ containers

@offline_safe
def run(image: str, command=None, *, name: str | None = None, detach: bool = True, rm: bool = False,
        it: bool = False, ports=(), env=None, volumes=(), network: str | None = None, aliases=(),
        workdir: str | None = None, entrypoint=None, restart: str | None = None, labels=None,
        hostname: str | None = None) -> Done:
    """``docker run``. Detached: the container runs on; foreground: waits and shows output."""
    spec = RunSpec(image, command, name=name, detach=detach, interactive=it, tty=it, remove=rm,
                   ports=tuple(ports), env=env or {}, mounts=tuple(volumes), network=network,
                   aliases=tuple(aliases), workdir=workdir, entrypoint=entrypoint, restart=restart,
                   labels=labels or {}, hostname=hostname, lesson=_lesson)
    made = R.run(spec)
    if detach:
        return Done([made.cli], made, f"{made.name}  {made.status}")
    return Done([made.cli], made, getattr(made, "output", ""), {"exit_code": getattr(made, "exit_code", 0)})


@offline_safe
def create(image: str, command=None, *, name: str | None = None, it: bool = False, **kw) -> Done:
    """``docker create``: the container exists, not started."""
    spec = RunSpec(image, command, name=name, interactive=it, tty=it, detach=False, lesson=_lesson, **kw)
    made = R.create_container(spec)
    return Done([made.cli], made, f"{made.name or made.short_id}  created")


@offline_safe
def start(name: str, attach: bool = False, timeout: float = 60) -> Done:
    """``docker start [--attach]``: with attach, waits for the exit and shows the output."""
    cli = R.container_action(name, "start")
    if not attach:
        return Done([cli], name, f"{name}  {state(name)}")
    code = R.wait(name, timeout)
    out = "".join(line + "\n" for _s, line in R.logs(name))
    return Done([cli.replace("docker start", "docker start --attach")], code, out, {"exit_code": code})


@offline_safe
def stop(name: str) -> Done:
    return Done([R.container_action(name, "stop")], name, f"{name}  {state(name)}")


@offline_safe
def rm(name: str) -> Done:
    return Done([R.container_action(name, "remove")], name, f"{name}  removed")


@offline_safe
def exec(name: str, command, user: str | None = None) -> Done:  # noqa: A001 - the docker verb
    """``docker exec [-u USER] NAME COMMAND``; ``user`` as in ``--user``: a name or ``uid:gid``."""
    res = R.exec_in(name, command, user=user)
    return Done([res.cli], res.exit_code, res.output, {"exit_code": res.exit_code})


@offline_safe
def logs(name: str, tail="all") -> Done:
    lines = R.logs(name, tail=tail)
    cli = f"docker logs {'--tail ' + str(tail) + ' ' if tail != 'all' else ''}{name}"
    return Done([cli], lines, "".join(line + "\n" for _s, line in lines))


@offline_safe
def state(name: str) -> str:
    """running / exited / created / paused (``docker inspect -f '{{.State.Status}}'``)."""
    return R.inspect_container(name)["State"]["Status"]


@offline_safe
def inspect(name: str) -> dict:
    return R.inspect_container(name)


@offline_safe
def ps(all: bool = True, columns=("name", "image", "state", "ports", "networks")):  # noqa: A002
    """``docker ps -a`` of this lesson's containers, as a table."""
    df = inventory.containers(lab_only=True, include_stopped=all)
    return df[list(columns)]


@offline_safe
def port(name: str) -> Done:
    """``docker port NAME``: container port -> host address."""
    ports = R.inspect_container(name)["NetworkSettings"]["Ports"] or {}
    lines = [f"{k} -> {b['HostIp']}:{b['HostPort']}" for k, binds in sorted(ports.items()) for b in binds or []
             if ":" not in b["HostIp"]]
    return Done([f"docker port {name}"], lines, "\n".join(lines) or "(no published ports)")


@offline_safe
def host_port(name: str, container_port: int | str, protocol: str = "tcp") -> int | None:
    """The host port Docker chose (or was given) for ``container_port``."""
    binds = (R.inspect_container(name)["NetworkSettings"]["Ports"] or {}).get(f"{container_port}/{protocol}") or []
    return int(binds[0]["HostPort"]) if binds else None


@offline_safe
def top(name: str):
    import pandas as pd
    t = R.top(name)
    return pd.DataFrame(t.get("Processes") or [], columns=t.get("Titles") or [])


@offline_safe
def read_file(name: str, path: str) -> str | None:
    """A file's text from a container's filesystem (``docker cp NAME:PATH -``); read-only."""
    from .core.state import read_container_file
    return read_container_file(name, path)


# ------------------------------------------------------------------ networks and volumes

@offline_safe
def network_create(name: str, driver: str | None = None, subnet: str | None = None) -> Done:
    made = R.create_network(NetworkSpec(name, driver=driver, subnet=subnet, lesson=_lesson))
    return Done([made.cli], made, name)


@offline_safe
def network_connect(network: str, container: str, aliases=()) -> Done:
    return Done([R.connect(network, container, list(aliases))], None, f"{container} joined {network}")


@offline_safe
def network_disconnect(network: str, container: str) -> Done:
    return Done([R.disconnect(network, container)], None, f"{container} left {network}")


@offline_safe
def networks_of(name: str) -> list[str]:
    return sorted((R.inspect_container(name)["NetworkSettings"]["Networks"] or {}).keys())


@offline_safe
def volume_create(name: str, driver: str | None = None, options: dict | None = None) -> Done:
    made = R.create_volume(VolumeSpec(name, driver=driver, options=options or {}, lesson=_lesson))
    return Done([made.cli], made, name)


@offline_safe
def volume_exists(name: str) -> bool:
    return R._volume_exists(name)


@offline_safe
def volume_rm(name: str) -> Done:
    return Done([R.remove_volume(name)], None, f"{name}  removed")


# ------------------------------------------------------------------ the host side

def http_get(url: str, timeout: float = 5.0, retries: int = 20) -> tuple[int, str]:
    """(status, body) of a GET from this machine, retrying while a server starts."""
    import time
    last: Exception | None = None
    for _ in range(retries):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")
        except OSError as e:
            last = e
            time.sleep(0.25)
    raise DockerlabError(f"nothing answers at {url}: {last}",
                         "Is the port published (-p HOST:CONTAINER) and the server started? Check `docker ps`.")


def free_port(preferred: int = 8080) -> int:
    """``preferred`` if nothing listens there on 127.0.0.1, else the next free port: two
    notebooks on one daemon never fight over 8080."""
    import zlib
    from .core import labels
    from .netutil import first_free_port
    if labels.scope():  # learners sharing a daemon start their search at different ports
        preferred += 16 * (zlib.crc32(labels.scope().encode()) % 64)
    port = first_free_port(preferred)
    if port is not None:
        return port
    raise DockerlabError(f"no free port from {preferred}", "Stop what holds those ports, or pick another range.")


def daemon_is_local() -> bool:
    """True when the daemon runs on this machine (a unix socket that exists here)."""
    host = connection.docker_host()
    return host.startswith("unix://") and os.path.exists(host[len("unix://"):])


def cli_line(*args: str) -> str:
    return "docker " + " ".join(shlex.quote(a) for a in args)
