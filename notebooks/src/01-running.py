# %% [markdown]
# # 01 — Running containers
#
# What really happens when you type `docker run`: where the image comes from, what a container is
# (a process of the host, not a small virtual machine), how to look inside one, and the ways to
# start one interactively. Every claim below is checked live against the Docker daemon: read the
# printed `True`/`False` facts as the proof.

# %%
import dockerlab as dl

lesson = dl.Lesson("01-running", "Running containers", 40, objectives=[
    "explain what docker run does: image cache, pull, latest, a new container, its network, its CMD",
    "see that a container is a restricted process of the host (docker top, inspect, stats)",
    "start containers interactively: run -it, exec, create + start, run -dit",
    "recognise the usual pitfalls: a container that exits at once, a port already allocated, missing tools",
])
lesson

# %% [markdown]
# ## 1. `docker run` looks in the local image cache first
#
# **What you'll see:** `busybox:1.36` is in this machine's image cache, so `docker run` starts it
# straight away. The table lists the busybox images the daemon has.

# %%
dl.ImageTable(filter="busybox")

# %%
%docker run --rm busybox:1.36 echo hello from the image cache

# %% [markdown]
# **Otherwise it pulls — and `latest` is the tag when you give none.** An image that is not in the
# cache is pulled from a registry (Docker Hub by default). This course machine reaches no registry,
# which makes the second step visible: the toolkit's error names the reference it tried to pull.
# A small helper turns a mistake into the toolkit's message and hint instead of a traceback; only
# the stable part of the message is printed (the daemon's network details differ between machines).

# %%
def attempt(call, *args, **kwargs):
    """Run a dl call; a mistake comes back as the toolkit's error (message + hint), not a traceback."""
    try:
        return call(*args, **kwargs)
    except dl.DockerlabError as e:
        return e


def explain(err):
    """Print the stable part of a toolkit error: what failed, and the hint."""
    if isinstance(err, dl.DockerlabError):
        print("Error:", err.message.split(" (")[0])
        print("  while running:", err.command)
        print("  hint:", err.hint)
    else:
        print(err)


explain(attempt(dl.run, "something-not-here", rm=True, detach=False))

# %% [markdown]
# `something-not-here` became `something-not-here:latest`. The same goes for `docker run busybox`:
# it asks for **`busybox:latest`**, which is *not* the `busybox:1.36` in the table above, so it
# would be pulled. `latest` is only the default tag, not "the newest version" (notebook 03 proves
# it). Pin tags (`busybox:1.36`) and you know what you run.

# %% [markdown]
# ## 2. Each `docker run` creates a new container on top of the image
#
# **What you'll see:** the first container writes a file; a second container of the same image does
# not see it. Each run gets a fresh, empty writable layer on top of the read-only image.

# %%
%docker run --name n1-first busybox:1.36 sh -c 'echo my note > /note.txt && cat /note.txt'

# %%
second = %docker run --name n1-second busybox:1.36 ls /note.txt
display(second)
print("the second container sees the first one's file:", second.extra.get("exit_code") == 0 if second else second)

# %%
%docker ps -a

# %% [markdown]
# Two containers, one image: `docker ps -a` keeps both (they exited but were not removed — that is
# what `--rm` is for).

# %% [markdown]
# ## 3. A virtual IP on the engine's private network — and no port open
#
# **What you'll see:** an nginx container gets an address inside the subnet of Docker's default
# `bridge` network (a private network on this host). Its image declares port 80 (`EXPOSE`), yet
# nothing is published on the host: without `--publish`/`-p` no port is open to the outside.
# (The addresses themselves change from run to run, so we print facts about them, not them.)

# %%
%docker run -d --name n1-web nginx:1.25

# %%
import ipaddress

doc = dl.inspect("n1-web")
panel = dl.NetworkPanel()
bridge = next((n for n in panel.topo["networks"] if n["name"] == "bridge"), None)
if doc and bridge:
    ip = next(iter(doc["NetworkSettings"]["Networks"].values()))["IPAddress"]  # its one network
    print("attached to:", dl.networks_of("n1-web"))
    print("address inside the bridge subnet:", ipaddress.ip_address(ip) in ipaddress.ip_network(bridge["subnet"]))
    print("a private address:", ipaddress.ip_address(ip).is_private)
    print("ports the image declares (EXPOSE):", sorted(doc["Config"]["ExposedPorts"] or {}))
    print("published ports:", dl.port("n1-web").value or "none")

