"""The shards' bundles merged into one (builder/search/merge.py): the merge reads and writes
Pagefind's format exactly, and the merged bundle holds, word for word and page for page,
what one Pagefind run over every page holds (the browser's side: tests/browser/
test_search_shards.py)."""

from __future__ import annotations

import gzip
import itertools
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cbor2
import pytest

from benchmarks.generate import generate
from builder import search
from builder.build import BuildOptions, build
from builder.config import Config
from builder.search import merge as merge_module
from builder.search import shards as shards_module
from builder.search.merge import (
    CHUNK_SIZE,
    FAMILY_LIMIT,
    PAGEFIND_CHUNK_SIZE,
    Bundle,
    Chunker,
    MergeError,
    Writer,
    _first_prefix,
    full_hash,
    merge_bundles,
    pack_blob,
    read_blob,
)
from builder.search.shards import SHARDS_DIR, Indexer, Shard, index_shard

REPLIES = 30


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A site indexed in shards of 3 to 6 pages and merged, and beside it, the bundle of
    one Pagefind run over all its pages."""
    root = tmp_path_factory.mktemp("merge")
    archive = generate(REPLIES, root / "archive")
    output = root / "site"
    build(BuildOptions(source=archive, output=output, search=False, cache=False))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards_module, "MIN_PAGES", 3)
        patch.setattr(shards_module, "MAX_PAGES", 6)
        patch.setattr(shards_module, "CUT_ONE_IN", 3)
        report = search.index_site(output, Config())
    assert report.problems == [] and report.shards >= 4
    binary = search.extended_binary()
    assert binary is not None
    paths = tuple(sorted(str(p.relative_to(output)) for p in output.glob("replies/*/*.html")))
    assert index_shard(output, Shard("whole", paths, b""), Indexer(binary, "zh")) == ""
    whole = root / "whole"
    (output / SHARDS_DIR / "whole").rename(whole)
    yield output, whole


def meta_of(bundle: Path) -> list[Any]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    name = entry["languages"]["zh"]["hash"]
    meta: list[Any] = cbor2.loads(read_blob(bundle / f"pagefind.{name}.pf_meta"))
    return meta


def urls_of(bundle: Path) -> list[str]:
    """The URL of each page number."""
    return [
        json.loads(read_blob(bundle / "fragment" / f"{name}.pf_fragment"))["url"]
        for name, _ in meta_of(bundle)[1]
    ]


def words_of(bundle: Path) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Each word: for each page's URL, its locations and meta locations. (A word's pages
    are in increasing order, each but the first by its difference to the one before.)"""
    urls, meta = urls_of(bundle), meta_of(bundle)
    words: dict[str, dict[str, tuple[Any, ...]]] = {}
    for _, _, name in meta[2]:
        (chunk,) = cbor2.loads(read_blob(bundle / "index" / f"{name}.pf_index"))
        for word, pages, extra in chunk:
            assert word not in words and extra == []
            numbers = list(itertools.accumulate(page[0] for page in pages))
            assert numbers == sorted(set(numbers)), "pages by number, each once"
            words[word] = {
                urls[number]: (tuple(locs), tuple(_named(more, meta[5])))
                for number, (_, locs, more) in zip(numbers, pages, strict=True)
            }
    return words


def _named(locations: list[int], fields: list[str]) -> Iterator[object]:
    """Meta locations with their fields by name (a field's index is the bundle's own)."""
    for n in locations:
        yield fields[-1 - n] if n < 0 else n


def filters_of(bundle: Path) -> dict[str, dict[str, set[str]]]:
    urls, found = urls_of(bundle), {}
    for name, chunk in meta_of(bundle)[3]:
        filter_name, values = cbor2.loads(read_blob(bundle / "filter" / f"{chunk}.pf_filter"))
        assert filter_name == name
        found[name] = {value: {urls[page] for page in pages} for value, pages in values}
    return found


