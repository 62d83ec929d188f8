# %% [markdown]
# # 05 — Volumes and persistence
#
# Containers come and go: you replace them, you do not repair them. This notebook shows what
# happens to the files a container writes, and where data that must last belongs instead:
# **volumes** (storage the engine keeps outside any container) and **bind mounts** (a folder
# of your machine seen inside a container). Every step runs against your Docker engine and
# prints a short fact that proves the point.

# %%
import dockerlab as dl

lesson = dl.Lesson("05-volumes", "Volumes and persistence", 40, objectives=[
    "tell what a container's writable layer keeps, and when it is lost",
    "keep data in named volumes that outlive containers; replace a database container without losing data",
    "see the volume a Dockerfile's VOLUME makes, and when docker volume create is needed",
    "bind-mount a host folder, live-edit a site through it, and avoid the path and permission pitfalls",
])
lesson

# %% [markdown]
# ## 1. Containers are disposable
#
# The course notes put it as *containers are ephemeral, immutable infrastructure*. In practice:
# you never patch a running container (no `apt upgrade` or config edit inside it); you build a
# new image and **replace** the container. So a container must be replaceable at any moment, and
# **unique data** — database files, uploads — must not live in it.
#
# What does a container keep, then? Every container gets a thin **writable layer** on top of the
# image's read-only layers (the notes' "UFS layer"). What you'll see: a file written in a
# container survives `stop` and `start`…

# %%
%docker run -d --name n5-box busybox:1.36 sleep 600

# %%
%docker exec n5-box sh -c 'echo precious > /notes.txt'

# %%
%%docker
stop n5-box
start n5-box

# %%
print("file still there after stop + start:", dl.read_file("n5-box", "/notes.txt") == "precious\n")

# %% [markdown]
# …because stopping only ends the processes: the container, and its writable layer, stay on disk
# (`docker ps -a` still lists it). `dl.read_file` reads the file the way `docker cp n5-box:/notes.txt -` does.
# (`docker rm -f` below: `rm` alone refuses a running container.)
#
# Now replace the container, as an upgrade or a redeploy would: remove it and run a new one from
# the same image, with the same name.

# %%
%%docker
rm -f n5-box
run -d --name n5-box busybox:1.36 sleep 600

# %%
print("file gone in the new container:", dl.read_file("n5-box", "/notes.txt") is None)

# %% [markdown]
# The writable layer goes **only with `rm`**, and with it everything the container wrote. A
# "patch" made inside a container dies with it too: that is why you replace, not patch — and why
# data that matters needs a place outside the container.

# %% [markdown]
# ## 2. Volumes live outside the container
#
# A **volume** is storage the engine manages itself, outside every container's filesystem, that
# you attach to any container with `-v NAME:/path`. What you'll see: one container (busybox)
# writes a file into the volume `n5-data`; another container, from a different image (Debian),
# reads it.

# %%
%docker run --name n5-writer -v n5-data:/data busybox:1.36 sh -c 'echo hello from the writer > /data/msg.txt'

# %%
reader = %docker run --name n5-reader -v n5-data:/data debian:bookworm-slim cat /data/msg.txt
display(reader)
print("the reader sees the writer's file:", reader.text == "hello from the writer\n")

# %% [markdown]
# Where is that file? The **VolumePanel** lists this lesson's volumes, the containers that mount
# them, and the folder the engine keeps them in. Both containers have exited, yet they still
# hold the volume.

# %%
vp = dl.VolumePanel(lesson="05-volumes")
vp

# %%
row = vp.frame[vp.frame["name"] == "n5-data"]
print("mounted by:", list(row["mounted by"]))
print("kept by the engine under:", list(row["mountpoint"]))

# %% [markdown]
# `/var/lib/docker/volumes/n5-data/_data` is on the engine's machine (inside the VM with Docker
# Desktop), not in any container's layers: the data does not depend on either container.
#
# ## 3. Volumes outlive containers — and need deleting by hand
#
# Remove both containers: the volume stays. Docker never deletes a named volume for you.

