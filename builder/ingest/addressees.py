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
OPENING = re.compile(r"^(?:您|你|贵|现将|现就|关于您|对您|首先)")
_SALUTATION = re.compile(
    r"^(?P<salutation>[^，,。；;：:]{1,60}?(?:代表|委员)(?:们)?(?:同志)?\s*[:：])\s*(?P<rest>.+)$"
)
_NOT_NAMES = frozenset({"各位", "全体", "诸位", "尊敬的"})
_OPENING_WORDS = re.compile(r"提出|收悉|答复|《|所提|反映|办理情况")
_GROUP = re.compile(r"^(?P<names>[^，,。；;：:！？!?《》\s]{2,30}?代表(?:组|团|小组))\s*[:：]?$")
"""`城关镇代表组`: a group of deputies, with or without a colon."""
_AGENCY_ENDINGS = re.compile(
    r"(?:局|厅|办|办公室|政府|提案委|提案委员会|中心|公司|管委会|管理委员会|人大常委会)$"
)
"""`市财政局:` / `区政协提案委:`: an agency the reply is sent to, not who proposed (a party's
committee, `民盟潜江市委员会:`, is a proposer)."""


@dataclass(frozen=True)
class Addressee:
    names: tuple[str, ...]
    role: str | None
    count: int | None
    """How many made it when the line says so (`等5名代表`): more than the names given."""
    line: int


NAMED_IN_TEXT = re.compile(
    r"^(?:[^，,。；;]{0,16}?)(?P<role>代表|委员)\s*(?P<names>(?:(?!在)[\u4e00-\u9fff·、，,]){2,40}?)"
    r"\s*(?:等\s*(?P<count>[0-9一二两三四五六七八九十]+)\s*(?:名|位|人)?\s*(?:代表|委员)?)?"
    r"\s*(?:同志)?\s*(?:在[^，。]{2,30}?上)?\s*(?:领衔)?(?:提出|所提|提交)"
)
"""`市人大代表吴某某提出的《…》收悉`: who proposed, named only in the opening."""


NAMES_FIRST = re.compile(
    r"^(?P<names>[\u4e00-\u9fff·、]{2,30}?)\s*(?:等\s*(?P<count>[0-9一二两三四五六七八九十]+)\s*(?:名|位|人))?"
    r"\s*(?P<role>代表|委员)\s*(?:在[^，。]{2,30}?上)?\s*(?:领衔)?(?:提出|所提|提交)"
)


def is_opening(text: str) -> bool:
    """The reply's first paragraph: `您提出的《…》收悉,现答复如下:` (or `…代表某某提出的…`)."""
    opens = any(p.match(text) for p in (OPENING, NAMED_IN_TEXT, NAMES_FIRST))
    return opens and bool(_OPENING_WORDS.search(text[:80]))


def named_in_text(text: str, line: int) -> Addressee | None:
    """The proposers an opening paragraph names (`市人大代表吴某某提出的…`)."""
    match = NAMED_IN_TEXT.match(text) or NAMES_FIRST.match(text)
    if not match or match.group("names").startswith(("您", "你")):
        return None
    names = _names(match.group("names"))
    return (
        Addressee(names, match.group("role"), _count(match.group("count")), line) if names else None
    )


def parse_addressee(text: str, line: int, before_opening: bool) -> Addressee | None:
    """The addressee on a line `…代表:` / `…委员:`; any `name:` when the opening follows."""
    match = _WITH_ROLE.match(text)
    if match:
        names = _names(match.group("names"))
        count = _count(match.group("count"))
        return Addressee(names, match.group("role"), count, line) if names else None
    group = _GROUP.match(text.strip()) if before_opening else None
    if group:
        return Addressee((group.group("names"),), "代表", None, line)
    plain = _WITHOUT_ROLE.match(text) if before_opening else None
    if plain:
        if _AGENCY_ENDINGS.search(plain.group("names").strip()):
            return Addressee((), None, None, line)  # 市财政局: an agency, not who proposed
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
        name = part.removesuffix("代表").removesuffix("委员").strip().removesuffix("等")
        if name and name not in _NOT_NAMES:
            names.append(name)
    return tuple(names) if all(len(n) <= 30 for n in names) else ()


def _count(text: str | None) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return chinese_number(text.replace("两", "二"))
