"""Exercises of notebook 01 (running containers): the classic first assignments.

    $ dockerlab check 01-web-db
"""
from __future__ import annotations

import re
import time

from ..engine import names
from ..reads import events
from ..reads import views as state
from .base import NotAttempted, ensure, exercise
from .evidence import find, serves_as, sql_answer

LESSON = "01-running"
#: A generated password as database images print it, in any of their wordings:
#: "GENERATED PASSWORD: x", "[Entrypoint] GENERATED ROOT PASSWORD: x", "password is x", "PASSWORD=x".
SECRET_LINE = re.compile(r"(?i)\bpassword\b(?:\s+is)?\s*[:=]?\s*[\"']?([^\s\"']{6,})")


def repo_of(image: str) -> str:
    """'docker.io/library/nginx:1.25' -> 'nginx': the repository, without registry or tag."""
    return names.describe_ref(image.split("@")[0])["repo"]


@exercise("01-web-db", lesson=LESSON, title="A web server and a database",
          prompt="Run an nginx container named ex1-web that publishes its port 80 on the host, and a postgres "
                 "container named ex1-db with the environment variable POSTGRES_PASSWORD set. Both detached, "
                 "both running.",
          hints=("docker run -d --name ex1-web -p 8080:80 nginx:1.25 (or ports=['80'] to let Docker pick "
                 "the host port).",
                 "docker run -d --name ex1-db -e POSTGRES_PASSWORD=choose-one postgres:15",
                 "A container that stopped tells why in its log: docker logs NAME."),
          solution_cli=("docker run -d --name ex1-web -p 127.0.0.1::80 nginx:1.25",
                        "docker run -d --name ex1-db -e POSTGRES_PASSWORD=... postgres:15"))
def check_web_db():
    web, db = find("ex1-web"), find("ex1-db")
    if web is None and db is None:
        raise NotAttempted("no container named ex1-web or ex1-db yet",
                           "Start with the web server: docker run -d --name ex1-web -p 8080:80 nginx:1.25")
    ensure(web is not None, "ex1-db is there, but no container is named ex1-web",
           "docker run -d --name ex1-web -p 8080:80 nginx:1.25")
    ensure(web.running, f"ex1-web is {web.status}, not running",
           "docker logs ex1-web says why it stopped; docker start ex1-web starts it again.")
    ensure(web.host_ports(80), "ex1-web does not publish its port 80 on the host",
           "Ports are closed unless you publish them: recreate it with -p 8080:80 (host:container).")
    got = serves_as(web)
    ensure(got is not None, "nothing answers HTTP on ex1-web's published port",
           "Is a web server its main process? docker logs ex1-web; run nginx:1.25 with no command after "
           "the image name.")
    ensure(got[1].lower().startswith("nginx"), f"ex1-web answers HTTP, but not as nginx (Server: {got[1] or 'none'})",
           "docker rm -f ex1-web, then run it from nginx:1.25.")
    ensure(db is not None, "ex1-web is fine; now run a postgres container named ex1-db",
           "docker run -d --name ex1-db -e POSTGRES_PASSWORD=choose-one postgres:15")
    ensure(db.env.get("POSTGRES_PASSWORD") or db.env.get("POSTGRES_PASSWORD_FILE"), "ex1-db has no POSTGRES_PASSWORD",
           "The postgres image refuses to initialise without one: docker rm -f ex1-db, then run it "
           "again with -e POSTGRES_PASSWORD=choose-one.")
    ensure(db.running, f"ex1-db is {db.status}, not running", "docker logs ex1-db says why it stopped.")
    code, out = sql_answer(db, "SELECT 6*7", wait=20)
    ensure(code == 0 and out.strip() == "42", "ex1-db does not answer SQL (psql -c 'SELECT 6*7' fails in it)",
           "Run it from postgres:15 with no command after the image name; docker logs ex1-db says whether "
           "the database started.")
    return "ex1-web answers HTTP as nginx on its published port, and ex1-db (postgres, a password set) answers SQL"


@exercise("01-secret-in-logs", lesson=LESSON, title="Find the generated password in the logs",
          prompt="The container ex1-secret (started by the cell above) generated a password at start-up and "
                 "printed it, as database images do. Find it in the container's log and give it as the answer.",
          hints=("docker logs ex1-secret shows what the main process printed.",
                 "Copy the text after 'GENERATED PASSWORD:'."))
def check_secret(answer=None):
    c = find("ex1-secret")
    if c is None:
        raise NotAttempted("there is no container ex1-secret", "Run the setup cell above the exercise first.")
    if not (answer or "").strip():  # before the log: checking before trying is not a failure
        raise NotAttempted("type the password you found as the answer", "docker logs ex1-secret")
    secrets = {m.group(1) for m in SECRET_LINE.finditer(state.logs_text("ex1-secret"))}
    ensure(secrets, "ex1-secret has not printed its password yet",
           "Give it a second, then look again with docker logs ex1-secret.")
    ensure(answer.strip().strip("'\"") in secrets, "that is not the password in ex1-secret's log",
           "Copy the whole word after 'GENERATED PASSWORD:' in docker logs ex1-secret.")
    return "you found the generated password in ex1-secret's log"


#: How far back a throwaway container may have run and still count (seconds).
RECENT = 3600


