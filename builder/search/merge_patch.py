"""A merged bundle's index patched after a shard was indexed again, instead of merged anew.

An edit re-indexes one shard, and its merged bundle (about 2,500 pages) used to be merged
again whole: every index chunk of every shard read, merged and encoded, about 2 s, to
write the few chunks that hold the edited page's words. A `BundlePatch` reads the shard's
bundle before and after (the bundle before is kept by `shards.index_shard` until the merge,
see `shards.PREVIOUS_DIR`) and finds the words whose pages changed. Each merged word is its
shards' pages one shard after the other, so such a word's pages are the ones it had, with
those of the shard's range of page numbers replaced. Only the chunks that hold a changed
word are read and written again; a chunk that holds none is kept as it is, once the
chunks before it end where they ended (a chunk is cut once it reaches `merge.CHUNK_SIZE`,
at a word that extends none of its words: a chunk that grew or shrank moves the cuts after
it until one falls where it fell before, and the chunks between are written again too).

The patched index holds the words and pages a whole merge gives; a bundle merged in one
range of words (one process) is the one a whole merge writes, file for file (tests/search/
test_merge_patch.py checks both on random edits). A bundle merged in two ranges keeps its
cut between them. A patch is made only when everything it relies on is checked: each
bundle the target was merged from is the one named (by `OpenShard.meta_name`, which names
every file of a bundle by its content) for its place, as the shard's bundle now or, for a
shard indexed again since, its bundle before; the changed shards have as many pages as
before; the meta fields are the same; and the chunks' words kept from the last merge are
those of the chunks the target's metadata names. A file that cannot be read makes the
bundle merged whole. So do changed words in more than `MAX_SHARE` of the chunks (a merge
in two processes is then faster).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from builder.search import merge
from builder.search.merge import (
    ENTRY,
    Bundle,
    Chunker,
    ChunkWords,
    MergeError,
    OpenShard,
    Writer,
    open_shard,
    read_blob,
    remap,
    word_size,
)

MAX_SHARE = 0.5
"""A patch reads and writes at most this share of the chunks (in one process)."""

Pages = list[list[Any]]
"""A word's pages: [page number, locations, meta locations], each number but the first the
difference to the one before."""


@dataclass(frozen=True)
class _Change:
    """The pages of a word in one changed shard, numbered in the merged bundle (absolute),
    or none: the shard's pages are the range [low, high)."""

    low: int
    high: int
    pages: list[tuple[int, list[Any]]]


@dataclass(frozen=True)
class BundlePatch:
    """What a merged bundle was made from: the bundles it took of the shards indexed again
    since (by their place in the merge), the `OpenShard.meta_name` of each bundle it merged
    (`MergeReport.made_from`) and the `ChunkWords` of its index. Called as a `merge.Patch`."""

    previous: Mapping[int, Bundle]
    made_from: tuple[str, ...]
    words: tuple[ChunkWords, ...]

    def __call__(
        self, shards: list[OpenShard], fields: list[str], writer: Writer
    ) -> list[ChunkWords] | None:
        try:
            changes = self._changes(shards, fields, writer.target)
            if changes is None:
                return None
            firsts = [chunk[0] for chunk in self.words]
            by_chunk: dict[int, list[str]] = {}
            for word in sorted(changes):  # (the chunk whose words it falls among)
                place = max(0, bisect.bisect_right(firsts, word) - 1)
                by_chunk.setdefault(place, []).append(word)
            if len(by_chunk) > MAX_SHARE * len(self.words):
                return None
            own = Writer(writer.target, writer.language)
            words = self._write(changes, by_chunk, own)
        except (OSError, LookupError, TypeError, ValueError, MergeError, cbor2.CBORError):
            return None  # (a file damaged, or of another form: merged whole)
        writer.kept |= own.kept  # (what it wrote when it failed is not kept: removed later)
        writer.hashes.update(own.hashes)
        writer.written += own.written
        return words

    def _changes(
        self, shards: list[OpenShard], fields: list[str], target: Path
    ) -> dict[str, list[_Change]] | None:
        """The changed words and their changes, when the target is what this patch says."""
        meta = _meta_of(target)
        if meta is None or meta[0] != shards[0].meta[0] or meta[5] != fields:
            return None
        if [chunk[2] for chunk in meta[2]] != [chunk[2] for chunk in self.words]:
            return None
        if not self.words or not _chunks_there(target, self.words):
            return None
        if len(meta[1]) != sum(len(shard.meta[1]) for shard in shards):
            return None
        if len(self.made_from) != len(shards):
            return None
        changes: dict[str, list[_Change]] = {}
        for place, shard in enumerate(shards):
            before = open_shard(self.previous[place]) if place in self.previous else shard
            if before.meta_name != self.made_from[place]:
                return None  # (not the bundle merged: the shard indexed again, twice, ...)
            if len(before.meta[1]) != len(shard.meta[1]):
                return None
            if before is not shard and not _changed_words(before, shard, fields, changes):
                return None
        return changes

    def _write(
        self, changes: dict[str, list[_Change]], by_chunk: dict[int, list[str]], writer: Writer
    ) -> list[ChunkWords]:
        """Write the chunks that hold changed words, and those after them up to a cut where
        one was; keep the others. A cut is decided at the next word (`merge.Chunker`), and
        the cut before an unchanged chunk stays where it was unless the chunk before it
        changed: a word inserted or removed at a chunk's start is among the words of the
        chunk before it, or does not extend any of them. A chunk that was cut short of
        `CHUNK_SIZE` (the end of a merge process's range of words) is cut there again."""
        chunker = Chunker(writer)
        for number, (first, last, name) in enumerate(self.words):
            path = writer.target / "index" / f"{name}.pf_index"
            if number not in by_chunk and (
                not chunker.open.words or chunker.open.ends_before(first)
            ):
                chunker.close()
                writer.kept.add(path)  # the chunks before end where they did: as it was
                chunker.words.append((first, last, name))
                continue
            (words,) = cbor2.loads(read_blob(path))
            cut_short = sum(word_size(word) for word in words) < merge.CHUNK_SIZE
            for word in _patched(words, by_chunk.get(number, []), changes):
                chunker.add(word)
            if cut_short:
                chunker.close()
        chunker.close()
        return chunker.words


