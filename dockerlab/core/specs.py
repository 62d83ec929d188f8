"""What a learner asks for, as plain validated dataclasses that also render the CLI line.

A spec is validated before the daemon sees it, and renders the exact ``docker ...``
line that creates the same thing: running that line with the real ``docker`` CLI gives
the same container (image, cmd, entrypoint, env, ports, mounts, networks, workdir,
restart policy, tty/stdin, labels) — an integration test holds us to that.

>>> RunSpec("nginx:1.25", name="web", ports=[Port(80, 8080)]).cli()
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field, replace

from . import labels as L
from . import validate as V
from .errors import InvalidInput

DEFAULT_HOST_IP = "127.0.0.1"  # safe default: published ports reach this machine only


def _q(arg: str) -> str:
    return shlex.quote(str(arg))


def _split(value) -> list[str]:
    """A command given as text is split like a shell would; a list is kept as is."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as e:
            raise InvalidInput(f"cannot read the command {value!r}: {e}",
                               "Close every quote you open, e.g. sh -c 'echo hello'.") from None
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise InvalidInput(f"invalid command: {value!r}", "Give the command as text or a list of strings.")


@dataclass(frozen=True)
class Port:
    """``-p [host_ip:][host_port]:container_port[/protocol]``; host_ip defaults to 127.0.0.1."""
    container_port: int
    host_port: int | None = None
    host_ip: str = DEFAULT_HOST_IP
    protocol: str = "tcp"

    @classmethod
    def parse(cls, text: str) -> "Port":
        """``"8080:80"``, ``"127.0.0.1:8080:80/tcp"``, ``"80"`` (Docker picks the host port)."""
        raw = str(text).strip()
        body, _, proto = raw.partition("/")
        parts = body.rsplit(":", 2) if body.count(":") <= 2 else None
        if not parts or not body:
            raise InvalidInput(f"invalid port mapping: {raw!r}",
                               "Write HOST:CONTAINER, e.g. 8080:80 (or 127.0.0.1:8080:80, or just 80).")
        ip = DEFAULT_HOST_IP
        if len(parts) == 3:
            ip, host, cont = parts
        elif len(parts) == 2:
            host, cont = parts
        else:
            host, cont = None, parts[0]
        return cls(V.check_port(cont, "container port"),
                   V.check_port(host, "host port", allow_none=True),
                   V.check_ip(ip) if ip else DEFAULT_HOST_IP, V.check_protocol(proto or "tcp")).validated()

    def validated(self) -> "Port":
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
        return f"{self.host_ip}:{host}:{self.container_port}{proto}"


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
    def parse(cls, text: str) -> "Mount":
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

    def validated(self) -> "Mount":
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


def _check_alias(alias) -> str:
    if not isinstance(alias, str) or not re.match(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}\Z", alias):
        raise InvalidInput(f"invalid network alias: {alias!r}",
                           "An alias is a DNS name: letters, digits, '.', '_' and '-', e.g. search.")
    return alias


def _labels_cli(labels: dict[str, str]) -> list[str]:
    out: list[str] = []
    for k, v in labels.items():
        out += ["--label", f"{k}={v}"]
    return out


def _check_labels(labels) -> dict[str, str]:
    if not isinstance(labels, dict):
        raise InvalidInput(f"invalid labels: {labels!r}", "Give labels as a dict, e.g. {'app': 'shop'}.")
    for k, v in labels.items():
        V.check_label_key(k)
        if k.startswith(L.PREFIX):
            raise InvalidInput(f"label key {k!r} is reserved",
                               f"Keys starting with '{L.PREFIX}' belong to the toolkit; use another, e.g. 'app'.")
        if not isinstance(v, str):
            raise InvalidInput(f"invalid value for label {k!r}: {v!r}", "Label values are text.")
    return labels


def _several(value, what: str, example: str) -> tuple:
    """A list of ports/mounts/aliases; one given as text is one item, not its characters."""
    if value is None:
        return ()
    if isinstance(value, (str, Port, Mount)):
        return (value,)
    if not isinstance(value, (list, tuple)):
        raise InvalidInput(f"invalid {what}: {value!r}", f"Give a list, e.g. {example}.")
    return tuple(value)


