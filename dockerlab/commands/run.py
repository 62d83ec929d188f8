"""``docker run`` and ``docker create``: :class:`RunSpec` in, a running container out.

The spec is validated before the daemon sees it and renders the exact ``docker run`` line
that makes the same container (an integration test runs both and compares inspect data).
Creating labels the container and any volume ``-v`` would make; a failed start leaves
nothing behind.

>>> RunSpec("nginx:1.25", name="web", ports=["8080:80"]).cli()
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..engine import names
from ..engine.client import engine
from ..engine.errors import ImageNotFound, InvalidInput, translate, translating
from ..session import labels as L
from . import validate as V
from .ownership import created_something
from .result import Result
from .run_options import Mount, Port
from .volume import ensure_volume, remove_volumes_quietly


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
    user: str | None = None

    def validated(self) -> RunSpec:
        """A normalised copy, or InvalidInput with a hint. Nothing reaches the daemon."""
        image = V.check_image(self.image)
        name = V.check_name(self.name, "container name") if self.name not in (None, "") else None
        command = V.split_command(self.command)
        entrypoint = V.split_command(self.entrypoint)
        if len(entrypoint) > 1:
            # `--entrypoint` takes one executable: its arguments go first in the command.
            command, entrypoint = entrypoint[1:] + command, entrypoint[:1]
        ports = tuple((p if isinstance(p, Port) else Port.parse(p)).validated()
                      for p in V.several(self.ports, "ports", "['8080:80']", (Port,)))
        seen = {}
        for p in ports:
            if p.host_port is not None:
                k = (p.host_ip, p.host_port, p.protocol)
                if k in seen:
                    raise InvalidInput(f"host port {p.host_port} is mapped twice",
                                       "Each host port can be published once; pick another host port.",
                                       field="ports")
                seen[k] = p
        mounts = tuple(m if isinstance(m, Mount) else Mount.parse(m)
                       for m in V.several(self.mounts, "mounts", "['data:/data']", (Mount,)))
        targets = [m.validated().target for m in mounts]
        if len(set(targets)) != len(targets):
            raise InvalidInput("two mounts share a target path", "Mount each path inside the container once.",
                               field="mounts")
        network = V.check_name(self.network, "network name") if self.network else None
        aliases = tuple(V.check_alias(a) for a in V.several(self.aliases, "aliases", "['search']"))
        if aliases and not network:
            raise InvalidInput("a network alias needs a network",
                               "Aliases live on user-defined networks: set the network too, e.g. --network app.",
                               field="aliases")
        if network in ("host", "none") and (ports or aliases):
            raise InvalidInput(f"ports and aliases do not apply to --network {network}",
                               "Use a bridge or user-defined network to publish ports or add aliases.",
                               field="network")
        workdir = V.check_container_path(self.workdir, "working directory") if self.workdir else None
        restart, _ = V.check_restart(self.restart)
        if self.remove and restart != "no":
            raise InvalidInput("--rm cannot be combined with a restart policy",
                               "A container removed on exit cannot be restarted: drop --rm or the restart policy.",
                               field="restart")
        if self.hostname is not None and not (isinstance(self.hostname, str)
                                              and re.match(r"^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}\Z", self.hostname)):
            raise InvalidInput(f"invalid hostname: {self.hostname!r}", "Use letters, digits, '.' and '-'.")
        if self.lesson is not None and not (isinstance(self.lesson, str) and V.NAME_RE.match(self.lesson)):
            raise InvalidInput(f"invalid lesson: {self.lesson!r}", "Lessons are short names like '01-running'.")
        if not all(isinstance(f, bool) for f in (self.detach, self.interactive, self.tty, self.remove)):
            raise InvalidInput("detach, interactive, tty and remove are yes/no", "Use True or False.")
        user = V.check_user(self.user) if self.user not in (None, "") else None
        return replace(self, image=image, name=name, command=command, entrypoint=entrypoint, ports=ports,
                       env=V.check_env(self.env), mounts=mounts, network=network, aliases=aliases,
                       workdir=workdir, restart=self.restart or None, labels=V.check_labels(self.labels), user=user)

    def on_daemon(self) -> RunSpec:
        """This (validated) spec with its names as they are on the daemon."""
        return replace(self, name=names.scoped(self.name), network=names.scoped(self.network),
                       mounts=tuple(replace(m, source=names.scoped(m.source) or "") if m.type == "volume" else m
                                    for m in self.mounts))

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, verb: str = "run", session_labels: bool = False) -> str:
        """The ``docker run`` (or ``docker create``) line. ``session_labels`` adds the
        toolkit's labels, which a learner does not type (used to prove equivalence)."""
        # Shown with the names as they are on the daemon (a classroom scope's, if any), so
        # the line works as typed in a terminal beside the notebook.
        s = self.validated().on_daemon()
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
        if s.user:
            args += ["--user", s.user]
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
        args += V.labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.image)
        args += list(s.command or [])
        return " ".join(V.quote(a) if i > 1 else a for i, a in enumerate(args))


