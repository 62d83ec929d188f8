"""Names on the daemon: the classroom scope, both ways, and every image-reference rule.

Names are the one thing every session on a daemon shares. A classroom gives each learner a
scope (``DOCKERLAB_SCOPE=c3``), like Compose's project name: every name a learner picks
("web", "app-net", "data", "site:v1") is "web--c3" on the daemon. This module is the only
place that knows it. :class:`~dockerlab.engine.client.Engine` calls :func:`scope_call` on
the way in (paths, query filters, request bodies) and :func:`unscope_all` on the way out, so
nothing above the engine ever sees a scoped name. Without a scope every name is as given.

>>> split_ref("127.0.0.1:5000/me/app")
('127.0.0.1:5000/me/app', 'latest')
>>> describe_ref("me/app:v1")["registry"]
'docker.io'
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, overload

from docker.auth import split_repo_name
from docker.utils import parse_repository_tag

SCOPE_SEP = "--"
#: The networks every Docker engine has, in the order `docker network ls` shows them.
DOCKER_NETWORKS = ("bridge", "host", "none")
#: The engine's own networks (Podman calls its default bridge "podman"; Compose says
#: "default"): never scoped, never created or removed, no DNS by name on them.
BUILTIN_NETWORKS = frozenset({*DOCKER_NETWORKS, "default", "podman"})
_ID_RE = re.compile(r"^(sha256:)?[0-9a-f]{12,64}\Z")


def scope() -> str:
    """This process's classroom scope ('' when there is none)."""
    return os.environ.get("DOCKERLAB_SCOPE", "")


def is_id(ref: str) -> bool:
    return bool(_ID_RE.match(ref))


# ---------------------------------------------------------------- resource names

@overload
def scoped(name: str) -> str: ...
@overload
def scoped(name: None) -> None: ...


def scoped(name: str | None) -> str | None:
    """``name`` as it is on the daemon (ids, built-in networks and scoped names unchanged)."""
    s = scope()
    if not s or not name or not isinstance(name, str) or name in BUILTIN_NETWORKS or is_id(name) \
            or name.endswith(SCOPE_SEP + s):
        return name
    return f"{name}{SCOPE_SEP}{s}"


def unscoped(name: str) -> str:
    """The learner's name for a daemon name of this scope."""
    s = scope()
    return name[: -len(SCOPE_SEP + s)] if s and name.endswith(SCOPE_SEP + s) else name


def unscope_all(obj: Any) -> Any:
    """A daemon document in the learner's names: the scope suffix leaves every string and key."""
    s = scope()
    if not s:
        return obj
    pattern = re.compile(re.escape(SCOPE_SEP + s) + r"\b")

    def walk(o: Any) -> Any:
        if isinstance(o, str):
            return pattern.sub("", o)
        if isinstance(o, dict):
            return {walk(k): walk(v) for k, v in o.items()}
        if isinstance(o, (list, tuple)):
            return type(o)(walk(v) for v in o)
        return o
    return walk(obj)


# ---------------------------------------------------------------- image references
# docker-py's own parsers: parse_repository_tag (repo, tag), split_repo_name (registry, rest).

def split_ref(ref: str) -> tuple[str, str]:
    """'127.0.0.1:5000/app:v1' -> ('127.0.0.1:5000/app', 'v1'); no tag means 'latest'.
    A digest reference keeps its digest as the 'tag' (``repo@sha256:...``)."""
    repo, tag = parse_repository_tag(ref)
    return repo, tag or "latest"


def registry_of(ref: str) -> str:
    """'127.0.0.1:5000/me/app' -> '127.0.0.1:5000'; Docker Hub names -> 'docker.io'."""
    return split_repo_name(split_ref(ref)[0])[0]


def familiar(ref: str) -> str:
    """A name as the learner typed it: Podman reports docker.io/library/nginx:1.25 where
    Docker keeps nginx:1.25 (no tag is added)."""
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


def normalize_ref(ref: str) -> str:
    """The form `docker images` shows: explicit tag, no `docker.io/library/` prefix."""
    repo, tag = split_ref(ref)
    return f"{familiar(repo)}:{tag}"


def repository(ref: str) -> str:
    """The repository of a reference, familiar and without tag: 'docker.io/library/nginx:1' -> 'nginx'."""
    return familiar(split_ref(ref)[0])


def describe_ref(ref: str) -> dict[str, str]:
    """How Docker reads an image name: [registry/][user/]repo[:tag]."""
    repo, tag = split_ref(ref)
    registry, rest = split_repo_name(repo)
    parts = rest.split("/")
    user = parts[0] if len(parts) > 1 else ("library" if registry == "docker.io" else "")
    return {"name": ref, "registry": registry, "user": user, "repo": parts[-1], "tag": tag}


def scoped_image(ref: str) -> str:
    """A learner's image reference in this scope: the repository's last part is scoped and
    the tag kept (``me/app:v1`` -> ``me/app--c3:v1``). References into a registry
    (``127.0.0.1:5000/me/app``) stay: each learner runs their own registry."""
    if not scope() or not ref or "@" in ref or is_id(ref) or registry_of(ref) != "docker.io" \
            and "/" in ref:
        return ref
    head, sep, last = ref.rpartition("/")
    name, colon, tag = last.partition(":")
    return f"{head}{sep}{scoped(name)}{colon}{tag}"


