"""Bytes to text: a BOM, UTF-8, the charset a page declares, then GB18030; newlines made LF."""

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


def decode(data: bytes) -> str | Undecodable:
    """The text of a saved page: UTF-8 (with or without BOM) or GB18030/GBK, LF newlines."""
    if not data.strip():
        return Undecodable("the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data[len(bom) :], encoding)
    if b"\x00" in data:
        return Undecodable("it is a binary file (it holds NUL bytes), not a text or HTML page")
    for encoding in _candidates(data):
        try:
            return _checked(data.decode(encoding))
        except UnicodeDecodeError:
            continue
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
