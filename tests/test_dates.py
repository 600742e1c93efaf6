"""Dates from content: the quick reading of ISO dates is strptime's, to the result."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest

from builder import dates


def by_strptime(value: str) -> tuple[datetime, bool] | None:
    """`dates.parse_moment` as it was before its quick path: each format in turn."""
    text = value.strip().replace("T", " ").replace("/", "-")
    for pattern, has_time in dates._FORMATS:
        try:
            return datetime.strptime(text, pattern), has_time
        except ValueError:
            continue
    return None


YEARS = ["2020", "0000", "0001", "9999", "20201", "２０２０"]
MONTHS = ["01", "1", "12", "13", "00", "02"]
DAYS = ["01", "7", "28", "29", "30", "31", "00"]
TIMES = ["", " 12:30", " 24:00", " 23:59:59", " 23:59:60", " 23:60", " 1:2", "T08:09:10"]
TIMES += [" 08:09:1"]


def test_every_combination_reads_as_strptime_reads_it() -> None:
    cases = [f"{y}-{m}-{d}{t}" for y, m, d, t in itertools.product(YEARS, MONTHS, DAYS, TIMES)]
    cases += ["2020/01/02", " 2020-01-02 ", "2020年1月2日", "2020-01-02 03:04:05 ", "", "x"]
    different = [c for c in cases if dates.parse_moment(c) != by_strptime(c)]
    assert different == []
    assert sum(by_strptime(c) is not None for c in cases) > 300  # many valid ones among them


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-20", (datetime(2025, 6, 20), False)),
        ("2025-08-04 12:43:38", (datetime(2025, 8, 4, 12, 43, 38), True)),
        ("2025-08-04 12:43", (datetime(2025, 8, 4, 12, 43), True)),
        ("2025-02-29", None),
    ],
)
def test_iso_dates(text: str, expected: tuple[datetime, bool] | None) -> None:
    assert dates.parse_moment(text) == expected
