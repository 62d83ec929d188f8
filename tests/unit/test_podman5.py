"""Podman 5's differences that the toolkit reads without a daemon (engine/podman.py)."""
from __future__ import annotations

import json

import requests

from dockerlab.engine import podman
from dockerlab.engine.errors import DockerlabError


class _Engine:
    def __init__(self, is_podman: bool, version: str = "5.8.6"):
        self.is_podman = is_podman
        self._version = version
        self.calls: list[tuple] = []

    def version(self):
        return {"Version": self._version}

    def kill(self, ref):
        self.calls.append(("kill", ref))
        raise DockerlabError("container is not running")

    def remove_container(self, ref, force, v):
        self.calls.append(("rm", ref, force, v))


def _use(monkeypatch, e):
    monkeypatch.setattr(podman, "engine", lambda: e)


def test_import_labels_one_change_each_on_podman_one_on_docker(monkeypatch):
    labels = {"dockerlab.kit": "busybox", "dockerlab.kit.version": "2"}
    _use(monkeypatch, _Engine(False))
    assert podman.import_changes(labels) == ['LABEL dockerlab.kit="busybox" dockerlab.kit.version="2"']
    _use(monkeypatch, _Engine(True))
    assert podman.import_changes(labels) == ['LABEL dockerlab.kit="busybox"', 'LABEL dockerlab.kit.version="2"']
    assert podman.import_changes({}) == []


def test_label_steps_per_engine(monkeypatch):
    labels = {"a": "1", "b": "2", "c": "3"}
    _use(monkeypatch, _Engine(False, "20.10.24"))
    assert podman.label_steps(labels) == 3
    _use(monkeypatch, _Engine(True, "5.8.6"))
    assert podman.label_steps(labels) == 1 and podman.label_steps({}) == 0
    _use(monkeypatch, _Engine(True, "4.3.1"))
    assert podman.label_steps(labels) == 0


def test_forced_remove_kills_first_on_podman_only():
    docker, pm = _Engine(False), _Engine(True)
    podman.remove_container(docker, "c1")
    podman.remove_container(pm, "c2")  # stop's "not running" does not stop the remove
    assert docker.calls == [("rm", "c1", True, True)]
    assert pm.calls == [("kill", "c2"), ("rm", "c2", True, True)]


def _http_error(status: int, body: dict) -> requests.HTTPError:
    r = requests.Response()
    r.status_code = status
    r._content = json.dumps(body).encode()
    return requests.HTTPError(response=r)


def test_push_refusal_is_read_from_podman5s_500_body():
    body = {"error": "unauthorized: authentication required",
            "errorDetail": {"message": "unauthorized: authentication required"}}
    try:
        try:
            raise _http_error(500, body)
        except requests.HTTPError:
            try:
                raise KeyError("message")  # what docker-py raises reading that body
            except KeyError as k:
                raise DockerlabError("KeyError: 'message'") from k
    except DockerlabError as err:
        assert podman.push_refusal(err) == body
    # A 500 with Docker's own shape ({"message": ...}) is not a push refusal.
    assert podman.push_refusal(DockerlabError("x")) is None
    wrapped = DockerlabError("x")
    wrapped.__cause__ = _http_error(500, {"message": "boom"})
    assert podman.push_refusal(wrapped) is None


def test_the_toolkits_label_steps_are_told_on_either_engine():
    assert podman.label_step("/bin/sh -c #(nop)  LABEL dockerlab.session=abc", "dockerlab.")
    assert podman.label_step('LABEL "dockerlab.pid"="39930" "dockerlab.started"="1"', "dockerlab.")
    assert not podman.label_step('LABEL "app"="shop"', "dockerlab.")
    assert not podman.label_step("CMD [\"sh\"]", "dockerlab.")


def test_a_rm_container_gone_after_the_stop_is_removed():
    from dockerlab.engine.errors import NotFound

    class Gone(_Engine):
        def kill(self, ref):
            self.calls.append(("kill", ref))  # --rm: it goes with the kill

        def remove_container(self, ref, force, v):
            raise NotFound(f"no container with ID or name {ref!r} found")

    podman.remove_container(Gone(True), "c3")  # no error: it is gone, as asked
    import pytest
    with pytest.raises(NotFound):
        podman.remove_container(Gone(False), "c4")  # Docker: a missing container is still NotFound
