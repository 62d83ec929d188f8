# %% [markdown]
# # 02 — Networking
#
# How a container is reached from your machine (`-p`), which network it joins by default, how its
# traffic leaves the host (NAT), and why containers of one app belong on their own network, where
# they find each other **by name**. Every claim is checked live: read the printed `True`/`False`
# facts as the proof.

# %%
import dockerlab as dl

lesson = dl.Lesson("02-networking", "Networking", 35, objectives=[
    "publish a container port on the host (-p HOST:CONTAINER) and read it back (docker port)",
    "explain the default bridge network (docker0) and how traffic leaves through NAT",
    "create networks, connect and disconnect containers",
    "use container names as DNS names on user-defined networks, and know why the default bridge has none",
])
lesson

# %% [markdown]
# ## 1. `-p HOST:CONTAINER` publishes a port; `docker port` shows it
#
# **What you'll see:** nginx listens on port 80 *inside* its container. `-p HOST:CONTAINER` makes
# the daemon forward a port of the host to it, and then a request from this machine gets an answer.
# We take a free host port near 8080 (never assume 8080 is free: **pitfall** "port is already
# allocated", see notebook 01). This toolkit publishes on `127.0.0.1` (this machine only) unless told
# otherwise; the plain `docker` CLI publishes on every interface (`0.0.0.0`) by default.

# %%
port = dl.free_port(8080)  # a free host port near 8080; {port} puts it in the line
%docker run -d --name n2-web -p {port}:80 nginx:1.25

# %%
%docker port n2-web

# %%
host_port = dl.host_port("n2-web", 80)
if host_port:
    status, body = dl.http_get(f"http://127.0.0.1:{host_port}/")
    print("HTTP status from the host:", status)
    print("nginx's welcome page:", "Welcome to nginx" in body)

# %% [markdown]
# Leave the host port out (`-p 80`) and Docker picks a free one; `docker port` tells you which.

# %%
%docker run -d --name n2-web-auto -p 80 nginx:1.25
print("Docker chose a host port:", dl.host_port("n2-web-auto", 80) is not None)

# %% [markdown]
# ## 2. The default `bridge` network (`docker0`)
#
# A container you run without `--network` joins the daemon's default network, named **`bridge`**.
# On a Linux host it is a software bridge — a virtual switch in the kernel — whose host interface is
# called **`docker0`**. The course notes call these networks "VPNs": they are **not** VPNs (no tunnel,
# no encryption, nothing private about them beyond the host). They are virtual networks on a
# software bridge of the host, with private addresses.

# %%
import ipaddress
import os

panel = dl.NetworkPanel(lesson="02-networking")
bridge = next((n for n in panel.topo["networks"] if n["name"] == "bridge"), None)
print("n2-web is on:", dl.networks_of("n2-web"))
if bridge:
    print("driver of the default network:", bridge["driver"])
    print("its subnet is private:", ipaddress.ip_network(bridge["subnet"]).is_private)
if dl.daemon_is_local():
    has_bridge = os.path.isdir("/sys/class/net/docker0/bridge")
else:  # Docker Desktop's VM or a remote machine: a container on the host's network stack looks
    has_bridge = dl.run("busybox:1.36", ["test", "-d", "/sys/class/net/docker0/bridge"], network="host",
                        rm=True, detach=False).value.exit_code == 0
print("the daemon's host has a bridge interface docker0:", has_bridge)

# %% [markdown]
# ## 3. How traffic leaves: NAT on the host's address
#
# **NAT** (network address translation): in a home network every device has a private address, and
# the router rewrites outgoing packets so that they leave with its one public address; answers come
# back to the router, which forwards them to the right device. Docker does the same on the host: a
# container's private address never leaves the machine. Its packets go to the bridge's gateway (the
# host itself, on `docker0`), and the host *masquerades* them — rewrites their source to its own
# address — before they go out. The daemon installs that rule (an `iptables` MASQUERADE rule for the
# bridge's subnet) when it creates the network.
#
# **What you'll see:** a container's routing table sends everything (`default`) to the bridge's
# gateway, and its own address is private — so whatever reaches the outside world went through the
# host's translation. (We test no outside connection: this course runs offline.)

# %%
routes = %docker run --rm busybox:1.36 ip route
default = [line.split()[2] for line in str(routes).splitlines() if line.startswith("default via")]
if bridge:
    print("default route goes to the bridge gateway:", default == [bridge["gateway"]])
    print("the bridge gateway is inside the bridge subnet:",
          ipaddress.ip_address(bridge["gateway"]) in ipaddress.ip_network(bridge["subnet"]))
    sources = [line.split("src")[1].split()[0] for line in str(routes).splitlines() if " src " in line]
    print("the container's own address is private (the host rewrites it on the way out):",
          bool(sources) and all(ipaddress.ip_address(a).is_private for a in sources))

