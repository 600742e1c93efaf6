"""Markdown bodies to safe HTML: markdown-it-py's CommonMark with raw HTML off."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from builder.errors import Problem, warning


@cache
def _parser() -> MarkdownIt:
    # html=False escapes raw HTML as text; markdown-it's own link check refuses
    # javascript:, vbscript:, file: and non-image data: URLs.
    return MarkdownIt("commonmark", {"html": False, "typographer": False})


def render_body(text: str, path: Path, first_line: int) -> tuple[str, list[Problem]]:
    """The body's HTML and warnings (an `#` heading, an image from elsewhere) with lines."""
    plain = _plain_html(text)
    if plain is not None:
        return plain, []
    parser = _parser()
    tokens = parser.parse(text)
    problems = _demote_top_headings(tokens, path, first_line)
    problems += _images_to_links(tokens, path, first_line)
    return parser.renderer.render(tokens, parser.options, {}), problems


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
            if child.type != "image" or src.startswith("data:image/"):
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


# Most bodies are only paragraphs and `##` to `######` headings of plain text, which
# markdown-it takes a third of a millisecond to read: such a body is turned into HTML
# here, as markdown-it would (a test compares the two). Plain means without a character
# that may start anything else, anywhere (`\\ ` * _ ! < > & #`, a tab, CR, NUL, and `](`)
# or at the start of a line (a space, `+ - = ~ [`, a number and `.` or `)`), and without a
# space at the end of a line. Then a line is a heading, blank, or a line of a paragraph;
# `[x]` is text (there is no link definition and no `](`); and whitespace at either end
# of a paragraph or heading (which markdown-it trims, as its version does) is left to it.
_SPECIAL = re.compile(r"[\\`*_!<>&#\t\r\0]")
_LINE_START = re.compile(r"\n(?:[ +\-=~[]|\d{1,9}[.)])")
_HEADING = re.compile(r"(#{2,6})(?: (.*))?")


def _plain_html(text: str) -> str | None:
    """The HTML of a body of plain paragraphs and headings; None for any other body."""
    lines = text.split("\n")
    headings: dict[int, re.Match[str]] = {}
    for number, line in enumerate(lines):
        if line.startswith("#"):
            heading = _HEADING.fullmatch(line)
            if heading is None:
                return None  # (a `#` heading, shown as `##` with a warning, among others)
            headings[number] = heading
            lines[number] = heading[2] or ""
    if not _is_plain("\n".join(lines)):
        return None
    html: list[str] = []
    paragraph: list[str] = []
    for number, line in enumerate(lines):
        heading = headings.get(number)
        if heading is None and line:
            paragraph.append(line)
            continue
        if paragraph and not _add(html, "p", "\n".join(paragraph)):
            return None
        paragraph = []
        if heading is not None and not _add(html, f"h{len(heading[1])}", heading[2] or ""):
            return None
    if paragraph and not _add(html, "p", "\n".join(paragraph)):
        return None
    return "".join(html)


def _is_plain(text: str) -> bool:
    if _SPECIAL.search(text) or _LINE_START.search("\n" + text):
        return False
    return "](" not in text and " \n" not in text and not text.endswith(" ")


def _add(html: list[str], tag: str, text: str) -> bool:
    if text[:1].isspace() or text[-1:].isspace():
        return False
    html.append(f"<{tag}>{escapeHtml(text)}</{tag}>\n")
    return True
