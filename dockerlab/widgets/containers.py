"""ContainerTable: ``docker ps -a`` for the lab's containers, with the usual actions on a
selected row and the viewers (logs, inspect, processes, exec) opened below it.

The table reloads when the daemon reports a change (``docker events``, read in the
background) and on Refresh — not by polling. With "all containers" it also lists what
the toolkit did not create; those stay read-only (an action on them shows why).

>>> ContainerTable()                   # doctest: +SKIP
ContainerTable(2 containers: db, web)
"""
from __future__ import annotations

import re
import threading

import ipywidgets
import pandas as pd

from ..commands import container as C
from ..engine import streams
from ..engine.errors import InvalidInput
from ..reads import events as E
from ..reads import tables
from ..session import labels
from .base import LabWidget, esc
from .exec import ExecConsole
from .inspect import InspectViewer
from .logs import LogViewer
from .processes import ProcessTable

#: Wait this long after an event before reloading, so `docker run` (create + start) or
#: `docker rm -f` (kill + die + destroy) cost one reload, not three.
DEBOUNCE = 0.25
COLUMNS = ["name", "image", "status", "ports", "networks", "created", "owner"]
VIEWERS = {"Logs": LogViewer, "Inspect": InspectViewer, "Processes": ProcessTable, "Exec": ExecConsole}
_PUBLISHED = re.compile(r"^(?P<ip>[\d.]+):(?P<port>\d+)->(?P<inner>\S+)$")


def ports_html(ports: str) -> str:
    """Published ports as links to http://127.0.0.1:PORT; unpublished ones as text."""
    out = []
    for p in filter(None, (s.strip() for s in ports.split(","))):
        m = _PUBLISHED.match(p)
        if m:
            url = f"http://127.0.0.1:{m['port']}"
            out.append(f"<a href='{url}' target='_blank' title='{esc(url)}'>{esc(p)}</a>")
        else:
            out.append(esc(p))
    return ", ".join(out)


