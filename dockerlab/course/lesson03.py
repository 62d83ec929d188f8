"""Exercises of lesson 03 (images): push to the private registry after a login, a
`latest` tag that is not the newest image, and two images sharing a base's layers."""
from __future__ import annotations

from ..commands import registry as core_registry
from ..reads import views as state
from .base import Incorrect, NotAttempted, ensure, exercise

LESSON = "03-images"
BASE = "busybox:1.36"


def _registries() -> list[tuple[str, str, str, str]]:
    """(container, address, user, password) of this session's running course registries."""
    found = []
    for c in state.containers(image=core_registry.IMAGE):
        ports = c.host_ports(5000)
        if not c.running or not ports:
            continue
        login = core_registry.saved_login(c.name)
        if login:
            found.append((c.name, f"127.0.0.1:{ports[0]}", *login))
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
        raise NotAttempted("no running course registry in this session",
                           "Start one: reg = dl.registry_start('n3-registry').")
    for _name, address, user, password in regs:
        if "ex3/busybox" in core_registry.catalog(address, user, password):
            tags = core_registry.tags(address, "ex3/busybox", user, password)
            ensure("1.36" in tags, f"the registry has ex3/busybox but not the tag 1.36 (tags: {', '.join(tags)})",
                   "Tag the image REGISTRY/ex3/busybox:1.36 and push that name.")
            return "the registry's catalog lists ex3/busybox, tag 1.36"
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
    v1, v2, latest = (state.image(f"ex3-tool:{t}") for t in ("1.0", "2.0", "latest"))
    if not (v1 or v2 or latest):
        raise NotAttempted("no image ex3-tool yet", "Build ex3-tool:1.0 and ex3-tool:2.0 first.")
    ensure(v1 is not None, "ex3-tool:1.0 is missing", "Build it: docker build -t ex3-tool:1.0 .")
    ensure(v2 is not None, "ex3-tool:2.0 is missing", "Build a second, different image: docker build -t ex3-tool:2.0 .")
    ensure(v1["Id"] != v2["Id"], "ex3-tool:1.0 and ex3-tool:2.0 are the same image",
           "Change the Dockerfile (e.g. RUN echo 2.0 > /version) before building 2.0.")
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
    a, b = state.image("ex3-a"), state.image("ex3-b")
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
    ensure(a["Id"] != b["Id"], "ex3-a and ex3-b are the same image",
           "Give each its own step, e.g. RUN echo a > /a.txt and RUN echo b > /b.txt.")
    ensure(len(la_) > len(lb) and len(lb_) > len(lb) and la_ != lb_,
           "one of them adds no layer of its own", "Add a RUN or COPY step that writes a file to each.")
    # "every layer", not a count: the official busybox has one layer, an image built in two steps two
    return f"ex3-a and ex3-b share every layer of {BASE} (stored once), each adds its own"
