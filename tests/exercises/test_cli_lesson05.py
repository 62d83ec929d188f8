"""Lesson 05's exercises done with the plain docker CLI: a database upgrade whose rows must come
from the old container, a bind-mounted site, a volume that outlives its writer; correct
answers done in different ways, wrong ones and fakes, each with the exact message."""
from __future__ import annotations

import time

import pytest

from dockerlab.course.lesson05 import LIVE_TEXT, PGDATA, SITE

pytestmark = pytest.mark.docker

UPGRADE_OK = ("passed", "ex5-db2 serves the visits table with rows written in ex5-db, from the volume ex5-pgdata; "
                        "ex5-db is gone")


def pg(learner, name: str, volume: str, extra: str = "", user: str = "postgres") -> None:
    """docker run postgres:15 on a volume, then wait until it takes TCP connections (the final server)."""
    n = learner.n
    learner.sh(f"docker run -d --name {n(name)} {extra} -v {n(volume)}:{PGDATA} postgres:15")
    for _ in range(120):
        if learner.sh(f"docker exec {n(name)} pg_isready -h 127.0.0.1 -U {user}", ok=False).returncode == 0:
            return
        time.sleep(0.25)
    raise AssertionError(f"{name} did not start: " + learner.sh(f"docker logs {n(name)}", ok=False).stderr[-500:])


def psql(learner, name: str, sql: str, user: str = "postgres") -> None:
    learner.sh(f"docker exec {learner.n(name)} psql -v ON_ERROR_STOP=1 -U {user} -c \"{sql}\"")


def test_db_upgrade_correct_and_wrong(learner):
    n, sh = learner.n, learner.sh
    learner.expect("05-db-upgrade", "wrong", "not-attempted", "no container ex5-db2 and no volume ex5-pgdata yet")
    # correct 1: the hint's lines: stop, rm, the same run as ex5-db2
    pg(learner, "ex5-db", "ex5-pgdata", "-e POSTGRES_PASSWORD=pw")
    psql(learner, "ex5-db", "CREATE TABLE visits(n int); INSERT INTO visits VALUES (1);")
    learner.expect("05-db-upgrade", "wrong", "failed", "no container named ex5-db2 yet")
    sh(f"docker stop {n('ex5-db')} && docker rm {n('ex5-db')}")
    pg(learner, "ex5-db2", "ex5-pgdata", "-e POSTGRES_PASSWORD=pw")
    learner.expect("05-db-upgrade", "correct", *UPGRADE_OK)
    p = learner.terminal_check("05-db-upgrade")
    assert p.returncode == 0, p
    sh(f"docker create --name {n('ex5-db')} busybox:1.36")
    learner.expect("05-db-upgrade", "wrong", "failed", "ex5-db still exists next to ex5-db2")
    learner.reset()
    # correct 2: a user of its own (not repeated on ex5-db2), --mount, the old one killed (rm -f)
    sh(f"docker run -d --name {n('ex5-db')} -e POSTGRES_USER=app -e POSTGRES_PASSWORD=pw "
       f"--mount type=volume,src={n('ex5-pgdata')},dst={PGDATA} postgres:15")
    for _ in range(120):
        if sh(f"docker exec {n('ex5-db')} pg_isready -h 127.0.0.1 -U app", ok=False).returncode == 0:
            break
        time.sleep(0.25)
    psql(learner, "ex5-db", "CREATE TABLE visits(n int); INSERT INTO visits VALUES (1), (2);", user="app")
    sh(f"docker rm -f {n('ex5-db')}")
    pg(learner, "ex5-db2", "ex5-pgdata", user="app")
    learner.expect("05-db-upgrade", "correct", *UPGRADE_OK)
    learner.reset()
    # wrong: another volume; wrong: no table at all
    sh(f"docker create --name {n('ex5-db2')} -v {n('ex5-other')}:{PGDATA} postgres:15")
    learner.expect("05-db-upgrade", "wrong", "failed", "ex5-db2 keeps its data in ex5-other, not in the volume "
                   "ex5-pgdata")
    learner.reset()
    pg(learner, "ex5-db", "ex5-pgdata", "-e POSTGRES_PASSWORD=pw")
    sh(f"docker stop {n('ex5-db')} && docker rm {n('ex5-db')}")
    pg(learner, "ex5-db2", "ex5-pgdata")
    learner.expect("05-db-upgrade", "wrong", "failed", "ex5-db2 has no table visits")
    # fake: the table created only in the new container
    psql(learner, "ex5-db2", "CREATE TABLE visits(n int); INSERT INTO visits VALUES (1);")
    learner.expect("05-db-upgrade", "fake", "failed", "the table visits was created in ex5-db2, after the upgrade: "
                   "it must come from ex5-db")
    # the same fake once ex5-db2 has checkpointed (the transaction ids of ex5-db's shutdown are no
    # longer the last checkpoint's): the table file's birth time, to the nanosecond, tells instead
    psql(learner, "ex5-db2", "CHECKPOINT;")
    learner.expect("05-db-upgrade", "fake", "failed", "the table visits was created in ex5-db2, after the upgrade: "
                   "it must come from ex5-db")


