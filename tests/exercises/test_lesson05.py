"""Lesson 05 checkers against the real daemon: each passes on the state a learner should
build and fails (with a useful message) on a typical mistake. Exercise names are fixed by
the prompts, so these tests run one after another; the session fixture removes it all."""
from __future__ import annotations

import time

import pytest

from dockerlab.commands import container as CT
from dockerlab.commands import run as R
from dockerlab.commands.run import RunSpec
from dockerlab.commands.run_options import Mount, Port
from dockerlab.course import check
from dockerlab.course.lesson05 import LIVE_TEXT, PGDATA, SITE

pytestmark = pytest.mark.docker

TRUST = {"POSTGRES_HOST_AUTH_METHOD": "trust"}


def _postgres(name: str, volume: str) -> None:
    R.run(RunSpec("postgres:15", name=name, env=TRUST, mounts=(Mount(PGDATA, volume),)))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if CT.exec_in(name, ["pg_isready", "-h", "127.0.0.1", "-U", "postgres"]).exit_code == 0:
            return
        time.sleep(0.3)
    raise AssertionError(f"{name} did not become ready")


def _psql(name: str, sql: str) -> None:
    assert CT.exec_in(name, ["psql", "-U", "postgres", "-c", sql]).exit_code == 0


# ----------------------------------------------------------------- 05-db-upgrade

def test_db_upgrade_passes_when_the_new_container_has_the_old_rows(session):
    _postgres("ex5-db", "ex5-pgdata")
    _psql("ex5-db", "CREATE TABLE visits(n int); INSERT INTO visits VALUES (1);")
    CT.action("ex5-db", "stop")
    CT.action("ex5-db", "remove")
    _postgres("ex5-db2", "ex5-pgdata")
    r = check("05-db-upgrade", record=False)
    assert r.passed, r


def test_db_upgrade_fails_on_a_fresh_database_and_while_the_old_one_exists(session):
    assert check("05-db-upgrade", record=False).status == "not-attempted"
    _postgres("ex5-db", "ex5-pgdata")
    _postgres("ex5-db2", "ex5-pgdata-new")  # a new volume: an empty database
    r = check("05-db-upgrade", record=False)
    assert r.status == "failed" and "not in the volume ex5-pgdata" in r.message, r
    CT.action("ex5-db2", "remove")
    CT.action("ex5-db", "stop")
    _postgres("ex5-db2", "ex5-pgdata")  # the right volume, but ex5-db is still there
    r = check("05-db-upgrade", record=False)
    assert r.status == "failed" and "ex5-db still exists" in r.message, r
    CT.action("ex5-db", "remove")
    r = check("05-db-upgrade", record=False)  # replaced, but no table was ever made
    assert r.status == "failed" and "no table visits" in r.message, r


# ----------------------------------------------------------------- 05-bind-edit

def test_bind_edit_passes_when_the_host_folder_is_served(session, tmp_path):
    (tmp_path / "index.html").write_text("<h1>first draft</h1>")
    tmp_path.chmod(0o700)  # pytest's folders are private: nginx's workers cannot read them
    R.run(RunSpec("nginx:1.25", name="ex5-live", ports=(Port(80),), mounts=(Mount(SITE, str(tmp_path), "bind"),)))
    r = check("05-bind-edit", record=False)
    assert r.status == "failed" and "403" in r.message and "chmod" in r.hint, r
    tmp_path.chmod(0o755)
    r = check("05-bind-edit", record=False)
    assert r.status == "failed" and "does not say" in r.message, r  # not edited yet
    (tmp_path / "index.html").write_text(f"<h1>{LIVE_TEXT}</h1>")  # the live edit, on the host
    r = check("05-bind-edit", record=False)
    assert r.passed, r


def test_bind_edit_fails_on_a_volume_named_like_a_folder(session, uid):
    assert check("05-bind-edit", record=False).status == "not-attempted"
    R.run(RunSpec("nginx:1.25", name="ex5-live", ports=(Port(80),), mounts=(Mount(SITE, f"site-{uid}"),)))
    r = check("05-bind-edit", record=False)
    assert r.status == "failed" and "not a host folder" in r.message and "leading slash" in r.hint, r


# ----------------------------------------------------------------- 05-named-volume

def test_named_volume_passes_when_the_writer_is_gone(session):
    R.run(RunSpec("busybox:1.36", ["sh", "-c", "echo kept > /data/note.txt"], name="ex5-writer",
                          detach=False, mounts=(Mount("/data", "ex5-keep"),)))
    CT.action("ex5-writer", "remove")
    r = check("05-named-volume", record=False)
    assert r.passed, r


def test_named_volume_fails_while_a_container_uses_it_or_without_the_note(session):
    assert check("05-named-volume", record=False).status == "not-attempted"
    R.run(RunSpec("busybox:1.36", ["sh", "-c", "echo kept > /data/other.txt"], name="ex5-writer",
                          detach=False, mounts=(Mount("/data", "ex5-keep"),)))
    r = check("05-named-volume", record=False)
    assert r.status == "failed" and "ex5-writer still uses ex5-keep" in r.message, r
    CT.action("ex5-writer", "remove")
    r = check("05-named-volume", record=False)
    assert r.status == "failed" and "no /note.txt" in r.message, r