# %%
%docker rm n5-writer n5-reader

# %%
print("n5-data still there, no container left:", dl.volume_exists("n5-data"))

# %%
%docker volume rm n5-data

# %%
print("n5-data after docker volume rm:", dl.volume_exists("n5-data"))

# %% [markdown]
# That is a feature (data survives any container mistake) and a chore: volumes pile up.
# `docker volume ls` lists them; `docker volume prune` removes the ones no container uses (on
# Engine 23 and later only anonymous ones, unless you add `--all`). A volume in use cannot be
# removed until its containers are.
#
# ## 4. `VOLUME` in a Dockerfile
#
# A Dockerfile's `VOLUME /path` tells Docker: *every container of this image gets a volume at
# /path* — even if the `docker run` line says nothing about it. Images that keep data use it
# (postgres:15 declares `VOLUME /var/lib/postgresql/data`) so the data never lands in the
# writable layer. What you'll see: build a tiny image with `VOLUME /data` in the **BuildRunner**,
# run it, and find a volume in its mounts.

# %%
volume_dockerfile = """FROM busybox:1.36
VOLUME /data
CMD ["sleep", "600"]
"""
br = dl.BuildRunner(volume_dockerfile, tag="n5-volimage:1", lesson="05-volumes")
display(br)
if br.connected:
    br.build_button.click()
    br.wait_idle()
print("built:", bool(br.builds) and br.builds[-1].ok)

# %%
%docker run -d --name n5-vol n5-volimage:1

# %%
mounts = dl.inspect("n5-vol")["Mounts"]
print("mounts:", [(m["Type"], m["Destination"]) for m in mounts])
print("an anonymous volume (a 64-hex name nobody chose):",
      [len(m["Name"]) for m in mounts if m["Destination"] == "/data"] == [64])

# %% [markdown]
# Nobody named that volume, so nobody will remember it: a plain `docker rm n5-vol` leaves it
# behind, and such orphans fill `docker volume ls` with hex names. `docker rm -v` removes a
# container's anonymous volumes with it (named volumes are never removed that way), so this
# lesson leaves nothing behind (`-f`: the container is still running):

# %%
%docker rm -f -v n5-vol

# %% [markdown]
# ## 5. The database outlives its container: an upgrade
#
# The payoff: a database in a container, its data in a **named volume**. To upgrade, you stop and
# remove the old container and start a new one on the same volume — the data stays.
#
# Here both containers use `postgres:15`; in real life the new one would run a newer tag
# (`postgres:15.7` after `15.6`: minor versions share the data format; a major jump like 15 → 16
# needs `pg_upgrade` or a dump and restore). No password appears in this notebook:
# `POSTGRES_HOST_AUTH_METHOD=trust` is for a throwaway lab database that publishes no port; a
# real one takes `-e POSTGRES_PASSWORD=...` (better, a secret file).
#
# PostgreSQL needs a few seconds on its first start (it initialises the data folder with a
# temporary server that listens on its socket only). The helper below waits until `pg_isready`
# answers **over TCP**, i.e. the real server is up, and gives up after 30 seconds.

# %%
import time


def wait_for_postgres(name, timeout=30):
    """Poll `docker exec NAME pg_isready -h 127.0.0.1` until it answers (bounded)."""
    deadline = time.monotonic() + timeout
    while lesson.daemon and time.monotonic() < deadline:
        if dl.exec(name, "pg_isready -h 127.0.0.1 -U postgres").value == 0:
            return True
        time.sleep(0.3)
    return False


# %%
%docker run -d --name n5-db -e POSTGRES_HOST_AUTH_METHOD=trust -v n5-pgdata:/var/lib/postgresql/data postgres:15

# %%
print("n5-db ready:", wait_for_postgres("n5-db"))

# %%
%docker exec n5-db psql -U postgres -c 'CREATE TABLE guestbook(id int); INSERT INTO guestbook SELECT generate_series(1, 3);'

