"""Dates: the one place they are parsed from content and shown to readers."""

from __future__ import annotations

from datetime import date, datetime

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
