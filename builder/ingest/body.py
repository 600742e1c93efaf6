"""The reply's paragraphs as Markdown: 一、 sections as `##`, (一) as `###`, every other
paragraph verbatim, escaped only where Markdown would read it as syntax."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from builder.ingest.page import Line

_SECTION = re.compile(r"^[一二三四五六七八九十百]{1,3}、")
_SUBSECTION = re.compile(r"^[(（][一二三四五六七八九十百]{1,3}[)）]")
_SENTENCE_END = re.compile(r"[。！？；;!?]")
_HEADING_LIMIT = 60

_INLINE = re.compile(r"[\\`*_]")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"^(?:#{1,6}(?:\s|$)|>|[-+](?:\s|$)|-{3,}|`{3,}|~{3,}|\[[^\]]*\]:|=+$)")
_ORDERED = re.compile(r"^(\d{1,9})(?=[.)](?:\s|$))")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")


def to_markdown(lines: Sequence[Line]) -> str:
    """One Markdown block per line, or per table of data, blank lines between, a newline at
    the end."""
    blocks = []
    for table, group in itertools.groupby(lines, key=lambda line: line.table):
        rows = list(group)
        if table and len(rows) >= 2:
            blocks.append(table_block(rows))
        else:
            blocks += [block(line) for line in rows]
    return "\n\n".join(blocks) + "\n"


def table_block(rows: Sequence[Line]) -> str:
    """The rows as a Markdown table, the first its head, short rows filled with empty cells."""
    width = max(len(row.cells) for row in rows)
    lines = [[_cell(text) for text in row.cells] + [""] * (width - len(row.cells)) for row in rows]
    lines.insert(1, ["---"] * width)
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _cell(text: str) -> str:
    return escape_inline(text).replace("|", "\\|")


def block(line: Line) -> str:
    if line.image:
        return f"![{escape_inline(line.text)}](<{line.image}>)"
    level = heading_level(line.text)
    if level is not None:
        return "#" * level + " " + _CLOSING_HASHES.sub(r"\1\\\2", escape_inline(line.text))
    return escape_paragraph(line.text)


def heading_level(text: str) -> int | None:
    """2 for `一、基本情况`, 3 for `（一）针对…`; None for a paragraph that starts so."""
    if len(text) > _HEADING_LIMIT or _SENTENCE_END.search(text[:-1]):
        return None
    if _SECTION.match(text):
        return 2
    if _SUBSECTION.match(text):
        return 3
    return None


def escape_paragraph(text: str) -> str:
    """The text as a Markdown paragraph that shows exactly this text."""
    text = escape_inline(text)
    if _BLOCK_START.match(text):
        return "\\" + text
    return _ORDERED.sub(r"\1\\", text, count=1)


def escape_inline(text: str) -> str:
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    if "](" in text:
        text = text.replace("[", "\\[").replace("]", "\\]")
    text = _TAG_START.sub(r"\\<", text)
    return _ENTITY.sub(r"\\&", text)