def _check_env(env) -> dict[str, str]:
    if isinstance(env, (list, tuple)):
        pairs = {}
        for item in env:
            if not isinstance(item, str) or "=" not in item:
                raise InvalidInput(f"invalid environment entry: {item!r}", "Write KEY=value, e.g. MODE=dev.")
            k, _, v = item.partition("=")
            pairs[k] = v
        env = pairs
    if not isinstance(env, dict):
        raise InvalidInput(f"invalid environment: {env!r}", "Give a dict, e.g. {'MODE': 'dev'}.")
    return {V.check_env_key(k): V.check_env_value(k, v) for k, v in env.items()}


@dataclass(frozen=True)
class RunSpec:
    """Everything ``docker run`` (or ``docker create``) takes in this course."""
    image: str
    command: list[str] | str | None = None
    name: str | None = None
    detach: bool = True
    interactive: bool = False
    tty: bool = False
    remove: bool = False
    ports: tuple[Port, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    mounts: tuple[Mount, ...] = ()
    network: str | None = None
    aliases: tuple[str, ...] = ()
    workdir: str | None = None
    entrypoint: list[str] | str | None = None
    restart: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    hostname: str | None = None
    lesson: str | None = None

    def validated(self) -> "RunSpec":
        """A normalised copy, or InvalidInput with a hint. Nothing reaches the daemon."""
        image = V.check_image(self.image)
        name = V.check_name(self.name, "container name") if self.name not in (None, "") else None
        command = _split(self.command)
        entrypoint = _split(self.entrypoint)
        if len(entrypoint) > 1:
            # `--entrypoint` takes one executable: its arguments go first in the command.
            command, entrypoint = entrypoint[1:] + command, entrypoint[:1]
        ports = tuple((p if isinstance(p, Port) else Port.parse(p)).validated()
                      for p in _several(self.ports, "ports", "['8080:80']"))
        seen = {}
        for p in ports:
            if p.host_port is not None:
                k = (p.host_ip, p.host_port, p.protocol)
                if k in seen:
                    raise InvalidInput(f"host port {p.host_port} is mapped twice",
                                       "Each host port can be published once; pick another host port.")
                seen[k] = p
        mounts = tuple(m if isinstance(m, Mount) else Mount.parse(m)
                       for m in _several(self.mounts, "mounts", "['data:/data']"))
        targets = [m.validated().target for m in mounts]
        if len(set(targets)) != len(targets):
            raise InvalidInput("two mounts share a target path", "Mount each path inside the container once.")
        network = V.check_name(self.network, "network name") if self.network else None
        aliases = tuple(_check_alias(a) for a in _several(self.aliases, "aliases", "['search']"))
        if aliases and not network:
            raise InvalidInput("a network alias needs a network",
                               "Aliases live on user-defined networks: set the network too, e.g. --network app.")
        if network in ("host", "none") and (ports or aliases):
            raise InvalidInput(f"ports and aliases do not apply to --network {network}",
                               "Use a bridge or user-defined network to publish ports or add aliases.")
        workdir = V.check_container_path(self.workdir, "working directory") if self.workdir else None
        restart, _ = V.check_restart(self.restart)
        if self.remove and restart != "no":
            raise InvalidInput("--rm cannot be combined with a restart policy",
                               "A container removed on exit cannot be restarted: drop --rm or the restart policy.")
        if self.hostname is not None and not (isinstance(self.hostname, str)
                                              and re.match(r"^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}\Z", self.hostname)):
            raise InvalidInput(f"invalid hostname: {self.hostname!r}", "Use letters, digits, '.' and '-'.")
        if self.lesson is not None and not (isinstance(self.lesson, str) and V.NAME_RE.match(self.lesson)):
            raise InvalidInput(f"invalid lesson: {self.lesson!r}", "Lessons are short names like '01-running'.")
        if not all(isinstance(f, bool) for f in (self.detach, self.interactive, self.tty, self.remove)):
            raise InvalidInput("detach, interactive, tty and remove are yes/no", "Use True or False.")
        # Names as they are on the daemon in this session's scope (unchanged without one).
        name, network = L.scoped(name), L.scoped(network)
        mounts = tuple(replace(m, source=L.scoped(m.source)) if m.type == "volume" else m for m in mounts)
        return replace(self, image=image, name=name, command=command, entrypoint=entrypoint, ports=ports,
                       env=_check_env(self.env), mounts=mounts, network=network, aliases=aliases,
                       workdir=workdir, restart=self.restart or None, labels=_check_labels(self.labels))

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, verb: str = "run", session_labels: bool = False) -> str:
        """The ``docker run`` (or ``docker create``) line. ``session_labels`` adds the
        toolkit's labels, which a learner does not type (used to prove equivalence)."""
        s = self.validated()
        args = ["docker", verb]
        flags = ("d" if verb == "run" and s.detach else "") + ("i" if s.interactive else "") + ("t" if s.tty else "")
        if flags:
            args.append("-" + flags)  # -d, -it, -dit: the way the docs write them
        if s.remove:
            args.append("--rm")
        if s.name:
            args += ["--name", s.name]
        if s.hostname:
            args += ["--hostname", s.hostname]
        for p in s.ports:
            args += ["-p", p.cli()]
        for k, v in s.env.items():
            args += ["-e", f"{k}={v}"]
        for m in s.mounts:
            args += m.cli()
        if s.network:
            args += ["--network", s.network]
        for a in s.aliases:
            args += ["--network-alias", a]
        if s.workdir:
            args += ["-w", s.workdir]
        if s.entrypoint:
            args += ["--entrypoint", s.entrypoint[0]]
        if s.restart and s.restart != "no":
            args += ["--restart", s.restart]
        args += _labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.image)
        args += s.command
        return " ".join(_q(a) if i > 1 else a for i, a in enumerate(args))


