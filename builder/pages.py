"""The plan: every page the site has, with the view object its template receives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from builder import data, urls
from builder.archive import Archive, Facet, Group, number_order
from builder.config import Config
from builder.data import DataFile
from builder.model import Reply
from builder.pages_text import ContactLine, contact_line
from builder.statistics import Statistics, statistics_of

GROUP_FEED_SIZE = 50
"""Entries of a bureau's, tag's, session's or proposer's feed."""
FEED_FACETS = frozenset((Facet.TAG, Facet.BUREAU, Facet.SESSION, Facet.PROPOSER))


@dataclass(frozen=True)
class Pagination:
    """Page `number` of `len(paths)`, and where each page of the listing lives."""

    number: int
    paths: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.paths)

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.total else None

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and a few around this one; None is a gap."""
        near = range(max(1, self.number - around), min(self.total, self.number + around) + 1)
        shown = sorted({1, self.total, *near})
        numbers: list[int | None] = []
        for n in shown:
            if numbers and numbers[-1] is not None and n - numbers[-1] > 1:
                numbers.append(None)
            numbers.append(n)
        return numbers


@dataclass(frozen=True)
class PageRef:
    """Another page as a page shows it: where it is and its title (a group's name)."""

    path: str
    title: str

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class NeighbourLinks:
    """The bureau's replies published just before and just after this one."""

    older: PageRef | None
    newer: PageRef | None


@dataclass(frozen=True)
class ReplyView:
    reply: Reply
    neighbours: NeighbourLinks
    tags: tuple[PageRef, ...]
    bureau: Group
    year: Group
    kind: Group | None = None
    """The reply's kind listing, when the site has kind pages."""
    sessions: tuple[Group, ...] = ()
    proposers: tuple[PageRef, ...] = ()
    """Each proposer's page, titled with their name as the reply gives it."""

    @property
    def contacts(self) -> tuple[ContactLine, ...]:
        """The reply's contact lines, their phone numbers to be `tel:` links."""
        return tuple(contact_line(label, value) for label, value in self.reply.contacts)


ENTRY_TAGS = 3
"""The most tags an entry of a listing shows (then 等5个: all are on the reply's page)."""


@dataclass(frozen=True)
class Entry:
    """A reply in a list: the reply and links to its tags.

    An entry leads with what the suggestion or proposal was about, when the reply says
    (formal titles differ only by their number: …第0215号建议的答复); the formal title
    follows it."""

    reply: Reply
    tags: tuple[PageRef, ...]

    @property
    def lead(self) -> str:
        return self.reply.proposal_title or self.reply.title

    @property
    def formal_title(self) -> str:
        """The formal title when the entry leads with something else, else empty."""
        return self.reply.title if self.reply.proposal_title else ""

    @property
    def shown_tags(self) -> tuple[PageRef, ...]:
        return self.tags[:ENTRY_TAGS]


@dataclass(frozen=True)
class Browse:
    """The home page's ways in: how many tags, bureaus and years, and the biggest tags."""

    tags: int
    bureaus: int
    years: int
    top_tags: tuple[Group, ...]


@dataclass(frozen=True)
class ListingView:
    """One page of a list of replies: the home page, or a tag, bureau or year."""

    heading: str
    entries: tuple[Entry, ...]
    count: int
    pagination: Pagination
    start: int
    """The position of the first entry in the whole list, from 1."""
    group: Group | None = None
    browse: Browse | None = None
    """On the first home page only."""
    order: str = "按公开日期从新到旧排列"
    bureaus: tuple[tuple[Group, int], ...] = ()
    """A session's first page: how many of its replies each bureau answered."""
    feed: str = ""
    """The path of the group's Atom feed, when one is written."""


@dataclass(frozen=True)
class FacetIndexView:
    """All tags, bureaus (by region) or years with their counts."""

    facet: Facet
    groups: tuple[Group, ...]
    regions: tuple[tuple[str, tuple[Group, ...]], ...] = ()


@dataclass(frozen=True)
class FeedView:
    entries: tuple[Reply, ...]
    updated: datetime
    title: str = ""
    """The feed's own title after the site's (a bureau's, a tag's …); empty for the site."""
    alternate: str = urls.HOME
    """The page the feed follows."""


@dataclass(frozen=True)
class DataFileView:
    """A download (data/replies.json …), encoded by `builder.data`, not by a template."""

    file: DataFile


@dataclass(frozen=True)
class DownloadsView:
    """The 下载数据 page: each file with its size (filled in when the page is rendered, from
    the same encoder that writes the file)."""

    files: tuple[DataFile, ...]
    fields: tuple[tuple[str, str], ...]
    sizes: tuple[int, ...] = ()


