"""Input checks shared by every spec: each failure is an InvalidInput with a hint.

Nothing here talks to the daemon; a spec is validated before the daemon sees it.

>>> check_name("web-1", "container name")
'web-1'
"""
from __future__ import annotations

import ipaddress
import os
import posixpath
import re
import shlex
import stat
from typing import Literal, overload

from ..engine.errors import InvalidInput
from ..session import labels as L

# The Docker reference grammar (distribution/reference), in parts.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
# \Z, not $: '$' also matches before a trailing newline ("web\n" is no name). ASCII: Go's \w.
IMAGE_RE = re.compile(rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::{_TAG})?(?:@{_DIGEST})?\Z", re.ASCII)
# Container, volume and network names: what the daemon accepts (two characters or more).
NAME_RE = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+\Z")
ENV_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
LABEL_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*\Z")

#: Host paths a course never bind-mounts: the whole host, its config, the engine itself.
REFUSED_BIND_SOURCES = {
    "/": "it would hand the container the whole host filesystem",
    "/etc": "it would let the container rewrite the host's configuration",
    "/var/run/docker.sock": "whoever holds the Docker socket controls the host as root",
    "/run/docker.sock": "whoever holds the Docker socket controls the host as root",
    "/var/run": "it contains the Docker socket (root on the host)",
    "/run": "it contains the Docker socket (root on the host)",
    "/var/lib/docker": "it is the engine's own storage",
    "/proc": "it exposes the host's processes",
    "/sys": "it exposes the host's kernel settings",
    "/dev": "it exposes the host's devices",
    "/boot": "it holds the host's kernel and boot loader",
    "/root": "it is the host administrator's home",
    "/usr": "it holds the host's programs",
    "/bin": "it holds the host's programs",
    "/sbin": "it holds the host's programs",
    "/lib": "it holds the host's libraries",
    "/var": "it holds the host's state, the Docker socket and engine storage among it",
    "/home": "it holds every user's home; mount a project folder inside it instead",
}
_SOCKET_NAMES = ("docker.sock", "podman.sock", "containerd.sock")
#: Nothing below these either.
_REFUSED_TREES = ("/etc", "/var/lib/docker", "/proc", "/sys", "/dev", "/boot", "/run", "/var/run")


def _bad(what: str, value, hint: str) -> InvalidInput:
    return InvalidInput(f"invalid {what}: {value!r}", hint)


def check_image(ref) -> str:
    if not isinstance(ref, str) or not ref.strip():
        raise _bad("image", ref, "Name an image, e.g. 'nginx:1.25' or 'busybox:1.36'.")
    ref = ref.strip()
    if len(ref) > 255 or not IMAGE_RE.match(ref):
        hint = ("An image reference is [registry/][user/]repo[:tag]: lowercase repository names, "
                "a tag after one ':', e.g. 'nginx:1.25' or 'localhost:5000/me/app:v1'.")
        if ref != ref.lower() and IMAGE_RE.match(ref.lower()):
            hint = f"Repository names are lowercase: try {ref.lower()!r}."
        elif " " in ref:
            hint = "An image reference has no spaces; put the command in the command field."
        raise _bad("image reference", ref, hint)
    return ref


def check_name(name, what: str = "name") -> str:
    if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 128:
        raise _bad(what, name, "Use 2 to 128 characters: letters, digits and '_.-', starting "
                               "with a letter or digit, e.g. 'web-1'.")
    return name


@overload
def check_port(value, what: str = ..., allow_none: Literal[False] = ...) -> int: ...
@overload
def check_port(value, what: str = ..., allow_none: bool = ...) -> int | None: ...


def check_port(value, what: str = "port", allow_none: bool = False) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise _bad(what, value, "Give a port number from 1 to 65535, e.g. 80.")
    if isinstance(value, bool):
        raise _bad(what, value, "Give a port number from 1 to 65535, e.g. 8080.")
    try:
        port = int(str(value).strip())
    except ValueError:
        raise _bad(what, value, "A port is a number from 1 to 65535, e.g. 8080.") from None
    if not 1 <= port <= 65535 or str(value).strip().lstrip("0") != str(port):
        raise _bad(what, value, "A port is a number from 1 to 65535, e.g. 8080.")
    return port


def check_protocol(proto) -> str:
    if proto not in ("tcp", "udp", "sctp"):
        raise _bad("protocol", proto, "Use 'tcp' (the default), 'udp' or 'sctp'.")
    return proto


def check_ip(ip) -> str:
    try:
        return str(ipaddress.ip_address(str(ip)))
    except ValueError:
        raise _bad("host IP", ip, "Use an IP address such as 127.0.0.1 (this machine only) "
                                   "or 0.0.0.0 (every interface).") from None


