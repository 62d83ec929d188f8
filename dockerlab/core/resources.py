"""The one place that creates and changes daemon resources.

Everything created here carries the session labels; everything changed or removed here
must carry them already (``require_owned``): the toolkit never touches a container,
network, volume or image it did not create. Every function names the ``docker`` CLI
line it performs, so errors carry it and widgets can show it.

>>> c = run(RunSpec("busybox:1.36", "sleep 60", name="demo"))   # doctest: +SKIP
>>> c.cli
'docker run -d --name demo busybox:1.36 sleep 60'
"""
from __future__ import annotations

import atexit
import shlex
import threading
from dataclasses import dataclass, replace

import docker.types

from . import labels as L
from .connection import api, is_podman
from .errors import Conflict, DockerlabError, NotOwned, translate, translating
from .specs import NetworkSpec, RunSpec, VolumeSpec

_atexit_registered = threading.Event()


def _created_something() -> None:
    """First resource of this process: clean up at exit, and reap dead sessions now."""
    if not _atexit_registered.is_set():
        _atexit_registered.set()
        from . import cleanup
        atexit.register(cleanup.clean_session_quietly)
        threading.Thread(target=cleanup.reap_orphans_quietly, name="dockerlab-reaper", daemon=True).start()


@dataclass(frozen=True)
class Created:
    """What an action made, and the CLI line that would have made it."""
    id: str
    name: str
    cli: str
    status: str = ""

    @property
    def short_id(self) -> str:
        return self.id[:12]


def _not_owned(kind: str, ref: str) -> NotOwned:
    return NotOwned(
        f"{kind} {ref!r} was not created by dockerlab in this session; the toolkit leaves it alone",
        f"Resources made outside the toolkit are yours to manage with the docker CLI "
        f"(e.g. docker {kind} rm {ref}).")


def inspect_container(ref: str) -> dict:
    with translating(f"docker container inspect {shlex.quote(ref)}"):
        return L.unscope_all(api().inspect_container(ref))


def require_owned(kind: str, ref: str, any_session: bool = False) -> dict:
    """Inspect ``ref`` and raise NotOwned unless it carries this session's label."""
    cmd = f"docker {kind} inspect {shlex.quote(ref)}"
    with translating(cmd):
        a = api()
        doc = {"container": a.inspect_container, "network": a.inspect_network,
               "volume": a.inspect_volume, "image": a.inspect_image}[kind](ref)
    labels = (doc.get("Config") or {}).get("Labels") if kind in ("container", "image") else doc.get("Labels")
    if not L.is_owned(labels, any_session=any_session):
        raise _not_owned(kind, ref)
    return doc


# ---------------------------------------------------------------- volumes and networks

def create_volume(spec: VolumeSpec) -> Created:
    spec = spec.validated()
    cmd = spec.cli()
    with translating(cmd):
        a = api()
        if _volume_exists(spec.name):
            raise Conflict(f"a volume named {spec.name!r} already exists",
                           "Volume names are unique; reuse it with -v NAME:/path or pick another name.", cmd)
        _created_something()
        v = a.create_volume(spec.name, driver=spec.driver, driver_opts=spec.options or None,
                            labels=spec.all_labels())
    return Created(v["Name"], L.unscoped(v["Name"]), cmd)


def _volume_exists(name: str) -> bool:
    try:
        api().inspect_volume(name)
        return True
    except Exception as e:  # noqa: BLE001
        if getattr(e, "status_code", None) == 404:
            return False
        raise


def ensure_volume(name: str, lesson: str | None = None) -> bool:
    """Create a labelled volume if ``-v name:/path`` would otherwise create an unlabelled one;
    True when it created one."""
    with translating(f"docker volume create {name}"):
        if not _volume_exists(name):
            _created_something()
            api().create_volume(name, labels=L.session_labels(lesson))
            return True
    return False


def _remove_volumes_quietly(names: list[str]) -> None:
    """Volumes made for a container that never started: a failed run leaves nothing behind."""
    for name in names:
        try:
            api().remove_volume(name)
        except Exception:  # noqa: BLE001 - best effort, the original error matters more
            pass


