"""The fields a reply may have: who made the suggestion, its title in 《》, the numbers and
classes in the header, the outcome, the contacts, the address; and the body's pictures."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from builder.ingest.addressees import ROLES, named_in_text
from builder.ingest.fields import CONTACT, SUBJECT, find_fields
from builder.ingest.page import Line
from builder.ingest.places import region_of
from builder.ingest.reading import Reading
from builder.ingest.trailer import outcome_in, outcome_mark, outcome_of_value

_NONE_VALUES = frozenset({"无", "暂无", "空", "-", "—", "——", "/", "／", "null", "无文号"})
_NOT_SUBJECTS = _NONE_VALUES | {"其他", "其它", "综合", "综合政务", "其他类"}
_TAG_SEPARATORS = re.compile(r"[\s,，;；、]+")
_NAME_SEPARATORS = re.compile(r"[、，,；;\s]+")
_SAVED_COPY = re.compile(r"(?:^|/)[^/]*_files/", re.IGNORECASE)


def proposers_of(reading: Reading) -> tuple[tuple[str, ...], str | None]:
    """The names on the addressee line and their role; else a 提出人 field's."""
    addressee = reading.layout.addressee
    if addressee:
        if addressee.count and addressee.count > len(addressee.names):
            reading.warn(
                addressee.line,
                f"proposers: the addressee line names {len(addressee.names)} of the "
                f"{addressee.count} who made it; only the named are listed",
            )
        return addressee.names, addressee.role
    for line in reading.trailer.text[:1]:
        named = named_in_text(line.text, line.number)
        if named:
            return named.names, named.role
    found = reading.field("proposers")
    if found:
        names = tuple(n for n in _NAME_SEPARATORS.split(found.value) if n)
        roles = [r for r in ROLES if any(n.endswith(r) for n in names)]
        names = tuple(n.removesuffix("代表").removesuffix("委员") for n in names)
        return names, roles[0] if len(roles) == 1 else None
    return (), None


_PROPOSED = re.compile(r"(?:提出的?|所提的?|提交的|领衔的|现将|关于|就|收到)\s*$")
_PROPOSAL_WORDS = re.compile(r"(?:建议|提案|意见|议案)$")
_PROPOSAL_LINES = 3


def proposal_title_of(reading: Reading) -> str | None:
    """The 《…》 the reply's first paragraphs name as what was proposed (after 您提出的 /
    所提 / 关于, or a title ending 建议 / 提案); a 《》 citing a plan, notice or regulation
    is not it. Else a 案由 / 建议标题 field."""
    for line in reading.trailer.text[:_PROPOSAL_LINES]:
        for before, inside in _bracketed(line.text):
            if _PROPOSAL_WORDS.search(inside) or _PROPOSED.search(before[-12:]):
                return inside
    return reading.value("proposal_title")


def _bracketed(text: str) -> list[tuple[str, str]]:
    """(the text before, the text inside) for each outermost 《…》, nested 《》 kept."""
    found = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "《":
            if depth == 0:
                start = index
            depth += 1
        elif char == "》" and depth:
            depth -= 1
            if depth == 0 and text[start + 1 : index].strip():
                found.append((text[:start], text[start + 1 : index].strip()))
    return found


_DOC_NUMBER = re.compile(
    r"(?P<doc>[\u4e00-\u9fff]{1,12}\s*[〔\[【(（［]\s*(?:19|20)\d{2}\s*[〕\]】)）］]\s*第?\s*\d{1,5}\s*号)"
    r"\s*(?:[(（【\[]\s*(?P<mark>[ABCD甲乙丙丁])\s*类?\s*[)）】\]]|(?P<bare>[ABCD甲乙丙丁])\s*类)?"
)
"""`某教复〔2023〕5号(A类)`, `某建字[2021]7号 B类`, `某民发【2023】118号`: a doc number on a
line of its own (or before 签发人), any brackets, with the outcome mark after it."""
_HEADER_MARK = re.compile(r"[(（【\[]\s*([ABCD甲乙丙丁])\s*类\s*[)）】\]]\s*$")
_OUTCOME_CODES = {"甲": "A", "乙": "B", "丙": "C", "丁": "D"}


