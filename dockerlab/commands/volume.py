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
