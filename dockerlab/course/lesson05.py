"""Exercises of lesson 05 (volumes and persistence): a database upgrade on a named volume,
a site live-edited through a bind mount, and a named volume that outlives its writer.

    $ dockerlab check 05-db-upgrade
"""
from __future__ import annotations

import re

from ..engine.errors import DockerlabError
from ..host.http import fetch as http_fetch
from ..reads import views as state
from ..reads import volume_files as VB
from .base import Incorrect, NotAttempted, ensure, exercise
from .evidence import STARTUP_RETRIES, find, sql_answer

LESSON = "05-volumes"
PGDATA = "/var/lib/postgresql/data"
SITE = "/usr/share/nginx/html"
#: What the live-edited page must say (05-bind-edit).
LIVE_TEXT = "edited on the host"


# ----------------------------------------------------------------- 05-db-upgrade

@exercise(
    "05-db-upgrade", lesson=LESSON, title="Upgrade a database container, keep its data",
    prompt="Run postgres:15 as ex5-db with the named volume ex5-pgdata on /var/lib/postgresql/data "
           "(e.g. -e POSTGRES_PASSWORD=...), create a table visits with at least one row, then "
           "replace the container: stop and remove ex5-db, and start ex5-db2 from postgres:15 on the "
           "same volume. ex5-db2 must still have the visits table.",
    hints=("docker run -d --name ex5-db -e POSTGRES_PASSWORD=pw -v ex5-pgdata:/var/lib/postgresql/data postgres:15",
           "docker exec ex5-db psql -U postgres -c \"CREATE TABLE visits(n int); INSERT INTO visits VALUES (1);\"",
           "docker stop ex5-db && docker rm ex5-db, then the same docker run with --name ex5-db2"),
    solution_cli=("docker run -d --name ex5-db -e POSTGRES_PASSWORD=pw -v ex5-pgdata:/var/lib/postgresql/data postgres:15",
                  "docker exec ex5-db psql -U postgres -c 'CREATE TABLE visits(n int); INSERT INTO visits VALUES (1)'",
                  "docker stop ex5-db", "docker rm ex5-db",
                  "docker run -d --name ex5-db2 -e POSTGRES_PASSWORD=pw -v ex5-pgdata:/var/lib/postgresql/data postgres:15"),
)
def check_db_upgrade():
    new = find("ex5-db2")
    if new is None:
        if state.volume("ex5-pgdata") is None and find("ex5-db") is None:
            raise NotAttempted("no container ex5-db2 and no volume ex5-pgdata yet",
                               "Start with ex5-db on the named volume ex5-pgdata.")
        raise Incorrect("no container named ex5-db2 yet",
                        "Replace ex5-db: stop and remove it, then run postgres:15 as ex5-db2 on -v ex5-pgdata:"
                        + PGDATA + ".")
    ensure(state.built_on(state.image(new.image_id), "postgres:15"),
           f"ex5-db2 runs {new.image}, not postgres", "Run ex5-db2 from postgres:15.")
    mount = new.mount_at(PGDATA)
    ensure(mount is not None, f"ex5-db2 has nothing mounted on {PGDATA}",
           f"Give it the old data: -v ex5-pgdata:{PGDATA}.")
    ensure(mount.get("Type") == "volume" and mount.get("Name") == "ex5-pgdata",
           f"ex5-db2 keeps its data in {mount.get('Name') or mount.get('Source')}, not in the volume ex5-pgdata",
           f"Mount the named volume the old container used: -v ex5-pgdata:{PGDATA} (a name, no leading slash).")
    ensure(find("ex5-db") is None, "ex5-db still exists next to ex5-db2",
           "An upgrade replaces the container: docker stop ex5-db && docker rm ex5-db (the volume stays).")
    ensure(new.running, f"ex5-db2 is {new.status}, not running",
           "Look at docker logs ex5-db2: a new postgres container needs POSTGRES_PASSWORD only for an empty volume.")
    ensure("skipping initialization" in state.logs_text("ex5-db2").lower(),
           "ex5-db2 initialised ex5-pgdata itself: no older database was on the volume",
           "Run ex5-db on the volume first and create the table there, then replace it with ex5-db2.")
    user = _role(new)
    ensure(user is not None, "ex5-db2 does not accept connections yet",
           "PostgreSQL takes a few seconds to start: wait, then check again.")
    code, out = sql_answer(new, "SELECT count(*) FROM visits", user=user, wait=0)
    ensure(code == 0, "ex5-db2 has no table visits",
           "Create it in ex5-db before the replacement: CREATE TABLE visits(n int); INSERT INTO visits VALUES (1);")
    ensure(out.strip().isdigit() and int(out.strip()) > 0, "the table visits in ex5-db2 is empty",
           "Insert at least one row into visits (in ex5-db, before replacing it).")
    created = state.epoch(new.created)
    made_new = ("the table visits was created in ex5-db2, after the upgrade: it must come from ex5-db",
                "Create the table and its rows in ex5-db, before you replace it with ex5-db2.")
    _, ckpt = sql_answer(new, "SELECT split_part(next_xid, ':', 2) || ' ' || extract(epoch FROM checkpoint_time) "
                              "FROM pg_control_checkpoint()", user=user, wait=0)
    parts = ckpt.split()
    if len(parts) == 2 and parts[0].isdigit() and float(parts[1]) < created:
        # The last checkpoint is ex5-db's shutdown: whatever has a transaction id at or above its
        # next xid (the table's catalog row, the rows) was written in ex5-db2.
        next_xid = int(parts[0])
        _, table_xid = sql_answer(new, "SELECT xmin::text FROM pg_class WHERE oid = 'visits'::regclass",
                                  user=user, wait=0)
        ensure(not (table_xid.strip().isdigit() and int(table_xid.strip()) >= next_xid), *made_new)
        _, old_rows = sql_answer(new, f"SELECT count(*) FROM visits WHERE xmin::text::bigint < {next_xid}",
                                 user=user, wait=0)
        ensure(old_rows.strip() not in ("", "0"), "every row of visits was written in ex5-db2, after the upgrade",
               "Insert the rows in ex5-db, before you replace it: the upgrade is about keeping them.")
    else:
        # ex5-db2 has checkpointed since: the table file's birth time (to the nanosecond; the
        # whole-second %W would call a table made in ex5-db2's first second old) tells instead.
        _, path = sql_answer(new, "SELECT pg_relation_filepath('visits')", user=user, wait=0)
        _, born = state.exec_read("ex5-db2", ["stat", "-c", "%w", f"{PGDATA}/{path.strip()}"])
        m = re.match(r"(\S+) (\S+) ([+-]\d\d)(\d\d)$", born.strip())
        if m:
            born_at = state.epoch(f"{m.group(1)}T{m.group(2)}{m.group(3)}:{m.group(4)}")
            ensure(not born_at >= created, *made_new)
    return "ex5-db2 serves the visits table with rows written in ex5-db, from the volume ex5-pgdata; ex5-db is gone"


