"""Notebook verbs for the images and Dockerfiles lessons: build, tag, history, layers, image
settings. Each shows the ``docker`` command it performed, then a short stable result (no
ids, sizes or times).

>>> import dockerlab as dl
>>> dl.build("app:1", "FROM busybox:1.36\\nRUN echo hi > /hi\\n")     # doctest: +SKIP
$ docker build -t app:1 .
built app:1 — cached steps: 0 of 1
"""
from __future__ import annotations

import os
import shutil
import struct
from dataclasses import replace

import pandas as pd

from ..commands import build as B
from ..commands import container as C
from ..commands import image as I
from ..commands import run as R
from ..commands import validate as V
from ..commands.build import BuildSpec
from ..commands.result import Result
from ..engine import names, podman
from ..engine.errors import DockerlabError
from ..host.proc import daemon_is_local
from ..reads import layers as core_layers
from ..session import labels as L
from ..session import lesson
from .offline import offline_in, offline_safe

# ------------------------------------------------------------------ build and tag

@offline_in
def build(tag: str, dockerfile: str, files: dict | None = None, *, file: str = "Dockerfile",
          nocache: bool = False, seconds: bool = False) -> Result:
    """``docker build [-f FILE] -t TAG .`` from a Dockerfile text and context files.

    The result's value is the :class:`~dockerlab.commands.build.BuildResult` (steps, cache
    hits, seconds); the text says how many steps came from the cache.
    """
    return build_spec(BuildSpec(tag, files={**(files or {}), file: dockerfile}, dockerfile=file, nocache=nocache,
                                lesson=lesson.current()), seconds=seconds)


@offline_in
def build_spec(spec: BuildSpec, seconds: bool = False) -> Result:
    """``docker build`` of a ready spec: its files written to a context, or its context folder
    (what ``%docker build`` reads)."""
    tag = spec.tag
    spec = (spec if spec.lesson else replace(spec, lesson=lesson.current())).validated()
    if spec.files:
        root = B.write_context(spec.files)
        try:
            result = B.build(replace(spec, files={}, context=root))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    else:
        result = B.build(spec)
    text = f"built {tag} — {result.cache_line()}" + (f", {result.seconds:.2f} s" if seconds else "")
    return Result([spec.cli()], result, text, name=tag)


@offline_safe
def builder() -> str:
    """Which builder ``docker build`` uses on this engine: BuildKit (Engine 23 and later, with
    the buildx plugin) or the classic builder (Engine 20.10, Podman)."""
    from ..commands.builders import which
    return which()


def compare_builds(**named) -> pd.DataFrame:
    """Builds side by side (``friendly=done1, hostile=done2``): cache hits per step, seconds."""
    rows = []
    for name, done in named.items():
        r = getattr(done, "value", None)
        if not isinstance(r, B.BuildResult):
            continue
        steps = [s for s in r.own_steps() if s.cache != "base"]
        rows.append({"build": name, "steps": " → ".join(f"{s.instruction.split()[0]}:{s.cache}" for s in steps),
                     "cached steps": f"{sum(s.cached for s in steps)} of {len(steps)}",
                     "seconds": f"{r.seconds:.2f} s"})
    return pd.DataFrame(rows, columns=["build", "steps", "cached steps", "seconds"])


@offline_in
def tag(source: str, target: str) -> Result:
    """``docker tag SOURCE TARGET``: one more name for the same image."""
    V.check_image(source), V.check_image(target)
    done = I.tag(source, target)
    done.value = target
    return done


@offline_in
def untag(ref: str) -> Result:
    """``docker rmi REF`` for a name only: the image stays while another name points at it
    (or it was built in this session). Images made outside the toolkit are never deleted."""
    return I.untag(ref)


# ------------------------------------------------------------------ what an image is

@offline_safe
def image_id(ref: str) -> str | None:
    """The image's id (what ``docker images`` shows shortened); None when it is not here."""
    return I.image_id(ref)


@offline_safe
def image_size(ref: str) -> int:
    """Bytes of an image (as ``docker images`` counts them, shared layers included)."""
    return I.image_size(ref)


@offline_safe
def created(ref: str) -> str:
    """When the image was built (ISO time, sorts as text)."""
    return I.inspect(ref)["Created"]


@offline_safe
def layers(ref: str) -> list[str]:
    """The image's filesystem layer digests, oldest first (``RootFS.Layers``)."""
    return core_layers.root_layers(ref)


@offline_safe
def history(ref: str) -> pd.DataFrame:
    """``docker history`` oldest first: each step and whether it added a layer (the
    toolkit's own LABEL steps left out)."""
    h = core_layers.history(ref)
    h = h[~h["created_by"].map(lambda s: s.startswith("LABEL") and podman.label_step(s, L.PREFIX))
          ].reset_index(drop=True)
    out = pd.DataFrame({"step": range(1, len(h) + 1), "instruction": h["created_by"],
                        "adds a layer": ~h["empty_layer"]})
    out["instruction"] = out["instruction"].map(_short_instruction)
    return out


