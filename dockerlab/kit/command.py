"""`dockerlab images`: make every course image present; export/import bundles.

>>> run_images(offline=True)                      # doctest: +SKIP
[1/5] busybox:1.36 already present
...
0
"""
from __future__ import annotations

import json
import os
import tarfile
import time
from collections.abc import Callable
from typing import TextIO

from ..commands import image as images
from ..engine.errors import DockerlabError
from ..engine.names import normalize_ref
from .bars import TerminalProgress
from .builder import Outcome, Plan, make_present
from .catalog import get, in_dependency_order

ProgressFn = Callable[[str, float, str], None]


def offline_requested(offline: bool = False) -> bool:
    return offline or os.environ.get("DOCKERLAB_OFFLINE", "").strip().lower() in ("1", "true", "yes")


def catalog_status() -> list[tuple[str, bool]]:
    """(ref, present) for every course image, in dependency order: one list call."""
    have, plan = images.local_refs(), Plan()
    return [(plan.ref(e.name), normalize_ref(plan.ref(e.name)) in have) for e in in_dependency_order()]


def run_images(offline: bool = False, export: str | None = None, import_: str | None = None,
               quiet: bool = False, *, names: list[str] | None = None,
               refs: dict[str, str] | None = None, on_progress: ProgressFn | None = None,
               stream: TextIO | None = None) -> int:
    """Make the course images present (pull, else build offline); 0 when all are.

    ``import_`` loads a bundle first; ``export`` then saves the images into one tar.
    ``names`` limits the run to some entries (plus what they build FROM); ``refs``
    overrides local refs (tests); ``on_progress(recipe, fraction, text)`` mirrors the
    terminal progress for a widget.
    """
    out = TerminalProgress(stream, quiet=quiet)
    try:
        return _run(offline_requested(offline), export, import_, quiet, names, refs, on_progress, out)
    except DockerlabError as e:
        out.say(e.as_text())
        return 1


def ensure_images(plan: Plan, names: list[str] | None = None, on_progress: ProgressFn | None = None,
                  out: TerminalProgress | None = None) -> list[Outcome]:
    """make_present() for each entry in dependency order; returns the outcomes."""
    entries = in_dependency_order(names)
    outcomes = []
    for i, entry in enumerate(entries, 1):
        if out:
            out.start(f"[{i}/{len(entries)}] {plan.ref(entry.name)}")

        def report(name: str, fraction: float, text: str) -> None:
            if out:
                out.update(name, fraction, text)
            if on_progress:
                on_progress(name, fraction, text)

        outcome = make_present(entry, plan, report)
        outcomes.append(outcome)
        if on_progress and outcome.action != "failed":
            on_progress(entry.name, 1.0, outcome.message)
        if out and (outcome.action != "present" or not out.quiet):
            out.finish(_describe(outcome))
    return outcomes


def _describe(o: Outcome) -> str:
    if o.action == "present":
        return "already present"
    if o.action in ("pulled", "built"):
        return f"{o.message} in {o.seconds:.1f} s"
    if o.action == "skipped":
        return f"skipped: {o.message}"
    text = f"FAILED: {o.message}"
    if o.error is not None and o.error.hint:
        text += f"\n  hint: {o.error.hint}"
    return text


def _run(offline, export, import_, quiet, names, refs, on_progress, out) -> int:
    started = time.monotonic()
    plan = Plan(offline=offline, refs=dict(refs or {}))
    plan.present = {normalize_ref(r): i for r, i in images.local_refs().items()}  # one list call
    if import_:
        import_bundle(import_, out)
        plan.present = {normalize_ref(r): i for r, i in images.local_refs().items()}
    outcomes = ensure_images(plan, names, on_progress, out)
    record_timings(outcomes)
    failed = [o for o in outcomes if o.action in ("failed", "skipped")]
    if failed:
        out.say(f"{len(failed)} of {len(outcomes)} course images are missing: "
                f"{', '.join(o.ref for o in failed)}")
        return 1
    if export:
        export_bundle([o.ref for o in outcomes], export, out, on_progress)
    if not quiet or any(o.action != "present" for o in outcomes):
        out.say(f"{len(outcomes)} course images present ({time.monotonic() - started:.1f} s)")
    return 0


