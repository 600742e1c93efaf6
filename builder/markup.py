"""Markdown bodies to safe HTML: markdown-it-py's CommonMark with raw HTML off."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.errors import Problem, warning


@cache
def _parser() -> MarkdownIt:
    # html=False escapes raw HTML as text; markdown-it's own link check refuses
    # javascript:, vbscript:, file: and non-image data: URLs.
    return MarkdownIt("commonmark", {"html": False, "typographer": False})


def render_body(text: str, path: Path, first_line: int) -> tuple[str, list[Problem]]:
    """The body's HTML and warnings (an `#` heading, an image from elsewhere) with lines."""
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
