"""ASCII-safe, stable names for files and URLs: the one place slugs are made."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
PLAIN_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
MAX_SLUG = 100
"""The longest slug: a page's file name is the slug and `.html`, within any file system's
255 bytes (a long name is cut, a digest of the whole keeping it unique)."""


def slugify(text: str) -> str:
    """`乌海市民政局` -> `wuhaishi-minzhengju`-like pinyin; ASCII is kept, lower-cased.

    Han characters become their toneless pinyin joined within a run, so a slug
    reads as words; every other run of non-alphanumerics becomes one hyphen.
    """
    # pypinyin loads its dictionary on import (0.2 s); builds with nothing new to name skip it.
    from pypinyin import lazy_pinyin

    normal = unicodedata.normalize("NFKC", text)
    syllables = lazy_pinyin(normal, errors="default")
    joined = "".join(_syllable_or_gap(s) for s in syllables)
    slug = _NOT_SLUG.sub("-", joined.lower()).strip("-") or short_hash(text)
    if len(slug) > MAX_SLUG:  # a file name may hold 255 bytes: keep well inside it
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + short_hash(text)
    return slug


def load_dictionary() -> None:
    """Load pypinyin's dictionary now, for a build about to name many groups."""
    import pypinyin  # noqa: F401


def _syllable_or_gap(piece: str) -> str:
    # lazy_pinyin returns Han syllables one by one and other text as-is.
    return piece if piece.isalpha() and piece.isascii() else f"-{piece}-"


def short_hash(text: str, length: int = 8) -> str:
    """A stable hex digest, for names that need a unique suffix."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()[:length]


def is_plain_slug(text: str) -> bool:
    """A plain file name: lower-case ASCII letters, digits, `.`, `_`, `-`; no path; short."""
    return bool(PLAIN_SLUG.match(text)) and ".." not in text and len(text) <= MAX_SLUG
