"""Lesson 04's exercises done with the plain docker CLI (docker build, docker run): correct
answers done in different ways, wrong ones and fakes, each with the exact message."""
from __future__ import annotations

import pytest
from test_cli_lesson03 import build

pytestmark = pytest.mark.docker

PAGE = {"index.html": "<h1>my own page</h1>\n"}
SITE = "FROM nginx:1.25\nCOPY index.html /usr/share/nginx/html/index.html\n"
SITE_OK = ("passed", "ex4-site:1 (FROM nginx:1.25) carries your own page in its layers and serves it on its "
                     "published port")


def test_extend_nginx(learner):
    n, sh = learner.n, learner.sh
    img = n("ex4-site") + ":1"
    learner.expect("04-extend-nginx", "wrong", "not-attempted", "no image ex4-site:1 yet")
    build(learner, img, SITE, **PAGE)
    learner.expect("04-extend-nginx", "wrong", "failed", "no running container of ex4-site:1")
    sh(f"docker run -d --name {n('ex4-site')} {img}")
    learner.expect("04-extend-nginx", "wrong", "failed", "port 80 of your ex4-site:1 container is not published on "
                   "the host")
    sh(f"docker rm -f {n('ex4-site')} && docker run -d --name {n('ex4-site')} -p 127.0.0.1::80 {img}")
    learner.expect("04-extend-nginx", "correct", *SITE_OK)
    p = learner.terminal_check("04-extend-nginx")
    assert p.returncode == 0, p
    # correct 2: run by image id with -P (nginx EXPOSEs 80), the page added with ADD
    learner.reset()
    build(learner, img, "FROM nginx:1.25\nADD index.html /usr/share/nginx/html/\n", **PAGE)
    iid = sh(f"docker image inspect -f '{{{{.Id}}}}' {img}").stdout.strip()
    sh(f"docker run -d --name {n('site2')} -P {iid}")
    learner.expect("04-extend-nginx", "correct", *SITE_OK)
    learner.reset()
    build(learner, img, "FROM nginx:1.25\nRUN touch /built\n")
    sh(f"docker run -d --name {n('ex4-site')} -p 127.0.0.1::80 {img}")
    learner.expect("04-extend-nginx", "wrong", "failed", "the page is still nginx's default welcome page")
    # fake: the page copied into the running container, not built into the image
    (learner.tmp / "index.html").write_text(PAGE["index.html"])
    sh(f"docker cp index.html {n('ex4-site')}:/usr/share/nginx/html/index.html")
    learner.expect("04-extend-nginx", "fake", "failed", "the page ex4-site serves is not the image's: it was mounted "
                   "or copied into the container")
    # fake: nginx:1.25 renamed, the page bind-mounted
    learner.reset()
    sh(f"docker tag nginx:1.25 {img}")
    www = learner.tmp / "www"
    www.mkdir()
    (www / "index.html").write_text(PAGE["index.html"])
    www.chmod(0o755)
    learner.tmp.chmod(0o755)
    sh(f"docker run -d --name {n('ex4-site')} -p 127.0.0.1::80 -v {www}:/usr/share/nginx/html:ro {img}")
    learner.expect("04-extend-nginx", "fake", "failed", "ex4-site:1 adds no layer to nginx:1.25: your page is not in "
                   "the image")
    learner.reset()
    build(learner, img, "FROM debian:bookworm-slim\nCOPY index.html /index.html\n", **PAGE)
    learner.expect("04-extend-nginx", "wrong", "failed", "ex4-site:1 is not built FROM nginx:1.25")


DEPS = "RUN echo installing dependencies && mkdir -p /deps && echo libfoo 1.0 > /deps/list\n"
COPY = "COPY app.sh /app/app.sh\n"
APP = {"app.sh": "echo hi\n"}
CACHE_OK = ("passed", "ex4-cache:1's dependencies layer lies below its code layer: a code change reuses the "
                      "cached dependencies")
CODE_FIRST = ("failed", "the layer with the code comes before the layer with the dependencies: every code change "
                        "reinstalls them")


