"""dockerlab.engine.endpoint: which endpoint, and why, from DOCKER_HOST, Docker CLI context
files in a temporary HOME, or the default socket. No daemon: nothing here connects."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dockerlab.engine.endpoint import DEFAULT_SOCKET, resolve


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / ".docker").mkdir()
    return tmp_path


def write_context(home: Path, name: str, host: str, skip_tls_verify: bool = True, tls_files: bool = False) -> Path:
    """A context as `docker context create NAME --docker host=HOST` writes it."""
    cid = hashlib.sha256(name.encode()).hexdigest()
    meta = home / ".docker/contexts/meta" / cid / "meta.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"Name": name, "Metadata": {"Description": "test"},
                                "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}}}))
    if tls_files:
        tls = home / ".docker/contexts/tls" / cid / "docker"
        tls.mkdir(parents=True)
        for f in ("ca.pem", "cert.pem", "key.pem"):
            (tls / f).write_text("-----BEGIN CERTIFICATE-----\n")
    return meta


def use_context(home: Path, name: str) -> None:
    (home / ".docker/config.json").write_text(json.dumps({"auths": {}, "currentContext": name}))


def test_no_host_no_context_is_the_default_socket(home):
    ep = resolve()
    assert (ep.url, ep.source, ep.context, ep.tls) == (DEFAULT_SOCKET, "default socket", None, False)
    assert ep.why == "no DOCKER_HOST and no Docker CLI context"
    assert ep.describe() == f"{DEFAULT_SOCKET} (default socket)"
    assert ep.notes == ()


def test_current_context_from_config_json(home):
    write_context(home, "colima", f"unix://{home}/.colima/default/docker.sock")
    use_context(home, "colima")
    ep = resolve()
    assert ep.url == f"unix://{home}/.colima/default/docker.sock"
    assert ep.source == "context colima" and ep.context == "colima"
    assert str(home / ".docker/config.json") in ep.why
    assert ep.tls is False
    assert ep.client_kwargs() == {"base_url": ep.url}


def test_docker_context_variable_beats_config_json(home, monkeypatch):
    write_context(home, "colima", "unix:///colima.sock")
    write_context(home, "desktop-linux", "unix:///desktop.sock")
    use_context(home, "colima")
    monkeypatch.setenv("DOCKER_CONTEXT", "desktop-linux")
    ep = resolve()
    assert (ep.url, ep.source) == ("unix:///desktop.sock", "context desktop-linux")
    assert "DOCKER_CONTEXT" in ep.why


def test_docker_host_beats_every_context(home, monkeypatch):
    write_context(home, "colima", "unix:///colima.sock")
    use_context(home, "colima")
    monkeypatch.setenv("DOCKER_CONTEXT", "colima")
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.1.2.3:2375")
    ep = resolve()
    assert (ep.url, ep.source, ep.context, ep.tls) == ("tcp://10.1.2.3:2375", "DOCKER_HOST", None, False)


def test_environ_argument_is_used_instead_of_os_environ(home):
    ep = resolve({"DOCKER_HOST": "ssh://learner@lab.example"})
    assert (ep.url, ep.source, ep.scheme) == ("ssh://learner@lab.example", "DOCKER_HOST", "ssh")
    assert any("paramiko" in n for n in ep.notes)
    assert resolve({}).source == "default socket"


def test_docker_host_with_tls_verify_and_cert_path(home, monkeypatch):
    certs = home / "certs"
    certs.mkdir()
    for f in ("ca.pem", "cert.pem", "key.pem"):
        (certs / f).write_text("x")
    monkeypatch.setenv("DOCKER_HOST", "tcp://lab.example:2376")
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
    monkeypatch.setenv("DOCKER_CERT_PATH", str(certs))
    ep = resolve()
    assert ep.tls and ep.tls_verify
    assert (ep.ca_cert, ep.client_cert, ep.client_key) == (str(certs / "ca.pem"), str(certs / "cert.pem"),
                                                           str(certs / "key.pem"))
    assert ep.describe() == "tcp://lab.example:2376 (DOCKER_HOST, TLS verified)"
    assert ep.client_kwargs()["tls"].verify == str(certs / "ca.pem") or ep.client_kwargs()["tls"].verify
    assert ep.notes == ()


def test_empty_tls_verify_means_off(home, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "tcp://lab.example:2375")
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "")
    assert resolve().tls is False


def test_docker_host_tls_with_missing_cert_files_says_so(home, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "tcp://lab.example:2376")
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
    monkeypatch.setenv("DOCKER_CERT_PATH", str(home / "nowhere"))
    ep = resolve()
    assert ep.source == "DOCKER_HOST" and ep.tls
    assert ep.notes and any("nowhere" in n for n in ep.notes), ep.notes


def test_context_with_tls_files(home):
    write_context(home, "remote", "tcp://lab.example:2376", skip_tls_verify=False, tls_files=True)
    use_context(home, "remote")
    ep = resolve()
    tls_dir = home / ".docker/contexts/tls" / hashlib.sha256(b"remote").hexdigest() / "docker"
    assert (ep.url, ep.source) == ("tcp://lab.example:2376", "context remote")
    assert ep.tls and ep.tls_verify
    assert ep.ca_cert == str(tls_dir / "ca.pem")
    assert (ep.client_cert, ep.client_key) == (str(tls_dir / "cert.pem"), str(tls_dir / "key.pem"))
    assert "tls" in ep.client_kwargs()


def test_context_asking_for_tls_without_files_says_so(home):
    write_context(home, "remote", "tcp://lab.example:2376", skip_tls_verify=False)
    use_context(home, "remote")
    ep = resolve()
    assert ep.source == "context remote" and not ep.tls
    assert any("no TLS files" in n for n in ep.notes)


def test_current_context_default_is_the_default_socket(home):
    use_context(home, "default")
    ep = resolve()
    assert (ep.url, ep.source, ep.context) == (DEFAULT_SOCKET, "default socket", None)


def test_missing_context_falls_back_to_the_default_socket_and_says_why(home, monkeypatch):
    use_context(home, "gone")
    ep = resolve()
    assert (ep.url, ep.source) == (DEFAULT_SOCKET, "default socket")
    assert "'gone' is missing" in ep.why
    assert any("not found" in n and hashlib.sha256(b"gone").hexdigest() in n for n in ep.notes)


def test_corrupt_meta_json_is_reported_not_raised(home):
    meta = write_context(home, "broken", "unix:///x.sock")
    meta.write_text("{not json")
    use_context(home, "broken")
    ep = resolve()
    assert ep.source == "context broken"
    assert "cannot be read" in ep.why
    assert any("docker context rm broken" in n for n in ep.notes)


def test_docker_config_variable_moves_the_context_store(home, monkeypatch, tmp_path_factory):
    other = tmp_path_factory.mktemp("dockercfg")
    monkeypatch.setenv("DOCKER_CONFIG", str(other))
    cid = hashlib.sha256(b"ci").hexdigest()
    (other / "contexts/meta" / cid).mkdir(parents=True)
    (other / "contexts/meta" / cid / "meta.json").write_text(json.dumps(
        {"Name": "ci", "Metadata": {}, "Endpoints": {"docker": {"Host": "tcp://ci:2375", "SkipTLSVerify": True}}}))
    (other / "config.json").write_text(json.dumps({"currentContext": "ci"}))
    ep = resolve()
    assert (ep.url, ep.source) == ("tcp://ci:2375", "context ci")
