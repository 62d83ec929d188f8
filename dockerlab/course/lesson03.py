"""Exercises of lesson 03 (images): push to the private registry after a login, a
`latest` tag that is not the newest image, and two images sharing a base's layers."""
from __future__ import annotations

import base64
import json
import os
import urllib.error

from ..commands import registry as core_registry
from ..commands import registry_http
from ..reads import views as state
from .base import Incorrect, NotAttempted, ensure, exercise
from .evidence import course_image_ids, own_image

LESSON = "03-images"
BASE = "busybox:1.36"


def _http(url: str, login: tuple[str, str] | None = None, accept: str | None = None):
    """(status, headers, body) of a GET to a registry on this machine, with a Basic login or none."""
    try:
        with registry_http.request(url, *(login or (None, None)), timeout=3, accept=accept) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()
    except OSError:
        return None


def cli_login(address: str) -> tuple[str, str] | None:
    """The login ``docker login ADDRESS`` saved in the Docker CLI's config.json, if any."""
    folder = os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    try:
        auths = json.loads(open(os.path.join(folder, "config.json")).read()).get("auths") or {}
        user, _, password = base64.b64decode(auths[address]["auth"]).decode().partition(":")
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (user, password) if user else None


def _registries() -> list[tuple[str, str, int, tuple[str, str] | None]]:
    """(container, address, status of an anonymous GET /v2/, a login for it) of every running
    container of the learner's that answers the registry API on a published port."""
    found = []
    for c in state.containers():
        if not c.running:
            continue
        for port in c.host_ports(5000):
            address = f"127.0.0.1:{port}"
            got = _http(f"http://{address}/v2/")
            if got is None or "docker-distribution-api-version" not in got[1]:
                continue
            login = core_registry.saved_login(c.name) or cli_login(address) or cli_login(f"localhost:{port}")
            found.append((c.name, address, got[0], login))
    return found


@exercise("03-tag-push", lesson=LESSON, title="Tag and push to the private registry",
          prompt="In the registry you started (n3-registry, login required), publish busybox:1.36 as the "
                 "repository ex3/busybox with the tag 1.36: tag it REGISTRY/ex3/busybox:1.36, log in, push.",
          hints=("Start the registry first: reg = dl.registry_start('n3-registry'); its address is "
                 "reg.value.address.",
                 "dl.tag('busybox:1.36', f'{addr}/ex3/busybox:1.36'), then dl.login(addr, user, password), "
                 "then dl.push(f'{addr}/ex3/busybox:1.36').",),
          solution_cli=("docker tag busybox:1.36 127.0.0.1:PORT/ex3/busybox:1.36",
                        "docker login 127.0.0.1:PORT -u learner",
                        "docker push 127.0.0.1:PORT/ex3/busybox:1.36"))
def check_tag_push():
    regs = _registries()
    if not regs:
        raise NotAttempted("no running registry of yours answers on a published port",
                           "Start one: reg = dl.registry_start('n3-registry').")
    for name, address, anonymous, login in regs:
        ensure(anonymous == 401, f"the registry {name} at {address} lets anyone in: GET /v2/ answers "
               f"HTTP {anonymous} without a login",
               "The exercise is a registry that requires a login: dl.registry_start('n3-registry') (or "
               "REGISTRY_AUTH=htpasswd with a password file).")
        if login is None:
            continue
        got = _http(f"http://{address}/v2/_catalog", login)
        ensure(got is not None and got[0] == 200, f"the registry at {address} refuses the saved login",
               f"Log in again: docker login {address}")
        if "ex3/busybox" not in (json.loads(got[2] or b"{}").get("repositories") or []):
            continue
        tags = core_registry.tags(address, "ex3/busybox", *login)
        ensure("1.36" in tags, f"the registry has ex3/busybox but not the tag 1.36 (tags: {', '.join(tags)})",
               "Tag the image REGISTRY/ex3/busybox:1.36 and push that name.")
        # The same image: its config digest is the local id (graph-driver store), or the manifest
        # the tag names is (the containerd image store's id).
        remote = core_registry.remote_image(address, "ex3/busybox", "1.36", *login) or {}
        local = state.image_id(BASE)
        ensure(local is not None and local in (remote.get("config"), remote.get("digest")),
               f"ex3/busybox:1.36 in the registry is not {BASE} (another image "
               "was pushed under that name)", f"docker tag {BASE} {address}/ex3/busybox:1.36, then push it again.")
        return "the registry requires a login, and its catalog lists ex3/busybox:1.36, which is busybox:1.36"
    if all(login is None for *_, login in regs):
        raise Incorrect("no login is saved for your registry",
                        f"docker login {regs[0][1]} with the registry's user and password, then push.")
    if not any(state.image(f"{address}/ex3/busybox:1.36") for _name, address, *_rest in regs):
        # Checked before trying: nothing pushed and nothing tagged yet.
        raise NotAttempted("nothing tagged or pushed as ex3/busybox yet",
                           "Tag busybox:1.36 with the registry's address: docker tag busybox:1.36 "
                           "REGISTRY/ex3/busybox:1.36, then log in and push that name.")
    raise Incorrect("the registry's catalog has no repository ex3/busybox",
                    "docker tag busybox:1.36 REGISTRY/ex3/busybox:1.36, docker login REGISTRY, then docker push "
                    "that name. A push without a login is refused.")


