"""What each ``%docker`` line runs: ``(group, verb)`` -> a function of the parsed line that
calls the same notebook verbs ``dl.run``, ``dl.exec``... use (the spec verbs for a spec read
from the line), or the commands and reads layers for what no verb does yet.

>>> ("container", "run") in DISPATCH
True
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..commands import container as C
from ..commands import network as N
from ..commands import volume as V
from ..commands.argv import Parsed
from ..commands.result import Result
from ..engine.errors import Conflict, InvalidInput, NotFound
from ..reads import tables, views
from . import containers as ops
from . import images as img
from . import networks as nets
from . import registry as reg

NO_TERMINAL = "a notebook cell has no terminal to type into"
SHELLS = {"sh", "bash", "ash", "zsh", "dash", "/bin/sh", "/bin/bash", "/bin/ash", "psql", "python", "python3"}


def _each(p: Parsed, fn: Callable[[str], Any]) -> Any:
    """One verb per target (docker rm a b): one result that shows every line done."""
    out = [fn(t) for t in p.targets]
    if len(out) == 1 or not all(isinstance(d, Result) for d in out):
        return out[0] if len(out) == 1 else out
    return Result([c for d in out for c in d.cli], [d.value for d in out],
                  "".join(d.text.rstrip("\n") + "\n" for d in out if d.text))


def _quiet(p: Parsed, df, column: str):
    """``-q``: one id (or name) a line, as the docker CLI prints them."""
    if not hasattr(df, "columns"):
        return df  # OFFLINE
    values = list(dict.fromkeys(df[column])) if len(df) else []
    return Result([p.line if p.line.startswith("docker ") else f"docker {p.line}"], values, "\n".join(values))


# ------------------------------------------------------------------ containers

def _run(p: Parsed):
    s = p.spec
    if not s.detach and s.interactive:
        raise InvalidInput(f"-i without -d: {NO_TERMINAL}",
                           "Keep it running with -dit, then run commands in it with %docker exec NAME COMMAND; "
                           "or type the line in a terminal.")
    return ops.run_spec(s)


def _create(p: Parsed):
    return ops.create_spec(p.spec)


def _start(p: Parsed):
    return _each(p, lambda n: ops.start(n, attach=p.options.get("attach", False)))


def _stop(p: Parsed):
    return _each(p, lambda n: ops.stop(n, p.options.get("time", 3)))


def _restart(p: Parsed):
    return _each(p, lambda n: Result(C.action(n, "restart", p.options.get("time", 3)).cli, n,
                                     f"{n}  {ops.state(n)}", name=n))


def _rm(p: Parsed):
    def one(name: str):
        if not p.options.get("force") and ops.state(name) in ("running", "paused", "restarting"):
            raise Conflict(f"cannot remove the running container {name}",
                           f"Stop it first (docker stop {name}), or force it: docker rm -f {name}.",
                           f"docker rm {name}")
        return ops.rm(name)
    return _each(p, one)


def _exec(p: Parsed):
    name, argv = p.targets[0], list(p.args)
    if len(argv) == 1 and argv[0] in SHELLS:
        raise InvalidInput(f"{argv[0]} alone waits for typing, and {NO_TERMINAL}",
                           f"Give the command to run, e.g. %docker exec {name} {argv[0]} -c 'ls /'; for a shell, "
                           f"use dl.ExecConsole('{name}') or a terminal.")
    o = p.options
    return ops.exec(name, argv, user=o.get("user"), workdir=o.get("workdir"), env=o.get("env") or None)


def _logs(p: Parsed):
    done = ops.logs(p.targets[0], tail=p.options.get("tail", "all"))
    if p.options.get("follow") and getattr(done, "text", None) is not None:
        done.text += f"(-f: a cell shows the log so far; dl.LogViewer('{p.targets[0]}') follows it)\n"
    return done


def _ps(p: Parsed):
    if p.options.get("quiet"):
        return _quiet(p, tables.containers(lab_only=True, include_stopped=p.options.get("all", False)), "id")
    return ops.ps(all=p.options.get("all", False))


def _inspect_container(p: Parsed):
    return [ops.inspect(t) for t in p.targets]


def _inspect_object(p: Parsed):
    kinds = [p.options["type"]] if "type" in p.options else ["container", "image", "network", "volume"]
    found = []
    for ref in p.targets:
        for kind in kinds:
            if kind == "container":
                doc = ops.inspect(ref) if views.container(ref) else None
            else:
                doc = getattr(views, kind)(ref)
            if doc:
                found.append(doc)
                break
        else:
            raise NotFound(f"no such object: {ref}", "docker ps -a, docker images, docker network ls and "
                           "docker volume ls list what exists.", f"docker inspect {ref}")
    return found


def _top(p: Parsed):
    return ops.top(p.targets[0])


def _stats(p: Parsed):
    import pandas as pd

    from ..engine import streams
    names = list(p.targets) or list(ops.ps(all=False)["name"])
    rows = [streams.summarize_stats(streams.stats_sample(n)) for n in names]
    df = pd.DataFrame(rows, columns=["name", "cpu_percent", "mem_bytes", "mem_limit", "mem_percent", "net_rx",
                                     "net_tx", "block_read", "block_write", "pids"])
    if not p.options.get("no_stream"):
        print("(one sample: a cell cannot stream; dl.StatsMonitor(NAME) keeps sampling)")
    return df


def _port(p: Parsed):
    done = ops.port(p.targets[0])
    if len(p.targets) > 1 and hasattr(done, "value"):
        want = p.targets[1] if "/" in p.targets[1] else f"{p.targets[1]}/tcp"
        lines = [ln.split(" -> ", 1)[1] for ln in done.value if ln.startswith(want + " ")]
        done = Result([f"docker port {p.targets[0]} {p.targets[1]}"], lines, "\n".join(lines))
    return done


def _cp(p: Parsed):
    src, dst = p.targets
    if ":" not in src or dst != "-":
        raise InvalidInput("only docker cp CONTAINER:PATH - (print a file) is supported in the course",
                           "Read a file with %docker cp NAME:/path -; to put files in a container, mount a "
                           "folder (-v $PWD/site:/site) or build them into the image.")
    name, path = src.split(":", 1)
    text = ops.read_file(name, path)
    if text is None:
        raise NotFound(f"no such file in {name}: {path}", f"List the folder: %docker exec {name} ls -l "
                       f"{path.rsplit('/', 1)[0] or '/'}", f"docker cp {src} -")
    return Result([f"docker cp {src} -"], text, text)


# ------------------------------------------------------------------ networks and volumes

def _network_ls(p: Parsed):
    df = tables.networks()
    return _quiet(p, df, "id") if p.options.get("quiet") else df


def _network_rm(p: Parsed):
    return _each(p, lambda n: Result(N.remove(n).cli, None, n))


def _inspect_kind(kind: str):
    def inspect(p: Parsed):
        docs = []
        for ref in p.targets:
            doc = getattr(views, kind)(ref)
            if doc is None:
                raise NotFound(f"no such {kind}: {ref}", f"docker {kind} ls lists them.",
                               f"docker {kind} inspect {ref}")
            docs.append(doc)
        return docs
    return inspect


def _volume_ls(p: Parsed):
    df = tables.volumes()
    return _quiet(p, df, "name") if p.options.get("quiet") else df


def _volume_rm(p: Parsed):
    if p.options.get("force"):
        return _each(p, lambda n: Result(V.remove(n, force=True).cli, None, f"{n}  removed"))
    return _each(p, nets.volume_rm)


# ------------------------------------------------------------------ images and registries

def _images(p: Parsed):
    df = tables.images(include_dangling=p.options.get("all", False))
    if p.targets:
        repo, _, tag = p.targets[0].partition(":")
        df = df[(df["repository"] == repo) & ((df["tag"] == tag) if tag else True)].reset_index(drop=True)
    return _quiet(p, df, "id") if p.options.get("quiet") else df


def _login(p: Parsed):
    server = p.targets[0] if p.targets else "docker.io"
    started = reg.started.get(server)
    if not p.options.get("password_stdin"):
        raise InvalidInput(f"docker login would ask for a password, and {NO_TERMINAL}",
                           f"Add --password-stdin: for a registry this session started, its generated password "
                           f"is used; else call dl.login('{server}', USER, PASSWORD).")
    if started is None:
        raise InvalidInput(f"this session did not start a registry at {server}, so it has no password for it",
                           f"Call dl.login('{server}', USER, PASSWORD), or start one with dl.registry_start(NAME).")
    return reg.login(server, p.options.get("username") or started.user, started.password)


#: (group, verb) -> what runs a parsed line.
DISPATCH: dict[tuple[str, str], Callable[[Parsed], Any]] = {
    ("container", "run"): _run,
    ("container", "create"): _create,
    ("container", "start"): _start,
    ("container", "stop"): _stop,
    ("container", "restart"): _restart,
    ("container", "rm"): _rm,
    ("container", "exec"): _exec,
    ("container", "logs"): _logs,
    ("container", "ls"): _ps,
    ("container", "inspect"): _inspect_container,
    ("object", "inspect"): _inspect_object,
    ("container", "top"): _top,
    ("container", "stats"): _stats,
    ("container", "port"): _port,
    ("container", "cp"): _cp,
    ("network", "create"): lambda p: nets.network_create_spec(p.spec),
    ("network", "ls"): _network_ls,
    ("network", "rm"): _network_rm,
    ("network", "connect"): lambda p: nets.network_connect(p.targets[0], p.targets[1], aliases=p.options.get("aliases", ())),
    ("network", "disconnect"): lambda p: nets.network_disconnect(p.targets[0], p.targets[1]),
    ("network", "inspect"): _inspect_kind("network"),
    ("volume", "create"): lambda p: nets.volume_create_spec(p.spec),
    ("volume", "ls"): _volume_ls,
    ("volume", "rm"): _volume_rm,
    ("volume", "inspect"): _inspect_kind("volume"),
    ("image", "build"): lambda p: img.build_spec(p.spec),
    ("image", "ls"): _images,
    ("image", "rm"): lambda p: _each(p, img.untag),
    ("image", "history"): lambda p: img.history(p.targets[0]),
    ("image", "inspect"): _inspect_kind("image"),
    ("image", "tag"): lambda p: img.tag(*p.targets),
    ("image", "push"): lambda p: reg.push(p.targets[0]),
    ("registry", "login"): _login,
    ("registry", "logout"): lambda p: reg.logout(p.targets[0] if p.targets else "docker.io"),
}
