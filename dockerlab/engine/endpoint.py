"""Which Docker endpoint this process uses, and why.

The order is docker-py 7.2's ``docker.from_env()`` (and the Docker CLI's):

1. ``DOCKER_HOST`` (with ``DOCKER_TLS_VERIFY`` / ``DOCKER_CERT_PATH`` for TLS);
2. else the current Docker CLI context: ``DOCKER_CONTEXT``, else ``currentContext`` in
   ``~/.docker/config.json`` (``$DOCKER_CONFIG/config.json``), read through docker-py's
   ``docker.context.ContextAPI`` from ``contexts/meta/<sha256(name)>/meta.json`` and its TLS
   files — Docker Desktop, Colima, Rancher Desktop and ``docker context use`` live here;
3. else the default socket (``unix:///var/run/docker.sock``, ``npipe:////./pipe/docker_engine``
   on Windows).

:func:`resolve` returns an :class:`Endpoint` for ``dockerlab doctor`` and the widgets'
connection panel; ``Endpoint.client_kwargs()`` builds a client that connects there.

>>> ep = resolve({"DOCKER_HOST": "tcp://10.0.0.5:2375"})
>>> ep.url, ep.source, ep.tls
('tcp://10.0.0.5:2375', 'DOCKER_HOST', False)
>>> ep.describe()
'tcp://10.0.0.5:2375 (DOCKER_HOST)'
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import docker
from docker.constants import DEFAULT_NPIPE, IS_WINDOWS_PLATFORM
from docker.context import ContextAPI
from docker.context.config import get_current_context_name, get_meta_file
from docker.utils import kwargs_from_env
from docker.utils.config import find_config_file

DEFAULT_SOCKET = DEFAULT_NPIPE if IS_WINDOWS_PLATFORM else "unix:///var/run/docker.sock"
SOURCE_ENV = "DOCKER_HOST"
SOURCE_DEFAULT = "default socket"


@dataclass(frozen=True)
class Endpoint:
    """The endpoint a client made by ``docker.from_env()`` connects to."""
    url: str                      # unix:///..., tcp://host:2376, ssh://user@host, npipe://...
    source: str                   # "DOCKER_HOST" | "context NAME" | "default socket"
    why: str                      # one sentence: what chose it
    context: str | None = None    # the Docker CLI context used, if any
    tls: bool = False             # TLS is used (tcp:// with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH or context TLS files)
    tls_verify: bool = False      # the daemon's certificate is checked against ca_cert
    ca_cert: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    notes: tuple[str, ...] = field(default=())   # what a learner should know (missing files, ...)
    _tls_config: object = field(default=None, repr=False, compare=False)

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0] if "://" in self.url else "tcp"

    @property
    def is_local_socket(self) -> bool:
        return self.scheme in ("unix", "npipe", "http+unix")

    def describe(self) -> str:
        """``URL (source)``, plus ``, TLS verified`` / ``, TLS unverified`` when TLS is on."""
        tls = (", TLS verified" if self.tls_verify else ", TLS without verification") if self.tls else ""
        return f"{self.url} ({self.source}{tls})"

    def client_kwargs(self) -> dict:
        """``base_url`` and ``tls`` for ``docker.DockerClient(**kwargs, version=..., timeout=...)``."""
        kw: dict = {"base_url": self.url}
        if self._tls_config is not None:
            kw["tls"] = self._tls_config
        return kw

    def client(self, **kwargs) -> docker.DockerClient:
        """A DockerClient for this endpoint (``version="auto"`` unless given)."""
        kwargs.setdefault("version", "auto")
        return docker.DockerClient(**self.client_kwargs(), **kwargs)

    def as_dict(self) -> dict:
        return {"url": self.url, "source": self.source, "why": self.why, "context": self.context,
                "tls": self.tls, "tls_verify": self.tls_verify, "ca_cert": self.ca_cert,
                "client_cert": self.client_cert, "client_key": self.client_key, "notes": list(self.notes)}


def _tls_facts(tls) -> dict:
    """TLS facts from a docker.tls.TLSConfig (or None / a bool)."""
    if tls is None or tls is False:
        return {"tls": False}
    if tls is True:
        return {"tls": True, "tls_verify": False}
    cert = getattr(tls, "cert", None) or (None, None)
    verify = getattr(tls, "verify", False)
    ca = getattr(tls, "ca_cert", None)
    return {"tls": True, "tls_verify": bool(verify), "ca_cert": ca,
            "client_cert": cert[0], "client_key": cert[1], "_tls_config": tls}


def _missing_files(facts: dict) -> list[str]:
    return [f"{what} {path} does not exist" for what, path in
            (("CA certificate", facts.get("ca_cert")), ("client certificate", facts.get("client_cert")),
             ("client key", facts.get("client_key"))) if path and not os.path.exists(path)]


def _from_docker_host(env: Mapping[str, str]) -> Endpoint:
    try:
        params = kwargs_from_env(environment=dict(env))
    except docker.errors.TLSParameterError as e:   # DOCKER_CERT_PATH files missing: docker-py refuses
        cert_path = env.get("DOCKER_CERT_PATH") or os.path.join(os.path.expanduser("~"), ".docker")
        missing = [f for f in ("ca.pem", "cert.pem", "key.pem") if not os.path.exists(os.path.join(cert_path, f))]
        return Endpoint(url=env["DOCKER_HOST"], source=SOURCE_ENV, why="DOCKER_HOST is set", tls=True,
                        tls_verify=True, notes=(f"TLS cannot start: {cert_path} lacks {', '.join(missing) or 'usable files'}"
                                                f" ({str(e).split('.')[0]})",))
    facts = _tls_facts(params.get("tls"))
    notes = _missing_files(facts)
    url = env["DOCKER_HOST"]
    if url.startswith("ssh://"):
        notes.append("ssh:// goes through paramiko (docker[ssh]) with your ~/.ssh keys and known_hosts")
    return Endpoint(url=url, source=SOURCE_ENV, why="DOCKER_HOST is set", notes=tuple(notes), **facts)


def _context_name(env: Mapping[str, str]) -> tuple[str, str]:
    """(context name, what named it) as docker-py reads them."""
    if env.get("DOCKER_CONTEXT"):
        return env["DOCKER_CONTEXT"], "DOCKER_CONTEXT is set"
    name = get_current_context_name()
    cfg = find_config_file()
    return name, (f"currentContext in {cfg!s}" if name != "default" and cfg else "no context is selected")


def resolve(environ: Mapping[str, str] | None = None) -> Endpoint:
    """The endpoint ``docker.from_env(environment=environ)`` connects to, and why.

    ``environ`` defaults to ``os.environ``. The context files are found as docker-py finds
    them (``DOCKER_CONFIG``, else ``~/.docker``, from the process environment)."""
    env = os.environ if environ is None else environ
    if env.get("DOCKER_HOST"):
        return _from_docker_host(env)
    name, named_by = _context_name(env)
    notes: list[str] = []
    if name != "default":
        try:
            ctx = ContextAPI.get_context(name)
        except Exception as e:  # noqa: BLE001 - a corrupt meta.json: docker-py would raise too
            return Endpoint(url=DEFAULT_SOCKET, source=f"context {name}", context=name,
                            why=f"{named_by}, but its meta.json cannot be read",
                            notes=(f"context {name!r}: {e}", "fix or remove it: docker context rm " + name))
        if ctx is not None and ctx.Host:
            facts = _tls_facts(ctx.TLSConfig)
            if not facts["tls"] and ctx.endpoints.get("docker", {}).get("SkipTLSVerify") is False \
                    and ctx.Host.startswith(("tcp://", "https://")):
                notes.append("the context asks for TLS but has no TLS files")
            notes += _missing_files(facts)
            return Endpoint(url=ctx.Host, source=f"context {name}", context=name,
                            why=f"the current Docker CLI context ({named_by})", notes=tuple(notes), **facts)
        meta = get_meta_file(name)
        notes.append(f"context {name!r} ({named_by}) is not found at {meta}: the Docker CLI would refuse it, "
                     "docker-py falls back to the default socket")
    why = "no DOCKER_HOST and no Docker CLI context" if name == "default" else f"context {name!r} is missing"
    return Endpoint(url=DEFAULT_SOCKET, source=SOURCE_DEFAULT, why=why, notes=tuple(notes))


def cli_view(environ: Mapping[str, str] | None = None) -> dict:
    """The raw inputs, for a 'why' panel: the variables and the config file read."""
    env = os.environ if environ is None else environ
    cfg = find_config_file()
    current = None
    if cfg:
        try:
            with open(cfg) as f:
                current = json.load(f).get("currentContext")
        except (OSError, ValueError):
            current = None
    return {k: env.get(k) for k in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
                                    "DOCKER_CONFIG")} | {"config_file": cfg, "currentContext": current}
