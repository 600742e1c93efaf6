"""The four fields every reply needs: title, kind, bureau, published; and the written date.

Each is taken from the page's own field when it has one; otherwise from the best stand-in the
page offers (the heading, the addressee's role, the signature, the signature's date), and the
stand-in is said in a warning. With no stand-in the page fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from builder.ingest.dates import Moment, as_date, first_moment
from builder.ingest.fields import UNIT, Field, find_fields, first
from builder.ingest.layout import looks_like_title
from builder.ingest.page import Line
from builder.ingest.places import complete_bureau, region_of
from builder.ingest.reading import Reading
from builder.ingest.titles import KIND_WORDS, PROPOSAL, SUGGESTION, bureau_in_title, kind_of_body
from builder.ingest.trailer import is_name, outcome_mark


def title_of(reading: Reading) -> str | None:
    heading = title_of_page(reading)
    if heading:
        return heading
    header = [line for line in reading.layout.header if not find_fields(line)[1]]
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
    reading.lack("title", "the page has no 标题 / 名称 field and no heading")
    return None


TITLE_MARK = re.compile(r"\s*[(（【\[]\s*[ABCD甲乙丙丁]\s*类\s*[)）】\]]\s*$")
"""`…的答复（A类）`: the outcome, not part of the title."""
_CONTINUED = re.compile(r"^(?:的)?(?:答复|回复|复函|办理情况的?答复|答复函)$")
_UNFINISHED = re.compile(r"(?:的|关于|对|对于|建议|提案|第\S{1,8}号)$")


def title_of_page(reading: Reading) -> str | None:
    """The 标题 field, else the heading: the first title-like header line, with the lines
    a title split over (`…第23号建议的` / `答 复`) joined."""
    found = first(reading.visible, "title")
    if found:
        return found.value
    header = [line for line in reading.layout.header if not find_fields(line)[1]]
    for index in range(len(header)):
        joined = _joined(header, index)
        if looks_like_title(joined):
            return TITLE_MARK.sub("", joined).strip()
    return None


def _joined(header: list[Line], index: int) -> str:
    """The title starting at `index`, with up to two following lines it runs on into."""
    text = header[index].text.strip()
    for line in header[index + 1 : index + 3]:
        following = re.sub(r"\s+", "", line.text)
        if not (_UNFINISHED.search(text) or _CONTINUED.match(following)) or len(following) > 60:
            break
        if looks_like_title(text) and not _CONTINUED.match(following):
            break
        text += following
    return text


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


_PUBLISHER = re.compile(r"(?:人民政府|政府办公室|政府办|人民政府办公厅|政府网|门户网站?)$")
"""A site's publisher: a county government publishing its bureaus' replies."""
_TITLE_BUREAU = re.compile(r"[(（]\s*(?P<name>[^()（）]{2,30}?)\s*[)）]\s*$")
_SITE_NAME = re.compile(r"网|门户|网站|平台|专栏")


def bureau_of(reading: Reading) -> str | None:
    """The answering unit: 发文机构, unless that is the site's publisher (a government)
    and the page names the unit that answered (承办单位, the signature, the title's end,
    the letterhead, 来源); the source used is said in a warning. A name without a place
    (`民政局`) is completed from a fuller name on the page, else from the publisher's place."""
    found = reading.field("bureau")
    if found is not None and not _PUBLISHER.search(found.value):
        return _completed(reading, found.value, found.label, found.line)
    for name, where, line in _answering_units(reading):
        if found is not None:
            reading.warn(
                line,
                f"bureau: {found.label} {found.value} is the site's publisher; "
                f"using {where}: {name}",
            )
        else:
            reading.warn(line, f"bureau: no 发文机构 / 发布机构; using {where}: {name}")
        return _completed(reading, name, where, line)
    if found is not None:
        return found.value
    reading.lack("bureau", "no 发文机构 / 承办单位, no signature and no 来源")
    return None


def _answering_units(reading: Reading) -> Iterator[tuple[str, str, int]]:
    """(name, where it was found, line) for each stand-in, the likeliest first."""
    header = {line.number for line in reading.layout.header}
    for unit in reading.visible:
        if unit.key == UNIT and unit.value and unit.line in header:
            yield _first_name(unit.value), unit.label, unit.line
    signature = reading.trailer.signature
    if signature and signature.names:
        others = f" (it also names {'、'.join(signature.names[1:])})" if signature.names[1:] else ""
        yield signature.names[0], f"the signature{others}", signature.line
    title = title_of_page(reading) or ""
    suffix = _TITLE_BUREAU.search(title)
    if suffix and is_name(suffix.group("name")):
        yield suffix.group("name"), "the title's end", reading.first_line
    prefix = bureau_in_title(title)
    if prefix:
        yield prefix, "the title", reading.first_line
    for line in reading.layout.header:
        if (
            is_name(line.text)
            and not _SITE_NAME.search(line.text)
            and not _PUBLISHER.search(line.text)
        ):
            yield line.text, "the letterhead", line.number
            break
    source = reading.field("source")
    if source and is_name(source.value):
        yield source.value, "来源", source.line


def _first_name(value: str) -> str:
    """`某某局、某某委` (a 主办 and its 协办): the first, the one that answers."""
    return re.split(r"[、，,；;\s]+", value.strip())[0]


def _completed(reading: Reading, name: str, where: str, line: int) -> str:
    if region_of(name):
        return name
    source = reading.field("source")
    signature = reading.trailer.signature
    fuller = [(source.value, "来源", source.line)] if source else []
    fuller += [(n, "the signature", signature.line) for n in signature.names] if signature else []
    fuller += [(u.value, u.label, u.line) for u in reading.visible if u.key == UNIT]
    for other, other_where, other_line in fuller:
        if complete_bureau(name, [other]):
            reading.warn(
                other_line, f"bureau: {where} says {name}; completed from {other_where}: {other}"
            )
            return other
    publisher = reading.field("bureau")
    place = region_of(publisher.value) if publisher else None
    if publisher and place:
        reading.warn(
            line,
            f"bureau: {where} says {name}; completed with the place of {publisher.label} "
            f"{publisher.value}: {place}{name}",
        )
        return place + name
    return name


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
        moment = first_moment(found.value)
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
        moment = first_moment(found.value) if found.key == "written" else None
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
