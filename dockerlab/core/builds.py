"""A build as the lesson sees it: a :class:`BuildSpec` in, a table of steps out.

``images.build`` streams the classic builder's log; here each ``Step N/M`` becomes a
:class:`StepResult` (cache hit or miss, seconds), so two builds can be compared step by
step — the point of the lesson: order the Dockerfile so what changes least comes first.
A spec given as ``files`` is written to a temporary context folder, removed afterwards.
Built images carry the session labels, so cleanup finds them.

>>> df = "FROM busybox:1.36\nRUN echo hi > /hi\n"
>>> build_spec(BuildSpec("app:v1", files={"Dockerfile": df})).cache_line()   # doctest: +SKIP
'cached steps: 0 of 1'
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from . import images
from . import labels as L
from .errors import BuildFailed, InvalidInput, NotOwned
from .specs import BuildSpec

STEP_COLUMNS = ["step", "instruction", "cache", "seconds"]


@dataclass
class StepResult:
    step: int
    instruction: str
    cached: bool = False
    seconds: float = 0.0

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

    @property
    def ok(self) -> bool:
        return self.error is None

    def own_steps(self) -> list[StepResult]:
        """The Dockerfile's steps, without the toolkit's label steps."""
        return [s for s in self.steps if not s.toolkit]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([{"step": s.step, "instruction": s.instruction, "cache": s.cache,
                              "seconds": round(s.seconds, 2)} for s in self.own_steps()], columns=STEP_COLUMNS)

    def cache_line(self) -> str:
        steps = [s for s in self.own_steps() if s.cache != "base"]
        return f"cached steps: {sum(s.cached for s in steps)} of {len(steps)}"


def _write_context(files: dict[str, str | bytes]) -> str:
    root = tempfile.mkdtemp(prefix="dockerlab-build-")
    try:
        for rel, content in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(content.encode(errors="surrogateescape") if isinstance(content, str) else content)
    except (OSError, UnicodeError) as e:  # e.g. 'a' and 'a/b': a name cannot be a file and a folder
        shutil.rmtree(root, ignore_errors=True)
        raise InvalidInput(f"cannot write the build context: {e}",
                           "Give every file its own name; one name cannot be both a file and a folder "
                           "(app and app/main.py).") from None
    return root


def _refuse_foreign_tag(tag: str) -> None:
    """A build takes its tag from whatever image holds it: never from one the toolkit did not
    build in a session (busybox:1.36 built over, then cleaned up, would be gone for the course)."""
    ref = images.normalize_ref(tag)
    if images.image_id(ref) is not None and L.SESSION not in images.image_labels(ref):
        raise NotOwned(f"the tag {ref} belongs to an image dockerlab did not build; building would take it over",
                       "Pick a tag of your own, e.g. my-app:v1 (docker images lists the tags in use).")


_CACHE_VANISHED = re.compile(r"No such image: sha256:[0-9a-f]+")


def build_spec(spec: BuildSpec, on_line: Callable[[str, StepResult | None, int], None] | None = None,
               raise_on_error: bool = True) -> BuildResult:
    """Build ``spec``; ``on_line(line, current_step, total_steps)`` sees every log line.

    Returns the :class:`BuildResult`. A failing step raises BuildFailed (naming the step
    and its output) unless ``raise_on_error`` is False, then the result carries it.
    """
    spec = spec.validated()
    _refuse_foreign_tag(spec.tag)
    result = BuildResult(spec.tag, spec.cli())
    context = spec.context or _write_context(spec.files)
    t0 = last = time.monotonic()

    def on_event(ev: images.BuildEvent) -> None:
        nonlocal last
        now = time.monotonic()
        if ev.step and (not result.steps or result.steps[-1].step != ev.step):
            if result.steps:
                result.steps[-1].seconds = now - last
            last = now
            m = images._STEP.match(ev.text)  # "Step 2/5 : RUN ..." (Docker), "STEP 2/5: RUN ..." (Podman)
            result.steps.append(StepResult(ev.step, m.group(3) if m else ev.text.split(" : ", 1)[-1]))
        if result.steps and ev.cached:
            result.steps[-1].cached = True
        result.log.append(ev.text)
        if on_line is not None:
            on_line(ev.text, result.steps[-1] if result.steps else None, ev.total)

    try:
        for attempt in (1, 2):
            try:
                result.image_id = images.build(context, spec.tag, dockerfile=spec.dockerfile,
                                               labels=spec.all_labels(), buildargs=spec.buildargs or None,
                                               nocache=spec.nocache, on_event=on_event)
                break
            except BuildFailed as e:
                # The build cache belongs to the whole daemon: another session removing its
                # image can delete a cached step under this build ("No such image: sha256:").
                # Once more, from the top, rebuilds what vanished.
                if attempt == 2 or not _CACHE_VANISHED.search(e.message):
                    raise
                result.steps.clear()
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
