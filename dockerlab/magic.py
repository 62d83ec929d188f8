"""``%docker`` and ``%%docker``: real docker command lines in a notebook cell.

A line is read by :mod:`dockerlab.commands.argv` (validated, safe defaults, in the
learner's names) and run by the same verbs ``dl.run``, ``dl.exec``... use, through
:data:`DISPATCH` (:mod:`dockerlab.verbs.dispatch`), so it is labelled and scoped by the
engine like every call; never by shelling out to an unlabelled CLI. Mistakes show as
message + hint, never a traceback.

>>> sorted(DISPATCH)[:3]
[('container', 'cp'), ('container', 'create'), ('container', 'exec')]
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .commands.argv import Parsed, parse
from .engine.errors import DaemonUnreachable, DockerlabError, InvalidInput, translate
from .verbs.dispatch import DISPATCH  # looked up at run time: tests replace it

# ------------------------------------------------------------------ running lines

def lines_of(cell: str) -> list[str]:
    """A cell's commands: backslash-continued lines joined; blank lines and # comments skipped."""
    out, buf = [], ""
    for raw in cell.splitlines():
        if raw.rstrip().endswith("\\"):
            buf += raw.rstrip()[:-1] + " "
            continue
        line, buf = (buf + raw).strip(), ""
        if line and not line.startswith("#"):
            out.append(line)
    if buf.strip():
        out.append(buf.strip())
    return out


def _shown(line: str) -> str:
    return line if line.startswith(("docker ", "$ ")) else f"docker {line}"


def execute(parsed: Parsed) -> Any:
    fn = DISPATCH.get(parsed.key)
    if fn is None:
        raise InvalidInput(f"docker {' '.join(parsed.key)} has no runner yet", "Use a terminal for it.")
    try:
        return fn(parsed)
    except DockerlabError as e:
        if not e.command:
            e.command = _shown(parsed.line)
        raise
    except Exception as e:  # a bug still reaches the learner as message + hint (re-raised as one)
        raise translate(e, _shown(parsed.line)) from e


def show_error(e: DockerlabError) -> None:
    """As the widgets show it: message, the line, the hint; no traceback."""
    from IPython.display import display
    bundle = {"text/plain": e.as_text()}
    try:
        from .widgets.base import error_html
        bundle["text/html"] = error_html(e)
    except ImportError:  # no ipywidgets: the text is enough
        pass
    display(bundle, raw=True)


def run_cell(cell: str, show: Callable[[Any], None] | None = None) -> list[Any]:
    """Every line read first (a typo in the last line runs nothing), then run in order,
    stopping at the first failure. Returns the results that ran."""
    results: list[Any] = []
    try:
        parsed = []
        for line in lines_of(cell):
            try:
                parsed.append(parse(line))
            except DockerlabError as e:
                e.command = e.command or _shown(line)
                raise
        for p in parsed:
            for note in p.notes:
                print(f"note: {note}")
            result = execute(p)
            results.append(result)
            if show is not None and result is not None:
                show(result)
    except DaemonUnreachable:
        from .verbs.offline import OFFLINE_TEXT
        print(OFFLINE_TEXT)
    except DockerlabError as e:
        show_error(e)
    except Exception as e:  # noqa: BLE001 - a bug still reaches the learner as message + hint
        show_error(translate(e))
    return results


def docker(line: str, cell: str | None = None):
    """``%docker LINE`` returns the result (shown as the cell's output); ``%%docker`` runs
    and shows each line of the cell in turn."""
    if cell is None:
        done = run_cell(line)
        return done[0] if done else None
    from IPython import get_ipython
    from IPython.display import display
    ip = get_ipython()
    body = "\n".join(x for x in (line, cell) if x.strip())
    if ip is not None:  # {python} and $python in a cell, as IPython does for the line magic
        body = "\n".join(ip.var_expand(x) for x in body.splitlines())
    run_cell(body, show=display)
    return None


def register_in_ipython() -> None:
    """What ``import dockerlab`` does inside IPython: ``%docker`` in the running shell."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except Exception:  # noqa: BLE001 - an odd IPython must not break the import
        return
    if shell is not None:
        load_ipython_extension(shell)


def load_ipython_extension(ipython) -> None:
    """``%load_ext dockerlab.magic`` (also done by ``import dockerlab`` inside IPython)."""
    ipython.register_magic_function(docker, magic_kind="line_cell", magic_name="docker")
