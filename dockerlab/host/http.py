"""An HTTP probe from this machine: what a learner's ``curl`` would see.

>>> get("http://127.0.0.1:8080/")     # doctest: +SKIP
(200, '<!DOCTYPE html>...')
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request

from ..engine.errors import DockerlabError


def get(url: str, timeout: float = 5.0, retries: int = 20) -> tuple[int, str]:
    """(status, body) of a GET from this machine, retrying while a server starts."""
    last: Exception | None = None
    for _ in range(retries):
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")
        except OSError as e:
            last = e
            time.sleep(0.25)
    raise DockerlabError(f"nothing answers at {url}: {last}",
                         "Is the port published (-p HOST:CONTAINER) and the server started? Check `docker ps`.")
