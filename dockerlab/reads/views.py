"""Read-only views of the daemon for exercise checkers: what the learner made.

A learner's resources are the ones labelled with their session, or made by hand with the
docker CLI (no dockerlab label). Other dockerlab sessions' resources are invisible, so
learners sharing one daemon never see or pass each other's exercises. Nothing here
changes the daemon.

>>> c = container("ex-web")            # doctest: +SKIP
>>> c.running, c.image, c.host_ports(80)
(True, 'nginx:1.25', [49153])
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass

from ..commands import container as C
from ..engine import podman
from ..engine.client import engine
from ..engine.errors import NotFound, translating
from ..engine.names import familiar
from ..session import labels as L


def _visible(labels: dict | None) -> bool:
    labels = labels or {}
    return L.SESSION not in labels or labels[L.SESSION] == L.session_id()


def _get(kind: str, fn, ref: str) -> dict | None:
    with translating(f"docker {kind} inspect {ref}"):
        try:
            return fn(ref)
        except NotFound:
            return None


@dataclass(frozen=True)
class ContainerView:
    doc: dict

    @property
    def name(self) -> str:
        return self.doc["Name"].lstrip("/")

    @property
    def running(self) -> bool:
        return bool(self.doc["State"]["Running"])

    @property
    def status(self) -> str:
        s = self.doc["State"]["Status"]
        return podman.state(s)

    @property
    def image(self) -> str:
        return familiar(self.doc["Config"]["Image"])

    @property
    def image_id(self) -> str:
        return self.doc["Image"]

    @property
    def env(self) -> dict[str, str]:
        return dict(e.split("=", 1) for e in self.doc["Config"].get("Env") or [] if "=" in e)

    @property
    def labels(self) -> dict[str, str]:
        return self.doc["Config"].get("Labels") or {}

    @property
    def networks(self) -> dict[str, dict]:
        return self.doc["NetworkSettings"].get("Networks") or {}

    def aliases(self, network: str) -> list[str]:
        ep = self.networks.get(network) or {}
        return [a for a in ep.get("Aliases") or [] if a != self.doc["Id"][:12]]

    def host_ports(self, container_port: int, protocol: str = "tcp") -> list[int]:
        binds = (self.doc["NetworkSettings"].get("Ports") or {}).get(f"{container_port}/{protocol}") or []
        return sorted({int(b["HostPort"]) for b in binds if b.get("HostPort")})

    @property
    def mounts(self) -> list[dict]:
        return self.doc.get("Mounts") or []

    def mount_at(self, destination: str) -> dict | None:
        return next((m for m in self.mounts if m["Destination"] == destination), None)

    @property
    def auto_remove(self) -> bool:
        return bool(self.doc["HostConfig"].get("AutoRemove"))

    @property
    def tty(self) -> bool:
        return bool(self.doc["Config"].get("Tty"))

    @property
    def created(self) -> str:
        return self.doc["Created"]


def container(ref: str) -> ContainerView | None:
    doc = _get("container", engine().inspect_container, ref)
    return ContainerView(doc) if doc and _visible(doc["Config"].get("Labels")) else None


def containers(image: str | None = None, network: str | None = None) -> list[ContainerView]:
    """The learner's containers (running or not), optionally by image or network."""
    flt = {}
    if network:
        flt["network"] = [network]
    with translating("docker ps -a"):
        rows = engine().containers(all=True, filters=flt or None)
    out = []
    for r in rows:
        if not _visible(r.get("Labels")) or (image and familiar(r.get("Image") or "") != familiar(image)):
            continue
        doc = _get("container", engine().inspect_container, r["Id"])
        if doc:
            out.append(ContainerView(doc))
    return out


def network(ref: str) -> dict | None:
    doc = _get("network", engine().inspect_network, ref)
    return doc if doc and _visible(doc.get("Labels")) else None


def volume(ref: str) -> dict | None:
    doc = _get("volume", engine().inspect_volume, ref)
    return doc if doc and _visible(doc.get("Labels")) else None


def image(ref: str) -> dict | None:
    """Images are shared by everyone on a daemon: any image is visible."""
    return _get("image", engine().inspect_image, ref)


def image_history(ref: str) -> list[dict]:
    with translating(f"docker history {ref}"):
        return engine().history(ref)


def read_container_file(ref: str, path: str, limit: int = 65536) -> str | None:
    """A file's text from a container (``docker cp``, read-only); None if it is not there."""
    data = C.cp_out(ref, path, limit)
    return data.decode(errors="replace") if data is not None else None


def exec_read(ref: str, argv: list[str]) -> tuple[int, str]:
    """(exit code, stdout + stderr) of a command that only reads (``psql -c 'SELECT ...'``,
    ``cat``, ``ls``) in a learner's running container: ``docker exec REF ARGV``."""
    res = C.exec_in(ref, argv, owned=False)
    return res.exit_code or 0, res.output


def logs_text(ref: str) -> str:
    with translating(f"docker logs {shlex.quote(ref)}"):
        return engine().logs(ref, stdout=True, stderr=True).decode(errors="replace")
