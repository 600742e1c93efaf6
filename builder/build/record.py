"""What the last build of a long-lived builder read, page by page: the watch server's record.

A page's view holds replies and links to reply pages. The record maps each reply page's
path to the pages that read that reply, so an edit to a reply that leaves its place in the
archive as it was (its slug, date, bureau, region and tags: everything the archive and the
plan derive from a reply besides showing it) changes only those pages. Their new views are
the old ones with the reply, and the links to its page (which show its title), swapped for
the new: no other page needs planning, and only these are fingerprinted again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from builder import urls
from builder.model import Reply
from builder.pages import Entry, Page, PageRef

SHAPE = (
    "slug", "published", "bureau", "region", "tags", "kind", "session", "number", "proposers",
    "outcome", "written",
)  # fmt: skip
"""What `archive.make_archive` and `pages.plan_pages` read of a reply to place it (the title
they read only for links to it, which the record swaps), and what the statistics count."""


def shape(reply: Reply) -> tuple[object, ...]:
    return tuple(getattr(reply, name) for name in SHAPE)


@dataclass
class ReadRecord:
    site_digest: bytes
    """The digest of everything but the replies that the pages were made from."""
    pages: list[Page]
    readers: dict[str, list[int]] = field(default_factory=dict)
    """Reply page path -> the pages (by index) whose views hold the reply or link to it."""

    @classmethod
    def of(cls, site_digest: bytes, pages: list[Page]) -> ReadRecord:
        record = cls(site_digest, pages)
        entries: dict[int, tuple[Entry, set[str]]] = {}
        for index, page in enumerate(pages):
            for path in _reply_paths(page.view, set(), entries):
                record.readers.setdefault(path, []).append(index)
        return record

    def affected(self, replies: Iterable[Reply]) -> list[int]:
        """The pages that read any of `replies`, by index."""
        found: set[int] = set()
        for reply in replies:
            found.update(self.readers.get(urls.reply_path(reply), ()))
        return sorted(found)

    def swapped(self, index: int, replies: Mapping[str, Reply]) -> Page:
        """Page `index` with `replies` (by reply page path) in place of the old ones."""
        links = {path: PageRef(path, reply.title) for path, reply in replies.items()}
        page = self.pages[index]
        return dataclasses.replace(page, view=_swap(page.view, replies, links))  # type: ignore[arg-type]


def _reply_paths(
    value: object, found: set[str], entries: dict[int, tuple[Entry, set[str]]]
) -> set[str]:
    """The reply pages `value` holds the reply of or links to (`entries`: those of each
    entry, found once: many listings share them)."""
    if isinstance(value, Entry):
        known = entries.get(id(value))
        if known is None or known[0] is not value:
            known = entries[id(value)] = (value, _reply_paths(value.reply, set(), entries))
        found |= known[1]
    elif isinstance(value, Reply):
        found.add(urls.reply_path(value))
    elif isinstance(value, PageRef):
        found.add(value.path)
    elif isinstance(value, tuple):
        for item in value:
            _reply_paths(item, found, entries)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _reply_paths(getattr(value, f.name), found, entries)
    return found


def _swap(value: object, replies: Mapping[str, Reply], links: Mapping[str, PageRef]) -> object:
    if isinstance(value, Reply):
        return replies.get(urls.reply_path(value), value)
    if isinstance(value, PageRef):
        return links.get(value.path, value)
    if isinstance(value, tuple):
        items = tuple(_swap(item, replies, links) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            old = getattr(value, f.name)
            new = _swap(old, replies, links)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
