"""Where a page's parts are: the header (title and fields), the addressee line, the reply.

The reply starts after the addressee line (`陈可才、刘治平代表:`) or, without one, at its
opening paragraph (`您提出的《…》收悉`). Everything above is the header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from builder.ingest.addressees import Addressee, is_opening, parse_addressee, split_salutation
from builder.ingest.chrome import ends_article
from builder.ingest.fields import find_fields, is_field_line
from builder.ingest.page import Line

_ADDRESSEE_GAP = 3
"""Lines that may stand between the addressee and the opening (a stray empty paragraph)."""
_SEARCH = 40
_LONG = 60
_TITLE_LIKE = re.compile(r"答复|复函|第\s*\S+?\s*号\s*(?:建议|提案)")


@dataclass(frozen=True)
class Layout:
    header: tuple[Line, ...]
    addressee: Addressee | None
    text: tuple[Line, ...]
    start_found: bool
    """False when neither the addressee nor the opening was found and the start is a guess."""


def split_page(lines: Sequence[Line]) -> Layout:
    """The header, the addressee and the reply; the reply ends before a `相关链接` list."""
    lines = _salutations_apart(lines)
    opening = next((i for i, line in enumerate(lines) if is_opening(line.text)), None)
    found = _addressee(lines, opening)
    if found is not None:
        index, addressee = found
        return Layout(tuple(lines[:index]), addressee, _until_the_end(lines[index + 1 :]), True)
    if opening is not None:
        return Layout(tuple(lines[:opening]), None, _until_the_end(lines[opening:]), True)
    start = _start_after_header(lines)
    return Layout(tuple(lines[:start]), None, _until_the_end(lines[start:]), False)


def _salutations_apart(lines: Sequence[Line]) -> list[Line]:
    """`马良委员：您提出的…` on one line becomes the addressee line and the opening."""
    apart: list[Line] = []
    for line in lines:
        split = None if line.image else split_salutation(line.text)
        if split and not find_fields(line)[1]:
            apart += [Line(split[0], line.number), Line(split[1], line.number)]
        else:
            apart.append(line)
    return apart


def _until_the_end(lines: Sequence[Line]) -> tuple[Line, ...]:
    end = next((i for i, line in enumerate(lines) if ends_article(line.text)), len(lines))
    return tuple(lines[:end])


def looks_like_title(text: str) -> bool:
    return len(text) <= 100 and bool(_TITLE_LIKE.search(text))


def _addressee(lines: Sequence[Line], opening: int | None) -> tuple[int, Addressee] | None:
    if opening is not None:
        candidates = range(opening - 1, max(-1, opening - 1 - _ADDRESSEE_GAP), -1)
    else:
        candidates = range(min(len(lines), _SEARCH))
    for index in candidates:
        line = lines[index]
        if line.image or find_fields(line)[1]:
            continue
        addressee = parse_addressee(line.text, line.number, before_opening=index + 1 == opening)
        if addressee is not None:
            return index, addressee
    return None


def _start_after_header(lines: Sequence[Line]) -> int:
    """After the last header field or title line above the first long paragraph."""
    last = -1
    for index, line in enumerate(lines[:_SEARCH]):
        field = is_field_line(line)
        if len(line.text) > _LONG and not field:
            break
        if field or looks_like_title(line.text):
            last = index
    return last + 1
