"""A typed line as the shell would hand it to ``docker``: ``$VAR`` expanded outside single
quotes, unquoted shell operators refused, split by POSIX rules (``shlex``), a leading
``docker`` dropped.

>>> words(expand("docker run -e 'A=$HOME' busybox:1.36 echo ';'"))
['run', '-e', 'A=$HOME', 'busybox:1.36', 'echo', ';']
"""
from __future__ import annotations

import os
import re
import shlex

from ..engine.errors import InvalidInput


def bad(message: str, hint: str) -> InvalidInput:
    return InvalidInput(message, hint)



_OPERATORS = "|&;<>"
_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def expand(line: str, env: dict[str, str] | None = None) -> str:
    """``$NAME``/``${NAME}`` outside single quotes, from the environment (``$PWD`` is the
    notebook's folder), as a shell would; ``$(...)`` and unquoted shell operators (``|``,
    ``;``, ``>``...) are refused rather than half-done (a quoted ``';'`` is a word)."""
    env = {**os.environ, "PWD": os.getcwd(), **(env or {})}
    out, quote, i = [], "", 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and quote != "'" and i + 1 < len(line):
            out.append(line[i:i + 2])
            i += 2
            continue
        if ch in "'\"" and quote in ("", ch):
            quote = "" if quote else ch
        elif ch == "$" and quote != "'":
            if line.startswith("$(", i) or line.startswith("`", i):
                raise bad("command substitution $(...) is not supported here",
                          "Write the value itself, or compute it in Python and use {name} in the line.")
            m = _VAR.match(line, i)
            if m:
                name = m.group(1) or m.group(2)
                if name not in env:
                    raise bad(f"${name} is not set", f"Write the value itself, or set it first: %env {name}=...")
                out.append(env[name])
                i = m.end()
                continue
        elif ch == "`" and quote != "'":
            raise bad("command substitution `...` is not supported here",
                      "Write the value itself, or compute it in Python and use {name} in the line.")
        elif ch == "#" and not quote and (i == 0 or line[i - 1].isspace()):
            out.append(line[i:])  # a comment: shlex drops it
            break
        elif ch in _OPERATORS and not quote:
            j = i
            while j < len(line) and line[j] in _OPERATORS:
                j += 1
            raise bad(f"shell operator {line[i:j]!r} is not supported here",
                      "One docker command per line; in %%docker, put each command on its own line.")
        out.append(ch)
        i += 1
    return "".join(out)


def words(line: str) -> list[str]:
    """The line split by POSIX shell rules; a leading ``docker`` (or ``$ docker``) is dropped."""
    try:
        argv = shlex.split(line, comments=True, posix=True)
    except ValueError as e:
        raise bad(f"cannot read the line: {e} ({line.strip()})",
                  "Close every quote you open, e.g. sh -c 'echo hello'.") from None
    if argv[:1] == ["$"]:
        argv = argv[1:]
    if argv[:1] == ["docker"]:
        argv = argv[1:]
    return argv