# %% [markdown]
# ## 4. The image's default command, and how `run` overrides it
#
# An image carries a default command (`CMD` in its Dockerfile). `docker run IMAGE` starts it;
# anything after the image name replaces it. Many images also name an `ENTRYPOINT`: a program
# that runs first and gets the command as its arguments. nginx's is `/docker-entrypoint.sh`, a
# start-up script that prepares the configuration and then `exec`s the command, so the command
# still ends up as the container's main process.

# %%
config = dl.inspect("n1-web")["Config"]
print("n1-web runs the image's CMD:", config["Cmd"])
print("started by the image's ENTRYPOINT:", config["Entrypoint"] or "none (the CMD runs directly)")
procs = dl.top("n1-web")  # docker top: the container's processes, as the host sees them
print("docker top shows nginx as its main process:", str(procs["CMD"].iloc[0] if len(procs) else "").startswith("nginx"))

# %%
%docker run --rm nginx:1.25 echo this replaced nginx as the main process

# %% [markdown]
# ## 5. A container is a restricted process of the host
#
# **What you'll see:** `docker top` lists the container's processes with the **host's** PIDs. The
# widget then reads this machine's `/proc/PID/cmdline` for each of them: the same command, in the
# container's cgroup. Inside, the same process believes it is PID 1. No virtual machine, no second
# kernel — a process with a restricted view (namespaces) and limits (cgroups).

# %%
%docker run -d --name n1-box debian:bookworm-slim sleep infinity

# %%
procs = dl.ProcessTable("n1-box")
procs

