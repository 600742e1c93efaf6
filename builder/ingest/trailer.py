"""What follows the reply's last paragraph: the signature and its date, the contact lines
(分管领导, 联系人, 电话), an outcome mark (A类), and header fields some sites put last."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from builder.ingest.dates import whole_date
from builder.ingest.fields import CONTACT, Field, find_fields
from builder.ingest.page import Line

_TAIL_SCAN = 14
"""How many lines from the end a signature's date may be."""

_LONG = 60
_NOT_IN_NAMES = re.compile(r"[。，,；;：:！？!?“”\"《》]")
_NAME_ENDINGS = "局委办厅府院会部处所站队社司馆校署室组团联行科庭心"
_OUTCOME_LINE = re.compile(
    r"^[(（【\[]?\s*(?:(?:此件|本件|类别|办理结果|答复类别|办理类别|答复类型|办复类别)"
    r"\s*(?:为|属|是|属于)?\s*[:：]?\s*)?(?P<code>[ABCD])\s*类?(?:答复|件)?\s*[)）】\]]?\s*[。.]?$"
)
_OUTCOME_PHRASE = re.compile(
    r"(?:此件|本件|办理结果|答复类别|办理类别|办复类别|答复类型)\s*(?:为|属|是|属于)?\s*[:：]?"
    r"\s*[(（]?\s*(?P<code>[ABCD])\s*类|[(（【]\s*(?P<mark>[ABCD])\s*类\s*[)）】]"
)
_OUTCOME_WORDS = (
    ("已解决或基本解决", "A"),
    ("基本解决", "A"),
    ("已解决", "A"),
    ("正在解决", "B"),
    ("列入计划", "C"),
    ("留作参考", "D"),
)


@dataclass(frozen=True)
class Signature:
    names: tuple[str, ...]
    signed: date | None
    line: int


@dataclass(frozen=True)
class Outcome:
    code: str
    line: int


@dataclass(frozen=True)
class Trailer:
    text: tuple[Line, ...]
    """The reply's paragraphs, and any line after the signature that is none of the below."""
    signature: Signature | None
    contacts: tuple[Field, ...]
    fields: tuple[Field, ...]
    outcome: Outcome | None


def split_trailer(lines: Sequence[Line]) -> Trailer:
    """The reply's text with the signature, contacts and marks after it taken out."""
    index = _signature_date(lines)
    if index is None:
        return _without_date(lines)
    names_from = index
    while names_from > 0 and index - names_from < 3 and is_name(lines[names_from - 1].text):
        names_from -= 1
    date_line = lines[index]
    names, signed = _dated_names(date_line.text)
    signature = Signature(
        tuple(line.text for line in lines[names_from:index]) + names, signed, date_line.number
    )
    head = _without_date(lines[:names_from], signed_already=True)
    tail = [_classify(line) for line in lines[index + 1 :]]
    return Trailer(
        text=head.text + tuple(line for line, kind, _ in tail if kind == "text"),
        signature=signature,
        contacts=head.contacts + _fields_of(tail, "contact"),
        fields=head.fields + _fields_of(tail, "field"),
        outcome=head.outcome or _first_outcome(tail),
    )


def is_name(text: str) -> bool:
    """A bureau's name on a line of its own: short, no punctuation, ends like 局/委/办/中心."""
    return (
        2 <= len(text) <= 40
        and not _NOT_IN_NAMES.search(text)
        and text[-1] in _NAME_ENDINGS
        and not text[0].isdigit()
    )


def outcome_mark(text: str) -> str | None:
    """The code of a line that is only an outcome mark: `A类`, `（A类）`, `此件A类`, `A`."""
    match = _OUTCOME_LINE.match(text.strip())
    return match.group("code") if match else None


def outcome_in(text: str) -> str | None:
    """The code an outcome phrase inside a paragraph gives: `此件为A类`, `（B类）`."""
    match = _OUTCOME_PHRASE.search(text)
    return (match.group("code") or match.group("mark")) if match else None


def outcome_of_value(value: str) -> str | None:
    """The code an 办理结果 field gives: `A类`, `A`, `已解决或基本解决`."""
    match = re.match(r"^\s*([ABCD])(?![A-Za-z])", value)
    if match:
        return match.group(1)
    return next((code for words, code in _OUTCOME_WORDS if words in value), None)


def contact_fields(line: Line) -> list[Field] | None:
    """The fields of a line made only of contact fields: `联系人：吴棣 电话：8992056`."""
    inner = Line(line.text.strip("()（）[]【】 "), line.number)
    prefix, fields = find_fields(inner)
    if prefix or not fields or any(f.key != CONTACT for f in fields):
        return None
    return fields


def _signature_date(lines: Sequence[Line]) -> int | None:
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - _TAIL_SCAN), -1):
        text = lines[index].text
        if _dated_names(text)[1] is not None:
            return index
        if len(text) > _LONG and not find_fields(lines[index])[1]:
            return None
    return None


def _dated_names(text: str) -> tuple[tuple[str, ...], date | None]:
    """`2025年6月20日` -> ((), date); `乌海市民政局 2025年6月20日` -> (('乌海市民政局',), date)."""
    signed = whole_date(text)
    if signed is not None:
        return (), signed
    name, _, rest = text.rpartition(" ")
    signed = whole_date(rest) if name else None
    if signed is not None and is_name(name.strip()):
        return (name.strip(),), signed
    return (), None


def _without_date(lines: Sequence[Line], signed_already: bool = False) -> Trailer:
    """Contacts, marks and fields at the end of the text; a bureau's name last of all."""
    end = len(lines)
    tail: list[tuple[Line, str, list[Field]]] = []
    while end > 0:
        line, kind, fields = _classify(lines[end - 1])
        if kind == "text":
            break
        tail.insert(0, (line, kind, fields))
        end -= 1
    signature = None
    if not signed_already and end > 1 and is_name(lines[end - 1].text):
        signature = Signature((lines[end - 1].text,), None, lines[end - 1].number)
        end -= 1
    return Trailer(
        text=tuple(lines[:end]),
        signature=signature,
        contacts=_fields_of(tail, "contact"),
        fields=_fields_of(tail, "field"),
        outcome=_first_outcome(tail),
    )


def _classify(line: Line) -> tuple[Line, str, list[Field]]:
    """A line after the text: `contact`, `outcome`, `field` (some other header field), `text`."""
    contacts = contact_fields(line)
    if contacts:
        return line, "contact", contacts
    if outcome_mark(line.text):
        return line, "outcome", []
    prefix, fields = find_fields(line)
    if fields and not prefix:
        return line, "field", fields
    return line, "text", []


def _fields_of(tail: list[tuple[Line, str, list[Field]]], kind: str) -> tuple[Field, ...]:
    return tuple(f for _, k, fields in tail if k == kind for f in fields)


def _first_outcome(tail: list[tuple[Line, str, list[Field]]]) -> Outcome | None:
    for line, kind, _ in tail:
        code = outcome_mark(line.text) if kind == "outcome" else None
        if code:
            return Outcome(code, line.number)
    return None
