"""LayerExplorer against the real daemon: one image's layers (table, empty-layer flags,
bar chart), and two images built FROM busybox:1.36 sharing its layers — the count
checked against the daemon's RootFS; errors shown with a hint."""
from __future__ import annotations

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import build as builds
from dockerlab.commands.build import BuildSpec
from dockerlab.reads import layers
from dockerlab.widgets.layers import LayerExplorer

pytestmark = pytest.mark.docker


def _build(tag: str, marker: str) -> None:
    df = f"FROM busybox:1.36\nENV MARK={marker}\nRUN echo {marker} > /marker\n"
    builds.build(BuildSpec(tag, files={"Dockerfile": df}))


def test_one_image_layers_table_and_chart(session, uid):
    _build(f"lay-{uid}:a", f"a{uid}")
    x = LayerExplorer(f"lay-{uid}:a")
    try:
        h = x.history
        assert h is not None
        env = h[h["created_by"] == f"ENV MARK=a{uid}"].iloc[0]
        run = h[h["created_by"] == f"RUN echo a{uid} > /marker"].iloc[0]
        assert bool(env["empty_layer"]) and not bool(run["empty_layer"])
        # every non-empty step is one RootFS layer, in order
        assert list(h[~h["empty_layer"]]["layer"]) == layers.root_layers(f"lay-{uid}:a")
        assert f"RUN echo a{uid}" in x.table.value and bytes(x.chart.value).startswith(b"\x89PNG")
        n = len(layers.root_layers(f"lay-{uid}:a"))
        assert repr(x) == f"LayerExplorer(lay-{uid}:a: {n} layers, {len(h)} steps)"
        assert x.cli_lines[0] == f"docker history lay-{uid}:a"
    finally:
        x.close()


def test_two_images_from_busybox_share_its_layers(session, uid):
    _build(f"lay-{uid}:a", f"a{uid}")
    _build(f"lay-{uid}:b", f"b{uid}")
    base = layers.root_layers("busybox:1.36")
    la, lb = layers.root_layers(f"lay-{uid}:a"), layers.root_layers(f"lay-{uid}:b")
    assert la[:len(base)] == base == lb[:len(base)] and la[-1] != lb[-1]
    x = LayerExplorer()
    try:
        x.image.value, x.compare.value = f"lay-{uid}:a", f"lay-{uid}:b"
        _clicked(x.show_button)
        x.wait_idle()
        total = len(set(la) | set(lb))
        assert x.shared.shared == len(base) and x.shared.total == total == len(base) + 2
        assert f"shared layers: {len(base)} of {total}" in x.count_line.value
        assert repr(x) == f"LayerExplorer(lay-{uid}:a vs lay-{uid}:b: shared layers: {len(base)} of {total})"
        t = x.shared.table
        assert list(t["shared"]) == [True] * len(base) + [False, False]
        assert "echo a" in x.shared_table.value and "echo b" in x.shared_table.value
    finally:
        x.close()


def test_missing_image_and_same_image_are_errors_with_hints(session, uid):
    x = LayerExplorer()
    try:
        x.image.value = f"no-such-{uid}:v9"
        _clicked(x.show_button)
        x.wait_idle()
        assert x.last_error is not None and x.last_error.hint and "Hint:" in x.error_box.value
        assert x.history is None and x.table.value == ""
        x.image.value = x.compare.value = "busybox:1.36"
        _clicked(x.show_button)
        x.wait_idle()
        assert x.last_error.kind == "invalid-input" and "same" in x.last_error.message
    finally:
        x.close()


def test_daemon_gone_then_back(session, monkeypatch):
    from dockerlab.engine import client as connection
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    x = LayerExplorer("busybox:1.36")
    try:
        assert not x.connected and repr(x) == "LayerExplorer(daemon unreachable)"
        monkeypatch.undo()
        _clicked(x.retry_button)
        x.wait_idle()
        n = len(layers.root_layers("busybox:1.36"))
        assert x.connected and repr(x).startswith(f"LayerExplorer(busybox:1.36: {n} layer{'s' * (n != 1)},")
    finally:
        x.close()