class ContainerTable(LabWidget):
    """Lab containers as a table; select one, then Start / Stop / Restart / Remove, or open
    its Logs / Inspect / Processes / Exec below.

    >>> t = ContainerTable(); t.select.value = "web"; t.buttons["Stop"].click()   # doctest: +SKIP
    """

    title = "Containers"
    subtitle = "docker ps -a: the containers of this lab session"

    def __init__(self, all_containers: bool = False, **kwargs):
        self._init_all = all_containers
        self.df = pd.DataFrame(columns=tables.CONTAINER_COLUMNS)
        self.viewer: LabWidget | None = None
        self._follow: streams.Follow | None = None
        self._watcher: threading.Thread | None = None
        self._timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        self.reloads = 0  # how many times the table was read from the daemon (tests, benchmarks)
        super().__init__(**kwargs)

    def build(self):
        self.all_toggle = ipywidgets.Checkbox(value=self._init_all, description="all containers of the daemon",
                                              indent=False)
        self.filter = ipywidgets.Text(placeholder="filter: name, image, status…", layout={"width": "240px"})
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh", tooltip="docker ps -a")
        self.select = ipywidgets.Select(options=[], rows=5, description="container", layout={"width": "360px"})
        self.buttons = {v: ipywidgets.Button(description=v, layout={"width": "90px"})
                        for v in ("Start", "Stop", "Restart", "Remove", *VIEWERS)}
        self.view = ipywidgets.HTML("")
        self.detail = ipywidgets.VBox([])
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="docker ps…"))
        self.filter.observe(lambda _c: self.action(self.render, describe=None), "value")
        self.all_toggle.observe(lambda _c: self.action(self._toggle_all, describe="docker ps…"), "value")
        for verb in ("Start", "Stop", "Restart", "Remove"):
            self.buttons[verb].on_click(lambda _b, v=verb: self.action(self.act, v.lower(), describe=f"{v.lower()}…"))
        for label in VIEWERS:
            self.buttons[label].on_click(lambda _b, name=label: self.action(self.open_viewer, name, describe="opening…"))
        def row(names):
            return ipywidgets.HBox([self.buttons[n] for n in names])
        return [ipywidgets.HBox([self.all_toggle, self.filter, self.refresh_button]), self.view,
                ipywidgets.HBox([self.select, ipywidgets.VBox([row(("Start", "Stop", "Restart", "Remove")),
                                                               row(tuple(VIEWERS))])]),
                self.detail]

    # ----------------------------------------------------------- daemon IO
    def refresh(self) -> None:
        """Refresh (and the first load): ``docker ps -a``, shown in the CLI box."""
        lab_only = not self.all_toggle.value
        self.load()
        self.show_cli("docker ps -a" + (f" --filter label={labels.SESSION}={labels.session_id()}" if lab_only else ""))

    def load(self) -> None:
        """One list call; then (re)start the event watch if it is not running. Reloads
        after events come here and leave the CLI box to the learner's last action."""
        self.df = tables.containers(lab_only=not self.all_toggle.value)
        self.reloads += 1
        self.render()
        self._ensure_watch()

    def act(self, verb: str) -> None:
        """start / stop / restart / remove the selected container (ours only: core refuses others)."""
        name = self._selected()
        self.show_cli(C.action(name, verb).line)
        self.load()
        self.set_status(f"{verb}: {name} done", "ok")

    def open_viewer(self, label: str) -> LabWidget:
        """Open Logs / Inspect / Processes / Exec for the selected container below the table."""
        name = self._selected()
        old, self.viewer = self.viewer, None
        if old is not None:
            old.close()
        self.viewer = VIEWERS[label](name)
        self.detail.children = [self.viewer]
        self.set_status(f"{label.lower()} of {name} below", "ok")
        return self.viewer

    def _selected(self) -> str:
        if not self.select.value:
            raise InvalidInput("no container selected", "Pick a container in the list first.")
        return self.select.value

    def _toggle_all(self) -> None:
        self._restart_watch()
        self.refresh()

    # ----------------------------------------------------------- the event watch
    def _ensure_watch(self) -> None:
        if (self._watcher is None or not self._watcher.is_alive()) and not self._stop.is_set():
            self._watcher = self.run_thread(self._watch, "container-events")

    def _watch(self) -> None:
        """Follow ``docker events``; each change schedules one debounced reload. Reopened on toggle."""
        while not self._stop.is_set():
            follow = streams.follow_events(None if self.all_toggle.value else E.lab_filter())
            self._follow = follow
            for event in follow:
                if E.changes_listing(event):
                    self._schedule_reload()
            if self._follow is None:  # stop_background, not a toggle
                return

    def _schedule_reload(self) -> None:
        with self._timer_lock:
            if self._timer is None:
                self._timer = threading.Timer(DEBOUNCE, self._reload)
                self._timer.daemon = True
                self._timer.start()

    def _reload(self) -> None:
        with self._timer_lock:
            self._timer = None
        if not self._stop.is_set():
            self.action(self.load, describe=None)

    def _restart_watch(self) -> None:
        follow = self._follow
        if follow is not None:
            follow.close()  # _watch reopens it with the new filter

    def stop_background(self) -> None:
        follow, self._follow = self._follow, None
        self.end_follow(follow, self._watcher)
        with self._timer_lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if self.viewer is not None:
            self.viewer.close()

    @property
    def watching(self) -> bool:
        return self._watcher is not None and self._watcher.is_alive()

    # ----------------------------------------------------------- view
    def visible(self) -> pd.DataFrame:
        """The rows the filter keeps (case-insensitive substring on any column)."""
        df = self.df
        needle = self.filter.value.strip().lower()
        if needle and len(df):
            keep = df.astype(str).apply(lambda col: col.str.lower().str.contains(needle, regex=False)).any(axis=1)
            df = df[keep]
        return df

    def render(self) -> None:
        df = self.visible()
        me = labels.session_id()
        owner = ["lab" if s == me else ("other lab session" if s else "not dockerlab (read-only)")
                 for s in df["session"]]
        shown = df.assign(owner=owner)[COLUMNS]
        head = "".join(f"<th>{esc(c)}</th>" for c in COLUMNS)
        body = "".join("<tr>" + "".join(f"<td>{ports_html(v) if c == 'ports' else esc(v)}</td>"
                                        for c, v in zip(COLUMNS, r, strict=False)) + "</tr>" for r in shown.itertuples(index=False))
        self.view.value = (f"<table class='dl-table dl-containers'><thead><tr>{head}</tr></thead>"
                           f"<tbody>{body}</tbody></table>" if len(df) else
                           "<i style='opacity:.6'>(no containers: run one with RunBuilder or dl.run)</i>")
        names = list(df["name"])
        current = self.select.value
        self.select.options = names
        self.select.value = current if current in names else None
        self.set_status(f"{len(df)} of {len(self.df)} containers" if len(df) != len(self.df)
                        else f"{len(df)} containers", "info")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        names = list(self.df["name"])
        return f"{len(names)} container{'s' if len(names) != 1 else ''}" + (f": {', '.join(names)}" if names else "")
