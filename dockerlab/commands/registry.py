"""A private registry on 127.0.0.1 with a login: start it, ``docker login``, ``docker push``,
and read its catalog over HTTP.

The registry is the course image ``registry:2`` with htpasswd authentication, published on
127.0.0.1 only. Its password is generated per session and never appears in a CLI line
the toolkit shows: the bcrypt htpasswd line is written by the toolkit (the ``bcrypt``
library; the official image has no ``htpasswd``), copied into the registry with
``docker cp`` (put_archive, as the registry's docs do with a mounted file), and a copy of
the login is kept inside the registry container so a checker (another process,
``dockerlab check``) can read the catalog with it.

>>> reg = start("n3-registry", "learner", "s3cret", lesson="03-images")   # doctest: +SKIP
>>> auth = login(reg.address, "learner", "s3cret")                       # doctest: +SKIP
>>> push(reg.address + "/n3/app:1", auth).digest                        # doctest: +SKIP
'sha256:...'
"""
from __future__ import annotations

import io
import json
import re
import secrets
import shlex
import tarfile
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine import podman
from ..engine.client import engine, private_engine
from ..engine.errors import DockerlabError, translate, translating
from ..engine.names import split_ref
from . import argv as A
from . import container as C
from . import run as R
from .registry_http import remote_image
from .registry_http import request as _request
from .result import Result
from .run import RunSpec
from .run_options import Port

IMAGE = "registry:2"
CONFIG_DIR = "/etc/docker/registry"
HTPASSWD = CONFIG_DIR + "/htpasswd"
#: The login kept inside the registry container for checkers (JSON: user, password).
LOGIN_FILE = CONFIG_DIR + "/dockerlab-login.json"
REALM = "dockerlab registry"
PUSH_TIMEOUT = 120


class LoginFailed(DockerlabError):
    kind = "login-failed"


class PushRefused(DockerlabError):
    kind = "push-refused"


def new_password() -> str:
    """A fresh password for one session's registry (never shown)."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class Registry:
    """A running registry: ``address`` is what image names start with (127.0.0.1:PORT)."""
    name: str
    address: str
    user: str
    password: str = field(repr=False)
    cli: tuple[str, ...] = ()


@dataclass(frozen=True)
class Auth:
    """What ``docker login`` keeps for a registry (the CLI keeps it in ~/.docker/config.json)."""
    registry: str
    user: str
    password: str = field(repr=False)

    def config(self) -> dict:
        return {"username": self.user, "password": self.password, "serveraddress": self.registry}


def _tar(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


#: bcrypt's cost: 5 is what ``htpasswd -B`` uses by default. The registry checks the hash on
#: every request of a push, so a higher cost makes pushes slow; a lab registry on 127.0.0.1.
BCRYPT_ROUNDS = 5


def htpasswd_line(user: str, password: str, lesson: str | None = None) -> str:
    """A bcrypt htpasswd line (``USER:$2b$05$...``), written here with the ``bcrypt`` library.

    Nothing runs inside the registry image: the official ``registry:2`` has no ``htpasswd``
    binary (removed in 2.7.1), and the password never reaches a command line. ``lesson`` is
    unused (kept for callers)."""
    import bcrypt
    if not user or ":" in user or "\n" in user + password:
        raise DockerlabError(f"cannot make a password line for user {user!r}",
                             "A registry user name is one word without ':'; the password is one line.")
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode()
    return f"{user}:{hashed}"


def htpasswd_cli(user: str) -> str:
    """The shell line that makes the same file by hand (the password is asked, not shown)."""
    return (f"python3 -c 'import bcrypt, getpass; print(\"{user}:\" + bcrypt.hashpw("
            f"getpass.getpass().encode(), bcrypt.gensalt({BCRYPT_ROUNDS})).decode())' > htpasswd")


def start(name: str, user: str, password: str, host_port: int | None = None,
          lesson: str | None = None, image: str = IMAGE) -> Registry:
    """A registry container with htpasswd auth on 127.0.0.1 (Docker picks the port unless given).
    ``image`` is any registry 2.x image (tests use one with htpasswd removed)."""
    line = htpasswd_line(user, password, lesson)
    port = f"127.0.0.1:{host_port}:5000" if host_port else "5000"  # "5000": Docker picks, on 127.0.0.1
    spec = RunSpec(image, name=name, ports=(Port.parse(port),), lesson=lesson,
                   env={"REGISTRY_AUTH": "htpasswd", "REGISTRY_AUTH_HTPASSWD_REALM": REALM,
                        "REGISTRY_AUTH_HTPASSWD_PATH": HTPASSWD})
    made = R.create(spec)
    cp = f"docker cp htpasswd {name}:{HTPASSWD}"
    try:
        with translating(cp):
            login = json.dumps({"user": user, "password": password}).encode()
            engine().put_archive(made.id, CONFIG_DIR, _tar({"htpasswd": (line + "\n").encode(),
                                                        LOGIN_FILE.rsplit("/", 1)[1]: login}))
        start_cli = C.action(name, "start").line
    except Exception:
        C.remove_quietly(made.id)
        raise
    doc = C.inspect(name)
    binds = (doc["NetworkSettings"]["Ports"] or {}).get("5000/tcp") or []
    if not binds:
        raise DockerlabError(f"registry {name} has no published port", "", start_cli)
    # Podman's login checks TLS for every registry but localhost:PORT (Docker: all of 127.0.0.0/8).
    address = f"{podman.registry_host()}:{binds[0]['HostPort']}"
    wait_ready(address)
    return Registry(name, address, user, password, (made.line, cp, start_cli))


def wait_ready(address: str, timeout: float = 20.0) -> None:
    """Until the registry answers /v2/ (401 without a login counts: it is up)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with _request(f"http://{address}/v2/"):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise DockerlabError(f"the registry at {address} did not answer",
                                     "`docker logs` of the registry container says why.") from None
            time.sleep(0.1)


