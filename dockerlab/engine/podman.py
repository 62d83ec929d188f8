"""Every place where Podman's Docker-compatible API differs from Docker's, in one file.

The course speaks Docker's words; on Podman the toolkit translates (states, event actions,
``top``'s columns, build log lines, registry addresses) or says clearly what Podman cannot
show. ``docs/engines.md`` lists the differences per notebook.

>>> state("stopped")
'exited'
"""
from __future__ import annotations

import re

from .client import engine
from .errors import Conflict, DockerlabError, EmptyAnswer, NotFound, translating

#: Podman's container states that Docker names otherwise ("stopped" shows briefly after an exit).
STATES = {"stopped": "exited", "configured": "created"}
#: Podman's event actions (libpod's own words passed through) in Docker's words.
ACTIONS = {"remove": "destroy", "exec": "exec_start", "exec_died": "exec_die"}
#: Podman's own container steps that Docker never reports (Podman 5 sends ``cleanup`` after
#: every ``die``, ``init`` before every ``start``): left out of the course's event feeds.
INTERNAL_ACTIONS = frozenset({"init", "cleanup"})
#: Docker's classic builder says "Step 3/4 : RUN ..."; Podman's (buildah) "STEP 3/4: RUN ...".
BUILD_STEP = re.compile(r"^(?:Step|STEP) (\d+)/(\d+) ?: (.*)$")
#: Docker: " ---> Using cache"; Podman: "--> Using cache 5f3c...".
CACHE_HIT = re.compile(r"^-{2,3}> Using cache\b")


#: The default bridge network on either engine (Podman calls it "podman").
DEFAULT_BRIDGES = ("bridge", "podman")
#: Docker speaks plain HTTP to a registry on 127.0.0.0/8; Podman only when told to.
INSECURE_HINT = (
    "The engine wants HTTPS from the local registry. Podman does (Docker does not on 127.0.0.1): "
    "add [[registry]] location = \"127.0.0.1\" insecure = true to Podman's registries.conf "
    "(scripts/podman.sh up does it for its own service), or use `podman push --tls-verify=false`.")
LOGIN_HINT = " Podman's login skips TLS only for localhost:PORT: log in to localhost:PORT instead of 127.0.0.1:PORT."


def wants_tls(text: str) -> bool:
    """Podman's refusal of a plain-HTTP registry (TLS unless localhost:PORT)."""
    return "HTTP response to HTTPS client" in text


def push_digest(status: str) -> str:
    """The digest in Podman's push stream, which has only "TAG: digest: sha256:... size: N"."""
    return status.split("digest: ", 1)[1].split()[0] if "digest: sha256:" in status else ""


def state(value: str) -> str:
    return STATES.get(value, value)


def action(value: str) -> str:
    return ACTIONS.get(value, value)


def docker_event(ev: dict) -> dict:
    """One event of ``GET /events`` with Docker's action words (``remove`` -> ``destroy``,
    ``exec`` -> ``exec_start``) in ``Action`` and ``status``, for readers of raw events."""
    for key in ("Action", "status"):
        if isinstance(ev.get(key), str):
            word, sep, rest = ev[key].partition(":")
            ev[key] = action(word) + sep + rest
    return ev


def entrypoint(value: list | None) -> list | None:
    """A container's ``Config.Entrypoint``: Podman shows an image's missing entrypoint as
    ``[]`` where Docker (and the image) say null: both are "none"."""
    return value or None


def is_podman() -> bool:
    return engine().is_podman


def event_filters(filters: dict) -> tuple[dict, list[str]]:
    """(filters for the engine, label keys to match here). Podman's events match
    ``label=KEY=VALUE`` but never ``label=KEY``: ask for all and keep those carrying KEY."""
    server = {k: list(v) for k, v in filters.items()}
    if not server.get("label") or not is_podman():
        return server, []
    key_only = [k for k in server["label"] if "=" not in k]
    server["label"] = [k for k in server["label"] if "=" in k]
    if not server["label"]:
        del server["label"]
    return server, key_only