# %% [markdown]
# The three rows live in files of the volume `n5-pgdata`. Browse it in the VolumePanel (pick the
# volume, *List files*): a PostgreSQL data folder, with `PG_VERSION` naming the major version its
# format belongs to — the reason a major upgrade needs more than a new container.

# %%
vp = dl.VolumePanel(lesson="05-volumes")
display(vp)
if vp.connected:
    vp.volume.value = "n5-pgdata"
    vp.list_button.click()
    vp.wait_idle()
print("PG_VERSION in the volume:", "PG_VERSION" in [f.name for f in vp.files])
dl.exec("n5-db", "cat /var/lib/postgresql/data/PG_VERSION")

# %% [markdown]
# Now the upgrade. `docker stop` first: postgres shuts down cleanly (its image stops it with
# SIGINT, a "fast shutdown"), then `rm` removes the container. The volume stays.

# %%
%%docker
stop n5-db
rm n5-db

# %%
print("n5-pgdata kept:", dl.volume_exists("n5-pgdata"))

# %%
%docker run -d --name n5-db2 -e POSTGRES_HOST_AUTH_METHOD=trust -v n5-pgdata:/var/lib/postgresql/data postgres:15

# %%
print("n5-db2 ready:", wait_for_postgres("n5-db2"))
# the official entrypoint says "Skipping initialization" (capital S); compare without case
print("found a database, skipped initialisation:", "skipping initialization" in dl.logs("n5-db2").text.lower())

# %%
rows = %docker exec n5-db2 psql -U postgres -tAc 'SELECT count(*) FROM guestbook'
display(rows)
print("data survived:", rows.text.strip() == "3")

# %% [markdown]
# A new container, the same rows. The **ContainerTable** shows what is left: `n5-db` is gone,
# `n5-db2` serves its data. (Select a row to stop, restart or remove it, or to open its logs.)

# %%
dl.ContainerTable()

# %% [markdown]
# ## 6. `-v NAME:/path` makes a volume; `docker volume create` is for options
#
# The notes say "`-v` creates a new volume, or a named volume". More precisely, `-v` takes three forms:
#
# | you write | you get |
# |---|---|
# | `-v /data` (a container path only) | a new **anonymous** volume, like `VOLUME` in section 4 |
# | `-v n5-pgdata:/var/lib/postgresql/data` | the **named** volume: created on first use, reused after (section 5) |
# | `-v /host/path:/data` (starts with `/`) | a **bind mount** of a host folder (section 7) |
#
# So `docker volume create NAME` adds nothing for a plain volume: `-v NAME:/path` already makes it.
# You need `volume create` when the volume needs a **driver** (a plugin: NFS, a cloud disk) or
# **options**. Example: the built-in `local` driver can make a volume that is a tmpfs — kept in
# memory, never written to disk.

# %%
%docker volume create --driver local --opt type=tmpfs --opt device=tmpfs --opt o=size=16m n5-ram

# %%
%docker run --rm -v n5-ram:/scratch busybox:1.36 awk '$2 == "/scratch" {print $3}' /proc/mounts

# %% [markdown]
# The container sees a `tmpfs` file system at `/scratch`: the options of `volume create` decided
# what kind of storage the volume is.
#
# ## 7. Bind mounts: a host folder inside a container
#
# A **bind mount** links a path of the machine the engine runs on to a path in the container:
# `-v /host/path:/container/path`. The **leading slash** is what tells Docker it is a host path
# and not a volume name. Nothing is copied: both sides see the same files.
#
# What you'll see: nginx serving a folder of this machine, an edit on the host showing up at once,
# and the folder left alone when the container goes.

# %%
import os
import pathlib
import shutil
import tempfile

HOST = pathlib.Path(tempfile.mkdtemp(prefix="dockerlab-n5-"))  # a fresh folder of our own
(HOST / "site").mkdir(parents=True)
(HOST / "site" / "index.html").write_text("<h1>version 1, written on the host</h1>\n")


