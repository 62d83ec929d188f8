"""A learner's progress: which exercises passed, in a small local JSON file.

``DOCKERLAB_PROGRESS`` names the file (tests and CI point it at a temporary one);
otherwise ``$XDG_DATA_HOME/dockerlab/progress.json``.

>>> record("01-web-db", True)          # doctest: +SKIP
>>> passed()
{'01-web-db'}
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from pathlib import Path

_lock = threading.Lock()


def path() -> Path:
    env = os.environ.get("DOCKERLAB_PROGRESS")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "dockerlab" / "progress.json"


def load() -> dict:
    try:
        data = json.loads(path().read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def record(exercise_id: str, ok: bool) -> None:
    """Remember a pass (a later failure does not erase an earlier pass)."""
    with _lock:
        data = load()
        entry = data.get(exercise_id) or {}
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        if ok and not entry.get("passed"):
            entry["passed"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        data[exercise_id] = entry
        p = path()
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".progress-")
            with os.fdopen(fd, "w") as f:
                json.dump(data, f, indent=1, sort_keys=True)
            os.replace(tmp, p)  # atomic: two kernels never leave half a file
        except OSError:
            pass  # a read-only home (some hubs) must not break a check


def passed() -> set[str]:
    return {k for k, v in load().items() if isinstance(v, dict) and v.get("passed")}


def reset(ids: list[str] | None = None) -> None:
    with _lock:
        data = {} if ids is None else {k: v for k, v in load().items() if k not in ids}
        p = path()
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(data))
