"""User errors as values: a problem knows where it is, what is wrong and how to mend it."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from builder.i18n import _, translate


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
        where = quote_odd(_display_path(self.path, root))
        location = f"{where}:{self.line}" if self.line > 0 else where
        prefix = _("warning: ") if self.severity is Severity.WARNING else ""
        hint = f" ({_one_line(translate(self.hint))})" if self.hint else ""
        return f"{location}: {prefix}{_one_line(translate(self.message))}{hint}"


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
        # The path as given (a symbolic link is named, not where it leads), else resolved.
        for way in (os.path.abspath, os.path.realpath):
            try:
                return Path(way(path)).relative_to(way(root)).as_posix()
            except ValueError:
                pass
    return path.as_posix()


_ODD = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
"""Unicode categories that would break or hide a line of output: controls, format
characters, lone surrogates (bytes of a name that is not UTF-8), line separators."""


def quote_odd(text: str) -> str:
    """`text` as is, or in double quotes with odd characters escaped (`\\n`, `\\xff` for
    a byte that is not UTF-8), so a name is always one line and readable."""
    if not any(unicodedata.category(char) in _ODD for char in text) and '"' not in text:
        return text
    return '"' + "".join(_escape(char) for char in text) + '"'


def _escape(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if unicodedata.category(char) not in _ODD:
        return char
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte os.fsdecode could not decode
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    return named or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def _one_line(text: str) -> str:
    """A message or hint, with any line break or control character in it escaped."""
    if not any(unicodedata.category(char) in _ODD for char in text):
        return text
    return "".join(_escape(char) if char not in '"\\' else char for char in text)
