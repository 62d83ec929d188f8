"""VolumePanel: volumes with driver, mountpoint, size (on demand) and the containers that
mount them; bind mounts with their host path; create / remove; browse a volume's files
and read one through a short-lived, labelled, read-only helper container.

The lesson it serves: a volume outlives the containers that use it; a bind mount is a
host folder seen inside the container.

>>> p = VolumePanel()                                          # doctest: +SKIP
>>> p.new_name.value = "pgdata"; p.create_button.click()       # doctest: +SKIP
"""
from __future__ import annotations

import ipywidgets
import pandas as pd

from ..commands import volume as V
from ..commands.volume import VolumeSpec
from ..engine.errors import InvalidInput
from ..reads import tables
from ..reads import volume_files as VB
from .base import MONO, LabWidget, esc

COLUMNS = ["name", "driver", "mountpoint", "size", "mounted by", "session"]
BIND_COLUMNS = ["container", "host path", "destination", "mode"]


class VolumePanel(LabWidget):
    """Volumes (this session's, or all), who mounts them, sizes on demand; bind mounts of
    lab containers; create/remove; browse and read files of a volume.

    >>> VolumePanel()      # doctest: +SKIP
    VolumePanel(1 volume: pgdata)
    """

    title = "Volumes"
    subtitle = "named volumes keep data beyond a container's life; bind mounts show a host folder"

    def __init__(self, all_volumes: bool = False, lesson: str | None = None, autoload: bool = True, **kwargs):
        self._initial_all = all_volumes
        self.lesson = lesson
        self.frame = pd.DataFrame(columns=COLUMNS)
        self.sizes: dict[str, int] = {}
        self.files: list[VB.FileEntry] = []
        super().__init__(autoload=autoload, **kwargs)

    # ----------------------------------------------------------- controls
    def build(self):
        lay = ipywidgets.Layout(width="220px")
        self.all_volumes = ipywidgets.ToggleButton(value=self._initial_all, description="all volumes",
                                                   tooltip="also volumes not made by dockerlab")
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh")
        self.sizes_button = ipywidgets.Button(description="Sizes", icon="hdd",
                                              tooltip="docker system df -v (slow: walks every volume)")
        self.table = ipywidgets.HTML("")
        self.binds = ipywidgets.HTML("")
        self.new_name = ipywidgets.Text(placeholder="pgdata", description="name", layout=lay)
        self.create_button = ipywidgets.Button(description="Create", icon="plus", button_style="primary")
        self.volume = ipywidgets.Dropdown(options=[], description="volume", layout=lay)
        self.remove_button = ipywidgets.Button(description="Remove volume", icon="trash", button_style="danger")
        self.path = ipywidgets.Text(value="/", description="path", layout=lay)
        self.list_button = ipywidgets.Button(description="List files", icon="folder-open")
        self.file_list = ipywidgets.Select(options=[], rows=6, description="files", layout=ipywidgets.Layout(width="420px"))
        self.open_button = ipywidgets.Button(description="Open", icon="file", tooltip="read a file / enter a folder")
        self.content = ipywidgets.HTML("")
        for button, fn, text in [(self.refresh_button, self.refresh, "reading volumes…"),
                                 (self.sizes_button, self._sizes, "docker system df -v …"),
                                 (self.create_button, self._create, "creating volume…"),
                                 (self.remove_button, self._remove, "removing volume…"),
                                 (self.list_button, self._list, "listing files…"),
                                 (self.open_button, self._open, "reading…")]:
            button.on_click(lambda _b, fn=fn, text=text: self.action(fn, describe=text))
        self.all_volumes.observe(lambda _c: self.action(self.refresh, describe="reading volumes…"), "value")
        H = ipywidgets.HBox
        return [H([self.all_volumes, self.refresh_button, self.sizes_button]), self.table, self.binds,
                H([self.new_name, self.create_button]), H([self.volume, self.remove_button]),
                H([self.path, self.list_button]), H([self.file_list, self.open_button]), self.content]

    # ----------------------------------------------------------- data
    def refresh(self) -> None:
        vols = tables.volumes(lab_only=not self.all_volumes.value, all_sessions=False)
        mounts = VB.mounts()
        by_volume = mounts[mounts["type"] == "volume"].groupby("source")["container"].apply(
            lambda s: ", ".join(sorted(set(s))))
        rows = [{"name": v["name"], "driver": v["driver"], "mountpoint": v["mountpoint"],
                 "size": tables.human_size(self.sizes[v["name"]]) if v["name"] in self.sizes else "",
                 "mounted by": by_volume.get(v["name"], ""), "session": v["session"]} for _, v in vols.iterrows()]
        self.frame = pd.DataFrame(rows, columns=COLUMNS)
        self.table.value = self.frame.to_html(index=False, escape=True, classes="dl-table dl-volumes")
        lab_binds = mounts[(mounts["type"] == "bind") & (mounts["session"] != "")]
        binds = lab_binds.rename(columns={"source": "host path"})[BIND_COLUMNS]
        self.binds.value = ("" if binds.empty else "<b>bind mounts of lab containers</b>"
                            + binds.to_html(index=False, escape=True, classes="dl-table dl-binds"))
        current = self.volume.value
        self.volume.options = list(self.frame["name"])
        if current in self.volume.options:
            self.volume.value = current
        self.show_cli("docker volume ls" + ("" if self.all_volumes.value else " --filter label=dockerlab.session"),
                      "docker ps -a --format '{{.Names}} {{.Mounts}}'")
        self.set_status(self.summary())

    def _after_change(self, cli: str, status: str) -> None:
        self.clear_error()
        self.refresh()
        self.show_cli(cli)
        self.set_status(status, "ok")

    # ----------------------------------------------------------- actions
    def _sizes(self) -> None:
        self.sizes = VB.volume_sizes()
        self.refresh()
        self.show_cli("docker system df -v")

    def _create(self) -> None:
        created = V.create(VolumeSpec(self.new_name.value.strip(), lesson=self.lesson))
        self._after_change(created.line, f"created volume {created.name}")
        self.volume.value = created.name

    def _remove(self) -> None:
        name = self._chosen()
        self._after_change(V.remove(name).line, f"removed volume {name}")

    def _chosen(self) -> str:
        if not self.volume.value:
            raise InvalidInput("no volume chosen", "Create a volume first (or toggle 'all volumes'), then pick it.")
        return self.volume.value

    def _list(self) -> None:
        name = self._chosen()
        entries, cli = VB.list_files(name, self.path.value)
        self.files = entries
        self.file_list.options = [(e.name + ("/" if e.kind == "dir" else f"  ({e.size} B)"), e.name) for e in entries]
        self.content.value = ""
        self.clear_error()
        self.show_cli(cli)
        self.set_status(f"{len(entries)} entries in {name}:{self.path.value}", "ok")

    def _open(self) -> None:
        name, entry = self._chosen(), self.file_list.value
        if not entry:
            raise InvalidInput("no file chosen", "Press 'List files', then pick a file in the list.")
        path = self.path.value.rstrip("/") + "/" + entry
        if any(e.name == entry and e.kind == "dir" for e in self.files):
            self.path.value = path
            self._list()
            return
        text, cli = VB.read_file(name, path)
        self.content.value = (f"<div><b>{esc(name)}:{esc(path)}</b></div>"
                              f"<pre class='dl-file' style='{MONO} max-height: 300px; overflow: auto'>{esc(text)}</pre>")
        self.clear_error()
        self.show_cli(cli)
        self.set_status(f"read {path} from {name}", "ok")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        names = list(self.frame["name"])
        head = f"{len(names)} volume{'s' * (len(names) != 1)}"
        return head + (f": {', '.join(names)}" if 0 < len(names) <= 5 else "")