def _meta_of(target: Path) -> list[Any] | None:
    try:
        entry = json.loads((target / ENTRY).read_text(encoding="utf-8"))
        ((_, about),) = entry["languages"].items()
        meta = cbor2.loads(read_blob(target / f"pagefind.{about['hash']}.pf_meta"))
    except (KeyError, TypeError, AttributeError):
        return None
    return meta if isinstance(meta, list) and len(meta) == 6 else None


def _chunks_there(target: Path, words: Sequence[ChunkWords]) -> bool:
    return all((target / "index" / f"{name}.pf_index").is_file() for _, _, name in words)


def _changed_words(
    before: OpenShard, after: OpenShard, fields: list[str], changes: dict[str, list[_Change]]
) -> bool:
    """Add to `changes` the words whose pages in a shard differ from the ones it had; False
    when a word cannot be patched (a word of no page, or with extra data), or when more than
    `MAX_SHARE` of the shard's chunks changed (an edit that adds or removes a word moves the
    locations of every word after it in its page: then most of the merged chunks change
    too, and a whole merge is quicker). The chunks both bundles have (by name: the hash of
    their content) hold the same words and pages, and a word is in one chunk only: only
    the others are read."""
    same = set()
    if before.meta[5] == after.meta[5]:
        same = {chunk[2] for chunk in before.meta[2]} & {chunk[2] for chunk in after.meta[2]}
    if len(after.meta[2]) - len(same) > MAX_SHARE * len(after.meta[2]):
        return False  # (words moved all through the shard: through the bundle too)
    old = _words_of(before, fields, same)
    new = _words_of(after, fields, same)
    if old is None or new is None:
        return False
    low, high = after.offset, after.offset + len(after.meta[1])
    for word in old.keys() | new.keys():
        pages = new.get(word, [])
        if old.get(word, []) != pages:
            changes.setdefault(word, []).append(_Change(low, high, _numbered(pages, low)))
    return True


def _words_of(shard: OpenShard, fields: list[str], skipped: set[str]) -> dict[str, Pages] | None:
    """A shard's words and their pages, meta locations renumbered by the merged `fields`,
    but those of the chunks `skipped`."""
    mapping = [fields.index(name) if name in fields else -1 for name in shard.meta[5]]
    if -1 in mapping:
        return None
    renumber = mapping != list(range(len(mapping)))
    words: dict[str, Pages] = {}
    for _, _, name in shard.meta[2]:
        if name in skipped:
            continue
        (chunk,) = cbor2.loads(read_blob(shard.folder / "index" / f"{name}.pf_index"))
        for word in chunk:
            if not word[1] or len(word) != 3 or word[2]:
                return None
            if renumber:
                for page in word[1]:
                    page[2] = remap(page[2], mapping)
            words[word[0]] = word[1]
    return words


def _numbered(pages: Pages, offset: int) -> list[tuple[int, list[Any]]]:
    """A shard's pages of a word with their page numbers in the merged bundle."""
    numbered, number = [], offset
    for page in pages:
        number += page[0]
        numbered.append((number, page))
    return numbered


def _patched(
    words: list[list[Any]], changed: list[str], changes: dict[str, list[_Change]]
) -> Iterator[list[Any]]:
    """A chunk's words with the `changed` ones (in order) patched, added or left out (when
    no page is left: Pagefind writes no word without pages). The changed shards' words have
    no extra data (see `_words_of`): a word's extra data is the other shards', as it was."""
    position = 0
    for word in changed:
        while position < len(words) and words[position][0] < word:
            yield words[position]
            position += 1
        found = position < len(words) and words[position][0] == word
        entry: list[Any] = words[position] if found else [word, [], []]
        position += found
        pages = _numbered(entry[1], 0)
        for change in changes[word]:
            pages = _replaced(pages, change)
        if pages:
            yield [word, _differences(pages), *entry[2:]]
    yield from words[position:]


def _replaced(pages: list[tuple[int, list[Any]]], change: _Change) -> list[tuple[int, list[Any]]]:
    before = [page for page in pages if page[0] < change.low]
    after = [page for page in pages if page[0] >= change.high]
    return [*before, *change.pages, *after]


def _differences(pages: list[tuple[int, list[Any]]]) -> Pages:
    """Pages numbered in the bundle back to Pagefind's form (differences)."""
    encoded, last = [], 0
    for number, page in pages:
        encoded.append([number - last, *page[1:]])
        last = number
    return encoded
