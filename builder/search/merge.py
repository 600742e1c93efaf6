"""Shards' Pagefind bundles merged into one bundle, for the browser.

The shards are what Pagefind can index (bounded memory, two at once, only the changed ones);
a reader should not pay for each: a merged bundle costs a first query one entry, one
metadata file and the index chunks of its words. (The search stage merges a few shards at
a time, see `search.merge_shards`: Pagefind's scoring is quadratic in a bundle's pages.)
This module writes a bundle in Pagefind's own format (1.5.2):

- every file but the entry and the scripts is `gzip("pagefind_dcd" + CBOR)`, named by the
  SHA-1 of its CBOR as Pagefind writes it (hex digits without zero padding): `zh_` and 7
  digits (index, filter and fragment files), 10 digits for the metadata; a name that
  collides with another file's takes one digit more;
- the metadata is `[version, pages, index chunks, filters, sorts, meta fields]`: a page is
  `[fragment hash, word count]` (the word counts are BM25's page lengths: the merged bundle
  ranks with Pagefind's own statistics over every page); a page's number is its place in
  that list, so each shard's pages are renumbered by the pages of the shards before it;
- an index chunk is `[[word, [[page, locations, meta locations], ...], extra], ...]`, a
  word's pages in increasing order, each page's number but the first's as the difference
  to the one before; words in Rust's string order (UTF-8 bytes, Python's code point order),
  cut as Pagefind cuts, once a chunk's size (one per page, plus its locations) reaches
  `CHUNK_SIZE`, but not between a word and the words it starts (`Chunker`);
  the metadata names each chunk's range by its first word's shortest prefix that tells it
  from the chunk before (as Pagefind does) and its last word whole (Pagefind cuts that one
  too, see `chunk_ranges`);
- meta locations name a meta field by its index in the metadata's list (negative numbers,
  `-1 - index`, switch the field): remapped when a shard's list is not the merged one;
- a filter is `[name, [[value, [pages]], ...]]`, a sort `[key, [pages in order]]`: a shard
  is a range of its sort keys, so the merged order is the shards' orders one after the other,
  by their ranges (`SortRange`).

The merge streams: it reads each shard's chunks in order, one at a time per shard, and merges
them word by word, so it holds a chunk per shard and the chunk it writes, never the index.
The fragments are the shards' own files (hard links). A file whose name (its content's hash)
is already there is not written again, and what the bundle no longer names is removed last,
after the entry that names the new metadata.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import shutil
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import cbor2

from builder.files import link_atomic, write_atomic, write_if_changed
from builder.parallel import WorkerFailed, in_processes

SIGNATURE = b"pagefind_dcd"
PAGEFIND_CHUNK_SIZE = 20_000
"""Pagefind's own size of an index chunk: pages plus their locations (pagefind/src/index)."""
CHUNK_SIZE = 4_000
"""A merged index chunk's size, cut as Pagefind cuts but at a fifth of its size. A query
loads, in each bundle, the chunk of each of its words: at 20,000 a word of 40 pages came in
a chunk of 20-30 kB, mostly other words'; at 4,000 in one of about 6 kB, for about 6 kB
more of metadata a bundle (the chunks' ranges and names). benchmarks/README.md, "A first
search query", 2026-12-04."""
FAMILY_LIMIT = 5
"""A chunk grows past `CHUNK_SIZE` to keep a word with the words that extend it (`Chunker`) up
to this many times that size: at 4,000 and 5, to Pagefind's own size."""
ENTRY = "pagefind-entry.json"
SCRIPTS = ("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind")
"""The bundle's files that are not the index: the same in every shard."""
FOLDERS = ("index", "filter", "fragment")
SUFFIX = {
    "index": "{}.pf_index",
    "filter": "{}.pf_filter",
    "fragment": "{}.pf_fragment",
    "": "pagefind.{}.pf_meta",
}
MIN_CHUNKS_A_WORKER = 40
"""A worker process is started for at least this many of the shards' index chunks (a
process costs about 0.3 s to start)."""
GZIP_LEVEL = 6
"""Pagefind's own (flate2's best)."""


