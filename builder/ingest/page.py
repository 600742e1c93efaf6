"""A page as the importer reads it: its lines, each with the source line it came from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HTML_SUFFIXES = frozenset({".htm", ".html", ".shtml", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MHT_SUFFIXES = frozenset({".mht", ".mhtml"})
DOCX_SUFFIXES = frozenset({".docx"})
PDF_SUFFIXES = frozenset({".pdf"})
NO_TEXT_SUFFIXES = {
    ".doc": "an old binary Word file (.doc)",
    ".wps": "a WPS Writer file (.wps)",
    ".wpt": "a WPS Writer template (.wpt)",
    ".ofd": "an OFD document",
    ".jpg": "a picture",
    ".jpeg": "a picture",
    ".png": "a picture",
    ".gif": "a picture",
    ".bmp": "a picture",
    ".tif": "a picture",
    ".tiff": "a picture",
    ".webp": "a picture",
}
"""Files an editor may have that hold no text we can read: each is named in one line."""
READ_SUFFIXES = (
    HTML_SUFFIXES | TEXT_SUFFIXES | MHT_SUFFIXES | DOCX_SUFFIXES | PDF_SUFFIXES
) | frozenset(NO_TEXT_SUFFIXES)
"""What a folder given to import is searched for."""


@dataclass(frozen=True)
class Line:
    """One line of a page's text, stripped; `number` is its 1-based line in the file."""

    text: str
    number: int
    image: str = ""
    """For a picture in an HTML page: its address (`text` is then its description)."""
    cells: tuple[str, ...] = ()
    """For a row of a table of data in an HTML page: its cells (`text` is the row in one
    line, `a | b`); the rows of one table share `table`, and the body writes them as one."""
    table: int = 0


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