def doc_number_of(reading: Reading) -> str | None:
    """发文字号 / 文号, left out when the page says there is none (无); else a doc number
    on an unlabeled line above the text."""
    value = reading.value("doc_number")
    if value is not None:
        return None if value.strip() in _NONE_VALUES else value
    found = unlabeled_doc_number(reading)
    return found[0] if found else None


def unlabeled_doc_number(reading: Reading) -> tuple[str, str | None] | None:
    """The doc number of an unlabeled header line, and the outcome marked after it."""
    for line in reading.layout.header:
        match = _DOC_NUMBER.match(find_fields(line)[0].strip())
        if match:
            mark = match.group("mark") or match.group("bare")
            return re.sub(r"\s+", "", match.group("doc")), _OUTCOME_CODES.get(mark or "", mark)
    return None


def outcome_of(reading: Reading) -> str | None:
    """A / B / C / D from a 办理结果 field, a mark such as （A类）, or 此件A类 in the text."""
    found = reading.field("outcome")
    if found and outcome_of_value(found.value):
        return outcome_of_value(found.value)
    for line in reading.layout.header:
        code = outcome_mark(line.text)
        if code:
            return code
    doc = unlabeled_doc_number(reading)
    if doc and doc[1]:
        return doc[1]
    for line in reading.layout.header:
        mark = _HEADER_MARK.search(line.text)
        if mark:
            return _OUTCOME_CODES.get(mark.group(1), mark.group(1))
    if reading.trailer.outcome:
        return reading.trailer.outcome.code
    return next((c for c in (outcome_in(line.text) for line in reading.trailer.text) if c), None)


def tags_of(reading: Reading) -> tuple[str, ...]:
    """The words of a 主题词 / 关键词 field, else of 主题分类: the only subjects a page names
    itself (never invented)."""
    value = reading.value("tags") or reading.value(SUBJECT) or ""
    words = (t for t in _TAG_SEPARATORS.split(value) if t and t not in _NOT_SUBJECTS)
    return tuple(dict.fromkeys(words))


def contacts_of(reading: Reading) -> tuple[tuple[str, str], ...]:
    """(label, value) for 分管领导, 联系人, 电话 …, in the order the page gives them."""
    contacts: dict[str, str] = {}
    for found in [*reading.fields, *reading.trailer.contacts]:
        if found.key == CONTACT and found.value:
            contacts.setdefault(found.label, found.value)
    return tuple(contacts.items())


def source_url_of(reading: Reading) -> str | None:
    """The page's own http(s) address, from a 网址 field or the HTML head."""
    for found in reading.fields:
        if found.key == "source_url" and urlsplit(found.value).scheme in ("http", "https"):
            return found.value
    return None


def region_of_reply(reading: Reading, bureau: str) -> str | None:
    """The bureau's place name; else the place 来源 or the signature names, said so."""
    region = region_of(bureau)
    if region:
        return region
    names = [reading.value("source") or ""]
    names += list(reading.trailer.signature.names if reading.trailer.signature else ())
    region = next((r for r in map(region_of, names) if r), None)
    hint = f"{region} is taken from 来源 or the signature" if region else "add `region:`"
    reading.warn(reading.first_line, f"region: the bureau {bureau} names no place", hint)
    return region


def body_lines(reading: Reading, base: str | None) -> list[Line]:
    """The reply's lines, pictures given their web address or left out with a warning."""
    lines = []
    for line in reading.trailer.text:
        if not line.image:
            lines.append(line)
            continue
        address = _picture_address(line.image, base)
        if address:
            lines.append(Line(line.text, line.number, image=address))
        else:
            reading.warn(
                line.number,
                f"a picture is left out: {line.image} is not an address on the web",
                "a browser's copy saved beside the page (…_files/) has no known address",
            )
    return lines


def _picture_address(src: str, base: str | None) -> str | None:
    """The picture's web address; none for a copy a browser saved beside the page."""
    if _SAVED_COPY.search(src) or urlsplit(src).scheme == "file":
        return None
    address = urljoin(base or "", src)
    return address if urlsplit(address).scheme in ("http", "https") else None
