"""The immutable archive: every reply, grouped by tag, bureau and year, with neighbours.

It exists in full before any template runs; rendering reads it and never changes it.
A `Group` is light (its name, slug and count): the archive keeps each group's replies
apart, so a page that shows a group depends on what it shows and not on every member.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from builder.model import Reply
from builder.slugs import short_hash, slugify

Slugger = Callable[[str], str]


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
    """One tag, bureau or year: its name, its slug and how many replies it has."""

    facet: Facet
    name: str
    slug: str
    count: int = 0
    region: str = ""


@dataclass(frozen=True)
class Neighbours:
    """The bureau's reply published just before and just after this one."""

    older: Reply | None
    newer: Reply | None


@dataclass(frozen=True)
class Archive:
    replies: tuple[Reply, ...]
    """Newest first."""
    tags: tuple[Group, ...]
    bureaus: tuple[Group, ...]
    years: tuple[Group, ...]
    neighbours: Mapping[str, Neighbours]
    regions: tuple[tuple[str, tuple[Group, ...]], ...]
    """The bureaus by region, regions in pinyin order."""
    _groups: Mapping[tuple[Facet, str], Group]
    _members: Mapping[tuple[Facet, str], tuple[Reply, ...]]

    def group(self, facet: Facet, name: str) -> Group:
        return self._groups[(facet, name)]

    def members(self, group: Group) -> tuple[Reply, ...]:
        """The group's replies, newest first."""
        return self._members[(group.facet, group.name)]

    def groups_of(self, reply: Reply) -> list[Group]:
        """Every group a reply is listed in: its tags, its bureau, its year."""
        keys = [(Facet.TAG, t) for t in reply.tags]
        keys += [(Facet.BUREAU, reply.bureau), (Facet.YEAR, str(reply.year))]
        return [self._groups[key] for key in keys]

    def bureaus_by_region(self) -> list[tuple[str, list[Group]]]:
        return [(region, list(bureaus)) for region, bureaus in self.regions]


def newest_first(replies: Iterable[Reply]) -> tuple[Reply, ...]:
    return tuple(sorted(replies, key=lambda r: (r.published, r.slug), reverse=True))


def make_archive(replies: Iterable[Reply], slugger: Slugger = slugify) -> Archive:
    """The archive of `replies`; `slugger` names groups (a cache may stand in for slugify)."""
    ordered = newest_first(replies)
    members: dict[tuple[Facet, str], tuple[Reply, ...]] = {}
    tags = _groups(Facet.TAG, ordered, lambda r: r.tags, members, slugger)
    tags = tuple(sorted(tags, key=lambda g: (-g.count, g.slug)))
    bureaus = _groups(Facet.BUREAU, ordered, lambda r: (r.bureau,), members, slugger)
    years = _groups(Facet.YEAR, ordered, lambda r: (str(r.year),), members, slugger)
    years = tuple(sorted(years, key=lambda g: g.name, reverse=True))
    groups = {(g.facet, g.name): g for g in (*tags, *bureaus, *years)}
    return Archive(
        replies=ordered,
        tags=tags,
        bureaus=bureaus,
        years=years,
        neighbours=MappingProxyType(_neighbours(bureaus, members)),
        regions=_regions(bureaus, slugger),
        _groups=MappingProxyType(groups),
        _members=MappingProxyType(members),
    )


def _regions(
    bureaus: Iterable[Group], slugger: Slugger
) -> tuple[tuple[str, tuple[Group, ...]], ...]:
    regions: dict[str, list[Group]] = defaultdict(list)
    for bureau in bureaus:
        regions[bureau.region].append(bureau)
    ordered = sorted(regions.items(), key=lambda item: slugger(item[0]))
    return tuple((region, tuple(groups)) for region, groups in ordered)


def _groups(
    facet: Facet,
    replies: tuple[Reply, ...],
    names_of: Callable[[Reply], Iterable[str]],
    members: dict[tuple[Facet, str], tuple[Reply, ...]],
    slugger: Slugger,
) -> tuple[Group, ...]:
    found: dict[str, list[Reply]] = defaultdict(list)
    for reply in replies:
        for name in names_of(reply):
            found[name].append(reply)
    slugs = unique_slugs(found, slugger)
    groups = []
    for name, rs in found.items():
        members[(facet, name)] = tuple(rs)
        groups.append(Group(facet, name, slugs[name], len(rs), region=rs[0].region))
    return tuple(sorted(groups, key=lambda g: g.slug))


def unique_slugs(names: Iterable[str], slugger: Slugger = slugify) -> dict[str, str]:
    """A slug per name; names whose pinyin collides (养老 / 仰老) get a stable suffix."""
    by_slug: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_slug[slugger(name)].append(name)
    slugs = {}
    for slug, same in by_slug.items():
        for name in same:
            slugs[name] = slug if len(same) == 1 else f"{slug}-{short_hash(name, 6)}"
    return slugs


def _neighbours(
    bureaus: Iterable[Group], members: Mapping[tuple[Facet, str], tuple[Reply, ...]]
) -> dict[str, Neighbours]:
    found = {}
    for bureau in bureaus:
        replies = members[(bureau.facet, bureau.name)]
        for i, reply in enumerate(replies):
            newer = replies[i - 1] if i > 0 else None
            older = replies[i + 1] if i + 1 < len(replies) else None
            found[reply.slug] = Neighbours(older=older, newer=newer)
    return found
