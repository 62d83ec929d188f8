# %%
import dockerlab as dl

lesson = dl.Lesson("04-dockerfiles", "Dockerfiles", 40, objectives=[
    "write a Dockerfile and build it, with another file name too (-f)",
    "count the layers RUN steps make, and chain commands to make fewer",
    "log to stdout/stderr so that docker logs shows it",
    "tell EXPOSE (documentation) from -p (publishing)",
    "order a Dockerfile for the build cache, and measure the difference",
    "use WORKDIR, and know what an image inherits from its FROM image",
])
lesson

# %% [markdown]
# # 04 — Dockerfiles
#
# ## 1. A Dockerfile is a recipe
#
# A **Dockerfile** lists the steps that make an image: start `FROM` an image, `COPY` files in,
# `RUN` commands, and set how containers start (`CMD`). `docker build` follows it and tags the
# result. The builder below shows each step, whether it came from the cache, and how long it took.

# %%
recipe = dl.BuildRunner(
    'FROM busybox:1.36\n'
    'ENV GREETING="hello from a Dockerfile"\n'
    'COPY greet.sh /usr/local/bin/greet.sh\n'
    'CMD ["sh", "/usr/local/bin/greet.sh"]\n',
    files={"greet.sh": 'echo "$GREETING"\n'}, tag="n4-recipe:1", lesson=lesson.id)
if recipe.connected:  # without a daemon the widget shows how to connect one instead
    recipe.nocache.value = True  # a fresh build every time this notebook runs
    recipe.build_button.click()  # what you would click; the build runs in the background
    recipe.wait_idle()
recipe

# %%
%docker run --rm n4-recipe:1

# %% [markdown]
# ## 2. `docker build -f`: a Dockerfile with another name
#
# `docker build .` reads `./Dockerfile`. Several recipes in one folder (`Dockerfile.dev`,
# `Dockerfile.test`) are built with `-f NAME`. The folder a build reads is its **context**; we
# write one file by file with `%%writefile` (what your editor would save), in a fresh folder:

# %%
import pathlib
import tempfile

N4 = pathlib.Path(tempfile.mkdtemp(prefix="dockerlab-n4-"))  # this lesson's build folders, removed at the end
for folder in ("dev", "site"):
    (N4 / folder).mkdir()

# %%
%%writefile {N4}/dev/Dockerfile.dev
FROM busybox:1.36
CMD ["echo", "built from Dockerfile.dev"]

# %% [markdown]
# Without `-f`, a folder that has only `Dockerfile.dev` has no recipe to build:

# %%
dev_recipe = (N4 / "dev" / "Dockerfile.dev").read_text()


def attempt(call, *args, **kwargs):
    """Run a call that may be refused; show the toolkit's message and hint, not a traceback."""
    try:
        return call(*args, **kwargs)
    except dl.DockerlabError as e:
        print(e.as_text())


attempt(dl.BuildSpec("n4-dev:1", files={"Dockerfile.dev": dev_recipe}).validated)

# %%
%docker build -f {N4}/dev/Dockerfile.dev --no-cache -t n4-dev:1 {N4}/dev

# %%
%docker run --rm n4-dev:1

# %% [markdown]
# ## 3. Chaining commands in one `RUN` makes fewer layers
#
# Every `RUN` that changes files is a layer of its own. The same three commands, as three `RUN`
# steps and as one chained with `&&`:

# %%
three_runs = dl.build("n4-three:1", "FROM busybox:1.36\n"
                      "RUN mkdir -p /app\nRUN echo one > /app/a\nRUN echo two > /app/b\n", nocache=True)
one_run = dl.build("n4-one:1", "FROM busybox:1.36\n"
                   "RUN mkdir -p /app && echo one > /app/a && echo two > /app/b\n", nocache=True)
base_layers = len(dl.layers("busybox:1.36"))
print("layers added by 3 RUN steps:", len(dl.layers("n4-three:1")) - base_layers)
print("layers added by 1 chained RUN:", len(dl.layers("n4-one:1")) - base_layers)

# %% [markdown]
# It matters for size too: a file deleted in a *later* step still sits in the earlier layer.
# That is why Debian-based Dockerfiles write
# `RUN apt-get update && apt-get install -y PACKAGE && rm -rf /var/lib/apt/lists/*` as **one**
# step. Here with a 5 MB scratch file:

# %%
separate = dl.build("n4-separate:1", "FROM busybox:1.36\n"
                    "RUN dd if=/dev/zero of=/big bs=1M count=5\nRUN rm /big\n", nocache=True)