def _role(c: state.ContainerView) -> str | None:
    """A role that can log in to the database in ``c``: POSTGRES_USER, postgres, or a name
    from the cluster's own role catalog (the upgraded container need not repeat POSTGRES_USER)."""
    from ..commands import container as C
    candidates = [c.env.get("POSTGRES_USER") or "postgres", "postgres"]
    raw = C.cp_out(c.name, f"{PGDATA}/global/1260", limit=65536) or b""
    candidates += [m.decode() for m in re.findall(rb"([a-z_][a-z0-9_$-]{0,62})\x00", raw)
                   if not m.startswith(b"pg_")][:20]
    for _ in range(40):  # a starting server answers "the database system is starting up"
        for user in dict.fromkeys(candidates):
            code, out = state.exec_read(c.name, ["psql", "-U", user, "-d", "postgres", "-tAc", "SELECT 1"])
            if code == 0:
                return user
            if "starting up" in out or "No such file" in out or "could not connect" in out:
                break
        else:
            return None
        import time
        time.sleep(0.5)
    return None


# ----------------------------------------------------------------- 05-bind-edit

@exercise(
    "05-bind-edit", lesson=LESSON, title="Live-edit a site through a bind mount",
    prompt=f"Make a folder on this machine with an index.html, run nginx:1.25 as ex5-live with that "
           f"folder bind-mounted on {SITE} and port 80 published, then edit index.html on the host "
           f"(not in the container) so the page says: {LIVE_TEXT}",
    hints=(f"docker run -d --name ex5-live -p 8080:80 -v $PWD/site:{SITE} nginx:1.25 "
           "(an absolute host path: the leading slash makes it a bind mount)",
           f"Edit site/index.html on the host so it contains '{LIVE_TEXT}'; reload the page: no rebuild, no restart."),
    solution_cli=(f"docker run -d --name ex5-live -p 8080:80 -v /tmp/dockerlab-ex5/site:{SITE} nginx:1.25",),
)
def check_bind_edit():
    c = find("ex5-live")
    if c is None:
        raise NotAttempted("no container named ex5-live yet", f"Run nginx:1.25 as ex5-live with a host folder on {SITE}.")
    ensure(c.running, f"ex5-live is {c.status}, not running", "docker start ex5-live (or run it again).")
    mount = c.mount_at(SITE)
    ensure(mount is not None, f"ex5-live has nothing mounted on {SITE}: it serves the image's own page",
           f"Run it with -v /absolute/host/folder:{SITE}.")
    ensure(mount.get("Type") == "bind",
           f"{SITE} of ex5-live is a {mount.get('Type')} ({mount.get('Name')}), not a host folder",
           "Without a leading slash, -v site:/path makes a named volume called site: give the absolute "
           "host path, e.g. -v $PWD/site:" + SITE + ".")
    ports = c.host_ports(80)
    ensure(ports, "port 80 of ex5-live is not published", "Add -p 8080:80 (or -p 80 to let Docker pick).")
    try:
        status, headers, body = http_fetch(f"http://127.0.0.1:{ports[0]}/", retries=STARTUP_RETRIES)
    except DockerlabError as e:
        raise Incorrect(e.message, e.hint) from None
    server = headers.get("server", "")
    ensure(server.lower().startswith("nginx"), f"ex5-live answers HTTP, but not as nginx (Server: {server or 'none'})",
           f"Run nginx:1.25 itself as ex5-live, with the host folder on {SITE}.")
    ensure(status != 403, "the page answers HTTP 403 (forbidden)",
           f"nginx's workers run as an unprivileged user and cannot read {mount.get('Source')}: "
           "make it readable for others (chmod o+rx on the folder, o+r on index.html).")
    ensure(status == 200, f"the page answers HTTP {status}",
           f"Put an index.html in the host folder ({mount.get('Source')}).")
    ensure(LIVE_TEXT in body, f"the page does not say '{LIVE_TEXT}' yet",
           f"Edit index.html in {mount.get('Source')} on the host, then check again (no restart needed).")
    return f"ex5-live serves the host folder through a bind mount, and the page says '{LIVE_TEXT}'"


