"""Exercises of lesson 04 (Dockerfiles): extend nginx with a page, order a Dockerfile for
the cache, and build and run an app image of your own."""
from __future__ import annotations

import posixpath

from ..engine import podman
from ..engine.errors import DockerlabError
from ..host.http import get as http_get
from ..reads import layers as core_layers
from ..reads import views as state
from .base import Incorrect, NotAttempted, ensure, exercise
from .evidence import course_image_ids, own_image

LESSON = "04-dockerfiles"


def _fetch(port: int) -> tuple[int, str] | None:
    """(status, page) from the published port, retrying a few seconds while nginx starts."""
    try:
        return http_get(f"http://127.0.0.1:{port}/")
    except DockerlabError:
        return None


@exercise("04-extend-nginx", lesson=LESSON, title="Extend nginx with your own page",
          prompt="Build ex4-site:1 FROM nginx:1.25 with your own index.html (COPY it to /usr/share/nginx/html/), "
                 "and run a container from it with port 80 published.",
          hints=("dl.build('ex4-site:1', 'FROM nginx:1.25\\nCOPY index.html /usr/share/nginx/html/index.html\\n', "
                 "files={'index.html': '<h1>mine</h1>'})",
                 "dl.run('ex4-site:1', name='ex4-site', ports=['80'])"),
          solution_cli=("docker build -t ex4-site:1 .", "docker run -d --name ex4-site -p 8080:80 ex4-site:1"))
def check_extend_nginx():
    img = own_image("ex4-site:1")
    if img is None:
        raise NotAttempted("no image ex4-site:1 yet", "Build it FROM nginx:1.25 with your index.html.")
    ensure(state.built_on(img, "nginx:1.25"), "ex4-site:1 is not built FROM nginx:1.25",
           "Start the Dockerfile with FROM nginx:1.25.")
    ensure(len(state.layers(img)) > len(state.layers(state.image("nginx:1.25"))),
           "ex4-site:1 adds no layer to nginx:1.25: your page is not in the image",
           "COPY index.html /usr/share/nginx/html/index.html in the Dockerfile, then rebuild.")
    running = [c for c in state.containers(image=img["Id"]) if c.running]
    ensure(running, "no running container of ex4-site:1", "docker run -d -p 8080:80 ex4-site:1")
    published = [c for c in running if c.host_ports(80)]
    ensure(published, "port 80 of your ex4-site:1 container is not published on the host",
           "Add -p HOST:80 (or just 80) to docker run: EXPOSE alone publishes nothing.")
    for c in published:
        got = _fetch(c.host_ports(80)[0])
        if got and got[0] == 200:
            ensure("Welcome to nginx!" not in got[1], "the page is still nginx's default welcome page",
                   "COPY your index.html to /usr/share/nginx/html/index.html and rebuild.")
            ensure(not _site_from_outside(c), f"the page {c.name} serves is not the image's: it was mounted or "
                   "copied into the container", "Put the page in the image (COPY in the Dockerfile), rebuild, "
                   "and run a fresh container of it with no -v and no docker cp.")
            return "ex4-site:1 (FROM nginx:1.25) carries your own page in its layers and serves it on its published port"
    raise Incorrect("nothing answers on the published port of your ex4-site:1 container",
                    "docker logs of the container says why nginx did not start.")


SITE = "/usr/share/nginx/html"


def _site_from_outside(c: state.ContainerView) -> bool:
    """True when the served folder is a mount, or was changed in the container (``docker
    diff``: docker cp or exec), rather than coming from the image's layers."""
    if any(SITE == m["Destination"] or SITE.startswith(m["Destination"].rstrip("/") + "/") for m in c.mounts):
        return True
    return any(p.startswith(SITE + "/") for p in state.changed_paths(c.id))


