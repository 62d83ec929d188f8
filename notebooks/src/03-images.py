# %%
import dockerlab as dl

lesson = dl.Lesson("03-images", "Images", 35, objectives=[
    "explain why an image holds no kernel, and what it holds instead",
    "tell a one-binary image from a whole OS userland, and build one FROM scratch",
    "see layers by their digest, shared between images and stored once",
    "name images user/repo:tag, and prove that latest is only a tag",
    "log in to a private registry, tag and push to it",
])
lesson

# %% [markdown]
# # 03 — Images
#
# An **image** is a read-only stack of filesystem layers plus a little metadata (the default
# command, ports, environment). A container is a process started from it. In this notebook every
# claim is run against your Docker daemon; the printed lines are the proof.
#
# ## 1. There is no kernel in an image
#
# **What you'll see:** a container asks the kernel for its version (`uname -r`). **What it proves:**
# the answer is the *host's* kernel — the image brings programs and files, never a kernel or
# drivers. (We compare instead of printing the version: it differs from machine to machine.)

# %%
k = %docker run --rm busybox:1.36 uname -r
print("$", k.line)  # the version itself differs between machines: compared, not shown
# The daemon's host is this machine, or Docker Desktop's VM, or a remote machine: its kernel is
# this machine's `uname -r` in the first case, what `docker version` reports in the others.
print("same kernel as the daemon's host:", k.text.strip() == dl.daemon_kernel())

# %% [markdown]
# Even a full Debian userland has no kernel and no kernel modules inside: `/boot` is empty and
# `/lib/modules` does not exist. On Docker Desktop (Mac, Windows) the "host" is a small Linux VM:
# containers share *its* kernel.

# %%
%docker run --rm debian:bookworm-slim sh -c 'ls /boot | wc -l; ls /lib/modules 2>/dev/null || echo "no /lib/modules"'

# %% [markdown]
# ## 2. One static binary, or a whole OS userland
#
# An image can be as small as a single statically linked program (Go and Rust apps often ship
# like that) or as large as an operating system's userland (Debian, Ubuntu: a shell, a package
# manager, hundreds of programs).
#
# `busybox:1.36` is one binary: (almost) every command in `/bin` is another name for
# `/bin/busybox`, which looks at the name it was called by. Depending on how the image was made
# the names are **symbolic links** (`ls -l` shows `ls -> /bin/busybox`) or **hard links** (more
# names for the same file: the official image's way, `stat -c %h /bin/busybox` counts them).
# `[ A -ef B ]` is true when A and B are the same file, whichever kind of link leads there:

# %%
dl.run("busybox:1.36", ["sh", "-c",
                        'n=0; same=0; for f in /bin/*; do n=$((n+1)); [ "$f" -ef /bin/busybox ] && same=$((same+1)); done; '
                        'echo "names in /bin for the one program /bin/busybox, more than 100: $([ $same -gt 100 ] && echo yes || echo no)"; '
                        'echo "other programs in /bin, fewer than 5: $([ $((n - same)) -lt 5 ] && echo yes || echo no)"; '
                        'echo "/bin/ls is /bin/busybox: $([ /bin/ls -ef /bin/busybox ] && echo yes || echo no)"'],
       rm=True, detach=False)

# %% [markdown]
# `debian:bookworm-slim` is a whole userland — a package manager and hundreds of programs:

# %%
dl.run("debian:bookworm-slim", ["sh", "-c", "head -1 /etc/os-release; "
                                "echo package manager: $(command -v apt-get); "
                                "test $(ls /usr/bin | wc -l) -gt 100 && echo more than 100 programs in /usr/bin"],
       rm=True, detach=False)

# %%
bb, deb = dl.image_size("busybox:1.36"), dl.image_size("debian:bookworm-slim")
print("debian:bookworm-slim is more than 10 times the size of busybox:1.36:", deb > 10 * bb)
dl.ImageTable(filter="busybox:1.36")

# %% [markdown]
# ## 3. `scratch`: an image with nothing in it
#
# Every image starts from the empty image `scratch`. `FROM scratch` plus one static binary is a
# complete image: no shell, no libraries, no `/etc/os-release` — no OS at all. We copy this
# machine's `/bin/busybox` (statically linked: it needs no libraries) into a build context. A
# machine without one (Docker Desktop) gets it from the official `busybox:1.36-musl` image: the
# default `busybox:1.36` is linked against glibc and would need its libraries in the image too.