@pytest.mark.pagefind
def test_pagefind_s_files_read_and_write_back_byte_for_byte(sharded: tuple[Path, Path]) -> None:
    _, whole = sharded
    files = [*whole.glob("*.pf_meta"), *whole.glob("index/*"), *whole.glob("filter/*")]
    assert len(files) > 5
    for path in files:
        raw = read_blob(path)
        assert cbor2.dumps(cbor2.loads(raw)) == raw
        digits = 10 if path.suffix == ".pf_meta" else 7
        assert path.name.split(".")[-2].endswith(f"zh_{full_hash(raw)[:digits]}")
    fragment = next(whole.glob("fragment/*"))
    assert fragment.name.startswith(f"zh_{full_hash(read_blob(fragment))[:7]}")
    assert read_blob_of(pack_blob(b"\x80")) == b"\x80"


def read_blob_of(data: bytes) -> bytes:
    unpacked = gzip.decompress(data)
    assert unpacked.startswith(b"pagefind_dcd")
    return unpacked[len(b"pagefind_dcd") :]


@pytest.mark.pagefind
def test_one_bundle_merged_alone_is_the_bundle_itself(
    sharded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, whole = sharded
    ranges = {"published": ("", "\uffff")}
    # Cut at Pagefind's own size, without keeping a word with the words it starts, the
    # chunks are Pagefind's: the cut is Pagefind's rule.
    monkeypatch.setattr(merge_module, "CHUNK_SIZE", PAGEFIND_CHUNK_SIZE)
    monkeypatch.setattr(merge_module, "FAMILY_LIMIT", 1)
    report = merge_bundles([Bundle(whole, ranges)], tmp_path / "alone")
    mine, its = meta_of(tmp_path / "alone"), meta_of(whole)
    assert mine[:2] == its[:2], "the same pages"
    assert [(start, name) for start, _, name in mine[2]] == [
        (start, name) for start, _, name in its[2]
    ], "the same index chunks, cut at the same words"
    for (_, end, name), (_, its_end, _) in zip(mine[2], its[2], strict=True):
        last = cbor2.loads(read_blob(whole / "index" / f"{name}.pf_index"))[0][-1][0]
        assert end == last and last.startswith(its_end), "the last word whole: Pagefind cuts it"
    assert mine[4:] == its[4:]
    for _, _, name in its[2]:
        ours = tmp_path / "alone" / "index" / f"{name}.pf_index"
        assert read_blob(ours) == read_blob(whole / "index" / f"{name}.pf_index")
    assert filters_of(tmp_path / "alone") == filters_of(whole)
    assert report.pages == REPLIES and report.chunks == len(its[2])


@pytest.mark.pagefind
def test_merged_shards_hold_what_one_pagefind_run_holds(sharded: tuple[Path, Path]) -> None:
    output, whole = sharded
    (merged,) = _merged(output)
    assert sorted(urls_of(merged)) == sorted(urls_of(whole))
    assert words_of(merged) == words_of(whole)
    assert filters_of(merged) == filters_of(whole)
    counts = dict(zip(urls_of(whole), (count for _, count in meta_of(whole)[1]), strict=True))
    assert [counts[url] for url in urls_of(merged)] == [c for _, c in meta_of(merged)[1]]
    # The order by date: Pagefind's own over all pages, ties (pages published at the same
    # time) apart, which each orders by page number.
    ((key, order),) = meta_of(merged)[4]
    ((_, whole_order),) = meta_of(whole)[4]
    published = {url: _published(output, url) for url in urls_of(whole)}
    by_date = [published[urls_of(merged)[page]] for page in order]
    assert by_date == sorted(by_date) == [published[urls_of(whole)[p]] for p in whole_order]
    assert key == "published"
    assert meta_of(merged)[5] == meta_of(whole)[5]


def _merged(output: Path) -> list[Path]:
    """The site's merged bundles (30 pages: one)."""
    names = json.loads((output / "pagefind/bundles.json").read_text())["bundles"]
    return [output / "pagefind" / name for name in names]


def _published(output: Path, url: str) -> str:
    html = (output / url.lstrip("/")).read_text(encoding="utf-8")
    start = html.index('data-pagefind-sort="published:') + len('data-pagefind-sort="published:')
    return html[start : html.index('"', start)]


def _size(words: list[list[Any]]) -> int:
    return sum(len(p[1]) + len(p[2]) + 1 for _, pages, _ in words for p in pages)


def _extends(word: str, words: list[list[Any]]) -> bool:
    return any(word.startswith(other[0]) for other in words)


def assert_cut_by_the_rule(chunks: list[list[list[Any]]]) -> None:
    """Each chunk is cut once it reaches `CHUNK_SIZE`, before the first word that extends
    none of its words, or once it reaches `FAMILY_LIMIT` times the size."""
    limit = CHUNK_SIZE * FAMILY_LIMIT
    for n, chunk in enumerate(chunks):
        for i in range(1, len(chunk)):
            size = _size(chunk[:i])
            assert size < CHUNK_SIZE or (_extends(chunk[i][0], chunk[:i]) and size < limit)
        if n + 1 < len(chunks):
            size, after = _size(chunk), chunks[n + 1][0][0]
            assert size >= limit or (size >= CHUNK_SIZE and not _extends(after, chunk))


@pytest.mark.pagefind
def test_chunks_are_cut_as_pagefind_cuts_and_named_by_their_ranges(
    sharded: tuple[Path, Path],
) -> None:
    (merged,) = _merged(sharded[0])
    meta = meta_of(merged)
    chunks = [
        cbor2.loads(read_blob(merged / "index" / f"{name}.pf_index"))[0] for _, _, name in meta[2]
    ]
    assert len(chunks) > 1
    assert_cut_by_the_rule(chunks)
    firsts, lasts = [chunk[0][0] for chunk in chunks], [chunk[-1][0] for chunk in chunks]
    words = [w for first, last in zip(firsts, lasts, strict=True) for w in (first, last)]
    assert words == sorted(words, key=lambda word: word.encode())
    for n, (start, end, _) in enumerate(meta[2]):
        assert firsts[n].startswith(start) and end == lasts[n], "each word is in its range"
        if n:
            assert start == _first_prefix(lasts[n - 1], firsts[n])


def test_a_word_shares_its_chunk_with_the_words_it_starts_below_the_limit(
    tmp_path: Path,
) -> None:
    # Pagefind finds the words a query's word starts in that word's chunk only.
    rng = random.Random(4)
    names = {"".join(rng.choices("养老院服务金", k=rng.randint(1, 4))) for _ in range(400)}
    words = [
        [name, [[1, [0] * rng.randint(0, 300), []] for _ in range(rng.randint(1, 30))], []]
        for name in sorted(names, key=lambda name: name.encode())
    ]
    chunker = Chunker(Writer(tmp_path, "zh"))
    for word in words:
        chunker.add(word)
    chunker.close()
    chunks = [
        cbor2.loads(read_blob(tmp_path / "index" / f"{name}.pf_index"))[0]
        for _, _, name in chunker.words
    ]
    assert [word for chunk in chunks for word in chunk] == words
    assert_cut_by_the_rule(chunks)
    split = 0
    for chunk in chunks:
        for word in chunk:
            family = [other for other in words if other[0].startswith(word[0])]
            if not all(other in chunk for other in family):
                assert _size(chunk) >= CHUNK_SIZE * FAMILY_LIMIT, word[0]
                split += 1
    families = sum(1 for a, b in itertools.pairwise(words) if b[0].startswith(a[0]))
    assert families > 50 and len(chunks) > 10 and split < families, (families, split)


def test_a_chunk_starts_with_pagefind_s_prefix_of_its_first_word() -> None:
    # (Pagefind's get_prefixes tests: the second of each pair)
    assert _first_prefix("apple", "apricot") == "apr"
    assert _first_prefix("cataraman", "yacht") == "y"
    assert _first_prefix("cath", "cathartic") == "catha"
    assert _first_prefix("养老保险", "养老金") == "养老金"


@pytest.mark.pagefind
def test_an_unchanged_merge_writes_nothing_and_a_collision_takes_a_longer_name(
    sharded: tuple[Path, Path], tmp_path: Path
) -> None:
    output, _ = sharded
    bundles = _shard_bundles(output)
    target = tmp_path / "merged"
    first = merge_bundles(bundles, target)
    stamps = {p: p.stat().st_mtime_ns for p in target.rglob("*")}
    again = merge_bundles(bundles, target)
    assert first.written > 0 and again.written == 0 and again.removed == 0
    assert {p: p.stat().st_mtime_ns for p in target.rglob("*")} == stamps
    # A file of other content under a chunk's name: the chunk takes one more digit.
    (chunk_name,) = [c[2] for c in meta_of(target)[2][:1]]
    chunk = target / "index" / f"{chunk_name}.pf_index"
    chunk.write_bytes(pack_blob(b"\x81\x80"))
    third = merge_bundles(bundles, target)
    assert third.written >= 2  # the chunk, the metadata (and the entry)
    longer = meta_of(target)[2][0][2]
    assert longer.startswith(chunk_name) and len(longer) == len(chunk_name) + 1
    assert not chunk.exists(), "the stray file is removed"


def _shard_names(output: Path) -> list[str]:
    return sorted(p.name for p in (output / SHARDS_DIR).iterdir())


def _shard_bundles(output: Path) -> list[Bundle]:
    """The site's shards as they are, oldest first, with their pages' ranges of time."""
    return [
        Bundle(output / SHARDS_DIR / name, _ranges(output, name)) for name in _shard_names(output)
    ]


def _ranges(output: Path, name: str) -> dict[str, tuple[str, str]]:
    urls = urls_of(output / SHARDS_DIR / name)
    values = [_published(output, url) for url in urls]
    return {"published": (min(values), max(values))}


@pytest.mark.pagefind
def test_overlapping_ranges_of_a_sort_are_refused(
    sharded: tuple[Path, Path], tmp_path: Path
) -> None:
    output, _ = sharded
    names = _shard_names(output)[:2]
    bundles = [Bundle(output / SHARDS_DIR / name, {"published": ("a", "c")}) for name in names]
    with pytest.raises(MergeError, match="overlap"):
        merge_bundles(bundles, tmp_path / "merged")


def _copy_of_a_shard(output: Path, tmp_path: Path) -> tuple[str, Path]:
    """The name of the site's newest shard, and a copy of its bundle to change."""
    name = _shard_names(output)[0]
    shard = tmp_path / "shard"
    shutil.copytree(output / SHARDS_DIR / name, shard)
    return name, shard


@pytest.mark.pagefind
def test_a_shard_with_other_meta_fields_has_them_renumbered(
    sharded: tuple[Path, Path], tmp_path: Path
) -> None:
    # A shard whose pages lack a meta field the others have lists fewer fields: its meta
    # locations name fields by its own list, and are renumbered into the merged one.
    output, whole = sharded
    name, shard = _copy_of_a_shard(output, tmp_path)
    meta = meta_of(shard)
    meta[5] = meta[5][1:]
    for _, _, chunk_name in meta[2]:
        path = shard / "index" / f"{chunk_name}.pf_index"
        (chunk,) = cbor2.loads(read_blob(path))
        for _, pages, _ in chunk:
            for page in pages:
                page[2] = _without_field(page[2])
        path.write_bytes(pack_blob(cbor2.dumps([chunk])))
    _rewrite_meta(shard, meta)
    other = sorted(p.name for p in (output / SHARDS_DIR).iterdir())[1]
    bundles = [
        Bundle(shard, _ranges(output, name)),
        Bundle(output / SHARDS_DIR / other, _ranges(output, other)),
    ]
    merge_bundles(bundles, tmp_path / "merged")
    assert meta_of(tmp_path / "merged")[5] == meta_of(whole)[5]
    expected = words_of(shard)
    for word, pages in words_of(output / SHARDS_DIR / other).items():
        expected.setdefault(word, {}).update(pages)
    assert words_of(tmp_path / "merged") == expected


def _without_field(locations: list[int]) -> list[int]:
    """Meta locations without field 0's, the others' indexes one less."""
    kept, field = [], None
    for n in locations:
        if n < 0:
            field = -1 - n
            if field:
                kept.append(n + 1)
        elif field:
            kept.append(n)
    return kept


def _rewrite_meta(bundle: Path, meta: list[Any]) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text())
    old = entry["languages"]["zh"]["hash"]
    (bundle / f"pagefind.{old}.pf_meta").write_bytes(pack_blob(cbor2.dumps(meta)))


