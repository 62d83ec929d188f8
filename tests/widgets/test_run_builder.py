"""RunBuilder against the real daemon: live preview, fields flagged before Run, Run creates
the labelled container and shows its logs; port taken / name in use / unknown image end in
the error box with a hint and leave no container behind; daemon gone → connection panel."""
from __future__ import annotations

import socket

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.engine import client as connection
from dockerlab.reads import tables as inventory
from dockerlab.session import labels
from dockerlab.widgets.run_builder import RunBuilder

pytestmark = pytest.mark.docker


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_preview_follows_fields_and_invalid_fields_are_flagged_before_run(session, uid):
    b = RunBuilder(image="nginx:1.25", name=f"web-{uid}", ports="8080:80")
    try:
        assert b.preview_line == f"docker run -d --name web-{uid} -p 127.0.0.1:8080:80 nginx:1.25"
        assert repr(b) == f"RunBuilder({b.preview_line})"
        assert "nginx:1.25" in b.fields["image"].options  # the kit catalog
        b.fields["env"].value = "MODE=dev\nLEVEL=2"
        b.fields["volumes"].value = f"data-{uid}:/data"
        b.interactive.value = True
        assert b.preview_line == (f"docker run -dit --name web-{uid} -p 127.0.0.1:8080:80 -e MODE=dev -e LEVEL=2 "
                                  f"-v data-{uid}:/data nginx:1.25")
        assert b.preview_line in b.preview.value
        b.fields["ports"].value = "8080:80, 99999:443"
        assert b.spec is None and b.run_button.disabled
        assert "dl-invalid" in b.fields["ports"]._dom_classes and b.fields["ports"].description.startswith("⚠")
        assert "invalid host port" in b.hints.value and "from 1 to 65535" in b.hints.value
        assert repr(b) == "RunBuilder(invalid: ports)"
        b.fields["ports"].value = "8080:80"
        b.fields["alias"].value = "api"  # an alias with no network: flagged on the alias field
        assert b.run_button.disabled and "dl-invalid" in b.fields["alias"]._dom_classes
        assert "dl-invalid" not in b.fields["ports"]._dom_classes
        b.fields["alias"].value = ""
        b.remove.value, b.fields["restart"].value = True, "always"
        assert b.run_button.disabled and "dl-invalid" in b.fields["restart"]._dom_classes
        b.remove.value = False
        assert not b.run_button.disabled and b.hints.value == ""
    finally:
        b.close()
    assert not CT.exists(f"web-{uid}")  # nothing ran: only the form changed


def test_run_creates_labelled_container_and_shows_first_logs(session, uid):
    port = _free_port()
    b = RunBuilder(image="busybox:1.36", name=f"rb-{uid}", command="sh -c 'echo hello-$MODE; sleep 300'",
                   ports=f"{port}:80", env="MODE=dev", lesson="01-running")
    try:
        _clicked(b.run_button)
        assert b.wait_idle(30)
        assert b.last_error is None, b.error_box.value
        doc = CT.inspect(f"rb-{uid}")
        assert doc["State"]["Running"]
        assert doc["Config"]["Labels"][labels.LESSON] == "01-running"
        assert doc["HostConfig"]["PortBindings"]["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(port)}]
        assert b.result["status"] == "running" and b.result["logs"] == ["hello-dev"]
        assert b.result["id"] == doc["Id"][:12]
        assert f"rb-{uid}" in b.result_box.value and "hello-dev" in b.result_box.value
        assert b.cli_lines == [b.preview_line]
    finally:
        b.close()


def _assert_refused(b, name, *words):
    _clicked(b.run_button)
    assert b.wait_idle(60)
    assert b.last_error is not None and b.last_error.hint
    assert "Hint:" in b.error_box.value
    for w in words:
        assert w in b.error_box.value.lower()
    assert not CT.exists(name)  # nothing left behind


def test_port_already_allocated_leaves_no_container(session, uid):
    port = _free_port()
    R.run(RunSpec("busybox:1.36", "sleep 300", name=f"holder-{uid}", ports=[f"{port}:80"]))
    b = RunBuilder(image="busybox:1.36", name=f"second-{uid}", command="sleep 300", ports=f"{port}:80")
    try:
        _assert_refused(b, f"second-{uid}", "port", "host port")
    finally:
        b.close()


def test_name_in_use_and_unknown_image_are_errors_with_hints(session, uid):
    R.run(RunSpec("busybox:1.36", "sleep 300", name=f"taken-{uid}"))
    b = RunBuilder(image="busybox:1.36", name=f"taken-{uid}", command="sleep 300")
    try:
        before = set(inventory.containers()["name"])
        _assert_refused(b, f"nonexistent-{uid}", "already in use")
        assert set(inventory.containers()["name"]) == before  # no second container, the first untouched
        b.fields["image"].value = f"no-such-image-{uid}:0.1"
        b.fields["name"].value = f"img-{uid}"
        _assert_refused(b, f"img-{uid}", "no-such-image")
    finally:
        b.close()


def test_daemon_gone_shows_connection_panel_and_retry_works(session, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent.sock")
    connection.reset()
    b = RunBuilder(image="busybox:1.36")
    try:
        assert repr(b) == "RunBuilder(daemon unreachable)"
        assert b.connect_panel in b.body.children
        monkeypatch.undo()
        connection.reset()
        _clicked(b.retry_button)
        assert b.wait_idle(30)
        assert b.connected and repr(b) == "RunBuilder(docker run -d busybox:1.36)"
        assert not b.run_button.disabled
    finally:
        b.close()
        connection.reset()
