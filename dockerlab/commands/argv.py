"""Real ``docker`` command lines, read the way the docker CLI (cobra/pflag) reads them.

Pure code, no daemon: a line becomes a :class:`Parsed` (group, verb, and for the verbs
that create something the very spec the notebook verbs use). Each command group's flag
table sits with the module that renders its line (``run_args`` beside ``run``,
``container``, ``network``, ``volume``, ``image``, ``build_args`` beside ``build``,
``registry``); this module holds the reading rules they share: flags, refusals,
suggestions (the shell's part, quoting and ``$VAR``, is in ``argv_words``).

>>> parse("docker run -d --name web -p 8080:80 nginx:1.25").spec.cli()
'docker run -d --name web -p 127.0.0.1:8080:80 nginx:1.25'
"""
from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..engine.errors import InvalidInput
from .argv_words import bad, expand, words

BOOL, VALUE, MANY = "bool", "value", "many"
_TRUE = {"true": True, "1": True, "t": True, "false": False, "0": False, "f": False}


@dataclass(frozen=True)
class Flag:
    """One flag of one command: ``--long``/``-s``, its other long names, its arity and the
    option (a spec field, mostly) it fills. ``convert`` checks and converts one value;
    ``refuse`` returns (why, hint) when a value is unsafe (``--network host``), else None."""
    long: str
    short: str = ""
    kind: str = BOOL
    dest: str = ""
    aliases: tuple[str, ...] = ()
    convert: Callable[[str], Any] | None = None
    refuse: Callable[[str], tuple[str, str] | None] | None = None

    @property
    def key(self) -> str:
        return self.dest or self.long.replace("-", "_")

    def names(self) -> list[str]:
        return [f"--{n}" for n in (self.long, *self.aliases)] + ([f"-{self.short}"] if self.short else [])


@dataclass(frozen=True)
class Refused:
    """A docker flag the course refuses (unsafe) or leaves out (unsupported), and why."""
    names: tuple[str, ...]          # "--privileged", "-P", ...
    why: str
    hint: str
    unsafe: bool = False
    takes_value: bool = False
    unsafe_when: str = ""           # only this value is unsafe (--pid host); others are left out


@dataclass(frozen=True)
class Command:
    """A docker subcommand: its names, flags, positionals and how to build its result."""
    group: str
    verb: str
    usage: str
    flags: tuple[Flag, ...] = ()
    refused: tuple[Refused, ...] = ()
    min_args: int = 0
    max_args: int | None = None       # None: any number
    interspersed: bool = True         # run/create/exec stop reading flags at the first positional
    build: Callable[[Command, dict, list[str]], dict] | None = None


@dataclass(frozen=True)
class Parsed:
    """A read line: ``group``/``verb`` (``container``/``run``), the spec for the verbs that
    create something, else the targets (positionals) and options (flag values by name)."""
    group: str
    verb: str
    line: str
    spec: Any = None
    targets: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    args: tuple[str, ...] = ()        # a command to run (exec), after the container
    notes: tuple[str, ...] = ()       # read as docker reads it, but likely not what was meant

    @property
    def key(self) -> tuple[str, str]:
        return (self.group, self.verb)


# ------------------------------------------------------------------ values and refusals every group uses

def pair(text: str, what: str, example: str, need_value: bool) -> tuple[str, str]:
    key, eq, value = text.partition("=")
    if not key or (need_value and not eq):
        raise InvalidInput(f"invalid {what}: {text!r}", f"Write KEY=value, e.g. {example}."
                           + (" (-e KEY alone copies KEY from this machine's environment; the course writes the value.)"
                              if need_value and key else ""))
    return key, value


def label(text: str) -> tuple[str, str]:
    return pair(text, "label", "app=shop", need_value=False)


def R(names: str, why: str, hint: str, unsafe: bool = False, value: bool = True, when: str = "") -> Refused:
    return Refused(tuple(names.split()), why, hint, unsafe, value, when)


NOT_TAUGHT = "not part of the course"
FORMAT = R("--format", "Go templates are not read here",
           "The result is a table (a pandas DataFrame) or a dict: select from it in Python, e.g. "
           "dl.inspect('web')['State']['Status'].")
FORMAT_F = R("-f --format", FORMAT.why, FORMAT.hint)
NO_TRUNC = R("--no-trunc", "the table already shows whole names", "Leave --no-trunc out.", value=False)


#: (words as typed) -> Command, filled by the group modules with :func:`register`.
COMMANDS: dict[tuple[str, ...], Command] = {}
#: docker commands the course does not teach, each with where to go instead.
OTHER_COMMANDS: dict[str, str] = {}

_GLOBAL = ("-H", "--host", "--context", "-c", "--config", "-D", "--debug", "-l", "--log-level", "--tls",
           "--tlsverify", "--tlscacert", "--tlscert", "--tlskey")


def register(cmd: Command, *spellings: str) -> Command:
    for s in spellings:
        COMMANDS[tuple(s.split())] = cmd
    return cmd