def test_cache_order(learner):
    n = learner.n
    img = n("ex4-cache") + ":1"
    learner.expect("04-cache-order", "wrong", "not-attempted", "no image ex4-cache:1 yet")
    build(learner, img, "FROM busybox:1.36\nWORKDIR /app\n" + COPY + DEPS + 'CMD ["sh", "/app/app.sh"]\n', **APP)
    learner.expect("04-cache-order", "wrong", *CODE_FIRST)  # the given order
    build(learner, img, "FROM busybox:1.36\nWORKDIR /app\n" + DEPS + COPY + 'CMD ["sh", "/app/app.sh"]\n', **APP)
    learner.expect("04-cache-order", "correct", *CACHE_OK)
    p = learner.terminal_check("04-cache-order")
    assert p.returncode == 0, p
    # correct 2: ADD instead of COPY, an ENV and a chmod step in between
    build(learner, img, "FROM busybox:1.36\n" + DEPS + "ENV MODE=prod\nADD app.sh /app/\nRUN chmod +x /app/app.sh\n"
          'CMD ["/app/app.sh"]\n', **APP)
    learner.expect("04-cache-order", "correct", *CACHE_OK)
    # fake: a dummy line that names /deps above the COPY, the real step still below it
    build(learner, img, "FROM busybox:1.36\nRUN echo /deps\n" + COPY + DEPS, **APP)
    learner.expect("04-cache-order", "fake", *CODE_FIRST)
    # fake: one step does both, so a code change reinstalls the dependencies anyway
    build(learner, img, "FROM busybox:1.36\nCOPY app.sh /tmp/app.sh\nRUN mkdir -p /deps /app && "
          "echo libfoo 1.0 > /deps/list && mv /tmp/app.sh /app/app.sh\n", **APP)
    learner.expect("04-cache-order", "fake", *CODE_FIRST)
    build(learner, img, "FROM busybox:1.36\nRUN mkdir -p /deps /app && echo libfoo 1.0 > /deps/list && "
          "echo 'echo hi' > /app/app.sh\n")
    learner.expect("04-cache-order", "wrong", "failed", "the dependencies and the code are in the same layer: every "
                   "code change reinstalls them")
    build(learner, img, "FROM busybox:1.36\n" + COPY, **APP)
    learner.expect("04-cache-order", "wrong", "failed", "no layer of ex4-cache:1 installs the dependencies (/deps/list)")


APP_OK = ("passed", "a container of ex4-app:1 ran its CMD, and docker logs shows its output")


def test_own_app(learner):
    n, sh = learner.n, learner.sh
    img = n("ex4-app") + ":1"
    learner.expect("04-own-app", "wrong", "not-attempted", "no image ex4-app:1 yet")
    build(learner, img, 'FROM busybox:1.36\nCMD ["echo", "hello from my app"]\n')
    learner.expect("04-own-app", "wrong", "failed", "no container of ex4-app:1 ran its own CMD")
    sh(f"docker run --name {n('ex4-app')} {img}")
    learner.expect("04-own-app", "correct", *APP_OK)
    p = learner.terminal_check("04-own-app")
    assert p.returncode == 0, p
    learner.reset()
    # correct 2: ENTRYPOINT + CMD, run detached by image id
    build(learner, img, 'FROM busybox:1.36\nENTRYPOINT ["echo"]\nCMD ["hello", "again"]\n')
    iid = sh(f"docker image inspect -f '{{{{.Id}}}}' {img}").stdout.strip()
    sh(f"docker run -d --name {n('app2')} {iid} && docker wait {n('app2')}")
    learner.expect("04-own-app", "correct", *APP_OK)
    learner.reset()
    build(learner, img, 'FROM busybox:1.36\nCMD ["echo", "hello from my app"]\n')
    sh(f"docker run --name {n('ex4-app')} {img} true")
    learner.expect("04-own-app", "wrong", "failed", "no container of ex4-app:1 ran its own CMD")
    # fake: the entrypoint replaced, so the image's own command never ran
    sh(f"docker run --name {n('app3')} --entrypoint echo {img} faked")
    learner.expect("04-own-app", "fake", "failed", "no container of ex4-app:1 ran its own CMD")
    learner.reset()
    build(learner, img, 'FROM busybox:1.36\nCMD ["true"]\n')
    sh(f"docker run --name {n('ex4-app')} {img}")
    learner.expect("04-own-app", "wrong", "failed", "your ex4-app:1 container printed nothing (docker logs is empty)")
    # fake: busybox renamed, its own CMD (sh) run with a tty-less echo on stdin
    learner.reset()
    sh(f"docker tag busybox:1.36 {img} && docker run -i --name {n('ex4-app')} {img}", stdin="echo hi\n")
    learner.expect("04-own-app", "fake", "failed", "ex4-app:1 has no CMD of its own")