@exercise("03-latest-tag", lesson=LESSON, title="latest is only a tag",
          prompt="Build two different images ex3-tool:1.0 and then ex3-tool:2.0 (any small Dockerfile FROM "
                 "busybox:1.36), then make ex3-tool:latest point at the OLDER one, ex3-tool:1.0.",
          hints=("dl.build('ex3-tool:1.0', 'FROM busybox:1.36\\nRUN echo 1.0 > /version\\n'), and the same "
                 "for 2.0 with another content.",
                 "dl.tag('ex3-tool:1.0', 'ex3-tool:latest')"),
          solution_cli=("docker build -t ex3-tool:1.0 .", "docker build -t ex3-tool:2.0 .",
                        "docker tag ex3-tool:1.0 ex3-tool:latest"))
def check_latest_tag():
    v1, v2, latest = (own_image(f"ex3-tool:{t}") for t in ("1.0", "2.0", "latest"))
    if not (v1 or v2 or latest):
        raise NotAttempted("no image ex3-tool yet", "Build ex3-tool:1.0 and ex3-tool:2.0 first.")
    ensure(v1 is not None, "ex3-tool:1.0 is missing", "Build it: docker build -t ex3-tool:1.0 .")
    ensure(v2 is not None, "ex3-tool:2.0 is missing", "Build a second, different image: docker build -t ex3-tool:2.0 .")
    ensure(v1["Id"] != v2["Id"], "ex3-tool:1.0 and ex3-tool:2.0 are the same image",
           "Change the Dockerfile (e.g. RUN echo 2.0 > /version) before building 2.0.")
    course = course_image_ids()
    for tag, img in (("1.0", v1), ("2.0", v2)):
        ensure(img["Id"] not in course, f"ex3-tool:{tag} is {course.get(img['Id'])} under another name, not an "
               "image you built", f"Build it: docker build -t ex3-tool:{tag} . (FROM busybox:1.36 plus a step).")
    ensure(latest is not None, "ex3-tool:latest does not exist",
           "A tag is a name you give: docker tag ex3-tool:1.0 ex3-tool:latest")
    ensure(latest["Id"] == v1["Id"],
           "ex3-tool:latest points at " + ("ex3-tool:2.0" if latest["Id"] == v2["Id"] else "another image"),
           "Move the tag: docker tag ex3-tool:1.0 ex3-tool:latest")
    return "ex3-tool:latest is ex3-tool:1.0, not the newer ex3-tool:2.0"


@exercise("03-shared-base", lesson=LESSON, title="Two images, one base",
          prompt="Build two different images ex3-a and ex3-b FROM busybox:1.36 (each adds a file of its own), "
                 "so that they share busybox's layers.",
          hints=("dl.build('ex3-a', 'FROM busybox:1.36\\nRUN echo a > /a.txt\\n') and the same for ex3-b.",
                 "Compare them: dl.LayerExplorer('ex3-a', compare='ex3-b')"),
          solution_cli=("docker build -t ex3-a .", "docker build -t ex3-b ."))
def check_shared_base():
    a, b = own_image("ex3-a"), own_image("ex3-b")
    if not (a or b):
        raise NotAttempted("no image ex3-a or ex3-b yet", "Build both FROM busybox:1.36.")
    ensure(a is not None, "ex3-a is missing", "Build it: docker build -t ex3-a .")
    ensure(b is not None, "ex3-b is missing", "Build it: docker build -t ex3-b .")
    base = state.image(BASE)
    ensure(base is not None, f"{BASE} is not here", "Run `dockerlab images` to make the course images present.")
    lb = base["RootFS"]["Layers"]
    la_, lb_ = a["RootFS"]["Layers"], b["RootFS"]["Layers"]
    for name, lay in (("ex3-a", la_), ("ex3-b", lb_)):
        ensure(lay[:len(lb)] == lb, f"{name} does not start with the layers of {BASE}",
               f"Start its Dockerfile with FROM {BASE}.")
    course = course_image_ids()
    for name, img in (("ex3-a", a), ("ex3-b", b)):
        ensure(img["Id"] not in course, f"{name} is {course.get(img['Id'])} under another name, not an image you "
               "built", f"Build it: docker build -t {name} . with FROM {BASE} and a step of its own.")
    ensure(a["Id"] != b["Id"], "ex3-a and ex3-b are the same image",
           "Give each its own step, e.g. RUN echo a > /a.txt and RUN echo b > /b.txt.")
    ensure(len(la_) > len(lb) and len(lb_) > len(lb) and la_ != lb_,
           "one of them adds no layer of its own", "Add a RUN or COPY step that writes a file to each.")
    # "every layer", not a count: the official busybox has one layer, an image built in two steps two
    return f"ex3-a and ex3-b share every layer of {BASE} (stored once), each adds its own"
