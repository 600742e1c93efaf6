"""The addressee line: who made the suggestion and as what.

`陈可才、刘治平代表:` -> (陈可才, 刘治平), 代表; `马良委员:` -> (马良,), 委员;
`王建国、李秀英等5名代表：` -> (王建国, 李秀英), 代表, of 5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.ingest.dates import chinese_number

ROLES = ("代表", "委员")

_WITH_ROLE = re.compile(
    r"^(?:尊敬的)?\s*(?P<names>[^，,。；;：:！？!?《》]{1,80}?)\s*"
    r"(?:等\s*(?P<count>[0-9一二两三四五六七八九十]+)\s*(?:名|位|人))?\s*"
    r"(?P<role>代表|委员)(?:们)?(?:同志)?\s*[:：]$"
)
_WITHOUT_ROLE = re.compile(r"^(?:尊敬的)?\s*(?P<names>[^，,。；;：:！？!?《》\d]{2,40}?)\s*[:：]$")
_SEPARATORS = re.compile(r"[、，,；;\s]+")
OPENING = re.compile(r"^(?:您|你|贵)")
_SALUTATION = re.compile(
    r"^(?P<salutation>[^，,。；;：:]{1,60}?(?:代表|委员)(?:们)?(?:同志)?\s*[:：])\s*(?P<rest>.+)$"
)
_NOT_NAMES = frozenset({"各位", "全体", "诸位", "尊敬的"})
_OPENING_WORDS = re.compile(r"提出|收悉|答复|《|所提|反映")


@dataclass(frozen=True)
class Addressee:
    names: tuple[str, ...]
    role: str | None
    count: int | None
    """How many made it when the line says so (`等5名代表`): more than the names given."""
    line: int


def is_opening(text: str) -> bool:
    """The reply's first paragraph: `您提出的《…》收悉,现答复如下:`."""
    return bool(OPENING.match(text)) and bool(_OPENING_WORDS.search(text[:80]))


def parse_addressee(text: str, line: int, before_opening: bool) -> Addressee | None:
    """The addressee on a line `…代表:` / `…委员:`; any `name:` when the opening follows."""
    match = _WITH_ROLE.match(text)
    if match:
        names = _names(match.group("names"))
        count = _count(match.group("count"))
        return Addressee(names, match.group("role"), count, line) if names else None
    plain = _WITHOUT_ROLE.match(text) if before_opening else None
    if plain:
        names = _names(plain.group("names"))
        return Addressee(names, None, None, line) if names else None
    return None


def split_salutation(text: str) -> tuple[str, str] | None:
    """`马良委员：您提出的…` -> (`马良委员：`, `您提出的…`): addressee and opening on one line."""
    match = _SALUTATION.match(text)
    if match and is_opening(match.group("rest")):
        return match.group("salutation"), match.group("rest")
    return None


def _names(text: str) -> tuple[str, ...]:
    names = []
    for part in _SEPARATORS.split(text):
        name = part.removesuffix("代表").removesuffix("委员").strip()
        if name and name not in _NOT_NAMES:
            names.append(name)
    return tuple(names) if all(len(n) <= 30 for n in names) else ()


def _count(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return chinese_number(text.replace("两", "二"))
