"""Plain calls for the images and Dockerfiles lessons: build, tag, history, layers, image
settings, and a private registry (start, login, push, catalog). Each shows the ``docker``
command it performed, then a short stable result (no ids, sizes or times).

>>> import dockerlab as dl
>>> dl.build("app:1", "FROM busybox:1.36\\nRUN echo hi > /hi\\n")     # doctest: +SKIP
$ docker build -t app:1 .
built app:1 — cached steps: 0 of 1
"""
from __future__ import annotations

import functools
import os
import shlex
import shutil
import tempfile
from dataclasses import replace

import pandas as pd

from . import ops
from .core import builds, images as core_images, labels as L, layers as core_layers, registry as core_registry
from .core import resources as R, validate as V
from .core.errors import DockerlabError, NotOwned, translating
from .core.specs import BuildSpec
from .ops import OFFLINE, Done, Offline, offline_safe

#: ``docker login`` keeps credentials per registry (the CLI in ~/.docker/config.json);
#: here the kernel keeps them in memory for the session.
_logins: dict[str, core_registry.Auth] = {}


def _offline_in(fn):
    """A value that came OFFLINE from an earlier call makes this call OFFLINE too."""
    safe = offline_safe(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        values = [*args, *kwargs.values()]
        values += [x for v in values if isinstance(v, dict) for x in v.values()]
        if any(isinstance(v, Offline) for v in values):
            return OFFLINE
        return safe(*args, **kwargs)
    return wrapper


# ------------------------------------------------------------------ build and tag

def _write_context(files: dict) -> str:
    """The build context on disk; programs (a binary, a #! script) keep the executable bit,
    as they would in a folder on your machine (the classic builder has no COPY --chmod)."""
    root = tempfile.mkdtemp(prefix="dockerlab-build-")
    for rel, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        if data[:4] == b"\x7fELF" or data[:2] == b"#!":
            os.chmod(path, 0o755)
    return root


@_offline_in
def build(tag: str, dockerfile: str, files: dict | None = None, *, file: str = "Dockerfile",
          nocache: bool = False, seconds: bool = False) -> Done:
    """``docker build [-f FILE] -t TAG .`` from a Dockerfile text and context files.

    The result's value is the :class:`~dockerlab.core.builds.BuildResult` (steps, cache
    hits, seconds); the text says how many steps came from the cache.
    """
    spec = BuildSpec(tag, files={**(files or {}), file: dockerfile}, dockerfile=file, nocache=nocache,
                     lesson=ops._lesson).validated()
    root = _write_context(spec.files)
    try:
        result = builds.build_spec(replace(spec, files={}, context=root))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    text = f"built {tag} — {result.cache_line()}" + (f", {result.seconds:.2f} s" if seconds else "")
    return Done([spec.cli()], result, text)


def compare_builds(**named) -> pd.DataFrame:
    """Builds side by side (``friendly=done1, hostile=done2``): cache hits per step, seconds."""
    rows = []
    for name, done in named.items():
        r = getattr(done, "value", None)
        if not isinstance(r, builds.BuildResult):
            continue
        steps = [s for s in r.own_steps() if s.cache != "base"]
        rows.append({"build": name, "steps": " → ".join(f"{s.instruction.split()[0]}:{s.cache}" for s in steps),
                     "cached steps": f"{sum(s.cached for s in steps)} of {len(steps)}",
                     "seconds": f"{r.seconds:.2f} s"})
    return pd.DataFrame(rows, columns=["build", "steps", "cached steps", "seconds"])


@_offline_in
def tag(source: str, target: str) -> Done:
    """``docker tag SOURCE TARGET``: one more name for the same image."""
    V.check_image(source), V.check_image(target)
    core_images.tag(source, target)
    return Done([f"docker tag {source} {target}"], target, f"{target} -> same image as {source}")


@_offline_in
def untag(ref: str) -> Done:
    """``docker rmi REF`` for a name only: the image stays while another name points at it
    (or it was built in this session). Images made outside the toolkit are never deleted."""
    from .core.connection import api
    info = _inspect(ref)
    names = [core_images.normalize_ref(n) for n in info.get("RepoTags") or []]  # Podman: docker.io/library/...
    owned = L.is_owned((info.get("Config") or {}).get("Labels"))
    if len(names) < 2 and not owned:
        raise NotOwned(f"{ref} is the last name of an image the toolkit did not build; it stays",
                       "Remove it yourself with docker rmi if you mean it.")
    cmd = f"docker rmi {ref}"
    with translating(cmd):
        api().remove_image(core_images.normalize_ref(ref))
    left = [n for n in names if n != core_images.normalize_ref(ref)]
    # Which other names remain is not this lesson's business (on a shared daemon classmates
    # tag the same course image): that the image stays is.
    return Done([cmd], None, f"Untagged: {ref}" + (" (the image stays: other names still point at it)" if left else ""))


def _inspect(ref: str) -> dict:
    from .core.connection import api
    with translating(f"docker image inspect {shlex.quote(ref)}"):
        return api().inspect_image(ref)


# ------------------------------------------------------------------ what an image is

@offline_safe
def image_id(ref: str) -> str | None:
    """The image's id (what ``docker images`` shows shortened); None when it is not here."""
    return core_images.image_id(ref)


@offline_safe
def image_size(ref: str) -> int:
    """Bytes of an image (as ``docker images`` counts them, shared layers included)."""
    return core_images.image_size(ref)


@offline_safe
def created(ref: str) -> str:
    """When the image was built (ISO time, sorts as text)."""
    return _inspect(ref)["Created"]


@offline_safe
def layers(ref: str) -> list[str]:
    """The image's filesystem layer digests, oldest first (``RootFS.Layers``)."""
    return core_layers.root_layers(ref)


@offline_safe
def history(ref: str) -> pd.DataFrame:
    """``docker history`` oldest first: each step and whether it added a layer (the
    toolkit's own LABEL steps left out)."""
    h = core_layers.history(ref)
    h = h[~h["created_by"].str.startswith("LABEL " + L.PREFIX)].reset_index(drop=True)
    out = pd.DataFrame({"step": range(1, len(h) + 1), "instruction": h["created_by"],
                        "adds a layer": ~h["empty_layer"]})
    out["instruction"] = out["instruction"].map(_short_instruction)
    return out


def _short_instruction(text: str) -> str:
    # COPY lines name the content hash of the copied file: keep the destination only.
    if text.startswith("COPY file:") or text.startswith("ADD file:") or text.startswith("COPY dir:"):
        verb, _, rest = text.partition(" ")
        return f"{verb} … {rest.split(' in ', 1)[-1].strip()}" if " in " in rest else text
    return text


@offline_safe
def shared_layers(a: str, b: str) -> Done:
    """Which filesystem layers two images share (stored once on disk)."""
    s = core_layers.shared_layers(a, b)
    return Done([f"docker image inspect -f '{{{{json .RootFS.Layers}}}}' {a} {b}"], s, s.count_line())


@offline_safe
def image_config(ref: str) -> Done:
    """An image's run settings: CMD, ENTRYPOINT, EXPOSE, ENV, WORKDIR (from its Config)."""
    cfg = _inspect(ref).get("Config") or {}
    value = {
        "Cmd": cfg.get("Cmd"),
        "Entrypoint": cfg.get("Entrypoint"),
        "ExposedPorts": sorted((cfg.get("ExposedPorts") or {}).keys()),
        "Env": [e for e in cfg.get("Env") or [] if not e.startswith("PATH=")],
        "WorkingDir": cfg.get("WorkingDir") or "",
    }
    text = "\n".join(f"{k}: {v}" for k, v in value.items())
    return Done([f"docker image inspect -f '{{{{json .Config}}}}' {ref}"], value, text)


def describe_ref(ref: str) -> dict:
    """How Docker reads an image name: [registry/][user/]repo[:tag] (no daemon needed)."""
    V.check_image(ref)
    name, tag_ = ref, "latest"
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag_ = ref.rsplit(":", 1)
    parts = name.split("/")
    registry = "docker.io"
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry = parts.pop(0)
    user = parts[0] if len(parts) > 1 else ("library" if registry == "docker.io" else "")
    return {"name": ref, "registry": registry, "user": user, "repo": parts[-1], "tag": tag_}


def refs_table(*refs: str) -> pd.DataFrame:
    return pd.DataFrame([describe_ref(r) for r in refs])


@offline_safe
def copy_from_image(image: str, path: str) -> Done:
    """A file's bytes out of an image (``docker create`` + ``docker cp`` + ``docker rm``)."""
    import io
    import tarfile
    from .core.connection import api
    from .core.specs import RunSpec
    made = R.create_container(RunSpec(image, ["true"], lesson=ops._lesson))
    try:
        with translating(f"docker cp {made.short_id}:{path} -"):
            stream, _ = api().get_archive(made.id, path)
            data = b"".join(stream)
    finally:
        R._remove_quietly(made.id)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.getmembers()[0]
        content = tar.extractfile(member).read()
    return Done([f"docker create {image}", f"docker cp CONTAINER:{path} .", "docker rm CONTAINER"], content,
                f"{os.path.basename(path)}: statically linked: {is_static(content)}")


def is_static(elf: bytes) -> bool:
    """An ELF executable without an interpreter (PT_INTERP) needs no libraries."""
    import struct
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
                       static_image: str | None = "busybox:1.36-musl") -> Done:
    """A static binary for a ``FROM scratch`` image: this machine's ``path`` when the daemon
    is local and the file is static, else the same program copied out of ``image``. The
    official ``busybox:1.36`` is the glibc variant (dynamically linked): then the copy comes
    from ``static_image`` (the official musl variant is static), pulled if need be; when that
    fails too, the dynamic copy is returned and its text says "statically linked: False"."""
    if ops.daemon_is_local() and os.path.isfile(path):
        with open(path, "rb") as f:
            content = f.read()
        if is_static(content):
            return Done([f"cp {path} ."], content, f"{os.path.basename(path)}: statically linked: True")
    found = copy_from_image(image, path)
    if not static_image or not isinstance(found.value, bytes) or is_static(found.value):
        return found
    try:
        pulled = []
        if core_images.image_id(static_image) is None:
            core_images.pull(static_image)
            pulled = [f"docker pull {static_image}"]
        musl = copy_from_image(static_image, path)
    except DockerlabError:
        return found
    if isinstance(musl.value, bytes) and is_static(musl.value):
        return Done(pulled + musl.cli, musl.value, musl.text)
    return found


