"""ImageTable: the local images (``docker images``), dangling ones on request, a filter,
and for the selected image its layers (a LayerExplorer). Only images the toolkit
built can be removed from here.

The lesson it serves: an image is identified by repo:tag and by id; a rebuild under
the same tag leaves the old image behind as ``<none>:<none>`` (dangling).

>>> t = ImageTable(filter="busybox")                   # doctest: +SKIP
>>> t.select.value = "busybox:1.36"                    # opens its layers below
"""
from __future__ import annotations

import ipywidgets
import pandas as pd

from ..commands import image as I
from ..engine.errors import InvalidInput
from ..reads import tables
from .base import LabWidget
from .layers import LayerExplorer

COLUMNS = ["image", "id", "size", "created", "dangling", "kit", "session"]


def _ref(row) -> str:
    """What `docker rmi` / `docker history` take: repo:tag, or the id of a dangling image."""
    return row["id"] if row["dangling"] else f"{row['repository']}:{row['tag']}"


class ImageTable(LabWidget):
    """Local images with repo:tag, id, size, age, kit and session; a filter, a dangling
    toggle; select one to see its layers; remove the ones the toolkit built.

    >>> ImageTable(filter="busybox")     # doctest: +SKIP
    ImageTable(1 image: busybox:1.36)
    """

    title = "Images"
    subtitle = "repo:tag names an image; its id is what it is; <none> images are dangling leftovers"

    def __init__(self, filter: str = "", show_dangling: bool = False, autoload: bool = True,  # noqa: A002 - docker images --filter
                 **kwargs):
        self._initial = (filter, show_dangling)
        self.frame = pd.DataFrame(columns=tables.IMAGE_COLUMNS)  # the shown rows
        self._all = self.frame
        self.explorer: LayerExplorer | None = None
        super().__init__(autoload=autoload, **kwargs)

    def build(self):
        self.filter = ipywidgets.Text(value=self._initial[0], placeholder="filter: repo, tag or id",
                                      description="filter", continuous_update=False)
        self.dangling = ipywidgets.ToggleButton(value=self._initial[1], description="dangling",
                                                icon="ghost", tooltip="show <none>:<none> images (docker images -a)")
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh")
        self.table = ipywidgets.HTML("")
        self.select = ipywidgets.Select(options=[], rows=6, description="image",
                                        layout=ipywidgets.Layout(width="420px"))
        self.remove_button = ipywidgets.Button(description="Remove image", icon="trash", button_style="danger",
                                               tooltip="docker rmi: only images the toolkit built")
        self.layers_box = ipywidgets.VBox([])
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="reading images…"))
        self.dangling.observe(lambda _c: self.action(self.refresh, describe="reading images…"), "value")
        self.filter.observe(lambda _c: self.action(self._render, describe=None), "value")
        self.select.observe(lambda c: self.action(self._open_layers, c["new"], describe=None), "value")
        self.remove_button.on_click(lambda _b: self.action(self._remove, describe="removing image…"))
        return [ipywidgets.HBox([self.filter, self.dangling, self.refresh_button]), self.table,
                ipywidgets.HBox([self.select, self.remove_button]), self.layers_box]

    def refresh(self) -> None:
        self._all = tables.images(include_dangling=self.dangling.value)
        self.show_cli("docker images" + (" -a" if self.dangling.value else ""))
        self._render()

    def _render(self) -> None:
        """Apply the filter to the last listing (no daemon call)."""
        df = self._all
        needle = self.filter.value.strip().lower()
        if needle:
            hay = (df["repository"] + ":" + df["tag"] + " " + df["id"]).str.lower()
            df = df[hay.str.contains(needle, regex=False)]
        self.frame = df.reset_index(drop=True)
        shown = self.frame.assign(image=self.frame["repository"] + ":" + self.frame["tag"])[COLUMNS]
        self.table.value = shown.to_html(index=False, escape=True, classes="dl-table dl-images")
        refs = [_ref(r) for _, r in self.frame.iterrows()]
        current = self.select.value
        self.select.options = [(f"{ref}  ({r['id']}, {r['size']})" if not r["dangling"] else f"<none>  ({ref})", ref)
                               for ref, (_, r) in zip(refs, self.frame.iterrows(), strict=False)]
        if current in refs:
            self.select.value = current
        self.set_status(self.summary())

    def _open_layers(self, ref: str | None) -> None:
        if not ref:
            return
        if self.explorer is None:
            # Made on first use (its first load runs here, on our worker thread): a table
            # nobody drills into costs no layer reads.
            self.explorer = LayerExplorer(ref)
            self.layers_box.children = [self.explorer]
        else:
            self.explorer.show(ref)

    def _remove(self) -> None:
        ref = self.select.value
        if not ref:
            raise InvalidInput("no image selected", "Pick an image in the list first.")
        cli = I.remove(ref).line
        self.clear_error()
        self.refresh()
        self.show_cli(cli)  # the action's line, not the listing's
        self.set_status(f"removed {ref}", "ok")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        names = [_ref(r) if not r["dangling"] else "<none>" for _, r in self.frame.iterrows()]
        head = f"{len(names)} image{'s' * (len(names) != 1)}"
        return head + (f": {', '.join(names)}" if 0 < len(names) <= 5 else "")
