"""The two builders behind ``docker build``: BuildKit, as ``docker build`` runs it on Engine 23
and later, and the classic builder (Engine 20.10, Podman). Both stream :class:`BuildEvent`s
(each line of the log, attributed to its step, with cache hits) and return the image id.

:func:`which` decides, the way a learner's ``docker build`` would: BuildKit when the engine
is 23 or newer and the ``docker buildx`` plugin is installed (``DOCKERLAB_BUILDER=classic``
or ``buildkit`` overrides). BuildKit is driven through ``docker buildx build
--progress=rawjson`` (docker-py drives only the classic builder, docker-py#2230), with the
same labels, so the image is as much the toolkit's as a classic build.

>>> which() in ("BuildKit", "classic builder")     # doctest: +SKIP
True
"""
from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..engine import names, podman
from ..engine.client import docker_host, engine, private_engine
from ..engine.errors import BuildFailed, DockerlabError, translating
from .image import LONG_TIMEOUT, image_id

BUILDKIT, CLASSIC = "BuildKit", "classic builder"
#: "[2/4] RUN echo hi", "[stage-0 2/4] COPY . /app": BuildKit's numbered steps.
_VERTEX = re.compile(r"^\[(?:[\w.-]+ )?(\d+)/(\d+)\] (.*)$")
FAIL_HINT = ("Read the failing step's output above and fix that line of the Dockerfile "
             "(a Debian package name, a missing file in the build context...).")


@dataclass(frozen=True)
class BuildEvent:
    """One line of a build's log, attributed to its step (either builder)."""
    step: int        # 0 before the first step
    total: int       # steps in all (0 while unknown)
    text: str        # the line, without its trailing newline
    cached: bool     # this step was a cache hit
    elapsed: float   # seconds since this step started
    instruction: str = ""  # the step's Dockerfile instruction, e.g. "RUN apt-get update"






