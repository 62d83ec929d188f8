"""Show kit progress on a terminal: one redrawn bar per image on a TTY, and a line per
step (or per 10 %) when stdout is a log file, so CI logs stay readable.

>>> bar = TerminalProgress(stream=io.StringIO(), tty=False)     # doctest: +SKIP
>>> bar.update("nginx", 0.5, "Step 2/4 : RUN apt-get install nginx-light")
"""
from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

WIDTH = 20
#: Lines always worth a line of their own in a log (the rest is sampled per 10 %).
MILESTONES = ("Step ", "pull", "building", "debootstrap", "docker import", "reusing")


class TerminalProgress:
    """An ``on_progress(recipe, fraction, text)`` sink for the command line."""

    def __init__(self, stream: TextIO | None = None, tty: bool | None = None, quiet: bool = False):
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.label = ""
        self._bucket = -1
        self._drawn = 0.0
        self._open = False   # a TTY line is waiting for its final redraw

    def start(self, label: str) -> None:
        """A new image begins: ``label`` like ``[3/5] nginx:1.25``."""
        self.label = label
        self._bucket = -1

    def update(self, recipe: str, fraction: float, text: str) -> None:
        if self.quiet:
            return
        fraction = max(0.0, min(1.0, fraction))
        text = " ".join(text.split())
        if self.tty:
            now = time.monotonic()
            if now - self._drawn < 0.1 and fraction < 1.0:
                return  # redraw at most 10 times a second
            self._drawn = now
            cols = shutil.get_terminal_size((100, 20)).columns
            filled = int(WIDTH * fraction)
            line = f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {fraction:4.0%} {text}"
            self.stream.write("\r" + line[: cols - 1].ljust(cols - 1))
            self._open = True
        else:
            bucket = int(fraction * 10)
            if text.startswith(MILESTONES) or bucket != self._bucket:
                self._bucket = bucket
                self.stream.write(f"{self.label} {fraction:4.0%} {text}\n")
        self.stream.flush()

    def finish(self, text: str) -> None:
        """The image's final line (always shown, even when quiet hides progress)."""
        if self.tty and self._open:
            cols = shutil.get_terminal_size((100, 20)).columns
            self.stream.write("\r" + " " * (cols - 1) + "\r")
            self._open = False
        self.stream.write(f"{self.label} {text}\n")
        self.stream.flush()

    def say(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()