chained = dl.build("n4-chained:1", "FROM busybox:1.36\n"
                   "RUN dd if=/dev/zero of=/big bs=1M count=5 && rm /big\n", nocache=True)
extra = dl.image_size("n4-separate:1") - dl.image_size("n4-chained:1")
print("deleting in a later RUN still ships the 5 MB:", extra >= 5 * 2**20)

# %% [markdown]
# ## 4. Log to stdout and stderr, not to files
#
# Docker collects what the main process writes to **stdout/stderr**: `docker logs` shows it, and
# log drivers ship it elsewhere. A log *file* inside the container is invisible to all of that —
# and it disappears with the container. Two apps that log the same lines, one each way:

# %%
to_stdout = dl.build("n4-log-stdout:1", 'FROM busybox:1.36\n'
                     'CMD ["sh", "-c", "echo app started; echo handled request 1"]\n', nocache=True)
to_file = dl.build("n4-log-file:1", 'FROM busybox:1.36\n'
                   'CMD ["sh", "-c", "mkdir -p /var/log/app; '
                   'echo app started >> /var/log/app/app.log; echo handled request 1 >> /var/log/app/app.log"]\n',
                   nocache=True)

# %%
%%docker
run --name n4-log-stdout n4-log-stdout:1
run --name n4-log-file n4-log-file:1

# %%
%docker logs n4-log-stdout

# %%
stdout_logs, file_logs = dl.logs("n4-log-stdout"), dl.logs("n4-log-file")
print("docker logs shows the stdout app's lines:", "handled request 1" in stdout_logs.text)
print("docker logs shows the file app's lines:", "handled request 1" in file_logs.text)
print("the file app's lines are buried in a file:", "handled request 1" in (dl.read_file("n4-log-file", "/var/log/app/app.log") or ""))

# %% [markdown]
# The official nginx image makes its access and error logs links to `/dev/stdout` and
# `/dev/stderr` for exactly this reason; the course's nginx image logs to stdout/stderr as well.
#
# ## 5. `EXPOSE` does not publish a port
#
# `EXPOSE 80` is documentation in the image: "this app listens on 80". It opens nothing on the
# host. Containers on the same network reach the port anyway; the host reaches it only through
# `-p` (`--publish`).

# %%
dl.build("n4-web:1", "FROM busybox:1.36\n"
         "RUN mkdir /www && echo hello from n4-web > /www/index.html\n"
         "EXPOSE 80\n"
         'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]\n', nocache=True)

# %%
print("EXPOSE in the image:", dl.image_config("n4-web:1").value["ExposedPorts"])

# %%
%%docker
network create n4-net
run -d --name n4-web-plain --network n4-net n4-web:1

# %%
print("published ports:", ", ".join(dl.port("n4-web-plain").value) or "none")

# %% [markdown]
# Another container on `n4-net` reaches it by name, no `-p` needed:

# %%
%docker run --rm --network n4-net busybox:1.36 wget -qO- http://n4-web-plain

# %% [markdown]
# With `-p 80` Docker publishes it on a host port it picks (on 127.0.0.1 here), and the host
# can connect:

# %%
%docker run -d --name n4-web-published -p 80 n4-web:1

# %%
print("published ports:", ", ".join(dl.port("n4-web-published").value) or "none")
dl.curl("n4-web-published", 80)

# %% [markdown]
# > The course notes say EXPOSE "only exports it to the docker VPN". More precisely: containers on
# > a shared network reach **every** port a container listens on, exposed or not; `EXPOSE` only
# > records the port (and `docker run -P` publishes all exposed ports at once). Docker networks
# > are virtual networks on a software bridge, not VPNs.
#
# ## 6. Order what changes least first: the build cache
#
# The builder reuses a step from its cache while the step and everything before it are unchanged
# (for `COPY`: the copied files). The first changed step and **every step after it** run again.
# So put slow steps that rarely change (installing dependencies) before the code you edit daily.
#
# Two Dockerfiles with the same steps in a different order. The "dependencies" step sleeps 2 s
# to stand for `apt-get install` or `pip install`:

# %%
deps = 'RUN echo installing dependencies && sleep 2 && mkdir /deps && echo libfoo 1.0 > /deps/list\n'
copy_code = "COPY app.sh /app/app.sh\n"
cmd = 'CMD ["sh", "/app/app.sh"]\n'
friendly_df = "FROM busybox:1.36\n" + deps + copy_code + cmd
hostile_df = "FROM busybox:1.36\n" + copy_code + deps + cmd
print("cache-friendly:\n" + friendly_df)
print("cache-hostile:\n" + hostile_df)

