"""Image operations: presence, pull, build, import, tag, save/load bundles.

The kit (``dockerlab/kit``) and the build widget use these; they never see docker-py.
Every failure is a :class:`~dockerlab.core.errors.DockerlabError` with a hint.
Long operations stream small dataclasses to a callback so a terminal or a widget can
show progress while the work runs.

>>> image_present("busybox:1.36")                               # doctest: +SKIP
True
>>> build("recipes/nginx", "nginx:1.25", on_event=print)        # doctest: +SKIP
BuildEvent(step=1, total=7, text='FROM debian:bookworm-slim', cached=False, elapsed=0.0)
"""
from __future__ import annotations

import os
import re
import socket
import time
from dataclasses import dataclass
from typing import Callable, Iterable

import docker
import requests.exceptions as rq
import urllib3.exceptions
from docker import auth
from docker.utils import parse_repository_tag

from . import labels as L
from .connection import api, make_client
from .errors import BuildFailed, DockerlabError, ImageNotFound, NotFound, translate, translating

#: Seconds a pull may wait for the daemon's next progress line. A registry that answers
#: keeps streaming; an unreachable one is abandoned after this long.
PULL_TIMEOUT = float(os.environ.get("DOCKERLAB_PULL_TIMEOUT", "10"))
#: Builds, imports and bundles can be silent for minutes (apt-get, a 100 MB upload).
LONG_TIMEOUT = int(os.environ.get("DOCKERLAB_LONG_TIMEOUT", "900"))

OFFLINE_HINT = (
    "No registry answered. Build the course images locally with `dockerlab images --offline`, "
    "or load a classroom bundle with `dockerlab images --import FILE`."
)


@dataclass(frozen=True)
class BuildEvent:
    """One line of a classic-builder log, attributed to its step."""
    step: int        # 0 before the first `Step N/M`
    total: int       # M of `Step N/M` (0 while unknown)
    text: str        # the line, without its trailing newline
    cached: bool     # this step was a cache hit (` ---> Using cache`)
    elapsed: float   # seconds since this step started


@dataclass(frozen=True)
class PullEvent:
    """One progress line of a pull; ``current``/``total`` are bytes of one layer."""
    layer: str
    status: str
    current: int = 0
    total: int = 0


def split_ref(ref: str) -> tuple[str, str]:
    """'127.0.0.1:5000/app:v1' -> ('127.0.0.1:5000/app', 'v1'); a missing tag is 'latest'."""
    repo, tag = parse_repository_tag(ref)
    return repo, tag or "latest"


def normalize_ref(ref: str) -> str:
    """The form `docker images` shows: explicit tag, no `docker.io/library/` prefix."""
    repo, tag = split_ref(ref)
    for prefix in ("docker.io/library/", "docker.io/", "index.docker.io/library/"):
        if repo.startswith(prefix):
            repo = repo[len(prefix):]
            break
    return f"{repo}:{tag}"


def familiar(ref: str) -> str:
    """An image name as the learner typed it: Podman reports docker.io/library/nginx:1.25
    where Docker keeps nginx:1.25 (unlike normalize_ref, no tag is added)."""
    for prefix in ("docker.io/library/", "docker.io/"):
        if ref.startswith(prefix):
            return ref[len(prefix):]
    return ref


#: Podman's container states that Docker names otherwise ("stopped" shows briefly after an exit).
PODMAN_STATES = {"stopped": "exited", "configured": "created"}


def local_refs() -> dict[str, str]:
    """Every local `repo:tag` mapped to its image id: one list call, no inspects."""
    with translating("docker images"):
        rows = api().images()
    # normalize_ref: Podman lists docker.io/library/busybox:1.36 where Docker lists busybox:1.36.
    return {normalize_ref(tag): row["Id"] for row in rows for tag in (row.get("RepoTags") or [])
            if tag != "<none>:<none>"}


def image_id(ref: str) -> str | None:
    """The local image id of ``ref``, or None when it is not here."""
    try:
        with translating(f"docker image inspect {ref}"):
            return api().inspect_image(ref)["Id"]
    except (ImageNotFound, NotFound):
        return None


def image_present(ref: str) -> bool:
    """True when ``ref`` is in the local image cache (no pull is attempted)."""
    return image_id(ref) is not None


def image_size(ref: str) -> int:
    """Bytes of a local image, layers shared with others included (as `docker images`)."""
    with translating(f"docker image inspect {ref}"):
        return int(api().inspect_image(ref).get("Size") or 0)


