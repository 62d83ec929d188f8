"""NetworkMap: host → published ports → containers → networks, as a diagram.

Drawn as inline SVG inside an ``ipywidgets.HTML``: it renders in JupyterLab and from a
saved notebook's widget state, needs no JavaScript library, and is deterministic — the
layout follows sorted names and shows no ids or IPs (they change run to run).
``to_mermaid()`` gives the same graph as Mermaid text for a Markdown cell.

>>> m = NetworkMap()           # doctest: +SKIP
>>> m.refresh(); m.to_mermaid().splitlines()[0]   # doctest: +SKIP
'flowchart LR'
"""
from __future__ import annotations

import ipywidgets

from ..reads import topology as N
from .base import CHANGES, LabWidget, esc

COL_X = (10, 170, 370, 660)  # host, ports, containers, networks
BOX_W, BOX_H, ROW = (140, 180, 190), 34, 46
STROKE = "#57606a"
FILL = {"host": "#eaeef2", "port": "#fff8c5", "container": "#ddf4ff", "exited": "#f6f8fa", "network": "#dafbe1"}


def _port_label(p: dict) -> str:
    return f"{p['host_ip']}:{p['host_port']}→{p['container_port']}/{p['protocol']}"


def _layout(topo: dict) -> dict:
    """Rows for each column, sorted by name, and the edges between them."""
    containers = sorted(topo["containers"], key=lambda c: c["name"])  # layout by name: deterministic
    nets = [n["name"] for n in topo["networks"]]
    for c in containers:  # a container's network that is not listed (e.g. host) still gets a box
        nets += [ln["name"] for ln in c["networks"] if ln["name"] not in nets]
    nets = sorted(set(nets))
    ports = [(c["name"], p) for c in containers
             for p in sorted(c["ports"], key=lambda p: (p["host_port"], p["host_ip"], p["container_port"]))]
    edges = [("host", f"p{i}", "") for i in range(len(ports))]
    edges += [(f"p{i}", f"c:{cname}", "") for i, (cname, _) in enumerate(ports)]
    edges += [(f"c:{c['name']}", f"n:{ln['name']}", ", ".join(ln["aliases"]))
              for c in containers for ln in sorted(c["networks"], key=lambda ln: ln["name"])]
    return {"containers": containers, "networks": nets, "ports": ports,
            "edges": edges}


def network_map_svg(topo: dict | None = None, lab_only: bool = True) -> str:
    """The diagram as an SVG string (``topo`` from ``reads.topology.topology()``)."""
    topo = topo if topo is not None else N.topology(lab_only=lab_only)
    lay = _layout(topo)
    pos: dict[str, tuple[float, float, int]] = {}  # node -> (x, y centre, width)
    row = 0  # a container takes one row per published port (at least one): its ports sit beside it
    for c in lay["containers"]:
        mine = [i for i, (cname, _) in enumerate(lay["ports"]) if cname == c["name"]]
        for k, i in enumerate(mine):
            pos[f"p{i}"] = (COL_X[1], 40 + (row + k) * ROW, BOX_W[1])
        span = max(1, len(mine))
        pos[f"c:{c['name']}"] = (COL_X[2], 40 + (row + (span - 1) / 2) * ROW, BOX_W[1])
        row += span
    rows = max(row, len(lay["networks"]), 1)
    height = rows * ROW + 40
    width = COL_X[3] + BOX_W[2] + 10
    pos["host"] = (COL_X[0], height / 2, BOX_W[0])
    for i, n in enumerate(lay["networks"]):
        pos[f"n:{n}"] = (COL_X[3], 40 + i * ROW, BOX_W[2])

    out = [f"<svg xmlns='http://www.w3.org/2000/svg' class='dl-network-map' width='100%' style='max-width:{width}px' "
           f"viewBox='0 0 {width} {height}' font-family='sans-serif' font-size='11'>",
           "".join(f"<text x='{x}' y='14' font-weight='bold' fill='{STROKE}'>{t}</text>"
                   for x, t in zip(COL_X, ("host", "published ports", "containers", "networks"), strict=False))]
    for a, b, label in lay["edges"]:
        (xa, ya, wa), (xb, yb, _) = pos[a], pos[b]
        out.append(f"<line x1='{xa + wa}' y1='{ya:.0f}' x2='{xb}' y2='{yb:.0f}' stroke='{STROKE}' stroke-width='1.2'/>")
        if label:
            out.append(f"<text x='{(xa + wa + xb) / 2:.0f}' y='{(ya + yb) / 2 - 4:.0f}' text-anchor='middle' "
                       f"fill='{STROKE}' "
                       f"font-style='italic'>alias {esc(label)}</text>")

    def box(node, kind, line1, line2=""):
        x, y, w = pos[node]
        out.append(f"<rect x='{x}' y='{y - BOX_H / 2:.0f}' width='{w}' height='{BOX_H}' rx='6' "
                   f"fill='{FILL[kind]}' stroke='{STROKE}'/>")
        dy = -3 if line2 else 4
        out.append(f"<text x='{x + 6}' y='{y + dy:.0f}' font-weight='bold'>{esc(line1)}</text>")
        if line2:
            out.append(f"<text x='{x + 6}' y='{y + 11:.0f}' fill='{STROKE}'>{esc(line2)}</text>")

    box("host", "host", "this machine")
    for i, (_, p) in enumerate(lay["ports"]):
        box(f"p{i}", "port", _port_label(p))
    for c in lay["containers"]:
        kind = "container" if c["state"] == "running" else "exited"
        box(f"c:{c['name']}", kind, c["name"], f"{c['image']} · {c['state']}")
    drivers = {n["name"]: n["driver"] for n in topo["networks"]}
    for n in lay["networks"]:
        box(f"n:{n}", "network", n, drivers.get(n, ""))
    out.append("</svg>")
    return "".join(out)


