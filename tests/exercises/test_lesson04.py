"""Checkers of lesson 04 (Dockerfiles): each passes on the right daemon state and fails otherwise."""
from __future__ import annotations

import pytest

from dockerlab.commands import build as builds
from dockerlab.commands import run as R
from dockerlab.commands.build import BuildSpec
from dockerlab.commands.run import RunSpec
from dockerlab.course import check

pytestmark = pytest.mark.docker
LESSON = "04-dockerfiles"


def _build(tag: str, dockerfile: str, **files) -> None:
    builds.build(BuildSpec(tag, files={"Dockerfile": dockerfile, **files}, lesson=LESSON))


SITE = "FROM nginx:1.25\nCOPY index.html /usr/share/nginx/html/index.html\n"


def test_extend_nginx_passes_with_own_page_published(session, uid):
    _build("ex4-site:1", SITE, **{"index.html": "<h1>mine</h1>"})
    R.run(RunSpec("ex4-site:1", name=f"ex4-site-{uid}", ports=["80"], lesson=LESSON))
    r = check("04-extend-nginx", record=False)
    assert r.passed, r


def test_extend_nginx_fails_without_publish(session, uid):
    _build("ex4-site:1", SITE, **{"index.html": "<h1>mine</h1>"})
    R.run(RunSpec("ex4-site:1", name=f"ex4-site-{uid}", lesson=LESSON))
    r = check("04-extend-nginx", record=False)
    assert r.status == "failed" and "not published" in r.message


def test_extend_nginx_fails_with_default_page(session, uid):
    # An ENV-only image adds no layer: refused before any page is fetched (issue 11: the page
    # must be in the image's own layers); a step that adds a layer but no page shows the default.
    _build("ex4-site:1", "FROM nginx:1.25\nENV X=1\n")
    R.run(RunSpec("ex4-site:1", name=f"ex4-site-{uid}", ports=["80"], lesson=LESSON))
    r = check("04-extend-nginx", record=False)
    assert r.status == "failed" and "adds no layer" in r.message
    _build("ex4-site:1", "FROM nginx:1.25\nRUN touch /built\n")
    R.run(RunSpec("ex4-site:1", name=f"ex4-site2-{uid}", ports=["80"], lesson=LESSON))
    r = check("04-extend-nginx", record=False)
    assert r.status == "failed" and "default" in r.message


DEPS = "RUN echo installing dependencies && mkdir -p /deps && echo libfoo 1.0 > /deps/list\n"
COPY = "COPY app.sh /app/app.sh\n"


def test_cache_order_passes_when_deps_come_first(session):
    _build("ex4-cache:1", "FROM busybox:1.36\nWORKDIR /app\n" + DEPS + COPY + 'CMD ["sh", "/app/app.sh"]\n',
           **{"app.sh": "echo hi\n"})
    assert check("04-cache-order", record=False).passed


def test_cache_order_fails_for_the_given_order(session):
    _build("ex4-cache:1", "FROM busybox:1.36\nWORKDIR /app\n" + COPY + DEPS + 'CMD ["sh", "/app/app.sh"]\n',
           **{"app.sh": "echo hi\n"})
    r = check("04-cache-order", record=False)
    assert r.status == "failed" and "code comes before the layer with the dependencies" in r.message


def test_own_app_passes_when_its_cmd_printed(session, uid):
    _build("ex4-app:1", 'FROM busybox:1.36\nCMD ["echo", "hello from the test app"]\n')
    R.run(RunSpec("ex4-app:1", name=f"ex4-app-{uid}", detach=False, lesson=LESSON))
    assert check("04-own-app", record=False).passed


def test_own_app_fails_when_the_command_was_overridden(session, uid):
    _build("ex4-app:1", 'FROM busybox:1.36\nCMD ["echo", "hello from the test app"]\n')
    R.run(RunSpec("ex4-app:1", ["true"], name=f"ex4-app-{uid}", detach=False, lesson=LESSON))
    r = check("04-own-app", record=False)
    assert r.status == "failed" and "own CMD" in r.message


def test_own_app_not_attempted_without_image(session):
    assert check("04-own-app", record=False).status == "not-attempted"