def classic_build(context_dir: str, tag: str, dockerfile: str = "Dockerfile",
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
    client = private_engine(LONG_TIMEOUT)

    def emit(text: str) -> None:
        if on_event is not None:
            on_event(BuildEvent(step, total, text, cached, round(time.monotonic() - started, 3), instruction))

    try:
        with translating(command):
            stream = client.build(path=context_dir, tag=tag, dockerfile=dockerfile, labels=labels or None,
                                  buildargs=buildargs or None, nocache=nocache, decode=True,
                                  rm=True, forcerm=True)
            for ev in stream:
                if "error" in ev:
                    err = (ev.get("errorDetail") or {}).get("message") or ev["error"]
                    tail = "\n".join(output[-15:])
                    # --label adds LABEL steps after the Dockerfile's own (one per label on
                    # Docker, one for all on Podman 5): count only the learner's steps.
                    added = podman.label_steps(labels)
                    own = total - added if total > added else total
                    where = f"step {step}/{own} `{instruction}`" if step else "the build"
                    raise BuildFailed(f"{where} failed: {err.strip()}" + (f"\n{tail}" if tail else ""),
                                      FAIL_HINT, command)
                if "aux" in ev and isinstance(ev["aux"], dict) and "ID" in ev["aux"]:
                    image = ev["aux"]["ID"]
                for line in (ev.get("stream") or "").splitlines():
                    line = line.rstrip()
                    if not line:
                        continue
                    m = podman.BUILD_STEP.match(line)
                    if m:
                        step, total, instruction = int(m.group(1)), int(m.group(2)), m.group(3)
                        cached, started, output = False, time.monotonic(), []
                    elif podman.CACHE_HIT.match(line.strip()):
                        cached = True
                    output.append(line)
                    emit(line)
    finally:
        client.close()
    return image or image_id(tag) or ""


@functools.lru_cache(maxsize=1)
def _buildx() -> bool:
    """The docker CLI with its buildx plugin is here (``docker buildx version`` answers)."""
    docker = shutil.which("docker")
    if not docker:
        return False
    try:
        return subprocess.run([docker, "buildx", "version"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def which() -> str:
    """The builder a learner's ``docker build`` uses on this engine."""
    forced = os.environ.get("DOCKERLAB_BUILDER", "").lower()
    if forced in ("classic", "legacy"):
        return CLASSIC
    if forced == "buildkit":
        return BUILDKIT
    e = engine()
    try:
        major = int(str(e.version().get("Version", "0")).split(".")[0])
    except (ValueError, DockerlabError):
        major = 0
    return BUILDKIT if major >= 23 and not e.is_podman and _buildx() else CLASSIC


def _familiar(instruction: str) -> str:
    """BuildKit names the base fully (FROM docker.io/library/busybox:1.36, and on the containerd
    image store with its digest, busybox:1.36@sha256:...): say it as written."""
    instruction = re.sub(r"^(FROM [^\s@]+:[\w][\w.-]*)@sha256:[0-9a-f]{64}", r"\1", instruction)
    return re.sub(r"^FROM docker\.io/(?:library/)?", "FROM ", instruction)


def buildkit_build(context_dir: str, tag: str, dockerfile: str = "Dockerfile",
                   labels: dict[str, str] | None = None, buildargs: dict[str, str] | None = None,
                   nocache: bool = False, on_event: Callable[[BuildEvent], None] | None = None) -> str:
    """``docker build`` with BuildKit (``docker buildx build --progress=rawjson``); returns the id.

    Every completed step and every log line reaches ``on_event``; a failing step raises
    BuildFailed naming the step and its last output."""
    command = f"docker build -t {tag} -f {dockerfile} {context_dir}"
    with tempfile.TemporaryDirectory(prefix="dockerlab-buildkit-") as tmp:
        iid = os.path.join(tmp, "iid")
        # The docker CLI does not pass through the Engine facade: the classroom scope is put on
        # the tag here (the classic builder's tag is scoped by the facade's build call).
        argv = ["docker", "buildx", "build", "--progress=rawjson", "--iidfile", iid, "-t", names.scoped_image(tag),
                "-f", os.path.join(context_dir, dockerfile)]
        argv += ["--no-cache"] if nocache else []
        for k, v in (buildargs or {}).items():
            argv += ["--build-arg", f"{k}={v}"]
        for k, v in (labels or {}).items():
            argv += ["--label", f"{k}={v}"]
        argv.append(context_dir)
        env = {**os.environ, "DOCKER_HOST": docker_host()}
        steps: dict[str, tuple[int, int, str]] = {}    # vertex digest -> (step, total, instruction)
        done: set[int] = set()
        named: set[str] = set()
        output: dict[int, list[str]] = {}
        started = time.monotonic()
        failed: tuple[int, int, str, str] | None = None

        def emit(step: int, total: int, text: str, cached: bool, instruction: str) -> None:
            if on_event is not None:
                on_event(BuildEvent(step, total, text, cached, round(time.monotonic() - started, 3), instruction))

        with translating(command):
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
            assert proc.stderr is not None
            for raw in proc.stderr:
                try:
                    status = json.loads(raw)
                except ValueError:
                    output.setdefault(0, []).append(raw.rstrip())  # buildx's own words (an error)
                    continue
                for v in status.get("vertexes") or []:
                    m = _VERTEX.match(v.get("name") or "")
                    if not m:
                        continue
                    step, total, instruction = int(m.group(1)), int(m.group(2)), _familiar(m.group(3))
                    steps[v["digest"]] = (step, total, instruction)
                    if v.get("error"):
                        failed = (step, total, instruction, v["error"])
                    elif v.get("completed") and step not in done:
                        done.add(step)
                        # --no-cache: no step comes from the cache, whatever BuildKit says of a
                        # step it merged with another (WORKDIR seen "cached" on Engine 28).
                        cached = bool(v.get("cached")) and not nocache
                        emit(step, total, f"[{step}/{total}] {instruction}" + (" CACHED" if cached else ""),
                             cached, instruction)
                for st in status.get("statuses") or []:
                    # The exporter's last word, as `docker build` prints it: "naming to ... done".
                    sid = st.get("id") or ""
                    if sid.startswith("naming to ") and st.get("completed") and sid not in named:
                        named.add(sid)
                        emit(0, 0, names.unscope_all(sid) + " done", False, "")
                for log in status.get("logs") or []:
                    step, total, instruction = steps.get(log.get("vertex"), (0, 0, ""))
                    for line in base64.b64decode(log.get("data") or b"").decode(errors="replace").splitlines():
                        output.setdefault(step, []).append(line)
                        emit(step, total, line, False, instruction)
            code = proc.wait()
        if code != 0 or failed:
            step, total, instruction, err = failed or (0, 0, "", "\n".join(output.get(0, [])[-5:]))
            tail = "\n".join(output.get(step, [])[-15:])
            where = f"step {step}/{total} `{instruction}`" if step else "the build"
            raise BuildFailed(f"{where} failed: {err.strip()}" + (f"\n{tail}" if tail and step else ""),
                              FAIL_HINT, command)
        with open(iid) as f:
            return f.read().strip() or image_id(tag) or ""


def build_image(context_dir: str, tag: str, **kwargs) -> tuple[str, str]:
    """(image id, the builder that made it): BuildKit or the classic builder, as :func:`which` says."""
    builder = which()
    run = buildkit_build if builder == BUILDKIT else classic_build
    return run(context_dir, tag, **kwargs), builder