@dataclass(frozen=True)
class StatisticsView:
    stats: Statistics


@dataclass(frozen=True)
class SitemapView:
    entries: tuple[tuple[str, datetime | None], ...]


@dataclass(frozen=True)
class PlainView:
    """A page with nothing of its own to show: search, 404."""

    heading: str


View = (
    ReplyView
    | ListingView
    | FacetIndexView
    | FeedView
    | SitemapView
    | PlainView
    | DataFileView
    | DownloadsView
    | StatisticsView
)


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    view: View
    absolute_links: bool = False
    """Link with absolute URLs (feeds); 404.html, served at any depth, with paths from the
    site's root on its own host (`urls.site_root`)."""


def plan_pages(archive: Archive, config: Config) -> list[Page]:
    """Every page of the site, replies first (they are the most work to render)."""
    tag_links = {g.name: PageRef(urls.group_path(g), g.name) for g in archive.tags}
    reply_links = {r.slug: PageRef(urls.reply_path(r), r.title) for r in archive.replies}
    facets = _facets(archive, config)
    shown = {facet for facet, _ in facets}
    pages = [
        _reply_page(archive, reply, tag_links, reply_links, shown) for reply in archive.replies
    ]
    entries = {r.slug: Entry(r, tuple(tag_links[t] for t in r.tags)) for r in archive.replies}
    listing = _Listing(entries, config.page_size)
    pages += listing.pages(urls.home_path, "全部答复", archive.replies, browse=_browse(archive))
    for facet, groups in facets:
        pages.append(_facet_index(facet, groups, archive))
        for group in groups:
            pages += _group_pages(listing, archive, group, config)
    pages += _open_data_pages(archive, config)
    pages.append(Page(urls.SEARCH, "search.html", PlainView("搜索答复")))
    pages.append(
        Page(
            urls.NOT_FOUND,
            "404.html",
            PlainView("页面不存在"),
            absolute_links=bool(config.base_url),
        )
    )
    pages += _machine_pages(archive, config, pages)
    return pages


def _facets(archive: Archive, config: Config) -> list[tuple[Facet, tuple[Group, ...]]]:
    facets = [
        (Facet.TAG, archive.tags),
        (Facet.BUREAU, archive.bureaus),
        (Facet.YEAR, archive.years),
    ]
    if config.kind_pages:
        facets.append((Facet.KIND, archive.kinds))
    if config.session_pages:
        facets.append((Facet.SESSION, archive.sessions))
    if config.proposer_pages:
        facets.append((Facet.PROPOSER, archive.proposers))
    return facets


def _group_pages(listing: _Listing, archive: Archive, group: Group, config: Config) -> list[Page]:
    """A group's listing pages, and its feed when it has one."""
    members = archive.members(group)
    feed = ""
    if config.base_url and config.group_feeds and group.facet in FEED_FACETS:
        feed = urls.group_feed_path(group)
    paths = partial(urls.group_path, group)
    if group.facet is Facet.SESSION:
        by_number = tuple(sorted(members, key=number_order))
        pages = listing.pages(
            paths,
            _heading(group),
            by_number,
            group=group,
            order="按答复编号排列",
            bureaus=_bureau_counts(archive, members),
            feed=feed,
        )
    else:
        pages = listing.pages(paths, _heading(group), members, group=group, feed=feed)
    if feed:
        newest = members[:GROUP_FEED_SIZE]
        view = FeedView(newest, newest[0].published, _heading(group), urls.group_path(group))
        pages.append(Page(feed, "feed.xml", view, absolute_links=True))
    return pages