def page(name):
    """The page a container's published port 80 serves, fetched from this machine."""
    if not lesson.daemon:
        return dl.OFFLINE
    return dl.http_get(f"http://127.0.0.1:{dl.host_port(name, 80)}/")[1]

# %%
%docker run -d --name n5-live -p 80 -v {HOST}/site:/usr/share/nginx/html:ro nginx:1.25

# %%
print(page("n5-live"), end="")

# %% [markdown]
# `:ro` makes the mount read-only for the container; the host can still write. Edit the page on
# the host — no rebuild, no restart:

# %%
(HOST / "site" / "index.html").write_text("<h1>version 2, edited on the host</h1>\n")
print(page("n5-live"), end="")
print("the container serves the edit at once:", "version 2" in page("n5-live"))

# %%
%docker rm -f n5-live

# %%
print("host file untouched by rm:", (HOST / "site" / "index.html").read_text() == "<h1>version 2, edited on the host</h1>\n")

# %% [markdown]
# Removing the container removed nothing on the host: the notes' "won't delete the host location
# when the container is deleted". This is the everyday development loop: your editor changes the
# files, the container serves them.
#
# ### Pitfall: the path must be absolute
#
# Docker reads the part before the colon as a **host path only if it starts with `/`**. A relative
# path is not accepted; the toolkit stops it before the engine does, with a hint:

# %%
%docker run -d --name n5-oops -v ./site:/usr/share/nginx/html nginx:1.25

# %% [markdown]
# Worse is a plain word: `-v n5-site:/usr/share/nginx/html` is a perfectly valid **volume name**.
# Docker creates an empty volume `n5-site`, fills it with the image's own files at that path (a new
# volume mounted over a non-empty folder gets a copy of it) and nginx serves its default page —
# no error anywhere:

# %%
%docker run -d --name n5-oops -p 80 -v n5-site:/usr/share/nginx/html nginx:1.25

# %%
print("serves our page:", "version 2" in page("n5-oops"))
print("a volume n5-site appeared instead:", dl.volume_exists("n5-site"))

# %% [markdown]
# ### Pitfall: bind-mount paths in Windows shells
#
# Type the absolute path with your shell's "current folder" variable, and quote it if it may
# contain spaces:
#
# | shell | `-v` with the folder `site` under the current one |
# |---|---|
# | Linux, macOS, WSL 2 | `-v "$PWD/site":/usr/share/nginx/html` |
# | PowerShell | `-v "${PWD}/site:/usr/share/nginx/html"` |
# | cmd.exe | `-v "%cd%\site":/usr/share/nginx/html` |
# | Git Bash | `MSYS_NO_PATHCONV=1 docker run -v "$(pwd -W)/site":/usr/share/nginx/html ...` |
#
# Git Bash rewrites every argument that looks like a Unix path, so `/usr/share/nginx/html` would
# reach Docker as `C:/Program Files/Git/usr/share/nginx/html`; `MSYS_NO_PATHCONV=1` turns that off
# and `pwd -W` prints the folder as `C:/Users/...`. With a remote engine (`DOCKER_HOST=ssh://...`),
# the host path is on the **engine's** machine, not yours.
#
# ### Pitfall: file permissions in mounts
#
# A bind mount shows the host's files with their numeric owners, and files a container creates
# keep the container user's numbers. Most images run as root (uid 0), so the files they create in
# your folder belong to root on the host — on Linux you then cannot edit or delete them without
# `sudo`. What you'll see: a folder that belongs to "you" (uid 1000, the first user on most Linux
# laptops), a file created in it by the container's root, and one created with `--user`.

# %%
(HOST / "out").mkdir()
if os.geteuid() == 0:  # run as root here: hand the folder to uid 1000, as if it were yours
    os.chown(HOST / "out", 1000, 1000)


def owner(name):
    """The uid that owns a file of the host folder, or None if it is not there."""
    path = HOST / "out" / name
    return path.stat().st_uid if path.exists() else None