# %% [markdown]
# First builds (the dependencies step may already be in the cache from an earlier run, or from a
# classmate's build on a shared daemon: either way, the next builds find it there):

# %%
app_v1 = {"app.sh": "echo app version 1\n"}
dl.build("n4-friendly:1", friendly_df, files=app_v1)
dl.build("n4-hostile:1", hostile_df, files=app_v1)
print("both built")

# %% [markdown]
# Now we change the code — one line of `app.sh` — and rebuild both, cache allowed:

# %%
import datetime
# The timestamp makes this edit unique: the build cache belongs to the whole daemon, so an
# identical edit built earlier (by you, or by a classmate on a shared daemon) would be a hit.
app_v2 = {"app.sh": f"echo app version 2\n# edited {datetime.datetime.now().isoformat()}\n"}
friendly = dl.build("n4-friendly:2", friendly_df, files=app_v2, seconds=True)
hostile = dl.build("n4-hostile:2", hostile_df, files=app_v2, seconds=True)
print(friendly.text)
print(hostile.text)
dl.compare_builds(friendly=friendly, hostile=hostile)

# %%
print("the cache-friendly rebuild reused the dependencies step:", friendly.value.steps[1].cached)
print("the cache-hostile rebuild ran it again:", not hostile.value.steps[2].cached)
print("the cache-friendly rebuild is faster:", friendly.value.seconds < hostile.value.seconds)
print("the builder that ran them:", dl.builder())  # BuildKit on Engine 23+, the classic builder on 20.10

# %% [markdown]
# ## 7. `WORKDIR` is a `cd` that lasts
#
# `RUN cd /etc` changes the directory only for that one `RUN` (each step is a new shell).
# `WORKDIR /srv/app` creates the folder if needed and makes it the current directory for every
# later step **and** for the container's process.

# %%
dl.build("n4-workdir:1", "FROM busybox:1.36\n"
         "RUN cd /etc\n"
         "RUN pwd > /after-run-cd\n"
         "WORKDIR /srv/app\n"
         "RUN pwd > /after-workdir && echo hi > note.txt\n"
         'CMD ["pwd"]\n', nocache=True)

# %%
dl.run("n4-workdir:1", ["sh", "-c", "echo a RUN after RUN cd /etc ran in: $(cat /after-run-cd); "
                        "echo a RUN after WORKDIR ran in: $(cat /after-workdir); "
                        "echo the container starts in: $(pwd); echo note.txt is at: $(ls $PWD/note.txt)"],
       rm=True, detach=False)

# %% [markdown]
# ## 8. A Dockerfile inherits its `FROM` image's settings
#
# An image built `FROM nginx:1.25` with nothing but a `COPY` still starts nginx and still
# documents port 80: `CMD`, `ENTRYPOINT`, `EXPOSE`, `ENV` and `WORKDIR` come from the base unless
# the Dockerfile sets them again.

# %%
%%writefile {N4}/site/Dockerfile
FROM nginx:1.25
COPY index.html /usr/share/nginx/html/index.html

# %%
%%writefile {N4}/site/index.html
<h1>my own page, nginx's settings</h1>

# %%
%docker build --no-cache -t n4-site:1 {N4}/site

# %%
site, nginx = dl.image_config("n4-site:1"), dl.image_config("nginx:1.25")
site

# %%
print("CMD inherited from nginx:1.25:", site.value["Cmd"] == nginx.value["Cmd"])
print("EXPOSE inherited from nginx:1.25:", site.value["ExposedPorts"] == nginx.value["ExposedPorts"])

# %%
%docker run -d --name n4-site -p 80 n4-site:1

# %%
print("it serves our page:", "my own page" in dl.curl("n4-site", 80).text)

# %% [markdown]
# `ENV` is inherited the same way. The database image sets `PGDATA` (where its data lives); a
# Dockerfile `FROM postgres:15` that only adds an init script keeps it:

# %%
dl.build("n4-db:1", "FROM postgres:15\nCOPY init.sql /docker-entrypoint-initdb.d/init.sql\n",
         files={"init.sql": "CREATE TABLE visits (n int);\n"}, nocache=True)
dl.image_config("n4-db:1")

# %% [markdown]
# ## Exercises
#
# ### Exercise 04-extend-nginx
# Build `ex4-site:1` `FROM nginx:1.25` with your own `index.html`, and run a container from it
# with port 80 published. The checker fetches the page.

# %%
ex1 = dl.CheckWidget("04-extend-nginx")
ex1

# %% tags=["solution"]
dl.build("ex4-site:1", "FROM nginx:1.25\nCOPY index.html /usr/share/nginx/html/index.html\n",
         files={"index.html": "<h1>Welcome to my site</h1>\n"})
