"""One result type for every docker command the toolkit performs.

A :class:`Result` carries the ``docker`` line(s) that were performed (what a learner would
type), what code uses next (``value``: an id, an exit code, a table, a build), what a person
reads (``text``), and the facts every command may have (id, name, status, exit code,
output). In a notebook it shows as the CLI line(s) then the text.

>>> Result(["docker stop web"], text="web  exited")
$ docker stop web
web  exited
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    """What one learner action did on the daemon."""
    cli: list[str]
    value: Any = None
    text: str = ""
    id: str = ""
    name: str = ""
    status: str = ""
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def line(self) -> str:
        """The (last) docker line performed."""
        return self.cli[-1] if self.cli else ""

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        lines = [f"$ {c}" for c in self.cli]
        if self.text:
            lines.append(self.text.rstrip("\n"))
        return "\n".join(lines)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython: plain text, no quotes
        p.text(repr(self))

    def __str__(self) -> str:
        return self.text