def login(registry: str, user: str, password: str) -> Auth:
    """``docker login REGISTRY``: the daemon checks the credentials against the registry."""
    cmd = f"docker login {registry} -u {shlex.quote(user)} --password-stdin"
    client = private_engine(30)
    try:
        client.login(user, password, registry=registry, reauth=True, dockercfg_path="/nonexistent")
    except Exception as e:
        err = translate(e, cmd)
        if podman.wants_tls(err.message):
            raise LoginFailed(f"login to {registry} failed: {err.message}",
                              podman.INSECURE_HINT + podman.LOGIN_HINT, cmd) from e
        raise LoginFailed(f"login to {registry} failed: {err.message}",
                          "Check the user name and password; is the registry running (docker ps)?", cmd) from e
    finally:
        client.close()
    return Auth(registry, user, password)


def push(ref: str, auth: Auth | None = None, on_progress: Callable[[str], None] | None = None) -> Result:
    """``docker push REF`` with ``auth`` (a login), or anonymously when None. The result's
    value is the pushed digest; ``extra`` counts the layers sent and those the registry had
    already (``layers_reported`` is False on Podman: its push stream has no per-layer lines).

    A registry that refuses (no login, wrong password) raises PushRefused with its reason.
    """
    repo, tag = split_ref(ref)
    cmd = f"docker push {ref}"
    client = private_engine(PUSH_TIMEOUT)
    digest, sent, present = "", set(), set()
    try:
        with translating(cmd):
            # An explicit empty auth: anonymous, even if a config file holds a login.
            try:
                stream = client.push(repo, tag=tag, auth_config=auth.config() if auth else {}, stream=True,
                                     decode=True)
            except DockerlabError as err:
                refusal = podman.push_refusal(err)  # Podman 5: the error event as a 500's body
                if refusal is None:
                    raise
                stream = iter([refusal])
            for ev in stream:
                if "error" in ev:
                    text = (ev.get("errorDetail") or {}).get("message") or ev["error"]
                    if podman.wants_tls(text):
                        raise PushRefused(f"push refused: {text.strip()}", podman.INSECURE_HINT, cmd)
                    if "no basic auth credentials" in text:  # the containerd store adds its own words before
                        text = "no basic auth credentials"
                    raise PushRefused(f"push refused: {text.strip()}",
                                      "Log in first (docker login REGISTRY), with the registry's user "
                                      "and password.", cmd)
                status = ev.get("status") or ""
                if ev.get("id") and status == "Pushed":
                    sent.add(ev["id"])
                elif ev.get("id") and (status == "Layer already exists" or status.startswith("Mounted from")):
                    present.add(ev["id"])
                aux = ev.get("aux") or {}
                if aux.get("Digest"):
                    digest = aux["Digest"]
                elif not digest:
                    digest = podman.push_digest(status)
                if on_progress is not None and ev.get("status"):
                    on_progress(f"{ev.get('id', '')} {ev['status']}".strip())
    finally:
        client.close()
    layers = _pushed_layers(repo, tag, auth)
    if layers:
        # Only the image's own layers count: the containerd image store also pushes BuildKit's
        # attestation manifest and its blobs, which the graph-driver store does not.
        sent, present = {i for i in sent if i in layers}, {i for i in present if i in layers}
    return Result([cmd], value=digest, name=ref,
                  extra={"sent": len(sent), "present": len(present - sent),
                         "layers_reported": bool(sent or present) or not podman.is_podman()})


