"""Reading a built site back: links, metadata and headings from its HTML."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageReader(HTMLParser):
    """Collects what the tests look at: links, headings, the reply's metadata list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.h1: list[str] = []
        self.meta: dict[str, str] = {}
        self.times: dict[str, str] = {}
        self.lang = ""
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._text: list[str] = []
        self._in_meta = False
        self._dt = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        for attribute in ("href", "src"):
            if attribute in values and tag != "form":
                self.links.append(values[attribute])
        if tag == "form" and "action" in values:
            self.links.append(values["action"])
        if tag == "html":
            self.lang = values.get("lang", "")
        if tag == "dl" and "reply-fields" in values.get("class", "").split():
            self._in_meta = True
        if tag == "time" and self._in_meta:
            self._time = values.get("datetime", "")
        if tag in ("h1", "dt", "dd"):
            self._text = []
        self._stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        text = "".join(self._text).strip()
        if tag == "h1":
            self.h1.append(text)
        elif tag == "dt" and self._in_meta:
            self._dt = text
        elif tag == "dd" and self._in_meta:
            self.meta[self._dt] = text
            if getattr(self, "_time", ""):
                self.times[self._dt] = self._time
                self._time = ""
        elif tag == "dl":
            self._in_meta = False

    def handle_data(self, data: str) -> None:
        self._text.append(data)


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


def broken_links(site: Path) -> list[str]:
    """Every internal href/src that does not name a file in the site, as `page -> link`."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        page_path = page.relative_to(site).as_posix()
        for link in read_page(page).links:
            problem = link_problem(site, page_path, link)
            if problem:
                broken.append(f"{page_path} -> {link}: {problem}")
    return broken


def link_problem(site: Path, page_path: str, link: str) -> str:
    parts = urlsplit(link)
    if parts.scheme in ("http", "https", "mailto", "tel"):
        return ""
    if parts.scheme or parts.netloc:
        return "not a relative link"
    if not parts.path:
        return "" if link.startswith("#") else "empty link"
    if parts.path.startswith("/"):
        return "root-absolute"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path)))
    if target.startswith(".."):
        return "outside the site"
    if not (site / target).is_file():
        return "a directory" if (site / target).is_dir() else "no such file"
    return ""
