"""InspectViewer: ``docker inspect`` of one container as a collapsible tree, with a search
box and the facts learners look for pinned on top (state, IPs, ports, mounts, command).

The tree is plain HTML ``<details>``: light, and it still opens and closes in a saved
notebook, where no kernel runs.

>>> InspectViewer("web")               # doctest: +SKIP
InspectViewer(web: running)
"""
from __future__ import annotations

import json

import ipywidgets

from ..commands import container as C
from ..engine.names import familiar
from .base import MONO, LabWidget, esc

#: Branches opened when nothing is searched: the ones a learner reads first.
OPEN_BY_DEFAULT = {"State", "Config", "NetworkSettings", "Mounts", "HostConfig"}


def _mark(text: str, needle: str) -> str:
    """Escape ``text`` and wrap case-insensitive hits of ``needle`` in <mark>."""
    if not needle:
        return esc(text)
    low, n, out, i = text.lower(), needle.lower(), [], 0
    while (j := low.find(n, i)) >= 0:
        out += [esc(text[i:j]), f"<mark>{esc(text[j:j + len(n)])}</mark>"]
        i = j + len(n)
    return "".join(out + [esc(text[i:])])


def _matches(key: str, value, needle: str) -> bool:
    """Does this key, or anything under it, contain ``needle``?"""
    if needle in str(key).lower():
        return True
    if isinstance(value, dict):
        return any(_matches(k, v, needle) for k, v in value.items())
    if isinstance(value, list):
        return any(_matches("", v, needle) for v in value)
    return needle in json.dumps(value).lower()


def tree_html(key: str, value, needle: str = "", depth: int = 0) -> str:
    """One node: a <details> for dicts and lists, a line for scalars. With a search,
    only branches holding a hit are kept, opened."""
    n = needle.lower()
    if n and not _matches(key, value, n):
        return ""
    label = f"<span style='color:#0550ae'>{_mark(str(key), needle)}</span>"
    if isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        # A key that matches shows its whole branch; otherwise only the branches that match.
        sub = "" if n in str(key).lower() else needle
        children = "".join(tree_html(k, v, sub, depth + 1) for k, v in items)
        size = f"{len(value)} {'keys' if isinstance(value, dict) else 'items'}"
        is_open = bool(n) or depth == 0 or (depth == 1 and key in OPEN_BY_DEFAULT)
        return (f"<details{' open' if is_open else ''} style='margin-left:{12 if depth else 0}px'>"
                f"<summary>{label} <span style='opacity:.5'>{size}</span></summary>{children}</details>")
    return (f"<div style='margin-left:{12 if depth else 0}px; padding-left:14px'>{label}: "
            f"{_mark(json.dumps(value), needle)}</div>")


def pinned_facts(doc: dict) -> dict[str, str]:
    """The answers to the usual questions, from one inspect document."""
    state = doc.get("State") or {}
    cfg = doc.get("Config") or {}
    nets = (doc.get("NetworkSettings") or {}).get("Networks") or {}
    ports = (doc.get("NetworkSettings") or {}).get("Ports") or {}
    published = []
    for inner, binds in sorted(ports.items()):
        for b in binds or [None]:
            published.append(f"{b['HostIp'] or '0.0.0.0'}:{b['HostPort']} → {inner}" if b else f"{inner} (not published)")
    mounts = [f"{m.get('Type')} {m.get('Name') or m.get('Source')} → {m.get('Destination')}"
              + ("" if m.get("RW", True) else " (read-only)") for m in doc.get("Mounts") or []]
    status = state.get("Status", "?") + (f" (exit code {state.get('ExitCode')})" if state.get("Status") == "exited" else "")
    return {
        "state": status,
        "restart count": str(doc.get("RestartCount", 0)),
        "image": familiar(cfg.get("Image", "")),
        "entrypoint": " ".join(cfg.get("Entrypoint") or []) or "(none)",
        "cmd": " ".join(cfg.get("Cmd") or []) or "(none)",
        "IP per network": ", ".join(f"{n}: {v.get('IPAddress') or '(none)'}" for n, v in sorted(nets.items())) or "(none)",
        "ports": ", ".join(published) or "(none)",
        "mounts": ", ".join(mounts) or "(none)",
    }


class InspectViewer(LabWidget):
    """``docker inspect CONTAINER``: pinned facts, then the whole document as a tree.

    >>> v = InspectViewer("web"); v.search.value = "IPAddress"    # doctest: +SKIP
    """

    title = "Inspect"
    subtitle = "docker inspect: everything the daemon knows about one container"

    def __init__(self, container: str, **kwargs):
        self.container = container
        self.doc: dict = {}
        self.facts: dict[str, str] = {}
        super().__init__(**kwargs)

    def build(self):
        self.search = ipywidgets.Text(placeholder="search keys and values…", layout={"width": "260px"})
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="inspecting…"))
        self.search.observe(lambda _c: self.action(self.render, describe=None), "value")
        self.pinned = ipywidgets.HTML("")
        self.tree = ipywidgets.HTML("", layout={"max_height": "420px", "overflow": "auto"})
        return [ipywidgets.HBox([self.search, self.refresh_button]), self.pinned, self.tree]

    def refresh(self) -> None:
        self.doc, self.facts = {}, {}
        self.pinned.value = self.tree.value = ""
        doc = C.inspect(self.container)
        self.doc, self.facts = doc, pinned_facts(doc)
        self.show_cli(f"docker inspect {self.container}")
        rows = "".join(f"<tr><th style='text-align:left; padding-right:8px'>{esc(k)}</th>"
                       f"<td style='{MONO}'>{esc(v)}</td></tr>" for k, v in self.facts.items())
        self.pinned.value = f"<table class='dl-pinned'>{rows}</table>"
        self.render()

    def render(self) -> None:
        needle = self.search.value.strip()
        if not self.doc:
            return
        body = tree_html(self.doc.get("Name", self.container).lstrip("/"), self.doc, needle)
        self.tree.value = (f"<div class='dl-tree' style='{MONO}'>"
                           + (body or f"<i>nothing matches {esc(needle)!s}</i>") + "</div>")
        hits = body.count("<mark>")
        self.set_status(f"{hits} hits for {needle!r}" if needle else "", "info")

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        state = (self.doc.get("State") or {}).get("Status", "not found")
        return f"{self.container}: {state}"
