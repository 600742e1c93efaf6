"""A fingerprint per page: what its output depends on, so an unchanged one is not rendered.

A page's bytes follow from its view, its path, the templates it loads, the config and the
builder's own code, and from nothing else (templates see no other data). Its fingerprint
is a digest of all of these. A reply inside a view counts by the digest of its file, which
stands for everything in it, the body included (replies are found by slug: a build with
two replies of one slug fails before it renders).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from builder.archive import Group
from builder.config import Config
from builder.model import Reply
from builder.pages import Entry, ListingView, Page, PageRef, Pagination, ReplyView

PLAIN = frozenset((str, int, float, bool, bytes, type(None), datetime, date))
SHARED = frozenset((Entry, Group, PageRef, Pagination))
"""View parts that many pages share: each is digested once per build."""
BIG = 64
"""Tuples at least this long (the pages of a long listing) are digested once per build."""

Key = object


def site_key(config: Config, code_key: str, dirs: list[Path]) -> bytes:
    """A digest of everything but the replies that pages are made from: the builder's code,
    the config and every file of the theme (templates and static files)."""
    digest = hashlib.blake2b(f"{code_key}\0{config!r}".encode(), digest_size=16)
    for theme in dirs:
        for path in sorted(theme.rglob("*")):
            if path.is_file():
                digest.update(f"\0{path.relative_to(theme).as_posix()}\0".encode())
                digest.update(path.read_bytes())
        digest.update(b"\0\0")
    return digest.digest()


def inputs_key(site_digest: bytes, replies: Mapping[str, bytes]) -> bytes:
    """A digest of everything pages are made from: when it is unchanged, so is the site."""
    digest = hashlib.blake2b(site_digest, digest_size=16)
    for slug in sorted(replies):
        digest.update(slug.encode() + b"\0" + replies[slug])
    return digest.digest()


class Fingerprints:
    def __init__(
        self,
        config: Config,
        code_key: str,
        templates: Mapping[str, bytes],
        replies: Mapping[str, bytes],
    ) -> None:
        code_and_config = f"{code_key}\0{config!r}".encode()
        self.code_and_config = hashlib.blake2b(code_and_config, digest_size=16).digest()
        """A digest of the builder's code and the config (the theme counts page by page,
        by the digests of the templates each page loads)."""
        self.templates = templates
        self.replies = replies
        self._shared: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, page: Page) -> bytes:
        digest = hashlib.blake2b(self.code_and_config, digest_size=16)
        digest.update(self.templates.get(page.template, b"?"))
        key = (page.path, page.absolute_links, self._view(page.view))
        digest.update(repr(key).encode("utf-8", "surrogatepass"))
        return digest.digest()

    def _view(self, view: object) -> Key:
        # The two views of almost every page, field by field (a test checks that every
        # field counts); any other view goes through the general walk.
        if type(view) is ReplyView:
            n = view.neighbours
            return (
                "ReplyView",
                self.replies[view.reply.slug],
                (n.older.path, n.older.title) if n.older else None,
                (n.newer.path, n.newer.title) if n.newer else None,
                tuple((t.path, t.title) for t in view.tags),
                self._once(view.bureau),
                self._once(view.year),
                self._key(view.kind),
                tuple(self._once(g) for g in view.sessions),
                tuple(self._once(g) for g in view.proposers),
            )
        if type(view) is ListingView:
            return (
                "ListingView",
                view.heading,
                self._entries(view.entries),
                view.count,
                self._once(view.pagination),
                view.start,
                self._key(view.group),
                self._key(view.browse),
                view.order,
                self._key(view.bureaus),
                view.feed,
            )
        return self._key(view)

    def _entries(self, entries: tuple[Entry, ...]) -> tuple[bytes, ...]:
        # `_once` for each entry, inline: listings hold a great many entries.
        known, keys = self._shared, []
        for entry in entries:
            found = known.get(id(entry))
            keys.append(found[1] if found is not None and found[0] is entry else self._once(entry))
        return tuple(keys)

    def _key(self, value: object) -> Key:
        """`value` as plain data whose repr says all of it (a reply: its file's digest)."""
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is Reply:
            return self.replies[value.slug]  # type: ignore[attr-defined]
        if kind in SHARED or (kind is tuple and len(value) >= BIG):  # type: ignore[arg-type]
            return self._once(value)
        return self._plain(value)

    def _plain(self, value: object) -> Key:
        if isinstance(value, tuple | list):
            return tuple(self._key(item) for item in value)
        if isinstance(value, Enum):
            return (type(value).__name__, value.value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self._field_names(type(value))
            return (type(value).__name__, *(self._key(getattr(value, n)) for n in names))
        if isinstance(value, Mapping):
            return tuple(sorted((repr(k), self._key(v)) for k, v in value.items()))
        raise TypeError(f"a view holds a {type(value).__name__}, which has no fingerprint")

    def _once(self, value: object) -> bytes:
        known = self._shared.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        data = repr(self._plain(value)).encode("utf-8", "surrogatepass")
        digest = hashlib.blake2b(data, digest_size=16).digest()
        self._shared[id(value)] = (value, digest)
        return digest

    def _field_names(self, kind: type) -> tuple[str, ...]:
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind))
        return names
