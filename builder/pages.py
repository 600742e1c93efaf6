"""The plan: every page the site has, with the view object its template receives."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from builder import urls
from builder.archive import Archive, Facet, Group, Neighbours
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
class ReplyView:
    reply: Reply
    neighbours: Neighbours
    tags: tuple[Group, ...]
    bureau: Group
    year: Group


@dataclass(frozen=True)
class ListingView:
    """One page of a list of replies: the home page, or a tag, bureau or year."""

    heading: str
    entries: tuple[Reply, ...]
    count: int
    pagination: Pagination
    start: int
    """The position of the first entry in the whole list, from 1."""
    group: Group | None = None


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
    pages = [_reply_page(archive, reply) for reply in archive.replies]
    pages += _listing_pages(urls.home_path, "全部答复", archive.replies, config.page_size)
    for facet, groups in _facets(archive):
        pages.append(_facet_index(facet, groups, archive))
        for group in groups:
            pages += _group_pages(group, config.page_size)
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


def _reply_page(archive: Archive, reply: Reply) -> Page:
    groups = archive.groups_of(reply)
    view = ReplyView(
        reply=reply,
        neighbours=archive.neighbours[reply.slug],
        tags=tuple(g for g in groups if g.facet is Facet.TAG),
        bureau=archive.group(Facet.BUREAU, reply.bureau),
        year=archive.group(Facet.YEAR, str(reply.year)),
    )
    return Page(urls.reply_path(reply), "reply.html", view)


def _facet_index(facet: Facet, groups: tuple[Group, ...], archive: Archive) -> Page:
    regions: tuple[tuple[str, tuple[Group, ...]], ...] = ()
    if facet is Facet.BUREAU:
        regions = tuple((name, tuple(gs)) for name, gs in archive.bureaus_by_region())
    view = FacetIndexView(facet, groups, regions)
    return Page(urls.facet_index_path(facet), "facet.html", view)


def _group_pages(group: Group, page_size: int) -> list[Page]:
    return _listing_pages(
        lambda n: urls.group_path(group, n), _heading(group), group.replies, page_size, group
    )


def _heading(group: Group) -> str:
    if group.facet is Facet.YEAR:
        return f"{group.name}年的答复"
    return f"{group.facet.label}：{group.name}"


def _listing_pages(
    path_of_page: Callable[[int], str],
    heading: str,
    replies: Sequence[Reply],
    page_size: int,
    group: Group | None = None,
) -> list[Page]:
    chunks = list(_chunks(replies, page_size)) or [()]
    paths = tuple(path_of_page(n) for n in range(1, len(chunks) + 1))
    return [
        Page(
            paths[i],
            "listing.html",
            ListingView(
                heading,
                chunk,
                len(replies),
                Pagination(i + 1, paths),
                start=i * page_size + 1,
                group=group,
            ),
        )
        for i, chunk in enumerate(chunks)
    ]


def _chunks(replies: Sequence[Reply], size: int) -> Iterator[tuple[Reply, ...]]:
    for start in range(0, len(replies), size):
        yield tuple(replies[start : start + size])


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
