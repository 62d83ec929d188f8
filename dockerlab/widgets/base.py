"""The frame every dockerlab widget shares: header, body, CLI line, status, error box,
and the connection panel shown instead of the body when no daemon answers.

A widget subclasses :class:`LabWidget`, builds its controls in ``build()`` (no daemon
IO there), loads data in ``refresh()``, and wires buttons through ``self.action`` so
that each callback returns to the kernel at once, runs on the widget's worker thread,
and shows any error inside the widget — never as a traceback.

>>> class Hello(LabWidget):
...     title = "Hello"
...     def build(self):
...         return [ipywidgets.Label("hi")]
"""
from __future__ import annotations

import html
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

import ipywidgets
import traitlets

from ..engine import client as connection
from ..engine.errors import CONNECT_HINT, DaemonUnreachable, DockerlabError, translate

MONO = "font-family: var(--jp-code-font-family, monospace); font-size: 12px;"
COLORS = {"ok": "#1a7f37", "fail": "#cf222e", "warn": "#9a6700", "info": "#57606a"}


class DaemonChanges(traitlets.HasTraits):
    """Widgets that change the daemon bump ``revision``; views of the daemon's state
    (NetworkMap) observe it, instead of being handed to every widget that changes it."""
    revision = traitlets.Int(0)

    def changed(self) -> None:
        self.revision += 1


#: The one signal of this kernel: ``CHANGES.observe(fn, "revision")``.
CHANGES = DaemonChanges()


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def cli_html(lines: list[str]) -> str:
    """The ``$ docker ...`` box: the exact commands the last action performed."""
    if not lines:
        return ""
    body = "<br>".join(f"<span style='opacity:.6'>$</span> {esc(line)}" for line in lines)
    return (f"<div class='dl-cli' style='{MONO} background: var(--jp-layout-color2, #f6f8fa); "
            f"padding: 4px 8px; border-radius: 4px; white-space: pre-wrap;'>{body}</div>")


def error_html(e: DockerlabError) -> str:
    hint = f"<div style='margin-top:2px'><b>Hint:</b> {esc(e.hint)}</div>" if e.hint else ""
    cmd = f"<div style='{MONO} opacity:.8'>while running: {esc(e.command)}</div>" if e.command else ""
    return (f"<div class='dl-error' style='border-left: 4px solid {COLORS['fail']}; padding: 4px 8px; "
            f"background: rgba(207,34,46,.06)'><b>Error:</b> {esc(e.message)}{cmd}{hint}</div>")


def connection_html() -> str:
    from ..engine.endpoint import resolve
    ep = resolve()  # the endpoint actually used: DOCKER_HOST, the current context, or the socket
    host, why = esc(ep.url), esc(ep.why)
    return f"""<div class='dl-connect' style='border-left: 4px solid {COLORS['warn']}; padding: 6px 10px;
background: rgba(154,103,0,.06)'>
<b>No Docker daemon answers</b> at <code>{host}</code> ({why}). This lesson needs one. Pick one:
<ul style='margin: 4px 0'>
<li><b>Docker Desktop</b> (macOS, Windows): start it and press <i>Retry</i>.</li>
<li><b>Linux</b>: <code>sudo systemctl start docker</code>; if the socket is not permitted,
<code>sudo usermod -aG docker $USER</code> and log in again. In this repository,
<code>make engine</code> starts one.</li>
<li><b>A remote daemon</b>: <code>%env DOCKER_HOST=ssh://user@host</code>,
or <code>tcp://host:2376</code> with <code>DOCKER_TLS_VERIFY=1</code> and <code>DOCKER_CERT_PATH</code>
(not on mybinder.org: it lets no ssh or port 2376 out; there the course reads and runs without a daemon).</li>
<li><b>Podman</b>: <code>systemctl --user start podman.socket</code>, then
<code>DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock</code>.</li>
</ul>The notebook still reads top to bottom; its stored outputs show what you would see.</div>"""


