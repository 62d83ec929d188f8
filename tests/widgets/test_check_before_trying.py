"""Every course exercise, checked before the learner did anything (a fresh session in a scope
of its own, so hand-made containers of others on a shared daemon do not count): "not
attempted" and the exercise's first hint in the widget, never "failed" and never a traceback.
This is what the learner notebooks store."""
from __future__ import annotations

import uuid

import pytest

from dockerlab.course import base
from dockerlab.widgets.base import esc
from dockerlab.widgets.exercise import CheckWidget

pytestmark = pytest.mark.docker
EXERCISES = sorted(base.load_all())


def test_there_are_course_exercises():
    assert len(EXERCISES) >= 15, EXERCISES


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_check_before_trying(exercise_id, session, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SCOPE", f"c{uuid.uuid4().int % 10**9}")
    monkeypatch.setenv("DOCKERLAB_PROGRESS", str(tmp_path / "progress.json"))
    w = CheckWidget(exercise_id)
    w.check_button.click()
    assert w.last.status == "not-attempted", w.last
    assert "not attempted" in w.result.value
    assert esc(w.exercise.hints[0]) in w.hints_box.value and w.hints_shown == 1