dl.run("ex4-site:1", name="ex4-site", ports=["80"])

# %%
ex1.check()

# %% [markdown]
# ### Exercise 04-cache-order
# This Dockerfile reinstalls its dependencies after every code change. Reorder it so that the
# dependencies step comes before the `COPY` of the code, and build it as `ex4-cache:1`
# (with an `app.sh` of your choice).
#
# ```dockerfile
# FROM busybox:1.36
# WORKDIR /app
# COPY app.sh /app/app.sh
# RUN echo installing dependencies && mkdir -p /deps && echo libfoo 1.0 > /deps/list
# CMD ["sh", "/app/app.sh"]
# ```

# %%
ex2 = dl.CheckWidget("04-cache-order")
ex2

# %% tags=["solution"]
dl.build("ex4-cache:1", "FROM busybox:1.36\nWORKDIR /app\n"
         "RUN echo installing dependencies && mkdir -p /deps && echo libfoo 1.0 > /deps/list\n"
         "COPY app.sh /app/app.sh\n"
         'CMD ["sh", "/app/app.sh"]\n', files={"app.sh": "echo ex4 app\n"}, nocache=True)

# %%
ex2.check()

# %% [markdown]
# ### Exercise 04-own-app
# Build your own app image `ex4-app:1` whose `CMD` prints a line (its log), and run a container
# from it without overriding the command. The checker reads that container's `docker logs`.

# %%
ex3 = dl.CheckWidget("04-own-app")
ex3

# %% tags=["solution"]
dl.build("ex4-app:1", "FROM busybox:1.36\nCOPY app.sh /app.sh\nCMD [\"sh\", \"/app.sh\"]\n",
         files={"app.sh": "echo hello from my own app\n"})
dl.run("ex4-app:1", name="ex4-app", detach=False)

# %%
ex3.check()

# %% [markdown]
# ## Key points
#
# - A Dockerfile is the recipe of an image; `docker build -t TAG .` follows it, `-f` names another file.
# - Each `RUN`/`COPY` that changes files is a layer; chain commands (`&&`) to make fewer, and
#   delete temporary files in the same step that made them.
# - Log to stdout/stderr: `docker logs` and log drivers see only that.
# - `EXPOSE` documents a port; only `-p` publishes it on the host.
# - The cache reuses steps until the first change: put what changes least (dependencies) first,
#   the code you edit last.
# - `WORKDIR` is a `cd` that lasts for later steps and for the container.
# - A Dockerfile inherits `CMD`, `ENTRYPOINT`, `EXPOSE`, `ENV`, `WORKDIR` from its `FROM` image.
#
# ## Cheat sheet
#
# | command | what it does |
# |---|---|
# | `docker build -t n4-recipe:1 .` | build `./Dockerfile` with the files of `.` (the context) |
# | `docker build --no-cache -t TAG .` | build without the cache |
# | `docker build -f Dockerfile.dev -t n4-dev:1 .` | build a Dockerfile with another name |
# | `docker run --rm n4-recipe:1` | run the image's CMD in a throwaway container |
# | `docker run --name n4-log-stdout n4-log-stdout:1` | run in the foreground, keep the container |
# | `docker logs n4-log-stdout` | what the container wrote to stdout/stderr |
# | `docker cp n4-log-file:/var/log/app/app.log -` | read a file out of a container |
# | `docker image inspect -f '{{json .RootFS.Layers}}' IMAGE` | an image's layers |
# | `docker image inspect -f '{{json .Config}}' IMAGE` | its CMD, EXPOSE, ENV, WORKDIR |
# | `docker network create n4-net` | a user-defined network (names resolve) |
# | `docker run -d --name n4-web-plain --network n4-net n4-web:1` | run without publishing |
# | `docker run --rm --network n4-net busybox:1.36 wget -qO- http://n4-web-plain` | reach it from a container |
# | `docker run -d --name n4-web-published -p 127.0.0.1::80 n4-web:1` | publish port 80 on a host port Docker picks |
# | `docker port n4-web-published` | which host port that is |
# | `curl http://127.0.0.1:PORT/` | ask the published port from the host |
# | `docker run -d --name ex4-site -p 127.0.0.1::80 ex4-site:1` | run your extended nginx, published |
# | `dockerlab clean` | remove what this notebook created (containers, network, images) |
#
# ## Clean up
# Removes this notebook's containers, network and images — nothing else.

# %%
import shutil

done = lesson.cleanup()
shutil.rmtree(N4, ignore_errors=True)  # the build folders
done