@offline_safe
def curl(container: str, container_port: int = 80, path: str = "/") -> Done:
    """``curl http://127.0.0.1:PORT/`` where PORT is the host port published for the container's
    ``container_port``; value (status, body). Refused plainly when nothing is published."""
    binds = (R.inspect_container(container)["NetworkSettings"]["Ports"] or {}).get(f"{container_port}/tcp") or []
    port = binds[0]["HostPort"] if binds else None
    if port is None:
        raise DockerlabError(f"{container}: port {container_port} is not published on the host",
                             "Run the container with -p, e.g. -p 8080:80 (or just 80: Docker picks).")
    status, body = ops.http_get(f"http://127.0.0.1:{port}{path}")
    return Done([f"curl http://127.0.0.1:{port}{path}"], (status, body), f"HTTP {status}\n{body.strip()}")


# ------------------------------------------------------------------ a private registry

@offline_safe
def registry_start(name: str, user: str = "learner", host_port: int | None = None) -> Done:
    """A private registry (registry:2 with htpasswd auth) on 127.0.0.1; its password is
    generated for this session and never shown (``.value.password`` holds it). The bcrypt
    password file is written by the toolkit, not by a program in the image."""
    reg = core_registry.start(name, user, core_registry.new_password(), host_port=host_port, lesson=ops._lesson)
    shown = [core_registry.htpasswd_cli(user), *reg.cli]  # the toolkit writes it with bcrypt
    return Done(shown, reg, f"{name}  running at {reg.address}, login required (user {user}, "
                            f"password generated for this session, not shown)")


