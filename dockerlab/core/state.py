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

import io
import tarfile
from dataclasses import dataclass

from . import labels as L
from .connection import api
from .errors import translating
from .images import PODMAN_STATES, familiar


def _visible(labels: dict | None) -> bool:
    labels = labels or {}
    return L.SESSION not in labels or labels[L.SESSION] == L.session_id()


def _get(kind: str, fn, ref: str) -> dict | None:
    with translating(f"docker {kind} inspect {ref}"):
        try:
            return fn(ref)
        except Exception as e:  # noqa: BLE001
            if getattr(e, "status_code", None) == 404:
                return None
            raise


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
        return PODMAN_STATES.get(s, s)

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
    doc = _get("container", api().inspect_container, ref)
    return ContainerView(L.unscope_all(doc)) if doc and _visible(doc["Config"].get("Labels")) else None


def containers(image: str | None = None, network: str | None = None) -> list[ContainerView]:
    """The learner's containers (running or not), optionally by image or network."""
    flt = {}
    if network:
        flt["network"] = [L.scoped(network)]
    with translating("docker ps -a"):
        rows = L.unscope_all(api().containers(all=True, filters=flt or None))
    out = []
    for r in rows:
        if not _visible(r.get("Labels")) or (image and familiar(r.get("Image") or "") != familiar(image)):
            continue
        doc = _get("container", api().inspect_container, r["Id"])
        if doc:
            out.append(ContainerView(L.unscope_all(doc)))
    return out


def network(ref: str) -> dict | None:
    doc = _get("network", api().inspect_network, ref)
    return L.unscope_all(doc) if doc and _visible(doc.get("Labels")) else None


def volume(ref: str) -> dict | None:
    doc = _get("volume", api().inspect_volume, ref)
    return L.unscope_all(doc) if doc and _visible(doc.get("Labels")) else None


def image(ref: str) -> dict | None:
    """Images are shared by everyone on a daemon: any image is visible."""
    return _get("image", api().inspect_image, ref)


def image_history(ref: str) -> list[dict]:
    with translating(f"docker history {ref}"):
        return api().history(ref)


def read_container_file(ref: str, path: str, limit: int = 65536) -> str | None:
    """A file's text from a container (``docker cp``, read-only); None if it is not there."""
    with translating(f"docker cp {ref}:{path} -"):
        try:
            stream, _ = api().get_archive(ref, path)
        except Exception as e:  # noqa: BLE001
            if getattr(e, "status_code", None) == 404:
                return None
            raise
        data = b"".join(stream)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        m = tar.getmembers()[0]
        f = tar.extractfile(m)
        return f.read(limit).decode(errors="replace") if f else None


def exec_read(ref: str, argv: list[str]) -> tuple[int, str]:
    """(exit code, stdout + stderr) of a command that only reads (``psql -c 'SELECT ...'``,
    ``cat``, ``ls``) in a learner's running container: ``docker exec REF ARGV``."""
    import shlex
    with translating(f"docker exec {shlex.quote(ref)} " + " ".join(map(shlex.quote, argv))):
        a = api()
        e = a.exec_create(ref, argv)
        out = a.exec_start(e["Id"])
        return a.exec_inspect(e["Id"])["ExitCode"], out.decode(errors="replace")


def logs_text(ref: str) -> str:
    with translating(f"docker logs {ref}"):
        return api().logs(ref, stdout=True, stderr=True).decode(errors="replace")
