"""Exercises of notebook 02 (networking): names, round-robin DNS, published ports.

    $ dockerlab check 02-dns-by-name --answer 172.20.0.3
"""
from __future__ import annotations

from ..engine import podman
from ..engine.errors import DockerlabError
from ..engine.names import BUILTIN_NETWORKS as BUILTIN  # the engine's own: no DNS by name there
from ..host.http import fetch as http_fetch
from ..reads import views as state
from .base import Incorrect, NotAttempted, ensure, exercise
from .evidence import STARTUP_RETRIES, find

LESSON = "02-networking"


def user_networks(c: state.ContainerView) -> set[str]:
    return {n for n in c.networks if n not in BUILTIN}


@exercise("02-dns-by-name", lesson=LESSON, title="Two containers find each other by name",
          prompt="Create a network ex2-net. Run two containers on it that keep running, ex2-a and ex2-b "
                 "(busybox:1.36 sleep 3600 will do). From ex2-a, look up ex2-b by its name and answer the "
                 "address the name resolves to.",
          hints=("docker network create ex2-net, then docker run -d --name ex2-a --network ex2-net "
                 "busybox:1.36 sleep 3600 (and the same for ex2-b).",
                 "docker exec ex2-a nslookup ex2-b: the last 'Address:' line is the answer.",
                 "Names resolve only on user-defined networks, not on the default bridge."))
def check_dns_by_name(answer=None):
    a, b = find("ex2-a"), find("ex2-b")
    if a is None and b is None:
        raise NotAttempted("no container ex2-a or ex2-b yet", "docker network create ex2-net first.")
    for name, c in (("ex2-a", a), ("ex2-b", b)):
        ensure(c is not None, f"there is no container {name}",
               f"docker run -d --name {name} --network ex2-net busybox:1.36 sleep 3600")
        ensure(c.running, f"{name} is {c.status}, not running",
               "Give it a main process that lasts, e.g. sleep 3600.")
    shared = user_networks(a) & user_networks(b)
    if not shared:
        on_bridge = any(d in a.networks and d in b.networks for d in podman.DEFAULT_BRIDGES)
        raise Incorrect("ex2-a and ex2-b share no user-defined network" +
                        (" (they are both on the default bridge, which has no DNS for names)" if on_bridge else ""),
                        "docker network create ex2-net; docker network connect ex2-net ex2-a (and ex2-b).")
    if not (answer or "").strip():
        raise NotAttempted("answer the address ex2-b's name resolves to, as seen from ex2-a",
                           "docker exec ex2-a nslookup ex2-b")
    addresses = {b.networks[n].get("IPAddress") for n in shared}
    ensure(answer.strip() in addresses, "that is not the address of ex2-b on the network it shares with ex2-a",
           "Run docker exec ex2-a nslookup ex2-b and copy the last 'Address:' line.")
    return "ex2-a finds ex2-b by its name on their user-defined network"


@exercise("02-round-robin", lesson=LESSON, title="DNS round robin with a network alias",
          prompt="Create a network ex2-rr. Run two containers on it (e.g. busybox:1.36 sleep 3600, named "
                 "ex2-search1 and ex2-search2), both with the network alias search. From a third, throwaway "
                 "container on the same network, resolve the name search and answer how many addresses it "
                 "returns.",
          hints=("docker run -d --name ex2-search1 --network ex2-rr --network-alias search busybox:1.36 "
                 "sleep 3600 (and the same for ex2-search2).",
                 "docker run --rm --network ex2-rr busybox:1.36 nslookup search",
                 "Count the 'Address:' lines under 'Name: search'."))
def check_round_robin(answer=None):
    by_net: dict[str, list[str]] = {}
    for c in state.containers():
        if not c.running:
            continue
        for net in user_networks(c):
            if "search" in c.aliases(net):
                by_net.setdefault(net, []).append(c.name)
    if not by_net:
        raise NotAttempted("no running container has the network alias search yet",
                           "docker run -d --name ex2-search1 --network ex2-rr --network-alias search "
                           "busybox:1.36 sleep 3600")
    net, names = max(by_net.items(), key=lambda kv: len(kv[1]))
    ensure(len(names) >= 2, f"only {names[0]} answers to search on {net}: round robin needs two or more",
           f"Run a second container with --network {net} --network-alias search.")
    if not (answer or "").strip():
        raise NotAttempted("answer how many addresses the name search resolves to",
                           f"docker run --rm --network {net} busybox:1.36 nslookup search")
    ensure(answer.strip() == str(len(names)), f"{answer.strip()!r} is not how many addresses search has on {net}",
           "Count the addresses nslookup lists for search (one per container with that alias).")
    return f"the alias search spreads over {len(names)} containers on {net}"


@exercise("02-publish", lesson=LESSON, title="Publish a web server on a host port",
          prompt="Run an nginx container named ex2-web that publishes its port 80 on a port of this machine, "
                 "so that http://127.0.0.1:PORT/ answers.",
          hints=("docker run -d --name ex2-web -p 8080:80 nginx:1.25 (-p HOST:CONTAINER).",
                 "docker port ex2-web shows which host port leads to port 80."))
def check_publish():
    c = find("ex2-web")
    if c is None:
        raise NotAttempted("no container named ex2-web yet", "docker run -d --name ex2-web -p 8080:80 nginx:1.25")
    ensure(c.running, f"ex2-web is {c.status}, not running", "docker logs ex2-web says why it stopped.")
    ports = c.host_ports(80)
    ensure(ports, "ex2-web does not publish its port 80: nothing outside Docker can reach it",
           "Recreate it with -p 8080:80 (docker rm -f ex2-web first).")
    try:
        status, headers, _body = http_fetch(f"http://127.0.0.1:{ports[0]}/", timeout=3, retries=STARTUP_RETRIES)
    except DockerlabError as e:
        raise Incorrect("nothing answers on the published port from this machine",
                        "Is nginx running in it (docker logs ex2-web)? If the daemon runs elsewhere "
                        "(DOCKER_HOST), the port is open on that host, not here.") from e
    server = headers.get("server", "")
    ensure(server.lower().startswith("nginx"), f"the published port answers, but not nginx (Server: {server or 'none'})",
           "Run nginx itself: docker rm -f ex2-web, then docker run -d --name ex2-web -p 8080:80 nginx:1.25")
    ensure(status == 200, f"the published port answers, but with HTTP {status}",
           "Serve the default site of nginx:1.25 on port 80.")
    return "ex2-web answers HTTP 200 as nginx on 127.0.0.1 through its published port"
