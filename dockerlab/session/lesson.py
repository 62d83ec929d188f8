"""The lesson this kernel is in: every resource made now is labelled with it.

Set by the lesson frame (``dl.Lesson("01-running")``); read by every command that creates.

>>> set_lesson("01-running"); current()
'01-running'
"""
from __future__ import annotations

_lesson: str | None = None


def set_lesson(lesson: str | None) -> None:
    global _lesson
    _lesson = lesson


def current() -> str | None:
    return _lesson
