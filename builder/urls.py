"""Where each page lives, and the relative link from one page to another.

Every link the site makes is relative and names a file (never a directory), so the same
output works at a host's root, under a sub-path, and opened from disk through file://.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from builder.archive import Facet, Group
from builder.model import Reply

HOME = "index.html"
SEARCH = "search.html"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
STATIC = "static"
STATISTICS = "stats/index.html"
DOWNLOADS = "data/index.html"


def reply_path(reply: Reply) -> str:
    return f"replies/{reply.year}/{reply.slug}.html"


def home_path(page: int = 1) -> str:
    return HOME if page == 1 else f"page/{page}.html"


def facet_index_path(facet: Facet) -> str:
    return f"{facet.value}/index.html"


def group_path(group: Group, page: int = 1) -> str:
    folder = f"{group.facet.value}/{group.slug}"
    return f"{folder}/index.html" if page == 1 else f"{folder}/{page}.html"


def group_feed_path(group: Group) -> str:
    return f"{group.facet.value}/{group.slug}/feed.xml"


def static_path(name: str) -> str:
    return f"{STATIC}/{name}"


def path_of(target: Reply | Group | Facet | str) -> str:
    """The output path of anything a page can link to; a `str` is already a path."""
    if isinstance(target, Reply):
        return reply_path(target)
    if isinstance(target, Group):
        return group_path(target)
    if isinstance(target, Facet):
        return facet_index_path(target)
    return target


def relative(from_path: str, to_path: str) -> str:
    """The link from the page at `from_path` to the file at `to_path`, both output paths."""
    link = posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")
    return link


def is_inside_output(path: str) -> bool:
    """An output path may not climb out of the output folder or be absolute."""
    normal = posixpath.normpath(path)
    return not (normal.startswith(("/", "../")) or normal == ".." or "\\" in path)


def site_root(base_url: str) -> str:
    """The path of the site's root on its own host (`/`, or `/replies/` for a site under
    a folder): 404.html links with it, since it is served at any depth but must never load
    its style or script from the absolute base (another host, or none when offline)."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"
