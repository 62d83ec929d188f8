"""Logs, events and stats: the daemon's streams, readable and stoppable.

docker-py's streams deliver frames, not lines, and ``stats(stream=True)`` cannot be
stopped from another thread. Here every stream is a :class:`Follow` whose ``close()``
ends it from any thread, and which yields whole lines (or whole events).

>>> read_logs("web", tail=5)          # doctest: +SKIP
[('stdout', '127.0.0.1 - - "GET / HTTP/1.1" 200')]
"""
from __future__ import annotations

import json
import shlex
import socket
import struct
import threading
import time
from collections.abc import Iterator

from .connection import api, is_podman
from .errors import Conflict, translating

STREAMS = {1: "stdout", 2: "stderr", 0: "stdin"}


def _logs_params(tail, timestamps: bool, follow: bool, since=None) -> dict:
    p = {"stdout": 1, "stderr": 1, "timestamps": int(timestamps), "follow": int(follow),
         "tail": "all" if tail in (None, "all") else str(int(tail))}
    if since is not None:
        p["since"] = int(since)
    return p


def _frames(raw, tty: bool) -> Iterator[tuple[str, bytes]]:
    """Demultiplex the log stream: 8-byte headers (stream id, length) unless a TTY."""
    if tty:
        while True:
            chunk = raw.read1(65536) if hasattr(raw, "read1") else raw.read(4096)
            if not chunk:
                return
            yield "stdout", chunk
    while True:
        header = raw.read(8)
        if len(header) < 8:
            return
        stream, length = struct.unpack(">BxxxL", header)
        data = raw.read(length)
        yield STREAMS.get(stream, "stdout"), data


def _lines(frames: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, str]]:
    """Frames arrive cut anywhere: buffer per stream and yield whole lines."""
    buf = {"stdout": b"", "stderr": b""}
    for stream, data in frames:
        buf[stream] = buf.get(stream, b"") + data
        *done, buf[stream] = buf[stream].split(b"\n")
        for line in done:
            yield stream, line.decode(errors="replace").rstrip("\r")
    for stream, rest in buf.items():
        if rest:
            yield stream, rest.decode(errors="replace")


def _is_tty(ref: str) -> bool:
    return bool(api().inspect_container(ref)["Config"].get("Tty"))


def read_logs(ref: str, tail="all", timestamps: bool = False, since=None) -> list[tuple[str, str]]:
    """``docker logs [--tail N] [-t] REF`` as (stream, line) pairs."""
    cmd = "docker logs " + (f"--tail {tail} " if tail not in (None, "all") else "") + \
          ("-t " if timestamps else "") + shlex.quote(ref)
    with translating(cmd):
        a = api()
        tty = _is_tty(ref)
        res = a._get(a._url("/containers/{0}/logs", ref), params=_logs_params(tail, timestamps, False, since),
                     stream=True)
        a._raise_for_status(res)
        try:
            return list(_lines(_frames(res.raw, tty)))
        finally:
            res.close()


class Follow:
    """An open stream of the daemon; iterate it in a thread, ``close()`` it from any other."""

    def __init__(self, response, items: Iterator, cmd: str):
        self._response = response
        self._items = items
        self.cmd = cmd
        self.closed = threading.Event()

    def __iter__(self):
        try:
            for item in self._items:
                if self.closed.is_set():
                    return
                yield item
        except Exception:  # noqa: BLE001 - a closed socket ends the stream, that is all
            if not self.closed.is_set():
                raise
        finally:
            self.closed.set()

    def close(self) -> None:
        self.closed.set()
        try:  # the socket under urllib3's response, as docker-py's CancellableStream finds it
            fp = self._response.raw._fp.fp
            raw = getattr(fp, "raw", fp)
            sock = getattr(raw, "sock", None) or getattr(raw, "_sock", None)
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # noqa: BLE001 - already closed, or another transport
            pass
        try:
            self._response.close()
        except Exception:  # noqa: BLE001
            pass


def follow_logs(ref: str, tail=10, timestamps: bool = False) -> Follow:
    """``docker logs -f``: yields (stream, line) until the container stops or close()."""
    cmd = f"docker logs -f --tail {tail} " + ("-t " if timestamps else "") + shlex.quote(ref)
    with translating(cmd):
        a = api()
        tty = _is_tty(ref)
        res = a._get(a._url("/containers/{0}/logs", ref), params=_logs_params(tail, timestamps, True),
                     stream=True, timeout=None)
        a._raise_for_status(res)
    return Follow(res, _lines(_frames(res.raw, tty)), cmd)