def test_db_upgrade_fakes(learner):
    n, sh = learner.n, learner.sh
    # an empty table made in ex5-db; its rows only in ex5-db2
    pg(learner, "ex5-db", "ex5-pgdata", "-e POSTGRES_PASSWORD=pw")
    psql(learner, "ex5-db", "CREATE TABLE visits(n int);")
    sh(f"docker stop {n('ex5-db')} && docker rm {n('ex5-db')}")
    pg(learner, "ex5-db2", "ex5-pgdata")
    learner.expect("05-db-upgrade", "wrong", "failed", "the table visits in ex5-db2 is empty")
    psql(learner, "ex5-db2", "INSERT INTO visits VALUES (1);")
    learner.expect("05-db-upgrade", "fake", "failed", "every row of visits was written in ex5-db2, after the upgrade")
    learner.reset()
    # ex5-db never used the volume: ex5-db2 made the database itself
    pg(learner, "ex5-db2", "ex5-pgdata", "-e POSTGRES_PASSWORD=pw")
    psql(learner, "ex5-db2", "CREATE TABLE visits(n int); INSERT INTO visits VALUES (1);")
    learner.expect("05-db-upgrade", "fake", "failed", "ex5-db2 initialised ex5-pgdata itself: no older database was "
                   "on the volume")


LIVE_OK = ("passed", f"ex5-live serves the host folder through a bind mount, and the page says '{LIVE_TEXT}'")


def _site(learner, mode: int = 0o755):
    site = learner.tmp / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<h1>first draft</h1>\n")
    (site / "index.html").chmod(0o644)
    site.chmod(mode)
    learner.tmp.chmod(0o755)
    return site


