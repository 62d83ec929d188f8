"""Lesson 03's exercises done with the plain docker CLI: registries with a login (the learner's
own and the toolkit's), tags, builds; correct answers, wrong ones and fakes, exact messages."""
from __future__ import annotations

import json

import bcrypt
import pytest

from dockerlab.commands import registry
from dockerlab.engine import podman

pytestmark = pytest.mark.docker


def build(learner, tag: str, dockerfile: str, **files: str) -> None:
    ctx = learner.tmp / ("ctx-" + tag.replace(":", "-").replace("/", "-"))
    ctx.mkdir(exist_ok=True)
    (ctx / "Dockerfile").write_text(dockerfile)
    for name, text in files.items():
        (ctx / name).write_text(text)
    learner.sh(f"docker build -q -t {tag} {ctx}")


def cli_registry(learner, auth: bool = True) -> str:
    """A registry:2 the learner starts by hand (a password file of their own); its address."""
    n, sh = learner.n, learner.sh
    folder = learner.tmp / "auth"
    folder.mkdir(exist_ok=True)
    (folder / "htpasswd").write_text("learner:" + bcrypt.hashpw(b"pw-" + learner.scope.encode(),
                                                                bcrypt.gensalt(5)).decode() + "\n")
    env = ("-e REGISTRY_AUTH=htpasswd -e REGISTRY_AUTH_HTPASSWD_REALM=lab "
           "-e REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd " if auth else "")
    sh(f"docker run -d --name {n('ex3-reg')} -p 127.0.0.1::5000 -v {folder}:/auth:ro {env}registry:2")
    # Podman's login skips TLS only for localhost:PORT (Docker: all of 127.0.0.0/8)
    address = f"{podman.registry_host()}:{learner.port('ex3-reg', 5000)}"
    registry.wait_ready(address)
    return address


def login(learner, address: str) -> None:
    learner.sh(f"docker login {address} -u learner --password-stdin", stdin="pw-" + learner.scope)


def push(learner, source: str, target: str) -> None:
    learner.extra_images.append(target)
    learner.sh(f"docker tag {source} {target} && docker push {target}")


def test_tag_push(learner):
    ok = ("passed", "the registry requires a login, and its catalog lists ex3/busybox:1.36, which is busybox:1.36")
    learner.expect("03-tag-push", "wrong", "not-attempted", "no running registry of yours answers on a published port")
    # correct 1: a registry started by hand with a password file, docker login, tag, push
    addr = cli_registry(learner)
    learner.expect("03-tag-push", "wrong", "failed", "no login is saved for your registry")
    login(learner, addr)
    # logged in, nothing tagged or pushed yet: checked before trying
    learner.expect("03-tag-push", "wrong", "not-attempted", "nothing tagged or pushed as ex3/busybox yet")
    push(learner, "busybox:1.36", f"{addr}/ex3/busybox:latest")
    learner.expect("03-tag-push", "wrong", "failed", "the registry has ex3/busybox but not the tag 1.36 (tags: latest)")
    push(learner, "busybox:1.36", f"{addr}/ex3/busybox:1.36")
    learner.expect("03-tag-push", "correct", *ok)
    p = learner.terminal_check("03-tag-push")
    assert p.returncode == 0, p
    # fake: another image pushed under the name
    build(learner, learner.n("ex3-other"), "FROM busybox:1.36\nRUN echo other > /other\n")
    push(learner, learner.n("ex3-other"), f"{addr}/ex3/busybox:1.36")
    learner.expect("03-tag-push", "fake", "failed",
                   "ex3/busybox:1.36 in the registry is not busybox:1.36 (another image was pushed under that name)")
    learner.reset()
    # correct 2: the toolkit's registry (the notebook's), pushed to from a terminal
    pw = registry.new_password()
    reg = registry.start("n3-registry", "learner", pw)
    learner.sh(f"docker login {reg.address} -u learner --password-stdin", stdin=pw)
    push(learner, "busybox:1.36", f"{reg.address}/ex3/busybox:1.36")
    learner.expect("03-tag-push", "correct", *ok)
    learner.reset()
    # fake: an open registry, with the toolkit's login file planted in it, pushed to anonymously
    addr = cli_registry(learner, auth=False)
    (learner.tmp / "dockerlab-login.json").write_text(json.dumps({"user": "learner", "password": "x"}))
    learner.sh(f"docker cp dockerlab-login.json {learner.n('ex3-reg')}:{registry.LOGIN_FILE}")
    push(learner, "busybox:1.36", f"{addr}/ex3/busybox:1.36")
    learner.expect("03-tag-push", "fake", "failed", f"the registry ex3-reg at {addr} lets anyone in: GET /v2/ answers "
                   "HTTP 200 without a login")


LATEST_OK = ("passed", "ex3-tool:latest is ex3-tool:1.0, not the newer ex3-tool:2.0")