def test_two_files_of_one_short_name_in_one_merge_each_keep_their_content(
    tmp_path: Path,
) -> None:
    # With no digit at all, every file's short name is "zh_": the second takes more.
    writer = Writer(tmp_path, "zh")
    first, second = writer.blob("index", b"\x80", digits=0), writer.blob("index", b"\x81", 0)
    assert first == "zh_" and second != first and second.startswith("zh_")
    assert read_blob(tmp_path / "index" / f"{first}.pf_index") == b"\x80"
    assert read_blob(tmp_path / "index" / f"{second}.pf_index") == b"\x81"
    assert writer.blob("index", b"\x80", digits=0) == first and writer.written == 2


@pytest.mark.pagefind
def test_fragments_are_linked_again_to_a_shard_indexed_again(
    sharded: tuple[Path, Path], tmp_path: Path
) -> None:
    output, _ = sharded
    name, shard = _copy_of_a_shard(output, tmp_path)
    bundles = [Bundle(shard, _ranges(output, name))]
    merge_bundles(bundles, tmp_path / "merged")
    again = tmp_path / "again"
    shutil.copytree(shard, again)  # the same files, new ones: as Pagefind writes them
    shutil.rmtree(shard)
    again.rename(shard)
    assert merge_bundles(bundles, tmp_path / "merged").written == 0
    for fragment in (shard / "fragment").iterdir():
        assert (tmp_path / "merged" / "fragment" / fragment.name).samefile(fragment)