def create_network(spec: NetworkSpec) -> Created:
    spec = spec.validated()
    cmd = spec.cli()
    with translating(cmd):
        a = api()
        if a.networks(names=[spec.name]) and any(n["Name"] == spec.name for n in a.networks(names=[spec.name])):
            raise Conflict(f"a network named {spec.name!r} already exists",
                           "Network names should be unique; reuse it or pick another name.", cmd)
        ipam = None
        if spec.subnet:
            ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet=spec.subnet, gateway=spec.gateway)])
        _created_something()
        n = a.create_network(spec.name, driver=spec.driver or "bridge", internal=spec.internal,
                             labels=spec.all_labels(), ipam=ipam, check_duplicate=True)
    return Created(n["Id"], L.unscoped(spec.name), cmd)


def remove_network(ref: str) -> str:
    cmd = f"docker network rm {shlex.quote(ref)}"
    require_owned("network", ref)
    with translating(cmd):
        api().remove_network(ref)
    return cmd


def remove_volume(ref: str, force: bool = False) -> str:
    cmd = f"docker volume rm {'-f ' if force else ''}{shlex.quote(ref)}"
    require_owned("volume", ref)
    with translating(cmd):
        api().remove_volume(ref, force=force)
    return cmd


def connect(network: str, container: str, aliases: list[str] | tuple[str, ...] = ()) -> str:
    """``docker network connect [--alias A] NET CONTAINER``: the container must be ours;
    the network ours or one of the daemon's own (bridge)."""
    from .specs import _check_alias
    aliases = [_check_alias(a) for a in aliases]
    cmd = "docker network connect " + "".join(f"--alias {shlex.quote(a)} " for a in aliases) + \
          f"{shlex.quote(network)} {shlex.quote(container)}"
    require_owned("container", container)
    if network != "bridge":
        require_owned("network", network)
    engine_name = L.scoped(container)
    if engine_name != L.unscoped(engine_name) and network not in L.BUILTIN_NETWORKS:
        aliases = [*aliases, L.unscoped(engine_name)]  # in a scope, DNS by the chosen name
    with translating(cmd):
        api().connect_container_to_network(engine_name, network, aliases=aliases or None)
    return cmd


def disconnect(network: str, container: str) -> str:
    cmd = f"docker network disconnect {shlex.quote(network)} {shlex.quote(container)}"
    require_owned("container", container)
    with translating(cmd):
        api().disconnect_container_from_network(L.scoped(container), network)
    return cmd


# ---------------------------------------------------------------- containers

def _create_kwargs(spec: RunSpec) -> dict:
    a = api()
    binds, mounts = [], []
    for m in spec.mounts:
        if m.style == "v":
            binds.append(f"{m.source}:{m.target}:{'ro' if m.read_only else 'rw'}")
        else:
            mounts.append(docker.types.Mount(m.target, m.source or None, type=m.type, read_only=m.read_only))
    port_bindings: dict[str, list] = {}
    for p in spec.ports:
        port_bindings.setdefault(p.key, []).append(
            {"HostIp": p.host_ip, "HostPort": "" if p.host_port is None else str(p.host_port)})
    restart, count = ("no", 0) if not spec.restart else (spec.restart.partition(":")[0], int(spec.restart.partition(":")[2] or 0))
    host_config = a.create_host_config(
        binds=binds or None, mounts=mounts or None, port_bindings=port_bindings or None,
        restart_policy={"Name": restart, "MaximumRetryCount": count} if restart != "no" else None,
        auto_remove=spec.remove, network_mode=spec.network or None)
    networking = None
    # host/none take no endpoint settings (Podman refuses any: "networks ... can only be used
    # with Bridge mode networking"; Docker ignores them).
    if spec.network and spec.network not in ("host", "none"):
        aliases = list(spec.aliases)
        if spec.name and L.unscoped(spec.name) != spec.name and spec.network not in L.BUILTIN_NETWORKS:
            aliases.append(L.unscoped(spec.name))  # in a scope, DNS by the name the learner chose
        networking = a.create_networking_config(
            {spec.network: a.create_endpoint_config(aliases=aliases or None)})
    image = a.resolve_image(spec.image) if L.scope() else spec.image
    return dict(
        image=image, command=spec.command or None, name=spec.name,
        detach=spec.detach, stdin_open=spec.interactive, tty=spec.tty,
        environment=[f"{k}={v}" for k, v in spec.env.items()] or None,
        ports=[(p.container_port, p.protocol) for p in spec.ports] or None,
        working_dir=spec.workdir, entrypoint=spec.entrypoint or None, labels=spec.all_labels(),
        hostname=spec.hostname, host_config=host_config, networking_config=networking)


