"""Reading a saved page from disk: decoded, and split into lines as text or as HTML."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import Problem
from builder.ingest.decoding import Undecodable, decode
from builder.ingest.html import read_html
from builder.ingest.limits import read_bounded
from builder.ingest.page import HTML_SUFFIXES, Page, text_lines

_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)


def read_page(path: Path) -> Page | Problem:
    """The page in a file, or why it cannot be read."""
    data = read_bounded(path)
    if isinstance(data, Problem):
        return data
    text = decode(data)
    if isinstance(text, Undecodable):
        return Problem(
            path,
            text.line,
            f"cannot import: {text.reason}",
            "save the page as text or HTML, in UTF-8 or GB18030",
        )
    if is_html(path, text):
        lines, meta = read_html(text)
        return Page(path, lines, meta)
    return Page(path, text_lines(text))


def is_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(text[:4096]))
