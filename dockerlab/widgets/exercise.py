"""CheckWidget and ProgressWidget: exercises in a notebook.

>>> CheckWidget("01-web-db")          # doctest: +SKIP
>>> ProgressWidget("01-running")      # doctest: +SKIP
"""
from __future__ import annotations

import ipywidgets

from ..course import base as ex_base
from ..course import progress
from .base import COLORS, esc

_MARK = {"passed": ("✔", COLORS["ok"]), "failed": ("✘", COLORS["fail"]),
         "not-attempted": ("…", COLORS["warn"]), "error": ("!", COLORS["fail"])}


def result_html(r: ex_base.CheckResult) -> str:
    mark, color = _MARK[r.status]
    hint = f"<div><b>Hint:</b> {esc(r.hint)}</div>" if r.hint and not r.passed else ""
    return (f"<div class='dl-check-result' style='border-left:4px solid {color}; padding:4px 8px'>"
            f"<b style='color:{color}'>{mark} {esc(r.status.replace('-', ' '))}</b> — {esc(r.message)}{hint}</div>")


class CheckWidget(ipywidgets.VBox):
    """An exercise: its prompt, a Check button (and an answer box when it asks a question),
    hints one at a time, and the result. Works without a daemon: the result says so."""

    def __init__(self, exercise_id: str, show_prompt: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.add_class("dockerlab")
        self.exercise = ex_base.get(exercise_id)
        e = self.exercise
        self.header = ipywidgets.HTML(f"<div class='dl-header'><b>Exercise {esc(e.id)}</b> — {esc(e.title)}</div>")
        self.prompt = ipywidgets.HTML(f"<div>{esc(e.prompt)}</div>" if show_prompt else "")
        self.answer = ipywidgets.Text(placeholder="your answer", description="Answer:",
                                      layout=ipywidgets.Layout(display=None if e.takes_answer else "none"))
        self.check_button = ipywidgets.Button(description="Check", icon="check", button_style="primary")
        self.hint_button = ipywidgets.Button(description="Hint", icon="lightbulb-o",
                                             disabled=not e.hints)
        self.hints_shown = 0
        self.hints_box = ipywidgets.HTML("")
        self.result = ipywidgets.HTML("<div class='dl-check-result' style='opacity:.7'>not checked yet</div>")
        self.last: ex_base.CheckResult | None = None
        self.check_button.on_click(lambda _b: self._on_check())
        self.hint_button.on_click(lambda _b: self.next_hint())
        self.children = [self.header, self.prompt, self.answer,
                         ipywidgets.HBox([self.check_button, self.hint_button]), self.hints_box, self.result]

    def check(self, answer: str | None = None) -> ex_base.CheckResult:
        """Run the checker now (the Check button does the same) and show the result."""
        if answer is not None:
            self.answer.value = answer
        self.last = ex_base.check(self.exercise.id, answer=self.answer.value or None)
        self.result.value = result_html(self.last)
        if self.last.status == "not-attempted" and not self.hints_shown and self.exercise.hints:
            self.next_hint()  # checked before trying: the first hint shows where to start
        return self.last

    def _on_check(self) -> None:
        """The Check button: whatever goes wrong is shown in the widget, never as a traceback."""
        try:
            self.check()
        except Exception as e:  # noqa: BLE001 - the callback boundary: ipywidgets would swallow it
            self.last = ex_base.CheckResult(self.exercise.id, "error", f"the check itself failed: {e}")
            self.result.value = result_html(self.last)

    def next_hint(self) -> None:
        hints = self.exercise.hints
        self.hints_shown = min(self.hints_shown + 1, len(hints))
        self.hints_box.value = "".join(f"<div>💡 {esc(h)}</div>" for h in hints[:self.hints_shown])
        self.hint_button.disabled = self.hints_shown >= len(hints)

    def __repr__(self) -> str:
        status = self.last.status if self.last else "not checked yet"
        return f"CheckWidget({self.exercise.id}: {status})"


class ProgressWidget(ipywidgets.VBox):
    """A lesson's exercises, ticked when passed (read from the local progress file)."""

    def __init__(self, lesson: str, **kwargs):
        super().__init__(**kwargs)
        self.add_class("dockerlab")
        self.lesson = lesson
        self.bar = ipywidgets.IntProgress(min=0, max=1, value=0, bar_style="success",
                                          layout=ipywidgets.Layout(width="240px"))
        self.label = ipywidgets.HTML("")
        self.listing = ipywidgets.HTML("")
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh",
                                                layout=ipywidgets.Layout(width="auto"))
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.children = [ipywidgets.HBox([self.bar, self.label, self.refresh_button]), self.listing]
        self.refresh()

    def refresh(self) -> None:
        exercises = sorted(ex_base.for_lesson(self.lesson), key=lambda e: e.id)
        done = progress.passed()
        self.passed = [e.id for e in exercises if e.id in done]
        self.total = len(exercises)
        self.bar.max = max(self.total, 1)
        self.bar.value = len(self.passed)
        self.label.value = f"<b>&nbsp;{len(self.passed)} of {self.total} exercises passed</b>&nbsp;"
        self.listing.value = "<br>".join(
            f"{'✔' if e.id in done else '○'} <code>{esc(e.id)}</code> {esc(e.title)}" for e in exercises)

    def __repr__(self) -> str:
        return f"ProgressWidget({self.lesson}: {len(self.passed)} of {self.total} exercises passed)"
