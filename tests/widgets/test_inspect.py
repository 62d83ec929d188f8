"""InspectViewer against the real daemon: pinned facts match the daemon's state, the tree
is <details>, search prunes and highlights; a missing container is an error with a hint."""
from __future__ import annotations

import pytest
from helpers import clicked as _clicked

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.widgets.inspect import InspectViewer, tree_html

pytestmark = pytest.mark.docker


def test_pinned_facts_and_tree(session, uid):
    c = R.run(RunSpec("busybox:1.36", "sleep 300", name=f"insp-{uid}", ports=["127.0.0.1::8080"],
                              mounts=[f"insp-data-{uid}:/data"], env={"MODE": "dev"}))
    v = InspectViewer(c.name)
    try:
        doc = CT.inspect(c.name)
        default = next(iter(doc["NetworkSettings"]["Networks"]))  # bridge; Podman's is named podman
        ip = doc["NetworkSettings"]["Networks"][default]["IPAddress"]
        host_port = doc["NetworkSettings"]["Ports"]["8080/tcp"][0]["HostPort"]
        f = v.facts
        assert f["state"] == "running" and f["restart count"] == "0" and f["cmd"] == "sleep 300"
        assert f["IP per network"] == f"{default}: {ip}"
        assert f["ports"] == f"127.0.0.1:{host_port} → 8080/tcp"
        assert f["mounts"] == f"volume insp-data-{uid} → /data"
        assert ip in v.pinned.value and "<details open" in v.tree.value and "RestartCount" in v.tree.value
        assert v.cli_lines == [f"docker inspect {c.name}"] and repr(v) == f"InspectViewer(insp-{uid}: running)"

        v.search.value = "mode"
        v.wait_idle()
        assert "<mark>MODE</mark>=dev" in v.tree.value and "RestartCount" not in v.tree.value
        assert "hits for" in v.status.value

        CT.action(c.name, "stop")
        _clicked(v.refresh_button)
        v.wait_idle()
        assert v.facts["state"] == "exited (exit code 137)" and repr(v) == f"InspectViewer(insp-{uid}: exited)"
    finally:
        v.close()


def test_tree_search_keeps_whole_branch_of_a_matching_key():
    doc = {"State": {"Status": "running", "Pid": 7}, "Config": {"Env": ["A=1"]}}
    html = tree_html("c", doc, "state")
    assert "<mark>State</mark>" in html and "Pid" in html and "Config" not in html
    assert tree_html("c", doc, "nothing-here") == ""


def test_missing_container_shows_error_with_hint(session, uid):
    v = InspectViewer(f"nosuch-{uid}")
    try:
        assert v.last_error is not None and "no such container" in v.last_error.message.lower()
        assert "Hint:" in v.error_box.value and v.tree.value == "" and v.facts == {}
        assert repr(v) == f"InspectViewer(nosuch-{uid}: not found)"
        assert not CT.exists(f"nosuch-{uid}")
    finally:
        v.close()
