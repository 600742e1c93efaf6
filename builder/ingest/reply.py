"""One page to one imported reply: every field the page gives, stand-ins said out loud.

Fields come first from the page's header lines, then from fields after the text, then from an
HTML page's head. What the page does not give is listed as a warning; a required field taken
from a stand-in (the signature's date for a missing publication date) is said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from builder.config import ImportDefaults
from builder.errors import Problem
from builder.ingest.body import to_markdown
from builder.ingest.dates import Moment
from builder.ingest.fields import SUBJECT, UNKNOWN
from builder.ingest.optional import (
    body_lines,
    contacts_of,
    doc_number_of,
    outcome_of,
    proposal_title_of,
    proposers_of,
    region_of_reply,
    source_url_of,
    tags_of,
)
from builder.ingest.page import Page
from builder.ingest.places import region_of
from builder.ingest.reading import Reading, check_conflicts, read
from builder.ingest.required import bureau_of, kind_of, published_of, title_of, written_of
from builder.ingest.titles import parse_title

_LOOKED_FOR = {
    "session": "the title names no 会议 before 第…号",
    "number": "the title has no 第…号",
    "proposal_title": "no 《…》 in the reply's first paragraphs",
    "proposers": "no addressee line (…代表: / …委员:)",
    "proposer_role": "the addressee line says neither 代表 nor 委员",
    "doc_number": "no 发文字号 / 文号",
    "index_number": "no 索引号",
    "category": "no 信息分类 / 主题分类",
    "written": "no 成文日期 / 发文日期 and no dated signature",
    "status": "no 有效性 / 效力状态",
    "outcome": "the text states no A类 / B类 / C类 / D类",
    "tags": "no 主题词 / 关键词",
    "contacts": "no 分管领导 / 联系人 / 电话 lines",
    "source_url": "the page does not give its address",
}


@dataclass(frozen=True)
class ImportedReply:
    """A reply as read from a page, ready to be written as a content file."""

    source: Path
    title: str
    kind: str | None
    bureau: str | None
    published: Moment | None
    region: str | None = None
    session: str | None = None
    number: str | None = None
    proposal_title: str | None = None
    proposers: tuple[str, ...] = ()
    proposer_role: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    category: str | None = None
    written: date | None = None
    status: str | None = None
    outcome: str | None = None
    tags: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    source_url: str | None = None
    body: str = ""
    missing: tuple[tuple[str, str], ...] = ()
    """Required keys not found, with why: the reply is written as a draft."""

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None

    @property
    def draft(self) -> bool:
        return bool(self.missing)


def extract_reply(
    page: Page, defaults: ImportDefaults | None = None
) -> tuple[ImportedReply | None, list[Problem]]:
    """The reply on a page, and what was missing or stood in; None if the page holds no
    reply text. A reply missing a required key (the title too) is a draft (`missing`)."""
    reading = read(page)
    if not any(line.text and not line.image for line in reading.trailer.text):
        reading.fail(
            "no reply text found on the page",
            "is it the reply's own page? save the page with the reply's text",
        )
        return None, reading.problems
    if not reading.layout.start_found:
        reading.warn(
            reading.trailer.text[0].number,
            "neither the addressee (…代表:) nor the opening (您…收悉) was found",
            "the reply is taken to start here",
        )
    check_conflicts(reading)
    return _reply(reading, defaults or ImportDefaults()), reading.problems


def _reply(reading: Reading, defaults: ImportDefaults) -> ImportedReply | None:
    title = title_of(reading) or ""
    if not title and not reading.layout.start_found:
        reading.fail(
            "the title was not found, nor an addressee or an opening: is it a reply?",
            "the page has no 标题 / 名称 field and no heading",
        )
        return None
    parts = parse_title(title)
    proposers, role = proposers_of(reading)
    kind = kind_of(reading, parts.kind or defaults.kind or None, title, role)
    bureau = bureau_of(reading) or defaults.bureau or None
    published = published_of(reading, defaults.published_from == "file-time")
    source_url = source_url_of(reading)
    reply = ImportedReply(
        source=reading.page.path,
        title=title,
        kind=kind,
        bureau=bureau,
        published=published,
        region=_region(reading, bureau, defaults),
        session=parts.session or reading.value("session") or defaults.session or None,
        number=parts.number or _number(reading.value("number")),
        proposal_title=proposal_title_of(reading),
        proposers=proposers,
        proposer_role=role,
        doc_number=doc_number_of(reading),
        index_number=reading.value("index_number"),
        category=reading.value("category") or reading.value(SUBJECT),
        written=written_of(reading),
        status=reading.value("status"),
        outcome=outcome_of(reading),
        tags=tags_of(reading),
        contacts=contacts_of(reading),
        source_url=source_url,
        body=to_markdown(body_lines(reading, source_url)),
        missing=_missing(reading, title or None, kind, bureau, published),
    )
    _warn_missing(reading, reply)
    _warn_unknown(reading)
    return reply


def _number(value: str | None) -> str | None:
    """`第0123号` -> `0123`: a 建议编号 field as the title would give it."""
    if not value:
        return None
    return re.sub(r"^第\s*|\s*号$", "", value.strip()) or None


def _region(reading: Reading, bureau: str | None, defaults: ImportDefaults) -> str | None:
    if defaults.region and (bureau is None or not region_of(bureau)):
        return defaults.region
    return region_of_reply(reading, bureau) if bureau else None


_HOW_TO_FILL = {
    "title": "add `title:` as the page's heading gives it",
    "kind": "add `kind:`, or give --kind or [import] kind for the batch",
    "bureau": "add `bureau:`, or give --bureau or [import] bureau for the batch",
    "published": "add `published:`, or give --published-from file-time",
}


def _missing(
    reading: Reading,
    title: str | None,
    kind: str | None,
    bureau: str | None,
    published: Moment | None,
) -> tuple[tuple[str, str], ...]:
    """The required keys still without a value, each with why, each said in a warning."""
    found = {"title": title, "kind": kind, "bureau": bureau, "published": published}
    missing = []
    for key, value in found.items():
        if value is None:
            why = reading.lacking.get(key, "not found on the page")
            missing.append((key, why))
            reading.warn(
                reading.first_line,
                f"{key} not found: {why}; written as a draft",
                _HOW_TO_FILL[key],
            )
    return tuple(missing)


def _warn_missing(reading: Reading, reply: ImportedReply) -> None:
    said_none = reading.value("doc_number") is not None  # 文号: 无 is not missing
    for key, why in _LOOKED_FOR.items():
        if getattr(reply, key) in (None, ()) and not (key == "doc_number" and said_none):
            reading.warn(reading.first_line, f"{key} not found: {why}")
    if reading.trailer.signature is None:
        reading.warn(
            reading.first_line, "signature not found: no bureau and date after the last paragraph"
        )


def _warn_unknown(reading: Reading) -> None:
    reported = set()
    for found in reading.visible:
        if found.key == UNKNOWN and found.label not in reported:
            reported.add(found.label)
            reading.warn(
                found.line,
                f"{found.label}: not a field this importer knows; left out: {found.value}",
                "tell the maintainers if the site's pages all have it",
            )
