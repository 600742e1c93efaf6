"""Dates as pages write them: 2025-06-20, 2025年07月07日 14:40:00, 2025/6/20 and, in
signatures, 二〇二五年六月二十日."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

Moment = date | datetime
"""A date, or a date and time when the page gives one."""

_NUMERIC = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?\s*秒?)?"
)
_COMPACT = re.compile(
    r"(?<![\d.\-/])(?P<y>(?:19|20)\d{2})(?:(?P<m>[01]\d)(?P<d>[0-3]\d)|\s+(?P<m2>1[0-2]|0?[1-9])"
    r"(?P<d2>[0-3]\d))(?![\d.\-/])"
)
"""`20230514`, and `2024 611` / `2024 1103` (the separators lost in a copy)."""
_ZERO = "〇○零oOＯ0"
_DIGITS = "一二三四五六七八九"
_CHINESE = re.compile(
    rf"(?P<y>[{_ZERO}{_DIGITS}]{{4}})\s*年\s*(?P<m>[十{_DIGITS}]{{1,2}})\s*月"
    rf"\s*(?P<d>[十廿卅{_DIGITS}]{{1,3}})\s*日"
)


def find_moment(text: str) -> tuple[Moment, int, int] | None:
    """The first date in the text, and where it starts and ends (in the NFKC text)."""
    normal = unicodedata.normalize("NFKC", text)
    for pattern, read in ((_NUMERIC, _numeric), (_CHINESE, _chinese), (_COMPACT, _compact)):
        for match in pattern.finditer(normal):
            moment = read(match)
            if moment is not None:
                return moment, match.start(), match.end()
    return None


def first_moment(text: str) -> Moment | None:
    """The first date in the text (`find_moment` without where it is); `dates.parse_moment`
    is the other one: a whole front-matter value, and whether it has a time of day."""
    found = find_moment(text)
    return found[0] if found else None


def whole_date(text: str) -> date | None:
    """The date, if the text is a date and nothing else (a signature's date line)."""
    normal = unicodedata.normalize("NFKC", text).strip()
    found = find_moment(normal)
    if found is None or found[1] != 0 or normal[found[2] :].strip():
        return None
    return as_date(found[0])


def as_date(moment: Moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _numeric(match: re.Match[str]) -> Moment | None:
    year, month, day = (int(match.group(k)) for k in "ymd")
    hour, minute, second = (int(match.group(k) or 0) for k in "HMS")
    try:
        if match.group("H") is not None:
            return datetime(year, month, day, hour, minute, second)
        return date(year, month, day)
    except ValueError:
        return None


def _compact(match: re.Match[str]) -> Moment | None:
    month, day = match.group("m") or match.group("m2"), match.group("d") or match.group("d2")
    try:
        return date(int(match.group("y")), int(month), int(day))
    except ValueError:
        return None


def _chinese(match: re.Match[str]) -> Moment | None:
    year = int("".join("0" if c in _ZERO else str(_DIGITS.index(c) + 1) for c in match["y"]))
    month, day = chinese_number(match["m"]), chinese_number(match["d"])
    if month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def chinese_number(text: str) -> int | None:
    """一 … 三十一, as months and days are written: 六 -> 6, 十二 -> 12, 二十 -> 20, 廿一 -> 21."""
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" not in text:
        return _DIGITS.index(text) + 1 if len(text) == 1 and text in _DIGITS else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    tens_value = _DIGITS.index(tens) + 1 if tens else 1
    ones_value = _DIGITS.index(ones) + 1 if ones else 0
    return tens_value * 10 + ones_value
