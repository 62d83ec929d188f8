"""LogViewer: ``docker logs`` of one container — tail, follow, timestamps, search.

stdout and stderr are told apart (a marker and a colour per line): a program's errors
usually go to stderr, and learners often miss that ``docker logs`` shows both.

>>> LogViewer("web", tail=20)          # doctest: +SKIP
LogViewer(web: last 20 lines)
"""
from __future__ import annotations

import re
import threading
import time
from collections import deque

import ipywidgets

from ..commands import container as C
from .base import COLORS, MONO, LabWidget, esc

#: Lines kept in memory: a follow of a chatty container must not grow without bound.
MAX_LINES = 2000
#: Lines rendered at once (the newest): a long HTML value slows the browser more than the kernel.
SHOWN_LINES = 500
#: While following, re-render at most this often (seconds).
RENDER_EVERY = 0.2


def _line_html(stream: str, text: str, needle: str) -> str:
    color = COLORS["fail"] if stream == "stderr" else "inherit"
    body = esc(text)
    if needle:
        body = re.sub(re.escape(esc(needle)), lambda m: f"<mark>{m.group(0)}</mark>", body, flags=re.I)
    marker = "err" if stream == "stderr" else "out"
    return (f"<div class='dl-log-{stream}' style='color:{color}'>"
            f"<span style='opacity:.5; user-select:none'>{marker} │ </span>{body}</div>")


class LogViewer(LabWidget):
    """The log of one container; Follow streams new lines in the background until Stop,
    until the container stops, or until the widget closes.

    >>> v = LogViewer("web", tail=50)                        # doctest: +SKIP
    >>> v.follow_button.click(); v.stop_button.click()      # doctest: +SKIP
    """

    title = "Logs"
    subtitle = "docker logs: what the container's main process wrote (stdout and stderr)"

    def __init__(self, container: str, tail: int = 50, timestamps: bool = False, follow: bool = False,
                 max_lines: int = MAX_LINES, **kwargs):
        self.container = container
        self._init = {"tail": tail, "timestamps": timestamps}
        self.lines: deque[tuple[str, str]] = deque(maxlen=max_lines)
        self._lock = threading.Lock()
        self._follow: C.Follow | None = None
        self._follow_thread: threading.Thread | None = None
        super().__init__(**kwargs)
        if follow and self.connected:
            self.follow_button.click()

    def build(self):
        self.tail = ipywidgets.BoundedIntText(value=self._init["tail"], min=0, max=MAX_LINES,
                                              description="tail", layout={"width": "140px"})
        self.timestamps = ipywidgets.Checkbox(value=self._init["timestamps"], description="timestamps (-t)",
                                              indent=False, layout={"width": "140px"})
        self.search = ipywidgets.Text(placeholder="search…", continuous_update=True, layout={"width": "200px"})
        self.load_button = ipywidgets.Button(description="Load", icon="refresh", tooltip="docker logs --tail N")
        self.follow_button = ipywidgets.Button(description="Follow", icon="play", tooltip="docker logs -f")
        self.stop_button = ipywidgets.Button(description="Stop", icon="stop", disabled=True)
        self.view = ipywidgets.HTML("", layout={"max_height": "320px", "overflow": "auto"})
        self.load_button.on_click(lambda _b: self.action(self.refresh, describe="reading logs…"))
        self.follow_button.on_click(lambda _b: self.action(self.start_follow, describe="following…"))
        self.stop_button.on_click(lambda _b: self.action(self.stop_background, describe=None))
        self.search.observe(lambda _c: self.action(self.render, describe=None), "value")
        return [ipywidgets.HBox([self.tail, self.timestamps, self.search]),
                ipywidgets.HBox([self.load_button, self.follow_button, self.stop_button]), self.view]

    # ----------------------------------------------------------- daemon IO
    def refresh(self) -> None:
        """``docker logs --tail N [-t]``: replaces what is shown (stops a follow first)."""
        self.stop_background()
        tail = int(self.tail.value)
        got = C.logs(self.container, tail=tail, timestamps=self.timestamps.value).value
        with self._lock:
            self.lines.clear()
            self.lines.extend(got)
        self.show_cli(self._cli(follow=False))
        self.render()

    def start_follow(self) -> None:
        """``docker logs -f --tail N``: the last N lines, then new ones as they come."""
        self.stop_background()
        follow = C.follow_logs(self.container, tail=int(self.tail.value), timestamps=self.timestamps.value)
        with self._lock:
            self.lines.clear()
        self._follow = follow
        self.show_cli(follow.cmd)
        self.follow_button.disabled, self.stop_button.disabled = True, False
        self._follow_thread = self.run_thread(lambda: self._pump(follow), f"logs-{self.container}")

    def _pump(self, follow: C.Follow) -> None:
        last = 0.0
        try:
            for item in follow:
                with self._lock:
                    self.lines.append(item)
                if time.monotonic() - last > RENDER_EVERY:
                    last = time.monotonic()
                    self.render()
        finally:
            stopped_by_us = self._follow is not follow  # stop_background() forgets it first
            if self._follow is follow:
                self._follow = None
                self.follow_button.disabled, self.stop_button.disabled = False, True
            self.render()
            if not stopped_by_us and not self._stop.is_set():
                self.set_status("follow ended: the container stopped or was removed", "warn")

    @property
    def following(self) -> bool:
        return self._follow is not None

    def stop_background(self) -> None:
        follow, self._follow = self._follow, None
        if follow is not None:
            self.end_follow(follow, self._follow_thread)
            self.set_status("follow stopped", "info")
        if self._built:
            self.follow_button.disabled, self.stop_button.disabled = False, True

    # ----------------------------------------------------------- view
    def _cli(self, follow: bool) -> str:
        return C.logs_cli(self.container, int(self.tail.value), self.timestamps.value, follow)

    def visible(self) -> list[tuple[str, str]]:
        """The lines the search keeps (case-insensitive), oldest first."""
        needle = self.search.value.lower()
        with self._lock:
            lines = list(self.lines)
        return [ln for ln in lines if needle in ln[1].lower()] if needle else lines

    def render(self) -> None:
        lines = self.visible()
        needle = self.search.value
        shown = lines[-SHOWN_LINES:]
        body = "".join(_line_html(s, t, needle) for s, t in shown)
        n_err = sum(1 for s, _ in lines if s == "stderr")
        self.view.value = (f"<div class='dl-logs' style='{MONO} white-space: pre-wrap'>"
                           + (body or "<i style='opacity:.6'>(no output)</i>") + "</div>")
        total = len(self.lines)
        what = f"{len(lines)} of {total} lines match {needle!r}" if needle else f"{total} lines"
        self.set_status(f"{what} ({n_err} on stderr)" + (", following" if self.following else ""), "info")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        tail = int(self.tail.value) if self._built else self._init["tail"]
        return f"{self.container}: last {tail} lines" + (", following" if self.following else "")