def image_labels(ref: str) -> dict[str, str]:
    """The labels of a local image ({} when it has none)."""
    with translating(f"docker image inspect {ref}"):
        info = api().inspect_image(ref)
    return dict((info.get("Config") or {}).get("Labels") or {})


def _client(timeout: float):
    """A private client with its own timeout (a long stream must not change the shared
    client's under other threads), built like the shared one: ``docker.from_env``."""
    with translating("docker version"):
        return make_client(timeout, version=api().api_version).api


def pull(ref: str, on_progress: Callable[[PullEvent], None] | None = None,
         timeout: float = PULL_TIMEOUT) -> str:
    """``docker pull ref``; streams :class:`PullEvent`s; returns the image id.

    Gives up after ``timeout`` seconds without news from the daemon, raising
    ImageNotFound with the offline hint instead of hanging on a dead registry.
    """
    repo, tag = split_ref(ref)
    command = f"docker pull {ref}"
    client = _client(timeout)
    try:
        for ev in _pull_stream(client, repo, tag, timeout):
            if "error" in ev:
                raise _pull_error(ev["error"], command)
            if on_progress is not None:
                detail = ev.get("progressDetail") or {}
                on_progress(PullEvent(ev.get("id", ""), ev.get("status", ""),
                                      int(detail.get("current") or 0), int(detail.get("total") or 0)))
    except DockerlabError:
        raise
    except Exception as e:  # noqa: BLE001 - one translation point
        if isinstance(e, (rq.Timeout, urllib3.exceptions.ReadTimeoutError, socket.timeout)) or (
                isinstance(e, rq.ConnectionError) and "read timed out" in str(e).lower()):
            raise ImageNotFound(f"no registry answered within {timeout:g} s while pulling {ref}",
                                OFFLINE_HINT, command) from e
        if isinstance(e, docker.errors.APIError):
            raise _pull_error(e.explanation or str(e), command) from e
        raise translate(e, command) from e
    finally:
        client.close()
    found = image_id(ref)
    if found is None:
        raise ImageNotFound(f"pull of {ref} finished but the image is not here", OFFLINE_HINT, command)
    return found


def _pull_stream(client, repo: str, tag: str, timeout: float):
    # APIClient.pull() posts with timeout=None: a registry that never answers would hang
    # it for as long as the daemon waits (~25 s measured). Same request, with our timeout
    # on the connection and on every read of the progress stream.
    header = auth.get_config_header(client, auth.resolve_repository_name(repo)[0])
    headers = {"X-Registry-Auth": header} if header else {}
    res = client._post(client._url("/images/create"), params={"fromImage": repo, "tag": tag},
                       headers=headers, stream=True, timeout=timeout)
    client._raise_for_status(res)
    return client._stream_helper(res, decode=True)


_UNREACHABLE = re.compile(r"Client\.Timeout|dial tcp|no such host|i/o timeout|connection refused"
                          r"|TLS handshake timeout|server gave HTTP response to HTTPS client", re.I)


def _pull_error(text: str, command: str) -> DockerlabError:
    err = translate(docker.errors.APIError(text, explanation=text), command)
    if not isinstance(err, ImageNotFound) and _UNREACHABLE.search(text):
        return ImageNotFound(err.message, OFFLINE_HINT, command)
    return err


# Docker's classic builder says "Step 3/4 : RUN ..."; Podman's (buildah) "STEP 3/4: RUN ...".
_STEP = re.compile(r"^(?:Step|STEP) (\d+)/(\d+) ?: (.*)$")
# Docker: " ---> Using cache"; Podman: "--> Using cache 5f3c...".
_CACHE_HIT = re.compile(r"^-{2,3}> Using cache\b")


