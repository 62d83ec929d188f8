"""The course image kit against a real daemon: every image present and doing what the
course needs. Checks go through the real `docker` CLI, so they prove daemon state
independently of the toolkit. Every test removes what it created (and only that)."""
from __future__ import annotations

import base64
import io
import json
import os
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from dockerlab.commands import builders as BD
from dockerlab.commands import image as images
from dockerlab.commands.registry import htpasswd_line
from dockerlab.engine import client as connection
from dockerlab.engine import names
from dockerlab.engine.errors import BuildFailed, ImageNotFound
from dockerlab.kit import CATALOG, KIT_VERSION, Plan, bundle_refs, run_images
from dockerlab.session.labels import KIT, SESSION

pytestmark = pytest.mark.docker


def docker(*args, check=True, timeout=120, env=None, input=None) -> subprocess.CompletedProcess:  # noqa: A002 - subprocess.run(input=)
    argv = ["docker", *args]
    if args[:1] == ("run",) and "--rm" in args and connection.is_podman():
        # The docker CLI 20.10 reports exit code 0 for `docker run --rm` against Podman 4.3
        # (it waits for "removed"); Podman's own client reports the container's exit code.
        argv = ["podman", "--remote", "--url", connection.docker_host(), *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          check=check, env=env, input=input)