def _short_instruction(text: str) -> str:
    # COPY lines name the copied file by a content hash (classic builder: COPY file:3f… in /x)
    # or by its source (BuildKit: COPY x /x): keep the destination only, in one wording.
    verb, _, rest = text.partition(" ")
    if verb in ("COPY", "ADD") and rest:
        if " in " in rest and rest.split(" ", 1)[0].split(":", 1)[0] in ("file", "dir", "multi"):
            return f"{verb} … {rest.split(' in ', 1)[-1].strip()}"
        if not rest.startswith("--") and len(rest.split()) >= 2:
            return f"{verb} … {rest.split()[-1]}"
    return text


@offline_safe
def shared_layers(a: str, b: str) -> Result:
    """Which filesystem layers two images share (stored once on disk)."""
    s = core_layers.shared_layers(a, b)
    return Result([f"docker image inspect -f '{{{{json .RootFS.Layers}}}}' {a} {b}"], s, s.count_line())


@offline_safe
def image_config(ref: str) -> Result:
    """An image's run settings: CMD, ENTRYPOINT, EXPOSE, ENV, WORKDIR (from its Config)."""
    cfg = I.inspect(ref).get("Config") or {}
    value = {
        "Cmd": cfg.get("Cmd"),
        "Entrypoint": cfg.get("Entrypoint"),
        "ExposedPorts": sorted((cfg.get("ExposedPorts") or {}).keys()),
        "Env": [e for e in cfg.get("Env") or [] if not e.startswith("PATH=")],
        "WorkingDir": cfg.get("WorkingDir") or "",
    }
    text = "\n".join(f"{k}: {v}" for k, v in value.items())
    return Result([f"docker image inspect -f '{{{{json .Config}}}}' {ref}"], value, text)


def describe_ref(ref: str) -> dict:
    """How Docker reads an image name: [registry/][user/]repo[:tag] (no daemon needed)."""
    return names.describe_ref(V.check_image(ref))


def refs_table(*refs: str) -> pd.DataFrame:
    return pd.DataFrame([describe_ref(r) for r in refs])


@offline_safe
def copy_from_image(image: str, path: str) -> Result:
    """A file's bytes out of an image (``docker create`` + ``docker cp`` + ``docker rm``)."""
    made = R.create(R.RunSpec(image, ["true"], lesson=lesson.current()))
    try:
        content = C.cp_out(made.id, path) or b""
    finally:
        C.remove_quietly(made.id)
    return Result([f"docker create {image}", f"docker cp CONTAINER:{path} .", "docker rm CONTAINER"], content,
                f"{os.path.basename(path)}: statically linked: {is_static(content)}")


def is_static(elf: bytes) -> bool:
    """An ELF executable without an interpreter (PT_INTERP) needs no libraries."""
    if elf[:4] != b"\x7fELF":
        return False
    is64, little = elf[4] == 2, elf[5] == 1
    e = "<" if little else ">"
    if is64:
        phoff, = struct.unpack_from(e + "Q", elf, 0x20)
        phentsize, phnum = struct.unpack_from(e + "HH", elf, 0x36)
    else:
        phoff, = struct.unpack_from(e + "I", elf, 0x1C)
        phentsize, phnum = struct.unpack_from(e + "HH", elf, 0x2A)
    return all(struct.unpack_from(e + "I", elf, phoff + i * phentsize)[0] != 3 for i in range(phnum))


def host_static_binary(path: str = "/bin/busybox", image: str = "busybox:1.36",
                       static_image: str | None = "busybox:1.36-musl") -> Result:
    """A static binary for a ``FROM scratch`` image: this machine's ``path`` when the daemon
    is local and the file is static, else the same program copied out of ``image``. The
    official ``busybox:1.36`` is the glibc variant (dynamically linked): then the copy comes
    from ``static_image`` (the official musl variant is static), pulled if need be; when that
    fails too, the dynamic copy is returned and its text says "statically linked: False"."""
    if daemon_is_local() and os.path.isfile(path):
        with open(path, "rb") as f:
            content = f.read()
        if is_static(content):
            return Result([f"cp {path} ."], content, f"{os.path.basename(path)}: statically linked: True")
    found = copy_from_image(image, path)
    if not static_image or not isinstance(found.value, bytes) or is_static(found.value):
        return found
    try:
        pulled = []
        if I.image_id(static_image) is None:
            I.pull(static_image)
            pulled = [f"docker pull {static_image}"]
        musl = copy_from_image(static_image, path)
    except DockerlabError:
        return found
    if isinstance(musl.value, bytes) and is_static(musl.value):
        return Result(pulled + musl.cli, musl.value, musl.text)
    return found


__all__ = ["build", "build_spec", "builder", "compare_builds", "tag", "untag", "image_id", "image_size", "created",
           "layers", "history", "shared_layers", "image_config", "describe_ref", "refs_table", "copy_from_image",
           "host_static_binary", "is_static"]
