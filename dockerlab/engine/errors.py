"""One error root, and one function that turns docker-py/requests errors into it.

The class of the error decides first (docker-py's ``ImageNotFound``, ``NotFound``,
``BuildError``; requests' connection errors); the daemon's wording only refines it and
chooses the hint. The Engine translates at its boundary, so callers above it write
``except NotFound``, never ``status_code == 404``.

Every failure a learner can cause ends up as a :class:`DockerlabError` carrying the
daemon's own explanation (``message``), what to do about it (``hint``) and the
``docker`` CLI line that was being performed (``command``). Widgets show these three;
the CLI prints them; nobody shows a traceback for a mistake.

>>> str(DockerlabError("no such image: nginx:9", hint="run `dockerlab images`"))
'no such image: nginx:9'
"""
from __future__ import annotations

import contextlib
import re

CONNECT_HINT = (
    "Start Docker and try again: Docker Desktop (macOS/Windows), `sudo systemctl start docker` "
    "(Linux), or `make engine` in this repository. For a remote daemon set DOCKER_HOST, e.g. "
    "ssh://user@host or tcp://host:2376 with DOCKER_TLS_VERIFY=1; for Podman, "
    "DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock."
)


class DockerlabError(Exception):
    """Root of every error the toolkit raises on purpose."""

    kind = "error"

    def __init__(self, message: str, hint: str = "", command: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.command = command
        self.detail = ""  # the engine's own words, where the message rephrases them

    def __str__(self) -> str:
        return self.message

    def as_text(self) -> str:
        parts = [f"Error: {self.message}"]
        if self.command:
            parts.append(f"  while running: {self.command}")
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


class InvalidInput(DockerlabError):
    """Refused before anything reached the daemon. ``field`` names the spec field at fault
    (``ports``, ``aliases``...) when one is, so a form can mark it."""
    kind = "invalid-input"

    def __init__(self, message: str, hint: str = "", command: str = "", field: str = ""):
        super().__init__(message, hint, command)
        self.field = field


class DaemonUnreachable(DockerlabError):
    kind = "daemon-unreachable"


class PermissionDenied(DockerlabError):
    kind = "permission-denied"


class NotFound(DockerlabError):
    """No such container, network, volume or image (the Engine's 404)."""
    kind = "not-found"


class ImageNotFound(NotFound):
    kind = "image-not-found"


class Conflict(DockerlabError):
    """Name in use, port allocated, network/volume in use, container not running."""
    kind = "conflict"


class NoAnswer(DaemonUnreachable):
    """A stream (a pull's progress) went silent for longer than its read timeout."""
    kind = "no-answer"


class EmptyAnswer(Conflict):
    """The engine answered with no document (a container that stopped meanwhile)."""
    kind = "empty-answer"


class NotOwned(DockerlabError):
    """The toolkit refuses to touch what it did not create."""
    kind = "not-owned"


class DaemonTooOld(DockerlabError):
    kind = "daemon-too-old"


class BuildFailed(DockerlabError):
    kind = "build-failed"


# (regex on the daemon's explanation, error class, hint). First match wins.
_RULES: list[tuple[str, type[DockerlabError], str]] = [
    (r"invalid reference format|repository name must be lowercase|invalid tag format",
     InvalidInput,
     "An image reference is [registry/][user/]repo[:tag]: lowercase letters, digits and "
     "'._-' separators, e.g. 'nginx', 'nginx:1.25', 'localhost:5000/me/app:v1'."),
    (r"pull access denied|repository does not exist|manifest unknown|manifest for .* not found"
     r"|not found: manifest|No such image|no such image",
     ImageNotFound,
     "The image is not in the local cache and could not be pulled. Check the spelling and tag; "
     "without a registry run `dockerlab images --offline` to build the course images, or "
     "`docker images` to see what is here."),
    (r"(dial tcp|lookup .* on|Client.Timeout|TLS handshake timeout|connection refused).*(registry|docker\.io|:443)"
     r"|registry-1\.docker\.io|Get \"?https://",
     ImageNotFound,
     "No registry can be reached from the daemon (offline?). Build the course images locally "
     "with `dockerlab images --offline`, or load a classroom bundle with `dockerlab images --import FILE`."),
    (r"port is already allocated|address already in use|bind: address",
     Conflict,
     "That host port is taken (by another container or program). Pick another host port, or "
     "leave the host port empty to let Docker choose one; `docker ps` shows who holds it."),
    (r"is already in use by container|Conflict\. The container name|that name is already in use",
     Conflict,
     "Container names are unique on a daemon. Choose another --name, or remove the old "
     "container first: docker rm -f NAME."),
    (r"network with name .* already exists|already exists",
     Conflict,
     "Pick another name, or reuse the existing one."),
    (r"is not running|container .* is paused|is restarting|container state improper",
     Conflict,
     "Start the container first (docker start NAME); `docker ps -a` shows its state and "
     "`docker logs NAME` why it stopped."),
    (r"has active endpoints|network .* is in use|error while removing network|network is being used",
     Conflict,
     "Disconnect or remove the containers attached to the network first "
     "(docker network inspect NAME lists them)."),
    (r"volume is in use|remove .*: volume is in use|volume is being used",
     Conflict,
     "Remove the containers that use the volume first (docker ps -a --filter volume=NAME)."),
    (r"invalid mount config|bind source path does not exist|no such file or directory.*mount"
     r"|bind mount source path does not exist",
     InvalidInput,
     "A bind mount's host path must exist before the container starts. Create it first "
     "(mkdir -p PATH) and give an absolute path."),
    (r"minimum supported API version|client version .* is too (new|old)|not supported by this daemon"
     r"|requires API version|not (available|supported) (for|with|in) API version|InvalidVersion",
     DaemonTooOld,
     "This feature needs a newer Docker Engine. Upgrade Docker, or skip this step."),
    (r"Filesystem does not support Project Quota|volume options size and inodes not supported",
     InvalidInput,
     "Podman's local volume driver reads o=size=... as a disk quota, which this filesystem does not "
     "support (Docker passes it to the tmpfs mount). Leave out size=, or use Docker for this step."),
    (r"executable file not found|no such file or directory: unknown|OCI runtime create failed",
     InvalidInput,
     "The command is not in the image. Small images lack many tools (no bash, ping or ps in "
     "busybox-like images): try `sh`, or check with `docker run --rm IMAGE ls /bin`."),
    (r"No such container|No such network|No such volume|not found",
     NotFound,
     "It may have been removed already; list what exists with docker ps -a, docker network ls "
     "or docker volume ls."),
]


def _explanation(exc: BaseException) -> str:
    expl = getattr(exc, "explanation", None)
    if isinstance(expl, bytes):
        expl = expl.decode(errors="replace")
    text = expl or str(exc)
    return re.sub(r"\s+", " ", text).strip()


def _hint(text: str, cls: type[DockerlabError]) -> str:
    """The hint of the first rule for ``cls`` that matches ``text`` (else of any rule for it)."""
    rules = [(p, h) for p, c, h in _RULES if c is cls]
    return next((h for p, h in rules if re.search(p, text, re.IGNORECASE)), rules[0][1] if rules else "")


def translate(exc: BaseException, command: str = "") -> DockerlabError:
    """Turn any docker-py / requests / OS error into a :class:`DockerlabError`."""
    if isinstance(exc, DockerlabError):
        if command and not exc.command:
            exc.command = command
        return exc
    import docker.errors as de  # the engine is the only layer importing docker
    import requests.exceptions as rq

    text = _explanation(exc)
    if isinstance(exc, PermissionError) or re.search(r"PermissionError|permission denied while trying to connect", text, re.I):
        return PermissionDenied(
            "permission denied on the Docker socket",
            "Your user may not talk to the daemon. Add it to the docker group "
            "(sudo usermod -aG docker $USER, then log in again), or use Docker Desktop / "
            "rootless Docker / Podman and point DOCKER_HOST at its socket.",
            command)
    if isinstance(exc, (rq.ConnectionError, rq.Timeout, ConnectionError, FileNotFoundError)) or (
        isinstance(exc, de.DockerException) and not isinstance(exc, de.APIError)
        and re.search(r"Error while fetching server API version|Connection aborted|connect|No such file", text)
    ):
        return DaemonUnreachable("the Docker daemon is unreachable", CONNECT_HINT, command)
    if isinstance(exc, rq.JSONDecodeError):
        # An empty answer where a document belongs: the container stopped or went away while
        # the engine answered (stats, Podman's top); the caller says which.
        return EmptyAnswer("the engine's answer was empty", "Check the container with docker ps -a.", command)
    if isinstance(exc, de.BuildError):
        return BuildFailed(f"the build failed: {text}",
                           "Read the failing step in the build log; fix that line of the Dockerfile.",
                           command)
    if isinstance(exc, de.ContainerError):
        return DockerlabError(text, "The command ran and exited non-zero; read its output above.", command)
    if isinstance(exc, de.ImageNotFound):
        return ImageNotFound(text, _hint(text, ImageNotFound), command)
    taken = re.search(r"Bind for (\S+) failed: port is already allocated", text)
    if taken:  # Engine 28 puts "failed to set up container networking: ..." in front
        conflict = Conflict(f"host port {taken.group(1)} is already allocated", _hint(text, Conflict), command)
        conflict.detail = text
        return conflict
    missing = re.search(r'exec: "([^"]+)": executable file not found', text)
    if missing:  # each engine words the runtime's refusal its own way around this one fact
        err = InvalidInput(f'the command "{missing.group(1)}" is not in the image (executable file not found in $PATH)',
                           _hint(text, InvalidInput), command)
        err.detail = text  # the engine's own words
        return err
    for pattern, cls, hint in _RULES:
        if re.search(pattern, text, re.IGNORECASE):
            return cls(text, hint, command)
    if isinstance(exc, de.NotFound):
        return NotFound(text, "It may have been removed already.", command)
    if isinstance(exc, de.APIError):
        return DockerlabError(text, "The daemon refused the request; its explanation is above.", command)
    if isinstance(exc, de.DockerException):
        return DockerlabError(text, "", command)
    return DockerlabError(f"{type(exc).__name__}: {text}", "This looks like a bug in dockerlab; please report it.", command)


def from_text(text: str, command: str = "") -> DockerlabError:
    """A DockerlabError for an error the daemon reported inside a stream (a pull's or a
    load's progress), where no exception carries it."""
    import docker.errors as de
    return translate(de.APIError(text, explanation=text), command)


def is_read_timeout(exc: BaseException) -> bool:
    """A read that waited past its timeout (requests, urllib3 and socket say it three ways)."""
    import socket

    import requests.exceptions as rq
    import urllib3.exceptions
    return isinstance(exc, (rq.Timeout, urllib3.exceptions.ReadTimeoutError, socket.timeout)) or (
        isinstance(exc, rq.ConnectionError) and "read timed out" in str(exc).lower())


@contextlib.contextmanager
def translating(command: str = ""):
    """``with translating("docker run ..."):`` re-raises any error as a DockerlabError."""
    try:
        yield
    except DockerlabError as e:
        raise translate(e, command)  # noqa: B904 - the same error, now naming its command
    except Exception as e:
        raise translate(e, command) from e
