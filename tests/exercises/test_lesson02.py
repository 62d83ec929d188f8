"""Checkers of notebook 02: pass on the state the exercise asks for, fail with a hint
on a near miss. The daemon state is built directly through the commands layer."""
from __future__ import annotations

import re

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import network as NW
from dockerlab.commands import run as R
from dockerlab.commands.network import NetworkSpec
from dockerlab.commands.run import RunSpec
from dockerlab.course import check

pytestmark = pytest.mark.docker
LESSON = "02-networking"


def run(image, command=None, **kw):
    return R.run(RunSpec(image, command, lesson=LESSON, **kw))


def result(exercise_id, answer=None):
    return check(exercise_id, answer=answer, record=False)


def test_dns_by_name_passes_with_the_resolved_address(session):
    NW.create(NetworkSpec("ex2-net", lesson=LESSON))
    run("busybox:1.36", "sleep 60", name="ex2-a", network="ex2-net")
    run("busybox:1.36", "sleep 60", name="ex2-b", network="ex2-net")
    out = CT.exec_in("ex2-a", "nslookup ex2-b").output
    addr = re.findall(r"^Address: (\S+)", out, re.M)[-1]
    assert result("02-dns-by-name").status == "not-attempted"
    r = result("02-dns-by-name", answer=addr)
    assert r.passed, r


def test_dns_by_name_fails_on_the_default_bridge(session):
    run("busybox:1.36", "sleep 60", name="ex2-a")
    run("busybox:1.36", "sleep 60", name="ex2-b")
    r = result("02-dns-by-name", answer="172.17.0.3")
    assert r.status == "failed" and "default bridge" in r.message and "network create" in r.hint


def test_round_robin_passes_with_two_aliased_containers(session):
    NW.create(NetworkSpec("ex2-rr", lesson=LESSON))
    for n in ("ex2-search1", "ex2-search2"):
        run("busybox:1.36", "sleep 60", name=n, network="ex2-rr", aliases=["search"])
    out = run("busybox:1.36", "nslookup search", network="ex2-rr", remove=True, detach=False).output
    # Podman's DNS answers with its search domain: "Name: search.dns.podman"
    count = len(set(re.findall(r"^Name:\s+search(?:\.dns\.podman)?\s*\nAddress: (\S+)", out, re.M)))
    r = result("02-round-robin", answer=str(count))
    assert r.passed, r


def test_round_robin_fails_with_one_container_or_a_wrong_count(session):
    assert result("02-round-robin", answer="2").status == "not-attempted"
    NW.create(NetworkSpec("ex2-rr", lesson=LESSON))
    run("busybox:1.36", "sleep 60", name="ex2-search1", network="ex2-rr", aliases=["search"])
    r = result("02-round-robin", answer="1")
    assert r.status == "failed" and "round robin needs two" in r.message
    run("busybox:1.36", "sleep 60", name="ex2-search2", network="ex2-rr", aliases=["search"])
    assert result("02-round-robin", answer="3").status == "failed"


def test_publish_passes_when_nginx_answers(session):
    run("nginx:1.25", name="ex2-web", ports=["80"])
    r = result("02-publish")
    assert r.passed, r


def test_publish_fails_without_a_published_port(session):
    assert result("02-publish").status == "not-attempted"
    run("nginx:1.25", name="ex2-web")
    r = result("02-publish")
    assert r.status == "failed" and "does not publish" in r.message and "-p" in r.hint
