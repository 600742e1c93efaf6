"""A page being read: its lines split into header, addressee, text and trailer, the fields
found on it, and the problems found so far."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from builder.errors import Problem, warning
from builder.ingest.addressees import is_opening
from builder.ingest.chrome import is_chrome, starts_footer
from builder.ingest.dates import as_date, first_moment
from builder.ingest.fields import Field, first, parse_fields
from builder.ingest.layout import Layout, split_page
from builder.ingest.page import Line, Page
from builder.ingest.trailer import Trailer, split_trailer

_CHECKED_FOR_CONFLICTS = ("title", "bureau", "published", "written", "doc_number", "index_number")


@dataclass
class Reading:
    """One page being read: its parts, its fields and the problems found so far."""

    page: Page
    layout: Layout
    trailer: Trailer
    visible: list[Field]
    """Fields on the page itself: its header lines, then fields after the text."""
    meta: list[Field]
    """Fields from an HTML page's head, for what the page itself does not say."""
    problems: list[Problem]
    lacking: dict[str, str] = dataclasses.field(default_factory=dict)
    """Required keys the page does not give, and why each was not found: a draft's to-do."""

    @property
    def fields(self) -> list[Field]:
        return self.visible + self.meta

    @property
    def first_line(self) -> int:
        return self.page.lines[0].number if self.page.lines else 1

    def field(self, key: str) -> Field | None:
        return first(self.fields, key)

    def value(self, key: str) -> str | None:
        found = self.field(key)
        return found.value if found else None

    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.page.path, line, message, hint))

    def lack(self, key: str, why: str) -> None:
        self.lacking.setdefault(key, why)

    def fail(self, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.page.path, self.first_line, message, hint))


def read(page: Page) -> Reading:
    """The page's parts and fields: header lines first, then fields after the text, then
    the HTML head's."""
    kept = _before_footer(list(page.lines))
    lines = [line for line in kept if line.image or not is_chrome(line.text)]
    layout = split_page(lines)
    trailer = split_trailer(layout.text)
    visible = parse_fields(layout.header) + list(trailer.fields)
    return Reading(page, layout, trailer, visible, parse_fields(page.meta), [])


def _before_footer(lines: list[Line]) -> list[Line]:
    """The lines before the site's footer, when it comes after the reply's opening (a
    proposal's header may name its 主办单位); the footer's chrome lines are dropped already,
    the site's address and phone beside them go with them."""
    opening = next((i for i, line in enumerate(lines) if is_opening(line.text)), None)
    start = opening + 1 if opening is not None else len(lines) // 2
    footer = next((i for i in range(start, len(lines)) if starts_footer(lines[i].text)), len(lines))
    ends = [i for i in range(start, footer) if _site_line(lines[i].text)]
    while ends and ends[-1] == footer - 1:  # 地址 / 电话 lines just above the footer
        footer = ends.pop()
    return lines[:footer]


def _site_line(text: str) -> bool:
    return (
        text.startswith(("地址", "网站地址", "通讯地址")) or "人民政府" in text and len(text) < 30
    )


def check_conflicts(reading: Reading) -> None:
    for key in _CHECKED_FOR_CONFLICTS:
        same_key = [f for f in reading.visible if f.key == key and f.value]
        for other in same_key[1:]:
            if _comparable(key, other.value) != _comparable(key, same_key[0].value):
                chosen = same_key[0]
                reading.warn(
                    other.line,
                    f"{key}: {other.label} says {other.value}, but {chosen.label} on line "
                    f"{chosen.line} says {chosen.value}; the first is used",
                )
                break


def _comparable(key: str, value: str) -> object:
    """Dates agree when their days do (one may give the time, the other not)."""
    moment = first_moment(value) if key in ("published", "written") else None
    return as_date(moment) if moment else re.sub(r"\s+", "", value)
