"""A page as the importer reads it: its lines, each with the source line it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HTML_SUFFIXES = frozenset({".htm", ".html", ".shtml", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})


@dataclass(frozen=True)
class Line:
    """One line of a page's text, stripped; `number` is its 1-based line in the file."""

    text: str
    number: int
    image: str = ""
    """For a picture in an HTML page: its address (`text` is then its description)."""


@dataclass(frozen=True)
class Page:
    """A saved page: its lines in reading order, and fields from an HTML page's head."""

    path: Path
    lines: tuple[Line, ...]
    meta: tuple[Line, ...] = ()
    """`label: value` lines made from `<meta>`, `<title>`, the canonical address …, used
    only for what the visible page does not say."""


def text_lines(text: str) -> tuple[Line, ...]:
    """The non-blank lines of a text file, stripped, with their line numbers."""
    return tuple(
        Line(raw.strip(), number) for number, raw in enumerate(text.split("\n"), 1) if raw.strip()
    )
