"""Notebook 02's exercises done with the plain docker CLI: correct answers done in different
ways, wrong ones and fakes, each with the exact message the learner sees."""
from __future__ import annotations

import re

import pytest

from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec

pytestmark = pytest.mark.docker


def _ip(learner, container: str, network: str) -> str:
    fmt = '{{(index .NetworkSettings.Networks "' + learner.n(network) + '").IPAddress}}'
    return learner.sh(f"docker inspect -f '{fmt}' {learner.n(container)}").stdout.strip()


def test_dns_by_name(learner):
    n, sh = learner.n, learner.sh
    ok = ("passed", "ex2-a finds ex2-b by its name on their user-defined network")
    learner.expect("02-dns-by-name", "wrong", "not-attempted", "no container ex2-a or ex2-b yet")
    # correct 1: the hint's lines, the address nslookup prints
    sh(f"docker network create {n('ex2-net')}")
    for c in ("ex2-a", "ex2-b"):
        sh(f"docker run -d --name {n(c)} --network {n('ex2-net')} busybox:1.36 sleep 600")
    out = sh(f"docker exec {n('ex2-a')} nslookup {n('ex2-b')}").stdout
    addr = re.findall(r"^Address: (\S+)", out, re.M)[-1]
    learner.expect("02-dns-by-name", "correct", *ok, answer=addr)
    p = learner.terminal_check("02-dns-by-name", answer=addr)
    assert p.returncode == 0, p
    # fake: the address of ex2-a itself
    learner.expect("02-dns-by-name", "fake", "failed",
                   "that is not the address of ex2-b on the network it shares with ex2-a",
                   answer=_ip(learner, "ex2-a", "ex2-net"))
    # wrong: no answer yet
    learner.expect("02-dns-by-name", "wrong", "not-attempted",
                   "answer the address ex2-b's name resolves to, as seen from ex2-a")
    learner.reset()
    # correct 2: containers started on the default bridge, then connected to the network
    sh(f"docker network create {n('ex2-net')}")
    for c in ("ex2-a", "ex2-b"):
        sh(f"docker run -d --name {n(c)} busybox:1.36 sleep 600 && docker network connect {n('ex2-net')} {n(c)}")
    learner.expect("02-dns-by-name", "correct", *ok, answer=_ip(learner, "ex2-b", "ex2-net"))
    # fake: ex2-b's address on the default bridge, where names do not resolve
    bridge = sh(f"docker inspect -f '{{{{.NetworkSettings.Networks.bridge.IPAddress}}}}' {n('ex2-b')}").stdout.strip()
    learner.expect("02-dns-by-name", "fake", "failed",
                   "that is not the address of ex2-b on the network it shares with ex2-a", answer=bridge)
    # wrong: only on the default bridge; wrong: ex2-b stopped
    sh(f"docker network disconnect {n('ex2-net')} {n('ex2-a')} && docker network disconnect {n('ex2-net')} {n('ex2-b')}")
    learner.expect("02-dns-by-name", "wrong", "failed", "ex2-a and ex2-b share no user-defined network (they are "
                   "both on the default bridge, which has no DNS for names)", answer=bridge)
    sh(f"docker stop -t 0 {n('ex2-b')}")
    learner.expect("02-dns-by-name", "wrong", "failed", "ex2-b is exited, not running", answer=bridge)


def _count(out: str) -> int:
    return len(set(re.findall(r"^Name:\s+search(?:\.dns\.podman)?\s*\nAddress: (\S+)", out, re.M)))