# %%
%%docker
run -d --name n5-perm -v {HOST}/out:/out busybox:1.36 sleep 600
exec n5-perm touch /out/by-root.txt

# %%
print("created as root in the container, owned by uid 0 on the host:", owner("by-root.txt") == 0)

# %%
%docker exec -u 1000:1000 n5-perm touch /out/by-you.txt

# %%
print("created with --user 1000:1000, owned by uid 1000 on the host:", owner("by-you.txt") == 1000)

# %% [markdown]
# The fix is to run the container's process as your own ids: `docker run --user "$(id -u):$(id -g)" ...`
# (here `docker exec -u` does the same for one command). The image must cope with a non-root user —
# e.g. not write to root-owned folders. Docker Desktop on macOS and Windows translates ownership on
# shared folders, so this pitfall bites mostly on Linux.
#
# The other direction bites too: nginx's workers run as an unprivileged user, so a host folder only
# you may read (`chmod 700`) makes nginx answer **403 Forbidden** through the bind mount. Make the
# folder readable for others (`chmod o+rx`), or run the server as your user.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1 — a database upgrade on a named volume
#
# Run `postgres:15` as `ex5-db` with the named volume `ex5-pgdata` on `/var/lib/postgresql/data`,
# create a table `visits` with at least one row, then replace the container: stop and remove
# `ex5-db`, and start `ex5-db2` on the same volume. The checker asks `ex5-db2` for the table.

# %%
ex = dl.CheckWidget("05-db-upgrade")
ex

# %% tags=["solution"]
EX = dict(env={"POSTGRES_HOST_AUTH_METHOD": "trust"}, volumes=["ex5-pgdata:/var/lib/postgresql/data"])
dl.run("postgres:15", name="ex5-db", **EX)
wait_for_postgres("ex5-db")
dl.exec("ex5-db", ["psql", "-U", "postgres", "-c", "CREATE TABLE visits(n int); INSERT INTO visits VALUES (1), (2);"])
dl.stop("ex5-db")
dl.rm("ex5-db")
dl.run("postgres:15", name="ex5-db2", **EX)
print("ex5-db2 ready:", wait_for_postgres("ex5-db2"))

# %%
ex.check()

# %% [markdown]
# ### Exercise 2 — live-edit a site through a bind mount
#
# Make a folder on this machine with an `index.html`, run `nginx:1.25` as `ex5-live` with that
# folder bind-mounted on `/usr/share/nginx/html` and port 80 published. Then edit `index.html` **on
# the host** so that the page says `edited on the host`. The checker fetches the page and checks
# that it comes from a bind mount. `EX5_HOST` is a fresh, empty folder of this machine for it.

# %%
EX5_HOST = pathlib.Path(tempfile.mkdtemp(prefix="dockerlab-ex5-"))  # yours for this exercise
ex = dl.CheckWidget("05-bind-edit")
ex

# %% tags=["solution"]
SITE = EX5_HOST / "site"
SITE.mkdir()
(SITE / "index.html").write_text("<h1>first draft</h1>\n")
dl.run("nginx:1.25", name="ex5-live", ports=["80"], volumes=[f"{SITE}:/usr/share/nginx/html"])
(SITE / "index.html").write_text("<h1>Hello, edited on the host</h1>\n")
print(page("ex5-live"), end="")

# %%
ex.check()

# %% [markdown]
# ### Exercise 3 — data that outlives its container
#
# Put a file `/note.txt` with some text into a named volume `ex5-keep`, written by a container that
# you then remove. The checker reads the note through a short-lived read-only helper and checks that
# no container uses the volume any more.

# %%
ex = dl.CheckWidget("05-named-volume")
ex

# %% tags=["solution"]
dl.run("busybox:1.36", "sh -c 'echo kept after the writer is gone > /data/note.txt'", name="ex5-writer",
       detach=False, volumes=["ex5-keep:/data"])
