"""Dates: the one place they are parsed from content and shown to readers."""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?: ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")
"""The forms of `_FORMATS` that archives mostly use, with every field of two digits."""
_FORMATS = (
    ("%Y-%m-%d", False),
    ("%Y-%m-%d %H:%M", True),
    ("%Y-%m-%d %H:%M:%S", True),
    ("%Y年%m月%d日", False),
)


def parse_moment(value: object) -> tuple[datetime, bool] | None:
    """A date or date-time from YAML or text, and whether it carried a time of day."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), True
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day), False
    if isinstance(value, str):
        text = value.strip().replace("T", " ").replace("/", "-")
        iso = _ISO.fullmatch(text)
        if iso is not None:  # strptime would read it the same, ten times slower
            year, month, day, hour, minute, second = (int(part) for part in iso.groups("0"))
            try:
                return datetime(year, month, day, hour, minute, second), bool(iso[4])
            except ValueError:
                return None  # a day that does not exist, which strptime rejects too
        for pattern, has_time in _FORMATS:
            try:
                return datetime.strptime(text, pattern), has_time
            except ValueError:
                continue
    return None


def chinese_date(moment: date) -> str:
    """2025年6月20日, as the published documents write it."""
    return f"{moment.year}年{moment.month}月{moment.day}日"


def machine_date(moment: date, with_time: bool = False) -> str:
    """The `datetime` attribute of `<time>`: 2025-06-20 or 2025-08-04T12:43:38."""
    if with_time and isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%dT%H:%M:%S")
    return moment.strftime("%Y-%m-%d")


def rfc3339(moment: datetime) -> str:
    """For the Atom feed; content dates carry no zone, and the archives are in China."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S+08:00")