def create_container(spec: RunSpec) -> Created:
    """``docker create``: the container exists, stopped."""
    spec = spec.validated()
    cmd = spec.cli("create")
    return _create(spec, cmd)


def _create(spec: RunSpec, cmd: str, made_volumes: list[str] | None = None) -> Created:
    """``made_volumes`` collects the volumes created for the mounts (removed again on failure)."""
    made = [] if made_volumes is None else made_volumes
    try:
        with translating(cmd):
            for m in spec.mounts:
                if m.type == "volume" and ensure_volume(m.source, spec.lesson):
                    made.append(m.source)
            if spec.network and spec.network not in ("bridge", "host", "none"):
                api().inspect_network(spec.network)  # a clear "no such network" before create
            _created_something()
            try:
                c = api().create_container(**_create_kwargs(spec))
            except Exception as e:  # noqa: BLE001
                if getattr(e, "status_code", None) != 404 or "image" not in str(e).lower():
                    raise
                # Like `docker run`: not in the local cache, so pull it, then create.
                pull_missing(spec.image, cmd)
                c = api().create_container(**_create_kwargs(spec))
    except Exception:
        _remove_volumes_quietly(made)
        raise
    return Created(c["Id"], L.unscoped(spec.name or ""), cmd, "created")


def pull_missing(image: str, cmd: str) -> None:
    """Pull ``image`` (``latest`` when no tag is given); an ImageNotFound says why not."""
    from .errors import ImageNotFound
    repo, tag = _split_ref(image)
    try:
        for event in api().pull(repo, tag=tag, stream=True, decode=True):
            if "error" in event:
                raise RuntimeError(event["error"])
    except Exception as e:  # noqa: BLE001
        reason = translate(e, cmd)
        pulled = f"{repo}:{tag}" if tag else repo  # say what was asked of the registry: latest by default
        raise ImageNotFound(
            f"image {image!r} is not in the local cache and could not be pulled as {pulled} ({reason.message})",
            "Check the name and tag (`docker images` lists what is here). Without a registry, "
            "`dockerlab images --offline` builds the course images.", cmd) from e


def _split_ref(image: str) -> tuple[str, str]:
    """``nginx`` -> (nginx, latest): latest is only the default tag, not 'the newest'."""
    if "@" in image:
        return image, None
    name, _, tag = image.rpartition(":")
    if not name or "/" in tag:
        return image, "latest"
    return name, tag


def run(spec: RunSpec, wait_timeout: float = 120) -> Created:
    """``docker run``: create and start. A detached run returns at once; a foreground
    one waits for the exit and returns a :class:`RunOutput` with the output."""
    spec = spec.validated()
    cmd = spec.cli("run")
    foreground_rm = spec.remove and not spec.detach
    # A foreground --rm run must still hand back its output: we remove the container
    # ourselves after reading it, instead of racing the daemon's auto-remove.
    made_volumes: list[str] = []
    created = _create(replace(spec, remove=False) if foreground_rm else spec, cmd, made_volumes)
    with translating(cmd):
        try:
            # The name before start: Podman 4.3 may fail to inspect a container that has just
            # exited ("read /proc/PID/cgroup: no such process").
            name = created.name or api().inspect_container(created.id)["Name"].lstrip("/")
            api().start(created.id)
        except Exception:
            _remove_quietly(created.id)  # leave nothing behind on a failed start
            _remove_volumes_quietly(made_volumes)
            raise
        if spec.detach:
            return Created(created.id, L.unscoped(name), cmd, "running")
        try:
            code = api().wait(created.id, timeout=wait_timeout)["StatusCode"]
            out = api().logs(created.id, stdout=True, stderr=True)
        finally:
            if foreground_rm:
                _remove_quietly(created.id)
        return RunOutput(created.id, name, cmd, f"exited ({code})", code, out.decode(errors="replace"))


@dataclass(frozen=True)
class RunOutput(Created):
    exit_code: int = 0
    output: str = ""


