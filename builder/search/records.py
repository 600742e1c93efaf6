"""What the search stage reads from the written HTML: one record per indexed page.

The templates mark what is searchable with Pagefind's attributes, and this module reads the
same markers, so the offline index and Pagefind see the same text, metadata and filters:

- `data-pagefind-body`: only pages that have it are indexed, and only inside it;
- `data-pagefind-ignore` (or `="index"`): its text is left out, its markers still count;
  `="all"` leaves out everything inside;
- `data-pagefind-meta`, `-filter`, `-sort`: `"key"` takes the element's text, `"key:value"`
  a literal, `"key[attr]"` an attribute; several are separated by commas;
- `data-pagefind-weight` above 1, and `<h1>`: title and metadata text (the record's `head`),
  ranked above the rest (its `body`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from builder.parallel import forked_pool, worker_count
from builder.sources import Stat, stat_of

VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param")
    + ("source", "track", "wbr")
)
INLINE = frozenset(
    ("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark")
    + ("q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time")
    + ("u", "var", "wbr")
)
SKIPPED = frozenset(("script", "style", "template", "noscript", "svg"))
MARKERS = ("meta", "filter", "sort")
PARALLEL_FROM = 400
"""From this many pages to read, forked workers pay for their start."""
_SPACE = re.compile(r"[ \t\r\n\f]+")


@dataclass(frozen=True)
class Record:
    """One indexed page: where it is, what it shows in a result, and its searchable text."""

    path: str
    meta: dict[str, str]
    filters: dict[str, tuple[str, ...]]
    sort: dict[str, str]
    head: str
    body: str


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    ignored: bool
    head: bool
    captures: list[tuple[str, str]] = field(default_factory=list)
    """(marker, key) pairs that take this element's text when it closes."""
    text: list[str] = field(default_factory=list)


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Element] = []
        self.found_body = False
        self.depth_in_body = 0
        self.skip_depth = 0
        self.markers: dict[str, dict[str, list[str]]] = {m: {} for m in MARKERS}
        self.head: list[str] = []
        self.body: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in SKIPPED:
            self.skip_depth += 1
        if not self.depth_in_body and "data-pagefind-body" not in values:
            return
        self.found_body = True
        self._open(tag, values)
        if tag in VOID:
            self._close()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.depth_in_body:
            self._close()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        if not self.depth_in_body or tag in VOID:
            return
        while self.stack and self.stack[-1].tag != tag:
            self._close()  # an element left open: close it with its parent
        if self.stack:
            self._close()

    def handle_data(self, data: str) -> None:
        if not self.depth_in_body or self.skip_depth:
            return
        for element in self.stack:
            if element.captures:
                element.text.append(data)
        top = self.stack[-1]
        if not top.ignored:
            (self.head if top.head else self.body).append(data)

    def _open(self, tag: str, attrs: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else None
        ignore = attrs.get("data-pagefind-ignore")
        if parent is not None and parent.attrs.get("data-pagefind-ignore") == "all":
            attrs = {**attrs, "data-pagefind-ignore": "all"}
            ignore = "all"
        element = _Element(
            tag,
            attrs,
            ignored=(parent is not None and parent.ignored) or ignore is not None,
            head=_is_head(tag, attrs, parent),
        )
        if ignore != "all":
            for marker in MARKERS:
                self._read_marker(element, marker)
        self._separate(tag)
        self.stack.append(element)
        self.depth_in_body += 1

    def _close(self) -> None:
        element = self.stack.pop()
        self.depth_in_body -= 1
        text = _clean("".join(element.text))
        for marker, key in element.captures:
            if text:
                self.markers[marker].setdefault(key, []).append(text)
        self._separate(element.tag)

    def _separate(self, tag: str) -> None:
        # Block boundaries become line breaks, so no match spans two blocks.
        if tag not in INLINE:
            self.head.append("\n")
            self.body.append("\n")

    def _read_marker(self, element: _Element, marker: str) -> None:
        spec = element.attrs.get(f"data-pagefind-{marker}")
        if spec is None:
            return
        for part in _split_spec(spec):
            key, value = _parse_part(part, element.attrs)
            if value is None:
                element.captures.append((marker, key))
            elif key and value.strip():
                self.markers[marker].setdefault(key, []).append(_clean(value))


def _is_head(tag: str, attrs: dict[str, str], parent: _Element | None) -> bool:
    weight = attrs.get("data-pagefind-weight")
    if weight is not None:
        try:
            return float(weight) > 1
        except ValueError:
            return False
    return tag == "h1" or (parent is not None and parent.head)


def _split_spec(spec: str) -> list[str]:
    """Pagefind's `a:1, b:2`; a backslash keeps a comma inside a value."""
    parts = re.split(r"(?<!\\),", spec)
    return [p.replace("\\,", ",").strip() for p in parts if p.strip()]


def _parse_part(part: str, attrs: dict[str, str]) -> tuple[str, str | None]:
    """`key` (the element's text: None), `key:value`, or `key[attribute]`."""
    attribute = re.fullmatch(r"([^\[\]:]+)\[([^\]]+)\]", part)
    if attribute:
        return attribute.group(1).strip(), attrs.get(attribute.group(2).strip(), "")
    if ":" in part:
        key, value = part.split(":", 1)
        return key.strip(), value
    return part, None


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _lines(parts: list[str]) -> str:
    lines = (_clean(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def read_record(html: str, path: str) -> Record | None:
    """The record of one written page, or None when the page has no `data-pagefind-body`."""
    marker = html.find("data-pagefind-body")
    if marker < 0:
        return None
    reader = _PageReader()
    reader.feed(html[html.rfind("<", 0, marker) :])  # from the element that holds it
    reader.close()
    if not reader.found_body:
        return None
    while reader.stack:
        reader._close()
    marks = reader.markers
    return Record(
        path=path,
        meta={key: values[0] for key, values in marks["meta"].items()},
        filters={key: tuple(dict.fromkeys(values)) for key, values in marks["filter"].items()},
        sort={key: values[0] for key, values in marks["sort"].items()},
        head=_lines(reader.head),
        body=_lines(reader.body),
    )


def read_records(output: Path) -> list[Record]:
    """Every indexed page under `output`, in path order."""
    return records_of(read_pages(output, {}))


@dataclass(frozen=True)
class PageRead:
    """What one written page gave the search stage, and how to tell whether it changed."""

    stat: Stat
    """The output gate replaces a page it changes: a new time, if not a new size."""
    digest: bytes
    """`indexed_digest`: a shard's fingerprint is made of its pages' digests."""
    record: Record | None


Pages = dict[str, PageRead]
"""By path in the output folder (`replies/2025/x.html`)."""


def read_pages(output: Path, known: Pages, listed: Mapping[str, Stat] | None = None) -> Pages:
    """Every HTML page under `output` (or those `listed`, with their stats: what the output
    gate wrote); a page whose stat is as in `known` is not read again (parsing 10,000
    replies takes seconds, a stat of each a few milliseconds)."""
    pages: Pages = {}
    unread: list[tuple[str, str, Stat]] = []
    for path, file, stat in _listed(output, listed) if listed is not None else _found(output):
        before = known.get(path)
        if before is not None and before.stat == stat:
            pages[path] = before
        else:
            unread.append((path, str(file), stat))
    pages.update(_read_all(unread))
    return pages


def _read_all(unread: list[tuple[str, str, Stat]]) -> Iterator[tuple[str, PageRead]]:
    workers = worker_count()
    if len(unread) < PARALLEL_FROM or workers == 1:
        yield from _read_some(unread)
        return
    size = max(50, len(unread) // (workers * 8))
    chunks = [unread[start : start + size] for start in range(0, len(unread), size)]
    with forked_pool(workers) as pool:
        for done in pool.imap_unordered(_read_some_list, chunks):
            yield from done


def _read_some_list(unread: list[tuple[str, str, Stat]]) -> list[tuple[str, PageRead]]:
    return list(_read_some(unread))


def _read_some(unread: list[tuple[str, str, Stat]]) -> Iterator[tuple[str, PageRead]]:
    for path, file, stat in unread:
        try:
            data = Path(file).read_bytes()
        except FileNotFoundError:  # (removed since it was listed: not a page of the site)
            continue
        record = read_record(data.decode("utf-8", "replace"), path)
        yield path, PageRead(stat, indexed_digest(data, record), record)


_INDEX_MARKUP = re.compile(rb"\s(data-pagefind-[\w-]+(?:=\"[^\"]*\")?|id=\"[^\"]*\")")


def indexed_digest(data: bytes, record: Record | None) -> bytes:
    """The digest of what Pagefind makes of a page: its record (text, metadata, filters,
    sort keys) and its markers and ids (weights, anchors), not the rest of its bytes. A
    reply whose footer names a neighbour's new title (text Pagefind ignores) keeps it, so
    an edit re-indexes the edited reply's shard only, not the neighbours'."""
    if record is None:
        return hashlib.blake2b(data, digest_size=16).digest()
    digest = hashlib.blake2b(repr(record).encode(), digest_size=16)
    digest.update(b"\0".join(_INDEX_MARKUP.findall(data)))
    return digest.digest()


def fingerprint(named: Iterable[tuple[str, bytes]], key: bytes = b"") -> bytes:
    """The digest of `key` and of (name, digest) pairs in order: what a shard, a merged
    bundle and the offline index were made from (its pages, or its shards)."""
    digest = hashlib.blake2b(key, digest_size=16)
    for name, part in named:
        digest.update(name.encode() + b"\0" + part)
    return digest.digest()


def records_of(pages: Pages) -> list[Record]:
    """The indexed pages' records, in path order."""
    records = (pages[path].record for path in sorted(pages))
    return [record for record in records if record is not None]


def _found(output: Path) -> Iterator[tuple[str, Path, Stat]]:
    for path, file in _html_files(output):
        yield path, file, stat_of(file.stat())


def _listed(output: Path, listed: Mapping[str, Stat]) -> Iterator[tuple[str, Path, Stat]]:
    for path in sorted(listed):
        if path.endswith(".html") and not any(part.startswith(".") for part in path.split("/")):
            yield path, output / path, listed[path]


def _html_files(output: Path) -> Iterator[tuple[str, Path]]:
    for folder, subfolders, files in os.walk(output):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        base = Path(folder)
        for name in files:
            if name.endswith(".html"):
                file = base / name
                yield file.relative_to(output).as_posix(), file
