"""NetworkPanel: networks, who is attached (IP, aliases), and create / connect /
disconnect / remove — each action showing its ``docker network ...`` line.

The lesson it serves: containers on one user-defined network find each other by name
and alias (Docker's embedded DNS); the default bridge offers no such names.

>>> p = NetworkPanel()                                   # doctest: +SKIP
>>> p.new_name.value = "app-net"; p.create_button.click()  # doctest: +SKIP
"""
from __future__ import annotations

import ipywidgets
import pandas as pd

from ..commands import network as NC
from ..commands.network import NetworkSpec
from ..engine.errors import InvalidInput
from ..reads import topology as N
from .base import CHANGES, LabWidget

COLUMNS = ["network", "driver", "subnet", "gateway", "containers"]


def _attached(net: dict) -> str:
    """``web 172.18.0.2 (alias: api)`` for each container on the network."""
    parts = []
    for c in net["containers"]:
        alias = f" (alias: {', '.join(c['aliases'])})" if c["aliases"] else ""
        parts.append(f"{c['name']} {c['ip'].split('/')[0]}".strip() + alias)
    return "; ".join(parts)


class NetworkPanel(LabWidget):
    """Networks with driver, subnet, gateway and attached containers; create, connect
    (with an alias), disconnect and remove. Each change bumps ``CHANGES.revision``, so a
    NetworkMap redraws itself.

    >>> NetworkPanel(lesson="02-networking")    # doctest: +SKIP
    NetworkPanel(2 networks: app-net, bridge)
    """

    title = "Networks"
    subtitle = "user-defined networks give containers DNS names; the default bridge does not"

    def __init__(self, all_networks: bool = False, lesson: str | None = None, autoload: bool = True, **kwargs):
        self.all_networks = all_networks
        self.lesson = lesson
        self.topo: dict = {"networks": [], "containers": []}
        super().__init__(autoload=autoload, **kwargs)

    # ----------------------------------------------------------- controls
    def build(self):
        self.table = ipywidgets.HTML("")
        lay = ipywidgets.Layout(width="160px")
        self.new_name = ipywidgets.Text(placeholder="app-net", description="name", layout=lay)
        self.new_driver = ipywidgets.Dropdown(options=["bridge", "overlay", "macvlan", "ipvlan"], value="bridge",
                                              description="driver", layout=lay)
        self.new_subnet = ipywidgets.Text(placeholder="10.77.0.0/24 (optional)", description="subnet",
                                          layout=ipywidgets.Layout(width="220px"))
        self.create_button = ipywidgets.Button(description="Create", icon="plus", button_style="primary")
        self.network = ipywidgets.Dropdown(options=[], description="network", layout=lay)
        self.container = ipywidgets.Dropdown(options=[], description="container", layout=lay)
        self.alias = ipywidgets.Text(placeholder="optional", description="alias", layout=lay)
        self.connect_button = ipywidgets.Button(description="Connect", icon="link")
        self.disconnect_button = ipywidgets.Button(description="Disconnect", icon="unlink")
        self.remove_button = ipywidgets.Button(description="Remove network", icon="trash", button_style="danger")
        self.refresh_button = ipywidgets.Button(description="Refresh", icon="refresh")
        self.create_button.on_click(lambda _b: self.action(self._create, describe="creating network…"))
        self.connect_button.on_click(lambda _b: self.action(self._connect_container, describe="connecting…"))
        self.disconnect_button.on_click(lambda _b: self.action(self._disconnect, describe="disconnecting…"))
        self.remove_button.on_click(lambda _b: self.action(self._remove, describe="removing network…"))
        self.refresh_button.on_click(lambda _b: self.action(self.refresh, describe="reading networks…"))
        H = ipywidgets.HBox
        return [H([self.refresh_button]), self.table,
                H([self.new_name, self.new_driver, self.new_subnet, self.create_button]),
                H([self.network, self.container, self.alias]),
                H([self.connect_button, self.disconnect_button, self.remove_button])]

    # ----------------------------------------------------------- data
    def refresh(self) -> None:
        topo = N.topology(lab_only=True, networks=None if self.all_networks else ("bridge",))
        self.topo = topo
        rows = [{"network": n["name"], "driver": n["driver"], "subnet": n["subnet"], "gateway": n["gateway"],
                 "containers": _attached(n)} for n in topo["networks"]]
        self.table.value = pd.DataFrame(rows, columns=COLUMNS).to_html(
            index=False, escape=True, classes="dl-table dl-networks")
        names = [n["name"] for n in topo["networks"]]
        self.network.options = names
        self.container.options = [c["name"] for c in topo["containers"]]
        self.set_status(f"{len(names)} networks")

    def _after_change(self, *cli: str) -> None:
        self.clear_error()
        self.show_cli(*cli)
        self.refresh()
        CHANGES.changed()

    # ----------------------------------------------------------- actions
    def _create(self) -> None:
        spec = NetworkSpec(self.new_name.value.strip(), driver=self.new_driver.value or None,
                           subnet=self.new_subnet.value.strip() or None, lesson=self.lesson)
        created = NC.create(spec)
        self._after_change(created.line)
        self.network.value = created.name
        self.set_status(f"created network {created.name}", "ok")

    def _connect_container(self) -> None:
        net, cont = self._chosen()
        alias = self.alias.value.strip()
        cli = NC.connect(net, cont, [alias] if alias else []).line
        self._after_change(cli)
        self.set_status(f"connected {cont} to {net}", "ok")

    def _disconnect(self) -> None:
        net, cont = self._chosen()
        cli = NC.disconnect(net, cont).line
        self._after_change(cli)
        self.set_status(f"disconnected {cont} from {net}", "ok")

    def _remove(self) -> None:
        net = self._chosen(need_container=False)[0]
        cli = NC.remove(net).line
        self._after_change(cli)
        self.set_status(f"removed network {net}", "ok")

    def _chosen(self, need_container: bool = True) -> tuple[str, str]:
        if not self.network.value:
            raise InvalidInput("no network chosen", "Create a network first, then pick it in the list.")
        if need_container and not self.container.value:
            raise InvalidInput("no container chosen",
                               "Run a container first (RunBuilder or dl.run), then press Refresh.")
        return self.network.value, self.container.value or ""

    def summary(self) -> str:
        if not self.connected:
            return "daemon unreachable"
        names = [n["name"] for n in self.topo["networks"]]
        return f"{len(names)} network{'s' * (len(names) != 1)}: {', '.join(names)}"
