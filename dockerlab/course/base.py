"""Exercises: a checker reads the daemon's real state and passes, or says what is wrong.

A checker is a function that raises :class:`Incorrect` (something is off: message + hint)
or :class:`NotAttempted` (nothing there yet), and returns a short success message.
How a result is shown (widget, CLI) lives elsewhere; checkers never print.

>>> @exercise("00-demo", lesson="00-demo", title="A demo", prompt="Run a container named demo.")
... def check_demo(answer=None):
...     return "demo is there"
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from ..engine.errors import DockerlabError


class Incorrect(Exception):
    """The learner's state is not what the exercise asks; ``hint`` says how to get there."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


class NotAttempted(Incorrect):
    """Nothing of the exercise exists yet."""


def ensure(condition, message: str, hint: str = "") -> None:
    if not condition:
        raise Incorrect(message, hint)


@dataclass(frozen=True)
class Exercise:
    id: str
    lesson: str
    title: str
    prompt: str
    hints: tuple[str, ...]
    checker: Callable
    takes_answer: bool = False
    solution_cli: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    status: str  # passed | failed | not-attempted | error
    message: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def __repr__(self) -> str:
        mark = {"passed": "PASS", "failed": "FAIL", "not-attempted": "TODO", "error": "ERROR"}[self.status]
        text = f"{mark} {self.exercise}: {self.message}"
        return text + (f"\n  hint: {self.hint}" if self.hint and not self.passed else "")

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self))


REGISTRY: dict[str, Exercise] = {}
_LOADED = {"done": False}


def exercise(id: str, lesson: str, title: str, prompt: str, hints=(), solution_cli=()):  # noqa: A002 - the id learners type
    """Register a checker function as an exercise."""
    def wrap(fn):
        takes_answer = "answer" in inspect.signature(fn).parameters
        REGISTRY[id] = Exercise(id, lesson, title, prompt, tuple(hints), fn, takes_answer, tuple(solution_cli))
        return fn
    return wrap


def load_all() -> dict[str, Exercise]:
    """Import every lesson's exercise module (they register themselves)."""
    if not _LOADED["done"]:
        import importlib
        import pkgutil

        from .. import course as pkg
        for mod in sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)):
            if mod.startswith("lesson"):
                importlib.import_module(f"{pkg.__name__}.{mod}")
        _LOADED["done"] = True
    return REGISTRY


def get(exercise_id: str) -> Exercise:
    ex = load_all().get(exercise_id) if isinstance(exercise_id, str) else None
    if ex is None:
        known = ", ".join(sorted(REGISTRY)) or "none"
        raise DockerlabError(f"no exercise {exercise_id!r}", f"Known exercises: {known}.")
    return ex


def for_lesson(lesson: str) -> list[Exercise]:
    return [e for e in load_all().values() if e.lesson == lesson]


def check(exercise_id: str, answer: str | None = None, record: bool = True) -> CheckResult:
    """Run one checker against the daemon; never raises for a learner's mistake."""
    ex = get(exercise_id)
    if answer is not None and not isinstance(answer, str):
        answer = str(answer)  # check("01-rm-answer", answer=12): a number is an answer too
    try:
        kwargs = {"answer": answer} if ex.takes_answer else {}
        msg = ex.checker(**kwargs) or "all good"
        result = CheckResult(ex.id, "passed", msg)
    except NotAttempted as e:
        result = CheckResult(ex.id, "not-attempted", e.message, e.hint or (ex.hints[0] if ex.hints else ""))
    except Incorrect as e:
        result = CheckResult(ex.id, "failed", e.message, e.hint)
    except DockerlabError as e:
        result = CheckResult(ex.id, "error", e.message, e.hint)
    if record:
        from .progress import record as record_progress
        record_progress(ex.id, result.passed)
    return result
