"""Notebook 01's exercises done with the plain docker CLI, as a learner in a terminal would:
correct answers done in different ways, wrong ones and fakes, each with the exact message."""
from __future__ import annotations

import re
import time

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec

pytestmark = pytest.mark.docker

WEB_OK = ("passed", "ex1-web answers HTTP as nginx on its published port, and ex1-db (postgres, a password set) "
                    "answers SQL")


def test_web_db(learner):
    n, sh = learner.n, learner.sh
    learner.expect("01-web-db", "wrong", "not-attempted", "no container named ex1-web or ex1-db yet")
    # correct 1: the hint's lines, Docker picks the host port
    sh(f"docker run -d --name {n('ex1-web')} -p 127.0.0.1::80 nginx:1.25")
    sh(f"docker run -d --name {n('ex1-db')} -e POSTGRES_PASSWORD=pw postgres:15")
    learner.expect("01-web-db", "correct", *WEB_OK)
    # fake: the db is a postgres image that only sleeps
    sh(f"docker rm -fv {n('ex1-db')}")
    sh(f"docker run -d --name {n('ex1-db')} -e POSTGRES_PASSWORD=pw postgres:15 sleep 600")
    learner.expect("01-web-db", "fake", "failed", "ex1-db does not answer SQL (psql -c 'SELECT 6*7' fails in it)")
    learner.reset()
    # correct 2: by image id, a user of its own, the long flag forms
    nginx = sh("docker image inspect -f '{{.Id}}' nginx:1.25").stdout.strip()
    sh(f"docker create --name {n('ex1-web')} --publish 127.0.0.1::80/tcp {nginx} && docker start {n('ex1-web')}")
    sh(f"docker run --detach --name {n('ex1-db')} --env POSTGRES_USER=app --env POSTGRES_PASSWORD=pw postgres:15")
    learner.expect("01-web-db", "correct", *WEB_OK)
    # wrong: no published port
    sh(f"docker rm -f {n('ex1-web')} && docker run -d --name {n('ex1-web')} nginx:1.25")
    learner.expect("01-web-db", "wrong", "failed", "ex1-web does not publish its port 80 on the host")
    # fake: an nginx-named container that only sleeps, port published
    sh(f"docker rm -f {n('ex1-web')} && docker run -d --name {n('ex1-web')} -p 127.0.0.1::80 nginx:1.25 sleep 600")
    learner.expect("01-web-db", "fake", "failed", "nothing answers HTTP on ex1-web's published port")
    # fake: busybox httpd under an image name that says nginx
    tag = f"me-{learner.scope}/nginx:1.25"
    sh(f"docker tag busybox:1.36 {tag}")
    learner.extra_images.append(tag)
    sh(f"docker rm -f {n('ex1-web')} && docker run -d --name {n('ex1-web')} -p 127.0.0.1::80 {tag} "
       "sh -c 'mkdir -p /www && echo hi > /www/index.html && httpd -f -p 80 -h /www'")
    learner.expect("01-web-db", "fake", "failed", "ex1-web answers HTTP, but not as nginx (Server: none)")
    # wrong: stopped web server
    sh(f"docker rm -f {n('ex1-web')} && docker run -d --name {n('ex1-web')} -p 127.0.0.1::80 nginx:1.25 "
       f"&& docker stop {n('ex1-web')}")
    learner.expect("01-web-db", "wrong", "failed", "ex1-web is exited, not running")
    # wrong: a database without a password
    sh(f"docker start {n('ex1-web')} && docker rm -fv {n('ex1-db')} && docker create --name {n('ex1-db')} postgres:15")
    learner.expect("01-web-db", "wrong", "failed", "ex1-db has no POSTGRES_PASSWORD")


def test_web_db_terminal_check_of_notebook_containers(learner):
    """Made by the toolkit (labelled with this session), checked by `dockerlab check` in another
    process with another session id: judged the same."""
    R.run(RunSpec("nginx:1.25", name="ex1-web", ports=["80"]))
    R.run(RunSpec("postgres:15", name="ex1-db", env={"POSTGRES_PASSWORD": "pw"}))
    learner.expect("01-web-db", "correct", *WEB_OK)
    p = learner.terminal_check("01-web-db")
    assert p.returncode == 0 and p.stdout.strip() == "PASS 01-web-db: " + WEB_OK[1], p


