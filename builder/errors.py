"""User errors as values: a problem knows where it is, what is wrong and how to mend it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, at `path:line`."""

    path: Path
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, root: Path | None = None) -> str:
        """`content/replies/x.md:3: message (hint)`, the path relative to `root` if inside."""
        where = _display_path(self.path, root)
        location = f"{where}:{self.line}" if self.line > 0 else where
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{location}: {prefix}{self.message}{hint}"


def warning(path: Path, line: int, message: str, hint: str = "") -> Problem:
    return Problem(path, line, message, hint, Severity.WARNING)


class BuildFailed(Exception):
    """Raised when the input has errors: carries every problem found in the run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(f"{len(self.errors)} error(s)")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line."""
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.message))


def _display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
