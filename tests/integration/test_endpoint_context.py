"""A Docker CLI context that points at the real engine, no DOCKER_HOST: docker-py really
connects through the context (not the default socket by luck), and endpoint.resolve() says so.

The context's socket is a symlink to the engine's in a temporary folder: removing the link
makes the connection fail, which proves the context path — not /var/run/docker.sock — was used.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import docker
import pytest

from dockerlab.engine.endpoint import resolve

pytestmark = pytest.mark.docker
ENGINE_SOCKET = "/var/run/docker.sock"


@pytest.fixture
def context_home(tmp_path, monkeypatch):
    real = os.environ.get("DOCKER_HOST", f"unix://{ENGINE_SOCKET}")
    if not real.startswith("unix://"):
        pytest.skip("the engine under test is not a local socket")
    link = tmp_path / "engine.sock"
    link.symlink_to(real[len("unix://"):])
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(var, raising=False)
    name = "firstrun-ctx"
    meta = tmp_path / ".docker/contexts/meta" / hashlib.sha256(name.encode()).hexdigest() / "meta.json"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"Name": name, "Metadata": {},
                                "Endpoints": {"docker": {"Host": f"unix://{link}", "SkipTLSVerify": False}}}))
    (tmp_path / ".docker/config.json").write_text(json.dumps({"currentContext": name}))
    return name, link


def _socket_path(client: docker.DockerClient) -> str:
    adapter = client.api.get_adapter(client.api.base_url)
    return adapter.socket_path


def test_resolve_names_the_context(context_home):
    name, link = context_home
    ep = resolve()
    assert (ep.url, ep.source, ep.context) == (f"unix://{link}", f"context {name}", name)
    assert "currentContext" in ep.why


def test_docker_py_connects_through_the_context(context_home):
    _, link = context_home
    client = docker.from_env(version="auto", timeout=10)
    try:
        assert _socket_path(client) == str(link)
        assert client.ping() is True
        assert client.version()["ApiVersion"]
    finally:
        client.close()


def test_endpoint_client_connects_and_a_broken_context_fails(context_home):
    _, link = context_home
    client = resolve().client(timeout=10)
    try:
        assert client.version()["ApiVersion"]
    finally:
        client.close()
    link.unlink()   # the context now points nowhere; the default socket still exists
    assert Path(ENGINE_SOCKET).exists()
    with pytest.raises(docker.errors.DockerException):
        docker.from_env(version="auto", timeout=5).version()


def test_engine_sh_follows_the_context(context_home):
    import subprocess
    _, link = context_home
    script = str(Path(__file__).resolve().parents[2] / "scripts/engine.sh")
    r = subprocess.run(["bash", script, "up"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and f"unix://{link} (the current Docker context)" in r.stderr, r.stderr
    link.unlink()
    r = subprocess.run(["bash", script, "status"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