class MergeError(Exception):
    """Bundles that cannot be merged (another version or language, unreadable files)."""


SortRange = tuple[str, str]
"""The least and greatest value of a sort key over a shard's pages."""


@dataclass(frozen=True)
class Bundle:
    """A shard's bundle: its folder and the ranges of its pages' sort keys."""

    folder: Path
    sorts: dict[str, SortRange] = field(default_factory=dict)


@dataclass
class MergeReport:
    pages: int = 0
    chunks: int = 0
    written: int = 0
    """Files written (a file already there under its name is not)."""
    removed: int = 0
    words: list[ChunkWords] = field(default_factory=list)
    """Each index chunk's first and last word and name, in order (what a `Patch` needs)."""
    made_from: tuple[str, ...] = ()
    """The `OpenShard.meta_name` of each bundle merged, in order (what a `Patch` needs)."""
    patched: bool = False
    """Only the chunks that hold changed words were read and written (see `Patch`)."""


ChunkWords = tuple[str, str, str]
"""An index chunk's first word, last word and name (the metadata holds a prefix of the first)."""


def read_blob(path: Path) -> bytes:
    """The CBOR of one of Pagefind's gzipped files."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise MergeError(f"{path}: {error}") from error
    if not data.startswith(SIGNATURE):
        raise MergeError(f"{path}: not a Pagefind file")
    return data[len(SIGNATURE) :]


def pack_blob(raw: bytes) -> bytes:
    return gzip.compress(SIGNATURE + raw, compresslevel=GZIP_LEVEL, mtime=0)


def full_hash(raw: bytes) -> str:
    """Pagefind's hash of a file's content: SHA-1, each byte in hex without padding."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(raw).digest())


@dataclass
class OpenShard:
    bundle: Bundle
    entry: dict[str, Any]
    language: str
    meta: list[Any]
    offset: int = 0
    fields: list[int] | None = None
    """Its meta fields' indexes in the merged list, when they differ from its own."""

    @property
    def folder(self) -> Path:
        return self.bundle.folder

    @property
    def meta_name(self) -> str:
        """Its metadata's name: the hash of the CBOR that names each of its index, filter
        and fragment files by the hash of its content, so it names the whole bundle."""
        return str(self.entry["languages"][self.language]["hash"])


def open_shard(bundle: Bundle) -> OpenShard:
    try:
        entry = json.loads((bundle.folder / ENTRY).read_text(encoding="utf-8"))
        (language, about), *others = entry["languages"].items()
    except (OSError, ValueError, KeyError) as error:
        raise MergeError(f"{bundle.folder}: {error}") from error
    if others:
        raise MergeError(f"{bundle.folder}: more than one language")
    try:
        meta = cbor2.loads(read_blob(bundle.folder / f"pagefind.{about['hash']}.pf_meta"))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise MergeError(f"{bundle.folder}: {error}") from error
    if not isinstance(meta, list) or len(meta) != 6:
        raise MergeError(f"{bundle.folder}: metadata of another Pagefind version")
    return OpenShard(bundle, entry, language, meta)


