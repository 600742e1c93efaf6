"""A reply printed to PDF, read from its text layer with pypdf. A printed paragraph is
broken into lines at the right margin: a line that reaches the margin (within two
characters of the widest lines of the document) and does not end a sentence is joined with
the next. Page numbers (`- 2 -`, `第 2 页 共 3 页`) are dropped. `path:line` counts lines of
the text layer from the top of the first page."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator

from builder.ingest.decoding import Undecodable
from builder.ingest.page import Line

NO_TEXT_LAYER = (
    "no text layer: the PDF holds only pictures of its pages (a scan); "
    "save the reply as .docx or text, or run the PDF through OCR first"
)
_PAGE_NUMBER = re.compile(
    r"[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+"
)
_SENTENCE_END = frozenset("。！？；：:!?;")
_CLOSING = "”’」』）)\"'"
_FIELD_START = re.compile(r"[\u4e00-\u9fff]{2,8}\s*[:：]\s*\S")
_FIELD_GAP = re.compile(r"\S(?: {2,}|\t|\u3000)\S")
"""A line the margin broke before a field label (`文号：…`): the fields keep a space."""
_MARGIN_SLACK = 2.0


def looks_like_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


def pdf_lines(data: bytes) -> tuple[Line, ...] | Undecodable:
    raw = _raw_lines(data)
    if isinstance(raw, Undecodable):
        return raw
    kept = [(text, number) for text, number in raw if not _PAGE_NUMBER.fullmatch(text)]
    if not kept:
        return Undecodable(NO_TEXT_LAYER)
    return tuple(_joined(kept))


def _raw_lines(data: bytes) -> list[tuple[str, int]] | Undecodable:
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return Undecodable("the PDF is protected by a password; save it without one")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        return Undecodable(f"the PDF is damaged or not a PDF ({type(error).__name__}: {error})")
    lines: list[tuple[str, int]] = []
    number = 0
    for page in pages:
        # Some fonts' text comes out with a NUL before each character: never part of a reply.
        for raw in page.replace("\x00", "").replace("\r", "\n").split("\n"):
            number += 1
            text = raw.strip()
            if text:
                lines.append((text, number))
    return lines


def _joined(lines: list[tuple[str, int]]) -> Iterator[Line]:
    margin = _margin(lines)
    paragraph, start = "", 0
    for index, (text, number) in enumerate(lines):
        if not paragraph:
            start = number
        paragraph = _glue(paragraph, text)
        after = lines[index + 1][0] if index + 1 < len(lines) else ""
        if not _runs_on(text, after, margin):
            yield Line(paragraph, start)
            paragraph = ""
    if paragraph:
        yield Line(paragraph, start)


def _margin(lines: list[tuple[str, int]]) -> float | None:
    """The width of a full line, when at least two lines reach it (a document of short lines
    only has none, and nothing is joined)."""
    widths = sorted((_width(text) for text, _ in lines), reverse=True)
    if len(widths) < 2 or widths[1] < widths[0] - _MARGIN_SLACK:
        return None
    return widths[0]


def _runs_on(text: str, after: str, margin: float | None) -> bool:
    """Whether the paragraph goes on after `text`: it reaches the margin, ends no sentence,
    and is not a line of fields (`发布时间：…   来源：…`) followed by what is no field (the
    addressee, the text), which only happens to be as wide as the full lines."""
    if margin is None or _width(text) < margin - _MARGIN_SLACK:
        return False
    if text.rstrip(_CLOSING)[-1:] in _SENTENCE_END:
        return False
    return not (_FIELD_GAP.search(text) and not _FIELD_START.match(after))


def _glue(before: str, after: str) -> str:
    """Latin words broken at the margin keep a space between them, as do fields (`发布日期：
    2024-09-12` / `文号：…`); Chinese text does not."""
    if not before:
        return after
    if _FIELD_START.match(after) and _FIELD_START.search(before):
        return f"{before}  {after}"
    if before[-1].isascii() and before[-1].isalpha() and after[:1].isascii():
        return f"{before} {after}"
    return before + after


def _width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)
