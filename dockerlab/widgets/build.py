"""BuildRunner: edit a Dockerfile and its context files, build, and watch each step —
cache hit or miss, and how long it took; compare two builds side by side.

The lesson it serves: the build cache reuses every step up to the first one whose
input changed, and rebuilds all after it. Order the Dockerfile so that what changes
least comes first (install dependencies, then COPY the code that changes daily).

>>> b = BuildRunner("FROM busybox:1.36\\nCOPY index.html /www/\\n", files={"index.html": "v1"}, tag="site:v1")
>>> b.build_button.click()      # doctest: +SKIP
"""
from __future__ import annotations

import os
import time

import ipywidgets
import pandas as pd

from ..commands import build as builds
from ..commands.build import BuildSpec
from ..engine.errors import InvalidInput
from .base import MONO, LabWidget, esc

#: Builds kept for comparison (the oldest is dropped first).
KEEP_BUILDS = 10
#: Log lines kept on screen; the widget redraws the log at most this often (seconds).
LOG_LINES = 200
LOG_EVERY = 0.1


def _read_folder(folder: str) -> dict[str, bytes]:
    """A context folder's files, so the editor's Dockerfile and files can overlay them."""
    out = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = f.read()
    return out


def compare_builds(a: builds.BuildResult, b: builds.BuildResult) -> pd.DataFrame:
    """Two builds' steps side by side, matched by step number."""
    ta = a.table().set_index("step").add_suffix(" (A)")
    tb = b.table().set_index("step").add_suffix(" (B)")
    joined = ta.join(tb, how="outer").reset_index()
    return joined.fillna("")


