"""Both builders behind `docker build` — BuildKit (Engine 23+, via `docker buildx build
--progress=rawjson`) and the classic builder — give the same steps, cache hits, labels and
failure messages to the lessons. BuildKit runs where the `docker buildx` plugin is installed
(the Engine 28 lane has it); DOCKERLAB_BUILDER forces a builder on any engine."""
from __future__ import annotations

import uuid

import pytest

from dockerlab.commands import build as B
from dockerlab.commands import builders
from dockerlab.commands import image as I
from dockerlab.commands.build import BuildSpec
from dockerlab.engine.errors import BuildFailed, NotFound
from dockerlab.session import labels as L

pytestmark = pytest.mark.docker

DOCKERFILE = ("FROM busybox:1.36\n"
              "ENV GREETING=hello\n"
              "RUN echo deps > /deps\n"
              "COPY app.sh /app/app.sh\n"
              "WORKDIR /app\n"
              'CMD ["sh", "/app/app.sh"]\n')


def _builders():
    found = [builders.CLASSIC]
    builders._buildx.cache_clear()
    if builders._buildx():
        found.append(builders.BUILDKIT)
    return found


@pytest.fixture(params=["classic", "buildkit"])
def builder(request, monkeypatch):
    if request.param == "buildkit" and builders.BUILDKIT not in _builders():
        pytest.skip("the docker CLI's buildx plugin is not installed here (the Engine 28 lane has it)")
    monkeypatch.setenv("DOCKERLAB_BUILDER", request.param)
    return builders.BUILDKIT if request.param == "buildkit" else builders.CLASSIC


def test_steps_cache_and_labels_agree(builder):
    run = uuid.uuid4().hex[:8]
    tag = f"bk-{run}:1"
    # contents of this run only: BuildKit keeps its cache after the image is gone, so a file
    # an earlier run copied would come from the cache
    files = {"Dockerfile": DOCKERFILE, "app.sh": f"echo app 1 {run}\n"}
    try:
        first = B.build(BuildSpec(tag, files=files, nocache=True))
        assert first.builder == builder
        assert [s.instruction for s in first.own_steps()] == [
            "FROM busybox:1.36", "RUN echo deps > /deps", "COPY app.sh /app/app.sh", "WORKDIR /app"]
        assert first.cache_line() == "cached steps: 0 of 3"
        info = I.inspect(tag)
        assert info["Id"] == first.image_id
        assert (info["Config"]["Labels"] or {}).get(L.SESSION) == L.session_id()
        assert info["Config"]["Cmd"] == ["sh", "/app/app.sh"] and "GREETING=hello" in info["Config"]["Env"]
        again = B.build(BuildSpec(tag, files={**files, "app.sh": f"echo app 2 {run}\n"}))
        assert [s.cache for s in again.own_steps()] == ["base", "hit", "miss", "miss"]
        assert again.cache_line() == "cached steps: 1 of 3"
    finally:
        I.remove(tag, force=True)


def test_a_failing_step_is_named_the_same_way(builder):
    tag = f"bk-{uuid.uuid4().hex[:8]}:1"
    spec = BuildSpec(tag, files={"Dockerfile": "FROM busybox:1.36\nRUN echo ok\nRUN echo broken >&2 && exit 3\n"},
                     nocache=True)
    with pytest.raises(BuildFailed) as err:
        B.build(spec)
    assert err.value.message.startswith("step 3/3 `RUN echo broken >&2 && exit 3` failed")
    assert "broken" in err.value.message and err.value.command.startswith("docker build")
    assert I.image_id(tag) is None


def test_in_a_classroom_scope_the_tag_is_the_learners(builder, monkeypatch):
    # Four learners building n4-app:1 on one daemon: each gets n4-app--cN:1 (the BuildKit path
    # runs the docker CLI, which the Engine facade's scoping does not see).
    from dockerlab.engine.client import engine
    monkeypatch.setenv("DOCKERLAB_SCOPE", "c9")
    name = f"bk-{uuid.uuid4().hex[:8]}"
    try:
        result = B.build(BuildSpec(f"{name}:1", files={"Dockerfile": "FROM busybox:1.36\nCMD [\"true\"]\n"}))
        assert I.image_id(f"{name}:1") == result.image_id
        assert engine().exact().inspect_image(f"{name}--c9:1")["Id"] == result.image_id
        with pytest.raises(NotFound):
            engine().exact().inspect_image(f"{name}:1")
    finally:
        I.remove(f"{name}:1", force=True)
