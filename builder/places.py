"""Place names: the region a bureau belongs to, read against China's administrative
divisions (builder/divisions.tsv, from the national code list; see scripts/divisions.py).

`杭州市市场监督管理局` -> `杭州市` (not `杭州市市`), `桐庐县城市管理局` -> `桐庐县` (not
`桐庐县城市`), `湖北省潜江市民政局` -> `潜江市`, `湖北省民政厅` -> `湖北省`. A name the list
lacks (a new district, a 开发区) is read by rule: the first run ending in 市县区旗盟州.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_FILE = Path(__file__).resolve().parent / "divisions.tsv"
_PROVINCE = re.compile(r"^.{2,8}?(?:省|自治区|特别行政区)(?=.)")
_PLACE_SUFFIXES = "市县区旗盟州"
_LONGEST = 16


@functools.cache
def divisions() -> frozenset[str]:
    """The names of China's provinces, prefectures and counties."""
    lines = _FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("\t", 1)[1] for line in lines if "\t" in line)


def region_of(bureau: str) -> str:
    """The bureau's leading place name after any province, else the province; or empty."""
    bureau = bureau.strip()
    province = _province(bureau)
    name = bureau[len(province) :]
    if name[:1] in _PLACE_SUFFIXES:  # 县城市管理局, 市教育局: a bureau of no named place
        return province
    return _listed(name) or _short_city(name) or _by_rule(name) or province


def _province(bureau: str) -> str:
    listed = _PROVINCE.match(bureau)
    return listed.group(0) if listed else ""


def _listed(name: str) -> str:
    """The longest division name the text starts with (and that is not the whole text:
    `桐庐县` alone is the place, `县城市管理局` names none)."""
    known = divisions()
    for end in range(min(len(name), _LONGEST), 1, -1):
        if name[:end] in known:
            return name[:end]
    return ""


def _short_city(name: str) -> str:
    """`杭州钱塘新区管委会` -> `杭州市`: a city named without its 市."""
    for end in (3, 2):
        if name[:end] + "市" in divisions() and name[end : end + 1] not in _PLACE_SUFFIXES:
            return name[:end] + "市"
    return ""


def _by_rule(name: str) -> str:
    for end in range(2, min(len(name), _LONGEST) + 1):
        if name[end - 1] in _PLACE_SUFFIXES and (
            end == len(name) or name[end] not in _PLACE_SUFFIXES
        ):
            return name[:end]
    return ""