class BuildRunner(LabWidget):
    """A Dockerfile editor, context files (name + content) and/or a context folder, tag,
    ``-f`` name, ``--no-cache``; Build streams the log with step N/M and a table of
    steps (cache hit/miss, seconds); earlier builds stay for a side-by-side comparison.

    >>> BuildRunner("FROM busybox:1.36\\n", tag="demo:v1")    # doctest: +SKIP
    BuildRunner(demo:v1: no builds yet)
    """

    title = "Build"
    subtitle = "each step is cached until its input changes; everything after a change is rebuilt"

    def __init__(self, dockerfile: str = "", files: dict[str, str] | None = None, tag: str = "",
                 context: str = "", dockerfile_name: str = "Dockerfile", lesson: str | None = None,
                 autoload: bool = True, **kwargs):
        self._initial = (dockerfile, dict(files or {}), tag, context, dockerfile_name)
        self.lesson = lesson
        self.builds: list[builds.BuildResult] = []
        super().__init__(autoload=autoload, **kwargs)

    # ----------------------------------------------------------- controls
    def build(self):
        dockerfile, files, tag, context, name = self._initial
        wide = ipywidgets.Layout(width="520px")
        self.dockerfile = ipywidgets.Textarea(value=dockerfile, placeholder="FROM busybox:1.36\nRUN ...",
                                              description="Dockerfile", rows=8, layout=wide)
        self.files_box = ipywidgets.VBox([])
        self.add_file_button = ipywidgets.Button(description="Add file", icon="plus")
        self.add_file_button.on_click(lambda _b: self.add_file())
        for fname, content in files.items():
            self.add_file(fname, content)
        self.context = ipywidgets.Text(value=context, placeholder="optional: a folder on this machine",
                                       description="context", layout=wide)
        self.tag = ipywidgets.Text(value=tag, placeholder="app:v1", description="tag (-t)")
        self.file_name = ipywidgets.Text(value=name, description="file (-f)")
        self.nocache = ipywidgets.Checkbox(value=False, description="--no-cache", indent=False)
        self.build_button = ipywidgets.Button(description="Build", icon="hammer", button_style="primary")
        self.build_button.on_click(lambda _b: self.action(self._build, describe="building…"))
        self.progress = ipywidgets.IntProgress(value=0, min=0, max=1, description="step 0/0")
        self.log_view = ipywidgets.HTML("")
        self.steps = ipywidgets.HTML("")
        self.compare_a = ipywidgets.Dropdown(options=[], description="build A")
        self.compare_b = ipywidgets.Dropdown(options=[], description="build B")
        self.compare_button = ipywidgets.Button(description="Compare", icon="columns")
        self.compare_button.on_click(lambda _b: self.action(self._compare, describe=None))
        self.comparison = ipywidgets.HTML("")
        H = ipywidgets.HBox
        return [self.dockerfile, ipywidgets.HTML("<b>context files</b>"), self.files_box, self.add_file_button,
                self.context, H([self.tag, self.file_name, self.nocache]), H([self.build_button, self.progress]),
                self.log_view, self.steps, H([self.compare_a, self.compare_b, self.compare_button]), self.comparison]

    def add_file(self, name: str = "", content: str = "") -> None:
        """One more context file row (name + content) with its own remove button."""
        fname = ipywidgets.Text(value=name, placeholder="index.html", layout=ipywidgets.Layout(width="160px"))
        text = ipywidgets.Textarea(value=content, rows=2, layout=ipywidgets.Layout(width="350px"))
        drop = ipywidgets.Button(icon="trash", tooltip="remove this file", layout=ipywidgets.Layout(width="40px"))
        row = ipywidgets.HBox([fname, text, drop])
        drop.on_click(lambda _b: setattr(self.files_box, "children",
                                         [r for r in self.files_box.children if r is not row]))
        self.files_box.children = [*self.files_box.children, row]

    def set_file(self, name: str, content: str) -> None:
        """Change (or add) one context file: the "edit a file, rebuild" step of the lesson."""
        for row in self.files_box.children:
            if row.children[0].value.strip() == name:
                row.children[1].value = content
                return
        self.add_file(name, content)

    # ----------------------------------------------------------- build
    def _spec(self) -> BuildSpec:
        name = self.file_name.value.strip() or "Dockerfile"
        files: dict = {}
        for row in self.files_box.children:
            fname, content = row.children[0].value.strip(), row.children[1].value
            if fname:
                files[fname] = content
        if self.dockerfile.value.strip():
            files[name] = self.dockerfile.value
        folder = self.context.value.strip()
        if folder and not os.path.isdir(folder):
            raise InvalidInput(f"build context is not a folder: {folder!r}",
                               "Give an existing folder, or leave it empty and add the files above.")
        if folder and not files:
            spec = BuildSpec(self.tag.value.strip(), context=folder, dockerfile=name,
                             nocache=self.nocache.value, lesson=self.lesson)
        else:
            if folder:
                files = {**_read_folder(folder), **files}
            spec = BuildSpec(self.tag.value.strip(), files=files, dockerfile=name,
                             nocache=self.nocache.value, lesson=self.lesson)
        return spec.validated()

    def _build(self) -> builds.BuildResult:
        spec = self._spec()
        self.clear_error()
        self.show_cli(spec.cli())
        self.progress.value, self.progress.max, self.progress.description = 0, 1, "step 0/?"
        self.progress.bar_style = ""
        lines: list[str] = []
        drawn = [0.0]

        def on_line(line: str, step, total: int) -> None:
            lines.append(line)
            del lines[:-LOG_LINES]
            if step is not None and step.step != self.progress.value:
                self.progress.max, self.progress.value = max(total, 1), step.step
                self.progress.description = f"step {step.step}/{total}"
            if time.monotonic() - drawn[0] >= LOG_EVERY:
                drawn[0] = time.monotonic()
                self._draw_log(lines)

        result = builds.build(spec, on_line=on_line, raise_on_error=False)
        self._draw_log(lines)
        self.builds = [*self.builds, result][-KEEP_BUILDS:]
        self.steps.value = self._steps_html(result)
        labels = [(f"#{i + 1} {b.tag} ({'ok' if b.ok else 'failed'}, {b.seconds:.1f} s)", i)
                  for i, b in enumerate(self.builds)]
        self.compare_a.options, self.compare_b.options = labels, labels
        if len(labels) >= 2:
            self.compare_a.value, self.compare_b.value = len(labels) - 2, len(labels) - 1
        if result.error is not None:
            self.progress.bar_style = "danger"
            self.show_error(result.error)
        else:
            self.progress.bar_style = "success"
            self.progress.value = self.progress.max
            self.set_status(f"built {result.tag} in {result.seconds:.1f} s — {result.cache_line()}", "ok")
        return result

    def _draw_log(self, lines: list[str]) -> None:
        body = "\n".join(esc(ln) for ln in lines[-LOG_LINES:])
        self.log_view.value = (f"<pre class='dl-build-log' style='{MONO} max-height: 240px; overflow: auto; "
                          f"margin: 0'>{body}</pre>")

    @staticmethod
    def _steps_html(result: builds.BuildResult) -> str:
        head = f"<div><b>{esc(result.tag)}</b>: {esc(result.cache_line())}, {result.seconds:.1f} s</div>"
        return head + result.table().to_html(index=False, escape=True, classes="dl-table dl-build-steps")

    def _compare(self) -> pd.DataFrame:
        if len(self.builds) < 2 or self.compare_a.value is None or self.compare_b.value is None:
            raise InvalidInput("two builds are needed to compare",
                               "Build once, change a file (or the Dockerfile), build again, then Compare.")
        a, b = self.builds[self.compare_a.value], self.builds[self.compare_b.value]
        table = compare_builds(a, b)
        self.comparison.value = (
            f"<div>A: {esc(a.cache_line())}, {a.seconds:.1f} s — B: {esc(b.cache_line())}, {b.seconds:.1f} s</div>"
            + table.to_html(index=False, escape=True, classes="dl-table dl-build-compare"))
        self.clear_error()
        return table

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        tag = self.tag.value.strip() or "no tag"
        if not self.builds:
            return f"{tag}: no builds yet"
        last = self.builds[-1]
        n = len(self.builds)
        return f"{tag}: {n} build{'s' * (n != 1)}, last {'ok' if last.ok else 'failed'}, {last.cache_line()}"