# ------------------------------------------------------------------ commands and flags

def find_command(argv: list[str]) -> tuple[Command, list[str]]:
    if not argv:
        raise bad("no docker command given", "Type a command, e.g. %docker ps -a.")
    if argv[0].startswith("-"):
        if argv[0].split("=", 1)[0] in _GLOBAL:
            raise bad(f"docker's own option {argv[0]} is not supported here",
                      "The notebook talks to the daemon DOCKER_HOST names; set it with %env DOCKER_HOST=...")
        if argv[0] in ("-v", "--version", "--help", "-h"):
            raise bad(f"{argv[0]} is not shown here", "See https://docs.docker.com/engine/reference/commandline/cli/.")
        raise bad(f"unknown option {argv[0]} before the command", "Start with the command, e.g. docker run ...")
    _load()
    for n in (2, 1):
        cmd = COMMANDS.get(tuple(argv[:n]))
        if cmd is not None:
            return cmd, argv[n:]
    typed = argv[0]
    known = sorted({" ".join(k) for k in COMMANDS})
    close = []
    if len(argv) > 1 and argv[0] not in OTHER_COMMANDS:
        close = difflib.get_close_matches(" ".join(argv[:2]), [k for k in known if " " in k], n=1, cutoff=0.75)
        if argv[0] in _GROUPS or close:
            typed = " ".join(argv[:2])
    if typed in OTHER_COMMANDS or argv[0] in OTHER_COMMANDS:
        said = typed if typed in OTHER_COMMANDS else argv[0]
        raise bad(f"docker {said} is not supported in the course", OTHER_COMMANDS[said])
    close = close or difflib.get_close_matches(typed, known, n=1, cutoff=0.6)
    hint = f"Did you mean docker {close[0]}?" if close else "The course's commands: " + ", ".join(
        sorted({k[0] for k in COMMANDS})) + "."
    raise bad(f"unknown docker command: docker {typed}", hint)


_GROUPS = ("container", "image", "network", "volume")


def _flag_index(cmd: Command) -> tuple[dict[str, Flag], dict[str, Refused]]:
    flags: dict[str, Flag] = {}
    for f in cmd.flags:
        for n in f.names():
            flags[n] = f
    refused = {n: r for r in cmd.refused for n in r.names}
    return flags, refused


def _suggest(name: str, cmd: Command, flags: dict[str, Flag]) -> str:
    body = name.lstrip("-")
    shorts = {f.short for f in cmd.flags if f.short and f.kind == BOOL}
    if name.startswith("--") and 1 < len(body) <= 4 and all(c in shorts for c in body):
        return f"-{body}"          # --it -> -it: a bundle of short flags
    if not name.startswith("--") and f"--{body}" in flags:
        return f"--{body}"         # -name -> --name: long flags take two dashes
    longs = [n for n in flags if n.startswith("--")]
    close = difflib.get_close_matches(name if name.startswith("--") else f"--{body}", longs, n=1, cutoff=0.7)
    return close[0] if close else ""


def _unknown(name: str, cmd: Command, flags: dict[str, Flag]) -> InvalidInput:
    guess = _suggest(name, cmd, flags)
    listed = ", ".join(sorted({f.names()[-1] if f.short else f.names()[0] for f in cmd.flags}))
    hint = f"Did you mean {guess}?" if guess else f"docker {cmd.usage} takes: {listed or 'no flags'}."
    return bad(f"unknown flag: {name} (docker {cmd.usage})", hint)


def _refuse(r: Refused, shown: str, value: str | None = None) -> InvalidInput:
    said = shown + (f" {shlex.quote(value)}" if value is not None else "")
    if r.unsafe_when and value != r.unsafe_when:
        return bad(f"{said} is not supported in the course: only the default (its own namespace) is taught",
                   f"Leave {shown} out.")
    if r.unsafe:
        return bad(f"refused {said}: {r.why}", r.hint)
    return bad(f"{said} is not supported in the course: {r.why}", r.hint)


def _bool_value(shown: str, text: str) -> bool:
    if text.lower() not in _TRUE:
        raise bad(f"invalid value for {shown}: {text!r}", f"{shown} is a yes/no flag: write {shown} or {shown}=false.")
    return _TRUE[text.lower()]


def _store(opts: dict, f: Flag, shown: str, value: str | bool) -> None:
    if f.kind == BOOL:
        opts[f.key] = value
        return
    assert isinstance(value, str)
    if f.refuse is not None:
        why = f.refuse(value)
        if why:
            raise bad(f"refused {shown} {shlex.quote(value)}: {why[0]}", why[1])
    converted: Any = value
    if f.convert is not None:
        try:
            converted = f.convert(value)
        except InvalidInput as e:
            raise bad(f"{shown} {shlex.quote(value)}: {e.message}", e.hint) from None
    if f.kind == MANY:
        opts.setdefault(f.key, []).append(converted)
    else:
        opts[f.key] = converted


