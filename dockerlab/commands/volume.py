"""``docker volume``: :class:`VolumeSpec`, create, remove, and the volumes ``-v`` would make.

>>> VolumeSpec("data").cli()
'docker volume create data'
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from ..engine import names
from ..engine.client import engine
from ..engine.errors import Conflict, InvalidInput, NotFound, translating
from ..session import labels as L
from . import validate as V
from .argv import FORMAT, FORMAT_F, MANY, VALUE, Command, Flag, R, label, pair, register
from .ownership import created_something, require_owned
from .result import Result


@dataclass(frozen=True)
class VolumeSpec:
    """``docker volume create [--driver D] [--opt k=v] NAME``."""
    name: str
    driver: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    lesson: str | None = None

    def validated(self) -> VolumeSpec:
        V.check_name(self.name, "volume name")
        if self.driver is not None and not (isinstance(self.driver, str)
                                            and re.match(r"^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*\Z", self.driver)):
            raise InvalidInput(f"invalid volume driver: {self.driver!r}", "The built-in driver is 'local'.")
        if not isinstance(self.options, dict):
            raise InvalidInput(f"invalid volume options: {self.options!r}", "Give a dict, e.g. {'type': 'tmpfs'}.")
        for k, v in self.options.items():
            if not isinstance(k, str) or not re.match(r"^[a-zA-Z0-9_.-]+\Z", k) or not isinstance(v, str) or "\x00" in v:
                raise InvalidInput(f"invalid volume option: {k!r}", "Options are key=value text, e.g. type=tmpfs.")
        opts = self.options
        if opts.get("type") == "none" or "bind" in opts.get("o", "").split(","):
            # The local driver's "type=none,o=bind,device=/etc" is a bind mount by another name.
            V.check_bind_source(opts.get("device") or "")
        V.check_labels(self.labels)
        return self

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, session_labels: bool = False) -> str:
        s = replace(self.validated(), name=names.scoped(self.name))  # as on the daemon
        args = ["docker", "volume", "create"]
        if s.driver:
            args += ["--driver", s.driver]
        for k, v in s.options.items():
            args += ["--opt", f"{k}={v}"]
        args += V.labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.name)
        return " ".join(map(V.quote, args))


def exists(name: str) -> bool:
    with translating(f"docker volume inspect {shlex.quote(name)}"):
        try:
            engine().inspect_volume(name)
            return True
        except NotFound:
            return False


def create(spec: VolumeSpec) -> Result:
    """``docker volume create``; a name in use is a Conflict (Docker would reuse it silently)."""
    spec = spec.validated()
    cmd = spec.cli()
    if exists(spec.name):
        raise Conflict(f"a volume named {spec.name!r} already exists",
                       "Volume names are unique; reuse it with -v NAME:/path or pick another name.", cmd)
    with translating(cmd):
        created_something()
        v = engine().create_volume(spec.name, driver=spec.driver, driver_opts=spec.options or None,
                                   labels=spec.all_labels())
    return Result([cmd], id=v["Name"], name=spec.name, text=spec.name)


def ensure_volume(name: str, lesson: str | None = None) -> bool:
    """Create a labelled volume where ``-v name:/path`` would otherwise create an unlabelled
    one; True when it created one."""
    if exists(name):
        return False
    with translating(f"docker volume create {name}"):
        created_something()
        engine().create_volume(name, labels=L.session_labels(lesson))
    return True


def remove(name: str, force: bool = False) -> Result:
    cmd = V.cli_join("docker", "volume", "rm", *(["-f"] if force else []), name)
    require_owned("volume", name)
    with translating(cmd):
        engine().remove_volume(name, force=force)
    return Result([cmd], name=name, text=f"{name}  removed")


def remove_volumes_quietly(volumes: list[str]) -> None:
    """Volumes made for a container that never started: a failed run leaves nothing behind."""
    for name in volumes:
        try:
            engine().remove_volume(name)
        except Exception:  # noqa: BLE001 - best effort, the original error matters more
            pass


# ------------------------------------------------------------------ the lines read back (%docker)

def _opt(text: str) -> tuple[str, str]:
    return pair(text, "volume option", "type=tmpfs", need_value=True)


def _spec(cmd: Command, o: dict, pos: list[str]) -> dict:
    if not pos:
        raise InvalidInput("a volume without a name gets a random one",
                           "Name it, e.g. docker volume create data: the course refers to volumes by name.")
    spec = VolumeSpec(pos[0], driver=o.get("driver"), options=dict(o.get("options", ())),
                      labels=dict(o.get("labels", ())))
    spec = spec.validated()
    return {"spec": replace(spec, name=names.unscoped(spec.name))}  # the line shows the daemon's name


def _v(verb: str, usage: str, *aliases: str, **kw) -> Command:
    return register(Command("volume", verb, f"volume {usage}", **kw),
                    f"volume {verb}", *(f"volume {a}" for a in aliases))


_v("create", "create [OPTIONS] VOLUME",
   flags=(Flag("driver", "d", VALUE), Flag("opt", "o", MANY, "options", convert=_opt),
          Flag("label", kind=MANY, dest="labels", convert=label)),
   max_args=1, build=_spec)
_v("ls", "ls [OPTIONS]", "list", flags=(Flag("quiet", "q"),),
   refused=(R("-f --filter", "filters are not read here", "Filter the table in Python, e.g. df[df.driver == 'local']."),
            FORMAT), max_args=0)
_v("rm", "rm [OPTIONS] VOLUME [VOLUME...]", "remove", flags=(Flag("force", "f"),), min_args=1)
_v("inspect", "inspect VOLUME [VOLUME...]", refused=(FORMAT_F,), min_args=1)
