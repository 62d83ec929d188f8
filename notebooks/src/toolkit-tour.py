# %% [markdown]
# # Toolkit tour: the widgets of this course
#
# The lessons use a handful of widgets that drive your Docker engine and show what they do. This
# short notebook shows each one once: what it is for, one interaction done in code (in JupyterLab
# you would click), and a fact printed after it. Every widget shows the `docker ...` command line
# of its last action, so you always see the CLI equivalent.
#
# Without a daemon, each widget shows how to connect one instead, and the notebook still runs.

# %%
import time

import dockerlab as dl

lesson = dl.Lesson("00-tour", "Toolkit tour", 10, objectives=[
    "recognise the course's widgets and what each is for",
    "read the docker command line each widget shows for what it did",
])
lesson

# %% [markdown]
# ## RunBuilder — a `docker run` form
#
# Fill in image, name, ports, volumes, network…; the command line below the form is written as you
# type, and a bad field is flagged with a hint before anything reaches the engine. *Run* runs it.
# Here: nginx named `tour-web`, its port 80 published on a port Docker picks.

# %%
rb = dl.RunBuilder(image="nginx:1.25", name="tour-web", ports="80", lesson="00-tour")
display(rb)
if rb.connected:
    rb.run_button.click()
    rb.wait_idle()
print("tour-web is", dl.state("tour-web"))

# %% [markdown]
# A second container for the widgets below, with a plain call (it prints its CLI line too):

# %%
dl.run("busybox:1.36", "sleep 600", name="tour-box")

# %% [markdown]
# ## ContainerTable — `docker ps -a` with actions
#
# This session's containers; select one to start, stop, restart or remove it, or to open its logs,
# inspect, processes or an exec console below the table. It reloads when the engine reports a change.

# %%
ct = dl.ContainerTable()
display(ct)
if ct.connected:
    ct.select.value = "tour-web"
    ct.buttons["Restart"].click()
    ct.wait_idle()
print("ran:", ct.cli_lines if ct.connected else dl.OFFLINE)
print("tour-web is", dl.state("tour-web"))

# %% [markdown]
# ## LogViewer — `docker logs`
#
# What a container's main process wrote, stdout and stderr told apart, with tail, follow and search.
# Here: fetch nginx's page once, then load the log and find the request in it.

# %%
if lesson.daemon:
    dl.http_get(f"http://127.0.0.1:{dl.host_port('tour-web', 80)}/")
lv = dl.LogViewer("tour-web", tail=20)
display(lv)
if lv.connected:
    lv.search.value = "GET /"
    lv.load_button.click()
    lv.wait_idle()
print("the request is in the log, on stdout:",
      any(stream == "stdout" and '"GET / ' in text for stream, text in lv.visible()) if lv.connected else False)

# %% [markdown]
# ## StatsMonitor — `docker stats`
#
# CPU, memory, network and disk I/O of running containers, as a live plot and a table
# (*Start* samples every few seconds; *Sample once* takes one round).

# %%
sm = dl.StatsMonitor(["tour-web"])
display(sm)
if sm.connected:
    sm.refresh_button.click()
    sm.wait_idle()
print("sampled:", sorted(sm.latest))

# %% [markdown]
# ## ProcessTable — `docker top`
#
# A container's processes as the host sees them. When the engine runs on this machine, the widget
# checks each PID in the host's `/proc`: the same command, in the container's cgroup.

# %%
pt = dl.ProcessTable("tour-box")
display(pt)
if pt.connected:
    pt.refresh_button.click()
    pt.wait_idle()
if pt.verified is None:  # a daemon in a VM or on another machine: its PIDs are not this machine's
    print("the daemon runs on another machine (or a VM): its PIDs cannot be looked up here")
else:
    print("its processes are host processes:", pt.verified)

# %% [markdown]
# ## InspectViewer — `docker inspect`
#
# Everything the engine knows about a container as a tree you can search, with the usual answers
# (state, IP per network, ports, mounts, command) pinned on top.

# %%
iv = dl.InspectViewer("tour-web")
display(iv)
if iv.connected:
    iv.search.value = "Cmd"
    iv.wait_idle()
print("command:", iv.facts.get("cmd"))

# %% [markdown]
# ## ExecConsole — `docker exec`
#
# Run a command inside a running container, beside its main process; output, exit code and a
# history of commands.

# %%
ec = dl.ExecConsole("tour-box")
display(ec)
if ec.connected:
    ec.command.value = "id -u"
    ec.run_button.click()
    ec.wait_idle()
print("uid inside tour-box:", ec.last.stdout.strip() if ec.last else dl.OFFLINE)

# %% [markdown]
# ## NetworkPanel — `docker network ...`
#
# Networks with their subnet and attached containers; create, connect (with an alias),
# disconnect, remove.

