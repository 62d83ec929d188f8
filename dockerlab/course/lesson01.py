"""Exercises of notebook 01 (running containers): the classic first assignments.

    $ dockerlab check 01-web-db
"""
from __future__ import annotations

import re

from ..engine import names
from ..reads import views as state
from .base import NotAttempted, ensure, exercise

LESSON = "01-running"
#: The line ex1-secret prints, like the official mysql image's random root password.
SECRET_LINE = re.compile(r"GENERATED PASSWORD: (\S+)")


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
    web, db = state.container("ex1-web"), state.container("ex1-db")
    if web is None and db is None:
        raise NotAttempted("no container named ex1-web or ex1-db yet",
                           "Start with the web server: docker run -d --name ex1-web -p 8080:80 nginx:1.25")
    ensure(web is not None, "ex1-db is there, but no container is named ex1-web",
           "docker run -d --name ex1-web -p 8080:80 nginx:1.25")
    ensure(repo_of(web.image) == "nginx", f"ex1-web runs the image {web.image}, not nginx",
           "Remove it (docker rm -f ex1-web) and run it again from nginx:1.25.")
    ensure(web.running, f"ex1-web is {web.status}, not running",
           "docker logs ex1-web says why it stopped; docker start ex1-web starts it again.")
    ensure(web.host_ports(80), "ex1-web does not publish its port 80 on the host",
           "Ports are closed unless you publish them: recreate it with -p 8080:80 (host:container).")
    ensure(db is not None, "ex1-web is fine; now run a postgres container named ex1-db",
           "docker run -d --name ex1-db -e POSTGRES_PASSWORD=choose-one postgres:15")
    ensure(repo_of(db.image) == "postgres", f"ex1-db runs the image {db.image}, not postgres",
           "Remove it (docker rm -f ex1-db) and run it again from postgres:15.")
    ensure(db.env.get("POSTGRES_PASSWORD"), "ex1-db has no POSTGRES_PASSWORD",
           "The postgres image refuses to initialise without one: docker rm -f ex1-db, then run it "
           "again with -e POSTGRES_PASSWORD=choose-one.")
    ensure(db.running, f"ex1-db is {db.status}, not running", "docker logs ex1-db says why it stopped.")
    return "ex1-web (nginx) publishes port 80 and ex1-db (postgres) runs with a password set"


@exercise("01-secret-in-logs", lesson=LESSON, title="Find the generated password in the logs",
          prompt="The container ex1-secret (started by the cell above) generated a password at start-up and "
                 "printed it, as database images do. Find it in the container's log and give it as the answer.",
          hints=("docker logs ex1-secret shows what the main process printed.",
                 "Copy the text after 'GENERATED PASSWORD:'."))
def check_secret(answer=None):
    c = state.container("ex1-secret")
    if c is None:
        raise NotAttempted("there is no container ex1-secret", "Run the setup cell above the exercise first.")
    m = SECRET_LINE.search(state.logs_text("ex1-secret"))
    ensure(m, "ex1-secret has not printed its password yet",
           "Give it a second, then look again with docker logs ex1-secret.")
    if not (answer or "").strip():
        raise NotAttempted("type the password you found as the answer", "docker logs ex1-secret")
    ensure(answer.strip() == m.group(1), "that is not the password in ex1-secret's log",
           "Copy the whole word after 'GENERATED PASSWORD:' in docker logs ex1-secret.")
    return "you found the generated password in ex1-secret's log"


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
    left = sorted(c.name for c in state.containers()
                  if repo_of(c.image) == "debian" and not c.running and _reads_version(c))
    ensure(answer.strip().strip('"') == "12", f"{answer.strip()!r} is not what VERSION_ID says",
           "Read the line VERSION_ID=... in /etc/os-release: docker run --rm debian:bookworm-slim "
           "cat /etc/os-release")
    ensure(not left, "the right answer, but the container that read it is still there: " + ", ".join(left),
           "Use --rm so it goes when it exits; remove these with docker rm " + " ".join(left) + ".")
    return "bookworm is Debian 12, and no container was left behind"


def _reads_version(c: state.ContainerView) -> bool:
    cmd = " ".join([c.doc.get("Path") or "", *(c.doc.get("Args") or [])])
    return bool(re.search(r"release|version", cmd))


@exercise("01-shell", lesson=LESSON, title="A shell in a running container",
          prompt="Run a debian:bookworm-slim container named ex1-shell that keeps running (sleep infinity). "
                 "Then open a shell in it with docker exec -it ex1-shell bash and create the file "
                 "/root/hello.txt containing the words hello from exec. The container's main process must "
                 "keep running.",
          hints=("docker run -d --name ex1-shell debian:bookworm-slim sleep infinity",
                 "docker exec -it ex1-shell bash, then: echo hello from exec > /root/hello.txt",
                 "In a notebook: dl.exec('ex1-shell', ['sh', '-c', 'echo hello from exec > /root/hello.txt'])"))
def check_shell():
    c = state.container("ex1-shell")
    if c is None:
        raise NotAttempted("no container named ex1-shell yet",
                           "docker run -d --name ex1-shell debian:bookworm-slim sleep infinity")
    ensure(repo_of(c.image) == "debian", f"ex1-shell runs {c.image}, not debian",
           "docker rm -f ex1-shell, then run it from debian:bookworm-slim.")
    ensure(c.running, f"ex1-shell is {c.status}: its main process ended",
           "Give it a main process that lasts (sleep infinity); exec only works in a running container.")
    cmd = " ".join([c.doc.get("Path") or "", *(c.doc.get("Args") or [])])
    ensure("hello.txt" not in cmd, "the main process wrote the file; the exercise is to do it with exec",
           "Recreate ex1-shell with sleep infinity, then docker exec -it ex1-shell bash.")
    text = state.read_container_file("ex1-shell", "/root/hello.txt")
    ensure(text is not None, "ex1-shell has no /root/hello.txt yet",
           "docker exec -it ex1-shell bash, then: echo hello from exec > /root/hello.txt")
    ensure("hello from exec" in text, "/root/hello.txt does not contain: hello from exec",
           "echo hello from exec > /root/hello.txt (inside the container)")
    return "ex1-shell still runs its main process, and exec left /root/hello.txt in it"
