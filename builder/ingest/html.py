"""Saved HTML pages to lines: the article and what stands before it (the title, header
fields), and after it only lines that hold header fields. A table row of `label | value`
cells becomes one `label：value label：value` line; the head's `<meta>`, `<title>`, canonical
address and the browser's `saved from url` become `label：value` lines of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.ingest.article import find_article, last_sibling_kept, prune
from builder.ingest.fields import find_fields, key_of, normalise_label
from builder.ingest.page import Line
from builder.ingest.tree import BLOCK, SPACE, Element, Text, find, inline_text, parse_html, walk

_NBSP_GAP = re.compile(r"[ \xa0]*\xa0[ \xa0]+|[ \xa0]+\xa0[ \xa0]*")
"""A gap of `&nbsp;`s, how sites set fields apart on a line (`发布机构&nbsp;&nbsp;某局&nbsp;&nbsp;
发布日期…`): two spaces, as in a text file, so that the fields are told apart."""
_TITLE_PARTS = re.compile(r"\s*[_|｜]\s*|\s+[-–—]+\s+")


def read_html(text: str) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """The page's visible lines (article and header fields) and the lines made from its head."""
    root, saved_from = parse_html(text)
    meta = _meta_lines(root, saved_from)
    body = next(find(root, "body"), root)
    prune(body, in_article=False)
    start = find_article(body)
    end = last_sibling_kept(body, start)
    renderer = _Renderer(start, end)
    renderer.node(body)
    renderer.flush()
    return tuple(renderer.kept()), tuple(meta)


# --- the head: title, publication date, source and address ------------------------------


def _meta_lines(root: Element, saved_from: str) -> list[Line]:
    found: dict[str, list[tuple[int, str, int]]] = {
        "标题": [],
        "发布日期": [],
        "来源": [],
        "网址": [],
    }
    for element in walk(root):
        for label, rank, value in _meta_fields(element):
            if value.strip():
                found[label].append((rank, value.strip(), element.line))
    if saved_from:
        found["网址"].append((9, saved_from, 1))
    return [
        Line(f"{label}：{value}", line)
        for label, items in found.items()
        for _, value, line in sorted(items, key=lambda item: item[0])
    ]


_META_NAMES = {
    "articletitle": ("标题", 0),
    "pubdate": ("发布日期", 0),
    "contentsource": ("来源", 0),
    "url": ("网址", 2),
    "og:url": ("网址", 1),
}


def _meta_fields(element: Element) -> list[tuple[str, int, str]]:
    """(label, rank, value): a lower rank is the better source of the same field."""
    attrs = element.attrs
    if element.tag == "meta":
        name = (attrs.get("name") or attrs.get("property") or "").lower()
        if name in _META_NAMES:
            label, rank = _META_NAMES[name]
            return [(label, rank, attrs.get("content", ""))]
        return []
    if element.tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
        return [("网址", 0, attrs.get("href", ""))]
    if element.tag == "title":
        parts = _TITLE_PARTS.split(inline_text(element).strip())
        return [("标题", 1, p) for p in parts if re.search("答复|建议|提案", p)][:1]
    return []


# --- rendering to lines ------------------------------------------------------------------