def test_plain_name_in_a_classroom_gets_the_scoped_name(learner):
    """The one name here without a unique suffix: the exercise's plain name is the point.
    Created only if free (a created, never started container), removed by its id."""
    made = learner.sh("docker create --name ex1-shell debian:bookworm-slim sleep 600", ok=False)
    if made.returncode != 0:
        pytest.skip("a container ex1-shell exists already on this daemon (not ours: left alone)")
    try:
        r = learner.expect("01-shell", "wrong", "failed",
                           f"there is a container ex1-shell, but in this classroom yours is named "
                           f"{learner.n('ex1-shell')}")
        assert f"--name {learner.n('ex1-shell')}" in r.hint
    finally:
        learner.sh(f"docker rm -f {made.stdout.strip()}", ok=False)


SECRET = "sh -c 'echo \"[Entrypoint] GENERATED ROOT PASSWORD: $(head -c 12 /dev/urandom | md5sum | head -c 16)\"; exec sleep 600'"


def _secret(learner, name="ex1-secret") -> str:
    for _ in range(50):
        m = re.search(r"PASSWORD: (\S+)", learner.sh(f"docker logs {learner.n(name)}").stdout)
        if m:
            return m.group(1)
        time.sleep(0.1)
    raise AssertionError("no password printed")


def test_secret_in_logs(learner):
    n, sh = learner.n, learner.sh
    learner.expect("01-secret-in-logs", "wrong", "not-attempted", "there is no container ex1-secret")
    # correct 1: the course's wording, made by the setup cell (the toolkit)
    R.run(RunSpec("busybox:1.36", ["sh", "-c", "echo GENERATED PASSWORD: $(head -c 12 /dev/urandom | md5sum | "
                                               "head -c 16); exec sleep 600"], name="ex1-secret"))
    for _ in range(50):
        m = re.search(r"GENERATED PASSWORD: (\S+)", sh(f"docker logs {n('ex1-secret')}").stdout)
        if m:
            break
        time.sleep(0.1)
    ok = ("passed", "you found the generated password in ex1-secret's log")
    learner.expect("01-secret-in-logs", "correct", *ok, answer=m.group(1))
    CT.action("ex1-secret", "remove")
    # correct 2: mysql's wording ("GENERATED ROOT PASSWORD"), from a container of the learner's own
    sh(f"docker run -d --name {n('ex1-secret')} busybox:1.36 {SECRET}")
    secret = _secret(learner)
    learner.expect("01-secret-in-logs", "correct", *ok, answer=f"'{secret}'")
    bad = ("failed", "that is not the password in ex1-secret's log")
    learner.expect("01-secret-in-logs", "wrong", *bad, answer=secret[:-1])
    learner.expect("01-secret-in-logs", "wrong", *bad, answer=secret.upper() + "x")
    learner.expect("01-secret-in-logs", "fake", *bad, answer="PASSWORD:")  # a word of the line, not the value
    # fake: the password of an earlier ex1-secret, gone now
    sh(f"docker rm -f {n('ex1-secret')} && docker run -d --name {n('ex1-secret')} busybox:1.36 {SECRET}")
    _secret(learner)
    learner.expect("01-secret-in-logs", "fake", *bad, answer=secret)
    p = learner.terminal_check("01-secret-in-logs", answer=_secret(learner))
    assert p.returncode == 0, p


