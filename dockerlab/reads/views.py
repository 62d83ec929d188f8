"""Read-only views of the daemon for exercise checkers: what the learner made.

Which resources are the learner's (:func:`is_mine`), wherever they were made: in a notebook,
a widget, ``%docker`` or the plain ``docker`` CLI in a terminal on the same daemon:

- in a classroom scope (``DOCKERLAB_SCOPE=c3``) exactly the resources whose daemon name is in
  that scope (``web--c3``), labelled by any dockerlab session or by none (a terminal), and
  the unnamed ones a dockerlab session of that scope made (label ``dockerlab.scope=c3``);
- without a scope, the unlabelled ones (a terminal) and those labelled by any dockerlab
  session of this host (a notebook kernel, a ``dockerlab check`` in a terminal: other
  processes, other session ids, the same learner). Sessions of another host are not.

So a notebook-made container checked with ``dockerlab check`` in a terminal is judged as in
the CheckWidget, and learners of one classroom never see or pass each other's exercises.
Nothing here changes the daemon.

>>> c = container("ex-web")            # doctest: +SKIP
>>> c.running, c.image, c.host_ports(80)
(True, 'nginx:1.25', [49153])
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass

from ..commands import container as C
from ..engine import names, podman
from ..engine.client import engine
from ..engine.errors import NotFound, translating
from ..engine.names import familiar
from ..session import labels as L


def is_mine(labels: dict | None, daemon_name: str | None = None) -> bool:
    """The visibility rule above. ``daemon_name`` is the name exactly as on the daemon
    (scoped); without one (an inspect by the learner's name) the scope was already applied."""
    s = names.scope()
    if s and daemon_name is not None:
        return daemon_name.lstrip("/").endswith(names.SCOPE_SEP + s) or (labels or {}).get(L.SCOPE) == s
    labels = labels or {}
    if s or L.SESSION not in labels or labels[L.SESSION] == L.session_id():
        return True
    import socket
    return labels.get(L.OWNER_HOST) == socket.gethostname()


_visible = is_mine


def plain_name_elsewhere(kind: str, name: str) -> str | None:
    """In a classroom scope: the scoped name to use when an unlabelled resource (made with the
    plain CLI) exists under the plain name a learner typed in a terminal (``ex1-web`` instead
    of ``ex1-web--c3``)."""
    if not names.scope() or names.is_id(name):
        return None
    fn = {"container": "inspect_container", "volume": "inspect_volume", "network": "inspect_network",
          "image": "inspect_image"}[kind]
    try:
        doc = getattr(engine().exact(), fn)(name)
    except Exception:  # noqa: BLE001 - not there (or unreadable): no hint then
        return None
    labels = (doc.get("Config") or {}).get("Labels") if kind in ("container", "image") else doc.get("Labels")
    if L.SESSION in (labels or {}):
        return None  # a notebook's: the toolkit scopes its names itself, this is not a terminal answer
    return names.scoped_image(name) if kind == "image" else names.scoped(name)


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
        """The host ports that reach ``container_port`` over IPv4 (what http://127.0.0.1:PORT
        uses). ``-P`` or ``-p 80`` on a dual-stack engine also binds [::] on another port."""
        binds = (self.doc["NetworkSettings"].get("Ports") or {}).get(f"{container_port}/{protocol}") or []
        return sorted({int(b["HostPort"]) for b in binds if b.get("HostPort") and ":" not in (b.get("HostIp") or "")})

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

    @property
    def id(self) -> str:
        return self.doc["Id"]

    @property
    def started_at(self) -> str:
        return self.doc["State"].get("StartedAt") or ""

    @property
    def command(self) -> list[str]:
        return [self.doc.get("Path") or "", *(self.doc.get("Args") or [])]


def container(ref: str) -> ContainerView | None:
    doc = _get("container", engine().inspect_container, ref)
    return ContainerView(doc) if doc and _visible(doc["Config"].get("Labels")) else None


def containers(image: str | None = None, network: str | None = None) -> list[ContainerView]:
    """The learner's containers (running or not), optionally of one image or on one network.
    An image matches by content: a container run by the image's id, or by another of its
    names, is a container of that image."""
    flt = {}
    if network:
        flt["network"] = [names.scoped(network)]
    image_id = None
    if image:
        doc = _get("image", engine().inspect_image, image)
        if doc is None:
            return []
        image_id = doc["Id"]
    with translating("docker ps -a"):
        rows = engine().exact().containers(all=True, filters=flt or None)
    out = []
    for r in rows:
        if not is_mine(r.get("Labels"), (r.get("Names") or ["/"])[0]) or (image_id and r.get("ImageID") != image_id):
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
    """Images are shared by everyone on a daemon: any image is visible (course images)."""
    return _get("image", engine().inspect_image, ref)


def own_image(ref: str) -> dict | None:
    """A learner's image by its name: in a classroom scope only the scope's own tag
    (``ex3-a--c3``), never another learner's or an unscoped one."""
    if names.scope() and not names.is_id(ref) and names.scoped_image(ref) != ref:
        return _get("image", engine().exact().inspect_image, names.scoped_image(ref))
    return image(ref)


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


def epoch(timestamp: str) -> float:
    """Docker's RFC 3339 time with nanoseconds ('2026-12-01T21:30:00.123456789Z') in epoch seconds."""
    import datetime as dt
    import re
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?", timestamp or "")
    if not m or m.group(1).startswith("0001"):
        return 0.0
    base = dt.datetime.fromisoformat(m.group(1) + (m.group(3) or "Z").replace("Z", "+00:00"))
    return base.timestamp() + float("0" + (m.group(2) or ".0"))


def file_stat(ref: str, path: str) -> dict | None:
    """What ``docker cp`` reports about a path in a container (name, size, mode, mtime with
    nanoseconds), without reading it; None when it is not there."""
    with translating(f"docker cp {ref}:{path} -"):
        try:
            stream, stat = engine().get_archive(ref, path)
        except NotFound:
            return None
        for _ in stream:  # the archive itself is not needed: drain and close it
            pass
    return stat


def image_id(ref: str) -> str | None:
    doc = image(ref)
    return doc["Id"] if doc else None


def layers(doc: dict | None) -> list[str]:
    return list(((doc or {}).get("RootFS") or {}).get("Layers") or [])


def built_on(doc: dict | None, base_ref: str) -> bool:
    """True when an image's RootFS starts with every layer of ``base_ref`` (it is FROM it)."""
    base = layers(image(base_ref))
    mine = layers(doc)
    return bool(base) and mine[:len(base)] == base


def changed_paths(ref: str) -> list[str]:
    """The paths a container changed in its own writable layer (``docker diff``)."""
    with translating(f"docker diff {ref}"):
        return [ch.get("Path", "") for ch in engine().diff(ref) or []]
