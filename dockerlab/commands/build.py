"""``docker build``: a :class:`BuildSpec` in, a table of steps out.

:mod:`.builders` streams BuildKit's or the classic builder's log; each step becomes a
:class:`StepResult` (cache hit or miss, seconds), so two builds can be compared step by
step — the point of the lesson: order the Dockerfile so what changes least comes first.
A spec given as ``files`` is written to a temporary context folder, removed afterwards.
Built images carry the session labels, so cleanup finds them.

>>> df = "FROM busybox:1.36\nRUN echo hi > /hi\n"
>>> build(BuildSpec("app:v1", files={"Dockerfile": df})).cache_line()   # doctest: +SKIP
'cached steps: 0 of 1'
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..engine import names
from ..engine.client import engine
from ..engine.errors import BuildFailed, InvalidInput, NotFound, NotOwned
from ..session import labels as L
from . import validate as V
from .builders import BuildEvent, build_image

if TYPE_CHECKING:
    import pandas as pd


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

    def validated(self) -> BuildSpec:
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
        V.check_labels(self.labels)
        return self

    def all_labels(self) -> dict[str, str]:
        return L.with_session_labels(self.labels, self.lesson)

    def cli(self, session_labels: bool = False) -> str:
        s = replace(self.validated(), tag=names.scoped_image(self.tag))  # as on the daemon
        args = ["docker", "build"]
        if s.dockerfile != "Dockerfile":
            args += ["-f", s.dockerfile]
        args += ["-t", s.tag]
        if s.nocache:
            args.append("--no-cache")
        for k, v in s.buildargs.items():
            args += ["--build-arg", f"{k}={v}"]
        args += V.labels_cli(s.all_labels() if session_labels else s.labels)
        args.append(s.context or ".")
        return " ".join(map(V.quote, args))


STEP_COLUMNS = ["step", "instruction", "cache", "seconds"]


@dataclass
class StepResult:
    step: int
    instruction: str
    cached: bool = False
    seconds: float = 0.0

    @property
    def is_step(self) -> bool:
        """A step on either builder: BuildKit runs FROM, RUN, COPY, ADD and WORKDIR as steps and
        makes ENV, CMD, EXPOSE, LABEL... settings of the image; the classic builder counts
        those as steps too. Tables and counts use the steps both agree on."""
        return self.instruction.split(" ", 1)[0].upper() in ("FROM", "RUN", "COPY", "ADD", "WORKDIR")

    @property
    def toolkit(self) -> bool:
        """The session labels (``--label``) become LABEL steps after the learner's own."""
        # Docker: LABEL dockerlab.session=...; Podman: LABEL "dockerlab.session"="..."
        return self.instruction.replace('"', "").startswith("LABEL " + L.PREFIX)

    @property
    def cache(self) -> str:
        if self.instruction.upper().startswith("FROM "):
            return "base"  # FROM is never a cache hit: it names the image the steps start from
        return "hit" if self.cached else "miss"


@dataclass
class BuildResult:
    """One build: its steps, time, image id, and the error if it failed."""
    tag: str
    cli: str
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0
    image_id: str = ""
    error: BuildFailed | None = None
    log: list[str] = field(default_factory=list)
    builder: str = ""  # BuildKit or the classic builder: which one ran

    @property
    def ok(self) -> bool:
        return self.error is None

    def own_steps(self) -> list[StepResult]:
        """The Dockerfile's steps as both builders run them (FROM, RUN, COPY, ADD, WORKDIR),
        without the toolkit's label steps."""
        return [s for s in self.steps if s.is_step and not s.toolkit]

    def table(self) -> pd.DataFrame:
        import pandas as pd  # only for the table: `import dockerlab` stays light for the CLI
        return pd.DataFrame([{"step": i, "instruction": s.instruction, "cache": s.cache,
                              "seconds": round(s.seconds, 2)} for i, s in enumerate(self.own_steps(), 1)],
                            columns=STEP_COLUMNS)

    def cache_line(self) -> str:
        steps = [s for s in self.own_steps() if s.cache != "base"]
        return f"cached steps: {sum(s.cached for s in steps)} of {len(steps)}"