def _remove_quietly(cid: str) -> None:
    try:
        api().remove_container(cid, force=True, v=True)
    except Exception:  # noqa: BLE001 - best effort, the original error matters more
        pass


def container_action(ref: str, action: str, timeout: int = 3) -> str:
    """start / stop / restart / kill / pause / unpause / remove, on our containers only."""
    verbs = {"start", "stop", "restart", "kill", "pause", "unpause", "remove"}
    if action not in verbs:
        raise DockerlabError(f"unknown container action {action!r}", f"Use one of {sorted(verbs)}.")
    q = shlex.quote(ref)
    cmd = {"remove": f"docker rm -f -v {q}", "stop": f"docker stop -t {timeout} {q}",
           "restart": f"docker restart -t {timeout} {q}"}.get(action, f"docker {action} {q}")
    require_owned("container", ref)
    a = api()
    with translating(cmd):
        if action == "remove":
            a.remove_container(ref, force=True, v=True)
        elif action in ("stop", "restart"):
            getattr(a, action)(ref, timeout=timeout)
        else:
            getattr(a, action)(ref)
    return cmd


@dataclass(frozen=True)
class ExecResult:
    cli: str
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def exec_in(ref: str, command: list[str] | str, workdir: str | None = None, user: str | None = None,
            env: dict[str, str] | None = None) -> ExecResult:
    """``docker exec``: a new process in a running container; the main process is untouched."""
    from .specs import _split
    argv = _split(command)
    if not argv:
        from .errors import InvalidInput
        raise InvalidInput("no command to run", "Type a command, e.g. ls / or cat /etc/os-release.")
    cmd = "docker exec " + (f"-w {shlex.quote(workdir)} " if workdir else "") + \
          (f"-u {shlex.quote(user)} " if user else "") + f"{shlex.quote(ref)} " + " ".join(map(shlex.quote, argv))
    require_owned("container", ref)
    a = api()
    with translating(cmd):
        e = a.exec_create(ref, argv, workdir=workdir, user=user or "", environment=env)
        out, err = a.exec_start(e["Id"], demux=True)
        code = a.exec_inspect(e["Id"])["ExitCode"]
    dec = lambda b: (b or b"").decode(errors="replace")  # noqa: E731
    return ExecResult(cmd, code, dec(out), dec(err))


def wait(ref: str, timeout: float = 60) -> int:
    with translating(f"docker wait {shlex.quote(ref)}"):
        return api().wait(ref, timeout=timeout)["StatusCode"]


def logs(ref: str, tail: int | str = "all", timestamps: bool = False) -> list[tuple[str, str]]:
    """The container's log as (stream, line) pairs, stdout and stderr told apart, in order."""
    from .streams import read_logs
    return read_logs(ref, tail=tail, timestamps=timestamps)


def top(ref: str) -> dict:
    """``docker top``: the container's processes as the host sees them (host PIDs)."""
    cmd = f"docker top {shlex.quote(ref)}"
    with translating(cmd):
        a = api()
        if not is_podman():
            return a.top(ref)
        # Podman's `top` shows PIDs inside the container unless asked for host PIDs (psgo
        # descriptors, comma-separated), and answers a stopped container with an empty body.
        res = a._get(a._url("/containers/{0}/top", ref), params={"ps_args": "user,hpid,args"})
        a._raise_for_status(res)
        if not res.content.strip():
            raise Conflict(f"container {ref!r} is not running (Podman lists no processes)",
                           "Start the container first (docker start NAME); a stopped container "
                           "has no processes.", cmd)
        doc = res.json()
        names = {"USER": "UID", "HPID": "PID", "COMMAND": "CMD"}  # docker top's (ps -ef) titles
        doc["Titles"] = [names.get(t, t) for t in doc.get("Titles") or []]
        return doc


def remove_image(ref: str, force: bool = False) -> str:
    cmd = f"docker rmi {'-f ' if force else ''}{shlex.quote(ref)}"
    require_owned("image", ref)
    with translating(cmd):
        api().remove_image(ref, force=force)
    return cmd


def container_exists(ref: str) -> bool:
    with translating(f"docker container inspect {shlex.quote(ref)}"):
        try:
            api().inspect_container(ref)
            return True
        except Exception as e:  # noqa: BLE001
            if getattr(e, "status_code", None) == 404:
                return False
            raise
