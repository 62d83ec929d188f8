"""BuildRunner against the real daemon: a rebuild after changing a copied file hits
the cache before the COPY and misses after; builds compared side by side; images
carry the session labels; a failing RUN names its step and leaves no container;
bad input is refused before the daemon sees it."""
from __future__ import annotations

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import builders
from dockerlab.commands import image as images
from dockerlab.engine import client as connection
from dockerlab.session import labels as L
from dockerlab.widgets.build import BuildRunner

pytestmark = pytest.mark.docker


def test_rebuild_after_changing_a_copied_file_uses_the_cache_up_to_the_copy(session, uid):
    df = f"FROM busybox:1.36\nRUN echo deps-{uid} > /deps\nCOPY app.txt /app.txt\nRUN cat /app.txt\n"
    b = BuildRunner(df, files={"app.txt": "v1"}, tag=f"br-{uid}:v1")
    try:
        assert repr(b) == f"BuildRunner(br-{uid}:v1: no builds yet)"
        _clicked(b.build_button)
        b.wait_idle()
        assert b.last_error is None and b.cli_lines == [f"docker build -t br-{uid}:v1 ."]
        first = b.builds[-1]
        assert [s.cache for s in first.own_steps()] == ["base", "miss", "miss", "miss"]
        assert b.progress.value == b.progress.max and b.progress.description.startswith("step ")
        # the builder's own last word names the tag: the classic builder's "Successfully tagged",
        # BuildKit's "naming to docker.io/library/TAG done"
        tagged = (f"naming to docker.io/library/br-{uid}:v1 done" if builders.which() == builders.BUILDKIT
                  else f"Successfully tagged br-{uid}:v1")
        assert tagged in b.log_view.value and "cached steps: 0 of 3" in b.steps.value
        assert images.image_labels(f"br-{uid}:v1")[L.SESSION] == session

        b.set_file("app.txt", "v2")
        _clicked(b.build_button)
        b.wait_idle()
        second = b.builds[-1]
        assert [s.cache for s in second.own_steps()] == ["base", "hit", "miss", "miss"]
        assert repr(b) == f"BuildRunner(br-{uid}:v1: 2 builds, last ok, cached steps: 1 of 3)"

        assert b.compare_a.value == 0 and b.compare_b.value == 1
        _clicked(b.compare_button)
        b.wait_idle()
        table = b.comparison.value
        assert "cache (A)" in table and "cache (B)" in table and "cached steps: 1 of 3" in table
    finally:
        b.close()


def test_failing_run_names_its_step_and_leaves_no_container(session, uid):
    marker = f"fail-{uid}"
    b = BuildRunner(f"FROM busybox:1.36\nRUN echo {marker} && exit 3\n", tag=f"br-{uid}:bad")
    try:
        _clicked(b.build_button)
        b.wait_idle()
        err = b.last_error
        assert err is not None and err.kind == "build-failed"
        assert f"`RUN echo {marker} && exit 3` failed" in err.message and "Hint:" in b.error_box.value
        assert "step 2/" in b.error_box.value and b.progress.bar_style == "danger"
        assert repr(b) == f"BuildRunner(br-{uid}:bad: 1 build, last failed, cached steps: 0 of 1)"
        left = [c for c in connection.engine().containers(all=True) if marker in (c.get("Command") or "")]
        assert left == []
        assert not images.image_present(f"br-{uid}:bad")
    finally:
        b.close()


def test_bad_input_is_refused_with_a_hint(session, uid):
    b = BuildRunner("", tag=f"br-{uid}:empty")
    try:
        _clicked(b.build_button)  # no Dockerfile at all
        b.wait_idle()
        assert b.last_error.kind == "invalid-input" and b.last_error.hint
        b.dockerfile.value = "FROM busybox:1.36\n"
        b.tag.value = "Not A Tag"
        _clicked(b.build_button)
        b.wait_idle()
        assert b.last_error.kind == "invalid-input" and "Hint:" in b.error_box.value
        assert b.builds == []
    finally:
        b.close()


def test_context_folder_builds_with_dash_f(session, uid, tmp_path):
    (tmp_path / "Dockerfile.dev").write_text("FROM busybox:1.36\nCOPY hello.txt /hello.txt\n")
    (tmp_path / "hello.txt").write_text("hi")
    b = BuildRunner(tag=f"br-{uid}:dev", context=str(tmp_path), dockerfile_name="Dockerfile.dev")
    try:
        _clicked(b.build_button)
        b.wait_idle()
        assert b.last_error is None, b.last_error and b.last_error.as_text()
        assert b.cli_lines == [f"docker build -f Dockerfile.dev -t br-{uid}:dev {tmp_path}"]
        assert images.image_present(f"br-{uid}:dev")
    finally:
        b.close()


def test_daemon_gone_then_back(session, uid, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    b = BuildRunner("FROM busybox:1.36\n", tag=f"br-{uid}:back")
    try:
        assert not b.connected and repr(b) == "BuildRunner(daemon unreachable)"
        monkeypatch.undo()
        _clicked(b.retry_button)
        b.wait_idle()
        assert b.connected and repr(b) == f"BuildRunner(br-{uid}:back: no builds yet)"
        _clicked(b.build_button)
        b.wait_idle()
        assert b.last_error is None and images.image_present(f"br-{uid}:back")
    finally:
        b.close()