# %%
main_pid = dl.inspect("n1-box")["State"]["Pid"]
inside = dl.exec("n1-box", ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline"])
print("inside the container, PID 1 is:", str(inside).strip())
# docker top is `ps` on the daemon's host: the same command, under the host's PID. Where that
# host is this machine (not Docker Desktop's VM, not a remote daemon), its own /proc agrees.
host_view = dl.top("n1-box")
same = bool(main_pid) and main_pid != 1 and str(inside).strip() in set(host_view["CMD"] if len(host_view) else [])
if same and dl.daemon_is_local():
    with open(f"/proc/{main_pid}/cmdline", "rb") as f:
        same = f.read().replace(b"\0", b" ").decode().strip() == str(inside).strip() and procs.verified
print("the daemon's host runs the same command under another PID:", same)

# %% [markdown]
# ## 6. Looking inside: `docker container inspect` and `docker container stats`
#
# `inspect` shows how a container is configured (the whole JSON document, searchable, with the
# answers to the usual questions pinned on top). `stats` shows what it uses, like `top` for
# containers; here one sample (press **Start** in the widget to follow it live).

# %%
viewer = dl.InspectViewer("n1-web")
viewer

# %%
for key in ("state", "image", "cmd", "ports"):
    print(f"{key:>6}:", viewer.facts.get(key, "n/a"))

# %%
stats = dl.StatsMonitor(["n1-web", "n1-box"])
stats.action(stats.refresh, describe="sampling…")  # what the "Sample once" button does
stats.wait_idle()
stats

# %%
for name in ("n1-web", "n1-box") if stats.connected else ():
    sample = stats.latest.get(name) or {}
    print(f"{name} uses memory: {bool(sample.get('mem_bytes'))}; runs processes: {(sample.get('pids') or 0) >= 1}")

# %% [markdown]
# ## 7. A Debian image holds far less than a Debian VM
#
# The notes say an ubuntu image has less software than a VM; the same holds for Debian's slim
# image used here. A minimal Debian server VM installs a few hundred packages (a desktop, well over
# a thousand); this image has no kernel, no init system, and fewer than 150 packages. Everyday tools
# are missing: a classic surprise (**pitfall**: `ps`, `ping`, `ip` are not there; `getent` is).

# %%
count = %docker run --rm debian:bookworm-slim sh -c "dpkg-query -f '.\n' -W | wc -l"
print("fewer than 150 packages installed:", int(str(count).strip() or 0) < 150 if count else count)

# %%
%docker run --rm debian:bookworm-slim sh -c 'for t in ps ping ip curl vi getent; do command -v $t >/dev/null && echo $t: present || echo $t: missing; done'

# %%
missing = %docker exec n1-box ps
# A command that is not there: exit code 127 on current engines (126 on Engine 20.10).
print("exec failed, command not found:", missing.exit_code in (126, 127) if missing else missing)
if missing:
    print("ps is not in the image:", "executable file not found" in str(missing))

# %% [markdown]
# When a tool is missing, use what is there (`getent hosts NAME` instead of `ping`, `/proc`
# instead of `ps`), or install it in *your own* image (notebook 04) — not by hand in a container.

# %% [markdown]
# ## 8. Interactive containers: `run -it`, and images whose CMD is a shell
#
# `docker run -it IMAGE COMMAND` gives the command a terminal (`-t`) and your keyboard (`-i`):
# `docker run -it debian:bookworm-slim bash` drops you into a shell. A notebook cell has no terminal,
# so here we run the same kind of command without `-it` and read its output. The line you would
# type:

# %%
print(dl.RunSpec("debian:bookworm-slim", "bash", detach=False, interactive=True, tty=True, remove=True).cli())

# %%
%docker run --rm debian:bookworm-slim grep PRETTY_NAME /etc/os-release

# %% [markdown]
# Some images have a **shell as their default CMD**: debian's is `bash`, so `docker run -it
# debian:bookworm-slim` alone opens a shell. Without `-it` that shell has no input, reads
# end-of-file and exits at once — the first cause of "my container stops immediately"
# (**pitfall**): a container lives exactly as long as its main process.

# %%
%docker create --name n1-default-cmd debian:bookworm-slim
print("default CMD of debian:bookworm-slim:", dl.inspect("n1-default-cmd")["Config"]["Cmd"])

# %%
import time

%docker run -d --name n1-exits debian:bookworm-slim
# detached, no -it: bash has no input
for _ in range(50):                               # wait (at most 5 s) for the main process to end
    if dl.state("n1-exits") != "running":
        break
    time.sleep(0.1)
print("n1-exits is now:", dl.state("n1-exits"))
print("exit code of its main process (bash):", dl.inspect("n1-exits")["State"]["ExitCode"])

# %% [markdown]
# ## 9. `docker exec` adds a process; the main one is untouched
#
# `docker exec -it n1-box bash` opens a shell in the *running* container `n1-box` — like connecting
# to a database container to run `psql`. It works exactly like `run`, but on an existing container,
# and its process comes and goes without touching the main process (PID 1). The **Exec** console
# runs one command per click; below, we type a command and press Run.

# %%
before = dl.inspect("n1-box")["State"]["Pid"]
console = dl.ExecConsole("n1-box")
console.action(console.run, "sh -c 'echo hello from a second process, PID $$ inside'")  # what Run does
console.wait_idle()
console

# %%
after = dl.inspect("n1-box")["State"]["Pid"]
print("main process unchanged after exec:", before == after if before else before)
print("n1-box is still:", dl.state("n1-box"))
print("the exec process is gone again; PID 1 inside is:", str(dl.exec("n1-box", ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline"])).strip())

# %% [markdown]
# ## 10. Three ways to start a container: `create` + `start`, `run -dit` + `start`, `run -it`
#
# **(a) `docker create` then `docker start --attach --interactive`.** `create` only makes the
# container; `start` runs it. Without `--attach --interactive` (`-ai`), `start` returns at once and
# shows nothing. The notes write `docker create --it`: the flag is **`-it`** (`-i -t`), there is no
# `--it`. In a notebook we attach to the output only (no keyboard):

# %%
%docker create -it --name n1-created debian:bookworm-slim sh -c 'echo started by docker start'
print("after create:", dl.state("n1-created"))

# %%
%docker start --attach n1-created

# %% [markdown]
# **(b) `docker run -dit` then `docker start`.** `-d` runs it in the background with a terminal and
# open input (`-it`), so its shell keeps running. After a stop, `docker start NAME` starts it again
# **without attaching**: you get your prompt back and the container runs on (`docker attach NAME`
# or `docker exec -it NAME bash` to get in).

# %%
%docker run -dit --name n1-dit debian:bookworm-slim

# %%
%docker stop n1-dit

# %%
%docker start n1-dit

# %% [markdown]
# **(c) `docker run -it IMAGE COMMAND`** creates and starts in one go, attached — section 8's
# `docker run -it --rm debian:bookworm-slim bash`.

# %% [markdown]
# ## 11. Clicking instead of typing: RunBuilder and the container table
#
# The form writes the `docker run` line as you fill it in; **Run** performs it. Port `80` alone
# means "publish container port 80 on a host port Docker picks" (on 127.0.0.1: this toolkit's safe
# default).

# %%
builder = dl.RunBuilder(image="nginx:1.25", name="n1-built", ports="80", lesson="01-running")
builder

# %%
if builder.connected:           # without a daemon the form shows how to connect instead
    builder.run_button.click()
builder.wait_idle()
print("n1-built:", builder.result.get("status"))
print("published:", dl.port("n1-built"))

# %% [markdown]
# The table lists this lesson's containers. Select one and press a button: below, `n1-exits` is
# selected and **Remove** pressed (`docker rm -f -v n1-exits`).

# %%
table = dl.ContainerTable()
if table.connected:
    table.select.value = "n1-exits"
    table.buttons["Remove"].click()
    table.wait_idle()
    print("n1-exits is gone:", "n1-exits" not in list(table.df["name"]))
table

# %% [markdown]
# ## 12. Pitfall: port is already allocated
#
# One host port can be published by one container only. `n1-web-a` takes a free port; `n1-web-b`
# asks for the same one and fails. The toolkit removes the half-made container and says what to do.

# %%
port = dl.free_port(8080)  # a free host port; {port} puts it in the line
%docker run -d --name n1-web-a -p {port}:80 nginx:1.25

# %%
%docker run -d --name n1-web-b -p {port}:80 nginx:1.25

# %%
print("n1-web-b left behind:", "n1-web-b" in list(dl.ps()["name"]))

# %% [markdown]
# ## Exercises
#
# ### 01-web-db — a web server and a database
# Run an nginx container named `ex1-web` publishing its port 80, and a postgres container named
# `ex1-db` with `POSTGRES_PASSWORD` set (the official postgres image refuses to start without it).

# %%
ex = dl.CheckWidget("01-web-db")
ex

# %% tags=["solution"]
dl.run("nginx:1.25", name="ex1-web", ports=["80"])
dl.run("postgres:15", name="ex1-db", env={"POSTGRES_PASSWORD": "course-only"})

# %%
ex.check()

# %% [markdown]
# ### 01-secret-in-logs — find a generated password in the logs
# Database images can generate a random password and print it once, in the log (the official
# mysql image does with `MYSQL_RANDOM_ROOT_PASSWORD=yes`). The cell below starts `ex1-secret`, which
# does the same. Find the password with `docker logs ex1-secret` and give it as the answer.

# %%
dl.run("busybox:1.36", ["sh", "-c", "echo GENERATED PASSWORD: $(head -c 12 /dev/urandom | md5sum | head -c 16); "
                                    "exec sleep 3600"], name="ex1-secret")

# %%
ex = dl.CheckWidget("01-secret-in-logs")
ex

# %% tags=["solution"]
import time

for _ in range(50):                               # the line may take a moment to appear
    log = str(dl.logs("ex1-secret"))              # not printed: a password stays off the screen
    if "GENERATED PASSWORD:" in log or not dl.state("ex1-secret"):
        break
    time.sleep(0.1)
ex.answer.value = log.split("GENERATED PASSWORD:")[-1].split()[0] if "GENERATED PASSWORD:" in log else ""

# %%
result = ex.check()                               # what the Check button does, with the Answer box
ex.answer.value = ""                              # keep the password out of the saved notebook
result

# %% [markdown]
# ### 01-rm-answer — a throwaway container answers a question
# Which major Debian version is in `debian:bookworm-slim`? Read `VERSION_ID` in `/etc/os-release`
# with a throwaway container (`docker run --rm ...`) and answer the number. The check also makes
# sure the container that read it was not left behind.

# %%
ex = dl.CheckWidget("01-rm-answer")
ex

# %% tags=["solution"]
import re

release = dl.run("debian:bookworm-slim", "cat /etc/os-release", rm=True, detach=False)
found = re.search(r'^VERSION_ID="?(\d+)', str(release), re.M)
ex.answer.value = found.group(1) if found else ""    # the answer goes in the widget's Answer box

# %%
ex.check()

# %% [markdown]
# ### 01-shell — a shell in a running container
# Run `ex1-shell` from `debian:bookworm-slim` with a main process that keeps running
# (`sleep infinity`). Open a shell in it (`docker exec -it ex1-shell bash`) and create
# `/root/hello.txt` containing `hello from exec`.

# %%
ex = dl.CheckWidget("01-shell")
ex

# %% tags=["solution"]
dl.run("debian:bookworm-slim", "sleep infinity", name="ex1-shell")
dl.exec("ex1-shell", ["sh", "-c", "echo hello from exec > /root/hello.txt"])  # in a terminal: docker exec -it ex1-shell bash

# %%
ex.check()

# %% [markdown]
# ## Key points
#
# - `docker run` = find the image (local cache first, else pull; no tag means `:latest`) → create a
#   **new** container with its own writable layer → attach it to the default `bridge` network with a
#   private IP → start the image's `CMD`, or the command you give after the image name.
# - No port is reachable from outside until you publish it (`-p HOST:CONTAINER`); `EXPOSE` only documents.
# - A container is a host process with a restricted view: `docker top` shows it with host PIDs; it
#   runs as long as its main process (PID 1 inside) runs.
# - `inspect` tells how a container is configured, `stats` what it uses.
# - Images hold a minimal userland, not a VM: expect missing tools.
# - `run -it` for a terminal; `exec -it` adds a process to a running container without touching PID 1;
#   `create` + `start -ai`, `run -dit` + `start` (no attach), `run -it IMAGE CMD` (both at once).
# - Pitfalls: a container that exits at once (its main process ended — e.g. a shell without `-it`),
#   "port is already allocated", tools missing from small images.
#
# ## Cheat sheet
#
# | command | what it does |
# |---|---|
# | `docker images` | the local image cache (`ImageTable`) |
# | `docker network ls` | the networks (`NetworkPanel`) |
# | `docker run --rm busybox:1.36 echo hello` | run a command in a throwaway container |
# | `docker run -d --name n1-web nginx:1.25` | run detached, from the image's CMD |
# | `docker run -d --name web -p 8080:80 nginx:1.25` | publish container port 80 on host port 8080 |
# | `docker run -e KEY=value ...` | set an environment variable |
# | `docker ps -a` | list containers, stopped ones too |
# | `docker port n1-web` | the published ports |
# | `docker top n1-box` | the container's processes, with host PIDs |
# | `docker container inspect n1-web` | the configuration and state, as JSON |
# | `docker container stats --no-stream` | CPU, memory, I/O of containers |
# | `docker logs ex1-secret` | what the main process printed |
# | `docker exec n1-box ps` / `docker exec -it n1-box bash` | another process in a running container |
# | `docker run -it --rm debian:bookworm-slim bash` | an interactive shell |
# | `docker create -it --name n1-created IMAGE CMD` | make a container, do not start it |
# | `docker start --attach --interactive n1-created` (`-ai`) | start it, attached |
# | `docker run -dit --name n1-dit debian:bookworm-slim` | detached, with terminal and input |
# | `docker stop n1-dit` / `docker start n1-dit` | stop; start again without attaching |
# | `docker rm -f -v n1-exits` | remove a container (running or not) |
# | `dockerlab clean` | remove everything this session made |

# %%
lesson.cleanup()
