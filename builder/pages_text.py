"""The reply's text as its page shows it: phone numbers in the contact lines as `tel:` links.

Views take plain text from here, split into parts; the template writes each part, escaped,
and a number as a link, so no HTML is ever made from a reply's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TextPart:
    text: str
    tel: str = ""
    """The number to dial (`tel:` + this) when the text is a phone number, else empty."""


@dataclass(frozen=True)
class ContactLine:
    label: str
    parts: tuple[TextPart, ...]


NOT_DIALLED = ("传真", "邮", "地址")
"""Contact labels whose numbers are no phone to call: fax, post code, e-mail, address."""

_SEPARATOR = r"[-－—‐ ]?"
_PHONE = re.compile(
    rf"""(?<![\d+])(?:
      (?:\+86{_SEPARATOR})?1[3-9]\d(?:{_SEPARATOR}\d{{4}}){{2}}     # a mobile: 13800000000
    | [48]00{_SEPARATOR}\d{{3}}{_SEPARATOR}\d{{4}}                  # 400-123-4567
    | (?:[(（]0\d{{2,3}}[)）]\ ?|0\d{{2,3}}{_SEPARATOR})?[2-9]\d{{6,7}}  # 0728-6234567, 8992056
    )(?!\d)""",
    re.VERBOSE,
)


def contact_line(label: str, value: str) -> ContactLine:
    """A contact line, its phone numbers marked to be dialled (except a fax's and such)."""
    if any(word in label for word in NOT_DIALLED):
        return ContactLine(label, (TextPart(value),))
    return ContactLine(label, phone_parts(value))


def phone_parts(text: str) -> tuple[TextPart, ...]:
    """The text in parts: phone numbers, with the number to dial, and the text between."""
    parts = []
    at = 0
    for match in _PHONE.finditer(text):
        if match.start() > at:
            parts.append(TextPart(text[at : match.start()]))
        parts.append(TextPart(match[0], dialled(match[0])))
        at = match.end()
    if at < len(text) or not parts:
        parts.append(TextPart(text[at:]))
    return tuple(parts)


def dialled(number: str) -> str:
    """A phone number as a `tel:` address takes it: its digits, and a leading +."""
    digits = re.sub(r"\D", "", number)
    return "+" + digits if number.startswith("+") else digits
