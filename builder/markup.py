"""Markdown bodies to safe HTML: markdown-it-py's CommonMark with raw HTML off."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace, mdTrim
from markdown_it.token import Token

from builder.errors import Problem, warning


@cache
def _parser() -> MarkdownIt:
    # html=False escapes raw HTML as text; markdown-it's own link check refuses
    # javascript:, vbscript:, file: and non-image data: URLs, and ours every data: URL
    # (a link or image so written stays text, as a javascript: one does).
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    parser.validateLink = _is_safe_link  # type: ignore[method-assign]
    return parser


def _is_safe_link(url: str) -> bool:
    return validateLink(url) and not url.strip().lower().startswith("data:")


def render_body(text: str, path: Path, first_line: int) -> tuple[str, list[Problem]]:
    """The body's HTML and warnings (an `#` heading, an image from elsewhere) with lines."""
    control = _CONTROL.search(text)
    if control is None:
        plain = _plain_html(text)
        if plain is not None:
            return plain, []
        controls: list[Problem] = []
    else:
        controls = [_control_warning(text, control.start(), path, first_line)]
        text = _CONTROL.sub("\ufffd", text)
    parser = _parser()
    tokens = parser.parse(text)
    problems = controls + _demote_top_headings(tokens, path, first_line)
    problems += _images_to_links(tokens, path, first_line)
    return parser.renderer.render(tokens, parser.options, {}), problems


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters HTML does not allow (a tab and line breaks are fine)."""


def _control_warning(text: str, at: int, path: Path, first_line: int) -> Problem:
    code = f"{ord(text[at]):04X}"
    return warning(
        path,
        first_line + text.count("\n", 0, at),
        f"a control character U+{code} in the body is shown as \ufffd",
        "remove it (it is often left by a copy from a PDF or Word)",
    )


def _demote_top_headings(tokens: Sequence[Token], path: Path, first_line: int) -> list[Problem]:
    # The reply's title is the page's only <h1>.
    problems = []
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
            if token.type == "heading_open":
                problems.append(
                    warning(
                        path,
                        _line(token, first_line),
                        "a `#` heading in the body is shown as `##`",
                        "the title is the page's heading; use ## for 一、 sections",
                    )
                )
    return problems


def _images_to_links(tokens: Sequence[Token], path: Path, first_line: int) -> list[Problem]:
    # A built page never loads anything from another host, so an image becomes a link to it.
    problems = []
    for block in tokens:
        if not block.children:
            continue
        children: list[Token] = []
        for child in block.children:
            src = str(child.attrGet("src") or "")
            if child.type != "image":
                children.append(child)
                continue
            children.extend(_link_in_place_of(child, src))
            problems.append(
                warning(
                    path,
                    _line(block, first_line),
                    f"image `{src}` is shown as a link",
                    "the archive loads nothing from other hosts",
                )
            )
        block.children = children
    return problems


def _link_in_place_of(image: Token, src: str) -> list[Token]:
    opening = Token("link_open", "a", 1, attrs={"href": src})
    label = Token("text", "", 0, content=image.content or src)
    return [opening, label, Token("link_close", "a", -1)]


def _line(token: Token, first_line: int) -> int:
    return first_line + (token.map[0] if token.map else 0)


# Most bodies are paragraphs, `##` to `######` headings, simple lists, emphasis and links
# of plain text, which markdown-it takes a third of a millisecond or more to read: such a
# body is turned into HTML here, as markdown-it would (tests compare the two on many
# thousands of generated bodies). Plain means without a character that may start anything
# else, anywhere (`\\ ` _ ! < > & #`, a tab, CR, NUL, and `]:`, which a link definition
# needs), or at the start of a line (a space, `+ = ~ --`, a line of only `-`, `*` and
# spaces, or `-`, `*`, a number and `.` or `)` then a space not followed by text), and
# without a space at the end of a line. Then a block (lines between blank lines) is a
# heading, a paragraph, or a list whose every line is an item of one line; inline, `*`
# only in `**x**` or `*x*` around text, where markdown-it's rules let them open and close,
# `[` and `]` only in `[text](url)` or around text not followed by `(` (there is no link
# definition). Anything else, and anything whose edges markdown-it trims in its own way,
# is left to markdown-it.
_SPECIAL = re.compile(r"[\\`_!<>&#\t\r\0]")
_LINE_START = re.compile(r"\n(?:[ +=~]|[-*][-* ]*(?:\n|$)|[-*] (?!\S)|--|\d{1,9}[.)](?! \S))")
_HEADING = re.compile(r"(#{2,6})(?: (.*))?")
_ITEM_START = re.compile(r"[ +=~[*-]|\d{1,9}[.)]")
_ITEM = re.compile(r"(?:([-*+])|(\d{1,9})([.)])) (\S.*)")
_INLINE = re.compile(r"\*\*([^*\[\]]+)\*\*|\*([^*\[\]]+)\*|\[([^\[\]*]*)\](?:\(([^()\s<>\"']*)\))?")


def _plain_html(text: str) -> str | None:
    """The HTML of a body of plain blocks (see above); None for any other body."""
    lines = text.split("\n")
    headings: dict[int, str] = {}
    for number, line in enumerate(lines):
        if line.startswith("#"):
            heading = _heading(line)
            if heading is None or "|" in line:
                return None  # (a `#` heading, shown as `##` with a warning; a table's head)
            headings[number] = heading
            lines[number] = heading[2:]  # (checked as plain text below)
    if not _is_plain("\n".join(lines)):
        return None
    html: list[str] = []
    block: list[str] = []
    items: list[list[re.Match[str]]] = []  # the blocks of the list being read
    for number, line in enumerate([*lines, ""]):
        heading = headings.get(number)
        if heading is None and line:
            block.append(line)
            continue
        if block and not _add_block(html, items, block):
            return None
        block = []
        if heading is not None:
            if items and not _add_list(html, items):
                return None
            items = []
            tag, text = heading[:2], heading[2:]
            content = _inline(text)
            if content is None or text != text.strip():
                return None
            html.append(f"<{tag}>{content}</{tag}>\n")
    if items and not _add_list(html, items):
        return None
    return "".join(html)


def _heading(line: str) -> str | None:
    """The level digit and the text of an `##` heading line, or None."""
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    content = (match[2] or "").rstrip(" ")
    closing = content.rstrip("#")
    if closing != content:
        if not closing or not closing.endswith(" "):
            return None
        content = closing.rstrip(" ")
    return f"h{len(match[1])}{content}"


def _add_block(html: list[str], items: list[list[re.Match[str]]], block: list[str]) -> bool:
    if any("|" in line for line in block):
        return _add_table(html, items, block)
    matches = [_ITEM.fullmatch(line) for line in block]
    if all(match is not None for match in matches):
        found = [match for match in matches if match is not None]
        if items and _kind(items[0][0]) != _kind(found[0]):
            if not _add_list(html, items):
                return False
            items.clear()
        if any(_kind(match) != _kind(found[0]) for match in found):
            return False  # (a new list starts: left to markdown-it)
        items.append(found)
        return True
    if any(match is not None for match in matches):
        return False
    if items:
        if not _add_list(html, items):
            return False
        items.clear()
    text = "\n".join(block)
    content = _inline(text.strip())
    if content is None or not text.strip():
        return False
    html.append(f"<p>{content}</p>\n")
    return True


def _add_table(html: list[str], items: list[list[re.Match[str]]], block: list[str]) -> bool:
    """A block that is a whole table, every row between pipes (markdown-it's GFM table
    rule, with its padding of short rows); False for any other block with a `|`."""
    if len(block) < 2 or not all(line[:1] == line[-1:] == "|" for line in block):
        return False
    if _DELIMITER_ROW.fullmatch(block[1]) is None:
        return False
    aligns = [_ALIGNS[(cell[:1] == ":", cell[-1:] == ":")] for cell in _cells(block[1])]
    head, rows = _cells(block[0]), [_cells(line) for line in block[2:]]
    if not head or len(head) != len(aligns):
        return False
    if sum(max(0, len(head) - len(row)) for row in rows) > _MOST_CELLS_ADDED:
        return False  # (markdown-it ends such a table early)
    lines = [_row("th", head, aligns)]
    lines += [_row("td", row + [""] * (len(head) - len(row)), aligns) for row in rows]
    if any(line is None for line in lines) or items and not _add_list(html, items):
        return False
    items.clear()
    body = "".join(line for line in lines[1:] if line is not None)
    html.append(f"<table>\n<thead>\n{lines[0]}</thead>\n")
    html.append(f"<tbody>\n{body}</tbody>\n</table>\n" if rows else "</table>\n")
    return True


_MOST_CELLS_ADDED = 0x10000  # markdown-it's MAX_AUTOCOMPLETED_CELLS
_DELIMITER_ROW = re.compile(r"\|(?: *:?-+:? *\|)+")
_ALIGNS = {(False, False): "", (True, False): "left", (False, True): "right"}
_ALIGNS[True, True] = "center"


def _cells(row: str) -> list[str]:
    return [mdTrim(cell) for cell in row[1:-1].split("|")] if len(row) > 1 else []


def _row(tag: str, cells: list[str], aligns: list[str]) -> str | None:
    html = ["<tr>\n"]
    for cell, align in zip(cells, aligns, strict=False):
        content = _inline(cell)
        if content is None:
            return None
        style = f' style="text-align:{align}"' if align else ""
        html.append(f"<{tag}{style}>{content}</{tag}>\n")
    html.append("</tr>\n")
    return "".join(html)


def _kind(item: re.Match[str]) -> str:
    return item[1] or item[3]


def _add_list(html: list[str], blocks: list[list[re.Match[str]]]) -> bool:
    first = blocks[0][0]
    if first[1]:
        opening, closing = "<ul>\n", "</ul>\n"
    else:
        start = int(first[2])
        opening = "<ol>\n" if start == 1 else f'<ol start="{start}">\n'
        closing = "</ol>\n"
    loose = len(blocks) > 1
    html.append(opening)
    for block in blocks:
        for item in block:
            text = item[4]
            content = _inline(text)
            if content is None or text != text.strip() or _ITEM_START.match(text):
                return False
            html.append(f"<li>\n<p>{content}</p>\n</li>\n" if loose else f"<li>{content}</li>\n")
    html.append(closing)
    return True


def _inline(text: str) -> str | None:
    """The HTML of a paragraph's or heading's text, or None where markdown-it must read it."""
    if not any(mark in text for mark in "*[]"):
        return escapeHtml(text)
    out: list[str] = []
    at = 0
    for match in _INLINE.finditer(text):
        between = text[at : match.start()]
        if any(mark in between for mark in "*[]"):
            return None
        out.append(escapeHtml(between))
        at = match.end()
        strong, em, label, url = match[1], match[2], match[3], match[4]
        inner = strong or em
        if inner is not None:
            marks = 2 if strong else 1
            if "*" in (text[match.start() - 1 : match.start()], text[at : at + 1]):
                return None  # (a longer run of `*`)
            if not _opens(text, match.start(), marks) or not _closes(text, match.end(), marks):
                return None
            tag = "strong" if strong else "em"
            out.append(f"<{tag}>{escapeHtml(inner)}</{tag}>")
        elif url is None:
            if text[at : at + 1] == "(":
                return None
            out.append(escapeHtml(f"[{label}]"))
        else:
            href = _normal_link(url)
            if not _parser().validateLink(href) or label != label.strip() or not label:
                return None
            out.append(f'<a href="{escapeHtml(href)}">{escapeHtml(label)}</a>')
    rest = text[at:]
    if any(mark in rest for mark in "*[]"):
        return None
    out.append(escapeHtml(rest))
    return "".join(out)


_PLAIN_URL = re.compile(
    r"(?:https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?|(?!//)(?=[A-Za-z0-9/._~-]))"
    r"[A-Za-z0-9/._~!$&'()*+,;=@-]*(?:\?[A-Za-z0-9/._~!$&'()*+,;=:@?-]*)?"
    r"(?:#[A-Za-z0-9/._~!$&'()*+,;=:@?-]*)?"
)
"""A link that markdown-it's `normalizeLink` leaves as it is: `http(s)://` and a lower-case
ASCII host, or a path without a scheme, then only characters that need no escape (no `%`,
no `:` in a path without a host). tests/test_plain_paths.py checks it on many thousands."""


def _normal_link(url: str) -> str:
    """markdown-it's `normalizeLink(url)`, which parses, re-encodes and formats the URL
    (20 µs, most of the time of a body with a few links) even when that changes nothing."""
    return url if _PLAIN_URL.fullmatch(url) else _parser().normalizeLink(url)


def _opens(text: str, at: int, marks: int) -> bool:
    """Whether the `*` run at `at` is left-flanking (markdown-it's `scanDelims`)."""
    last = text[at - 1] if at else " "
    following = text[at + marks] if at + marks < len(text) else " "
    return not isWhiteSpace(ord(following)) and (
        not _punctuation(following) or isWhiteSpace(ord(last)) or _punctuation(last)
    )


def _closes(text: str, end: int, marks: int) -> bool:
    """Whether the `*` run ending at `end` is right-flanking."""
    last = text[end - marks - 1]
    following = text[end] if end < len(text) else " "
    return not isWhiteSpace(ord(last)) and (
        not _punctuation(last) or isWhiteSpace(ord(following)) or _punctuation(following)
    )


def _punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _is_plain(text: str) -> bool:
    if _SPECIAL.search(text) or _LINE_START.search("\n" + text):
        return False
    return "]:" not in text and " \n" not in text and not text.endswith(" ")