def network_map_mermaid(topo: dict) -> str:
    """The same graph as Mermaid ``flowchart LR`` text (for a ```` ```mermaid ```` cell)."""
    lay = _layout(topo)
    ids = {"host": "host"}
    lines = ["flowchart LR", '  host[("this machine")]']
    for i, (_, p) in enumerate(lay["ports"]):
        ids[f"p{i}"] = f"p{i}"
        lines.append(f'  p{i}(["{_port_label(p)}"])')
    for i, c in enumerate(lay["containers"]):
        ids[f"c:{c['name']}"] = f"c{i}"
        lines.append(f'  c{i}["{c["name"]}<br/>{c["image"]}"]')
    for i, n in enumerate(lay["networks"]):
        ids[f"n:{n}"] = f"n{i}"
        lines.append(f'  n{i}{{{{"{n}"}}}}')
    for a, b, label in lay["edges"]:
        arrow = f' -- "alias {label}" --- ' if label else (" --> " if not b.startswith("n:") else " --- ")
        lines.append(f"  {ids[a]}{arrow}{ids[b]}")
    return "\n".join(lines)


class NetworkMap(LabWidget):
    """A diagram of host → published ports → containers → networks. It redraws itself when a
    widget changes the daemon (it observes ``CHANGES.revision``); ``refresh()`` after a verb.

    >>> NetworkMap()                       # doctest: +SKIP
    NetworkMap(2 containers, 2 networks, 1 published port)
    """

    title = "Network map"
    subtitle = "how a request reaches a container: host port → container → network"

    def __init__(self, lab_only: bool = True, autoload: bool = True, **kwargs):
        self.lab_only = lab_only
        self.topo: dict = {"networks": [], "containers": []}
        super().__init__(autoload=autoload, **kwargs)
        CHANGES.observe(self._daemon_changed, "revision")

    def _daemon_changed(self, _change) -> None:
        if self.connected:
            self.action(self.refresh, describe=None)

    def close(self) -> None:
        CHANGES.unobserve(self._daemon_changed, "revision")
        super().close()

    def build(self):
        self.diagram = ipywidgets.HTML("")
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="reading networks…"))
        return [self.refresh_button, self.diagram]

    def refresh(self) -> None:
        topo = N.topology(lab_only=self.lab_only)
        self.topo = topo
        self.diagram.value = network_map_svg(topo)
        self.show_cli("docker network ls", "docker ps -a" + (" --filter label=dockerlab.session" if self.lab_only else ""))
        self.set_status("")

    def to_mermaid(self) -> str:
        return network_map_mermaid(self.topo)

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        nports = sum(len(c["ports"]) for c in self.topo["containers"])
        nc, nn = len(self.topo["containers"]), len(self.topo["networks"])
        return (f"{nc} container{'s' * (nc != 1)}, {nn} network{'s' * (nn != 1)}, "
                f"{nports} published port{'s' * (nports != 1)}")
