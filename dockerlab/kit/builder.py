"""Make one course image present: keep it, pull it, or build it from its recipe.

An image the user already has is never overwritten or re-tagged. A pull that fails
(no registry, unknown tag) falls back to the offline recipe; once a pull found no
registry, later entries do not try again.

>>> outcome = make_present(get("busybox"), Plan(offline=True))   # doctest: +SKIP
>>> outcome.action
'built'
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..commands import builders as B
from ..commands import image as images
from ..engine.errors import DockerlabError, ImageNotFound
from ..engine.names import normalize_ref
from ..session.labels import KIT
from .catalog import KIT_VERSION, Entry, get
from .rootfs import busybox_rootfs, debian_rootfs, read_conf

#: on_progress(recipe name, fraction 0..1, text)
ProgressFn = Callable[[str, float, str], None]


@dataclass
class Plan:
    """What one `dockerlab images` run knows and decides."""
    offline: bool = False
    refs: dict[str, str] = field(default_factory=dict)   # name -> local ref override (tests)
    present: dict[str, str] = field(default_factory=dict)  # local ref -> id, from one list call
    registry_down: bool = False
    failed: set[str] = field(default_factory=set)

    def ref(self, name: str) -> str:
        """The local ref of entry ``name``: an override, else its pull reference, behind
        ``$DOCKERLAB_KIT_PREFIX`` when set (``contracts-test/`` builds a kit beside the
        shared one, e.g. to test changed recipes on an engine others use)."""
        return self.refs.get(name) or os.environ.get("DOCKERLAB_KIT_PREFIX", "") + get(name).ref


@dataclass
class Outcome:
    name: str
    ref: str
    action: str          # "present" | "pulled" | "built" | "failed" | "skipped"
    seconds: float = 0.0
    image_id: str = ""
    message: str = ""
    error: DockerlabError | None = None


def _quiet(name: str, fraction: float, text: str) -> None:
    pass


def make_present(entry: Entry, plan: Plan, on_progress: ProgressFn | None = None) -> Outcome:
    """Keep, pull or build ``entry``; never raises for a failure: it is in the Outcome."""
    report = on_progress or _quiet
    ref = plan.ref(entry.name)
    started = time.monotonic()
    if normalize_ref(ref) in plan.present:
        stale = _stale_kit_version(entry, ref)
        if stale is None:
            return Outcome(entry.name, ref, "present", 0.0, plan.present[normalize_ref(ref)], "already present")
        report(entry.name, 0.0, f"{ref} was built by kit recipe v{stale}; rebuilding with v{entry.version}")
    missing = [d for d in entry.depends if d in plan.failed]
    if missing:
        plan.failed.add(entry.name)
        return Outcome(entry.name, ref, "skipped", 0.0, message=f"needs {', '.join(missing)}, which failed")
    try:
        if not plan.offline and not plan.registry_down:
            try:
                image = _pull(entry.name, ref, report)
                return _done(plan, Outcome(entry.name, ref, "pulled", time.monotonic() - started, image, "pulled"))
            except ImageNotFound as e:
                plan.registry_down = plan.registry_down or "registry" in (e.hint + e.message).lower()
                report(entry.name, 0.0, f"pull failed ({e.message}); building from the offline recipe")
            except DockerlabError as e:
                report(entry.name, 0.0, f"pull failed ({e.message}); building from the offline recipe")
        image = build_recipe(entry, plan, report)
        return _done(plan, Outcome(entry.name, ref, "built", time.monotonic() - started, image, "built offline"))
    except DockerlabError as e:
        plan.failed.add(entry.name)
        return Outcome(entry.name, ref, "failed", time.monotonic() - started, message=e.message, error=e)


def _stale_kit_version(entry: Entry, ref: str) -> str | None:
    """The recipe version of ``ref`` when the kit built it from an older recipe of ``entry``;
    None for an up-to-date kit image and for any image the kit did not build (a pulled
    official image, the user's own): those are never rebuilt."""
    try:
        labels = images.image_labels(ref)
    except DockerlabError:
        return None
    if labels.get(KIT) != entry.name or labels.get(KIT_VERSION) == entry.version:
        return None
    return labels.get(KIT_VERSION) or "0"


def _done(plan: Plan, outcome: Outcome) -> Outcome:
    plan.present[normalize_ref(outcome.ref)] = outcome.image_id
    return outcome


def _pull(name: str, ref: str, report: ProgressFn) -> str:
    layers: dict[str, tuple[int, int]] = {}

    def on_event(ev: images.PullEvent) -> None:
        if ev.total:
            layers[ev.layer] = (ev.current, ev.total)
        done = sum(c for c, _ in layers.values())
        total = sum(t for _, t in layers.values()) or 1
        report(name, 0.9 * done / total, f"pull: {ev.status} {ev.layer}".strip())

    report(name, 0.0, f"pulling {ref}")
    return images.pull(ref, on_progress=on_event)


def build_recipe(entry: Entry, plan: Plan, report: ProgressFn | None = None) -> str:
    """Build ``entry`` from its offline recipe under ``plan.ref(entry.name)``; returns the id."""
    report = report or _quiet
    ref = plan.ref(entry.name)
    if entry.kind == "debootstrap":
        return _debootstrap(entry, ref, report)
    if entry.kind == "busybox":
        return _busybox(entry, ref, report)
    context = str(entry.recipe_dir)
    buildargs = {"BASE": plan.ref(entry.depends[0])} if entry.depends else None

    def on_event(ev: B.BuildEvent) -> None:
        if ev.total:
            frac = (ev.step - 1) / ev.total
            text = ev.text if ev.text.startswith("Step ") else f"step {ev.step}/{ev.total}: {ev.text.strip()}"
        else:
            frac, text = 0.0, ev.text
        report(entry.name, frac, text)

    report(entry.name, 0.0, f"building {ref} from recipes/{entry.name}")
    image = B.classic_build(context, ref, labels=entry.labels(), buildargs=buildargs, on_event=on_event)
    report(entry.name, 1.0, f"built {ref}")
    return image


def _busybox(entry: Entry, ref: str, report: ProgressFn) -> str:
    """One layer, like the official image: a tarball of /bin/busybox and its hard links,
    imported (a Dockerfile COPY + RUN --install would make two layers)."""
    conf = read_conf(entry.recipe_dir / "rootfs.conf")
    with tempfile.TemporaryDirectory(prefix="dockerlab-kit-busybox-") as tmp:
        report(entry.name, 0.1, "busybox root filesystem: /bin/busybox and a hard link per applet")
        tarball = busybox_rootfs(Path(tmp))
        report(entry.name, 0.5, f"docker import {tarball.name} {ref}")
        image = images.import_rootfs(str(tarball), ref, labels=entry.labels(),
                                     changes=[f"ENV {conf['env']}", f"CMD {conf['cmd']}"])
    report(entry.name, 1.0, f"imported {ref}")
    return image


def _debootstrap(entry: Entry, ref: str, report: ProgressFn) -> str:
    conf = read_conf(entry.recipe_dir / "rootfs.conf")
    best = [0.0]

    def on_line(fraction: float | None, line: str) -> None:
        if fraction is not None:
            best[0] = max(best[0], fraction * 0.8)  # phases repeat: never move backwards
        report(entry.name, best[0], line)

    report(entry.name, 0.0, f"debootstrap {conf['suite']} ({conf['variant']})")
    tarball = debian_rootfs(on_line=on_line)
    report(entry.name, 0.85, f"docker import {tarball.name} {ref}")
    image = images.import_rootfs(str(tarball), ref, labels=entry.labels(), changes=[f"CMD {conf['cmd']}"])
    report(entry.name, 1.0, f"imported {ref}")
    return image
