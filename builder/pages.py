"""The plan: every page the site has, with the view object its template receives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from builder import urls
from builder.archive import Archive, Facet, Group
from builder.config import Config
from builder.model import Reply


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


@dataclass(frozen=True)
class Entry:
    """A reply in a list: the reply and links to its tags."""

    reply: Reply
    tags: tuple[PageRef, ...]


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


@dataclass(frozen=True)
class SitemapView:
    entries: tuple[tuple[str, datetime | None], ...]


@dataclass(frozen=True)
class PlainView:
    """A page with nothing of its own to show: search, 404."""

    heading: str


View = ReplyView | ListingView | FacetIndexView | FeedView | SitemapView | PlainView


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    view: View
    absolute_links: bool = False
    """Link with absolute URLs (404.html is served at any depth)."""


def plan_pages(archive: Archive, config: Config) -> list[Page]:
    """Every page of the site, replies first (they are the most work to render)."""
    tag_links = {g.name: PageRef(urls.group_path(g), g.name) for g in archive.tags}
    reply_links = {r.slug: PageRef(urls.reply_path(r), r.title) for r in archive.replies}
    pages = [_reply_page(archive, reply, tag_links, reply_links) for reply in archive.replies]
    entries = {r.slug: Entry(r, tuple(tag_links[t] for t in r.tags)) for r in archive.replies}
    listing = _Listing(entries, config.page_size)
    pages += listing.pages(urls.home_path, "全部答复", archive.replies, browse=_browse(archive))
    for facet, groups in _facets(archive):
        pages.append(_facet_index(facet, groups, archive))
        for group in groups:
            pages += listing.pages(
                partial(urls.group_path, group),
                _heading(group),
                archive.members(group),
                group=group,
            )
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


def _facets(archive: Archive) -> list[tuple[Facet, tuple[Group, ...]]]:
    return [(Facet.TAG, archive.tags), (Facet.BUREAU, archive.bureaus), (Facet.YEAR, archive.years)]


def _reply_page(
    archive: Archive, reply: Reply, tag_links: dict[str, PageRef], reply_links: dict[str, PageRef]
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
    )
    return Page(reply_links[reply.slug].path, "reply.html", view)


def _browse(archive: Archive) -> Browse:
    counts = len(archive.tags), len(archive.bureaus), len(archive.years)
    return Browse(*counts, top_tags=archive.tags[:12])


def _facet_index(facet: Facet, groups: tuple[Group, ...], archive: Archive) -> Page:
    regions: tuple[tuple[str, tuple[Group, ...]], ...] = ()
    if facet is Facet.BUREAU:
        regions = archive.regions
    view = FacetIndexView(facet, groups, regions)
    return Page(urls.facet_index_path(facet), "facet.html", view)


def _heading(group: Group) -> str:
    if group.facet is Facet.YEAR:
        return f"{group.name}年的答复"
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
    machine.append(Page(urls.FEED, "feed.xml", FeedView(newest, updated)))
    listed = tuple((p.path, _modified(p)) for p in pages if p.path != urls.NOT_FOUND)
    machine.append(Page(urls.SITEMAP, "sitemap.xml", SitemapView(listed)))
    return machine


def _modified(page: Page) -> datetime | None:
    return page.view.reply.published if isinstance(page.view, ReplyView) else None
