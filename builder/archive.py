"""The immutable archive: every reply, grouped by tag, bureau and year, with neighbours.

It exists in full before any template runs; rendering reads it and never changes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from builder.model import Reply
from builder.slugs import short_hash, slugify


class Facet(Enum):
    """A way of grouping replies, each with its own listing pages."""

    TAG = "tags"
    BUREAU = "bureaus"
    YEAR = "years"

    @property
    def label(self) -> str:
        return {Facet.TAG: "主题", Facet.BUREAU: "发文机构", Facet.YEAR: "年份"}[self]


@dataclass(frozen=True)
class Group:
    """The replies sharing one tag, bureau or year, newest first."""

    facet: Facet
    name: str
    slug: str
    replies: tuple[Reply, ...]
    region: str = ""

    @property
    def count(self) -> int:
        return len(self.replies)


@dataclass(frozen=True)
class Neighbours:
    """The bureau's reply published just before and just after this one."""

    older: Reply | None
    newer: Reply | None


@dataclass(frozen=True)
class Archive:
    replies: tuple[Reply, ...]
    tags: tuple[Group, ...]
    bureaus: tuple[Group, ...]
    years: tuple[Group, ...]
    neighbours: Mapping[str, Neighbours]
    _groups: Mapping[tuple[Facet, str], Group]

    def group(self, facet: Facet, name: str) -> Group:
        return self._groups[(facet, name)]

    def groups_of(self, reply: Reply) -> list[Group]:
        """Every group a reply is listed in: its tags, its bureau, its year."""
        keys = [(Facet.TAG, t) for t in reply.tags]
        keys += [(Facet.BUREAU, reply.bureau), (Facet.YEAR, str(reply.year))]
        return [self._groups[key] for key in keys]

    def bureaus_by_region(self) -> list[tuple[str, list[Group]]]:
        regions: dict[str, list[Group]] = defaultdict(list)
        for bureau in self.bureaus:
            regions[bureau.region].append(bureau)
        return sorted(regions.items(), key=lambda item: slugify(item[0]))


def newest_first(replies: Iterable[Reply]) -> tuple[Reply, ...]:
    return tuple(sorted(replies, key=lambda r: (r.published, r.slug), reverse=True))


def make_archive(replies: Iterable[Reply]) -> Archive:
    ordered = newest_first(replies)
    tags = _groups(Facet.TAG, ordered, lambda r: r.tags)
    tags = tuple(sorted(tags, key=lambda g: (-g.count, g.slug)))
    bureaus = _groups(Facet.BUREAU, ordered, lambda r: (r.bureau,))
    years = tuple(
        sorted(
            _groups(Facet.YEAR, ordered, lambda r: (str(r.year),)),
            key=lambda g: g.name,
            reverse=True,
        )
    )
    groups = {(g.facet, g.name): g for g in (*tags, *bureaus, *years)}
    return Archive(
        replies=ordered,
        tags=tags,
        bureaus=bureaus,
        years=years,
        neighbours=MappingProxyType(_neighbours(bureaus)),
        _groups=MappingProxyType(groups),
    )


def _groups(
    facet: Facet, replies: tuple[Reply, ...], names_of: Callable[[Reply], Iterable[str]]
) -> tuple[Group, ...]:
    members: dict[str, list[Reply]] = defaultdict(list)
    for reply in replies:
        for name in names_of(reply):
            members[name].append(reply)
    slugs = unique_slugs(members)
    groups = (
        Group(facet, name, slugs[name], tuple(rs), region=rs[0].region)
        for name, rs in members.items()
    )
    return tuple(sorted(groups, key=lambda g: g.slug))


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug per name; names whose pinyin collides (养老 / 仰老) get a stable suffix."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_slug[slugify(name)].append(name)
    slugs = {}
    for slug, same in by_slug.items():
        for name in same:
            slugs[name] = slug if len(same) == 1 else f"{slug}-{short_hash(name, 6)}"
    return slugs


def _neighbours(bureaus: Iterable[Group]) -> dict[str, Neighbours]:
    found = {}
    for bureau in bureaus:
        replies = bureau.replies
        for i, reply in enumerate(replies):
            newer = replies[i - 1] if i > 0 else None
            older = replies[i + 1] if i + 1 < len(replies) else None
            found[reply.slug] = Neighbours(older=older, newer=newer)
    return found
