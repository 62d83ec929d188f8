"""RunBuilder: a form for ``docker run`` with the CLI line written live as you type.

Every field is checked as it changes (the same validation a :class:`RunSpec` does
before the daemon sees it): a bad field is marked and its hint shown under the form,
and Run stays disabled until the line is valid. Run creates the container through
``commands.run.run`` and shows its name, short id, status and first log lines.

>>> RunBuilder(image="nginx:1.25", name="web", ports="8080:80").preview_line   # doctest: +SKIP
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'
"""
from __future__ import annotations

import re

import ipywidgets

from ..commands import container as C
from ..commands import run as R
from ..commands import validate as V
from ..commands.run import Mount, Port, RunSpec
from ..engine.errors import DockerlabError, InvalidInput
from ..engine.names import DOCKER_NETWORKS
from ..reads import tables
from .base import CHANGES, MONO, LabWidget, cli_html, esc

RESTART = ["no", "always", "unless-stopped", "on-failure", "on-failure:3"]
FIELD_STYLE = ("<style>.dl-invalid input, .dl-invalid textarea, .dl-invalid select "
               "{border: 1px solid #cf222e !important; background: rgba(207,34,46,.05)}</style>")
#: Seconds to wait after starting before reading the first log lines.
LOG_DELAY = 1.0


def _items(text: str, lines_only: bool = False) -> list[str]:
    """Ports and mounts may be separated by commas or newlines; env entries by newlines
    only (a value may contain a comma)."""
    sep = r"\n" if lines_only else r"[,\n]"
    return [t.strip() for t in re.split(sep, text or "") if t.strip()]


def _env(text: str) -> dict[str, str]:
    out = {}
    for item in _items(text, lines_only=True):
        if "=" not in item:
            raise InvalidInput(f"invalid environment entry: {item!r}", "Write one KEY=value per line, e.g. MODE=dev.")
        k, _, v = item.partition("=")
        out[V.check_env_key(k.strip())] = V.check_env_value(k, v)
    return out


# field -> parser; each raises InvalidInput with a hint, or returns the parsed value
PARSERS = {
    "image": lambda s: V.check_image(s.strip()),
    "name": lambda s: V.check_name(s.strip(), "container name") if s.strip() else None,
    "command": V.split_command,
    "ports": lambda s: tuple(Port.parse(p) for p in _items(s)),
    "env": _env,
    "volumes": lambda s: tuple(Mount.parse(m) for m in _items(s)),
    "alias": lambda s: (V.check_alias(s.strip()),) if s.strip() else (),
    "workdir": lambda s: V.check_container_path(s.strip(), "working directory") if s.strip() else None,
}
#: RunSpec's field -> this form's field, for an error that involves two fields (the spec says which)
FORM_FIELD = {"aliases": "alias", "mounts": "volumes", "ports": "ports", "restart": "restart", "network": "network"}