dl.rm("ex5-writer")
print("ex5-keep still there:", dl.volume_exists("ex5-keep"))

# %%
ex.check()

# %% [markdown]
# ## Key points
#
# - Containers are disposable: replace them, don't patch them. Their **writable layer** survives
#   `stop`/`start` and is deleted by `rm` — with everything written in it.
# - Unique data goes **outside** the container: in a **volume** (managed by the engine, attachable
#   to any container) or a **bind mount** (a host folder).
# - `-v NAME:/path` creates the named volume on first use; `docker volume create` is needed only
#   for a driver or driver options (e.g. a tmpfs volume).
# - `VOLUME /path` in a Dockerfile gives every container an **anonymous** volume there;
#   `docker rm -v` removes those with the container.
# - Volumes **outlive** containers and are removed only by hand (`docker volume rm`, `prune`). So a
#   database on a named volume survives the replacement of its container: that is how you upgrade.
# - Bind mounts need an **absolute** host path (the leading `/`); a bare word is a volume name.
#   Removing the container leaves the host folder alone; edits on the host show up at once.
# - Pitfalls: `$PWD` / `${PWD}` / `%cd%` and `MSYS_NO_PATHCONV=1` in Windows shells; files created
#   by a root container are root's on the host — run with `--user "$(id -u):$(id -g)"`.
#
# ## Cheat sheet
#
# | command | what it does |
# |---|---|
# | `docker run -d --name n5-box busybox:1.36 sleep 600` | a container to write into |
# | `docker exec n5-box sh -c '...'` | run a command in it (`-u UID:GID` as another user) |
# | `docker stop -t 3 n5-box` / `docker start n5-box` | stop and start: the writable layer stays |
# | `docker cp n5-box:/notes.txt -` | read a file out of a container |
# | `docker rm -f -v n5-box` | remove the container, its writable layer and its anonymous volumes |
# | `docker run -v n5-data:/data IMAGE ...` | mount a named volume (created if missing) |
# | `docker run -v /host/path:/path[:ro] IMAGE ...` | bind-mount a host folder (read-only with `:ro`) |
# | `docker run --user "$(id -u):$(id -g)" ...` | run as your own user: files in mounts stay yours |
# | `docker volume ls` / `docker volume inspect NAME` | list volumes / see where one is kept |
# | `docker volume create --driver local --opt type=tmpfs --opt device=tmpfs --opt o=size=16m n5-ram` | a volume with driver options |
# | `docker volume rm n5-data` / `docker volume prune` | delete a volume / the unused ones |
# | `docker build -t n5-volimage:1 .` | build an image (here with `VOLUME /data`) |
# | `docker inspect n5-vol` | the container's `Mounts`, among the rest |
# | `docker rm -v NAME` | remove a container with its anonymous volumes |
# | `docker run -d --name n5-db -e POSTGRES_HOST_AUTH_METHOD=trust -v n5-pgdata:/var/lib/postgresql/data postgres:15` | a database whose data lives in a named volume (use `POSTGRES_PASSWORD` for real) |
# | `docker exec n5-db pg_isready -h 127.0.0.1 -U postgres` | is the server up (over TCP)? |
# | `docker exec n5-db psql -U postgres -c 'SQL'` | run SQL in the database |
# | `docker logs n5-db2` | what postgres said on start |
# | `docker run -d -p 127.0.0.1::80 ...` | publish port 80 on a free host port Docker picks |
# | `docker ps -a` | the containers, stopped ones included |
# | `dockerlab clean` | remove everything this session created, nothing else |
# | `docker run --rm -v n5-pgdata:/v:ro busybox:1.36 find /v ...` | how the VolumePanel lists a volume's files |
#
# ## Clean up
#
# Removes every container, volume and image this notebook created (nothing else), and the host
# folders it made under `/tmp`.

# %%
done = lesson.cleanup()
for folder in (HOST, EX5_HOST):
    shutil.rmtree(folder, ignore_errors=True)
done