def write_context(files: Mapping[str, str | bytes]) -> str:
    """The build context on disk, in a new temporary folder. Programs (a binary, a ``#!``
    script) keep the executable bit, as in a folder on your machine (the classic builder
    has no ``COPY --chmod``)."""
    root = tempfile.mkdtemp(prefix="dockerlab-build-")
    try:
        for rel, content in files.items():
            data = content.encode(errors="surrogateescape") if isinstance(content, str) else content
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            if data[:4] == b"\x7fELF" or data[:2] == b"#!":
                os.chmod(path, 0o755)
    except (OSError, UnicodeError) as e:  # e.g. 'a' and 'a/b': a name cannot be a file and a folder
        shutil.rmtree(root, ignore_errors=True)
        raise InvalidInput(f"cannot write the build context: {e}",
                           "Give every file its own name; one name cannot be both a file and a folder "
                           "(app and app/main.py).") from None
    return root


def _refuse_foreign_tag(tag: str) -> None:
    """A build takes its tag from whatever image holds it: never from one the toolkit did not
    build in a session (busybox:1.36 built over, then cleaned up, would be gone for the course)."""
    ref = names.normalize_ref(names.scoped_image(tag))  # exactly the tag the build would take
    try:
        info = engine().exact().inspect_image(ref)
    except NotFound:
        return
    if L.SESSION not in ((info.get("Config") or {}).get("Labels") or {}):
        raise NotOwned(f"the tag {ref} belongs to an image dockerlab did not build; building would take it over",
                       "Pick a tag of your own, e.g. my-app:v1 (docker images lists the tags in use).")


# overlay2: "No such image: sha256:..."; the containerd image store: "content digest sha256:...: not found".
_CACHE_VANISHED = re.compile(r"No such image: sha256:[0-9a-f]+|content digest sha256:[0-9a-f]+: not found"
                             # BuildKit, when a cached step's snapshot went with another image
                             r"|parent snapshot sha256:[0-9a-f]+ does not exist")


def build(spec: BuildSpec, on_line: Callable[[str, StepResult | None, int], None] | None = None,
               raise_on_error: bool = True) -> BuildResult:
    """Build ``spec``; ``on_line(line, current_step, total_steps)`` sees every log line.

    Returns the :class:`BuildResult`. A failing step raises BuildFailed (naming the step
    and its output) unless ``raise_on_error`` is False, then the result carries it.
    """
    spec = spec.validated()
    _refuse_foreign_tag(spec.tag)
    result = BuildResult(spec.tag, spec.cli())
    context = spec.context or write_context(spec.files)
    t0 = last = time.monotonic()

    by_number: dict[int, StepResult] = {}

    def on_event(ev: BuildEvent) -> None:
        nonlocal last
        now = time.monotonic()
        step = by_number.get(ev.step)
        if ev.step and step is None:
            if result.steps:
                result.steps[-1].seconds = now - last
            last = now
            step = by_number[ev.step] = StepResult(ev.step, ev.instruction)
            result.steps.append(step)
        if step is not None and ev.cached:
            step.cached = True
        result.log.append(ev.text)
        if on_line is not None:
            on_line(ev.text, step or (result.steps[-1] if result.steps else None), ev.total)

    try:
        for attempt in (1, 2):
            try:
                result.image_id, result.builder = build_image(
                    context, spec.tag, dockerfile=spec.dockerfile, labels=spec.all_labels(),
                    buildargs=spec.buildargs or None, nocache=spec.nocache, on_event=on_event)
                break
            except BuildFailed as e:
                # The build cache belongs to the whole daemon: another session removing its
                # image can delete a cached step under this build ("No such image: sha256:").
                # Once more, from the top, rebuilds what vanished.
                if attempt == 2 or not _CACHE_VANISHED.search(e.message):
                    raise
                result.steps.clear()
                by_number.clear()
                result.log.append("(a cached step was removed meanwhile by another session: building again)")
    except BuildFailed as e:
        result.error = e
    finally:
        if result.steps:
            result.steps[-1].seconds = time.monotonic() - last
        result.seconds = time.monotonic() - t0
        if not spec.context:
            shutil.rmtree(context, ignore_errors=True)
    if result.error is not None:
        result.error.command = spec.cli()
        if raise_on_error:
            raise result.error
    return result
