"""The reply's text as its page shows it: phone numbers in the contact lines as `tel:` links,
ids on its sections and the table of contents they make.

Views take plain text from here, split into parts; the template writes each part, escaped,
and a number as a link, so no HTML is ever made from a reply's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class TextPart:
    text: str
    tel: str = ""
    """The number to dial (`tel:` + this) when the text is a phone number, else empty."""


@dataclass(frozen=True)
class ContactLine:
    label: str
    parts: tuple[TextPart, ...]


NOT_DIALLED = ("传真", "邮", "地址")
"""Contact labels whose numbers are no phone to call: fax, post code, e-mail, address."""

_SEPARATOR = r"[-－—‐ ]?"
_PHONE = re.compile(
    rf"""(?<![\d+])(?:
      (?:\+86{_SEPARATOR})?1[3-9]\d(?:{_SEPARATOR}\d{{4}}){{2}}     # a mobile: 13800000000
    | [48]00{_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{4}}                  # 400-123-4567
    | (?:[(（]0\d{{2,3}}[)）]\ ?|0\d{{2,3}}{_SEPARATOR})?[2-9]\d{{6,7}}  # 0728-6234567, 8992056
    )(?!\d)""",
    re.VERBOSE,
)


def contact_line(label: str, value: str) -> ContactLine:
    """A contact line, its phone numbers marked to be dialled (except a fax's and such)."""
    if any(word in label for word in NOT_DIALLED):
        return ContactLine(label, (TextPart(value),))
    return ContactLine(label, phone_parts(value))


def phone_parts(text: str) -> tuple[TextPart, ...]:
    """The text in parts: phone numbers, with the number to dial, and the text between."""
    parts = []
    at = 0
    for match in _PHONE.finditer(text):
        if match.start() > at:
            parts.append(TextPart(text[at : match.start()]))
        parts.append(TextPart(match[0], dialled(match[0])))
        at = match.end()
    if at < len(text) or not parts:
        parts.append(TextPart(text[at:]))
    return tuple(parts)


def dialled(number: str) -> str:
    """A phone number as a `tel:` address takes it: its digits, and a leading +."""
    digits = re.sub(r"\D", "", number)
    return "+" + digits if number.startswith("+") else digits


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class ReplyBody:
    """A reply's body HTML with ids on its top-level sections, and those sections."""

    html: Markup
    sections: tuple[Section, ...]

    @property
    def contents(self) -> tuple[Section, ...]:
        """The sections a table of contents lists: none for a reply of fewer than three."""
        return self.sections if len(self.sections) >= CONTENTS_FROM else ()

    def __html__(self) -> Markup:
        return self.html


CONTENTS_FROM = 3
"""The fewest top-level sections that give a reply a table of contents."""
TITLE_LENGTH = 40
"""The most characters of a run-in section title (一、加强领导。我局……) a contents shows."""

_NESTING = re.compile(r"<(/?)(?:ul|ol|blockquote)\b[^>]*>")
_NUMBERED = re.compile(r"<p>[一二三四五六七八九十]+、")
_TITLE_END = re.compile(r"[。；：:;！？!?]")


def reply_body(html: str) -> ReplyBody:
    """Ids `sec-1`, `sec-2` … on the body's top-level sections: its `##` headings, or where
    it has none, its paragraphs that start 一、 二、 …; the HTML is the Markdown renderer's
    (one block per line, as both of its paths write it), so a line tells where it is."""
    lines = html.split("\n")
    depth = 0
    heads: list[int] = []
    numbered: list[int] = []
    for number, line in enumerate(lines):
        if depth == 0 and line.startswith("<h2>"):
            heads.append(number)
        elif depth == 0 and _NUMBERED.match(line):
            numbered.append(number)
        for nesting in _NESTING.finditer(line):
            depth += -1 if nesting[1] else 1
    starts = heads or numbered
    tag = "h2" if heads else "p"
    sections = []
    for count, number in enumerate(starts, 1):
        section = Section(f"sec-{count}", _section_title(lines, number, tag))
        lines[number] = f'<{tag} id="{section.id}">' + lines[number][len(tag) + 2 :]
        sections.append(section)
    return ReplyBody(Markup(_scrolling_tables("\n".join(lines))), tuple(sections))


TABLE_BOX = '<div class="table-scroll" role="region" tabindex="0" aria-label="表格">'
"""Around each table of a body: a table wider than a phone scrolls in its own box, which
keys can reach and scroll (a region named for screen readers), and the page never does."""


def _scrolling_tables(html: str) -> str:
    # (`<table>` is a line of its own in the renderer's HTML; in text `<` is escaped)
    html = html.replace("<table>\n", TABLE_BOX + "<table>\n")
    return html.replace("</table>\n", "</table></div>\n")


def _section_title(lines: list[str], number: int, tag: str) -> str:
    closing = f"</{tag}>"
    last = next((n for n in range(number, len(lines)) if closing in lines[n]), len(lines))
    text = "\n".join(lines[number : last + 1])
    text = Markup(text[: text.index(closing)]).striptags()
    if tag == "p":
        end = _TITLE_END.search(text)
        text = text[: end.start()] if end else text
        if len(text) > TITLE_LENGTH:
            text = text[:TITLE_LENGTH] + "…"
    return text