def test_round_robin(learner):
    n, sh = learner.n, learner.sh
    net = "ex2-rr"
    learner.expect("02-round-robin", "wrong", "not-attempted", "no running container has the network alias search yet",
                   answer="2")
    sh(f"docker network create {n(net)}")
    for c in ("ex2-search1", "ex2-search2"):
        sh(f"docker run -d --name {n(c)} --network {n(net)} --network-alias search busybox:1.36 sleep 600")
    out = sh(f"docker run --rm --name {n('q1')} --network {n(net)} busybox:1.36 nslookup search").stdout
    ok = ("passed", f"the alias search spreads over 2 containers on {net}")
    learner.expect("02-round-robin", "correct", *ok, answer=str(_count(out)))
    p = learner.terminal_check("02-round-robin", answer="2")
    assert p.returncode == 0, p
    learner.expect("02-round-robin", "wrong", "failed", f"'3' is not how many addresses search has on {net}", answer="3")
    # correct 2: the second alias given by `network connect --alias`, the --net-alias spelling
    sh(f"docker rm -f {n('ex2-search2')}")
    sh(f"docker run -d --name {n('ex2-search2')} busybox:1.36 sleep 600 && "
       f"docker network connect --alias search {n(net)} {n('ex2-search2')}")
    sh(f"docker run -d --name {n('ex2-search3')} --net {n(net)} --net-alias search busybox:1.36 sleep 600")
    ok3 = ("passed", f"the alias search spreads over 3 containers on {net}")
    learner.expect("02-round-robin", "correct", *ok3, answer="3")
    # fake: one alias-holder per network, two networks: no round robin anywhere
    learner.reset()
    sh(f"docker network create {n(net)} && docker network create {n('ex2-other')}")
    sh(f"docker run -d --name {n('ex2-search1')} --network {n(net)} --network-alias search busybox:1.36 sleep 600")
    sh(f"docker run -d --name {n('ex2-search2')} --network {n('ex2-other')} --network-alias search busybox:1.36 sleep 600")
    r = learner.expect_any("02-round-robin", "fake", answer="2")
    assert r.status == "failed" and re.fullmatch(r"only ex2-search\d answers to search on ex2-(rr|other): "
                                                 r"round robin needs two or more", r.message), r
    # fake: a second container that only has the alias in its name, stopped
    sh(f"docker rm -f {n('ex2-search2')} && docker create --name {n('ex2-search2')} --network {n(net)} "
       "--network-alias search busybox:1.36 sleep 600")
    learner.expect("02-round-robin", "fake", "failed",
                   f"only ex2-search1 answers to search on {net}: round robin needs two or more", answer="2")
    # wrong: no count given
    sh(f"docker start {n('ex2-search2')}")
    learner.expect("02-round-robin", "wrong", "not-attempted", "answer how many addresses the name search resolves to")


def test_publish(learner):
    n, sh = learner.n, learner.sh
    ok = ("passed", "ex2-web answers HTTP 200 as nginx on 127.0.0.1 through its published port")
    learner.expect("02-publish", "wrong", "not-attempted", "no container named ex2-web yet")
    sh(f"docker run -d --name {n('ex2-web')} -p 127.0.0.1::80 nginx:1.25")
    learner.expect("02-publish", "correct", *ok)
    sh(f"docker rm -f {n('ex2-web')} && docker run -d --name {n('ex2-web')} -P nginx:1.25")  # every EXPOSEd port
    learner.expect("02-publish", "correct", *ok)
    sh(f"docker rm -f {n('ex2-web')} && docker run -d --name {n('ex2-web')} --expose 80 nginx:1.25")
    learner.expect("02-publish", "wrong", "failed", "ex2-web does not publish its port 80: nothing outside Docker "
                   "can reach it")
    sh(f"docker rm -f {n('ex2-web')} && docker run -d --name {n('ex2-web')} -p 127.0.0.1::8080 nginx:1.25")
    learner.expect("02-publish", "wrong", "failed", "ex2-web does not publish its port 80: nothing outside Docker "
                   "can reach it")
    sh(f"docker stop -t 0 {n('ex2-web')}")
    learner.expect("02-publish", "wrong", "failed", "ex2-web is exited, not running")
    sh(f"docker rm -f {n('ex2-web')} && docker run -d --name {n('ex2-web')} -p 127.0.0.1::80 busybox:1.36 "
       "sh -c 'mkdir /www && echo hi > /www/index.html && httpd -f -p 80 -h /www'")
    learner.expect("02-publish", "fake", "failed", "the published port answers, but not nginx (Server: none)")
    sh(f"docker rm -f {n('ex2-web')} && docker run -d --name {n('ex2-web')} -p 127.0.0.1::80 nginx:1.25 sleep 600")
    learner.expect("02-publish", "fake", "failed", "nothing answers on the published port from this machine")


def test_publish_terminal_check_of_a_notebook_container(learner):
    R.run(RunSpec("nginx:1.25", name="ex2-web", ports=["80"]))
    p = learner.terminal_check("02-publish")
    assert p.returncode == 0 and "PASS 02-publish" in p.stdout, p