def _throwaways(image_id: str, since: float) -> tuple[list[str], list[str]]:
    """(ids of containers of ``image_id`` that ran and were destroyed, ids still there) among
    the events the daemon remembers since ``since``."""
    ran, gone, ids = {}, set(), {}
    for e in events.past(since, filters={"type": ["container"]}):
        action = (e.get("Action") or "").split(":")[0]
        cid = (e.get("Actor") or {}).get("ID") or e.get("id") or ""
        attrs = (e.get("Actor") or {}).get("Attributes") or {}  # the container's labels and name
        if action == "start" and state.is_mine(attrs, attrs.get("name") or ""):
            ref = attrs.get("image") or ""
            if ref not in ids:
                ids[ref] = state.image_id(ref)
            if ids[ref] == image_id:
                ran[cid] = True
        elif action == "destroy":
            gone.add(cid)
    return [c for c in ran if c in gone], [c for c in ran if c not in gone]


@exercise("01-rm-answer", lesson=LESSON, title="A throwaway container answers a question",
          prompt="Which major version of Debian does the image debian:bookworm-slim contain? Find out with a "
                 "throwaway container (docker run --rm) that prints VERSION_ID from /etc/os-release, and "
                 "answer the number. The container must not be left behind.",
          hints=("docker run --rm debian:bookworm-slim cat /etc/os-release",
                 "--rm removes the container as soon as its main process ends."))
def check_rm_answer(answer=None):
    if not (answer or "").strip():
        raise NotAttempted("answer the version number you read", "docker run --rm debian:bookworm-slim "
                                                                 "cat /etc/os-release")
    debian = state.image_id("debian:bookworm-slim")
    left = sorted(c.name for c in state.containers(image="debian:bookworm-slim")
                  if not c.running and _reads_version(c)) if debian else []
    ensure(answer.strip().strip('"') == "12", f"{answer.strip()!r} is not what VERSION_ID says",
           "Read the line VERSION_ID=... in /etc/os-release: docker run --rm debian:bookworm-slim "
           "cat /etc/os-release")
    ensure(not left, "the right answer, but the container that read it is still there: " + ", ".join(left),
           "Use --rm so it goes when it exits; remove these with docker rm " + " ".join(left) + ".")
    gone, _ = _throwaways(debian or "-", time.time() - RECENT)
    ensure(gone, "the right number, but no throwaway debian:bookworm-slim container ran and went away",
           "Read it from the image itself: docker run --rm " + (f"--name NAME{names.SCOPE_SEP}{names.scope()} "
           if names.scope() else "") + "debian:bookworm-slim cat /etc/os-release, then check again right away "
           "(the daemon remembers only its latest events).")
    return "bookworm is Debian 12, read by a throwaway container that left nothing behind"


def _reads_version(c: state.ContainerView) -> bool:
    return bool(re.search(r"release|version", " ".join(c.command)))


def _exec_evidence(c: state.ContainerView, path: str) -> str:
    """How the file got into the running container: 'exec' (the daemon's events show an
    exec since the container started, or the file was written by a process inside, with the
    nanosecond time a write leaves), 'cp' (``docker cp``: whole-second times, an
    extract-to-dir event and no exec) or '' (no file)."""
    stat = state.file_stat(c.name, path)
    if stat is None:
        return ""
    started = state.epoch(c.started_at)
    actions = [a for a, _ in events.container_actions(c.id, started)]
    if "exec_start" in actions:
        return "exec"
    written = state.epoch(stat.get("mtime") or "")
    whole_second = written == int(written)
    if "extract-to-dir" in actions or whole_second:
        return "cp"
    # Written by a process inside, before the oldest event the daemon still remembers.
    return "exec" if written < events.remembered_since() else "cp"


@exercise("01-shell", lesson=LESSON, title="A shell in a running container",
          prompt="Run a debian:bookworm-slim container named ex1-shell that keeps running (sleep infinity). "
                 "Then open a shell in it with docker exec -it ex1-shell bash and create the file "
                 "/root/hello.txt containing the words hello from exec. The container's main process must "
                 "keep running.",
          hints=("docker run -d --name ex1-shell debian:bookworm-slim sleep infinity",
                 "docker exec -it ex1-shell bash, then: echo hello from exec > /root/hello.txt",
                 "In a notebook: dl.exec('ex1-shell', ['sh', '-c', 'echo hello from exec > /root/hello.txt'])"))
def check_shell():
    c = find("ex1-shell")
    if c is None:
        raise NotAttempted("no container named ex1-shell yet",
                           "docker run -d --name ex1-shell debian:bookworm-slim sleep infinity")
    ensure(state.built_on(state.image(c.image_id), "debian:bookworm-slim"), f"ex1-shell runs {c.image}, not debian",
           "docker rm -f ex1-shell, then run it from debian:bookworm-slim.")
    ensure(c.running, f"ex1-shell is {c.status}: its main process ended",
           "Give it a main process that lasts (sleep infinity); exec only works in a running container.")
    ensure("hello.txt" not in " ".join(c.command), "the main process wrote the file; the exercise is to do it with exec",
           "Recreate ex1-shell with sleep infinity, then docker exec -it ex1-shell bash.")
    text = state.read_container_file("ex1-shell", "/root/hello.txt")
    ensure(text is not None, "ex1-shell has no /root/hello.txt yet",
           "docker exec -it ex1-shell bash, then: echo hello from exec > /root/hello.txt")
    ensure("hello from exec" in text, "/root/hello.txt does not contain: hello from exec",
           "echo hello from exec > /root/hello.txt (inside the container)")
    ensure(_exec_evidence(c, "/root/hello.txt") == "exec",
           "/root/hello.txt was copied in (docker cp), not written by a shell in the container",
           "Open a shell in the running container: docker exec -it ex1-shell bash, then: "
           "echo hello from exec > /root/hello.txt")
    return "ex1-shell still runs its main process, and a shell you opened with exec wrote /root/hello.txt"
