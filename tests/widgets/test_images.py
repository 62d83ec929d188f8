"""ImageTable against the real daemon: images of this session listed and filtered, a
dangling image after a rebuild, layers of the selected image, removal of our own image
only; errors (not ours, daemon gone) shown in the widget."""
from __future__ import annotations

import time

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import build as builds
from dockerlab.commands import builders
from dockerlab.commands import image as images
from dockerlab.commands.build import BuildSpec
from dockerlab.engine import client as connection
from dockerlab.widgets.images import ImageTable

pytestmark = pytest.mark.docker


def containerd_store() -> bool:
    """The engine keeps images in containerd's store (Engine 29's default; a feature on 28)."""
    status = connection.engine().info().get("DriverStatus") or []
    return any(v == "io.containerd.snapshotter.v1" for _k, v in status)


def _build(tag: str, marker: str) -> str:
    df = f"FROM busybox:1.36\nRUN echo {marker} > /marker\n"
    return builds.build(BuildSpec(tag, files={"Dockerfile": df})).image_id


def test_lists_filters_shows_layers_and_removes_own_image(session, uid):
    old = _build(f"imgt-{uid}:v1", "one")
    _build(f"imgt-{uid}:v1", "two")  # same tag again: the first image is left dangling
    _build(f"imgt-{uid}:v2", "three")
    t = ImageTable(filter=f"imgt-{uid}")
    try:
        assert repr(t) == f"ImageTable(2 images: imgt-{uid}:v1, imgt-{uid}:v2)"
        assert f"imgt-{uid}" in t.table.value and t.cli_lines == ["docker images"]
        assert set(t.frame["session"]) == {session}

        # dangling: <none>:<none>, found by its id once the toggle is on. BuildKit on the containerd
        # image store keeps no image for a tag it moved (measured on Engine 28.5): then the toggle
        # lists none, and the old id is gone from the daemon too.
        t.filter.value = old.split(":")[-1][:12]
        t.dangling.value = True
        t.wait_idle()
        if images.image_id(old) is None:
            assert builders.which() == builders.BUILDKIT and containerd_store()
            assert list(t.frame["dangling"]) == []
        else:
            assert list(t.frame["dangling"]) == [True] and "&lt;none&gt;" in t.table.value
        assert t.cli_lines == ["docker images -a"]

        t.filter.value = f"imgt-{uid}:v2"
        t.wait_idle()
        t0 = time.perf_counter()
        t.select.value = f"imgt-{uid}:v2"  # the observer opens the layers off the kernel thread
        assert time.perf_counter() - t0 < 0.1
        t.wait_idle()
        t.explorer.wait_idle()
        assert "echo three" in t.explorer.table.value
        assert bytes(t.explorer.chart.value).startswith(b"\x89PNG")

        _clicked(t.remove_button)
        t.wait_idle()
        assert t.last_error is None
        assert t.cli_lines == [f"docker rmi imgt-{uid}:v2"]
        assert not images.image_present(f"imgt-{uid}:v2")
        assert repr(t) == "ImageTable(0 images)"
    finally:
        t.close()


def test_removing_an_image_we_did_not_build_is_refused(session):
    t = ImageTable(filter="busybox:1.36")
    try:
        t.select.value = "busybox:1.36"
        t.wait_idle()
        _clicked(t.remove_button)
        t.wait_idle()
        assert t.last_error is not None and t.last_error.kind == "not-owned"
        assert "not created by dockerlab" in t.error_box.value and "Hint:" in t.error_box.value
        assert images.image_present("busybox:1.36")
    finally:
        t.close()


def test_daemon_gone_then_back(session, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    t = ImageTable(filter="busybox:1.36")
    try:
        assert not t.connected and t.connect_panel in t.body.children
        assert repr(t) == "ImageTable(daemon unreachable)"
        monkeypatch.undo()
        _clicked(t.retry_button)
        t.wait_idle()
        assert t.connected and repr(t) == "ImageTable(1 image: busybox:1.36)"
    finally:
        t.close()
