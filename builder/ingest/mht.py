"""A page saved as one file (`.mht` / `.mhtml`, "Web archive, single file"): a MIME
message whose HTML part, often GBK and quoted-printable or base64, is the page. The part is
taken with the standard library's email parser, decoded and read as HTML; `path:line`
then counts lines of that HTML part."""

from __future__ import annotations

import email
import email.policy
from email.message import Message

from builder.ingest.decoding import Undecodable, decode
from builder.ingest.page import Line

_GB_FAMILY = frozenset({"gb2312", "gbk", "cp936", "x-gbk", "euc-cn", "gb18030"})


def looks_like_mht(data: bytes) -> bool:
    head = data[:4096].lower()
    return b"mime-version:" in head and b"multipart/" in head


def html_of_mht(data: bytes) -> tuple[str, bool, tuple[Line, ...]] | Undecodable:
    """The saved page's text, whether it is HTML, and a `网址：` line from the address the
    browser noted (`Content-Location`)."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    part = _page_part(message)
    if part is None:
        return Undecodable("it is a saved-page (MIME) file without an HTML or text part")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload.strip():
        return Undecodable("the page part of this saved-page file is empty")
    text = _decoded(payload, part.get_content_charset())
    if isinstance(text, Undecodable):
        return text
    location = part.get("Content-Location") or message.get("Content-Location") or ""
    address = str(location).strip()
    meta = (Line(f"网址：{address}", 1),) if address.startswith(("http://", "https://")) else ()
    return text, part.get_content_type() == "text/html", meta


def _page_part(message: Message) -> Message | None:
    """The first HTML part (the page itself), else the first plain-text part."""
    parts = [p for p in message.walk() if not p.is_multipart()]
    for wanted in ("text/html", "text/plain"):
        for part in parts:
            if part.get_content_type() == wanted:
                return part
    return None


def _decoded(payload: bytes, charset: str | None) -> str | Undecodable:
    """In the part's declared charset (GBK read as its superset GB18030); when that is
    missing or wrong, as any other saved page (BOM, UTF-8, `<meta charset>`, GB18030)."""
    if charset:
        encoding = "gb18030" if charset.lower() in _GB_FAMILY else charset
        try:
            text = payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            return decode(payload)
        return decode(text.encode("utf-8"))  # the same newline and binary checks
    return decode(payload)