def check_user(user) -> str:
    """``--user``: a name or uid, optionally ``:group`` or ``:gid`` (``1000:1000``, ``nobody``)."""
    if not isinstance(user, str) or not re.match(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?\Z", user):
        raise _bad("user", user, "Give a user name or UID, optionally with a group: e.g. 1000:1000 or nobody.")
    return user


def check_env_key(key) -> str:
    if not isinstance(key, str) or not ENV_KEY_RE.match(key):
        raise _bad("environment variable name", key,
                   "Names are letters, digits and '_', not starting with a digit, e.g. POSTGRES_PASSWORD.")
    return key


def check_env_value(key: str, value) -> str:
    if not isinstance(value, str) or "\x00" in value:
        raise _bad(f"value for {key}", value, "Environment values are text without NUL characters.")
    return value


def check_container_path(path, what: str = "container path") -> str:
    if not isinstance(path, str) or not path.startswith("/") or "\x00" in path or ":" in path:
        raise _bad(what, path, "Paths inside a container are absolute and have no ':', e.g. /data.")
    norm = posixpath.normpath(path)
    if norm == "/":
        raise _bad(what, path, "Mount somewhere below /, e.g. /data; mounting over / hides the image.")
    if ".." in path.split("/"):
        raise _bad(what, path, f"Give the path without '..': {norm}")
    return norm


def check_bind_source(path) -> str:
    """An absolute, existing, harmless host path."""
    if not isinstance(path, str) or not path or "\x00" in path or ":" in path:
        raise _bad("bind-mount host path", path, "Give an absolute host path without ':', e.g. /home/me/site.")
    if not path.startswith("/"):
        raise _bad("bind-mount host path", path,
                   "A bind mount needs an absolute host path (starting with '/'): without the leading "
                   "slash Docker reads it as a volume name. Use os.path.abspath(...) or $PWD/site. "
                   "In Git Bash on Windows, set MSYS_NO_PATHCONV=1 so the path is not rewritten.")
    if ".." in path.split("/"):
        raise _bad("bind-mount host path", path, "Give the path without '..'.")
    real = os.path.realpath(path)
    for candidate in {posixpath.normpath(path), real}:
        tree = next((t for t in _REFUSED_TREES if candidate.startswith(t + "/")), None)
        if candidate in REFUSED_BIND_SOURCES or tree:
            why = REFUSED_BIND_SOURCES[candidate if candidate in REFUSED_BIND_SOURCES else str(tree)]
            raise InvalidInput(f"refused to bind-mount {path}: {why}",
                               "Mount a project folder of your own instead, e.g. a folder under /tmp "
                               "or next to this notebook.")
        if candidate.endswith(_SOCKET_NAMES):
            raise InvalidInput(f"refused to bind-mount {path}: whoever holds an engine socket controls the host as root",
                               "The course never gives a container the Docker socket.")
    if os.path.exists(real) and stat.S_ISSOCK(os.stat(real).st_mode):
        # A socket under another name (a hard link, a bind mount of it) is still a socket.
        raise InvalidInput(f"refused to bind-mount {path}: it is a unix socket, and an engine socket controls "
                           "the host as root", "The course never gives a container a socket; mount a folder of files.")
    if not os.path.exists(real):
        raise InvalidInput(f"bind-mount host path does not exist: {path}",
                           f"Create it first (mkdir -p {path}); Docker would otherwise fail or create an empty root-owned folder.")
    return posixpath.normpath(path)


def check_label_key(key) -> str:
    if not isinstance(key, str) or not LABEL_KEY_RE.match(key) or len(key) > 255:
        raise _bad("label key", key, "Label keys are letters, digits and '._/-', e.g. 'app' or 'com.example.tier'.")
    return key


def check_restart(policy) -> tuple[str, int]:
    if policy in (None, "", "no"):
        return "no", 0
    if not isinstance(policy, str):
        raise _bad("restart policy", policy, "Use no, always, unless-stopped or on-failure[:N].")
    name, _, count = policy.partition(":")
    if name in ("always", "unless-stopped") and not count:
        return name, 0
    if name == "on-failure":
        if not count:
            return name, 0
        if count.isascii() and count.isdigit() and int(count) <= 1000:
            return name, int(count)
    raise _bad("restart policy", policy, "Use no, always, unless-stopped or on-failure[:N], e.g. on-failure:3.")


# ---------------------------------------------------------------- shared by every spec

def quote(arg: str) -> str:
    return shlex.quote(str(arg))


def cli_join(*args: str) -> str:
    """A command line a POSIX shell reads back as ``args``."""
    return " ".join(shlex.quote(str(a)) for a in args)


def split_command(value) -> list[str]:
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


def check_alias(alias) -> str:
    if not isinstance(alias, str) or not re.match(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}\Z", alias):
        raise InvalidInput(f"invalid network alias: {alias!r}",
                           "An alias is a DNS name: letters, digits, '.', '_' and '-', e.g. search.")
    return alias


def labels_cli(labels: dict[str, str]) -> list[str]:
    out: list[str] = []
    for k, v in labels.items():
        out += ["--label", f"{k}={v}"]
    return out


def check_labels(labels) -> dict[str, str]:
    if not isinstance(labels, dict):
        raise InvalidInput(f"invalid labels: {labels!r}", "Give labels as a dict, e.g. {'app': 'shop'}.")
    for k, v in labels.items():
        check_label_key(k)
        if k.startswith(L.PREFIX):
            raise InvalidInput(f"label key {k!r} is reserved",
                               f"Keys starting with '{L.PREFIX}' belong to the toolkit; use another, e.g. 'app'.")
        if not isinstance(v, str):
            raise InvalidInput(f"invalid value for label {k!r}: {v!r}", "Label values are text.")
    return labels


def several(value, what: str, example: str, single: tuple[type, ...] = ()) -> tuple:
    """A list of ports/mounts/aliases; one given as text is one item, not its characters."""
    if value is None:
        return ()
    if isinstance(value, (str, *single)):
        return (value,)
    if not isinstance(value, (list, tuple)):
        raise InvalidInput(f"invalid {what}: {value!r}", f"Give a list, e.g. {example}.")
    return tuple(value)


def check_env(env) -> dict[str, str]:
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
    return {check_env_key(k): check_env_value(k, v) for k, v in env.items()}
