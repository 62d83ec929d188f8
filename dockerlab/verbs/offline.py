"""Notebooks without a daemon (Binder, a laptop without Docker) still run top to bottom.

A verb whose daemon is gone returns :data:`OFFLINE`, which absorbs whatever the notebook
does next and says the step did not run, instead of raising.

>>> str(OFFLINE + 1) == OFFLINE_TEXT
True
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from ..engine.errors import DaemonUnreachable

OFFLINE_TEXT = "(no Docker daemon answers: this step did not run; see how to connect one at the top)"
F = TypeVar("F", bound=Callable[..., Any])


class Offline:
    """What a call returns when no daemon answers."""

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *a, **k):
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __bool__(self):
        return False

    def __eq__(self, other):
        return other is self

    def __hash__(self):
        return 0

    def __format__(self, spec):
        return "n/a"

    def __repr__(self):
        return OFFLINE_TEXT

    __str__ = __repr__
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __call__
    __lt__ = __le__ = __gt__ = __ge__ = lambda self, other: False


OFFLINE = Offline()


def offline_safe(fn: F) -> F:
    """A daemon that is gone turns into OFFLINE for the notebook, not an exception."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DaemonUnreachable:
            return OFFLINE
    return wrapper  # type: ignore[return-value]


def offline_in(fn: F) -> F:
    """Also OFFLINE when a value that came OFFLINE from an earlier call is passed in."""
    safe = offline_safe(fn)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        values = [*args, *kwargs.values()]
        values += [x for v in values if isinstance(v, dict) for x in v.values()]
        if any(isinstance(v, Offline) for v in values):
            return OFFLINE
        return safe(*args, **kwargs)
    return wrapper  # type: ignore[return-value]