def timings_file():
    from .rootfs import cache_dir
    return cache_dir() / "timings.json"


def record_timings(outcomes: list[Outcome]) -> None:
    """Remember how long each pull or build took (bench/kit.py reports them later)."""
    # only the real course refs: a test's temporary ref must not replace a measurement
    done = [o for o in outcomes if o.action in ("pulled", "built") and o.ref == get(o.name).ref]
    if not done:
        return
    path = timings_file()
    try:
        data = json.loads(path.read_text()) if path.exists() else {}
    except ValueError:
        data = {}
    for o in done:
        data[o.name] = {"ref": o.ref, "action": o.action, "seconds": round(o.seconds, 1),
                        "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
    path.write_text(json.dumps(data, indent=1, sort_keys=True))


def export_bundle(refs: list[str], path: str, out: TerminalProgress | None = None,
                  on_progress: ProgressFn | None = None) -> int:
    """Save ``refs`` into one tar bundle (`docker save`); returns its size in bytes."""
    estimate = sum(images.image_size(r) for r in refs) or 1

    def written(n: int) -> None:
        text = f"{n / 1e6:.0f} MB written to {path}"
        if out:
            out.update("bundle", min(n / estimate, 0.99), text)
        if on_progress:
            on_progress("bundle", min(n / estimate, 0.99), text)

    if out:
        out.start(f"[export] {len(refs)} images")
    size = images.save(refs, path, on_progress=written)
    if out:
        out.finish(f"saved {', '.join(refs)} to {path} ({size / 1e6:.0f} MB)")
    return size


def bundle_refs(path: str) -> dict[str, frozenset[str]]:
    """The refs a `docker save` bundle would tag, each mapped to the ids its image has on an
    engine: the config digest (``docker image inspect``'s Id with the graph-driver store) and,
    where the bundle is an OCI layout (Engine 25+), the digest of its manifest or index (the
    Id with the containerd image store). An image is in the bundle when its Id is one of them."""
    try:
        with tarfile.open(path) as tar:
            member = tar.extractfile("manifest.json")
            manifest = json.load(member) if member else []
            try:
                member = tar.extractfile("index.json")
                index = json.load(member) if member else {}
            except KeyError:
                index = {}  # a bundle of Engine < 25: no OCI layout
    except (OSError, KeyError, tarfile.TarError, ValueError) as e:
        raise DockerlabError(f"{path} is not an image bundle: {e}",
                             "Make one with `dockerlab images --export FILE` (or `docker save`).",
                             f"docker load -i {path}") from e
    found: dict[str, set[str]] = {}
    for item in manifest:
        config = os.path.basename(item.get("Config", "")).removesuffix(".json")
        for ref in item.get("RepoTags") or []:
            found.setdefault(normalize_ref(ref), set()).add("sha256:" + config)
    for item in index.get("manifests") or []:
        name = (item.get("annotations") or {}).get("io.containerd.image.name")
        if name and item.get("digest"):
            found.setdefault(normalize_ref(name), set()).add(item["digest"])
    return {ref: frozenset(ids) for ref, ids in found.items()}


def import_bundle(path: str, out: TerminalProgress | None = None) -> list[str]:
    """Load a bundle (`docker load`), except that a ref the user already has keeps
    pointing at the user's image: it is re-tagged back after the load."""
    if not os.path.exists(path):
        raise DockerlabError(f"no such bundle: {path}", "Give the path of a file made by "
                             "`dockerlab images --export FILE`.", f"docker load -i {path}")
    local = {normalize_ref(r): i for r, i in images.local_refs().items()}
    keep = {ref: local[ref] for ref, ids in bundle_refs(path).items() if ref in local and local[ref] not in ids}
    if out:
        out.start(f"[import] {path}")
        out.update("bundle", 0.1, "docker load")
    loaded = images.load(path)
    for ref, old in keep.items():
        images.tag(old, ref)  # never overwrite what the user had
    if out:
        msg = f"loaded {', '.join(loaded) or 'nothing'}"
        if keep:
            msg += f"; kept your existing {', '.join(keep)}"
        out.finish(msg)
    return loaded