class LabWidget(ipywidgets.VBox):
    """Base of every dockerlab widget (see the module docstring)."""

    title = "dockerlab"
    #: One line under the title: what the widget shows, in the learner's words.
    subtitle = ""

    def __init__(self, autoload: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.add_class("dockerlab")
        self.header = ipywidgets.HTML(
            f"<div class='dl-header'><b>{esc(self.title)}</b>"
            + (f" <span style='opacity:.7'>— {esc(self.subtitle)}</span>" if self.subtitle else "") + "</div>")
        self.status = ipywidgets.HTML("")
        self.cli_box = ipywidgets.HTML("")
        self.error_box = ipywidgets.HTML("")
        self.retry_button = ipywidgets.Button(description="Retry", icon="refresh", tooltip="Try the daemon again")
        self.retry_button.on_click(lambda _b: self.action(self._connect, describe="connecting…"))
        self.connect_panel = ipywidgets.VBox([ipywidgets.HTML(connection_html()), self.retry_button])
        self.body = ipywidgets.VBox([])
        self.cli_lines: list[str] = []
        self.last_error: DockerlabError | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix=f"dockerlab-{type(self).__name__}")
        self._pending: list[Future] = []
        self._stop = threading.Event()
        self._built = False
        self.connected = False
        self.children = [self.header, self.body, self.cli_box, self.status, self.error_box]
        if autoload:
            self._connect(initial=True)

    # ----------------------------------------------------------- life cycle
    def build(self) -> list[ipywidgets.Widget]:
        """Create the controls (no daemon IO). Called once, when the daemon first answers."""
        return []

    def refresh(self) -> None:
        """Reload what the widget shows from the daemon (runs on the worker thread)."""

    def _connect(self, initial: bool = False) -> None:
        """Show the controls if the daemon answers, else the connection panel. The first
        load runs in the constructor, so what a notebook displays (and stores) is complete."""
        if isinstance(self.last_error, DaemonUnreachable):
            connection.reset()
        if not connection.ping():
            self.connected = False
            self.body.children = [self.connect_panel]
            self.last_error = DaemonUnreachable("the Docker daemon is unreachable", CONNECT_HINT)
            self.set_status("daemon unreachable", "fail")
            return
        self.connected = True
        self.clear_error()
        if not self._built:
            self._controls = self.build()
            self._built = True
        self.body.children = list(self._controls)
        self.set_status("", "info")
        try:
            self.refresh()
        except Exception as e:  # noqa: BLE001 - shown in the widget
            self.show_error(e)

    def close(self) -> None:
        self._stop.set()
        self.stop_background()
        self._pool.shutdown(wait=False, cancel_futures=True)
        super().close()

    def stop_background(self) -> None:
        """Subclasses stop their follows/pollers here."""

    # ----------------------------------------------------------- display helpers
    def show_cli(self, *lines: str) -> None:
        self.cli_lines = [ln for ln in lines if ln]
        self.cli_box.value = cli_html(self.cli_lines)

    def set_status(self, text: str, kind: str = "info") -> None:
        self.status.value = (f"<div class='dl-status' style='color:{COLORS.get(kind, COLORS['info'])}; "
                             f"font-size: 12px'>{esc(text)}</div>") if text else ""

    def show_error(self, e: BaseException) -> None:
        err = e if isinstance(e, DockerlabError) else translate(e)
        self.last_error = err
        self.error_box.value = error_html(err)
        self.set_status(err.message, "fail")
        if isinstance(err, DaemonUnreachable):
            self.connected = False
            connection.reset()
            self.body.children = [self.connect_panel]

    def clear_error(self) -> None:
        self.last_error = None
        self.error_box.value = ""

    # ----------------------------------------------------------- actions
    def action(self, fn, *args, describe: str | None = "working…", done=None, **kwargs) -> Future:
        """Run ``fn`` on the widget's worker thread; return to the kernel at once.

        Errors are shown in the widget. ``done(result)`` runs after success (on the worker).
        """
        if describe:
            self.set_status(describe, "info")

        def work():
            try:
                result = fn(*args, **kwargs)
                if done is not None:
                    done(result)
                return result
            except Exception as e:  # noqa: BLE001 - the callback boundary: show, never raise
                self.show_error(e)
                return None

        fut = self._pool.submit(work)
        self._pending = [f for f in self._pending if not f.done()] + [fut]
        return fut

    def wait_idle(self, timeout: float = 60) -> bool:
        """Block until queued actions finished (tests, notebooks that print results)."""
        deadline = time.monotonic() + timeout
        while True:
            pending = [f for f in self._pending if not f.done()]
            if not pending:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            _wait(pending[0], left)

    @staticmethod
    def end_follow(follow, reader: threading.Thread | None) -> None:
        """Close a daemon stream from any thread, and give its reader thread a moment to end."""
        if follow is not None:
            follow.close()
        if reader is not None and reader is not threading.current_thread():
            reader.join(2)

    def run_thread(self, target, name: str) -> threading.Thread:
        """A daemon thread for follows and pollers; it should watch ``self._stop``."""
        t = threading.Thread(target=self._guarded(target), name=f"dockerlab-{name}", daemon=True)
        t.start()
        return t

    def _guarded(self, target):
        def run():
            try:
                target()
            except Exception as e:  # noqa: BLE001 - a background loop shows its error in the widget
                if not self._stop.is_set():
                    self.show_error(e)
        return run

    def __repr__(self) -> str:
        """The text a saved notebook (and nbval) shows: stable and readable."""
        return f"{type(self).__name__}({self.summary()})"

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        return self.title


def _wait(fut: Future, timeout: float) -> None:
    try:
        fut.result(timeout=timeout)
    except Exception:  # noqa: BLE001 - errors were shown in the widget
        pass