# %%
netp = dl.NetworkPanel(lesson="00-tour")
display(netp)
if netp.connected:
    netp.new_name.value = "tour-net"
    netp.create_button.click()
    netp.wait_idle()
print("ran:", netp.cli_lines if netp.connected else dl.OFFLINE)

# %% [markdown]
# ## NetworkMap — who reaches whom
#
# A diagram: this machine → published ports → containers → networks. It shows no ids or addresses,
# only names, so it reads the same every time.

# %%
nm = dl.NetworkMap()
display(nm)
if nm.connected:
    nm.refresh_button.click()
    nm.wait_idle()
print("tour-web's published port is on the map:",
      any(c["name"] == "tour-web" and c["ports"] for c in nm.topo["containers"]))

# %% [markdown]
# ## BuildRunner — `docker build`
#
# Edit a Dockerfile and its context files, build, and watch each step: cache hit or miss, and how
# long it took. Builds stay listed for a side-by-side comparison.

# %%
br = dl.BuildRunner('FROM busybox:1.36\nCOPY index.html /www/\nCMD ["httpd", "-f", "-h", "/www"]\n',
                    files={"index.html": "<h1>tour</h1>\n"}, tag="tour-app:v1", lesson="00-tour")
display(br)
if br.connected:
    br.build_button.click()
    br.wait_idle()
print("built:", bool(br.builds) and br.builds[-1].ok, "| steps:", len(br.builds[-1].own_steps()) if br.builds else 0)

# %% [markdown]
# ## ImageTable — `docker images`
#
# The local images with a filter and a toggle for dangling `<none>` ones; select an image to open
# its layers below; remove the ones the toolkit built.

# %%
it = dl.ImageTable(filter="tour-app")
display(it)
if it.connected:
    it.select.value = "tour-app:v1"
    it.wait_idle()
print("layers opened for:", it.explorer.image.value if it.explorer else dl.OFFLINE)

# %% [markdown]
# ## LayerExplorer — `docker history` and shared layers
#
# An image's layers (what each step added, and how much) as a table and a chart; with a second
# image, the layers the two share — stored once on disk.

# %%
le = dl.LayerExplorer()
display(le)
if le.connected:
    le.show("tour-app:v1", compare="busybox:1.36")
    le.wait_idle()
print("tour-app:v1 shares every layer of busybox:1.36:",
      le.shared is not None and le.shared.shared == int(le.shared.table["in_b"].sum()))

# %% [markdown]
# ## VolumePanel — `docker volume ...`
#
# Volumes, the containers that mount them, sizes on demand, bind mounts; create and remove; browse
# a volume's files through a short-lived read-only helper container.

# %%
vp = dl.VolumePanel(lesson="00-tour")
display(vp)
if vp.connected:
    vp.new_name.value = "tour-data"
    vp.create_button.click()
    vp.wait_idle()
print("volumes:", list(vp.frame["name"]))

# %% [markdown]
# ## EventLog — `docker events`
#
# The engine's own account of what happens to this session's containers, live: `docker rm -f`
# shows up as kill, die and destroy.

# %%
ev = dl.EventLog()
display(ev)
display(dl.rm("tour-box"))
deadline = time.monotonic() + 5
while ev.connected and time.monotonic() < deadline and not any(
        e["name"] == "tour-box" and e["action"] == "destroy" for e in list(ev.events)):
    time.sleep(0.1)
print("saw tour-box destroyed:", any(e["name"] == "tour-box" and e["action"] == "destroy" for e in list(ev.events)))
if ev.connected:
    ev.stop_button.click()
    ev.wait_idle()
print("still following:", ev.following)

# %% [markdown]
# ## The widgets and their commands
#
# | widget | docker command it shows |
# |---|---|
# | RunBuilder | `docker run` |
# | ContainerTable | `docker ps -a`, `docker start / stop / restart / rm -f` |
# | LogViewer | `docker logs [-f] --tail N` |
# | StatsMonitor | `docker stats --no-stream` |
# | ProcessTable | `docker top` |
# | InspectViewer | `docker inspect` |
# | ExecConsole | `docker exec` |
# | NetworkPanel | `docker network create / connect / disconnect / rm` |
# | NetworkMap | `docker network ls`, `docker ps -a` |
# | BuildRunner | `docker build [-f FILE] -t TAG` |
# | ImageTable | `docker images`, `docker rmi` |
# | LayerExplorer | `docker history`, `docker image inspect` |
# | VolumePanel | `docker volume ls / create / rm`, `docker run --rm -v VOL:/v:ro busybox:1.36 ...` |
# | EventLog | `docker events --filter label=...` |
#
# ## Clean up
#
# Removes what this tour created (containers, the network, the volume, the image), nothing else.

# %%
lesson.cleanup()