@dataclass(frozen=True)
class NetworkSpec:
    """``docker network create [--driver D] [--subnet S] [--gateway G] [--internal] NAME``."""
    name: str
    driver: str | None = None
    subnet: str | None = None
    gateway: str | None = None
    internal: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    lesson: str | None = None

    def validated(self) -> "NetworkSpec":
        import ipaddress
        V.check_name(self.name, "network name")
        if self.name in ("bridge", "host", "none", "default"):
            raise InvalidInput(f"network name {self.name!r} is reserved",
                               "bridge, host and none exist on every daemon; choose another name, e.g. app-net.")
        if self.driver not in (None, "bridge", "overlay", "macvlan", "ipvlan"):
            raise InvalidInput(f"invalid network driver: {self.driver!r}",
                               "This course uses 'bridge' (the default); others are overlay, macvlan, ipvlan.")
        for what, value in (("subnet", self.subnet), ("gateway", self.gateway)):
            if value is not None and not isinstance(value, str):
                raise InvalidInput(f"invalid {what}: {value!r}", "Give it as text, e.g. subnet='10.77.0.0/24'.")
        if not isinstance(self.internal, bool):
            raise InvalidInput(f"invalid internal: {self.internal!r}", "Use True or False.")
        if self.gateway and not self.subnet:
            raise InvalidInput("a gateway needs a subnet", "Give both, e.g. --subnet 10.77.0.0/24 --gateway 10.77.0.1.")
        if self.subnet:
            try:
                net = ipaddress.ip_network(self.subnet)
            except ValueError:
                raise InvalidInput(f"invalid subnet: {self.subnet!r}", "Use CIDR notation, e.g. 10.77.0.0/24.") from None
            if self.gateway:
                try:
                    gw = ipaddress.ip_address(self.gateway)
                except ValueError:
                    raise InvalidInput(f"invalid gateway: {self.gateway!r}", "Use an IP address inside the subnet.") from None
                if gw not in net:
                    raise InvalidInput(f"gateway {gw} is outside {net}", "Pick an address inside the subnet, often its first.")
        _check_labels(self.labels)
        return replace(self, name=L.scoped(self.name))

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, session_labels: bool = False) -> str:
        s = self.validated()
        args = ["docker", "network", "create"]
        if s.driver:
            args += ["--driver", s.driver]
        if s.subnet:
            args += ["--subnet", s.subnet]
        if s.gateway:
            args += ["--gateway", s.gateway]
        if s.internal:
            args.append("--internal")
        args += _labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.name)
        return " ".join(map(_q, args))


