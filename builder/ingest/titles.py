"""What a reply's title says: the kind, the session and the number.

`对市十届人大五次会议第HN-35号建议的答复` -> suggestion, 市十届人大五次会议, HN-35;
`关于对市政协九届四次会议第150号提案的答复` -> proposal, 市政协九届四次会议, 150.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUGGESTION = "suggestion"
PROPOSAL = "proposal"
KIND_WORDS = {"建议": SUGGESTION, "意见": SUGGESTION, "提案": PROPOSAL}

_NUMBERED = re.compile(
    r"第\s*(?P<number>[A-Za-z0-9Ａ-Ｚａ-ｚ０-９][A-Za-z0-9Ａ-Ｚａ-ｚ０-９\-－—–_.·]*?)\s*号"
    r"\s*(?:代表|委员)?\s*(?P<kind>建议|提案|意见)"
)
_UNNUMBERED = re.compile(r"(?P<kind>建议|提案)(?:的)?(?:答复|办理|回复|复函)")
_LEADING = re.compile(r"^(?:关于|对于|对|有关|就)+")
_YEAR = re.compile(r"^(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年度?\s*")
_NAME_ENDINGS = "局委办厅府院会部处所站队社司馆校署室组团联行科庭心"
BUREAU_FIRST = re.compile(
    rf"^(?P<name>[^，,。；;：:《》\s]{{2,30}}?[{_NAME_ENDINGS}])(?=关于|对于|对[^于])"
)
"""`某某县农业农村局对县…第17号建议的答复`: the bureau, then 关于 / 对."""
_SESSION = re.compile(r"^(?P<session>.{2,40}?(?:会议|大会))$")


@dataclass(frozen=True)
class TitleParts:
    kind: str | None = None
    session: str | None = None
    number: str | None = None


def parse_title(title: str) -> TitleParts:
    numbered = _NUMBERED.search(title)
    if numbered:
        before = title[: numbered.start()].strip()
        bureau = BUREAU_FIRST.match(before)
        if bureau:
            before = before[bureau.end() :]
        before = _YEAR.sub("", _LEADING.sub("", _YEAR.sub("", before)).strip()).strip()
        session = _SESSION.match(before)
        return TitleParts(
            kind=KIND_WORDS[numbered.group("kind")],
            session=session.group("session") if session else None,
            number=numbered.group("number"),
        )
    unnumbered = _UNNUMBERED.search(title)
    return TitleParts(kind=KIND_WORDS[unnumbered.group("kind")] if unnumbered else None)


def bureau_in_title(title: str) -> str | None:
    """The bureau a title starts with, before 关于 / 对: `某某县农业农村局`."""
    match = BUREAU_FIRST.match(title.strip())
    return match.group("name") if match else None


def kind_of_body(text: str) -> str | None:
    """人大 -> suggestion, 政协 -> proposal: a stand-in when the title names neither."""
    if "人大" in text or "人民代表大会" in text:
        return SUGGESTION
    if "政协" in text or "政治协商会议" in text:
        return PROPOSAL
    return None