# ---------------------------------------------------------------- the calls that carry names
#: APIClient method -> what its first positional argument names. Every method the toolkit
#: calls is listed: the Engine refuses one that is not, so no name escapes the scope.
PATH_ARGS: dict[str, str | None] = {
    **dict.fromkeys((
        "inspect_container", "start", "stop", "restart", "kill", "pause", "unpause", "remove_container",
        "wait", "logs", "top", "stats", "exec_create", "get_archive", "put_archive", "attach",
        "resize", "rename", "update_container", "commit", "diff", "export", "port"), "container"),
    **dict.fromkeys(("inspect_network", "remove_network"), "network"),
    **dict.fromkeys(("inspect_volume", "remove_volume"), "volume"),
    **dict.fromkeys(("inspect_image", "remove_image", "history", "tag", "get_image"), "image"),
    **dict.fromkeys((
        "containers", "networks", "volumes", "images", "version", "info", "df", "events", "exec_start",
        "exec_inspect", "create_container", "create_network", "create_volume", "connect_container_to_network",
        "disconnect_container_from_network", "create_host_config", "create_networking_config",
        "create_endpoint_config", "pull", "push", "build", "import_image", "load_image", "login",
        "prune_containers", "ping", "close"), None),
}
#: Methods whose answer is a document worth unscoping (streams and bytes are left alone).
DOCUMENTS = frozenset({
    "inspect_container", "inspect_network", "inspect_volume", "inspect_image", "containers", "networks",
    "volumes", "images", "history", "top", "create_network", "create_volume", "wait", "exec_inspect",
})


def scope_call(method: str, args: tuple, kwargs: dict,
               resolve_image: Callable[[str], str]) -> tuple[tuple, dict]:
    """(args, kwargs) of an APIClient call with every resource name as it is on the daemon."""
    if not scope():
        return args, kwargs
    kind = PATH_ARGS[method]
    if args and isinstance(args[0], str) and kind:
        first = resolve_image(args[0]) if kind == "image" else scoped(args[0])
        args = (first, *args[1:])
    kwargs = dict(kwargs)
    if method == "tag" and len(args) > 1:
        args = (args[0], scoped_image(args[1]), *args[2:])
    elif method == "tag" and "repository" in kwargs:
        kwargs["repository"] = scoped_image(kwargs["repository"])
    elif method == "create_container":
        kwargs = _scoped_container_body(kwargs, resolve_image)
    elif method in ("create_network", "create_volume"):
        if args:
            args = (scoped(args[0]), *args[1:])
        elif "name" in kwargs:
            kwargs["name"] = scoped(kwargs["name"])
    elif method in ("connect_container_to_network", "disconnect_container_from_network"):
        container, net = (list(args) + [kwargs.pop("container", None), kwargs.pop("net_id", None)])[:2]
        args = (scoped(container), scoped(net), *args[2:])
        if method == "connect_container_to_network" and net not in BUILTIN_NETWORKS:
            # In a scope the container also answers DNS to the name the learner chose.
            kwargs["aliases"] = [*(kwargs.get("aliases") or []), unscoped(scoped(container) or "")]
    elif method == "build" and kwargs.get("tag"):
        kwargs["tag"] = scoped_image(kwargs["tag"])
    elif method in ("push",) and args:
        args = (scoped_image(args[0]), *args[1:])
    elif method in ("containers", "networks", "volumes", "images") and kwargs.get("filters"):
        kwargs["filters"] = _scoped_filters(kwargs["filters"])
    if method == "networks" and kwargs.get("names"):
        kwargs["names"] = [scoped(n) for n in kwargs["names"]]
    return args, kwargs


def _scoped_filters(filters: dict) -> dict:
    out = dict(filters)
    for key in ("name", "network", "volume"):
        if key in out:
            out[key] = [scoped(v) for v in out[key]]
    return out


def _scoped_container_body(kw: dict, resolve_image: Callable[[str], str]) -> dict:
    """``create_container``: its name, image, network, volume sources and DNS aliases."""
    kw["name"] = scoped(kw.get("name"))
    if kw.get("image"):
        kw["image"] = resolve_image(kw["image"])
    hc = kw.get("host_config")
    if hc:
        hc = dict(hc)
        if hc.get("NetworkMode"):
            hc["NetworkMode"] = scoped(hc["NetworkMode"])
        if hc.get("Binds"):
            hc["Binds"] = [_scoped_bind(b) for b in hc["Binds"]]
        if hc.get("Mounts"):
            hc["Mounts"] = [{**m, "Source": scoped(m.get("Source"))} if m.get("Type") == "volume" else m
                            for m in hc["Mounts"]]
        kw["host_config"] = hc
    nc = kw.get("networking_config")
    if nc and nc.get("EndpointsConfig"):
        eps = {}
        for net, ep in nc["EndpointsConfig"].items():
            ep = dict(ep or {})
            if kw.get("name") and net not in BUILTIN_NETWORKS:
                ep["Aliases"] = [*(ep.get("Aliases") or []), unscoped(kw["name"])]
            eps[scoped(net)] = ep
        kw["networking_config"] = {**nc, "EndpointsConfig": eps}
    return kw


def _scoped_bind(bind: str) -> str:
    """'data:/data:rw' names a volume (scoped); '/host/path:/x' is a host path (kept)."""
    source, sep, rest = bind.partition(":")
    return bind if source.startswith("/") else f"{scoped(source)}{sep}{rest}"