# %% [markdown]
# ## 4. One network per app: `docker network create`
#
# Put the containers that belong together on their own network, one per app: they reach each other,
# other apps' containers do not reach them, and (section 5) they get DNS names. `docker network create`
# uses the `bridge` driver unless you pass `--driver` (others: `overlay` for Swarm across hosts,
# `macvlan`, `ipvlan`). The panel creates networks, connects and disconnects containers; the map
# below it is redrawn after every change.

# %%
%docker network create n2-app

# %%
%docker network create --driver bridge n2-shop

# %%
net_map = dl.NetworkMap()
panel = dl.NetworkPanel(lesson="02-networking")  # net_map redraws after each change
panel

# %%
net_map

# %% [markdown]
# Two containers of the "app" join `n2-app`: an nginx API (`n2-api`, **no published port**) and a
# busybox client (`n2-client`) that stays running so we can `exec` into it.

# %%
%%docker
run -d --name n2-api --network n2-app nginx:1.25
run -d --name n2-client --network n2-app busybox:1.36 sleep 3600

# %%
panel.action(panel.refresh)
net_map.action(net_map.refresh)
net_map.wait_idle()
net_map

# %% [markdown]
# ## 5. Container names are DNS names — on user-defined networks only
#
# **What you'll see:** on `n2-app`, the name `n2-api` resolves (Docker runs a small DNS server for
# every user-defined network, at `127.0.0.11` inside the containers). On the default `bridge` there is
# no such DNS: `n2-web` is a container there, but its name resolves to nothing (**pitfall**: "it works
# with the IP but not with the name" → you are on the default bridge). We use `getent hosts` and
# `nslookup`: small images have no `ping` (**pitfall**, notebook 01).

# %%
on_app = %docker run --rm --network n2-app debian:bookworm-slim getent hosts n2-api
print("on n2-app, the name n2-api resolves:", on_app.extra.get("exit_code") == 0 if on_app else on_app)

# %%
on_bridge = %docker run --rm debian:bookworm-slim getent hosts n2-web
print("on the default bridge, the name n2-web resolves:", on_bridge.extra.get("exit_code") == 0 if on_bridge else on_bridge)

# %% [markdown]
# ### Do not rely on IP addresses
#
# Addresses are handed out when a container (re)joins a network. Stop `n2-api`, let another container
# join meanwhile, start `n2-api` again: its address changed — its name did not, and DNS follows it.

# %%
def address(name, network):
    doc = dl.inspect(name)
    return doc["NetworkSettings"]["Networks"][network]["IPAddress"] if doc else doc


def resolve(client, name):
    """The addresses `nslookup NAME` returns inside `client` (busybox), for comparison only."""
    import re
    text = str(dl.exec(client, f"nslookup {name}"))
    return sorted(set(re.findall(rf"^Name:\s+{re.escape(name)}\s*\nAddress: (\S+)", text, re.M)))


before = address("n2-api", "n2-app")

# %%
%%docker
stop n2-api
run -d --name n2-newcomer --network n2-app busybox:1.36 sleep 3600
start n2-api

# %%
after = address("n2-api", "n2-app")
print("n2-api's address changed after the restart:", before != after if before else before)
print("the newcomer took the old address:", address("n2-newcomer", "n2-app") == before if before else before)
print("the name n2-api resolves to the new address:", resolve("n2-client", "n2-api") == [after] if after else after)

# %% [markdown]
# ## 6. Connect and disconnect: `docker network connect` / `disconnect`
#
# A container can sit on several networks. `n2-web` is on the default bridge; connect it to `n2-app`
# and the app's containers can reach it by name. We fill in the panel and press **Connect**, then
# **Disconnect** — the map is redrawn each time.

# %%
def press(button, network, container):
    """What a learner does in the panel: choose the network and the container, press the button."""
    if panel.connected:
        panel.refresh()
        panel.network.value, panel.container.value = network, container
        getattr(panel, f"{button}_button").click()
        panel.wait_idle()
        net_map.wait_idle()
        print(f"{container} is on:", dl.networks_of(container))


press("connect", "n2-app", "n2-web")
net_map

# %%
reach = %docker exec n2-client sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://n2-web/ && exit; sleep 0.3; done'
print("n2-client reaches n2-web by name:", "Welcome to nginx" in str(reach))

# %%
press("disconnect", "n2-app", "n2-web")
net_map

# %%
again = %docker exec n2-client wget -T 2 -qO- http://n2-web/
print("after the disconnect, n2-client still reaches n2-web:", "Welcome to nginx" in str(again))

# %% [markdown]
# ## 7. `-p` is only for reaching a container from outside the host
#
# **What you'll see:** `n2-api` publishes nothing, yet `n2-client` on the same network gets its
# page: containers on one network talk to each other on any port. Publish a port only for clients
# outside Docker (your browser, another machine). (The notes add that `EXPOSE` "exports it to the
# docker VPN": there is nothing to export — every port is reachable on the container's networks;
# `EXPOSE` only documents it, see notebook 04.)

# %%
print("n2-api published ports:", dl.port("n2-api").value or "none")
# nginx may still be starting: ask up to 10 times, like a client with retries would
inside = %docker exec n2-client sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://n2-api/ && exit; sleep 0.3; done'
print("n2-client gets n2-api's page without -p:", "Welcome to nginx" in str(inside))

