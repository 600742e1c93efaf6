"""ASCII-safe, stable names for files and URLs: the one place slugs are made."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

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
    normal = unicodedata.normalize("NFKC", text)
    syllables = _lazy_pinyin()(normal)
    joined = "".join(_syllable_or_gap(s) for s in syllables)
    slug = _NOT_SLUG.sub("-", joined.lower()).strip("-") or short_hash(text)
    if len(slug) > MAX_SLUG:  # a file name may hold 255 bytes: keep well inside it
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + short_hash(text)
    return slug


@functools.cache
def _lazy_pinyin() -> Callable[[str], list[str]]:
    """pypinyin's `lazy_pinyin` (toneless, other text kept), its converter made once and
    remembering the syllables of each word it is given: a name is mostly words met before
    (places, bureaus, surnames), and converting a word is most of pypinyin's time (0.09 ms
    a name). The module's own `lazy_pinyin` makes a new converter at every call; this is the
    same converter (tests/test_slugs.py compares the two on thousands of names)."""
    # pypinyin loads its dictionary on import (0.2 s); builds with nothing new to name skip it.
    from pypinyin import Style
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    class Remembering(UltimateConverter):
        def __init__(self) -> None:
            super().__init__(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
            self.known: dict[tuple[object, ...], list[list[str]]] = {}

        def convert(
            self,
            words: str,
            style: Style,
            heteronym: bool,
            errors: Callable[[str], str] | str,
            strict: bool = True,
            **kwargs: Any,
        ) -> list[list[str]]:
            key = (words, style, heteronym, errors, strict, *sorted(kwargs.items()))
            found = self.known.get(key)
            if found is None:
                found = super().convert(words, style, heteronym, errors, strict, **kwargs)
                self.known[key] = found
            return [list(syllables) for syllables in found]

    pinyin = Pinyin(Remembering())
    return lambda text: list(pinyin.lazy_pinyin(text, errors="default"))


def _syllable_or_gap(piece: str) -> str:
    # lazy_pinyin returns Han syllables one by one and other text as-is.
    return piece if piece.isalpha() and piece.isascii() else f"-{piece}-"


def short_hash(text: str, length: int = 8) -> str:
    """A stable hex digest, for names that need a unique suffix."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()[:length]


def is_plain_slug(text: str) -> bool:
    """A plain file name: lower-case ASCII letters, digits, `.`, `_`, `-`; no path; short."""
    return bool(PLAIN_SLUG.match(text)) and ".." not in text and len(text) <= MAX_SLUG
