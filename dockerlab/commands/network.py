"""``docker network``: :class:`NetworkSpec`, create, remove, connect, disconnect.

>>> NetworkSpec("app-net").cli()
'docker network create app-net'
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field, replace

from ..engine import names
from ..engine.client import engine
from ..engine.errors import Conflict, InvalidInput, translating
from ..session import labels as L
from . import validate as V
from .argv import FORMAT, FORMAT_F, MANY, NO_TRUNC, NOT_TAUGHT, VALUE, Command, Flag, R, label, register
from .ownership import created_something, require_owned
from .result import Result


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

    def validated(self) -> NetworkSpec:
        import ipaddress
        V.check_name(self.name, "network name")
        if self.name in names.BUILTIN_NETWORKS:
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
        V.check_labels(self.labels)
        return self

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, session_labels: bool = False) -> str:
        s = replace(self.validated(), name=names.scoped(self.name))  # as on the daemon
        args = ["docker", "network", "create"]
        if s.driver:
            args += ["--driver", s.driver]
        if s.subnet:
            args += ["--subnet", s.subnet]
        if s.gateway:
            args += ["--gateway", s.gateway]
        if s.internal:
            args.append("--internal")
        args += V.labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.name)
        return " ".join(map(V.quote, args))


def create(spec: NetworkSpec) -> Result:
    spec = spec.validated()
    cmd = spec.cli()
    e = engine()
    with translating(cmd):
        if any(n["Name"] == spec.name for n in e.networks(names=[spec.name])):
            raise Conflict(f"a network named {spec.name!r} already exists",
                           "Network names should be unique; reuse it or pick another name.", cmd)
        ipam = None
        if spec.subnet:
            pool = {"Subnet": spec.subnet, **({"Gateway": spec.gateway} if spec.gateway else {})}
            ipam = {"Driver": "default", "Config": [pool], "Options": {}}
        created_something()
        n = e.create_network(spec.name, driver=spec.driver or "bridge", internal=spec.internal,
                             labels=spec.all_labels(), ipam=ipam, check_duplicate=True)
    return Result([cmd], id=n["Id"], name=spec.name, text=spec.name)


def remove(ref: str) -> Result:
    cmd = f"docker network rm {shlex.quote(ref)}"
    require_owned("network", ref)
    with translating(cmd):
        engine().remove_network(ref)
    return Result([cmd], name=ref, text=f"{ref}  removed")


def connect(network: str, container: str, aliases: list[str] | tuple[str, ...] = ()) -> Result:
    """``docker network connect [--alias A] NET CONTAINER``: the container must be ours;
    the network ours or one of the daemon's own (bridge)."""
    aliases = [V.check_alias(a) for a in aliases]
    cmd = "docker network connect " + "".join(f"--alias {shlex.quote(a)} " for a in aliases) + \
          f"{shlex.quote(network)} {shlex.quote(container)}"
    require_owned("container", container)
    if network not in names.BUILTIN_NETWORKS:
        require_owned("network", network)
    with translating(cmd):
        engine().connect_container_to_network(container, network, aliases=aliases or None)
    return Result([cmd], name=container, text=f"{container} joined {network}")


def disconnect(network: str, container: str) -> Result:
    cmd = f"docker network disconnect {shlex.quote(network)} {shlex.quote(container)}"
    require_owned("container", container)
    with translating(cmd):
        engine().disconnect_container_from_network(container, network)
    return Result([cmd], name=container, text=f"{container} left {network}")


# ------------------------------------------------------------------ the lines read back (%docker)

def _spec(cmd: Command, o: dict, pos: list[str]) -> dict:
    spec = NetworkSpec(pos[0], driver=o.get("driver"), subnet=o.get("subnet"), gateway=o.get("gateway"),
                       internal=o.get("internal", False), labels=dict(o.get("labels", ())))
    spec = spec.validated()
    return {"spec": replace(spec, name=names.unscoped(spec.name))}  # the line shows the daemon's name


def _n(verb: str, usage: str, *aliases: str, **kw) -> Command:
    return register(Command("network", verb, f"network {usage}", **kw),
                    f"network {verb}", *(f"network {a}" for a in aliases))


_n("create", "create [OPTIONS] NETWORK",
   flags=(Flag("driver", "d", VALUE), Flag("subnet", kind=VALUE), Flag("gateway", kind=VALUE), Flag("internal"),
          Flag("label", kind=MANY, dest="labels", convert=label)),
   refused=(R("--attachable --ipv6 --config-only --ingress", NOT_TAUGHT, "Leave it out.", value=False),
            R("--ip-range --aux-address -o --opt --ipam-driver --ipam-opt --scope --config-from", NOT_TAUGHT,
              "Leave it out.")),
   min_args=1, max_args=1, build=_spec)
_n("ls", "ls [OPTIONS]", "list", flags=(Flag("quiet", "q"),),
   refused=(R("-f --filter", "filters are not read here",
              "Filter the table in Python, e.g. df[df.driver == 'bridge']."),
            FORMAT, NO_TRUNC), max_args=0)
_n("rm", "rm NETWORK [NETWORK...]", "remove", refused=(R("-f --force", NOT_TAUGHT, "Leave it out.", value=False),),
   min_args=1)
_n("connect", "connect [OPTIONS] NETWORK CONTAINER",
   flags=(Flag("alias", kind=MANY, dest="aliases", convert=V.check_alias),),
   refused=(R("--ip --ip6 --link --link-local-ip --driver-opt", NOT_TAUGHT, "Leave it out."),),
   min_args=2, max_args=2)
_n("disconnect", "disconnect NETWORK CONTAINER",
   refused=(R("-f --force", NOT_TAUGHT, "Leave it out.", value=False),), min_args=2, max_args=2)
_n("inspect", "inspect NETWORK [NETWORK...]",
   refused=(FORMAT_F, R("-v --verbose", NOT_TAUGHT, "Leave it out.", value=False)), min_args=1)