def build(context_dir: str, tag: str, dockerfile: str = "Dockerfile",
          labels: dict[str, str] | None = None, buildargs: dict[str, str] | None = None,
          nocache: bool = False, on_event: Callable[[BuildEvent], None] | None = None) -> str:
    """``docker build`` with the classic builder; returns the new image id.

    Every log line reaches ``on_event`` as a :class:`BuildEvent`. A failing step raises
    BuildFailed naming the step and its last output; no intermediate container is left
    behind (``forcerm``).
    """
    command = f"docker build -t {tag} -f {dockerfile} {context_dir}"
    step = total = 0
    cached = False
    started = time.monotonic()
    instruction = ""
    output: list[str] = []  # the current step's lines, for the failure message
    image = None
    client = _client(LONG_TIMEOUT)

    def emit(text: str) -> None:
        if on_event is not None:
            on_event(BuildEvent(step, total, text, cached, round(time.monotonic() - started, 3)))

    try:
        with translating(command):
            stream = client.build(path=context_dir, tag=tag, dockerfile=dockerfile, labels=labels or None,
                                  buildargs=buildargs or None, nocache=nocache, decode=True,
                                  rm=True, forcerm=True)
            for ev in stream:
                if "error" in ev:
                    err = (ev.get("errorDetail") or {}).get("message") or ev["error"]
                    tail = "\n".join(output[-15:])
                    # --label adds one LABEL step per label after the Dockerfile's own steps:
                    # count only the learner's steps.
                    own = total - len(labels or {}) if total > len(labels or {}) else total
                    where = f"step {step}/{own} `{instruction}`" if step else "the build"
                    raise BuildFailed(
                        f"{where} failed: {err.strip()}" + (f"\n{tail}" if tail else ""),
                        "Read the failing step's output above and fix that line of the Dockerfile "
                        "(a Debian package name, a missing file in the build context...).",
                        command)
                if "aux" in ev and isinstance(ev["aux"], dict) and "ID" in ev["aux"]:
                    image = ev["aux"]["ID"]
                for line in (ev.get("stream") or "").splitlines():
                    line = line.rstrip()
                    if not line:
                        continue
                    m = _STEP.match(line)
                    if m:
                        step, total, instruction = int(m.group(1)), int(m.group(2)), m.group(3)
                        cached, started, output = False, time.monotonic(), []
                    elif _CACHE_HIT.match(line.strip()):
                        cached = True
                    output.append(line)
                    emit(line)
    finally:
        client.close()
    return image or image_id(tag) or ""


def import_rootfs(tar_path: str, ref: str, labels: dict[str, str] | None = None,
                  changes: Iterable[str] = ()) -> str:
    """``docker import`` a root filesystem tarball as ``ref``; returns the image id.

    ``changes`` are Dockerfile instructions such as ``CMD ["bash"]``; ``labels`` are
    applied as one ``LABEL`` change.
    """
    repo, tag = split_ref(ref)
    all_changes = list(changes)
    if labels:
        all_changes.append("LABEL " + " ".join(f'{k}="{v}"' for k, v in labels.items()))
    command = f"docker import {' '.join(f'-c {c!r}' for c in all_changes)} {tar_path} {ref}"
    client = _client(LONG_TIMEOUT)
    try:
        with translating(command):
            out = client.import_image(src=tar_path, repository=repo, tag=tag, changes=all_changes)
            if isinstance(out, str) and '"error"' in out:
                raise docker.errors.APIError(out, explanation=out)
    finally:
        client.close()
    found = image_id(ref)
    if found is None:
        raise DockerlabError(f"docker import of {tar_path} produced no image {ref}", "", command)
    return found


def tag(ref: str, new_ref: str) -> None:
    """``docker tag ref new_ref`` (``new_ref`` in the session's name scope, if any)."""
    new_ref = L.scoped_image(new_ref)
    repo, t = split_ref(new_ref)
    with translating(f"docker tag {ref} {new_ref}"):
        api().tag(ref, repo, t)


def save(refs: list[str], path: str, on_progress: Callable[[int], None] | None = None) -> int:
    """``docker save -o path refs...`` into one bundle; returns its size in bytes.

    ``on_progress`` receives the number of bytes written so far. The file appears only
    once complete (written to ``path.part`` first).
    """
    command = f"docker save -o {path} {' '.join(refs)}"
    client = _client(LONG_TIMEOUT)
    part = path + ".part"
    written = 0
    try:
        with translating(command):
            res = client._get(client._url("/images/get"), params={"names": list(refs)}, stream=True)
            client._raise_for_status(res)
            with open(part, "wb") as f:
                for chunk in res.iter_content(chunk_size=1 << 20):
                    f.write(chunk)
                    written += len(chunk)
                    if on_progress is not None:
                        on_progress(written)
        os.replace(part, path)
    finally:
        client.close()
        if os.path.exists(part):
            os.unlink(part)
    return written


def load(path: str) -> list[str]:
    """``docker load -i path``; returns the refs (or ids) the daemon reports loaded."""
    command = f"docker load -i {path}"
    loaded: list[str] = []
    client = _client(LONG_TIMEOUT)
    try:
        with translating(command), open(path, "rb") as f:
            for ev in client.load_image(f):
                if "error" in ev:
                    raise docker.errors.APIError(ev["error"], explanation=ev["error"])
                m = re.match(r"Loaded image(?: ID)?: (\S+)", ev.get("stream", "").strip())
                if m:
                    loaded.append(m.group(1))
    finally:
        client.close()
    return loaded
