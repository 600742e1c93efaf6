"""The four fields every reply needs: title, kind, bureau, published; and the written date.

Each is taken from the page's own field when it has one; otherwise from the best stand-in the
page offers (the heading, the addressee's role, the signature, the signature's date), and the
stand-in is said in a warning. With no stand-in the page fails.
"""

from __future__ import annotations

from datetime import date, datetime

from builder.ingest.dates import Moment, as_date, parse_moment
from builder.ingest.fields import Field, find_fields, first
from builder.ingest.layout import looks_like_title
from builder.ingest.places import complete_bureau, region_of
from builder.ingest.reading import Reading
from builder.ingest.titles import KIND_WORDS, PROPOSAL, SUGGESTION, kind_of_body
from builder.ingest.trailer import is_name, outcome_mark


def title_of(reading: Reading) -> str | None:
    found = first(reading.visible, "title")
    if found:
        return found.value
    header = [line for line in reading.layout.header if not find_fields(line)[1]]
    heading = next((line for line in header if looks_like_title(line.text)), None)
    if heading:
        return heading.text
    meta = reading.field("title")
    if meta:
        return meta.value
    other = next((line for line in header if not outcome_mark(line.text)), None)
    if other:
        reading.warn(
            other.number,
            f"title: no 标题 field; the page's first line is taken as the title: {other.text}",
        )
        return other.text
    reading.fail("the title was not found", "the page has no 标题 / 名称 field and no heading")
    return None


def kind_of(reading: Reading, from_title: str | None, title: str, role: str | None) -> str | None:
    if from_title:
        return from_title
    line = reading.first_line
    stand_ins = (
        ({"代表": SUGGESTION, "委员": PROPOSAL}.get(role or ""), f"the addressee's role {role}"),
        (kind_of_body(title + (reading.value("session") or "")), "人大 / 政协 in the title"),
        (_kind_of_category(reading.value("category") or ""), "the category"),
    )
    for kind, source in stand_ins:
        if kind:
            reading.warn(line, f"kind: the title says neither 建议 nor 提案; taken from {source}")
            return kind
    reading.lack("kind", "neither the title nor the addressee says 建议 or 提案")
    return None


def _kind_of_category(category: str) -> str | None:
    words = {word for word in KIND_WORDS if word in category}
    kinds = {KIND_WORDS[word] for word in words}
    return kinds.pop() if len(kinds) == 1 else None


def bureau_of(reading: Reading) -> str | None:
    found = reading.field("bureau")
    source = reading.field("source")
    signature = reading.trailer.signature
    signed_names = signature.names if signature else ()
    if found is not None:
        if region_of(found.value):
            return found.value
        fuller = [(source.value, "来源", source.line)] if source else []
        fuller += [(name, "the signature", signature.line) for name in signed_names if signature]
        for name, where, line in fuller:
            if complete_bureau(found.value, [name]):
                reading.warn(
                    line,
                    f"bureau: {found.label} says {found.value}; completed from {where}: {name}",
                )
                return name
        return found.value
    return _bureau_stand_in(reading, source, signed_names)


def _bureau_stand_in(
    reading: Reading, source: Field | None, signed_names: tuple[str, ...]
) -> str | None:
    signature = reading.trailer.signature
    if signed_names and signature:
        others = f" (it also names {'、'.join(signed_names[1:])})" if signed_names[1:] else ""
        reading.warn(
            signature.line,
            f"bureau: no 发文机构 / 发布机构; using the signature: {signed_names[0]}{others}",
        )
        return signed_names[0]
    if source and is_name(source.value):
        reading.warn(source.line, f"bureau: no 发文机构 / 发布机构; using 来源: {source.value}")
        return source.value
    reading.lack("bureau", "no 发文机构 / 承办单位, no signature and no 来源")
    return None


def published_of(reading: Reading, from_file_time: bool = False) -> Moment | None:
    """公开日期 / 发布日期; else the signature's date, else 成文日期, each said in a warning.
    With `from_file_time`, the saved page's modification time stands in instead."""
    moment = _published_field(reading)
    if moment is not None:
        return moment
    if from_file_time:
        return _file_time(reading)
    signature = reading.trailer.signature
    if signature and signature.signed:
        reading.warn(
            signature.line,
            f"published: no 公开日期 / 发布日期; using the signature's date {signature.signed}",
        )
        return signature.signed
    written = _written_field(reading)
    if written:
        found, day = written
        reading.warn(found.line, f"published: no 公开日期 / 发布日期; using {found.label} {day}")
        return day
    reading.lack("published", "no 公开日期 / 发布日期, no signature date, no 成文日期")
    return None


def _file_time(reading: Reading) -> Moment | None:
    try:
        stamp = reading.page.path.stat().st_mtime
    except OSError:
        reading.lack("published", "no 公开日期 / 发布日期 and the file's time cannot be read")
        return None
    day = datetime.fromtimestamp(stamp).date()
    reading.warn(
        reading.first_line, f"published: no 公开日期 / 发布日期; using the file's time {day}"
    )
    return day


def _published_field(reading: Reading) -> Moment | None:
    """The first date given, with the time of day a later field gives for that day."""
    dated = []
    for found in reading.fields:
        if found.key != "published" or not found.value:
            continue
        moment = parse_moment(found.value)
        if moment is None:
            reading.warn(
                found.line, f"published: cannot read the date in {found.label}: {found.value}"
            )
        else:
            dated.append(moment)
    same_day = [m for m in dated if as_date(m) == as_date(dated[0])]
    return next((m for m in same_day if isinstance(m, datetime)), dated[0] if dated else None)


def _written_field(reading: Reading) -> tuple[Field, date] | None:
    for found in reading.fields:
        moment = parse_moment(found.value) if found.key == "written" else None
        if moment is not None:
            return found, as_date(moment)
    return None


def written_of(reading: Reading) -> date | None:
    """成文日期 / 发文日期 (a date); else the signature's date, said in a warning."""
    found = _written_field(reading)
    if found:
        return found[1]
    signature = reading.trailer.signature
    if signature and signature.signed:
        reading.warn(
            signature.line,
            f"written: no 成文日期 / 发文日期; using the signature's date {signature.signed}",
        )
        return signature.signed
    return None
