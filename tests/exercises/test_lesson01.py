"""Checkers of notebook 01: each passes on the state the exercise asks for and fails,
with a hint, on a near miss. The daemon state is built directly through the commands layer."""
from __future__ import annotations

import re
import time

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.course import check

pytestmark = pytest.mark.docker
LESSON = "01-running"


def run(image, command=None, **kw):
    return R.run(RunSpec(image, command, lesson=LESSON, **kw))


def result(exercise_id, answer=None):
    return check(exercise_id, answer=answer, record=False)


def test_web_db_passes(session):
    run("nginx:1.25", name="ex1-web", ports=["80"])
    run("postgres:15", name="ex1-db", env={"POSTGRES_PASSWORD": "pw"})
    r = result("01-web-db")
    assert r.passed, r
    assert "pw" not in r.message


def test_web_db_fails_without_published_port_or_password(session):
    assert result("01-web-db").status == "not-attempted"
    run("nginx:1.25", name="ex1-web")
    r = result("01-web-db")
    assert r.status == "failed" and "publish" in r.message and "-p" in r.hint
    CT.action("ex1-web", "remove")
    run("nginx:1.25", name="ex1-web", ports=["80"])
    R.create(RunSpec("postgres:15", name="ex1-db", lesson=LESSON))
    r = result("01-web-db")
    assert r.status == "failed" and "POSTGRES_PASSWORD" in r.message


SECRET_CMD = ["sh", "-c", "echo GENERATED PASSWORD: $(head -c 12 /dev/urandom | md5sum | head -c 16); "
                          "exec sleep 60"]


def _secret() -> str:
    for _ in range(40):
        text = "".join(line for _s, line in CT.logs("ex1-secret").value)
        m = re.search(r"GENERATED PASSWORD: (\S+)", text)
        if m:
            return m.group(1)
        time.sleep(0.1)
    raise AssertionError("ex1-secret printed no password")


def test_secret_passes_with_the_logged_password(session):
    run("busybox:1.36", SECRET_CMD, name="ex1-secret")
    secret = _secret()
    r = result("01-secret-in-logs", answer=secret)
    assert r.passed, r
    assert secret not in repr(r)


def test_secret_fails_with_a_wrong_answer(session):
    assert result("01-secret-in-logs", answer="x").status == "not-attempted"
    run("busybox:1.36", SECRET_CMD, name="ex1-secret")
    secret = _secret()
    assert result("01-secret-in-logs").status == "not-attempted"
    r = result("01-secret-in-logs", answer=secret[:-1])
    assert r.status == "failed" and "docker logs ex1-secret" in r.hint
    assert secret not in repr(r)


def test_rm_answer_passes_after_a_throwaway_container(session):
    out = run("debian:bookworm-slim", "cat /etc/os-release", remove=True, detach=False)
    version = re.search(r'^VERSION_ID="?(\d+)', out.output, re.M).group(1)
    r = result("01-rm-answer", answer=version)
    assert r.passed, r


def test_rm_answer_fails_when_the_container_is_left_or_wrong(session):
    assert result("01-rm-answer").status == "not-attempted"
    assert result("01-rm-answer", answer="11").status == "failed"
    left = run("debian:bookworm-slim", "cat /etc/os-release", detach=False)
    r = result("01-rm-answer", answer="12")
    assert r.status == "failed" and left.name in r.message and "--rm" in r.hint


def test_shell_passes_with_a_file_made_by_exec(session):
    run("debian:bookworm-slim", "sleep infinity", name="ex1-shell")
    CT.exec_in("ex1-shell", ["sh", "-c", "echo hello from exec > /root/hello.txt"])
    r = result("01-shell")
    assert r.passed, r


def test_shell_fails_without_the_file_or_when_the_main_process_wrote_it(session):
    run("debian:bookworm-slim", "sleep infinity", name="ex1-shell")
    r = result("01-shell")
    assert r.status == "failed" and "hello.txt" in r.message
    CT.action("ex1-shell", "remove")
    run("debian:bookworm-slim", ["sh", "-c", "echo hello from exec > /root/hello.txt; sleep infinity"],
        name="ex1-shell")
    r = result("01-shell")
    assert r.status == "failed" and "exec" in r.message
