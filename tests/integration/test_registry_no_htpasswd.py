"""The registry lesson against a registry image WITHOUT htpasswd (like the official
registry:2 since 2.7.1): the toolkit writes the bcrypt password file itself and copies it
in; login is required, an anonymous push is refused, a push with the password works.

The image under test is built here: FROM the course registry image (``$DOCKERLAB_KIT_PREFIX``
+ registry:2 when present, else registry:2) with any htpasswd deleted, so the test holds
whatever the shared image carries. Everything it creates is removed."""
from __future__ import annotations

import os
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest

from dockerlab.commands import image as images
from dockerlab.commands import registry
from dockerlab.engine.errors import DockerlabError

pytestmark = pytest.mark.docker


def docker(*args, check=True, timeout=180):
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=check)


def present(ref: str) -> bool:
    return docker("image", "inspect", ref, check=False).returncode == 0


@pytest.fixture
def made():
    things = {"containers": [], "images": []}
    yield things
    for c in things["containers"]:
        docker("rm", "-f", "-v", c, check=False)
    for ref in reversed(things["images"]):
        docker("rmi", ref, check=False)


@pytest.fixture
def bare_registry(made, tmp_path):
    prefix = os.environ.get("DOCKERLAB_KIT_PREFIX", "")
    base = prefix + "registry:2" if prefix and present(prefix + "registry:2") else "registry:2"
    if not present(base):
        pytest.skip(f"{base} is not present (dockerlab images makes it)")
    ref = f"contracts-test-nohtpasswd-{uuid.uuid4().hex[:8]}:1"
    (tmp_path / "Dockerfile").write_text(
        f"FROM {base}\nRUN for f in $(command -v htpasswd) /usr/bin/htpasswd /usr/sbin/htpasswd; do rm -f \"$f\"; done\n")
    docker("build", "-q", "-t", ref, str(tmp_path))
    made["images"].append(ref)
    probe = docker("run", "--rm", "--entrypoint", "sh", ref, "-c", "command -v htpasswd || echo none")
    assert probe.stdout.strip() == "none"
    return ref


def test_login_is_required_and_the_password_file_comes_from_the_toolkit(bare_registry, made, tmp_path):
    name = f"contracts-reg-{uuid.uuid4().hex[:8]}"
    made["containers"].append(name)
    password = registry.new_password()
    reg = registry.start(name, "learner", password, image=bare_registry)
    assert reg.address.startswith(("127.0.0.1:", "localhost:"))
    assert not any(password in line for line in reg.cli)  # never on a shown command line

    # the file in the container is the toolkit's bcrypt line
    line = docker("exec", name, "cat", registry.HTPASSWD).stdout.strip()
    assert line.startswith("learner:$2") and password not in line

    with pytest.raises(urllib.error.HTTPError) as err:  # /v2/ without a login: 401
        urllib.request.urlopen(f"http://{reg.address}/v2/", timeout=5)
    assert err.value.code == 401

    prefix = os.environ.get("DOCKERLAB_KIT_PREFIX", "")
    source = prefix + "busybox:1.36" if prefix and present(prefix + "busybox:1.36") else "busybox:1.36"
    target = f"{reg.address}/contracts/bb:1"
    docker("tag", source, target)
    made["images"].append(target)

    with pytest.raises(registry.PushRefused):
        registry.push(target)                                   # anonymous
    with pytest.raises(registry.LoginFailed):
        registry.login(reg.address, "learner", "not-the-password")
    auth = registry.login(reg.address, "learner", password)
    pushed = registry.push(target, auth)
    # Podman's push stream has no per-layer lines (layers_reported False): the digest proves it
    assert pushed.value.startswith("sha256:")
    if pushed.extra["layers_reported"]:
        base_layers = len(images.inspect(target)["RootFS"]["Layers"])
        assert pushed.extra["sent"] == base_layers
        # an image on that base: only its own layer is sent, the base's are already there
        # (whatever else the image store pushes: the containerd store adds BuildKit's attestation)
        (tmp_path / "Dockerfile").write_text(f"FROM {target}\nRUN echo app > /app\n")
        app = f"{reg.address}/contracts/app:1"
        docker("build", "-q", "-t", app, str(tmp_path))
        made["images"].append(app)
        again = registry.push(app, auth)
        assert (again.extra["sent"], again.extra["present"]) == (1, base_layers)
    assert "contracts/bb" in registry.catalog(reg.address, "learner", password)
    assert registry.tags(reg.address, "contracts/bb", "learner", password) == ["1"]
    with pytest.raises(DockerlabError):
        registry.catalog(reg.address, "learner", "wrong")
    assert registry.saved_login(name) == ("learner", password)  # what checkers read


def test_htpasswd_line_is_bcrypt_and_refuses_a_bad_user():
    import bcrypt
    line = registry.htpasswd_line("learner", "s3cret")
    user, hashed = line.split(":", 1)
    assert user == "learner" and hashed.startswith("$2b$05$")
    assert bcrypt.checkpw(b"s3cret", hashed.encode()) and not bcrypt.checkpw(b"other", hashed.encode())
    with pytest.raises(DockerlabError):
        registry.htpasswd_line("a:b", "x")
