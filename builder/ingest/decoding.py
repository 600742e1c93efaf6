"""Bytes to text: a BOM, UTF-8, the charset a page declares, then GB18030; newlines made LF.

charset-normalizer is asked where these rules alone would go wrong: UTF-16 saved without
a BOM (its NUL bytes look binary), and a page in Big5 (traditional characters), which
GB18030 decodes without an error into nonsense — recognised because that nonsense is full
of characters outside GB2312's 6,763, which simplified Chinese text hardly uses."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Undecodable:
    """Why a file's bytes are not a page we can read, and the line where that shows."""

    reason: str
    line: int = 0


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "cp936", "euc-cn", "x-gbk", "hz-gb-2312"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_WIDE = ("utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be")
_TRADITIONAL = ("big5", "cp950", "big5hkscs")
_RARE_SHARE = 0.05
"""Of a GB18030 decoding's CJK characters, more than this share outside GB2312: not
simplified Chinese as a bureau writes it."""


def decode(data: bytes) -> str | Undecodable:
    """The text of a saved page: UTF-8 (with or without BOM) or GB18030/GBK, LF newlines."""
    if not data.strip():
        return Undecodable("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding)
    if b"\x00" in data:
        wide = _as_detected(data, _WIDE)
        if wide is not None:
            return wide
        return Undecodable("it is a binary file (it holds NUL bytes), not a text or HTML page")
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _unlikely_simplified(text):
            traditional = _as_detected(data, _TRADITIONAL)
            if traditional is not None:
                return traditional
        return _checked(text)
    line = _first_bad_line(data)
    return Undecodable(
        f"it is neither UTF-8 nor GB18030 text (undecodable bytes on line {line})", line
    )


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_as(data: bytes, encoding: str) -> str | Undecodable:
    try:
        return _checked(data.decode(encoding))
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return Undecodable(f"it starts with a {encoding} BOM but is not {encoding}", line)


def _candidates(data: bytes) -> list[str]:
    """UTF-8 first (GB18030 would also accept most UTF-8), then the declared charset."""
    encodings = ["utf-8"]
    declared = _declared_charset(data)
    if declared and declared not in ("utf-8", "gb18030"):
        encodings.append(declared)
    encodings.append("gb18030")
    return encodings


def _as_detected(data: bytes, among: tuple[str, ...]) -> str | Undecodable | None:
    """The text in the encoding charset-normalizer finds, when that is one of `among` and
    decodes the whole file; else None."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding not in among:
        return None
    encoding = "big5hkscs" if best.encoding in _TRADITIONAL else best.encoding
    try:
        return _checked(data.decode(encoding))
    except UnicodeDecodeError:
        return None


def _unlikely_simplified(text: str) -> bool:
    cjk = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if len(cjk) < 20:
        return False
    rare = 0
    for character in cjk:
        try:
            character.encode("gb2312")
        except UnicodeEncodeError:
            rare += 1
    return rare > _RARE_SHARE * len(cjk)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _checked(text: str) -> str | Undecodable:
    text = normalise_newlines(text.lstrip("\ufeff"))
    if not text.strip():
        return Undecodable("the file is empty")
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return Undecodable("it is a binary file (it holds control characters), not a page")
    return text


def _first_bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data[: error.start].count(b"\n") + 1
    return 1
