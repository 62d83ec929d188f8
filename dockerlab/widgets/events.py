"""EventLog: the daemon's event stream (``docker events``) for lab resources, live.

Every create, start, exec, stop and removal the daemon performs is an event: watching
them while clicking elsewhere shows what each ``docker`` command really does
(``docker run`` = create + start; ``docker rm -f`` = kill + die + destroy).

>>> EventLog()                         # doctest: +SKIP
EventLog(this session's containers, following)
"""
from __future__ import annotations

import threading
import time
from collections import deque

import ipywidgets
import pandas as pd

from ..engine import streams
from ..reads import events as E
from .base import LabWidget

#: Rows kept (newest first); older ones drop off.
MAX_EVENTS = 200
#: Re-render at most this often while events pour in (seconds).
RENDER_EVERY = 0.2


class EventLog(LabWidget):
    """A live feed of ``docker events --filter label=dockerlab.session=…``, newest first.

    >>> log = EventLog(); log.stop_button.click()          # doctest: +SKIP
    """

    title = "Events"
    subtitle = "docker events: what the daemon did, as it happens"

    def __init__(self, all_sessions: bool = False, follow: bool = True, max_events: int = MAX_EVENTS, **kwargs):
        self.all_sessions = all_sessions
        self.events: deque[dict] = deque(maxlen=max_events)
        self._lock = threading.Lock()
        self._follow: streams.Follow | None = None
        self._thread: threading.Thread | None = None
        self._autofollow = follow
        super().__init__(**kwargs)

    def build(self):
        self.start_button = ipywidgets.Button(description="Start", icon="play", tooltip="docker events")
        self.stop_button = ipywidgets.Button(description="Stop", icon="stop", disabled=True)
        self.clear_button = ipywidgets.Button(description="Clear", icon="trash")
        self.view = ipywidgets.HTML("", layout={"max_height": "320px", "overflow": "auto"})
        self.start_button.on_click(lambda _b: self.action(self.start, describe="following…"))
        self.stop_button.on_click(lambda _b: self.action(self.stop_background, describe=None))
        self.clear_button.on_click(lambda _b: self.action(self.clear, describe=None))
        return [ipywidgets.HBox([self.start_button, self.stop_button, self.clear_button]), self.view]

    def refresh(self) -> None:
        """Show the (empty) table; start following if asked and not already following."""
        self.render()
        if self._autofollow and self._follow is None:
            self.start()

    # ----------------------------------------------------------- the follow
    def start(self) -> None:
        """Open ``docker events`` with the lab label filter and read it in the background."""
        self.stop_background()
        follow = streams.follow_events(E.lab_filter(self.all_sessions))
        self._follow = follow
        self.show_cli(follow.cmd)
        self.start_button.disabled, self.stop_button.disabled = True, False
        self._thread = self.run_thread(lambda: self._pump(follow), "events")
        self.render()

    def _pump(self, follow: streams.Follow) -> None:
        last = 0.0
        try:
            for event in follow:
                if not E.shown(event):
                    continue
                row = E.describe(event)
                with self._lock:
                    self.events.appendleft(row)
                if time.monotonic() - last > RENDER_EVERY:
                    last = time.monotonic()
                    self.render()
        finally:
            if self._follow is follow:  # the stream ended by itself (daemon stopped?)
                self._follow = None
                self.start_button.disabled, self.stop_button.disabled = False, True
            self.render()

    @property
    def following(self) -> bool:
        return self._follow is not None

    def stop_background(self) -> None:
        follow, self._follow = self._follow, None
        if follow is not None:
            self.end_follow(follow, self._thread)
        if self._built and not self._stop.is_set():  # closing: nothing left to show
            self.start_button.disabled, self.stop_button.disabled = False, True
            self.render()

    def clear(self) -> None:
        with self._lock:
            self.events.clear()
        self.render()

    # ----------------------------------------------------------- view
    def table(self) -> pd.DataFrame:
        """The feed as a DataFrame, newest first."""
        with self._lock:
            rows = list(self.events)
        return pd.DataFrame(rows, columns=E.EVENT_COLUMNS)

    def render(self) -> None:
        df = self.table()
        self.view.value = (df.to_html(index=False, escape=True, border=0, classes="dl-table dl-events")
                           if len(df) else "<i style='opacity:.6'>(no events yet: start, stop or remove "
                                           "a lab container to see some)</i>")
        self.set_status(f"{len(df)} events" + (", following" if self.following else ", stopped"), "info")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        who = "every session's" if self.all_sessions else "this session's"
        return f"{who} containers, " + ("following" if self.following else "stopped")