def follow_events(filters: dict | None = None, since: float | None = None) -> Follow:
    """``docker events``: yields one decoded event dict at a time until close()."""
    cmd = "docker events" + "".join(f" --filter {shlex.quote(k + '=' + v)}"
                                    for k, vs in (filters or {}).items() for v in vs)
    server, key_only = dict(filters or {}), []
    if server.get("label") and is_podman():
        # Podman's events match label=KEY=VALUE but never label=KEY (every session's events):
        # ask for all events and keep those carrying the key here.
        key_only = [k for k in server["label"] if "=" not in k]
        server["label"] = [k for k in server["label"] if "=" in k]
        if not server["label"]:
            del server["label"]
    with translating(cmd):
        a = api()
        params = {"filters": json.dumps(server)}
        if since is not None:
            params["since"] = str(int(since))
        res = a._get(a._url("/events"), params=params, stream=True, timeout=None)
        a._raise_for_status(res)

    def decode():
        buf = b""
        for chunk in res.iter_content(chunk_size=None):
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.strip():
                    event = json.loads(line)
                    attrs = (event.get("Actor") or {}).get("Attributes") or {}
                    if all(k in attrs for k in key_only):
                        yield event
    return Follow(res, decode(), cmd)


def stats_sample(ref: str) -> dict:
    """One stats document: ``one_shot`` where the daemon has it (API ≥ 1.41), so it
    returns at once without ``precpu_stats``; callers keep the previous sample for CPU %."""
    cmd = f"docker stats --no-stream {shlex.quote(ref)}"
    with translating(cmd):
        a = api()
        params = {"stream": "false"}
        if _api_at_least("1.41"):
            params["one-shot"] = "true"
        res = a._get(a._url("/containers/{0}/stats", ref), params=params)
        a._raise_for_status(res)
        if not res.content.strip():
            # The container stopped or went away while the daemon sampled it.
            raise Conflict(f"container {ref!r} stopped or was removed while it was sampled",
                           "Check it with docker ps -a; a stopped container has no stats.", cmd)
        return res.json()


def _api_at_least(v: str) -> bool:
    from docker.utils import version_gte
    return version_gte(api()._version, v)


def cpu_percent(prev: dict | None, cur: dict) -> float | None:
    """CPU % between two samples, the way ``docker stats`` computes it."""
    if not prev:
        return None
    try:
        cpu = cur["cpu_stats"]["cpu_usage"]["total_usage"] - prev["cpu_stats"]["cpu_usage"]["total_usage"]
        system = cur["cpu_stats"]["system_cpu_usage"] - prev["cpu_stats"]["system_cpu_usage"]
        ncpu = cur["cpu_stats"].get("online_cpus") or len(cur["cpu_stats"]["cpu_usage"].get("percpu_usage") or [1])
    except (KeyError, TypeError):
        return None
    if system <= 0 or cpu < 0:
        return 0.0
    return cpu / system * ncpu * 100.0


def summarize_stats(doc: dict, prev: dict | None = None) -> dict:
    """The columns of ``docker stats`` from one sample (and the one before, for CPU %)."""
    mem = doc.get("memory_stats") or {}
    usage = mem.get("usage", 0) - (mem.get("stats") or {}).get("cache", 0)
    limit = mem.get("limit", 0) or 0
    nets = doc.get("networks") or {}
    rx = sum(n.get("rx_bytes", 0) for n in nets.values())
    tx = sum(n.get("tx_bytes", 0) for n in nets.values())
    blk = (doc.get("blkio_stats") or {}).get("io_service_bytes_recursive") or []
    rd = sum(e.get("value", 0) for e in blk if e.get("op", "").lower() == "read")
    wr = sum(e.get("value", 0) for e in blk if e.get("op", "").lower() == "write")
    return {"name": (doc.get("name") or "").lstrip("/"), "cpu_percent": cpu_percent(prev, doc),
            "mem_bytes": max(usage, 0), "mem_limit": limit,
            "mem_percent": (usage / limit * 100.0) if limit else None,
            "net_rx": rx, "net_tx": tx, "block_read": rd, "block_write": wr,
            "pids": (doc.get("pids_stats") or {}).get("current"), "time": time.time()}