class Writer:
    """Writes the merged bundle's files, each only when its bytes are not there already."""

    def __init__(self, target: Path, language: str) -> None:
        self.target, self.language = target, language
        self.kept: set[Path] = set()
        self.hashes: dict[Path, str] = {}
        """The hash of each file this writer wrote or kept."""
        self.written = 0

    def blob(self, folder: str, raw: bytes, digits: int = 7) -> str:
        """Write a hashed file: named by `digits` of its hash, or more when a file of
        other content has that name (in this merge or left from another); the name."""
        digest = full_hash(raw)
        for length in range(digits, len(digest) + 1):
            name = f"{self.language}_{digest[:length]}"
            path = self.target / folder / (SUFFIX[folder].format(name))
            known = self.hashes.get(path)
            if known is None and not path.exists():
                self._replace(path, pack_blob(raw))
            elif known is None and _read_or_none(path) == raw:
                self.kept.add(path)
            elif known != digest:
                continue
            self.hashes[path] = digest
            return name
        raise MergeError(f"no name for a file of hash {digest}")

    def link(self, source: Path, name: str) -> None:
        """A fragment: a hard link to the shard's file (a copy across file systems)."""
        target = self.target / "fragment" / f"{name}.pf_fragment"
        self.kept.add(target)
        same = False
        try:
            if target.samefile(source):
                return
            # The same bytes from a shard indexed again: linked to the new file (the old
            # one goes with its shard's old bundle), not counted as written.
            same = target.read_bytes() == source.read_bytes()
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        # (the same bytes where hard links cannot be made: the copy there is right)
        if link_atomic(source, target, copy=not same):
            self.written += 0 if same else 1

    def file(self, name: str, data: bytes) -> None:
        """A file named otherwise than by its hash: written when its bytes changed."""
        path = self.target / name
        self.kept.add(path)
        self.written += write_if_changed(path, data)

    def _replace(self, path: Path, data: bytes) -> None:
        self.kept.add(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        self.written += 1


def _read_or_none(path: Path) -> bytes | None:
    try:
        return read_blob(path)
    except (OSError, ValueError, EOFError, MergeError):
        return None


def remove_stale(target: Path, report: MergeReport, kept: set[Path], keep: Sequence[str]) -> None:
    """Remove from `target` what the merged bundle does not name (but `keep`)."""
    for entry in list(target.iterdir()):
        if entry.name in keep or entry in kept:
            continue
        if entry.is_dir() and entry.name in FOLDERS:
            for file in entry.iterdir():
                if file not in kept:
                    file.unlink(missing_ok=True)
                    report.removed += 1
        elif entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            report.removed += 1
        else:
            entry.unlink(missing_ok=True)
            report.removed += 1


def merge_bundles(
    bundles: Sequence[Bundle],
    target: Path,
    keep: Sequence[str] = (),
    workers: int = 1,
    patch: Patch | None = None,
) -> MergeReport:
    """Merge the shards' `bundles` into one bundle in `target`, their pages in the order
    given, the index by `patch` when it can, else in `workers` processes (each a range of
    words); then remove from `target` what the bundle does not name, but the entries
    `keep`."""
    if not bundles:
        raise MergeError("no bundle to merge")
    shards = [open_shard(bundle) for bundle in bundles]
    first = shards[0]
    if any(s.language != first.language or s.meta[0] != first.meta[0] for s in shards):
        raise MergeError("the shards are of different languages or Pagefind versions")
    writer = Writer(target, first.language)
    fields = _meta_fields(shards)
    pages = _pages(shards, writer)
    words = patch(shards, fields, writer) if patch else None
    patched = words is not None
    if words is None:
        words = _index(shards, writer, workers)
    chunks = chunk_ranges(words)
    filters = _write_filters(shards, writer)
    meta = [first.meta[0], pages, chunks, filters, _sorts(shards), fields]
    meta_name = writer.blob("", cbor2.dumps(meta), digits=10)
    for script in SCRIPTS:
        if (first.folder / script).exists():
            writer.file(script, (first.folder / script).read_bytes())
    writer.file(ENTRY, _entry(first, meta_name, len(pages)))
    made_from = tuple(shard.meta_name for shard in shards)
    report = MergeReport(
        len(pages), len(chunks), writer.written, words=words, made_from=made_from, patched=patched
    )
    remove_stale(target, report, writer.kept, keep)
    return report


class Patch(Protocol):
    """Writes the merged index by changing the one in the target (`search.merge_patch`):
    given the opened shards (their offsets set), the merged meta fields and the writer,
    the chunks' `ChunkWords`, or None when it cannot (then every chunk is merged)."""

    def __call__(
        self, shards: list[OpenShard], fields: list[str], writer: Writer
    ) -> list[ChunkWords] | None: ...


def _entry(first: OpenShard, meta_name: str, page_count: int) -> bytes:
    """The entry file, as Pagefind writes it (serde_json, fields in its order)."""
    about = dict(first.entry["languages"][first.language])
    about.update(hash=meta_name, page_count=page_count)
    entry = dict(first.entry)
    entry["languages"] = {first.language: about}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


def _meta_fields(shards: list[OpenShard]) -> list[str]:
    """The merged list of meta fields (sorted, as Pagefind lists them), and each shard's
    mapping into it when its own list differs."""
    merged = sorted({name for shard in shards for name in shard.meta[5]})
    for shard in shards:
        if shard.meta[5] != merged:
            shard.fields = [merged.index(name) for name in shard.meta[5]]
    return merged


def _pages(shards: list[OpenShard], writer: Writer) -> list[list[Any]]:
    """The merged pages (fragment name, word count), each shard's after the ones before,
    with their fragments linked from the shards' files. Two shards' fragments of one name
    and other content (a collision of 7 hex digits) give the second a longer name."""
    pages: list[list[Any]] = []
    sources: dict[str, Path] = {}
    for shard in shards:
        shard.offset = len(pages)
        for name, word_count in shard.meta[1]:
            source = shard.folder / "fragment" / f"{name}.pf_fragment"
            merged = name
            if _differs(sources.get(name), source):
                digest = full_hash(read_blob(source))
                length = len(name) - len(shard.language)
                while _differs(sources.get(merged), source) and length < len(digest):
                    merged, length = f"{shard.language}_{digest[:length]}", length + 1
            sources[merged] = source
            writer.link(source, merged)
            pages.append([merged, word_count])
    return pages


def _differs(known: Path | None, source: Path) -> bool:
    return known is not None and known != source and known.read_bytes() != source.read_bytes()


@dataclass(frozen=True)
class _Source:
    """What a worker reads of a shard: its chunks that may hold words of its range."""

    folder: Path
    offset: int
    fields: list[int] | None
    chunks: list[str]


@dataclass(frozen=True)
class _Task:
    sources: list[_Source]
    low: str | None
    high: str | None
    target: Path
    language: str


def _index(shards: list[OpenShard], writer: Writer, workers: int) -> list[ChunkWords]:
    """The merged index chunks, written; their first and last words and names."""
    chunks = sum(len(shard.meta[2]) for shard in shards)
    bounds = [None, *_splits(shards, min(workers, chunks // MIN_CHUNKS_A_WORKER)), None]
    tasks = [
        _Task(_sources(shards, low, high), low, high, writer.target, writer.language)
        for low, high in zip(bounds, bounds[1:], strict=False)
    ]
    done = [_write_chunks(tasks[0])] if len(tasks) == 1 else _in_processes(tasks)
    words: list[ChunkWords] = []
    for found, kept, written in done:
        words += found
        writer.kept |= kept
        writer.written += written
    return words


def chunk_ranges(words: Sequence[ChunkWords]) -> list[list[str]]:
    """The metadata's [from, to, name] of each index chunk: its first word cut to the shortest
    prefix that tells it from the chunk before's last word (as Pagefind cuts), its last word
    whole.

    Pagefind cuts the last word too, and then looks a query's word up in the first chunk
    whose `from <= word <= to`. A chunk that ends with 养老, before one that starts with 兼,
    has `to` 养: 养老 is in no range, and Pagefind (1.5.2) falls back to loading chunks by
    their prefixes; it loaded the chunk before as well (at 10,000 replies, four more chunks,
    107 kB, for 养老). With the last word whole, each word of a chunk is in its range."""
    ranges = [list(chunk) for chunk in words]
    for before, after in zip(ranges, ranges[1:], strict=False):
        after[0] = _first_prefix(before[1], after[0])
    return ranges


WORKER = "builder.search.merge:_write_chunks"
"""What each merge process runs (`parallel.in_processes`)."""


def _in_processes(tasks: list[_Task]) -> list[tuple[list[ChunkWords], set[Path], int]]:
    try:
        return in_processes(WORKER, tasks)
    except WorkerFailed as error:
        raise MergeError(f"a merge worker failed: {error}") from error


def _splits(shards: list[OpenShard], workers: int) -> list[str]:
    """Words that cut the index into `workers` ranges of about as many chunks: a first
    character each, so that no word is in another range than the words it starts (a
    range's end is a cut, `Chunker`)."""
    starts = sorted(chunk[0] for shard in shards for chunk in shard.meta[2][1:])
    cuts = {starts[len(starts) * n // workers][:1] for n in range(1, workers) if starts}
    return sorted(cuts)


def _sources(shards: list[OpenShard], low: str | None, high: str | None) -> list[_Source]:
    """Each shard's chunks that may hold words in [low, high): a chunk holds words from
    its own `from` up to (not including) the next chunk's."""
    sources = []
    for shard in shards:
        chunks = shard.meta[2]
        names = [
            chunk[2]
            for n, chunk in enumerate(chunks)
            if (high is None or chunk[0] < high)
            and (low is None or n + 1 == len(chunks) or chunks[n + 1][0] > low)
        ]
        sources.append(_Source(shard.folder, shard.offset, shard.fields, names))
    return sources


def _words(source: _Source, task: _Task) -> Iterator[tuple[str, int, list[Any]]]:
    """A shard's words in the task's range, in order, one chunk read at a time."""
    for name in source.chunks:
        (words,) = cbor2.loads(read_blob(source.folder / "index" / f"{name}.pf_index"))
        for word in words:
            if (task.low is not None and word[0] < task.low) or (
                task.high is not None and word[0] >= task.high
            ):
                continue
            if source.fields is not None:
                for page in word[1]:
                    page[2] = remap(page[2], source.fields)
            yield word[0], source.offset, word


def remap(locations: list[int], fields: list[int]) -> list[int]:
    return [-1 - fields[-1 - n] if n < 0 else n for n in locations]


def _merged_words(task: _Task) -> Iterator[list[Any]]:
    """Every word once, in order, with the pages of every shard that has it (shard order).

    A word's pages are in increasing order, each but the first as the difference to the
    page before: a shard's list is renumbered by changing its first page, made the
    difference to the last page of the shards before (or its number plus the offset)."""
    current: list[Any] | None = None
    last = 0
    for word, offset, entry in heapq.merge(*(_words(source, task) for source in task.sources)):
        pages = entry[1]
        joined = current is not None and current[0] == word
        base = last if joined else 0
        if pages:
            local_last = sum(page[0] for page in pages)
            pages[0][0] += offset - base
            last = offset + local_last
        if joined:
            assert current is not None
            current[1].extend(pages)
            current[2].extend(x for x in entry[2] if x not in current[2])
            continue
        if current is not None:
            yield current
        current = entry
    if current is not None:
        yield current


def _write_chunks(task: _Task) -> tuple[list[ChunkWords], set[Path], int]:
    """Write the merged chunks of a range of words, cut as Pagefind cuts (`Chunker`). Their
    `ChunkWords`, the files kept and the number written."""
    chunker = Chunker(Writer(task.target, task.language))
    for word in _merged_words(task):
        chunker.add(word)
    chunker.close()
    return chunker.words, chunker.writer.kept, chunker.writer.written


class Chunker:
    """Cuts a stream of words into index chunks as Pagefind cuts, once a chunk's size (one per
    page, plus its locations) reaches `CHUNK_SIZE`, but not between a word and the words that
    extend it (养老, 养老院, 养老服务) before `FAMILY_LIMIT` times that size; writes each.

    Pagefind looks each word of a query up in one chunk only, the one whose range holds it,
    and matches the words it starts among that chunk's words alone: a chunk cut between
    养老 and 养老院 leaves 养老院's pages out of a search for 养老. So a cut is decided at the
    next word, by the chunk and that word (`OpenChunk.ends_before`)."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.words: list[ChunkWords] = []
        self.open = OpenChunk()

    def add(self, word: list[Any]) -> None:
        if self.open.words and self.open.ends_before(word[0]):
            self.close()
        self.open.take(word)

    def close(self) -> None:
        """Write the chunk begun, if any (at the end of the words)."""
        if self.open.words:
            words = self.open.words
            name = self.writer.blob("index", cbor2.dumps([words]))
            self.words.append((words[0][0], words[-1][0], name))
            self.open = OpenChunk()


@dataclass
class OpenChunk:
    """The words of a chunk begun, its size, and its words that the last one starts with
    (itself included): the words a next word may extend."""

    words: list[Any] = field(default_factory=list)
    size: int = 0
    stems: list[str] = field(default_factory=list)

    def take(self, word: list[Any]) -> None:
        self.words.append(word)
        self.size += word_size(word)
        self.stems = [*(stem for stem in self.stems if word[0].startswith(stem)), word[0]]

    def ends_before(self, word: str) -> bool:
        """Whether the chunk is cut before `word`, the next word in order."""
        if self.size >= CHUNK_SIZE * FAMILY_LIMIT:
            return True
        return self.size >= CHUNK_SIZE and not any(word.startswith(s) for s in self.stems)


def word_size(word: list[Any]) -> int:
    """What a word counts towards its chunk's size."""
    return sum(len(page[1]) + len(page[2]) + 1 for page in word[1])


def _first_prefix(last: str, first: str) -> str:
    """The shortest prefix of a chunk's first word that differs from the chunk before's last
    word (the second of Pagefind's `get_prefixes`, by characters)."""
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    return first[: common + 1]


def _write_filters(shards: list[OpenShard], writer: Writer) -> list[list[str]]:
    """Each filter's values and their renumbered pages, one file a filter."""
    merged: dict[str, dict[str, list[int]]] = {}
    for shard in shards:
        for _, chunk in shard.meta[3]:
            filter_name, values = cbor2.loads(
                read_blob(shard.folder / "filter" / f"{chunk}.pf_filter")
            )
            into = merged.setdefault(filter_name, {})
            for value, pages in values:
                into.setdefault(value, []).extend(page + shard.offset for page in pages)
    listed = []
    for name in sorted(merged):
        values = [[value, merged[name][value]] for value in sorted(merged[name])]
        listed.append([name, writer.blob("filter", cbor2.dumps([name, values]))])
    return listed


def _sorts(shards: list[OpenShard]) -> list[list[Any]]:
    """Each sort key's pages in order: the shards' own orders, the shard with the least
    values first. The shards' ranges must not overlap (equal ends may meet)."""
    keys = sorted({key for shard in shards for key, _ in shard.meta[4]})
    sorts = []
    for key in keys:
        having = [shard for shard in shards if any(k == key for k, _ in shard.meta[4])]
        ordered = sorted(having, key=lambda shard: _range(shard, key))
        for lower, upper in zip(ordered, ordered[1:], strict=False):
            if _range(lower, key)[1] > _range(upper, key)[0]:
                raise MergeError(f"the shards' ranges of {key!r} overlap")
        pages: list[int] = []
        for shard in ordered:
            own = next(p for k, p in shard.meta[4] if k == key)
            pages.extend(page + shard.offset for page in own)
        sorts.append([key, pages])
    return sorts


def _range(shard: OpenShard, key: str) -> SortRange:
    found = shard.bundle.sorts.get(key)
    if found is None:
        raise MergeError(f"{shard.folder}: no range given for the sort key {key!r}")
    return found
