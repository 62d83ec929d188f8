"""StatsMonitor: live CPU %, memory, network and block I/O — ``docker stats`` as a plot
that updates in place and a table.

Each refresh takes one one-shot sample per container, all containers at once (a thread
pool: the daemon answers them in parallel, so 20 containers cost about one call); CPU %
comes from two successive samples, as ``docker stats`` computes it. History is bounded
and the one figure is reused, so a monitor left running does not grow.

>>> m = StatsMonitor(["web", "db"], interval=2)    # doctest: +SKIP
>>> m.start_button.click()                          # doctest: +SKIP
"""
from __future__ import annotations

import io
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor

import ipywidgets
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..commands import container as C
from ..engine import streams
from ..engine.errors import DaemonUnreachable, DockerlabError, NotFound
from ..reads import tables
from ..reads.tables import human_size
from .base import LabWidget

COLUMNS = ["name", "cpu %", "mem usage / limit", "mem %", "net i/o", "block i/o", "pids"]
#: Concurrent samples per refresh; the shared client's pool holds 32 connections.
MAX_PARALLEL = 24


def _pct(v) -> str:
    return "" if v is None else f"{v:.2f}%"


def _row(name: str, s: dict) -> dict:
    return {"name": name, "cpu %": _pct(s["cpu_percent"]),
            "mem usage / limit": f"{human_size(s['mem_bytes'])} / {human_size(s['mem_limit'])}",
            "mem %": _pct(s["mem_percent"]), "net i/o": f"{human_size(s['net_rx'])} / {human_size(s['net_tx'])}",
            "block i/o": f"{human_size(s['block_read'])} / {human_size(s['block_write'])}",
            "pids": "" if s["pids"] is None else str(s["pids"])}


