"""LayerExplorer: an image's layers (what each build step added, and how much), and for
two images the layers they share — stored once on disk, pulled once.

The lesson it serves: an image is a stack of read-only layers; metadata steps (ENV,
CMD, LABEL) add none; images built FROM the same base share its layers.

>>> LayerExplorer("nginx:1.25", compare="debian:bookworm-slim")   # doctest: +SKIP
LayerExplorer(nginx:1.25 vs debian:bookworm-slim: shared layers: 1 of 4)
"""
from __future__ import annotations

import io

import ipywidgets

from ..engine.errors import InvalidInput
from ..reads import layers as core_layers
from .base import LabWidget, esc

#: Layer rows in the chart: the biggest stacks are long; the tail is summed up.
MAX_BARS = 30


def bar_chart_png(labels: list[str], sizes: list[int], title: str) -> bytes:
    """A horizontal bar chart of layer sizes (oldest layer on top), as PNG bytes."""
    import matplotlib
    matplotlib.use("Agg")  # no display: works in threads and in CI
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 0.35 * max(len(labels), 2) + 0.9), dpi=80)
    ax = fig.add_subplot()
    mb = [s / 1e6 for s in sizes]
    ax.barh(range(len(labels)), mb, color="#0969da")
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([lbl if len(lbl) <= 48 else lbl[:47] + "…" for lbl in labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("MB")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class LayerExplorer(LabWidget):
    """Layers of ``image`` as a table and a bar chart; with ``compare``, the layers the
    two images share (by ``RootFS.Layers`` digests) and a line ``shared layers: N of M``.

    >>> LayerExplorer("busybox:1.36")    # doctest: +SKIP
    LayerExplorer(busybox:1.36: 2 layers, 5 steps)
    """

    title = "Layers"
    subtitle = "each build step that changes files adds a read-only layer; images share their common base"

    def __init__(self, image: str = "", compare: str = "", autoload: bool = True, **kwargs):
        self._initial = (image, compare)
        self.history = None   # DataFrame of the shown image's steps
        self.shared = None    # reads.layers.SharedLayers when comparing
        super().__init__(autoload=autoload, **kwargs)

    def build(self):
        lay = ipywidgets.Layout(width="260px")
        self.image = ipywidgets.Text(value=self._initial[0], placeholder="busybox:1.36", description="image",
                                     layout=lay)
        self.compare = ipywidgets.Text(value=self._initial[1], placeholder="optional: a second image",
                                       description="compare", layout=lay)
        self.show_button = ipywidgets.Button(description="Show layers", icon="layer-group", button_style="primary")
        self.show_button.on_click(lambda _b: self.action(self.refresh, describe="reading layers…"))
        self.table = ipywidgets.HTML("")
        self.chart = ipywidgets.Image(format="png", layout=ipywidgets.Layout(max_width="640px"))
        self.count_line = ipywidgets.HTML("")
        self.shared_table = ipywidgets.HTML("")
        return [ipywidgets.HBox([self.image, self.compare, self.show_button]), self.table, self.chart,
                self.count_line, self.shared_table]

    def show(self, image: str, compare: str = "") -> None:
        """Point the explorer at ``image`` (and ``compare``) and load it, off the kernel thread."""
        self.image.value, self.compare.value = image, compare
        self.action(self.refresh, describe="reading layers…")

    def refresh(self) -> None:
        ref, other = self.image.value.strip(), self.compare.value.strip()
        self.history, self.shared = None, None
        self.table.value = self.count_line.value = self.shared_table.value = ""
        self.chart.value = b""
        if not ref:
            self.set_status("type an image, e.g. busybox:1.36")
            return
        if ref == other:
            raise InvalidInput("the two images are the same", "Compare two different images, e.g. "
                               "nginx:1.25 and debian:bookworm-slim.")
        h = core_layers.history(ref)
        cli = [f"docker history {ref}", f"docker image inspect -f '{{{{json .RootFS.Layers}}}}' {ref}"]
        shown = h[["step", "created_by", "size", "empty_layer"]].copy()
        shown["layer"] = h["layer"].map(lambda d: d.split(":")[-1][:12])
        self.table.value = shown.to_html(index=False, escape=True, classes="dl-table dl-layers")
        real = h[~h["empty_layer"]].tail(MAX_BARS)
        self.chart.value = bar_chart_png([f"{r.step}: {r.created_by}" for r in real.itertuples()],
                                         list(real["bytes"]), f"{ref}: size of each layer")
        self.history = h
        if other:
            self.shared = core_layers.shared_layers(ref, other)
            cli += [f"docker history {other}", f"docker image inspect -f '{{{{json .RootFS.Layers}}}}' {other}"]
            t = self.shared.table.rename(columns={"in_a": ref, "in_b": other})
            self.shared_table.value = t.to_html(index=False, escape=True, classes="dl-table dl-shared")
            self.count_line.value = (f"<b>{esc(self.shared.count_line())}</b> "
                                     f"<span style='opacity:.7'>(build steps in common: "
                                     f"{self.shared.shared_history})</span>")
        self.clear_error()
        self.show_cli(*cli)
        self.set_status(self._describe(), "ok")

    def _describe(self) -> str:
        if self.shared is not None:
            return f"{self.shared.a} vs {self.shared.b}: {self.shared.count_line()}"
        if self.history is None:
            return "no image chosen"
        n = int((~self.history["empty_layer"]).sum())
        steps = len(self.history)
        return f"{self.image.value.strip()}: {n} layer{'s' * (n != 1)}, {steps} step{'s' * (steps != 1)}"

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        return self._describe()
