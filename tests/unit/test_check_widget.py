"""A learner who checks before trying (or runs the exercise's cell empty, then checks) gets
"not attempted" and the exercise's first hint, never a traceback: CheckWidget and course.check
with checkers that raise, no daemon needed."""
from __future__ import annotations

import pytest

from dockerlab.course import base
from dockerlab.widgets.exercise import CheckWidget

HINTS = ("first: start here", "second: then this")


@pytest.fixture
def demo():
    """Two throwaway exercises: one not attempted until answered, one whose checker breaks."""
    @base.exercise("00-early", lesson="00-demo", title="Early", prompt="Answer 42.", hints=HINTS)
    def _early(answer=None):
        if not (answer or "").strip():
            raise base.NotAttempted("answer the number you found", "run the cell above first")
        base.ensure(answer.strip() == "42", f"{answer.strip()!r} is not it", "count again")
        return "42 it is"

    @base.exercise("00-broken", lesson="00-demo", title="Broken", prompt="Anything.", hints=HINTS)
    def _broken():
        raise RuntimeError("a bug in the checker")

    yield
    for key in ("00-early", "00-broken"):
        base.REGISTRY.pop(key, None)


def test_check_before_trying_is_not_attempted_with_the_first_hint(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "progress.json"))
    w = CheckWidget("00-early")
    assert "not checked yet" in w.result.value and w.hints_box.value == ""
    r = w.check()                      # the exercise's cell ran empty: the answer box is empty too
    assert r.status == "not-attempted" and r.hint == "run the cell above first"
    assert "not attempted" in w.result.value and "Traceback" not in w.result.value
    assert HINTS[0] in w.hints_box.value and HINTS[1] not in w.hints_box.value
    assert w.hints_shown == 1 and repr(w) == "CheckWidget(00-early: not-attempted)"
    w.check()                          # checking again does not reveal more hints
    assert w.hints_shown == 1


def test_check_button_before_trying_then_with_answers(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "progress.json"))
    w = CheckWidget("00-early")
    w.check_button.click()
    assert w.last.status == "not-attempted" and HINTS[0] in w.hints_box.value
    w.answer.value = "41"
    w.check_button.click()
    assert w.last.status == "failed" and "count again" in w.result.value
    w.answer.value = "42"
    w.check_button.click()
    assert w.last.passed and "passed" in w.result.value


def test_a_broken_checker_is_shown_by_the_button_not_raised(demo, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "progress.json"))
    w = CheckWidget("00-broken")
    w.check_button.click()             # ipywidgets would swallow an exception: the widget shows it
    assert w.last.status == "error" and "a bug in the checker" in w.result.value
