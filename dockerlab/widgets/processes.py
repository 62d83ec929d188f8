"""ProcessTable: ``docker top`` as a table, and the proof that container processes are
ordinary processes of the host.

The PID column of ``docker top`` is the *host's* PID. When the daemon runs on this
machine, the widget reads ``/proc/<PID>/cmdline`` and ``/proc/<PID>/cgroup`` of the host
for each row: the same command, in the container's cgroup. A container is a process
with a restricted view, not a small virtual machine.

>>> ProcessTable("web")                # doctest: +SKIP
ProcessTable(web: 3 processes)
"""
from __future__ import annotations

import ipywidgets
import pandas as pd

from ..commands import container as C
from ..engine import client as connection
from ..host import proc
from ..host.proc import daemon_is_local
from .base import LabWidget, esc


def host_view(pid: str, container_id: str) -> tuple[str, str]:
    """What this machine's /proc says about host PID ``pid``: its command line, and whether
    it sits in the container's cgroup ("yes" / "no" / why it cannot be told)."""
    line = proc.cmdline(pid)
    if line is None:
        return "", "not on this machine (Docker Desktop runs the daemon in a VM)"
    groups = proc.cgroup(pid)
    if groups is None:
        return line, "cannot read /proc/PID/cgroup"
    return line, "yes" if container_id in groups else "no"


class ProcessTable(LabWidget):
    """The processes of one running container, as the host sees them.

    >>> t = ProcessTable("web"); t.table()[["PID", "CMD", "host cmdline"]]   # doctest: +SKIP
    """

    title = "Processes"
    subtitle = "docker top: the container's processes are processes of the host"

    def __init__(self, container: str, **kwargs):
        self.container = container
        self.df = pd.DataFrame()
        self.verified: bool | None = None
        super().__init__(**kwargs)

    def build(self):
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh", tooltip="docker top")
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="docker top…"))
        self.proof = ipywidgets.HTML("")
        self.view = ipywidgets.HTML("")
        return [self.refresh_button, self.proof, self.view]

    def refresh(self) -> None:
        self.df = pd.DataFrame()
        self.view.value = self.proof.value = ""
        doc = C.inspect(self.container)
        top = C.top(self.container)
        df = pd.DataFrame(top.get("Processes") or [], columns=top.get("Titles") or [])
        main_pid = str((doc.get("State") or {}).get("Pid") or "")
        if daemon_is_local() and "PID" in df.columns:
            views = [host_view(pid, doc["Id"]) for pid in df["PID"]]
            df["host cmdline"] = [v[0] for v in views]
            df["in container's cgroup"] = [v[1] for v in views]
            self.verified = bool(views) and all(v[1] == "yes" for v in views)
            proof = (f"Read on this machine: <code>/proc/PID/cmdline</code> is the same command, and "
                     f"<code>/proc/PID/cgroup</code> names container {esc(doc['Id'][:12])}. "
                     f"The container's main process is host PID {esc(main_pid)}."
                     if self.verified else
                     "These PIDs do not match processes of this machine: the daemon runs elsewhere "
                     "(Docker Desktop's VM, or a remote host), so they are that host's PIDs.")
        else:
            self.verified = None
            proof = (f"The daemon is remote ({esc(connection.docker_host())}): the PID column is the daemon "
                     f"host's PID, which cannot be verified from here. Main process: host PID {esc(main_pid)}.")
        self.df = df
        self.proof.value = f"<div style='font-size:12px'>{proof}</div>"
        self.view.value = df.to_html(index=False, escape=True, border=0, classes="dl-table dl-top")
        self.show_cli(f"docker top {self.container}",
                      *([f"cat /proc/{main_pid}/cmdline   # on the host"] if self.verified else []))
        self.set_status(f"{len(df)} processes", "ok")

    def table(self) -> pd.DataFrame:
        return self.df

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        return f"{self.container}: {len(self.df)} processes"