class _Renderer:
    """Walks the tree writing lines; notes whether each comes before, in or after the article."""

    def __init__(self, start: Element, end: Element) -> None:
        self.start, self.end = start, end
        self.lines: list[tuple[Line, int]] = []
        self.zone = 0
        self.buffer: list[str] = []
        self.buffer_line = 0
        self.tables = 0

    def kept(self) -> Iterator[Line]:
        for line, zone in self.lines:
            if zone < 2 or find_fields(line)[1]:
                yield line

    def node(self, node: Element | Text, pre: bool = False) -> None:
        if isinstance(node, Text):
            self._text(node, pre)
            return
        if node is self.start:
            self.flush()
            self.zone = 1
        self._element(node, pre or node.tag == "pre")
        if node is self.end:
            self.flush()
            self.zone = 2

    def _element(self, element: Element, pre: bool) -> None:
        if element.tag in ("br", "hr"):
            self.flush()
        elif element.tag == "img":
            self._image(element)
        elif element.tag == "table" and _has_rows(element) and not self._holds_article(element):
            self._table(element)
        elif element.tag in BLOCK:
            self.flush()
            self._children(element, pre)
            self.flush()
        else:
            self._children(element, pre)

    def _children(self, element: Element, pre: bool) -> None:
        for child in element.children:
            self.node(child, pre)

    def _text(self, node: Text, pre: bool) -> None:
        if pre:
            first, *rest = node.text.split("\n")
            self._append(first, node.line)
            for offset, piece in enumerate(rest, 1):
                self.flush()
                self._append(piece, node.line + offset)
            return
        leading = node.text[: len(node.text) - len(node.text.lstrip())]
        self._append(SPACE.sub(" ", node.text), node.line + leading.count("\n"))

    def _append(self, text: str, line: int) -> None:
        if not self.buffer or not "".join(self.buffer).strip():
            self.buffer_line = line
        self.buffer.append(text)

    def flush(self) -> None:
        text = _NBSP_GAP.sub("  ", "".join(self.buffer)).strip()
        if text:
            self.lines.append((Line(text, self.buffer_line), self.zone))
        self.buffer = []

    def _image(self, element: Element) -> None:
        src = element.attrs.get("src", "").strip()
        if not src:
            return
        self.flush()
        alt = (element.attrs.get("alt") or element.attrs.get("title") or "").strip()
        self.lines.append((Line(alt, element.line, image=src), self.zone))

    def _holds_article(self, table: Element) -> bool:
        return any(e is self.start or e is self.end for e in walk(table))

    def _table(self, table: Element) -> None:
        self.flush()
        for stray in _fostered(table):
            self.node(stray)
            self.flush()
        rows = [(row, [_cell_lines(cell) for cell in _cells(row)]) for row in _rows(table)]
        texts = [[[line.text for line in lines] for lines in cells] for _, cells in rows]
        grid = is_grid(texts)
        self.tables += grid
        for (row, rendered), cells in zip(rows, texts, strict=True):
            if all(len(lines) <= 1 for lines in rendered):
                line = row_line(cells, row.line, self.tables if grid else 0)
                if line is not None:
                    self.lines.append((line, self.zone))
                continue
            for cell_lines in rendered:
                self.lines.extend((line, self.zone) for line in cell_lines)


def _cells(row: Element) -> list[Element]:
    return [c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th")]


def is_grid(rows: list[list[list[str]]]) -> bool:
    """Whether a table (its rows, their cells' lines) is one of data: two rows or more,
    every cell one line or empty, no field labels (a table of `label | value` cells is read
    as fields, line by line)."""
    texts = [[lines[0] for lines in row if lines] for row in rows]
    return (
        sum(bool(row) for row in texts) >= 2
        and all(len(lines) <= 1 for row in rows for lines in row)
        and not any(_is_label(text) for row in texts for text in row)
    )


def _has_rows(table: Element) -> bool:
    """A table of rows; else (broken markup: text straight in `<table>`) read as a block."""
    return next(_rows(table), None) is not None


_TABLE_PARTS = frozenset(
    {"tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col"}
)


def _fostered(table: Element) -> Iterator[Element | Text]:
    """Text and blocks standing in a table outside any cell (broken markup, common on old
    sites): HTML5 moves them before the table, and so they are read there, not lost."""
    for child in table.children:
        if isinstance(child, Text):
            if child.text.strip():
                yield child
        elif child.tag in ("thead", "tbody", "tfoot", "tr"):
            yield from _fostered_in(child)
        elif child.tag not in _TABLE_PARTS:
            yield child


def _fostered_in(part: Element) -> Iterator[Element | Text]:
    for child in part.children:
        if isinstance(child, Text):
            if child.text.strip():
                yield child
        elif child.tag == "tr":
            yield from _fostered_in(child)
        elif child.tag not in _TABLE_PARTS:
            yield child


def _rows(table: Element) -> Iterator[Element]:
    for child in table.children:
        if isinstance(child, Element):
            if child.tag == "tr":
                yield child
            elif child.tag in ("thead", "tbody", "tfoot"):
                yield from _rows(child)


def _cell_lines(cell: Element) -> list[Line]:
    renderer = _Renderer(cell, cell)
    renderer._children(cell, pre=False)
    renderer.flush()
    return [line for line, _ in renderer.lines]


def row_line(cells: list[list[str]], number: int, table: int = 0) -> Line | None:
    """The line of a row whose cells hold one line each, or none (None for an empty row);
    with `table` (a table of data, see `is_grid`), a row of it with every cell kept."""
    texts = [lines[0] for lines in cells if lines]
    if not texts:
        return None
    if not table:
        return Line(row_text(texts), number)
    kept = tuple(lines[0] if lines else "" for lines in cells)
    return Line(row_text(texts), number, cells=kept, table=table)


def row_text(cells: list[str]) -> str:
    """`索引号 | 111/2025 | 文号 | 无` -> `索引号：111/2025 文号：无`; other rows keep `|`."""
    labelled = any(_is_label(text) for text in cells)
    parts = [normalise_label(text) + "：" if _is_label(text) else text for text in cells]
    return (" " if labelled else " | ").join(parts)


def _is_label(text: str) -> bool:
    return key_of(text) is not None
