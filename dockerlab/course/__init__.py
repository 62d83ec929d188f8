"""Exercise checkers: read the daemon through reads/, report pass/fail with a hint.

    $ dockerlab check --list
    $ dockerlab check 01-web-db
"""
from __future__ import annotations

import sys

from .base import CheckResult, Exercise, Incorrect, NotAttempted, check, ensure, exercise, for_lesson, get, load_all

__all__ = ["CheckResult", "Exercise", "Incorrect", "NotAttempted", "check", "ensure", "exercise", "for_lesson",
           "get", "load_all", "run_check"]


def run_check(exercise_id: str | None, list_only: bool = False, answer: str | None = None) -> int:
    """``dockerlab check``: exit 0 pass, 1 fail (with a hint)."""
    from . import progress
    if list_only:
        done = progress.passed()
        for ex in sorted(load_all().values(), key=lambda e: e.id):
            print(f"{'✔' if ex.id in done else ' '} {ex.id:<24} {ex.title}")
        return 0
    result = check(exercise_id, answer=answer)
    print(repr(result), file=sys.stdout if result.passed else sys.stderr)
    return 0 if result.passed else 1