# %%
binary = dl.host_static_binary("/bin/busybox")
binary

# %%
scratch_df = """FROM scratch
COPY busybox /busybox
ENTRYPOINT ["/busybox"]
CMD ["echo", "hello from an image that holds one file"]
"""
dl.build("n3-scratch:1", scratch_df, files={"busybox": binary.value}, nocache=True)

# %%
%docker run --rm n3-scratch:1

# %% [markdown]
# What is inside? Only our binary — and the few mount points Docker itself adds to every
# container (`/dev`, `/etc` for hosts and DNS, `/proc`, `/sys`). There is no shell: asking for
# `sh` fails, because nothing is there but what we copied.

# %%
%docker run --rm n3-scratch:1 ls /

# %%
%docker run --rm --entrypoint sh n3-scratch:1

# %% [markdown]
# > The course notes say "images start with a blank layer called scratch". Precisely: `scratch`
# > adds no layer at all — it is the empty starting point that `FROM scratch` names. Our image's
# > history has one layer, the COPY:

# %%
%docker history n3-scratch:1

# %% [markdown]
# ## 4. Layers: identified by digest, shared, stored once
#
# Each build step that changes files adds a **layer**, named by the digest (sha256) of its
# content. Steps that only set metadata (`CMD`, `ENV`, `EXPOSE`, `LABEL`) add none.
# The official `busybox:1.36` is a single layer: one archive holding the binary and its links.
# (An image made with `COPY busybox` and then `RUN busybox --install` would have two.) The
# explorer lists them:

# %%
base = dl.LayerExplorer("busybox:1.36")
base

# %% [markdown]
# Now two images built `FROM` the same base, each adding a file of its own.

# %%
dl.build("n3-a:1", "FROM busybox:1.36\nCOPY a.txt /a.txt\n", files={"a.txt": "I am image a\n"}, nocache=True)

# %%
dl.build("n3-b:1", "FROM busybox:1.36\nCOPY b.txt /b.txt\n", files={"b.txt": "I am image b\n"}, nocache=True)

# %% [markdown]
# `RootFS.Layers` in `docker image inspect` lists an image's layers by digest, oldest first. Both
# lists start with busybox's digests: the same content, so the daemon stores those layers
# **once** for all three images, and a registry sends them once (`Layer already exists` on push).
# Each `COPY` added exactly one layer on top of the base's, however many the base has:

# %%
la, lb, lbase = dl.layers("n3-a:1"), dl.layers("n3-b:1"), dl.layers("busybox:1.36")
print("n3-a:1 and n3-b:1 each have one layer more than busybox:1.36:", len(la) == len(lb) == len(lbase) + 1)
print("both start with busybox's layers:", la[:len(lbase)] == lbase and lb[:len(lbase)] == lbase)
print("their own top layers differ:", la[-1] != lb[-1])

# %%
shared = dl.LayerExplorer("n3-a:1", compare="n3-b:1")
shared

# %% [markdown]
# The explorer's table lists each layer and which image holds it. `docker history` shows the same
# story step by step — the first steps are busybox's, the last is ours:

# %%
%docker history n3-a:1

# %% [markdown]
# ## 5. Names: `user/repo:tag`
#
# An image name is `[registry/][user/]repo[:tag]`. Without a registry Docker means Docker Hub
# (`docker.io`); without a user, Docker Hub's official images (`library/`); without a tag,
# `latest`. So `nginx` is really `docker.io/library/nginx:latest`.

# %%
dl.refs_table("nginx", "nginx:1.25", "myuser/myapp:2", "127.0.0.1:5000/team/app:1")

# %% [markdown]
# ## 6. A tag points to one image, and `latest` is only a tag
#
# A tag is a movable name for one image, nothing more. `latest` is the tag Docker *assumes* when
# you give none — it is not updated automatically and need not be the newest image. We build
# version 1, then version 2, and then point `latest` at the **older** one.