def _many_chunks(output: Path, into: Path, monkeypatch: pytest.MonkeyPatch) -> Bundle:
    """The site's shards merged into one bundle of many small chunks (the input of a merge
    large enough to be cut between two processes)."""
    bundles = _shard_bundles(output)
    with monkeypatch.context() as patch:
        patch.setattr(merge_module, "CHUNK_SIZE", 500)
        merge_bundles(bundles, into)
    values = [v for b in bundles for v in b.sorts["published"]]
    monkeypatch.setattr(merge_module, "MIN_CHUNKS_A_WORKER", 1)
    return Bundle(into, {"published": (min(values), max(values))})


@pytest.mark.pagefind
def test_a_merge_in_two_processes_holds_the_same_words_and_pages(
    sharded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large site's merge runs in two worker processes, each a range of words.
    output, whole = sharded
    many = _many_chunks(output, tmp_path / "many", monkeypatch)
    assert len(meta_of(many.folder)[2]) > 4
    two = tmp_path / "two"
    merge_bundles([many], two, workers=2)
    assert sorted(urls_of(two)) == sorted(urls_of(whole))
    assert words_of(two) == words_of(whole)
    assert filters_of(two) == filters_of(whole)
    again = merge_bundles([many], two, workers=2)
    assert again.written == 0  # the same bytes: nothing written


@pytest.mark.pagefind
def test_a_failing_merge_process_stops_the_others(
    sharded: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = _many_chunks(sharded[0], tmp_path / "many", monkeypatch)
    monkeypatch.setattr(merge_module, "WORKER", f"{__name__}:{_fail_loudly.__name__}")
    with pytest.raises(MergeError, match="a merge worker failed: .*ZeroDivisionError"):
        merge_bundles([many], tmp_path / "failed", workers=2)


def _fail_loudly(task: object) -> None:
    """A merge process that fails after writing more than a pipe holds to stderr."""
    import sys

    sys.stderr.write("x" * 200_000)
    1 / 0  # noqa: B018
