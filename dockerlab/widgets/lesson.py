"""A lesson's frame in a notebook: objectives, time, progress, and cleanup at the end.

>>> lesson = Lesson("01-running", "Running containers", minutes=40,
...                 objectives=["run a container", "see it as a host process"])   # doctest: +SKIP
>>> lesson.cleanup()                                                               # doctest: +SKIP
"""
from __future__ import annotations

import ipywidgets

from ..commands.result import Result
from ..engine import client as connection
from ..session import cleanup, lesson
from .base import connection_html, esc
from .exercise import CheckWidget, ProgressWidget


class Lesson(ipywidgets.VBox):
    """Shown at the top of every notebook; labels what the notebook creates with its id."""

    def __init__(self, lesson_id: str, title: str, minutes: int, objectives: list[str], **kwargs):
        super().__init__(**kwargs)
        self.add_class("dockerlab")
        self.id, self.title, self.minutes, self.objectives = lesson_id, title, minutes, list(objectives)
        lesson.set_lesson(lesson_id)
        self.daemon = connection.ping()
        items = "".join(f"<li>{esc(o)}</li>" for o in self.objectives)
        self.intro = ipywidgets.HTML(
            f"<div class='dl-header'><b>{esc(title)}</b> <span style='opacity:.7'>— about {minutes} minutes</span>"
            f"<div>By the end you can:</div><ul style='margin:2px 0'>{items}</ul></div>")
        self.progress = ProgressWidget(lesson_id)
        panel = [] if self.daemon else [ipywidgets.HTML(connection_html())]
        self.children = [self.intro, *panel, self.progress]

    def exercise(self, exercise_id: str) -> CheckWidget:
        return CheckWidget(exercise_id)

    def cleanup(self) -> Result:
        """Remove everything this notebook created (labelled with its session); nothing else."""
        if not connection.ping():
            return Result(["dockerlab clean"], None, "no daemon: nothing to clean")
        report = cleanup.clean_session()
        self.progress.refresh()
        left = cleanup.session_leftovers()
        # Image counts are not stable (two tags of one image count once, and the build cache
        # is shared on a daemon): the proof is what is left, which must be nothing.
        text = (f"removed {cleanup.count(report.containers, 'container')}, "
                f"{cleanup.count(report.networks, 'network')}, {cleanup.count(report.volumes, 'volume')} "
                f"and this notebook's images; "
                f"left behind: {', '.join(left) if left else 'nothing'}")
        return Result(["dockerlab clean   # this notebook's containers, networks, volumes, images"],
                      report, text)

    def __repr__(self) -> str:
        state = "daemon connected" if self.daemon else "no daemon: read-only"
        return f"Lesson({self.id}: {self.title}, {self.minutes} min, {state})"
