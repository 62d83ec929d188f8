"""Networks and who is attached to them, as plain data.

``docker network ls`` does not say which containers are attached; ``docker network
inspect`` does, but one call per network and without aliases. The container list
carries each container's endpoints (network, IP), so joining the two lists answers
"who is on which network" in two requests; aliases, which only ``docker inspect``
shows, cost one more call per container on a user-defined network (made in parallel).

>>> [n["name"] for n in topology()["networks"]]        # doctest: +SKIP
['app-net', 'bridge']
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ..engine import podman
from ..engine.client import engine
from ..engine.errors import translating
from ..engine.names import BUILTIN_NETWORKS
from ..session import labels as L


def _ipam(net: dict) -> tuple[str, str]:
    cfg = ((net.get("IPAM") or {}).get("Config") or [{}])
    first = cfg[0] if cfg else {}
    return first.get("Subnet", "") or "", first.get("Gateway", "") or ""


def _aliases(endpoint: dict, cid: str, name: str) -> list[str]:
    """The names a container answers to on a network, minus the ones Docker adds by
    itself (its short id, its own name), which vary run to run or say nothing new."""
    found = endpoint.get("Aliases") or []
    return sorted({a for a in found if a not in (cid[:12], name)})


def _ports(c: dict) -> list[dict]:
    """Published ports, IPv4 bindings only (``docker ps`` hides the [::] twin)."""
    out = {}
    for p in c.get("Ports") or []:
        if not p.get("PublicPort") or ":" in (p.get("IP") or ""):
            continue
        key = (p.get("IP") or "0.0.0.0", p["PublicPort"], p["PrivatePort"], p.get("Type", "tcp"))
        out[key] = {"host_ip": key[0], "host_port": key[1], "container_port": key[2], "protocol": key[3]}
    return [out[k] for k in sorted(out, key=lambda k: (k[1], k[0], k[2], k[3]))]


def _inspected_aliases(rows: list[dict]) -> dict[str, dict]:
    """The container list leaves ``Aliases`` empty; only inspect has them. Aliases exist
    on user-defined networks only, so just those containers are inspected, in parallel."""
    wanted = [c["Id"] for c in rows
              if any(n not in BUILTIN_NETWORKS for n in ((c.get("NetworkSettings") or {}).get("Networks") or {}))]

    def endpoints(cid: str) -> dict:
        try:
            return engine().inspect_container(cid)["NetworkSettings"]["Networks"] or {}
        except Exception:  # noqa: BLE001 - removed since the list: it simply has no aliases
            return {}
    if not wanted:
        return {}
    with ThreadPoolExecutor(min(8, len(wanted))) as pool:
        return dict(zip(wanted, pool.map(endpoints, wanted), strict=False))


def topology(lab_only: bool = True, networks: tuple[str, ...] | None = podman.DEFAULT_BRIDGES,
             include_stopped: bool = True) -> dict:
    """Networks and containers with their links, sorted by name.

    ``lab_only`` keeps this session's containers and networks; ``networks`` names the
    daemon's networks to show as well (default: bridge; ``None`` shows every network).
    Returns ``{"networks": [...], "containers": [...]}``, where a network has name,
    driver, subnet, gateway, internal, lab, containers (name, ip, aliases) and a
    container has name, image, state, ports and networks (name, ip, aliases).
    """
    with translating("docker network ls"):
        nets = engine().networks()
    cmd = "docker ps" + (" -a" if include_stopped else "") + (f" --filter label={L.SESSION}" if lab_only else "")
    with translating(cmd):
        rows = engine().containers(all=include_stopped, filters=L.session_filter() if lab_only else None)

    aliases = _inspected_aliases(rows)
    shown = {}
    for n in nets:
        lab = L.is_owned(n.get("Labels"))
        if lab or networks is None or n["Name"] in networks:
            subnet, gateway = _ipam(n)
            shown[n["Id"]] = {"name": n["Name"], "driver": n.get("Driver", ""), "subnet": subnet,
                              "gateway": gateway, "internal": bool(n.get("Internal")), "lab": lab,
                              "containers": []}
    containers = []
    for c in rows:
        name = (c.get("Names") or ["/"])[0].lstrip("/")
        eps = ((c.get("NetworkSettings") or {}).get("Networks") or {})
        attached = []
        for net_name, ep in sorted(eps.items()):
            full = aliases.get(c.get("Id"), {}).get(net_name) or ep
            link = {"name": net_name, "ip": ep.get("IPAddress") or "",
                    "aliases": _aliases(full, c.get("Id", ""), name)}
            attached.append(link)
            # Podman's container list gives the network's name as NetworkID
            net = shown.get(ep.get("NetworkID")) or next(
                (v for v in shown.values() if v["name"] == net_name), None)
            if net is not None:
                # the list's IPAM of the default bridge omits its gateway; endpoints carry it
                net["gateway"] = net["gateway"] or ep.get("Gateway") or ""
                net["containers"].append({"name": name, "ip": link["ip"], "aliases": link["aliases"]})
        containers.append({"name": name, "image": c.get("Image", ""), "state": c.get("State", ""),
                           "ports": _ports(c), "networks": attached})
    for net in shown.values():
        net["containers"].sort(key=lambda x: x["name"])
    return {"networks": sorted(shown.values(), key=lambda n: n["name"]),
            "containers": sorted(containers, key=lambda c: c["name"])}
