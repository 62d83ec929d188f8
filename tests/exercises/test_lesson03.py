"""Checkers of lesson 03 (images): each passes on the right daemon state and fails otherwise."""
from __future__ import annotations

import pytest

from dockerlab.commands import build as builds
from dockerlab.commands import image as images
from dockerlab.commands import registry
from dockerlab.commands.build import BuildSpec
from dockerlab.course import check
from dockerlab.engine.client import engine as api

pytestmark = pytest.mark.docker
LESSON = "03-images"


def _build(tag: str, dockerfile: str) -> None:
    builds.build(BuildSpec(tag, files={"Dockerfile": dockerfile}, lesson=LESSON))


def test_tag_push_passes_after_login_and_push(session, uid):
    pw = registry.new_password()
    reg = registry.start(f"ex3-reg-{uid}", "learner", pw, lesson=LESSON)
    before = check("03-tag-push", record=False)  # a registry, nothing tagged or pushed: checked before trying
    assert before.status == "not-attempted" and "ex3/busybox" in before.message, before
    ref = f"{reg.address}/ex3/busybox:1.36"
    images.tag("busybox:1.36", ref)
    try:
        with pytest.raises(registry.PushRefused):
            registry.push(ref, None)  # anonymous: refused, and the checker still fails
        assert check("03-tag-push", record=False).status == "failed"
        registry.push(ref, registry.login(reg.address, "learner", pw))
    finally:
        api().remove_image(ref)  # the name only: busybox:1.36 keeps the image
    result = check("03-tag-push", record=False)
    assert result.passed, result


def test_tag_push_not_attempted_without_registry(session):
    assert check("03-tag-push", record=False).status == "not-attempted"


def test_latest_tag_passes_when_latest_is_the_older(session):
    _build("ex3-tool:1.0", "FROM busybox:1.36\nRUN echo t1 > /v\n")
    _build("ex3-tool:2.0", "FROM busybox:1.36\nRUN echo t2 > /v\n")
    images.tag("ex3-tool:1.0", "ex3-tool:latest")
    assert check("03-latest-tag", record=False).passed


def test_latest_tag_fails_when_latest_is_the_newest(session):
    _build("ex3-tool:1.0", "FROM busybox:1.36\nRUN echo t1 > /v\n")
    _build("ex3-tool:2.0", "FROM busybox:1.36\nRUN echo t2 > /v\n")
    images.tag("ex3-tool:2.0", "ex3-tool:latest")
    r = check("03-latest-tag", record=False)
    assert r.status == "failed" and "ex3-tool:2.0" in r.message


def test_shared_base_passes_for_two_busybox_images(session):
    _build("ex3-a", "FROM busybox:1.36\nRUN echo a > /a.txt\n")
    _build("ex3-b", "FROM busybox:1.36\nRUN echo b > /b.txt\n")
    assert check("03-shared-base", record=False).passed


def test_shared_base_fails_for_another_base(session):
    _build("ex3-a", "FROM busybox:1.36\nRUN echo a > /a.txt\n")
    _build("ex3-b", "FROM debian:bookworm-slim\nRUN echo b > /b.txt\n")
    r = check("03-shared-base", record=False)
    assert r.status == "failed" and "ex3-b" in r.message
