"""``docker run``'s -p and -v/--mount options: :class:`Port` and :class:`Mount`.

Each parses the text a learner types (``"8080:80"``, ``"data:/data:ro"``), is validated
before the daemon sees it, and renders its CLI form.

>>> Port.parse("8080:80").cli()
'127.0.0.1:8080:80'
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..engine.errors import InvalidInput
from . import validate as V

DEFAULT_HOST_IP = "127.0.0.1"  # safe default: published ports reach this machine only


@dataclass(frozen=True)
class Port:
    """``-p [host_ip:][host_port]:container_port[/protocol]``; host_ip defaults to 127.0.0.1."""
    container_port: int
    host_port: int | None = None
    host_ip: str = DEFAULT_HOST_IP
    protocol: str = "tcp"

    @classmethod
    def parse(cls, text: str) -> Port:
        """``"8080:80"``, ``"127.0.0.1:8080:80/tcp"``, ``"80"`` (Docker picks the host port)."""
        raw = str(text).strip()
        body, _, proto = raw.partition("/")
        ip = DEFAULT_HOST_IP
        if body.startswith("["):  # [::1]:8080:80, as docker writes an IPv6 host IP
            inside, sep, body = body[1:].partition("]:")
            parts = [inside, *body.split(":")] if sep and inside and body.count(":") == 1 else None
        else:
            parts = body.rsplit(":", 2) if body.count(":") <= 2 else None
        if not parts or not body:
            raise InvalidInput(f"invalid port mapping: {raw!r}",
                               "Write HOST:CONTAINER, e.g. 8080:80 (or 127.0.0.1:8080:80, or just 80).")
        if len(parts) == 3:
            ip, host, cont = parts
        elif len(parts) == 2:
            host, cont = parts
        else:
            host, cont = None, parts[0]
        return cls(V.check_port(cont, "container port"),
                   V.check_port(host, "host port", allow_none=True),
                   V.check_ip(ip) if ip else DEFAULT_HOST_IP, V.check_protocol(proto or "tcp")).validated()

    def validated(self) -> Port:
        # A normalised copy: Port("80") must not reach the daemon (or a table) as text.
        return replace(self, container_port=V.check_port(self.container_port, "container port"),
                       host_port=V.check_port(self.host_port, "host port", allow_none=True),
                       host_ip=V.check_ip(self.host_ip), protocol=V.check_protocol(self.protocol))

    @property
    def key(self) -> str:
        return f"{self.container_port}/{self.protocol}"

    def cli(self) -> str:
        host = "" if self.host_port is None else str(self.host_port)
        proto = "" if self.protocol == "tcp" else f"/{self.protocol}"
        ip = f"[{self.host_ip}]" if ":" in self.host_ip else self.host_ip  # docker's form for IPv6
        return f"{ip}:{host}:{self.container_port}{proto}"


@dataclass(frozen=True)
class Mount:
    """A named volume, a bind mount or a tmpfs.

    ``style="v"`` renders ``-v source:target[:ro]``; ``style="mount"`` renders
    ``--mount type=...,source=...,target=...[,readonly]``.
    """
    target: str
    source: str = ""
    type: str = "volume"  # volume | bind | tmpfs
    read_only: bool = False
    style: str = "v"

    @classmethod
    def parse(cls, text: str) -> Mount:
        """``"data:/data"``, ``"/host/site:/usr/share/nginx/html:ro"`` (leading '/' = bind)."""
        raw = str(text).strip()
        parts = raw.split(":")
        ro = False
        if len(parts) == 3 and parts[2] in ("ro", "rw"):
            ro = parts[2] == "ro"
            parts = parts[:2]
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise InvalidInput(f"invalid volume mapping: {raw!r}",
                               "Write NAME:/path for a named volume or /host/path:/path for a bind "
                               "mount (append :ro for read-only).")
        src, dst = parts
        kind = "bind" if src.startswith("/") else "volume"
        if kind == "volume" and ("/" in src or src.startswith(".") or src.startswith("~")):
            raise InvalidInput(f"invalid volume mapping: {raw!r}",
                               "A relative host path is not a bind mount: Docker would read it as a volume "
                               "name. Give an absolute path (starting with '/'), e.g. $PWD/site:/site.")
        return cls(dst, src, kind, ro).validated()

    def validated(self) -> Mount:
        if self.type not in ("volume", "bind", "tmpfs"):
            raise InvalidInput(f"invalid mount type: {self.type!r}", "Use volume, bind or tmpfs.")
        if self.style not in ("v", "mount"):
            raise InvalidInput(f"invalid mount style: {self.style!r}", "Use 'v' (-v) or 'mount' (--mount).")
        V.check_container_path(self.target, "mount target")
        if self.type == "volume":
            V.check_name(self.source, "volume name")
        elif self.type == "bind":
            V.check_bind_source(self.source)
        elif self.source:
            raise InvalidInput("a tmpfs mount has no source", "Give only the target, e.g. /tmp.")
        if self.type == "tmpfs" and self.style == "v":
            raise InvalidInput("tmpfs mounts need --mount", "Use Mount(target, type='tmpfs', style='mount').")
        return self

    def cli(self) -> list[str]:
        if self.style == "v":
            return ["-v", f"{self.source}:{self.target}" + (":ro" if self.read_only else "")]
        opts = [f"type={self.type}"]
        if self.source:
            opts.append(f"source={self.source}")
        opts.append(f"target={self.target}")
        if self.read_only:
            opts.append("readonly")
        return ["--mount", ",".join(opts)]
