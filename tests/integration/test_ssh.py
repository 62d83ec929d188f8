"""ssh:// to the real engine through an sshd of our own: Debian's openssh-server in a
container (its own network namespace, listening only there), key authentication only, with
the engine's socket and the host's static docker CLI mounted so that `docker system
dial-stdio` (what docker-py's paramiko transport runs) reaches the engine.

The client side is a temporary HOME: ~/.ssh/config names the key, ~/.ssh/known_hosts holds
the sshd's host key (docker-py refuses unknown hosts). Image and container carry
dockerlab.infra=firstrun and are removed afterwards (the image is kept as a cache).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import docker
import paramiko
import pytest

from dockerlab.engine.endpoint import resolve

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]
IMAGE = "firstrun-sshd:1"
LABEL = "dockerlab.infra=firstrun"
DOCKERFILE = """FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \\
 && rm -rf /var/lib/apt/lists/* && mkdir -p /run/sshd /root/.ssh && chmod 700 /root/.ssh
LABEL dockerlab.infra=firstrun
"""


#: The docker CLI talks to the engine under test, whatever a test sets DOCKER_HOST/HOME to.
CLI_ENV = dict(os.environ)


def _docker(*args, check=True, timeout=600):
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check, timeout=timeout,
                          env=CLI_ENV)


ENGINE = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")


def _engine_socket() -> str:
    host = ENGINE
    if not host.startswith("unix://"):
        pytest.skip("the engine under test is not a local socket")
    return host[len("unix://"):]


def _keygen(path: Path) -> None:
    if not shutil.which("ssh-keygen"):
        pytest.skip("ssh-keygen is missing (apt-get install openssh-client)")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "firstrun", "-f", str(path)], check=True)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    cli = shutil.which("docker")
    if not cli:
        pytest.skip("no docker CLI on this host to mount into the sshd (dial-stdio)")
    if _docker("image", "inspect", IMAGE, check=False).returncode != 0:
        ctx = tmp_path_factory.mktemp("sshd-ctx")
        (ctx / "Dockerfile").write_text(DOCKERFILE)
        r = _docker("build", "-q", "-t", IMAGE, str(ctx), check=False, timeout=900)
        assert r.returncode == 0, r.stderr
    keys = tmp_path_factory.mktemp("sshd-keys")
    _keygen(keys / "id_ed25519")
    shutil.copy(keys / "id_ed25519.pub", keys / "authorized_keys")
    os.chmod(keys / "authorized_keys", 0o600)
    name = f"firstrun-sshd-{uuid.uuid4().hex[:6]}"
    sock = _engine_socket()
    _docker("run", "-d", "--name", name, "--label", LABEL,
            "-v", f"{sock}:/var/run/docker.sock", "-v", f"{os.path.realpath(cli)}:/usr/local/bin/docker:ro",
            "-v", f"{keys / 'authorized_keys'}:/root/.ssh/authorized_keys:ro",
            IMAGE, "/usr/sbin/sshd", "-D", "-e", "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no", "-o", "PermitRootLogin=prohibit-password")
    try:
        ip = _docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", name).stdout.strip()
        host_key = _docker("exec", name, "cat", "/etc/ssh/ssh_host_ed25519_key.pub").stdout.split()
        for _ in range(50):
            r = _docker("exec", name, "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/22 && head -c 4 <&3", check=False)
            if r.stdout.startswith("SSH-"):
                break
            time.sleep(0.2)
        yield {"name": name, "ip": ip, "key": keys / "id_ed25519", "host_key": " ".join(host_key[:2])}
    finally:
        _docker("rm", "-f", name, check=False)


@pytest.fixture
def ssh_home(sshd, tmp_path, monkeypatch):
    ssh = tmp_path / ".ssh"
    ssh.mkdir(mode=0o700)
    shutil.copy(sshd["key"], ssh / "lab_key")
    os.chmod(ssh / "lab_key", 0o600)
    (ssh / "config").write_text(f"Host {sshd['ip']}\n  User root\n  IdentityFile {ssh / 'lab_key'}\n")
    (ssh / "known_hosts").write_text(f"{sshd['ip']} {sshd['host_key']}\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    for var in ("DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
        monkeypatch.delenv(var, raising=False)
    url = f"ssh://root@{sshd['ip']}"
    monkeypatch.setenv("DOCKER_HOST", url)
    return url


def test_docker_py_over_ssh_calls_version(ssh_home):
    local = docker.DockerClient(base_url=f"unix://{_engine_socket()}", version="auto")
    try:
        want = local.version()
    finally:
        local.close()
    client = docker.from_env(version="auto", timeout=20)
    try:
        got = client.version()
        assert (got["ApiVersion"], got["Version"]) == (want["ApiVersion"], want["Version"])
        assert client.ping() is True
    finally:
        client.close()


def test_endpoint_reports_ssh_and_its_client_connects(ssh_home):
    ep = resolve()
    assert (ep.url, ep.source, ep.scheme, ep.tls) == (ssh_home, "DOCKER_HOST", "ssh", False)
    c = ep.client(timeout=20)
    try:
        assert c.ping() is True
    finally:
        c.close()


def _login(ip: str, key_file: str) -> None:
    c = paramiko.SSHClient()
    c.set_missing_host_key_policy(paramiko.RejectPolicy())
    c.load_system_host_keys()
    try:
        c.connect(ip, username="root", key_filename=key_file, look_for_keys=False, allow_agent=False, timeout=10)
    finally:
        c.close()


def test_only_the_authorized_key_logs_in(ssh_home, sshd, tmp_path):
    _login(sshd["ip"], str(tmp_path / ".ssh/lab_key"))   # the key docker-py used: accepted
    _keygen(tmp_path / "other_key")
    with pytest.raises(paramiko.AuthenticationException):
        _login(sshd["ip"], str(tmp_path / "other_key"))
    shutil.copy(tmp_path / "other_key", tmp_path / ".ssh/lab_key")   # docker-py now offers the wrong key
    with pytest.raises(paramiko.AuthenticationException):
        docker.DockerClient(base_url=ssh_home, version="1.41", timeout=10).ping()


def test_engine_sh_status_pings_ssh_for_real(ssh_home, sshd, monkeypatch):
    env = {**os.environ}
    r = subprocess.run(["bash", str(ROOT / "scripts/engine.sh"), "status"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    env["DOCKER_HOST"] = f"ssh://root@{sshd['ip']}:2222"   # nobody listens there
    r = subprocess.run(["bash", str(ROOT / "scripts/engine.sh"), "status"], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 1
