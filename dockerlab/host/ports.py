"""Free ports on this machine: the one check behind `dockerlab doctor`, `dockerlab lab`
and the notebooks' ``dl.free_port``.

>>> first_free_port(8080) in range(8080, 8281)      # doctest: +SKIP
True
"""
from __future__ import annotations

import socket


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Nobody listens on ``host:port`` (connections in TIME_WAIT do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False


def first_free_port(start: int, host: str = "127.0.0.1", tries: int = 200) -> int | None:
    """The first free port from ``start`` on, or None after ``tries`` ports."""
    return next((p for p in range(start, start + tries + 1) if port_free(p, host)), None)


def free_port(preferred: int = 8080, scope: str = "") -> int | None:
    """``preferred`` if nothing listens there on 127.0.0.1, else the next free port. Learners
    sharing a daemon (a classroom ``scope``) start their search at different ports."""
    import zlib
    if scope:
        preferred += 16 * (zlib.crc32(scope.encode()) % 64)
    return first_free_port(preferred)