def wait_for(predicate, timeout=30.0, every=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def host_port(container: str, port: str) -> int:
    out = docker("port", container, port).stdout.splitlines()[0]
    return int(out.rsplit(":", 1)[1])


@pytest.fixture
def created():
    """Register what a test creates: containers, volumes, image refs; removed after."""
    made = {"containers": [], "volumes": [], "images": []}
    yield made
    for c in made["containers"]:
        docker("rm", "-f", "-v", c, check=False)
    for v in made["volumes"]:
        docker("volume", "rm", "-f", v, check=False)
    for ref in made["images"]:
        docker("rmi", ref, check=False)


@pytest.fixture(scope="module")
def kit():
    """Every course image present (fast when they already are)."""
    out = io.StringIO()
    rc = run_images(offline=True, quiet=True, stream=out)
    assert rc == 0, out.getvalue()
    # $DOCKERLAB_KIT_PREFIX (e.g. contracts-test/) tests a kit built beside the shared images
    return {e.name: Plan().ref(e.name) for e in CATALOG}


def test_kit_makes_every_image_present(kit):
    local = {names.normalize_ref(r) for r in images.local_refs()}
    assert set(kit.values()) <= local


def test_kit_images_carry_the_kit_label_not_the_session(kit):
    for entry in CATALOG:
        labels = images.image_labels(kit[entry.name])
        assert SESSION not in labels  # session cleanup must never remove course images
        if KIT in labels:             # built here (a pulled official image has no kit label)
            assert labels[KIT] == entry.name and labels[KIT_VERSION] == entry.version


def test_warm_run_changes_nothing(kit):
    # how fast it is lives in bench/kit.py: benchmarks are not timed tests
    before = {r: i for r, i in images.local_refs().items() if r in kit.values()}
    out = io.StringIO()
    assert run_images(offline=True, stream=out) == 0
    assert out.getvalue().count("already present") == len(CATALOG)
    assert {r: i for r, i in images.local_refs().items() if r in kit.values()} == before


def test_busybox_runs_a_shell(kit):
    assert docker("run", "--rm", kit["busybox"], "sh", "-c", "echo ok").stdout == "ok\n"


def test_debian_is_bookworm_with_apt(kit):
    out = docker("run", "--rm", kit["debian"], "cat", "/etc/debian_version").stdout
    assert out.startswith("12.")
    assert docker("run", "--rm", kit["debian"], "bash", "-c", "command -v apt-get").stdout.strip()


def test_nginx_serves_its_page_and_logs_to_docker_logs(kit, created):
    name = f"dockerlab-test-nginx-{uuid.uuid4().hex[:8]}"
    created["containers"].append(name)
    docker("run", "-d", "--name", name, "-p", "127.0.0.1::80", kit["nginx"])
    port = host_port(name, "80")

    def page():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                return r.read().decode()
        except (urllib.error.URLError, ConnectionError):
            return None

    assert "Welcome to nginx!" in wait_for(page, what="nginx to answer")
    logs = wait_for(lambda: (lambda p: p.stdout if '"GET / HTTP/1.1" 200' in p.stdout else None)(
        docker("logs", name)), what="the access log line")
    assert "GET / HTTP/1.1" in logs
    assert docker("exec", name, "sh", "-c", "command -v curl || echo none").stdout.strip() == "none"


def _ready_twice(name):
    # the entrypoint starts a socket-only server for init, stops it, then starts for real
    p = docker("logs", name)
    return (p.stdout + p.stderr).count("database system is ready to accept connections") >= 2 or \
        "skipping initialization" in (p.stdout + p.stderr).lower() and "ready to accept connections" in p.stderr


def test_postgres_initialises_and_keeps_data_across_replacement(kit, created):
    uid = uuid.uuid4().hex[:8]
    volume, first, second = f"dockerlab-test-pg-{uid}", f"dockerlab-test-pg1-{uid}", f"dockerlab-test-pg2-{uid}"
    created["volumes"].append(volume)
    created["containers"] += [first, second]
    docker("volume", "create", volume)
    docker("run", "-d", "--name", first, "-e", "POSTGRES_PASSWORD=s3cret", "-e", "POSTGRES_DB=shop",
           "-v", f"{volume}:/var/lib/postgresql/data", kit["postgres"])
    wait_for(lambda: _ready_twice(first), timeout=60, what="postgres to initialise")
    docker("exec", first, "psql", "-U", "postgres", "-d", "shop", "-v", "ON_ERROR_STOP=1",
           "-c", "CREATE TABLE t (x int); INSERT INTO t VALUES (42);")
    # over TCP from another container: password required and accepted
    ip = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", first).stdout.strip()
    ok = docker("run", "--rm", "-e", "PGPASSWORD=s3cret", kit["postgres"],
                "psql", "-h", ip, "-U", "postgres", "-d", "shop", "-tAc", "SELECT x FROM t")
    assert ok.stdout.strip() == "42"
    bad = docker("run", "--rm", "-e", "PGPASSWORD=wrong", kit["postgres"],
                 "psql", "-h", ip, "-U", "postgres", "-d", "shop", "-tAc", "SELECT 1", check=False)
    assert bad.returncode != 0 and "password authentication failed" in bad.stderr

    docker("stop", first)
    docker("rm", first)
    docker("run", "-d", "--name", second, "-v", f"{volume}:/var/lib/postgresql/data", kit["postgres"])
    wait_for(lambda: "ready to accept connections" in docker("logs", second).stderr, timeout=60,
             what="postgres to start on the old volume")
    # worded and printed (stdout) as the official entrypoint does: "...; Skipping initialization"
    shown = docker("logs", second)
    assert "PostgreSQL Database directory appears to contain a database; Skipping initialization" in shown.stdout
    again = docker("exec", second, "psql", "-U", "postgres", "-d", "shop", "-tAc", "SELECT x FROM t")
    assert again.stdout.strip() == "42"


def test_postgres_refuses_to_start_without_a_password(kit, created):
    out = docker("run", "--rm", kit["postgres"], check=False, timeout=60)
    assert out.returncode != 0 and "POSTGRES_PASSWORD" in out.stderr


def test_registry_with_htpasswd_rejects_anonymous_and_accepts_login(kit, created, tmp_path):
    uid = uuid.uuid4().hex[:8]
    name = f"dockerlab-test-registry-{uid}"
    created["containers"].append(name)
    auth = tmp_path / "auth"
    auth.mkdir()
    # the image has no htpasswd (like the official one): the bcrypt line is written here
    assert docker("run", "--rm", "--entrypoint", "sh", kit["registry"], "-c", "command -v htpasswd", check=False).returncode != 0
    htpasswd = htpasswd_line("learner", "s3cret")
    assert htpasswd.startswith("learner:$2")  # bcrypt, the only hash the registry accepts
    (auth / "htpasswd").write_text(htpasswd + "\n")
    docker("run", "-d", "--name", name, "-p", "127.0.0.1::5000", "-v", f"{auth}:/auth:ro",
           "-e", "REGISTRY_AUTH=htpasswd", "-e", "REGISTRY_AUTH_HTPASSWD_REALM=course",
           "-e", "REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd", kit["registry"])
    port = host_port(name, "5000")

    def status(user=None):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/v2/")
        if user:
            req.add_header("Authorization", "Basic " + base64.b64encode(user.encode()).decode())
        try:
            with urllib.request.urlopen(req, timeout=2) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except (urllib.error.URLError, ConnectionError):
            return None

    assert wait_for(status, what="the registry to answer") == 401
    # Podman's login skips TLS only for localhost:PORT (Docker: all of 127.0.0.0/8)
    registry = f"{'localhost' if connection.is_podman() else '127.0.0.1'}:{port}"
    target = f"{registry}/course/busybox:{uid}"
    created["images"].append(target)
    docker("tag", kit["busybox"], target)
    env = {**os.environ, "DOCKER_CONFIG": str(tmp_path / "docker-config")}  # keep the user's logins out
    if connection.is_podman():
        # Podman 5 answers a refused push with a 500 whose body the docker CLI cannot read
        # ("API returned a 500 ... but provided no error-message"); Podman's client can.
        anon = subprocess.run(["podman", "--remote", "--url", connection.docker_host(), "push", target],
                              capture_output=True, text=True, timeout=60, env=env)
    else:
        anon = docker("push", target, check=False, env=env, timeout=60)
    # Docker: "no basic auth credentials"; Podman: "unauthorized: authentication required"
    assert anon.returncode != 0 and re.search("no basic auth credentials|authentication required",
                                              anon.stdout + anon.stderr)
    docker("login", "-u", "learner", "--password-stdin", registry, env=env, input="s3cret\n")
    pushed = docker("push", target, env=env, timeout=60)
    assert "digest: sha256:" in pushed.stdout
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v2/course/busybox/tags/list")
    req.add_header("Authorization", "Basic " + base64.b64encode(b"learner:s3cret").decode())
    with urllib.request.urlopen(req, timeout=5) as r:
        assert uid in json.load(r)["tags"]


def test_an_image_already_present_is_never_overwritten(kit, created):
    ref = f"dockerlab-test/busybox:{uuid.uuid4().hex[:8]}"
    created["images"].append(ref)
    docker("tag", kit["debian"], ref)  # "the user's own image" under the course ref
    before = images.image_id(ref)
    out = io.StringIO()
    assert run_images(offline=True, names=["busybox"], refs={"busybox": ref}, stream=out) == 0
    assert images.image_id(ref) == before and "already present" in out.getvalue()


def test_recipe_build_labels_the_image_and_leaves_no_container(kit, created):
    ref = f"dockerlab-test/busybox:{uuid.uuid4().hex[:8]}"
    created["images"].append(ref)
    seen = []
    assert run_images(offline=True, names=["busybox"], refs={"busybox": ref}, stream=io.StringIO(),
                      on_progress=lambda name, frac, text: seen.append((name, frac, text))) == 0
    assert images.image_labels(ref)[KIT] == "busybox"
    assert docker("run", "--rm", ref, "sh", "-c", "echo ok").stdout == "ok\n"
    assert seen[-1] == ("busybox", 1.0, "built offline") and any("docker import" in t for _, _, t in seen)
    # like the official image: one layer, every applet a hard link to /bin/busybox
    assert len(docker("image", "inspect", "-f", "{{json .RootFS.Layers}}", ref).stdout.split(",")) == 1
    assert docker("run", "--rm", ref, "sh", "-c", '[ ! -L /bin/ls ] && [ /bin/ls -ef /bin/busybox ] && echo hard').stdout == "hard\n"


def test_a_failing_step_names_the_step_and_leaves_no_container(kit, created, tmp_path):
    marker = f"dockerlab-test-fail-{uuid.uuid4().hex[:8]}"
    (tmp_path / "Dockerfile").write_text(
        f"FROM {kit['busybox']}\nRUN echo {marker}-ran\nRUN echo {marker} && exit 3\nCMD [\"sh\"]\n")
    ref = f"dockerlab-test/fail:{marker[-8:]}"
    created["images"].append(ref)
    events = []
    with pytest.raises(BuildFailed) as err:
        BD.classic_build(str(tmp_path), ref, on_event=events.append, nocache=True)
    assert "step 3/4" in err.value.message and marker in err.value.message  # step and its output
    # Docker's classic builder / Podman's buildah
    assert "returned a non-zero code: 3" in err.value.message or "exit status 3" in err.value.message
    assert any(e.step == 2 and f"{marker}-ran" in e.text for e in events)
    leftovers = docker("ps", "-a", "--no-trunc", "--format", "{{.Command}}").stdout
    assert marker not in leftovers  # forcerm removed the failed step's container
    assert images.image_id(ref) is None


def test_export_import_roundtrip(kit, created, tmp_path):
    ref = f"dockerlab-test/busybox:{uuid.uuid4().hex[:8]}"
    created["images"].append(ref)
    docker("tag", kit["busybox"], ref)
    original = images.image_id(ref)
    bundle = tmp_path / "bundle.tar"
    assert run_images(offline=True, names=["busybox"], refs={"busybox": ref}, export=str(bundle),
                      stream=io.StringIO()) == 0
    # the bundle names the image as every image store does: config digest (graph drivers),
    # manifest digest (the containerd store's Id), so either engine finds its own image in it
    in_bundle = bundle_refs(str(bundle))
    assert set(in_bundle) == {ref} and original in in_bundle[ref]

    docker("rmi", ref)
    assert images.image_id(ref) is None
    out = io.StringIO()
    assert run_images(offline=True, names=["busybox"], refs={"busybox": ref}, import_=str(bundle),
                      stream=out) == 0
    assert images.image_id(ref) == original and "already present" in out.getvalue()

    # importing over a different image under that ref keeps the user's image
    docker("tag", kit["debian"], ref)
    theirs = images.image_id(ref)
    out = io.StringIO()
    assert run_images(offline=True, names=["busybox"], refs={"busybox": ref}, import_=str(bundle),
                      stream=out) == 0
    assert images.image_id(ref) == theirs and "kept your existing" in out.getvalue()


def test_pull_gives_up_fast_when_no_registry_answers(kit):
    ref = f"dockerlab-test/never-published:{uuid.uuid4().hex[:8]}"
    # offline: the daemon cannot resolve the registry; online: the repository does not
    # exist. Either way a translated error, quickly, with the way out in the hint.
    started = time.monotonic()
    with pytest.raises(ImageNotFound) as err:
        images.pull(ref, timeout=5)
    assert time.monotonic() - started < 10
    assert "dockerlab images" in err.value.hint


def test_pull_gives_up_on_a_registry_that_never_answers(kit):
    # a TCP server that accepts and says nothing: the daemon alone would wait ~25 s
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    port = server.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        with pytest.raises(ImageNotFound) as err:
            images.pull(f"127.0.0.1:{port}/course/never:1", timeout=2)
        assert time.monotonic() - started < 6
        assert "no registry answered within 2 s" in err.value.message
    finally:
        stop.set()
        thread.join()
        for c in held:
            c.close()
        server.close()


def test_a_failed_pull_falls_back_to_the_recipe(kit, created, monkeypatch):
    monkeypatch.delenv("DOCKERLAB_OFFLINE", raising=False)
    ref = f"dockerlab-test/busybox:{uuid.uuid4().hex[:8]}"  # published nowhere
    created["images"].append(ref)
    out = io.StringIO()
    assert run_images(offline=False, names=["busybox"], refs={"busybox": ref}, stream=out) == 0
    assert "pull failed" in out.getvalue() and "built offline" in out.getvalue()
    assert images.image_labels(ref)[KIT] == "busybox"


def test_a_kit_image_from_an_older_recipe_is_rebuilt(kit, created, tmp_path):
    from dockerlab.kit import get
    ref = f"dockerlab-test/busybox:{uuid.uuid4().hex[:8]}"
    created["images"].append(ref)
    (tmp_path / "Dockerfile").write_text(f'FROM {kit["busybox"]}\nLABEL {KIT}=busybox {KIT_VERSION}=0\n')
    docker("build", "-q", "-t", ref, str(tmp_path))
    old = images.image_id(ref)
    out = io.StringIO()
    assert run_images(offline=True, names=["busybox"], refs={"busybox": ref}, stream=out) == 0
    try:
        assert images.image_id(ref) != old and images.image_labels(ref)[KIT_VERSION] == get("busybox").version
        assert "rebuilding with v" in out.getvalue() and "built offline" in out.getvalue()
    finally:
        docker("rmi", old, check=False)  # the stale image, untagged by the rebuild (ours)
