"""Logs, events and stats: the daemon's streams, readable and stoppable.

docker-py's streams deliver frames, not lines, and ``stats(stream=True)`` cannot be
stopped from another thread. Here every stream is a :class:`Follow` (docker-py's
``CancellableStream``) whose ``close()`` ends it from any thread, and which yields whole
lines (or whole events).

>>> read_logs("web", tail=5)          # doctest: +SKIP
[('stdout', '127.0.0.1 - - "GET / HTTP/1.1" 200')]
"""
from __future__ import annotations

import shlex
import struct
import time
from collections.abc import Callable, Iterator

from docker.types import CancellableStream
from docker.utils import version_gte

from . import podman
from .client import engine
from .errors import Conflict, EmptyAnswer, translating

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
    return bool(engine().inspect_container(ref)["Config"].get("Tty"))


def read_logs(ref: str, cmd: str, tail="all", timestamps: bool = False, since=None) -> list[tuple[str, str]]:
    """A container's log as (stream, line) pairs; ``cmd`` is its ``docker logs`` line."""
    with translating(cmd):
        tty = _is_tty(ref)
        res = engine().logs_response(ref, _logs_params(tail, timestamps, False, since))
        try:
            return list(_lines(_frames(res.raw, tty)))
        finally:
            res.close()


class Follow:
    """An open stream of the daemon: iterate it in a thread, ``close()`` it from any other.
    docker-py's CancellableStream does the closing; this adds the ``docker`` line it follows
    and an optional filter on the items."""

    def __init__(self, stream: CancellableStream, cmd: str, keep: Callable[[dict], bool] | None = None):
        self._stream = stream
        self._keep = keep
        self.cmd = cmd

    def __iter__(self):
        for item in self._stream:
            if self._keep is None or self._keep(item):
                yield item

    def close(self) -> None:
        try:
            self._stream.close()
        except Exception:  # noqa: BLE001 - already closed, or another transport
            pass


def follow_logs(ref: str, cmd: str, tail=10, timestamps: bool = False) -> Follow:
    """``docker logs -f`` (its line is ``cmd``): yields (stream, line) until the container
    stops or close()."""
    with translating(cmd):
        tty = _is_tty(ref)
        res = engine().logs_response(ref, _logs_params(tail, timestamps, True), timeout=None)
    return Follow(CancellableStream(_lines(_frames(res.raw, tty)), res), cmd)


def follow_events(filters: dict | None = None, since: float | None = None) -> Follow:
    """``docker events``: yields one decoded event dict at a time until close()."""
    cmd = "docker events" + "".join(f" --filter {shlex.quote(k + '=' + v)}"
                                    for k, vs in (filters or {}).items() for v in vs)
    server, key_only = podman.event_filters(filters or {})
    with translating(cmd):
        stream = engine().events(filters=server or None, since=None if since is None else int(since), decode=True)

    def keep(event: dict) -> bool:
        attrs = (event.get("Actor") or {}).get("Attributes") or {}
        return all(k in attrs for k in key_only)
    return Follow(stream, cmd, keep if key_only else None)


def stats_sample(ref: str) -> dict:
    """One stats document: ``one_shot`` where the daemon has it (API >= 1.41), so it
    returns at once without ``precpu_stats``; callers keep the previous sample for CPU %."""
    cmd = f"docker stats --no-stream {shlex.quote(ref)}"
    e = engine()
    with translating(cmd):
        try:
            one_shot = True if version_gte(e.api_version, "1.41") else None
            return e.stats(ref, stream=False, one_shot=one_shot)
        except EmptyAnswer:
            # The container stopped or went away while the daemon sampled it.
            raise Conflict(f"container {ref!r} stopped or was removed while it was sampled",
                           "Check it with docker ps -a; a stopped container has no stats.", cmd) from None


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