def test_latest_tag(learner):
    n, sh = learner.n, learner.sh
    tool = n("ex3-tool")
    learner.expect("03-latest-tag", "wrong", "not-attempted", "no image ex3-tool yet")
    build(learner, f"{tool}:1.0", "FROM busybox:1.36\nRUN echo 1.0 > /version\n")
    learner.expect("03-latest-tag", "wrong", "failed", "ex3-tool:2.0 is missing")
    build(learner, f"{tool}:2.0", "FROM busybox:1.36\nRUN echo 2.0 > /version\n")
    learner.expect("03-latest-tag", "wrong", "failed", "ex3-tool:latest does not exist")
    sh(f"docker tag {tool}:2.0 {tool}:latest")
    learner.expect("03-latest-tag", "wrong", "failed", "ex3-tool:latest points at ex3-tool:2.0")
    sh(f"docker tag {tool}:1.0 {tool}")  # no tag given: latest
    learner.expect("03-latest-tag", "correct", *LATEST_OK)
    p = learner.terminal_check("03-latest-tag")
    assert p.returncode == 0, p
    learner.reset()
    # correct 2: 2.0 built first, latest moved by image id with `docker image tag`
    build(learner, f"{tool}:2.0", "FROM busybox:1.36\nCMD [\"echo\", \"2\"]\nRUN touch /two\n")
    build(learner, f"{tool}:1.0", "FROM busybox:1.36\nCMD [\"echo\", \"1\"]\n")
    one = sh(f"docker image inspect -f '{{{{.Id}}}}' {tool}:1.0").stdout.strip()
    sh(f"docker image tag {one} {tool}:latest")
    learner.expect("03-latest-tag", "correct", *LATEST_OK)
    sh(f"docker tag {tool}:1.0 {tool}:2.0")
    learner.expect("03-latest-tag", "wrong", "failed", "ex3-tool:1.0 and ex3-tool:2.0 are the same image")
    learner.reset()
    # fakes: course images renamed instead of built
    sh(f"docker tag busybox:1.36 {tool}:1.0 && docker tag debian:bookworm-slim {tool}:2.0 && "
       f"docker tag busybox:1.36 {tool}:latest")
    learner.expect("03-latest-tag", "fake", "failed",
                   "ex3-tool:1.0 is busybox:1.36 under another name, not an image you built")
    sh(f"docker rmi {tool}:2.0 >/dev/null")
    build(learner, f"{tool}:2.0", "FROM busybox:1.36\nRUN echo 2.0 > /version\n")
    sh(f"docker rmi {tool}:1.0 {tool}:latest >/dev/null && docker tag nginx:1.25 {tool}:1.0 && "
       f"docker tag nginx:1.25 {tool}:latest")
    learner.expect("03-latest-tag", "fake", "failed",
                   "ex3-tool:1.0 is nginx:1.25 under another name, not an image you built")


SHARED_OK = ("passed", "ex3-a and ex3-b share every layer of busybox:1.36 (stored once), each adds its own")


def test_shared_base(learner):
    n, sh = learner.n, learner.sh
    a, b = n("ex3-a"), n("ex3-b")
    learner.expect("03-shared-base", "wrong", "not-attempted", "no image ex3-a or ex3-b yet")
    build(learner, a, "FROM busybox:1.36\nRUN echo a > /a.txt\n")
    learner.expect("03-shared-base", "wrong", "failed", "ex3-b is missing")
    build(learner, b, "FROM busybox:1.36\nRUN echo b > /b.txt\n")
    learner.expect("03-shared-base", "correct", *SHARED_OK)
    p = learner.terminal_check("03-shared-base")
    assert p.returncode == 0, p
    # correct 2: ex3-b adds a file with COPY, in two steps
    sh(f"docker rmi {b} >/dev/null")
    build(learner, b, "FROM busybox:1.36\nCOPY b.txt /b.txt\nRUN echo more >> /b.txt\n", **{"b.txt": "b\n"})
    learner.expect("03-shared-base", "correct", *SHARED_OK)
    sh(f"docker rmi {b} >/dev/null")
    build(learner, b, "FROM debian:bookworm-slim\nRUN echo b > /b.txt\n")
    learner.expect("03-shared-base", "wrong", "failed", "ex3-b does not start with the layers of busybox:1.36")
    sh(f"docker rmi {b} >/dev/null")
    build(learner, b, "FROM busybox:1.36\nENV LETTER=b\n")
    learner.expect("03-shared-base", "wrong", "failed", "one of them adds no layer of its own")
    sh(f"docker rmi {b} >/dev/null && docker tag {a} {b}")
    learner.expect("03-shared-base", "wrong", "failed", "ex3-a and ex3-b are the same image")
    # fakes: course images renamed
    sh(f"docker rmi {b} >/dev/null && docker tag busybox:1.36 {b}")
    learner.expect("03-shared-base", "fake", "failed", "ex3-b is busybox:1.36 under another name, not an image you built")
    sh(f"docker rmi {a} {b} >/dev/null && docker tag nginx:1.25 {a} && docker tag postgres:15 {b}")
    learner.expect("03-shared-base", "fake", "failed", "ex3-a does not start with the layers of busybox:1.36")
