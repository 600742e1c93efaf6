"""The immutable archive: every reply, grouped by tag, bureau, year, kind, session and
proposer, with neighbours.

It exists in full before any template runs; rendering reads it and never changes it.
A `Group` is light (its name, slug and count): the archive keeps each group's replies
apart, so a page that shows a group depends on what it shows and not on every member.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    KIND = "kinds"
    SESSION = "sessions"
    PROPOSER = "proposers"

    @property
    def label(self) -> str:
        return _FACET_LABELS[self]


_FACET_LABELS = {
    Facet.TAG: "主题",
    Facet.BUREAU: "发文机构",
    Facet.YEAR: "年份",
    Facet.KIND: "类别",
    Facet.SESSION: "会议",
    Facet.PROPOSER: "提出人",
}


@dataclass(frozen=True)
class Group:
    """One tag, bureau, year, kind, session or proposer: its name, its slug and how many
    replies it has (`region`: that of its newest reply; `role`: for a proposer, 人大代表 or
    政协委员, by the kind of their newest reply)."""

    facet: Facet
    name: str
    slug: str
    count: int = 0
    region: str = ""
    role: str = ""


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
    kinds: tuple[Group, ...]
    sessions: tuple[Group, ...]
    """Newest first (by their newest reply)."""
    proposers: tuple[Group, ...]
    _groups: Mapping[tuple[Facet, str], Group]
    _members: Mapping[tuple[Facet, str], tuple[Reply, ...]]

    def group(self, facet: Facet, name: str) -> Group:
        return self._groups[(facet, name)]

    def members(self, group: Group) -> tuple[Reply, ...]:
        """The group's replies, newest first."""
        return self._members[(group.facet, group.name)]

    def groups_of(self, reply: Reply) -> list[Group]:
        """Every group a reply is listed in: its tags, bureau, year, kind, session and
        proposers."""
        keys = [(facet, name) for facet, names_of in GROUPINGS for name in names_of(reply)]
        return [self._groups[key] for key in keys]

    def sessions_of(self, reply: Reply) -> tuple[Group, ...]:
        return tuple(self._groups[(Facet.SESSION, n)] for n in session_names(reply))

    def proposers_of(self, reply: Reply) -> tuple[Group, ...]:
        return tuple(self._groups[(Facet.PROPOSER, n)] for n in proposer_names(reply))

    def kind_of(self, reply: Reply) -> Group:
        return self._groups[(Facet.KIND, reply.kind.label)]

    def proposers_by_role(self) -> tuple[tuple[str, tuple[Group, ...]], ...]:
        """The proposers grouped by role (人大代表, then 政协委员), each in pinyin order."""
        roles: dict[str, list[Group]] = defaultdict(list)
        for group in self.proposers:
            roles[group.role].append(group)
        return tuple((role, tuple(roles[role])) for role in sorted(roles, key=_role_order))


def session_names(reply: Reply) -> tuple[str, ...]:
    """The session a reply answers, named with its place: sessions of a city council are
    written `市十届人大五次会议` by every city, so the bureau's region tells them apart."""
    session = reply.session.strip()
    if not session:
        return ()
    region = reply.region
    if not region or session.startswith(region):
        return (session,)
    return (f"{region}·{session}",)


def proposer_names(reply: Reply) -> tuple[str, ...]:
    """Each proposer, named with the place of the reply (two deputies of one name in two
    cities are two people)."""
    names = (name.strip() for name in reply.proposers)
    suffix = f"（{reply.region}）" if reply.region else ""
    return tuple(dict.fromkeys(f"{name}{suffix}" for name in names if name))


_DIGITS = re.compile(r"([0-9]+)")


def number_order(reply: Reply) -> tuple[object, ...]:
    """A session's replies by number as people count (第2号 before 第10号, HN-9 before
    HN-35), the unnumbered last."""
    parts = _DIGITS.split(reply.number.strip())
    key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)
    return (not key, key, reply.slug)


def role_of(reply: Reply) -> str:
    """Who proposes what this reply answers: 人大代表 for a suggestion, 政协委员 for a proposal."""
    return "人大代表" if reply.kind.label.startswith("人大") else "政协委员"


def _role_order(role: str) -> tuple[int, str]:
    return (0 if role == "人大代表" else 1, role)


GROUPINGS: tuple[tuple[Facet, Callable[[Reply], Iterable[str]]], ...] = (
    (Facet.TAG, lambda r: r.tags),
    (Facet.BUREAU, lambda r: (r.bureau,)),
    (Facet.YEAR, lambda r: (str(r.year),)),
    (Facet.KIND, lambda r: (r.kind.label,)),
    (Facet.SESSION, session_names),
    (Facet.PROPOSER, proposer_names),
)
"""How a reply is placed in groups, facet by facet."""


def group_names(reply: Reply) -> Iterator[str]:
    """Every name `make_archive` slugs for `reply`: its groups' and its region's."""
    for _, names_of in GROUPINGS:
        yield from names_of(reply)
    yield reply.region


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
    kinds = _groups(Facet.KIND, ordered, lambda r: (r.kind.label,), members, slugger)
    sessions = _groups(Facet.SESSION, ordered, session_names, members, slugger)
    sessions = tuple(sorted(sessions, key=lambda g: _newest(members, g), reverse=True))
    proposers = _groups(Facet.PROPOSER, ordered, proposer_names, members, slugger)
    proposers = tuple(
        dataclasses.replace(g, role=role_of(members[(g.facet, g.name)][0])) for g in proposers
    )
    everything = (*tags, *bureaus, *years, *kinds, *sessions, *proposers)
    return Archive(
        replies=ordered,
        tags=tags,
        bureaus=bureaus,
        years=years,
        neighbours=MappingProxyType(_neighbours(bureaus, members)),
        regions=_regions(bureaus, slugger),
        kinds=kinds,
        sessions=sessions,
        proposers=proposers,
        _groups=MappingProxyType({(g.facet, g.name): g for g in everything}),
        _members=MappingProxyType(members),
    )


def _newest(
    members: Mapping[tuple[Facet, str], tuple[Reply, ...]], group: Group
) -> tuple[object, ...]:
    newest = members[(group.facet, group.name)][0]
    return (newest.published, group.slug)


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