# %% [markdown]
# ## Exercises
#
# ### 02-dns-by-name — two containers find each other by name
# Create the network `ex2-net`, run `ex2-a` and `ex2-b` on it (busybox, `sleep 3600`), resolve
# `ex2-b` from `ex2-a` and answer the address you get.

# %%
ex = dl.CheckWidget("02-dns-by-name")
ex

# %% tags=["solution"]
import re

dl.network_create("ex2-net")
dl.run("busybox:1.36", "sleep 3600", name="ex2-a", network="ex2-net")
dl.run("busybox:1.36", "sleep 3600", name="ex2-b", network="ex2-net")
looked_up = str(dl.exec("ex2-a", "nslookup ex2-b"))
found = re.findall(r"^Address: (\S+)", looked_up, re.M)
ex.answer.value = found[-1] if found else ""   # the answer goes in the widget's Answer box
print("ex2-a resolved ex2-b by name:", bool(ex.answer.value))

# %%
ex.check()

# %% [markdown]
# ### 02-round-robin — DNS round robin with `--network-alias`
# Several containers can answer to one extra name, an alias: DNS then returns all their addresses
# (clients spread over them — a poor man's load balancer). Create `ex2-rr`, run two containers with
# `--network-alias search`, resolve `search` from a throwaway container on `ex2-rr` and answer how
# many addresses it returns.

# %%
ex = dl.CheckWidget("02-round-robin")
ex

# %% tags=["solution"]
import re

dl.network_create("ex2-rr")
for name in ("ex2-search1", "ex2-search2"):
    dl.run("busybox:1.36", "sleep 3600", name=name, network="ex2-rr", aliases=["search"])
looked_up = str(dl.run("busybox:1.36", "nslookup search", network="ex2-rr", rm=True, detach=False))
addresses = set(re.findall(r"^Name:\s+search\s*\nAddress: (\S+)", looked_up, re.M))
print("addresses behind the name search:", len(addresses))
ex.answer.value = str(len(addresses))

# %%
ex.check()

# %% [markdown]
# ### 02-publish — publish a web server on a host port
# Run nginx as `ex2-web` with its port 80 published on a host port, so that
# `http://127.0.0.1:PORT/` answers. The check sends that request.

# %%
ex = dl.CheckWidget("02-publish")
ex

# %% tags=["solution"]
dl.run("nginx:1.25", name="ex2-web", ports=["80"])

# %%
ex.check()

# %% [markdown]
# ## Key points
#
# - `-p HOST:CONTAINER` forwards a host port to a container port; `docker port` lists them. Without
#   `-p` nothing outside Docker reaches the container. `-p` is *only* for that: containers on one
#   network reach each other on any port.
# - Without `--network`, a container joins the default `bridge` network (the host's `docker0`
#   software bridge). Docker networks are virtual networks on the host, not VPNs.
# - Outgoing traffic is routed to the bridge gateway (the host) and NATed to the host's address.
# - Make one network per app (`docker network create`, driver `bridge` by default); `connect` and
#   `disconnect` containers at any time; a container can be on several networks.
# - On user-defined networks container names (and `--network-alias` names) are DNS names; on the
#   default bridge they are not. Use names, not IPs: addresses change.
#
# ## Cheat sheet
#
# | command | what it does |
# |---|---|
# | `docker run -d --name n2-web -p 8080:80 nginx:1.25` | publish container port 80 on host port 8080 |
# | `docker run -d -p 80 nginx:1.25` | publish port 80 on a host port Docker picks |
# | `docker port n2-web` | which host port leads to which container port |
# | `docker network ls` | the networks (`NetworkPanel`, `NetworkMap`) |
# | `docker ps -a` | the containers and their networks (`NetworkMap`) |
# | `docker network create n2-app` | a new network (driver `bridge`) |
# | `docker network create --driver bridge n2-shop` | the same, driver spelled out |
# | `docker run -d --name n2-api --network n2-app nginx:1.25` | run a container on a network |
# | `docker run --rm busybox:1.36 ip route` | a container's routes (default via the bridge gateway) |
# | `docker run --rm --network n2-app debian:bookworm-slim getent hosts n2-api` | resolve a name |
# | `docker exec n2-client nslookup n2-api` | resolve a name from a running container |
# | `docker exec n2-client wget -qO- http://n2-web/` | an HTTP request from a container |
# | `docker container inspect n2-api` | addresses per network (`.NetworkSettings.Networks`) |
# | `docker stop n2-api` / `docker start n2-api` | stop and start (the address may change) |
# | `docker network connect n2-app n2-web` | add a container to a network |
# | `docker network disconnect n2-app n2-web` | take it off again |
# | `docker run -d --network ex2-rr --network-alias search busybox:1.36 sleep 3600` | an extra DNS name, shared |
# | `dockerlab clean` | remove everything this session made |

# %%
lesson.cleanup()