# ----------------------------------------------------------------- 05-named-volume

@exercise(
    "05-named-volume", lesson=LESSON, title="Data that outlives its container",
    prompt="Create a file /note.txt (any text) in a named volume ex5-keep, written by a container that "
           "you then remove. The volume must stay, holding the note, with no container using it.",
    hints=("docker run --name ex5-writer -v ex5-keep:/data busybox:1.36 sh -c 'echo kept > /data/note.txt'",
           "docker rm ex5-writer: the container goes, the volume stays (docker volume ls)"),
    solution_cli=("docker run --rm -v ex5-keep:/data busybox:1.36 sh -c 'echo kept > /data/note.txt'",),
)
def check_named_volume():
    vol = state.volume("ex5-keep")
    if vol is None:
        scoped = state.plain_name_elsewhere("volume", "ex5-keep")
        if scoped:
            raise Incorrect(f"there is a volume ex5-keep, but in this classroom yours is named {scoped}",
                            f"Your names carry your scope: docker volume rm ex5-keep, then do it again with "
                            f"-v {scoped}:/data.")
        raise NotAttempted("no volume named ex5-keep yet",
                           "docker run -v ex5-keep:/data ... creates it on the fly.")
    opts = vol.get("Options") or {}
    ensure(not (opts.get("device") or "bind" in (opts.get("o") or "")),
           f"ex5-keep is a host folder dressed as a volume (device {opts.get('device')}), not data a container wrote",
           "docker volume rm ex5-keep, then let a container write into a plain named volume: "
           "docker run --rm -v ex5-keep:/data busybox:1.36 sh -c 'echo kept > /data/note.txt'")
    users = sorted(c.name for c in state.containers()
                   if any(m.get("Type") == "volume" and m.get("Name") == "ex5-keep" for m in c.mounts))
    ensure(not users, f"the container{'s' * (len(users) > 1)} {', '.join(users)} still use{'s' * (len(users) == 1)} ex5-keep",
           "Remove the writer (docker rm NAME, or run it with --rm): the volume outlives it.")
    try:
        kinds = {e.name: e.kind for e in VB.list_files("ex5-keep", "/")[0]}
        text, _cli = VB.read_file("ex5-keep", "/note.txt") if "note.txt" in kinds else ("", "")
    except DockerlabError:
        kinds = {}
    ensure("note.txt" in kinds, "ex5-keep has no /note.txt",
           "Write it at the volume's root: mount the volume on /data and write /data/note.txt.")
    ensure(kinds["note.txt"] == "file", f"/note.txt in ex5-keep is a {kinds['note.txt']}, not a file with your note",
           "Write the text itself: echo kept > /data/note.txt")
    ensure(text.strip(), "/note.txt in ex5-keep is empty", "Write some text into it, e.g. echo kept > /data/note.txt.")
    return "ex5-keep holds /note.txt and no container uses it: the data outlived its writer"
