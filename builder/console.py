"""What the command line prints: problems coloured on a terminal, and a progress line.

Colour and progress appear only on a terminal and never with `NO_COLOR` set (or under
CI): a pipe or a file gets the same plain lines in the same order.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from builder.errors import Problem, sorted_problems
from builder.i18n import _

RED, YELLOW, DIM, RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m"


def is_live(out: TextIO) -> bool:
    """Whether `out` is a terminal that may get colours and a line that rewrites itself."""
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    return out.isatty()


@dataclass
class Console:
    err: TextIO
    quiet: bool = False
    verbose: bool = False
    _shown: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.live = is_live(self.err)

    def problems(self, problems: Sequence[Problem], root: Path) -> None:
        """Every problem, in reading order; with `quiet`, the errors only."""
        for problem in sorted_problems(problems):
            if self.quiet and not problem.is_error:
                continue
            self.line(problem.format(root), RED if problem.is_error else YELLOW)

    def line(self, text: str, colour: str = "") -> None:
        self.clear()
        if self.live and colour:
            text = f"{colour}{text}{RESET}"
        print(text, file=self.err)

    def timings(self, timings: dict[str, float]) -> None:
        if self.verbose:
            stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
            self.line(_("stages: {stages}").format(stages=stages), DIM)

    def progress(self, label: str = "") -> Progress | None:
        """A progress line (`rendering {done}/{total}` unless `label` says otherwise)."""
        if not self.live or self.quiet:
            return None
        return Progress(self, label or _("rendering {done}/{total}"))

    def clear(self) -> None:
        if self.live and self._shown:
            print("\r\x1b[K", end="", file=self.err, flush=True)
            self._shown = False

    def status(self, text: str) -> None:
        """A line that the next line replaces."""
        print(f"\r\x1b[K{DIM}{text}{RESET}", end="", file=self.err, flush=True)
        self._shown = True


class Progress:
    """`rendering 1200/10000` on one terminal line, shown once a stage has taken a second."""

    def __init__(self, console: Console, label: str) -> None:
        self.console = console
        self.label = label
        self.start = time.monotonic()
        # (tests set it to 0 to see the line on a small archive)
        self.after = float(os.environ.get("REPLY_ARCHIVE_PROGRESS_AFTER", "1"))
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total:
            self.console.clear()
        elif now - self.start >= self.after and now - self.last >= 0.1:
            self.last = now
            self.console.status(self.label.format(done=done, total=total))

    def stage(self, name: str) -> None:
        """A stage with no count (the search index): its name, once the build is long."""
        if time.monotonic() - self.start >= self.after:
            label = {"search": _("indexing for search…")}.get(name, name)
            self.console.status(label)
