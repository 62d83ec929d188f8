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
from .errors import Conflict, EmptyAnswer, translating

#: Podman's container states that Docker names otherwise ("stopped" shows briefly after an exit).
STATES = {"stopped": "exited", "configured": "created"}
#: Podman's event actions (libpod's own words passed through) in Docker's words.
ACTIONS = {"remove": "destroy", "exec": "exec_start"}
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
            doc = e.top(ref, ps_args="user,hpid,args")
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