class StatsMonitor(LabWidget):
    """Live stats of ``containers`` (names or ids; ``None``: every running lab container).

    >>> StatsMonitor(["web"], interval=2, history=60)   # doctest: +SKIP
    StatsMonitor(1 container: web)
    """

    title = "Container stats"
    subtitle = "CPU, memory, network and disk I/O, like docker stats"

    def __init__(self, containers: list[str] | str | None = None, interval: float = 2.0, history: int = 60,
                 autostart: bool = False, autoload: bool = True, **kwargs):
        self.watch = [containers] if isinstance(containers, str) else (list(containers) if containers else None)
        self.history_len = history
        self.history: dict[str, deque] = {}
        self.latest: dict[str, dict] = {}
        self.gone: list[str] = []
        self._prev: dict[str, dict] = {}
        self._interval0 = interval
        self._lock = threading.Lock()
        self._poll_stop = threading.Event()
        self._poller: threading.Thread | None = None
        self._sampler = ThreadPoolExecutor(MAX_PARALLEL, thread_name_prefix="dockerlab-stats")
        self._fig = Figure(figsize=(7, 2.6), dpi=80)
        self._canvas = FigureCanvasAgg(self._fig)
        self._ax_cpu, self._ax_mem = self._fig.subplots(1, 2)
        self._lines: dict[str, tuple] = {}
        super().__init__(autoload=autoload, **kwargs)
        if autostart and self.connected:
            self.start()

    # ----------------------------------------------------------- controls
    def build(self):
        self.interval = ipywidgets.BoundedFloatText(value=self._interval0, min=0.5, max=60, step=0.5,
                                                    description="every (s)", layout=ipywidgets.Layout(width="160px"))
        self.start_button = ipywidgets.Button(description="Start", icon="play", button_style="success")
        self.stop_button = ipywidgets.Button(description="Stop", icon="stop", disabled=True)
        self.refresh_button = ipywidgets.Button(description="Sample once", icon="refresh")
        self.plot = ipywidgets.Image(format="png")
        self.table = ipywidgets.HTML("")
        self.start_button.on_click(lambda _b: self.action(self.start, describe=None))
        # Stop only sets an event: immediate even while a sample is in flight.
        self.stop_button.on_click(lambda _b: self.stop())
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="sampling…"))
        for ax, label in ((self._ax_cpu, "CPU %"), (self._ax_mem, "memory (MB)")):
            ax.set_title(label, fontsize=9)
            ax.set_xlabel("seconds ago", fontsize=8)
            ax.tick_params(labelsize=7)
        self._fig.tight_layout()
        return [ipywidgets.HBox([self.start_button, self.stop_button, self.interval, self.refresh_button]),
                self.plot, self.table]

    # ----------------------------------------------------------- sampling
    def _targets(self) -> list[str]:
        if self.watch is not None:
            return list(self.watch)
        return tables.containers(lab_only=True, include_stopped=False)["name"].tolist()

    def _sample(self, ref: str):
        try:
            return streams.stats_sample(ref), None
        except NotFound as e:
            return None, e
        except DaemonUnreachable as e:
            return None, e
        except DockerlabError as e:
            # stopped or removed while its sample was in flight: the daemon answers with an
            # empty body. Gone: say so; stopping/removing: skip this round, the next one tells.
            try:
                running = C.inspect(ref)["State"]["Running"]
            except NotFound as gone:
                return None, gone
            return (None, e) if running else (None, None)

    def refresh(self) -> None:
        """One round of samples for every watched container, taken concurrently."""
        with self._lock:
            targets = self._targets()
            results = list(self._sampler.map(self._sample, targets))
            for ref, (doc, err) in zip(targets, results, strict=False):
                if isinstance(err, NotFound):
                    self._forget(ref, gone=True)  # removed under us: stop watching it, quietly
                    continue
                if err is not None:
                    raise err
                if doc is None:
                    continue
                s = streams.summarize_stats(doc, self._prev.get(ref))
                self._prev[ref] = doc
                self.latest[ref] = s
                self.history.setdefault(ref, deque(maxlen=self.history_len)).append(s)
            for ref in [r for r in self.history if r not in targets]:
                self._forget(ref)
            self._render()
        self.show_cli("docker stats --no-stream " + " ".join(targets) if targets else "docker stats --no-stream")
        if self.watch is not None and not self.watch:
            self.stop()
            self.set_status("no container left to watch: " + ", ".join(self.gone) + " gone", "warn")
        else:
            self.set_status(f"{len(self.latest)} containers sampled" +
                            (f"; gone: {', '.join(self.gone)}" if self.gone else ""), "info")

    def _forget(self, ref: str, gone: bool = False) -> None:
        for d in (self.history, self.latest, self._prev):
            d.pop(ref, None)
        for line in self._lines.pop(ref, ()):
            line.remove()
        if gone:
            if self.watch is not None and ref in self.watch:
                self.watch.remove(ref)
            self.gone.append(ref)

    def _render(self) -> None:
        rows = [_row(s["name"] or ref, s) for ref, s in sorted(self.latest.items())]
        self.table.value = pd.DataFrame(rows, columns=COLUMNS).to_html(index=False, escape=True,
                                                                       classes="dl-table dl-stats")
        for ref, hist in self.history.items():
            if ref not in self._lines:
                cpu, = self._ax_cpu.plot([], [], label=ref)
                mem, = self._ax_mem.plot([], [], label=ref)
                self._lines[ref] = (cpu, mem)
            now = hist[-1]["time"]
            xs = [s["time"] - now for s in hist]
            self._lines[ref][0].set_data(xs, [s["cpu_percent"] or 0.0 for s in hist])
            self._lines[ref][1].set_data(xs, [s["mem_bytes"] / 1e6 for s in hist])
        for ax in (self._ax_cpu, self._ax_mem):
            ax.relim()
            ax.autoscale_view()
            if ax.get_legend():
                ax.get_legend().remove()
        if self._lines and len(self._lines) <= 8:  # a legend of 20 names hides the plot
            self._ax_cpu.legend(fontsize=7, loc="upper left")
        buf = io.BytesIO()
        self._canvas.print_png(buf)
        self.plot.value = buf.getvalue()

    # ----------------------------------------------------------- polling
    def start(self) -> None:
        """Sample every ``interval`` seconds in a background thread until stop()."""
        if self._poller is not None and self._poller.is_alive():
            return
        self._poll_stop.clear()
        self.start_button.disabled, self.stop_button.disabled = True, False
        self._poller = self.run_thread(self._poll, "stats")

    def _poll(self) -> None:
        try:
            while not (self._poll_stop.is_set() or self._stop.is_set()):
                self.refresh()
                self._poll_stop.wait(self.interval.value)
        finally:
            self.start_button.disabled, self.stop_button.disabled = False, True

    def stop(self) -> None:
        self._poll_stop.set()
        if getattr(self, "start_button", None) is not None:
            self.start_button.disabled, self.stop_button.disabled = False, True

    @property
    def running(self) -> bool:
        return self._poller is not None and self._poller.is_alive()

    def stop_background(self) -> None:
        self.stop()
        self._sampler.shutdown(wait=False, cancel_futures=True)

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        if self.watch is None:
            return "all running lab containers"
        n = len(self.watch)
        return f"{n} container{'s' * (n != 1)}: {', '.join(self.watch)}"