def test_bind_edit(learner):
    n, sh = learner.n, learner.sh
    learner.expect("05-bind-edit", "wrong", "not-attempted", "no container named ex5-live yet")
    site = _site(learner, 0o700)
    sh(f"docker run -d --name {n('ex5-live')} -p 127.0.0.1::80 -v {site}:{SITE} nginx:1.25")
    learner.expect("05-bind-edit", "wrong", "failed", "the page answers HTTP 403 (forbidden)")
    site.chmod(0o755)
    learner.expect("05-bind-edit", "wrong", "failed", f"the page does not say '{LIVE_TEXT}' yet")
    (site / "index.html").write_text(f"<h1>{LIVE_TEXT}</h1>\n")  # the live edit, on the host
    learner.expect("05-bind-edit", "correct", *LIVE_OK)
    p = learner.terminal_check("05-bind-edit")
    assert p.returncode == 0, p
    # correct 2: --mount type=bind, read-only, -P
    sh(f"docker rm -f {n('ex5-live')} && docker run -d --name {n('ex5-live')} -P "
       f"--mount type=bind,src={site},dst={SITE},readonly nginx:1.25")
    learner.expect("05-bind-edit", "correct", *LIVE_OK)
    # fake: busybox httpd serving the folder
    sh(f"docker rm -f {n('ex5-live')} && docker run -d --name {n('ex5-live')} -p 127.0.0.1::80 -v {site}:{SITE} "
       f"busybox:1.36 httpd -f -p 80 -h {SITE}")
    learner.expect("05-bind-edit", "fake", "failed", "ex5-live answers HTTP, but not as nginx (Server: none)")
    # fake: the text copied into the container, nothing mounted
    sh(f"docker rm -f {n('ex5-live')} && docker run -d --name {n('ex5-live')} -p 127.0.0.1::80 nginx:1.25 && "
       f"docker cp {site}/index.html {n('ex5-live')}:{SITE}/index.html")
    learner.expect("05-bind-edit", "fake", "failed", f"ex5-live has nothing mounted on {SITE}: it serves the image's "
                   "own page")
    # wrong: a named volume called site; wrong: no port
    sh(f"docker rm -f {n('ex5-live')} && docker run -d --name {n('ex5-live')} -p 127.0.0.1::80 "
       f"-v {n('site')}:{SITE} nginx:1.25")
    learner.expect("05-bind-edit", "wrong", "failed", f"{SITE} of ex5-live is a volume (site), not a host folder")
    sh(f"docker rm -f {n('ex5-live')} && docker run -d --name {n('ex5-live')} -v {site}:{SITE} nginx:1.25")
    learner.expect("05-bind-edit", "wrong", "failed", "port 80 of ex5-live is not published")


KEEP_OK = ("passed", "ex5-keep holds /note.txt and no container uses it: the data outlived its writer")


def test_named_volume(learner):
    n, sh = learner.n, learner.sh
    keep = n("ex5-keep")
    learner.expect("05-named-volume", "wrong", "not-attempted", "no volume named ex5-keep yet")
    sh(f"docker run --name {n('ex5-writer')} -v {keep}:/data busybox:1.36 sh -c 'echo kept > /data/note.txt'")
    learner.expect("05-named-volume", "wrong", "failed", "the container ex5-writer still uses ex5-keep")
    sh(f"docker rm {n('ex5-writer')}")
    learner.expect("05-named-volume", "correct", *KEEP_OK)
    p = learner.terminal_check("05-named-volume")
    assert p.returncode == 0, p
    learner.reset()
    # correct 2: the volume created first, --mount, --rm
    sh(f"docker volume create {keep} && docker run --rm --name {n('w2')} --mount source={keep},target=/v "
       "debian:bookworm-slim bash -c 'echo kept > /v/note.txt'")
    learner.expect("05-named-volume", "correct", *KEEP_OK)
    learner.reset()
    sh(f"docker run --rm --name {n('w3')} -v {keep}:/data busybox:1.36 sh -c 'echo kept > /data/other.txt'")
    learner.expect("05-named-volume", "wrong", "failed", "ex5-keep has no /note.txt")
    sh(f"docker run --rm --name {n('w4')} -v {keep}:/data busybox:1.36 touch /data/note.txt")
    learner.expect("05-named-volume", "wrong", "failed", "/note.txt in ex5-keep is empty")
    # fake: a link to a file of whatever container reads it
    sh(f"docker run --rm --name {n('w5')} -v {keep}:/data busybox:1.36 sh -c 'rm /data/note.txt; "
       "ln -s /etc/hostname /data/note.txt'")
    learner.expect("05-named-volume", "fake", "failed", "/note.txt in ex5-keep is a link, not a file with your note")
    learner.reset()
    # fake: a host folder dressed as a volume, the note written on the host
    folder = learner.tmp / "keep"
    folder.mkdir()
    (folder / "note.txt").write_text("kept\n")
    sh(f"docker volume create --opt type=none --opt o=bind --opt device={folder} {keep}")
    learner.expect("05-named-volume", "fake", "failed", f"ex5-keep is a host folder dressed as a volume (device "
                   f"{folder}), not data a container wrote")