def _bureau_counts(archive: Archive, replies: Sequence[Reply]) -> tuple[tuple[Group, int], ...]:
    counts: dict[str, int] = {}
    for reply in replies:
        counts[reply.bureau] = counts.get(reply.bureau, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple((archive.group(Facet.BUREAU, name), count) for name, count in ranked)


def _open_data_pages(archive: Archive, config: Config) -> list[Page]:
    """The downloads and their page, and the statistics page, as the config asks."""
    pages = []
    if config.downloads:
        files = data.data_files(archive.replies, config.data_split_from)
        schema = DataFile(data.SCHEMA_FILE, "schema", ())
        pages += [Page(f.path, "", DataFileView(f)) for f in (*files, schema)]
        view = DownloadsView((*files, schema), data.field_table())
        pages.append(Page(urls.DOWNLOADS, "downloads.html", view))
    if config.statistics:
        stats = statistics_of(archive, config)
        pages.append(Page(urls.STATISTICS, "statistics.html", StatisticsView(stats)))
    return pages


def _reply_page(
    archive: Archive,
    reply: Reply,
    tag_links: dict[str, PageRef],
    reply_links: dict[str, PageRef],
    shown: set[Facet],
) -> Page:
    neighbours = archive.neighbours[reply.slug]
    older, newer = neighbours.older, neighbours.newer
    view = ReplyView(
        reply=reply,
        neighbours=NeighbourLinks(
            reply_links[older.slug] if older else None, reply_links[newer.slug] if newer else None
        ),
        tags=tuple(tag_links[t] for t in reply.tags),
        bureau=archive.group(Facet.BUREAU, reply.bureau),
        year=archive.group(Facet.YEAR, str(reply.year)),
        kind=archive.kind_of(reply) if Facet.KIND in shown else None,
        sessions=archive.sessions_of(reply) if Facet.SESSION in shown else (),
        proposers=_proposer_links(archive, reply) if Facet.PROPOSER in shown else (),
    )
    return Page(reply_links[reply.slug].path, "reply.html", view)


def _proposer_links(archive: Archive, reply: Reply) -> tuple[PageRef, ...]:
    names = dict.fromkeys(name.strip() for name in reply.proposers if name.strip())
    groups = archive.proposers_of(reply)
    return tuple(PageRef(urls.group_path(g), name) for name, g in zip(names, groups, strict=True))


def _browse(archive: Archive) -> Browse:
    counts = len(archive.tags), len(archive.bureaus), len(archive.years)
    return Browse(*counts, top_tags=archive.tags[:12])


def _facet_index(facet: Facet, groups: tuple[Group, ...], archive: Archive) -> Page:
    regions: tuple[tuple[str, tuple[Group, ...]], ...] = ()
    if facet is Facet.BUREAU:
        regions = archive.regions
    elif facet is Facet.PROPOSER:
        regions = archive.proposers_by_role()
    view = FacetIndexView(facet, groups, regions)
    return Page(urls.facet_index_path(facet), "facet.html", view)


def _heading(group: Group) -> str:
    if group.facet is Facet.YEAR:
        return f"{group.name}年的答复"
    if group.facet is Facet.KIND:
        return f"{group.name}的答复"
    return f"{group.facet.label}：{group.name}"


@dataclass(frozen=True)
class _Listing:
    """Splits lists of replies into pages of `page_size` entries."""

    entries: dict[str, Entry]
    page_size: int

    def pages(
        self,
        path_of_page: Callable[[int], str],
        heading: str,
        replies: Sequence[Reply],
        group: Group | None = None,
        browse: Browse | None = None,
        order: str = "按公开日期从新到旧排列",
        bureaus: tuple[tuple[Group, int], ...] = (),
        feed: str = "",
    ) -> list[Page]:
        size = self.page_size
        chunks = [replies[i : i + size] for i in range(0, len(replies), size)] or [()]
        paths = tuple(path_of_page(n) for n in range(1, len(chunks) + 1))
        return [
            Page(
                paths[i],
                "listing.html",
                ListingView(
                    heading,
                    tuple(self.entries[r.slug] for r in chunk),
                    len(replies),
                    Pagination(i + 1, paths),
                    start=i * size + 1,
                    group=group,
                    browse=browse if i == 0 else None,
                    order=order,
                    bureaus=bureaus if i == 0 else (),
                    feed=feed,
                ),
            )
            for i, chunk in enumerate(chunks)
        ]


def _machine_pages(archive: Archive, config: Config, pages: list[Page]) -> list[Page]:
    """robots.txt always; sitemap.xml and the Atom feed only with a base URL to point to."""
    machine = [Page(urls.ROBOTS, "robots.txt", PlainView(""))]
    if not config.base_url:
        return machine
    newest = archive.replies[: config.feed_size]
    updated = newest[0].published if newest else datetime(2000, 1, 1)
    machine.append(Page(urls.FEED, "feed.xml", FeedView(newest, updated), absolute_links=True))
    shown = [p for p in pages if p.path.endswith(".html") and p.path != urls.NOT_FOUND]
    listed = tuple((p.path, _modified(p)) for p in shown)
    machine.append(Page(urls.SITEMAP, "sitemap.xml", SitemapView(listed)))
    return machine


def _modified(page: Page) -> datetime | None:
    return page.view.reply.published if isinstance(page.view, ReplyView) else None