def top(ref: str, cmd: str) -> dict:
    """``docker top`` on either engine, with host PIDs and Docker's (``ps -ef``) titles.
    Podman's shows PIDs inside the container unless asked for host PIDs (psgo descriptors),
    and answers a stopped container with an empty body."""
    e = engine()
    with translating(cmd):
        if not e.is_podman:
            return e.top(ref)
        try:
            try:
                doc = e.top(ref, ps_args="user,hpid,args")
            except DockerlabError as err:
                if TOP_NOT_RUNNING not in err.message:
                    raise
                raise EmptyAnswer(err.message) from err  # Podman 5's word for 4.3's empty body
        except EmptyAnswer:
            raise Conflict(f"container {ref!r} is not running (Podman lists no processes)",
                           "Start the container first (docker start NAME); a stopped container "
                           "has no processes.", cmd) from None
    titles = {"USER": "UID", "HPID": "PID", "COMMAND": "CMD"}
    doc["Titles"] = [titles.get(t, t) for t in doc.get("Titles") or []]
    return doc


def registry_host() -> str:
    """The host a local registry is addressed by: Podman's login checks TLS for every
    registry but localhost:PORT (Docker skips it for all of 127.0.0.0/8)."""
    return "localhost" if is_podman() else "127.0.0.1"


# ---- Podman 5 (measured on Debian sid's 5.8.6; Podman 4.3.1 behaves as Docker here) --------

#: Podman 5 answers ``top`` of a stopped container with this 500 (4.3: an empty body).
TOP_NOT_RUNNING = "can only be used on running containers"


def major_version() -> int:
    """The engine's major version (Podman's own, e.g. 5 for 5.8.6); 0 when unknown."""
    try:
        return int(str(engine().version().get("Version", "0")).split(".")[0])
    except Exception:  # noqa: BLE001 - unknown: 0
        return 0


def label_steps(labels: dict | None) -> int:
    """How many build steps ``--label`` adds after the Dockerfile's own. Docker's classic
    builder: one LABEL step per label. Podman 4.3: none (buildah sets them at commit).
    Podman 5 (buildah 1.43): one ``LABEL "a"="1" "b"="2"`` step for all of them."""
    n = len(labels or {})
    if not n or not is_podman():
        return n
    return 1 if major_version() >= 5 else 0


def label_step(created_by: str, prefix: str) -> bool:
    """A history step that sets labels starting with ``prefix`` (the toolkit's own): Docker
    writes ``LABEL dockerlab.x=...``; Podman 5 one ``LABEL "dockerlab.x"="..." ...`` step."""
    i = created_by.find("LABEL ")
    return i >= 0 and created_by[i + 6:].lstrip('"').startswith(prefix)


def import_changes(labels: dict[str, str]) -> list[str]:
    """The ``docker import -c`` changes that set ``labels``. Docker (and Podman 4.3) read one
    ``LABEL a="x" b="y"`` change; Podman 5 splits a change at its first ``=`` only, so that
    label a becomes ``x" b="y``: one LABEL change per label there."""
    if not labels:
        return []
    pairs = [f'{k}="{v}"' for k, v in labels.items()]
    return [f"LABEL {p}" for p in pairs] if is_podman() else ["LABEL " + " ".join(pairs)]


def remove_container(e, ref: str, v: bool = True) -> None:
    """``docker rm -f``: Docker kills a running container at once. Podman 5 stops it first
    (SIGTERM, then SIGKILL after the 10 s stop timeout: 10.3 s measured for ``sleep 300``),
    so every cleanup of a ``sleep`` container would wait 10 s: kill it first, as Docker does
    (its events then read kill, die, destroy as on Docker; a stop with ``timeout=0`` reports no
    stop or kill at all). A ``--rm`` container is gone once killed: nothing left to remove."""
    stopped = False
    if e.is_podman:
        try:
            e.kill(ref)
            stopped = True
        except Exception:  # noqa: BLE001 - not running, or gone: the remove says what matters
            pass
    try:
        e.remove_container(ref, force=True, v=v)
    except NotFound:
        if not stopped:
            raise


def push_refusal(err: BaseException) -> dict | None:
    """The error event of a refused push on Podman 5. Docker (and Podman 4.3) answer 200 and
    put ``{"error": ..., "errorDetail": ...}`` in the stream; Podman 5 answers 500 with that
    object as the body, which docker-py cannot read (it wants ``message``: KeyError). Found in
    the HTTP error behind the exception; None when there is none."""
    seen: set[int] = set()
    cur: BaseException | None = err
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        response = getattr(cur, "response", None)
        if response is not None:
            try:
                body = response.json()
            except Exception:  # noqa: BLE001 - not JSON: not this case
                body = None
            if isinstance(body, dict) and "error" in body and "message" not in body:
                return body
        cur = cur.__cause__ or cur.__context__
    return None