def read_flags(cmd: Command, argv: list[str]) -> tuple[dict, list[str]]:
    """Options by key and positionals, by pflag's rules: ``--f=v``, ``--f v``, ``-abc``,
    ``-p8080:80``, ``--`` ends the flags; without interspersing, so does the first positional."""
    flags, refused = _flag_index(cmd)
    opts: dict = {}
    pos: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            pos += argv[i:]
            break
        if not a.startswith("-") or a == "-":
            pos.append(a)
            if not cmd.interspersed:
                pos += argv[i:]
                break
            continue
        if a in ("--help", "-h") and a not in flags:
            raise bad(f"{a} is not shown here",
                      f"See https://docs.docker.com/engine/reference/commandline/{cmd.usage.split()[0]}/.")
        if a.startswith("--"):
            name, eq, val = a.partition("=")
            if name in refused:
                r = refused[name]
                if r.takes_value and not eq and i < len(argv):
                    val, i = argv[i], i + 1
                raise _refuse(r, name, val if (r.takes_value or eq) else None)
            f = flags.get(name)
            if f is None:
                raise _unknown(name, cmd, flags)
            if f.kind == BOOL:
                _store(opts, f, name, _bool_value(name, val) if eq else True)
                continue
            if not eq:
                if i >= len(argv):
                    raise bad(f"flag needs a value: {name}", f"Write {name} VALUE or {name}=VALUE.")
                val, i = argv[i], i + 1
            _store(opts, f, name, val)
            continue
        # -abc: a bundle of short flags; the first that takes a value takes the rest (or the next word)
        j = 1
        while j < len(a):
            shown = f"-{a[j]}"
            j += 1
            if shown in refused:
                r = refused[shown]
                taken = (a[j:].lstrip("=") or (argv[i] if i < len(argv) else "")) if r.takes_value else None
                raise _refuse(r, shown, taken)
            f = flags.get(shown)
            if f is None:
                if j == 2 and len(a) == 2:
                    raise _unknown(a, cmd, flags)
                guess = _suggest(a, cmd, flags) if j == 2 else ""
                raise bad(f"unknown flag: {shown} in {a} (docker {cmd.usage})",
                          f"Did you mean {guess}?" if guess else
                          "Each letter after a single '-' is a short flag; long flags take two dashes.")
            if f.kind == BOOL:
                if a[j:j + 1] == "=":
                    _store(opts, f, shown, _bool_value(shown, a[j + 1:]))
                    break
                _store(opts, f, shown, True)
                continue
            val = a[j:].removeprefix("=")
            if not val:
                if i >= len(argv):
                    raise bad(f"flag needs a value: {shown}", f"Write {shown} VALUE.")
                val, i = argv[i], i + 1
            _store(opts, f, shown, val)
            break
    return opts, pos


def _count(cmd: Command, pos: list[str]) -> None:
    n = len(pos)
    if n < cmd.min_args or (cmd.max_args is not None and n > cmd.max_args):
        want = ("no" if cmd.max_args == 0 else cmd.min_args if cmd.max_args == cmd.min_args
                else f"at least {cmd.min_args}"
                if cmd.max_args is None else f"at most {cmd.max_args}" if not cmd.min_args
                else f"{cmd.min_args} to {cmd.max_args}")
        plural = "" if (cmd.max_args if cmd.max_args is not None else cmd.min_args) == 1 else "s"
        extra = f" (extra: {' '.join(pos[cmd.max_args:])})" if cmd.max_args is not None and n > cmd.max_args else ""
        verb = " ".join(w for w in cmd.usage.split() if w.islower() and w[0].isalpha())
        raise bad(f"docker {verb} takes {want} argument{plural}, got {n}{extra}", f"Usage: docker {cmd.usage}")


def parse(line: str) -> Parsed:
    """One docker command line -> :class:`Parsed`; InvalidInput (message + hint) otherwise."""
    argv = words(expand(line))
    cmd, rest = find_command(argv)
    opts, pos = read_flags(cmd, rest)
    _count(cmd, pos)
    built = cmd.build(cmd, opts, pos) if cmd.build else {"targets": tuple(pos), "options": opts}
    return Parsed(cmd.group, cmd.verb, line.strip(), **built)


def _load() -> None:
    """The group modules register their commands when imported (Python imports each once)."""
    from . import build_args, container, image, network, registry, run_args, volume  # noqa: F401 - they register


OTHER_COMMANDS.update({
    "pull": "No registry is reachable in the course: `docker run` uses the local image, and "
            "`dockerlab images --offline` builds the course images.",
    **{c: "Use a terminal for it; the course does not need it." for c in (
        "kill", "pause", "unpause", "wait", "rename", "commit", "save", "load", "export", "import", "attach",
        "diff", "update", "events", "info", "version", "system", "search", "compose", "swarm", "service",
        "stack", "context", "buildx", "plugin", "secret", "config", "node", "trust", "manifest", "checkpoint",
        "container prune", "image prune", "network prune", "volume prune", "system prune")},
})