@exercise("04-cache-order", lesson=LESSON, title="Order a Dockerfile for the cache",
          prompt="Reorder the given Dockerfile so that the dependencies step (RUN ... /deps) comes before the "
                 "COPY of the code, and build it as ex4-cache:1.",
          hints=("Move the RUN line above the COPY line; keep FROM first and CMD last.",
                 "dl.build('ex4-cache:1', dockerfile_text, files={'app.sh': 'echo hi\\n'})"),
          solution_cli=("docker build -t ex4-cache:1 .",))
def check_cache_order():
    img = own_image("ex4-cache:1")
    if img is None:
        raise NotAttempted("no image ex4-cache:1 yet", "Build the reordered Dockerfile as ex4-cache:1.")
    ensure(state.built_on(img, "busybox:1.36"), "ex4-cache:1 is not built FROM busybox:1.36",
           "Keep FROM busybox:1.36 as the first line.")
    files = core_layers.layer_files(img["Id"])
    deps = next((i for i, f in enumerate(files) if any(p == "deps/list" for p in f)), None)
    code = next((i for i, f in enumerate(files) if any(posixpath.basename(p) == "app.sh" for p in f)), None)
    ensure(deps is not None, "no layer of ex4-cache:1 installs the dependencies (/deps/list)",
           "Keep the RUN line that installs the dependencies.")
    ensure(code is not None, "no layer of ex4-cache:1 holds the code (app.sh)", "Keep the COPY line.")
    ensure(deps != code, "the dependencies and the code are in the same layer: every code change reinstalls them",
           "Give each its own step: RUN (dependencies) first, then COPY app.sh.")
    ensure(deps < code, "the layer with the code comes before the layer with the dependencies: every code change "
           "reinstalls them", "Put the RUN (dependencies) line above the COPY (code) line, then rebuild.")
    return "ex4-cache:1's dependencies layer lies below its code layer: a code change reuses the cached dependencies"


@exercise("04-own-app", lesson=LESSON, title="Build and run your own app image",
          prompt="Build ex4-app:1 whose CMD prints a line, and run a container from it without overriding "
                 "its command; the checker reads that container's docker logs.",
          hints=("dl.build('ex4-app:1', 'FROM busybox:1.36\\nCMD [\"echo\", \"hello\"]\\n')",
                 "dl.run('ex4-app:1', name='ex4-app', detach=False)"),
          solution_cli=("docker build -t ex4-app:1 .", "docker run --name ex4-app ex4-app:1",
                        "docker logs ex4-app"))
def check_own_app():
    img = own_image("ex4-app:1")
    if img is None:
        raise NotAttempted("no image ex4-app:1 yet", "Build it with a CMD that prints a line.")
    base = state.image("busybox:1.36")
    cmd = (img.get("Config") or {}).get("Cmd")
    own = [s for s in core_layers.history(img["Id"])["created_by"] if s.startswith("CMD")]
    ensure(cmd and (base is None or cmd != base["Config"].get("Cmd") or len(own) > 1),
           "ex4-app:1 has no CMD of its own", "Add a CMD line, e.g. CMD [\"echo\", \"hello\"].")
    entrypoint = (img.get("Config") or {}).get("Entrypoint")
    ensure(img["Id"] not in course_image_ids(), "ex4-app:1 is a course image under another name",
           "Build it from a Dockerfile with a CMD of its own.")
    ran = [c for c in state.containers(image=img["Id"])
           if c.doc["Config"].get("Cmd") == cmd
           and podman.entrypoint(c.doc["Config"].get("Entrypoint")) == podman.entrypoint(entrypoint)]
    if not ran:
        raise Incorrect("no container of ex4-app:1 ran its own CMD",
                        "docker run --name ex4-app ex4-app:1 (no command after the image name).")
    for c in ran:
        if state.logs_text(c.name).strip():
            return "a container of ex4-app:1 ran its CMD, and docker logs shows its output"
    raise Incorrect("your ex4-app:1 container printed nothing (docker logs is empty)",
                    "Print to stdout (echo ...), not to a file; docker logs shows only stdout/stderr.")
