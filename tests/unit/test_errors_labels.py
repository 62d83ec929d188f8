"""Error translation (fed with docker-py's own exception types) and the label rules."""
from __future__ import annotations

import docker.errors as de
import pytest
import requests

from dockerlab.engine.errors import (
    Conflict,
    DaemonTooOld,
    DaemonUnreachable,
    DockerlabError,
    ImageNotFound,
    InvalidInput,
    NotFound,
    translate,
)
from dockerlab.session import labels as L


def api_error(text: str, status: int = 500) -> de.APIError:
    resp = requests.Response()
    resp.status_code = status
    return de.APIError("500 Server Error", response=resp, explanation=text)


@pytest.mark.parametrize("text, cls", [
    ("invalid reference format: repository name must be lowercase", InvalidInput),
    ("pull access denied for nosuch, repository does not exist or may require 'docker login'", ImageNotFound),
    ('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host', ImageNotFound),
    ("driver failed programming external connectivity: Bind for 127.0.0.1:8080 failed: port is already allocated", Conflict),
    ('Conflict. The container name "/web" is already in use by container "abc"', Conflict),
    ("Container abc is not running", Conflict),
    ("error while removing network: network app id x has active endpoints", Conflict),
    ("remove data: volume is in use - [abc]", Conflict),
    ("invalid mount config for type \"bind\": bind source path does not exist: /nope", InvalidInput),
    ("client version 1.50 is too new. Maximum supported API version is 1.41", DaemonTooOld),
    ('OCI runtime create failed: exec: "bash": executable file not found in $PATH: unknown', InvalidInput),
    ("No such container: web", NotFound),
])
def test_daemon_explanations_are_translated(text, cls):
    err = translate(api_error(text), "docker run x")
    assert type(err) is cls
    assert err.hint and err.command == "docker run x"
    if "port is already allocated" in text:  # one wording on every engine, naming the port
        assert err.message == "host port 127.0.0.1:8080 is already allocated" and err.detail == text
    elif "executable file not found" in text:  # one wording on every engine, naming the command
        assert err.message == 'the command "bash" is not in the image (executable file not found in $PATH)'
        assert err.detail == text
    else:
        assert text.split(":")[0] in err.message  # the daemon's own explanation is kept


def test_connection_errors():
    err = translate(requests.exceptions.ConnectionError("Connection aborted"))
    assert isinstance(err, DaemonUnreachable) and "DOCKER_HOST" in err.hint
    err = translate(de.DockerException("Error while fetching server API version: ('Connection aborted.', "
                                       "FileNotFoundError(2, 'No such file or directory'))"))
    assert isinstance(err, DaemonUnreachable)


def test_unknown_errors_still_have_a_message():
    err = translate(ValueError("boom"))
    assert isinstance(err, DockerlabError) and "boom" in err.message and err.hint


def test_session_labels_and_reserved_keys():
    labels = L.session_labels(lesson="01-running")
    assert labels[L.SESSION] == L.session_id() and labels[L.LESSON] == "01-running"
    assert L.is_owned(labels) and not L.is_owned({}) and not L.is_owned({L.SESSION: "other"})
    assert L.is_owned({L.SESSION: "other"}, any_session=True)
    with pytest.raises(InvalidInput):
        L.with_session_labels({"dockerlab.kit": "x"})
    assert L.with_session_labels({"app": "shop"})["app"] == "shop"


def test_owner_alive_rules():
    me = L.owner_labels()
    assert L.owner_alive(me)
    assert not L.owner_alive({**me, L.OWNER_PID: "999999999"})
    assert not L.owner_alive({**me, L.OWNER_START: "1"})  # pid reused by another process
    assert L.owner_alive({**me, L.OWNER_HOST: "another-host"})  # cannot prove it dead
