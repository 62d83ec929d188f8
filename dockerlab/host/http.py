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
    status, _headers, body = fetch(url, timeout, retries)
    return status, body


def fetch(url: str, timeout: float = 5.0, retries: int = 20,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """(status, response headers, body) of a GET from this machine: what ``curl -i`` shows.
    Header names are lower case (``headers["server"]`` is ``nginx/1.25.5`` for nginx)."""
    last: Exception | None = None
    req = urllib.request.Request(url, headers=headers or {})
    for _ in range(max(1, retries)):
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode(errors="replace")
        except OSError as e:
            last = e
            time.sleep(0.25)
    raise DockerlabError(f"nothing answers at {url}: {last}",
                         "Is the port published (-p HOST:CONTAINER) and the server started? Check `docker ps`.")