def test_rm_answer(learner):
    n, sh = learner.n, learner.sh
    learner.expect("01-rm-answer", "wrong", "not-attempted", "answer the version number you read")
    ok = ("passed", "bookworm is Debian 12, read by a throwaway container that left nothing behind")
    # fake: the right number, guessed: no container ran
    learner.expect("01-rm-answer", "fake", "failed",
                   "the right number, but no throwaway debian:bookworm-slim container ran and went away", answer="12")
    # fake: a throwaway container of another image
    sh(f"docker run --rm --name {n('t1')} busybox:1.36 cat /etc/passwd")
    learner.expect("01-rm-answer", "fake", "failed",
                   "the right number, but no throwaway debian:bookworm-slim container ran and went away", answer="12")
    # correct 1: the hint
    sh(f"docker run --rm --name {n('t2')} debian:bookworm-slim cat /etc/os-release")
    learner.expect("01-rm-answer", "correct", *ok, answer="12")
    # correct 2: by image id, grep, answer quoted as in the file
    deb = sh("docker image inspect -f '{{.Id}}' debian:bookworm-slim").stdout.strip()
    sh(f"docker run --rm --name {n('t3')} {deb} grep VERSION_ID /etc/os-release")
    learner.expect("01-rm-answer", "correct", *ok, answer='"12"')
    # wrong: another number; wrong: the container is left behind
    learner.expect("01-rm-answer", "wrong", "failed", "'11' is not what VERSION_ID says", answer="11")
    sh(f"docker run --name {n('t4')} debian:bookworm-slim cat /etc/os-release")
    learner.expect("01-rm-answer", "wrong", "failed",
                   "the right answer, but the container that read it is still there: t4", answer="12")
    p = learner.terminal_check("01-rm-answer", answer="12")
    assert p.returncode == 1 and "t4" in p.stderr, p
    # the notebook's way (dl.run(..., rm=True): no name, the toolkit's labels), checked in a terminal
    sh(f"docker rm {n('t4')}")
    R.run(RunSpec("debian:bookworm-slim", "cat /etc/os-release", remove=True, detach=False))
    p = learner.terminal_check("01-rm-answer", answer="12")
    assert p.returncode == 0 and p.stdout.strip() == "PASS 01-rm-answer: " + ok[1], p


def test_shell(learner):
    n, sh = learner.n, learner.sh
    ok = ("passed", "ex1-shell still runs its main process, and a shell you opened with exec wrote /root/hello.txt")
    learner.expect("01-shell", "wrong", "not-attempted", "no container named ex1-shell yet")
    sh(f"docker run -d --name {n('ex1-shell')} debian:bookworm-slim sleep infinity")
    learner.expect("01-shell", "wrong", "failed", "ex1-shell has no /root/hello.txt yet")
    # fake: docker cp instead of exec
    (learner.tmp / "hello.txt").write_text("hello from exec\n")
    sh(f"docker cp hello.txt {n('ex1-shell')}:/root/hello.txt")
    learner.expect("01-shell", "fake", "failed",
                   "/root/hello.txt was copied in (docker cp), not written by a shell in the container")
    # correct 1: an interactive shell's lines, fed on stdin (docker exec -i ... bash)
    sh(f"docker exec -i {n('ex1-shell')} bash", stdin="echo hello from exec > /root/hello.txt\nexit\n")
    learner.expect("01-shell", "correct", *ok)
    p = learner.terminal_check("01-shell")
    assert p.returncode == 0, p
    # fake: the main process wrote it
    learner.reset()
    sh(f"docker run -d --name {n('ex1-shell')} debian:bookworm-slim sh -c "
       "'echo hello from exec > /root/hello.txt; exec sleep infinity'")
    learner.expect("01-shell", "fake", "failed", "the main process wrote the file; the exercise is to do it with exec")
    # correct 2: busybox-free: sh -c through exec, in a container run by image id
    learner.reset()
    deb = sh("docker image inspect -f '{{.Id}}' debian:bookworm-slim").stdout.strip()
    sh(f"docker run -d --name {n('ex1-shell')} {deb} sleep infinity")
    sh(f"docker exec {n('ex1-shell')} sh -c 'echo hello from exec > /root/hello.txt'")
    learner.expect("01-shell", "correct", *ok)
    # wrong: other words; wrong: the main process ended
    sh(f"docker exec {n('ex1-shell')} sh -c 'echo hello > /root/hello.txt'")
    learner.expect("01-shell", "wrong", "failed", "/root/hello.txt does not contain: hello from exec")
    sh(f"docker stop -t 0 {n('ex1-shell')}")
    learner.expect("01-shell", "wrong", "failed", "ex1-shell is exited: its main process ended")