class RunBuilder(LabWidget):
    """A ``docker run`` form: live CLI preview, per-field validation, Run through the commands layer.

    >>> RunBuilder(image="nginx:1.25", name="web", ports="8080:80", lesson="01-running")  # doctest: +SKIP
    RunBuilder(docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25)
    """

    title = "docker run"
    subtitle = "fill in the form; the command line below is what Run performs"

    def __init__(self, image: str = "busybox:1.36", name: str = "", command: str = "", ports: str = "",
                 env: str = "", volumes: str = "", network: str = "", alias: str = "", workdir: str = "",
                 restart: str = "no", detach: bool = True, interactive: bool = False, remove: bool = False,
                 lesson: str | None = None, autoload: bool = True, **kwargs):
        self._initial = dict(image=image, name=name, command=command, ports=ports, env=env, volumes=volumes,
                             network=network, alias=alias, workdir=workdir, restart=restart)
        self._flags = dict(detach=detach, interactive=interactive, remove=remove)
        self.lesson = lesson
        self.spec: RunSpec | None = None
        self.errors: dict[str, DockerlabError] = {}
        self.preview_line = ""
        self.result: dict = {}
        super().__init__(autoload=autoload, **kwargs)

    # ----------------------------------------------------------- controls
    def build(self):
        i, wide = self._initial, ipywidgets.Layout(width="420px")
        T = ipywidgets.Text
        self.fields = {
            "image": ipywidgets.Combobox(value=i["image"], options=[], ensure_option=False,
                                         placeholder="nginx:1.25", description="image", layout=wide),
            "name": T(value=i["name"], placeholder="web (optional)", description="name", layout=wide),
            "command": T(value=i["command"], placeholder="sleep 300 (optional)", description="command", layout=wide),
            "ports": T(value=i["ports"], placeholder="8080:80, 8443:443", description="ports", layout=wide),
            "env": ipywidgets.Textarea(value=i["env"], placeholder="KEY=value, one per line", description="env",
                                       rows=2, layout=wide),
            "volumes": T(value=i["volumes"], placeholder="data:/data or /host/site:/site:ro", description="volumes",
                         layout=wide),
            "network": ipywidgets.Dropdown(options=self._network_options([], i["network"]), value=i["network"],
                                           description="network"),
            "alias": T(value=i["alias"], placeholder="DNS alias (optional)", description="alias"),
            "workdir": T(value=i["workdir"], placeholder="/app (optional)", description="workdir", layout=wide),
            "restart": ipywidgets.Dropdown(options=RESTART, value=i["restart"] if i["restart"] in RESTART else "no",
                                           description="restart"),
        }
        self.labels = {k: w.description for k, w in self.fields.items()}
        f = self._flags
        self.detach = ipywidgets.Checkbox(value=f["detach"], description="detached (-d)", indent=False)
        self.interactive = ipywidgets.Checkbox(value=f["interactive"], description="interactive + tty (-it)",
                                               indent=False)
        self.remove = ipywidgets.Checkbox(value=f["remove"], description="remove on exit (--rm)", indent=False)
        self.preview = ipywidgets.HTML("")
        self.hints = ipywidgets.HTML("")
        self.run_button = ipywidgets.Button(description="Run", icon="play", button_style="primary")
        self.result_box = ipywidgets.HTML("")
        # The preview is recomputed synchronously: pure validation, no daemon IO, well under 1 ms.
        for w in [*self.fields.values(), self.detach, self.interactive, self.remove]:
            w.observe(self._update, names="value")
        self.run_button.on_click(self._on_run)
        self._update()
        F = self.fields
        return [ipywidgets.HTML(FIELD_STYLE), F["image"], F["name"], F["command"],
                ipywidgets.HBox([self.detach, self.interactive, self.remove]),
                F["ports"], F["env"], F["volumes"], ipywidgets.HBox([F["network"], F["alias"]]),
                ipywidgets.HBox([F["workdir"], F["restart"]]), self.preview, self.hints,
                self.run_button, self.result_box]

    @staticmethod
    def _network_options(names: list[str], current: str) -> list[tuple[str, str]]:
        extra = [n for n in [*DOCKER_NETWORKS, *names, current] if n]
        return [("(default bridge)", "")] + [(n, n) for n in dict.fromkeys(extra)]

    def refresh(self) -> None:
        """Image and network choices from the kit catalog and the daemon."""
        try:
            from ..kit import catalog
            refs = [e.ref for e in catalog.CATALOG]
        except ImportError:  # a checkout without the kit: offer what the daemon has
            df = tables.images(include_dangling=False)
            refs = [f"{r}:{t}" for r, t in zip(df["repository"], df["tag"], strict=False)]
        self.fields["image"].options = refs
        nets = tables.networks(lab_only=True)["name"].tolist()
        dd = self.fields["network"]
        dd.options = self._network_options(nets, dd.value)

    # ----------------------------------------------------------- validation + preview
    def _update(self, _change=None) -> None:
        values, errors = {}, {}
        for key, parse in PARSERS.items():
            try:
                values[key] = parse(self.fields[key].value)
            except DockerlabError as e:
                errors[key] = e
        if values.get("alias") and self.fields["network"].value == "bridge":
            errors["alias"] = InvalidInput(
                "the default bridge has no aliases (no DNS names)",
                "Create a user-defined network (docker network create app-net) and pick it: "
                "containers on it find each other by name and alias.")
        spec = None
        if not errors:
            try:
                spec = RunSpec(values["image"], command=values["command"], name=values["name"],
                               detach=self.detach.value, interactive=self.interactive.value,
                               tty=self.interactive.value, remove=self.remove.value, ports=values["ports"],
                               env=values["env"], mounts=values["volumes"],
                               network=self.fields["network"].value or None, aliases=values["alias"],
                               workdir=values["workdir"], restart=self.fields["restart"].value,
                               lesson=self.lesson).validated()
                self.preview_line = spec.cli()
            except DockerlabError as e:
                spec = None
                errors[FORM_FIELD.get(getattr(e, "field", ""), "image")] = e
        self.spec, self.errors = spec, errors
        for key, w in self.fields.items():
            bad = key in errors
            (w.add_class if bad else w.remove_class)("dl-invalid")
            w.description = ("⚠ " if bad else "") + self.labels[key]
            w.tooltip = errors[key].hint if bad else None
        self.run_button.disabled = spec is None
        self.preview.value = cli_html([self.preview_line]) if spec else ""
        self.hints.value = "".join(
            f"<div class='dl-hint' style='color:#cf222e'><b>{esc(self.labels[k])}</b>: {esc(e.message)}"
            f" — {esc(e.hint)}</div>" for k, e in errors.items())

    # ----------------------------------------------------------- run
    def _on_run(self, _b=None) -> None:
        if self.spec is None:
            return
        self.action(self._run, self.spec, describe="starting container…")

    def _run(self, spec: RunSpec) -> None:
        self.clear_error()
        self.result_box.value = ""
        self.show_cli(spec.cli())
        created = R.run(spec)
        result = {"name": created.name, "id": created.short_id, "status": created.status, "logs": []}
        if spec.detach:
            self._stop.wait(LOG_DELAY)  # give the main process a moment to log (or to crash)
            try:
                result["status"] = C.inspect(created.id)["State"]["Status"]
                result["logs"] = [line for _s, line in C.logs(created.id).value[:5]]
            except DockerlabError:
                result["status"] = "removed (--rm)" if spec.remove else "gone"
        else:
            result["logs"] = getattr(created, "output", "").splitlines()[:5]
        self.result = result
        logs = "<br>".join(esc(ln) for ln in result["logs"]) or "<i>(no output yet)</i>"
        self.result_box.value = (
            f"<div class='dl-result'>container <b>{esc(result['name'])}</b> <code>{esc(result['id'])}</code>"
            f" — {esc(result['status'])}<div style='{MONO} opacity:.85'>{logs}</div></div>")
        self.set_status(f"{result['name']}: {result['status']}", "ok" if result["status"] == "running" else "warn")
        CHANGES.changed()  # a NetworkMap (or any view that observes it) redraws

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        if self.spec is None:
            return "invalid: " + ", ".join(sorted(self.errors))
        return self.preview_line