def _create_kwargs(spec: RunSpec) -> dict:
    """``create_container``'s arguments for a validated spec, in the learner's names (the
    engine scopes them)."""
    e = engine()
    binds, mounts = [], []
    for m in spec.mounts:
        if m.style == "v":
            binds.append(f"{m.source}:{m.target}:{'ro' if m.read_only else 'rw'}")
        else:
            mounts.append({"Target": m.target, "Source": m.source or None, "Type": m.type, "ReadOnly": m.read_only})
    port_bindings: dict[str, list] = {}
    for p in spec.ports:
        port_bindings.setdefault(p.key, []).append(
            {"HostIp": p.host_ip, "HostPort": "" if p.host_port is None else str(p.host_port)})
    restart, _, count = (spec.restart or "no").partition(":")
    host_config = e.create_host_config(
        binds=binds or None, mounts=mounts or None, port_bindings=port_bindings or None,
        restart_policy={"Name": restart, "MaximumRetryCount": int(count or 0)} if restart != "no" else None,
        auto_remove=spec.remove, network_mode=spec.network or None)
    networking = None
    # host/none take no endpoint settings (Podman refuses any: "networks ... can only be used
    # with Bridge mode networking"; Docker ignores them).
    if spec.network and spec.network not in ("host", "none"):
        networking = e.create_networking_config(
            {spec.network: e.create_endpoint_config(aliases=list(spec.aliases) or None)})
    return dict(
        image=spec.image, command=spec.command or None, name=spec.name,
        detach=spec.detach, stdin_open=spec.interactive, tty=spec.tty,
        environment=[f"{k}={v}" for k, v in spec.env.items()] or None,
        ports=[(p.container_port, p.protocol) for p in spec.ports] or None,
        working_dir=spec.workdir, entrypoint=spec.entrypoint or None, labels=spec.all_labels(),
        hostname=spec.hostname, user=spec.user or None, host_config=host_config, networking_config=networking)


def create(spec: RunSpec) -> Result:
    """``docker create``: the container exists, stopped."""
    spec = spec.validated()
    return _create(spec, spec.cli("create"))


def _create(spec: RunSpec, cmd: str, made_volumes: list[str] | None = None) -> Result:
    """``made_volumes`` collects the volumes created for the mounts (removed again on failure)."""
    made = [] if made_volumes is None else made_volumes
    e = engine()
    try:
        with translating(cmd):
            for m in spec.mounts:
                if m.type == "volume" and ensure_volume(m.source, spec.lesson):
                    made.append(m.source)
            if spec.network and spec.network not in names.BUILTIN_NETWORKS:
                e.inspect_network(spec.network)  # a clear "no such network" before create
            created_something()
            try:
                c = e.create_container(**_create_kwargs(spec))
            except ImageNotFound:
                # Like `docker run`: not in the local cache, so pull it, then create.
                pull_missing(spec.image, cmd)
                c = e.create_container(**_create_kwargs(spec))
    except Exception:
        remove_volumes_quietly(made)
        raise
    return Result([cmd], id=c["Id"], name=spec.name or "", status="created")


def pull_missing(image: str, cmd: str) -> None:
    """Pull ``image`` (``latest`` when no tag is given); an ImageNotFound says why not."""
    repo, tag = names.split_ref(image)
    pull_tag: str | None = tag
    if "@" in image:
        repo, pull_tag = image, None
    try:
        for event in engine().pull(repo, tag=pull_tag, stream=True, decode=True):
            if "error" in event:
                raise RuntimeError(event["error"])
    except Exception as e:
        reason = translate(e, cmd)
        pulled = f"{repo}:{pull_tag}" if pull_tag else repo  # say what was asked of the registry: latest by default
        raise ImageNotFound(
            f"image {image!r} is not in the local cache and could not be pulled as {pulled} ({reason.message})",
            "Check the name and tag (`docker images` lists what is here). Without a registry, "
            "`dockerlab images --offline` builds the course images.", cmd) from e


def run(spec: RunSpec, wait_timeout: float = 120) -> Result:
    """``docker run``: create and start. A detached run returns at once (status running);
    a foreground one waits for the exit and returns its exit code and output."""
    from .container import remove_quietly
    spec = spec.validated()
    cmd = spec.cli("run")
    foreground_rm = spec.remove and not spec.detach
    # A foreground --rm run must still hand back its output: we remove the container
    # ourselves after reading it, instead of racing the daemon's auto-remove.
    made_volumes: list[str] = []
    created = _create(replace(spec, remove=False) if foreground_rm else spec, cmd, made_volumes)
    e = engine()
    with translating(cmd):
        try:
            # The name before start: Podman 4.3 may fail to inspect a container that has just
            # exited ("read /proc/PID/cgroup: no such process").
            name = created.name or e.inspect_container(created.id)["Name"].lstrip("/")
            e.start(created.id)
        except Exception:
            remove_quietly(created.id)  # leave nothing behind on a failed start
            remove_volumes_quietly(made_volumes)
            raise
        if spec.detach:
            return Result([cmd], id=created.id, name=name, status="running", text=f"{name}  running")
        try:
            code = e.wait(created.id, timeout=wait_timeout)["StatusCode"]
            out = e.logs(created.id, stdout=True, stderr=True).decode(errors="replace")
        finally:
            if foreground_rm:
                remove_quietly(created.id)
        return Result([cmd], id=created.id, name=name, status=f"exited ({code})", exit_code=code,
                      stdout=out, text=out, extra={"exit_code": code})
