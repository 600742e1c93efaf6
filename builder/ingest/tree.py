"""Saved HTML as a small tree, built with the standard library's `html.parser`: elements
with their attributes and source lines, text with its line, the implied ends HTML allows
(`<p>` before a block, `<li>`, `<td>`, `<tr>` …) applied, and a stray `</br>` or `</p>` read
as HTML5 reads it.

Nesting is bounded: an element deeper than `MAX_DEPTH` is kept as a sibling of the deepest
one instead of its child, so a page of thousands of nested elements (hostile or broken)
keeps its text and every walk over the tree stays within Python's recursion limit; and the
number of elements is bounded by `MAX_ELEMENTS`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOID = words("""area base br col embed hr img input link meta param source track wbr""")
BLOCK = words(
    """address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html
    legend li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul"""
)
_IMPLIED_END = {
    "li": ({"li"}, {"ul", "ol", "menu"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr", "td", "th"}, {"table", "tbody", "thead", "tfoot"}),
    "tbody": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "thead": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "tfoot": ({"tbody", "thead", "tfoot", "tr", "td", "th"}, {"table"}),
    "option": ({"option"}, {"select"}),
}
MAX_DEPTH = 256
"""Real pages nest a few dozen levels; table layouts of old sites perhaps a hundred."""
MAX_ELEMENTS = 200_000
"""Real pages hold a few thousand elements; past this, tags are passed over (their text is
kept) so that a hostile page cannot fill the memory with elements."""
SPACE = re.compile(r"[ \t\n\r\f]+")
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class Text:
    text: str
    line: int


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element | Text] = field(default_factory=list)


def parse_html(text: str) -> tuple[Element, str]:
    """The document's root, and the address a browser noted when it saved the page."""
    parser = _TreeBuilder()
    parser.feed(text)
    parser.close()
    return parser.root, parser.saved_from


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, 1)
        self.stack = [self.root]
        self.saved_from = ""
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            return
        self._close_implied(tag)
        element = Element(tag, {k.lower(): v or "" for k, v in attrs}, self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return
        # As HTML5 reads them (and browsers show them): a stray `</br>` is a line break, a
        # `</p>` with no paragraph open an empty paragraph, so both still end a line.
        if tag in ("br", "p"):
            self.elements += 1
            if self.elements <= MAX_ELEMENTS:
                self.stack[-1].children.append(Element(tag, {}, self.getpos()[0]))

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(Text(data, self.getpos()[0]))

    def handle_comment(self, data: str) -> None:
        match = _SAVED_FROM.search(data)
        if match and not self.saved_from:
            self.saved_from = match.group(1)

    def _close_implied(self, tag: str) -> None:
        if tag in BLOCK and self.stack[-1].tag == "p":
            self.stack.pop()
        if tag not in _IMPLIED_END:
            return
        closes, stops = _IMPLIED_END[tag]
        outermost = None
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag in stops:
                break
            if self.stack[index].tag in closes:
                outermost = index
        if outermost is not None:
            del self.stack[outermost:]


def walk(element: Element) -> Iterator[Element]:
    """The element and all under it, in document order (a loop, not nested generators:
    each step costs the same however deep the element lies)."""
    pending = [element]
    while pending:
        current = pending.pop()
        yield current
        pending.extend(c for c in reversed(current.children) if isinstance(c, Element))


def find(root: Element, tag: str) -> Iterator[Element]:
    return (e for e in walk(root) if e.tag == tag)


def inline_text(element: Element | Text) -> str:
    """All the text under a node, whitespace collapsed."""
    if isinstance(element, Text):
        return SPACE.sub(" ", element.text)
    return "".join(inline_text(child) for child in element.children)


def parent_of(root: Element, target: Element) -> Element | None:
    for element in walk(root):
        if any(child is target for child in element.children):
            return element
    return None
