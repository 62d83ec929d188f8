"""ExecConsole: ``docker exec`` — run a command in a running container, see its output
(stdout and stderr told apart) and exit code, and pick earlier commands from a history.

A new process joins the container beside its main process; the main process is not
touched, and the container keeps running after the command ends.

>>> ExecConsole("web")                 # doctest: +SKIP
ExecConsole(web)
"""
from __future__ import annotations

import ipywidgets

from ..commands import container as C
from .base import COLORS, MONO, LabWidget, esc

#: Commands remembered (newest first).
HISTORY = 30


class ExecConsole(LabWidget):
    """A command box and Run; the history below re-fills the box (select) or re-runs (Re-run).

    >>> c = ExecConsole("web"); c.command.value = "ls /"; c.run_button.click()   # doctest: +SKIP
    """

    title = "Exec"
    subtitle = "docker exec: a new process inside a running container"

    def __init__(self, container: str, workdir: str | None = None, user: str | None = None, **kwargs):
        self.container = container
        self.workdir, self.user = workdir, user
        self.history: list[str] = []
        self.last = None  # the last ExecResult
        super().__init__(**kwargs)

    def build(self):
        self.command = ipywidgets.Text(placeholder="e.g. ls /   or   cat /etc/os-release",
                                       layout={"width": "360px"})
        self.run_button = ipywidgets.Button(description="Run", icon="play", button_style="primary")
        self.history_box = ipywidgets.Select(options=[], rows=4, description="history", layout={"width": "360px"})
        self.rerun_button = ipywidgets.Button(description="Re-run", icon="repeat", tooltip="run the selected command again")
        self.exit_code = ipywidgets.HTML("")
        self.output = ipywidgets.HTML("", layout={"max_height": "300px", "overflow": "auto"})
        self.run_button.on_click(lambda _b: self.action(self.run, self.command.value, describe="running…"))
        self.rerun_button.on_click(lambda _b: self.action(self.run, self.history_box.value or "", describe="running…"))
        # Selecting a past command puts it back in the box, to edit or run.
        self.history_box.observe(self._refill, "value")
        return [ipywidgets.HBox([self.command, self.run_button]), self.exit_code, self.output,
                ipywidgets.HBox([self.history_box, self.rerun_button])]

    def _refill(self, change) -> None:
        if change["new"]:
            self.action(setattr, self.command, "value", change["new"], describe=None)

    def refresh(self) -> None:
        """Tell the learner whether exec can work: only a running container takes one."""
        doc = C.inspect(self.container)
        state = (doc.get("State") or {}).get("Status", "?")
        self.set_status(f"container {self.container} is {state}", "ok" if state == "running" else "warn")

    def run(self, command: str):
        """``docker exec CONTAINER COMMAND``: show output and exit code, remember the command."""
        self.exit_code.value = ""
        self.output.value = ""
        result = C.exec_in(self.container, command, workdir=self.workdir, user=self.user)
        self.last = result
        self.show_cli(*result.cli)
        command = command.strip()
        self.history = [command] + [h for h in self.history if h != command][:HISTORY - 1]
        self.history_box.unobserve(self._refill, "value")
        self.history_box.options = list(self.history)
        self.history_box.value = None
        self.history_box.observe(self._refill, "value")
        ok = result.exit_code == 0
        self.exit_code.value = (f"<span class='dl-exit' style='color:{COLORS['ok' if ok else 'fail']}'>"
                                f"exit code {result.exit_code}</span>")
        self.output.value = self._output_html(result)
        self.set_status("done" if ok else "the command failed (non-zero exit code)", "ok" if ok else "warn")
        return result

    @staticmethod
    def _output_html(result) -> str:
        parts = []
        if result.stdout:
            parts.append(f"<div class='dl-stdout'>{esc(result.stdout)}</div>")
        if result.stderr:
            parts.append(f"<div class='dl-stderr' style='color:{COLORS['fail']}'>"
                         f"<span style='opacity:.6'>stderr:</span>\n{esc(result.stderr)}</div>")
        return (f"<div style='{MONO} white-space: pre-wrap'>"
                + ("".join(parts) or "<i style='opacity:.6'>(no output)</i>") + "</div>")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        n = len(self.history)
        return self.container + (f", {n} command{'s' if n != 1 else ''} run" if n else "")
