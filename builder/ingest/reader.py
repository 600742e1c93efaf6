"""Reading a saved page from disk: the format found (from the file's first bytes, then its
name), decoded, and split into lines as text, HTML, a one-file saved page (.mht), a Word
document (.docx) or a PDF's text layer. A file with no text layer (a scan, a picture, an
old binary .doc or .wps) is one problem naming what it is and what to save it as."""

from __future__ import annotations

import re
from pathlib import Path

from builder.errors import Problem
from builder.ingest.decoding import Undecodable, decode
from builder.ingest.html import read_html
from builder.ingest.limits import read_bounded
from builder.ingest.mht import html_of_mht, looks_like_mht
from builder.ingest.page import (
    DOCX_SUFFIXES,
    HTML_SUFFIXES,
    MHT_SUFFIXES,
    NO_TEXT_SUFFIXES,
    PDF_SUFFIXES,
    TEXT_SUFFIXES,
    Line,
    Page,
    text_lines,
)
from builder.ingest.pdf import looks_like_pdf, pdf_lines
from builder.ingest.word import docx_lines, looks_like_docx

_HTML_START = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_NO_TEXT_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Word or WPS file (.doc / .wps)"),
    (b"\x89PNG", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"GIF8", "a picture"),
    (b"II*\x00", "a picture"),
    (b"MM\x00*", "a picture"),
)
_SAVE_AS = "save it as .docx or text"


def read_page(path: Path) -> Page | Problem:
    """The page in a file, or why it cannot be read."""
    data = read_bounded(path)
    if isinstance(data, Problem):
        return data
    suffix = path.suffix.lower()
    if looks_like_mht(data) or suffix in MHT_SUFFIXES:
        return _mht_page(path, data)
    if suffix in HTML_SUFFIXES | TEXT_SUFFIXES:
        return _text_page(path, decode(data))  # a binary file so named: said by decode
    no_text = _no_text(data, suffix)
    if no_text:
        return Problem(path, 0, f"cannot import: no text layer: it is {no_text}", _SAVE_AS)
    if looks_like_pdf(data) or suffix in PDF_SUFFIXES:
        return _lines_page(path, pdf_lines(data), "the PDF")
    if looks_like_docx(data) or suffix in DOCX_SUFFIXES:
        return _lines_page(path, docx_lines(data), "the .docx")
    return _text_page(path, decode(data))


def is_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or bool(_HTML_START.match(text[:4096]))


def _no_text(data: bytes, suffix: str) -> str | None:
    """What the file is when it holds no text to read, from its first bytes or its name."""
    for magic, kind in _NO_TEXT_MAGIC:
        if data.startswith(magic):
            return kind
    if data[:5] == b"RIFF" and data[8:12] == b"WEBP":
        return "a picture"
    if suffix in NO_TEXT_SUFFIXES and not looks_like_pdf(data) and not looks_like_docx(data):
        return NO_TEXT_SUFFIXES[suffix]
    return None


def _text_page(path: Path, text: str | Undecodable) -> Page | Problem:
    if isinstance(text, Undecodable):
        return _undecodable(path, text)
    if is_html(path, text):
        return Page(path, *read_html(text))
    return Page(path, text_lines(text))


def _mht_page(path: Path, data: bytes) -> Page | Problem:
    found = html_of_mht(data)
    if isinstance(found, Undecodable):
        return _undecodable(path, found)
    text, html, meta = found
    if html:
        lines, head = read_html(text)
        return Page(path, lines, head + meta)
    return Page(path, text_lines(text), meta)


def _lines_page(path: Path, lines: tuple[Line, ...] | Undecodable, what: str) -> Page | Problem:
    if isinstance(lines, Undecodable):
        hint = "" if "save" in lines.reason else _SAVE_AS
        return Problem(path, lines.line, f"cannot import: {lines.reason}", hint)
    if not lines:
        return Problem(path, 0, f"cannot import: {what} holds no text", _SAVE_AS)
    return Page(path, lines)


def _undecodable(path: Path, text: Undecodable) -> Problem:
    return Problem(
        path,
        text.line,
        f"cannot import: {text.reason}",
        "save the page as text or HTML, in UTF-8 or GB18030",
    )