# %%
dl.build("n3-app:1", "FROM busybox:1.36\nRUN echo version 1 > /version\nCMD cat /version\n", nocache=True)

# %%
dl.build("n3-app:2", "FROM busybox:1.36\nRUN echo version 2 > /version\nCMD cat /version\n", nocache=True)

# %%
%docker tag n3-app:1 n3-app:latest

# %%
print("n3-app:latest is the same image as n3-app:1:", dl.image_id("n3-app:latest") == dl.image_id("n3-app:1"))
print("n3-app:2 was built after n3-app:1:", dl.created("n3-app:2") > dl.created("n3-app:1"))
print("latest is not the newest:", dl.image_id("n3-app:latest") != dl.image_id("n3-app:2"))
dl.ImageTable(filter="n3-app")

# %% [markdown]
# Running `n3-app` without a tag means `n3-app:latest` — version 1, although version 2 exists:

# %%
%docker run --rm n3-app

# %% [markdown]
# **Pitfall:** `docker run nginx` on two machines can run two different images, because `latest`
# moved on Docker Hub in between. Pin a tag (`nginx:1.25`) in anything you want to reproduce.

# %% [markdown]
# ## 7. Registries, private repositories, `docker login`, push
#
# **Docker Hub** is the default registry: `docker pull nginx` downloads
# `docker.io/library/nginx:latest` layer by layer, skipping layers you already have. A private
# repository on Docker Hub is created in its web dashboard (or on the first push) and needs
# `docker login` before anyone can pull from or push to it.
#
# No public registry is reachable from this course machine, so we run the real thing locally:
# the `registry:2` image, on 127.0.0.1 only, with password authentication (htpasswd). The password
# is generated for this session and never printed. The registry image holds no `htpasswd`
# program (the official one dropped it): the toolkit writes the bcrypt password file itself, with
# Python's `bcrypt` library — the first line shows how to do the same by hand — and copies it in.

# %%
reg = dl.registry_start("n3-registry")
reg

# %% [markdown]
# To push to a registry, the image's name must start with the registry's address:
# `docker tag` gives our `n3-app:2` that second name.

# %%
addr = reg.value.address
target = f"{addr}/n3/app:2"
%docker tag n3-app:2 {target}

# %% [markdown]
# A push without logging in is refused by the registry:

# %%
anonymous = %docker push {target}
anonymous

# %%
print("anonymous push refused:", anonymous.value is False)

# %% [markdown]
# A wrong password is refused too (the daemon checks it against the registry). Then the right one,
# as you would type it: `--password-stdin` reads the password from input (in a notebook, the
# password this session generated for the registry; it is never shown):

# %%
dl.login(addr, reg.value.user, "not-the-password")

# %%
%docker login {addr} --username {reg.value.user} --password-stdin

# %%
pushed = %docker push {target}
print("push after login succeeded:", pushed.value is True)
pushed

# %% [markdown]
# The registry's catalog (its HTTP API, `GET /v2/_catalog`, with the same login) now lists the
# repository, with its tag:

# %%
dl.catalog(addr)

# %%
dl.registry_tags(addr, "n3/app")

# %% [markdown]
# The layers under `n3/app` are busybox's plus ours: a later push of another busybox-based
# image sends only its own layers.
#
# ## Exercises
#
# ### Exercise 03-tag-push
# Publish `busybox:1.36` in your registry as `ex3/busybox:1.36`: tag it with the registry's
# address, make sure you are logged in, push.

# %%
ex1 = dl.CheckWidget("03-tag-push")
ex1

# %% tags=["solution"]
ex3_ref = f"{addr}/ex3/busybox:1.36"
dl.tag("busybox:1.36", ex3_ref)
dl.push(ex3_ref)

# %% tags=["solution"]
# Tidy up: remove only the name; busybox:1.36 still points at the image, so it stays.
dl.untag(ex3_ref)

# %%
ex1.check()

# %% [markdown]
# ### Exercise 03-latest-tag
# Build two different images `ex3-tool:1.0` and then `ex3-tool:2.0`, and make `ex3-tool:latest`
# point at the older `ex3-tool:1.0`.

# %%
ex2 = dl.CheckWidget("03-latest-tag")
ex2