@dataclass(frozen=True)
class VolumeSpec:
    """``docker volume create [--driver D] [--opt k=v] NAME``."""
    name: str
    driver: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    lesson: str | None = None

    def validated(self) -> "VolumeSpec":
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
        _check_labels(self.labels)
        return replace(self, name=L.scoped(self.name))

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, session_labels: bool = False) -> str:
        s = self.validated()
        args = ["docker", "volume", "create"]
        if s.driver:
            args += ["--driver", s.driver]
        for k, v in s.options.items():
            args += ["--opt", f"{k}={v}"]
        args += _labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.name)
        return " ".join(map(_q, args))


def _context_name_ok(path: str) -> bool:
    """A file name inside a build context: relative, no '..', no NUL, names a file (not a folder)."""
    import posixpath
    return bool(path) and not path.startswith("/") and ".." not in path.split("/") and "\x00" not in path \
        and not path.endswith("/") and posixpath.normpath(path) != "."


@dataclass(frozen=True)
class BuildSpec:
    """``docker build [-f FILE] -t TAG [--no-cache] [--build-arg K=V] CONTEXT``.

    ``files`` maps relative paths to file contents: the context is written to a
    temporary folder (the Dockerfile included, under ``dockerfile``'s name).
    """
    tag: str
    context: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    dockerfile: str = "Dockerfile"
    buildargs: dict[str, str] = field(default_factory=dict)
    nocache: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    lesson: str | None = None

    def validated(self) -> "BuildSpec":
        import os
        V.check_image(self.tag)
        if "@" in self.tag:
            raise InvalidInput(f"invalid tag: {self.tag!r}", "A build tag is repo[:tag], without a digest.")
        if (self.context is None) == (not self.files):
            raise InvalidInput("give a build context folder or the files of one",
                               "e.g. BuildSpec('app:v1', files={'Dockerfile': 'FROM busybox:1.36'}).")
        if not isinstance(self.dockerfile, str) or not _context_name_ok(self.dockerfile):
            raise InvalidInput(f"invalid Dockerfile name: {self.dockerfile!r}",
                               "Give a path inside the build context, e.g. Dockerfile.dev (docker build -f).")
        if self.context is not None and not (isinstance(self.context, str) and os.path.isdir(self.context)):
            raise InvalidInput(f"build context is not a folder: {self.context!r}",
                               "Give the folder that holds the Dockerfile and the files it copies.")
        if not isinstance(self.files, dict) or not isinstance(self.buildargs, dict):
            raise InvalidInput("files and build args are dicts",
                               "e.g. files={'Dockerfile': 'FROM busybox:1.36'}, buildargs={'VERSION': '1'}.")
        for path, text in self.files.items():
            if not isinstance(path, str) or not _context_name_ok(path):
                raise InvalidInput(f"invalid file name in the build context: {path!r}",
                                   "Use relative names inside the context, e.g. app/index.html.")
            if not isinstance(text, (str, bytes)):
                raise InvalidInput(f"invalid content for {path!r}", "File contents are text or bytes.")
        if self.files and self.dockerfile not in self.files:
            raise InvalidInput(f"the context has no {self.dockerfile}",
                               f"Add a file named {self.dockerfile} with a FROM line, e.g. FROM busybox:1.36.")
        for k, v in self.buildargs.items():
            V.check_env_value(V.check_env_key(k), v)
        if not isinstance(self.nocache, bool):
            raise InvalidInput(f"invalid nocache: {self.nocache!r}", "Use True or False.")
        _check_labels(self.labels)
        return replace(self, tag=L.scoped_image(self.tag))

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, session_labels: bool = False) -> str:
        s = self.validated()
        args = ["docker", "build"]
        if s.dockerfile != "Dockerfile":
            args += ["-f", s.dockerfile]
        args += ["-t", s.tag]
        if s.nocache:
            args.append("--no-cache")
        for k, v in s.buildargs.items():
            args += ["--build-arg", f"{k}={v}"]
        args += _labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.context or ".")
        return " ".join(map(_q, args))