@_offline_in
def login(registry: str, user: str, password: str) -> Done:
    """``docker login REGISTRY``: checks the credentials and keeps them for later pushes."""
    cmd = f"docker login {registry} -u {user} --password-stdin"
    try:
        _logins[registry] = core_registry.login(registry, user, password)
    except core_registry.LoginFailed as e:
        _logins.pop(registry, None)
        return Done([cmd], False, e.as_text().replace("\n  while running: " + e.command, ""))
    return Done([cmd], True, "Login Succeeded")


def logout(registry: str) -> Done:
    """``docker logout REGISTRY``: forget the credentials."""
    _logins.pop(registry, None)
    return Done([f"docker logout {registry}"], None, f"Removing login credentials for {registry}")


def _registry_of(ref: str) -> str:
    first = ref.split("/", 1)[0]
    return first if "/" in ref and ("." in first or ":" in first or first == "localhost") else "docker.io"


@_offline_in
def push(ref: str) -> Done:
    """``docker push REF`` with the login kept for its registry (anonymous without one).
    A refusal is a result (value False, the registry's reason), not an exception."""
    auth = _logins.get(_registry_of(ref))
    try:
        pushed = core_registry.push(ref, auth)
    except core_registry.PushRefused as e:
        return Done([e.command], False, f"{e.message}\n  hint: {e.hint}")
    if not pushed.layers_reported:
        return Done([f"docker push {ref}"], True, f"pushed {ref} ({pushed.digest or 'no digest'}); Podman "
                                              "reports no per-layer progress, so which layers were sent is unknown")
    return Done([f"docker push {ref}"], True, f"pushed {ref}: {pushed.sent} layers sent, "
                                          f"{pushed.present} already in the registry")


@_offline_in
def catalog(registry: str) -> Done:
    """The registry's repositories (``GET /v2/_catalog``) with the kept login."""
    auth = _logins.get(registry)
    repos = core_registry.catalog(registry, auth.user if auth else None, auth.password if auth else None)
    return Done([f"curl -u USER http://{registry}/v2/_catalog"], repos, "repositories: " + ", ".join(repos))


@_offline_in
def registry_tags(registry: str, repo: str) -> Done:
    auth = _logins.get(registry)
    found = core_registry.tags(registry, repo, auth.user if auth else None, auth.password if auth else None)
    return Done([f"curl -u USER http://{registry}/v2/{repo}/tags/list"], found, f"{repo} tags: {', '.join(found)}")


__all__ = ["build", "compare_builds", "curl", "tag", "untag", "image_id", "image_size", "created", "layers",
           "history", "shared_layers", "image_config", "describe_ref", "refs_table", "copy_from_image",
           "host_static_binary", "is_static", "registry_start", "login", "logout", "push", "catalog",
           "registry_tags"]
