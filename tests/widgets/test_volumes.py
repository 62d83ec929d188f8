"""VolumePanel against the real daemon: create a volume (CLI line), see who mounts it
and its size, browse and read a file through the helper container — gone afterwards —
bind mounts with their host path; bad names and missing files shown with hints."""
from __future__ import annotations

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import run as R
from dockerlab.commands import volume as VL
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Mount
from dockerlab.commands.volume import VolumeSpec
from dockerlab.engine import client as connection
from dockerlab.reads import tables as inventory
from dockerlab.widgets.volumes import VolumePanel

pytestmark = pytest.mark.docker


def test_create_browse_and_read_a_file_through_a_helper_that_is_gone_after(session, uid, tmp_path):
    vol = f"vol-{uid}"
    p = VolumePanel()
    try:
        p.new_name.value = vol
        _clicked(p.create_button)
        p.wait_idle()
        assert p.last_error is None and p.cli_lines == [f"docker volume create {vol}"]
        assert vol in list(inventory.volumes(lab_only=True)["name"]) and p.volume.value == vol

        writer = R.run(RunSpec("busybox:1.36", ["sh", "-c", f"mkdir /d/conf && echo hello-{uid} > /d/conf/app.ini"],
                                       name=f"writer-{uid}", detach=False, mounts=(Mount("/d", vol),)))
        site = tmp_path / "site"
        site.mkdir()
        R.run(RunSpec("busybox:1.36", "sleep 60", name=f"web-{uid}", mounts=(Mount("/site", str(site), "bind"),)))
        before = set(inventory.containers(lab_only=True)["name"])

        _clicked(p.sizes_button)
        p.wait_idle()
        row = p.frame[p.frame["name"] == vol].iloc[0]
        assert row["mounted by"] == writer.name and row["size"].endswith("B")
        assert "docker system df -v" in p.cli_lines
        assert str(site) in p.binds.value and f"web-{uid}" in p.binds.value

        _clicked(p.list_button)
        p.wait_idle()
        assert [v for _, v in p.file_list.options] == ["conf"]
        p.file_list.value = "conf"
        _clicked(p.open_button)  # a folder: enter it
        p.wait_idle()
        assert p.path.value == "/conf" and [v for _, v in p.file_list.options] == ["app.ini"]
        p.file_list.value = "app.ini"
        _clicked(p.open_button)
        p.wait_idle()
        assert p.last_error is None and f"hello-{uid}" in p.content.value
        assert p.cli_lines == [f"docker run --rm -v {vol}:/v:ro busybox:1.36 head -c 65536 /v/conf/app.ini"]
        # the helpers are gone: only the containers made above remain
        assert set(inventory.containers(lab_only=True)["name"]) == before
    finally:
        p.close()


def test_bad_volume_name_and_missing_file_show_hints(session, uid):
    p = VolumePanel()
    try:
        p.new_name.value = "no spaces allowed"
        _clicked(p.create_button)
        p.wait_idle()
        assert p.last_error.kind == "invalid-input" and "Hint:" in p.error_box.value
        assert "no spaces allowed" not in list(inventory.volumes()["name"])

        VL.create(VolumeSpec(f"vol-{uid}"))
        p.refresh_button.click()
        p.wait_idle()
        p.volume.value = f"vol-{uid}"
        p.path.value = "/nope"
        _clicked(p.list_button)
        p.wait_idle()
        assert p.last_error is not None and "nope" in p.last_error.message and p.last_error.hint
        assert inventory.containers(lab_only=True).empty  # the failed helper was removed too
        p.path.value = "/../etc"
        _clicked(p.list_button)
        p.wait_idle()
        assert p.last_error.kind == "invalid-input"
        _clicked(p.remove_button)
        p.wait_idle()
        assert p.last_error is None and p.cli_lines == [f"docker volume rm vol-{uid}"]
        assert repr(p) == "VolumePanel(0 volumes)"
    finally:
        p.close()


def test_daemon_gone_then_back(session, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent")
    connection.reset()
    p = VolumePanel()
    try:
        assert not p.connected and repr(p) == "VolumePanel(daemon unreachable)"
        monkeypatch.undo()
        _clicked(p.retry_button)
        p.wait_idle()
        assert p.connected and p.last_error is None and repr(p).startswith("VolumePanel(")
    finally:
        p.close()