# %% tags=["solution"]
dl.build("ex3-tool:1.0", "FROM busybox:1.36\nRUN echo ex3 tool 1.0 > /version\n")
dl.build("ex3-tool:2.0", "FROM busybox:1.36\nRUN echo ex3 tool 2.0 > /version\n")
dl.tag("ex3-tool:1.0", "ex3-tool:latest")

# %%
ex2.check()

# %% [markdown]
# ### Exercise 03-shared-base
# Build two different images `ex3-a` and `ex3-b`, both `FROM busybox:1.36`, so that they share
# busybox's layers. Compare them with a `LayerExplorer`.

# %%
ex3 = dl.CheckWidget("03-shared-base")
ex3

# %% tags=["solution"]
dl.build("ex3-a", "FROM busybox:1.36\nRUN echo a > /a.txt\n")
dl.build("ex3-b", "FROM busybox:1.36\nRUN echo b > /b.txt\n")
dl.LayerExplorer("ex3-a", compare="ex3-b")

# %%
ex3.check()

# %% [markdown]
# ## Key points
#
# - An image holds files and settings, **no kernel**: every container uses the host's kernel.
# - An image can be one static binary (`FROM scratch` + the binary) or a whole OS userland.
# - Layers are named by the digest of their content; images built on the same base share its
#   layers, stored and transferred once. Metadata steps add no layer.
# - Names are `[registry/][user/]repo[:tag]`; a tag points to one image and can be moved;
#   `latest` is only the default tag, not "the newest".
# - A private registry needs `docker login`; the image name carries the registry's address;
#   `docker push` sends only the layers the registry lacks.
#
# ## Cheat sheet
#
# | command | what it does |
# |---|---|
# | `docker run --rm busybox:1.36 uname -r` | a throwaway container; prints the (host's) kernel version |
# | `docker images` | local images: repo, tag, id, size |
# | `cp /bin/busybox .` | a static binary for a `FROM scratch` image (this machine's) |
# | `docker build -t n3-scratch:1 .` | build the image described by `./Dockerfile` |
# | `docker build --no-cache -t TAG .` | build without reusing cached steps |
# | `docker history IMAGE` | an image's build steps and the layers they added |
# | `docker image inspect -f '{{json .RootFS.Layers}}' IMAGE` | an image's layer digests |
# | `docker image inspect IMAGE` | everything about an image (Config, RootFS, ...) |
# | `docker tag SOURCE TARGET` | give an image another name (`repo:tag`) |
# | `docker rmi NAME` | remove a name; the image goes when its last name goes |
# | `python3 -c 'import bcrypt, getpass; print("USER:" + bcrypt.hashpw(getpass.getpass().encode(), bcrypt.gensalt(5)).decode())' > htpasswd` | a bcrypt password file for the registry (or `htpasswd -Bbn USER PASS` from apache2-utils; `registry:2` has no htpasswd) |
# | `docker create --name n3-registry -p 127.0.0.1::5000 -e REGISTRY_AUTH=htpasswd ... registry:2` | a registry with logins |
# | `docker cp htpasswd n3-registry:/etc/docker/registry/htpasswd` | copy a file into a container |
# | `docker start n3-registry` | start it |
# | `docker login 127.0.0.1:PORT -u USER --password-stdin` | log in to a registry |
# | `docker logout 127.0.0.1:PORT` | forget the login |
# | `docker push 127.0.0.1:PORT/n3/app:2` | upload an image to the registry in its name |
# | `curl -u USER http://127.0.0.1:PORT/v2/_catalog` | the registry's repositories |
# | `curl -u USER http://127.0.0.1:PORT/v2/REPO/tags/list` | a repository's tags |
# | `docker run --rm debian:bookworm-slim sh -c '...'` | look around a whole OS userland |
# | `docker create busybox:1.36` + `docker cp CONTAINER:/bin/busybox .` | copy a file out of an image (when the host has none) |
# | `docker pull nginx` | `docker.io/library/nginx:latest` from Docker Hub (not reachable here) |
# | `dockerlab clean` | remove what this notebook created (containers, images) |
#
# ## Clean up
# Removes this notebook's containers (the registry too) and the images it built — nothing else.

# %%
lesson.cleanup()