def _pushed_layers(repo: str, tag: str, auth: Auth | None) -> set[str]:
    """The short ids (12 hex digits, as push progress names them) of the layers of ``repo:tag``
    in a registry on this machine (the course's own); empty when they cannot be read (another
    registry, a refusal), and the push's own count then stands. The graph-driver store names a
    layer by its diff id (uncompressed), the containerd store by the blob it sends: both count."""
    registry, _, path = repo.partition("/")
    if not path or not re.match(r"^(127\.\d+\.\d+\.\d+|localhost)(:\d+)?$", registry):
        return set()
    remote = remote_image(registry, path, tag, *((auth.user, auth.password) if auth else (None, None)))
    if remote is None:
        return set()
    try:
        own = (engine().inspect_image(f"{repo}:{tag}").get("RootFS") or {}).get("Layers") or []
    except DockerlabError:
        own = []
    return {d.split(":")[-1][:12] for d in [*own, *remote["layers"]]}


def catalog(registry: str, user: str | None, password: str | None) -> list[str]:
    """The registry's repositories (``GET /v2/_catalog``), with a login."""
    return _get_json(f"http://{registry}/v2/_catalog", user, password).get("repositories") or []


def tags(registry: str, repo: str, user: str | None, password: str | None) -> list[str]:
    """A repository's tags (``GET /v2/REPO/tags/list``); [] when it has none."""
    try:
        return sorted(_get_json(f"http://{registry}/v2/{repo}/tags/list", user, password).get("tags") or [])
    except DockerlabError as e:
        if "404" in e.message:
            return []
        raise


def _get_json(url: str, user: str | None, password: str | None) -> dict:
    cmd = f"curl -u USER {url}"
    try:
        with _request(url, user, password) as r:
            return json.loads(r.read().decode())
    except urllib.error.HTTPError as e:
        if e.code == 401:
            raise LoginFailed(f"the registry refused the login (HTTP 401) at {url}",
                              "Use the registry's user and password.", cmd) from e
        raise DockerlabError(f"HTTP {e.code} from {url}", "", cmd) from e
    except OSError as e:
        raise DockerlabError(f"nothing answers at {url}: {e}",
                             "Is the registry container running and published on 127.0.0.1?", cmd) from e


def saved_login(container: str) -> tuple[str, str] | None:
    """(user, password) kept inside a registry container started by :func:`start`."""
    data = C.cp_out(container, LOGIN_FILE)
    text = data.decode(errors="replace") if data else None
    if not text:
        return None
    try:
        data = json.loads(text)
        return data["user"], data["password"]
    except (ValueError, KeyError, TypeError):
        return None


# ------------------------------------------------------------------ the lines read back (%docker)

A.register(A.Command("registry", "login", "login [OPTIONS] [SERVER]",
                     flags=(A.Flag("username", "u", A.VALUE), A.Flag("password-stdin", kind=A.BOOL)),
                     refused=(A.R("-p --password", "a password typed in a line stays in the notebook and its history",
                                  "Use --password-stdin: the password of the registry this session started is used "
                                  "(or the login widget).", unsafe=True),),
                     max_args=1), "login")
A.register(A.Command("registry", "logout", "logout [SERVER]", max_args=1), "logout")
