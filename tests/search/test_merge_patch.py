"""A merged bundle patched after shards were indexed again (builder/search/merge_patch.py)
holds what a whole merge of the same shards holds: file for file when the bundle was
merged in one range of words, word for word and page for page when it was cut between
processes. Random edits of bundles written here in Pagefind's format (the real ones:
tests/search/test_search.py's edit tests, which run Pagefind)."""

from __future__ import annotations

import itertools
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cbor2
import pytest

from builder.search import merge as merge_module
from builder.search.merge import (
    Bundle,
    MergeReport,
    Writer,
    chunk_ranges,
    full_hash,
    merge_bundles,
    pack_blob,
    read_blob,
    word_size,
)
from builder.search.merge_patch import BundlePatch

VOCABULARY = [
    *(f"w{n:03d}" for n in range(120)),
    *("养老", "改造", "老旧小区", "垃圾分类", "答复", "建议", "提案", "潜财综"),
    *("〔2022〕", "【办理】", "［2023］", "(一)", "𠀋", "𪚥"),
    # words that start others (a chunk is not cut between them below a limit)
    *("w0", "w01", "w1", "w10", "w11", "养", "养老院", "养老服务", "老旧", "老旧小区改造"),
]
FIELDS = ["bureau", "date", "title"]


@dataclass
class FakeShard:
    """A shard as Pagefind would write it: pages (fragment text, word count) and, for each
    word, its pages as [local number, locations, meta locations]."""

    pages: list[tuple[str, int]]
    words: dict[str, list[list[Any]]] = field(default_factory=dict)
    fields: list[str] = field(default_factory=lambda: list(FIELDS))
    published: tuple[str, str] = ("", "")


def _locations(rng: random.Random) -> list[int]:
    return sorted(rng.sample(range(2000), rng.randint(1, 6)))


def _meta_locations(rng: random.Random, fields: list[str]) -> list[int]:
    if rng.random() < 0.6:
        return []
    return [-1 - rng.randrange(len(fields)), *sorted(rng.sample(range(40), rng.randint(1, 3)))]


def random_shard(rng: random.Random, number: int) -> FakeShard:
    fields = list(FIELDS) if rng.random() < 0.7 else ["date", "title"]
    pages = [
        (f"shard {number} page {n} {rng.random()}", rng.randint(50, 900))
        for n in range(rng.randint(3, 14))
    ]
    shard = FakeShard(
        pages, fields=fields, published=(f"{2018 + number}-01", f"{2018 + number}-12")
    )
    for word in rng.sample(VOCABULARY, rng.randint(20, len(VOCABULARY) - 10)):
        _set_word(rng, shard, word)
    return shard


def _set_word(rng: random.Random, shard: FakeShard, word: str) -> None:
    chosen = sorted(rng.sample(range(len(shard.pages)), rng.randint(1, len(shard.pages))))
    shard.words[word] = [
        [page, _locations(rng), _meta_locations(rng, shard.fields)] for page in chosen
    ]


def edited(rng: random.Random, shard: FakeShard) -> FakeShard:
    """The shard indexed again after an edit: some words' pages or locations changed,
    words added and removed, a page's text (so its fragment) changed."""
    new = FakeShard(
        list(shard.pages),
        {w: [list(p) for p in ps] for w, ps in shard.words.items()},
        list(shard.fields),
        shard.published,
    )
    for _ in range(rng.randint(1, 6)):
        action = rng.random()
        if action < 0.4:
            _set_word(rng, new, rng.choice(VOCABULARY))  # changed, or added
        elif action < 0.6 and len(new.words) > 1:
            del new.words[rng.choice(sorted(new.words))]
        else:
            word = rng.choice(sorted(new.words))
            new.words[word][0][1] = _locations(rng)  # the edited page's words moved
    place = rng.randrange(len(new.pages))
    text, count = new.pages[place]
    new.pages[place] = (f"{text} edited {rng.random()}", count + rng.randint(-3, 3))
    return new


def write_bundle(shard: FakeShard, folder: Path) -> Bundle:
    """`shard` as a Pagefind bundle: entry, metadata, index chunks (cut by Pagefind's rule
    at a small size), one filter, one sort, fragments."""
    if folder.exists():
        shutil.rmtree(folder)
    writer = Writer(folder, "zh")
    pages = []
    for text, count in shard.pages:
        raw = json.dumps({"url": text}).encode()
        name = f"zh_{full_hash(raw)[:7]}"
        (folder / "fragment").mkdir(parents=True, exist_ok=True)
        (folder / "fragment" / f"{name}.pf_fragment").write_bytes(pack_blob(raw))
        pages.append([name, count])
    chunks, chunk, size = [], [], 0
    for word in sorted(shard.words):
        entry = [word, _differences(shard.words[word]), []]
        chunk.append(entry)
        size += word_size(entry)
        if size >= 40:
            chunks.append([chunk[0][0], chunk[-1][0], writer.blob("index", cbor2.dumps([chunk]))])
            chunk, size = [], 0
    if chunk:
        chunks.append([chunk[0][0], chunk[-1][0], writer.blob("index", cbor2.dumps([chunk]))])
    values = [["甲", list(range(0, len(pages), 2))], ["乙", list(range(1, len(pages), 2))]]
    filters = [["bureau", writer.blob("filter", cbor2.dumps(["bureau", values]))]]
    sorts = [["published", list(range(len(pages)))]]
    meta = ["1.5.2", pages, chunk_ranges([tuple(c) for c in chunks]), filters, sorts, shard.fields]
    meta_name = writer.blob("", cbor2.dumps(meta), digits=10)
    entry = {
        "version": "1.5.2",
        "languages": {"zh": {"hash": meta_name, "wasm": None, "page_count": len(pages)}},
    }
    (folder / "pagefind-entry.json").write_text(json.dumps(entry))
    return Bundle(folder, {"published": shard.published})


def _differences(pages: list[list[Any]]) -> list[list[Any]]:
    last, encoded = 0, []
    for number, locations, more in pages:
        encoded.append([number - last, locations, more])
        last = number
    return encoded


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def content_of(bundle: Path) -> tuple[Any, dict[str, list[Any]]]:
    """The metadata but the chunks' names, and each word's pages by absolute number; the
    chunks checked: words in order, each chunk's range the one its words give."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta = cbor2.loads(read_blob(bundle / f"pagefind.{entry['languages']['zh']['hash']}.pf_meta"))
    words: dict[str, list[Any]] = {}
    exact, last = [], ""
    for _, _, name in meta[2]:
        (chunk,) = cbor2.loads(read_blob(bundle / "index" / f"{name}.pf_index"))
        exact.append((chunk[0][0], chunk[-1][0], name))
        for word, pages, _ in chunk:
            assert word > last or not words, "words in order, each once"
            last = word
            numbers = list(itertools.accumulate(page[0] for page in pages))
            words[word] = [[n, *page[1:]] for n, page in zip(numbers, pages, strict=True)]
    assert meta[2] == chunk_ranges(exact)
    filters = {
        name: cbor2.loads(read_blob(bundle / "filter" / f"{f}.pf_filter")) for name, f in meta[3]
    }
    return [meta[0], meta[1], filters, meta[4], meta[5]], words


def _in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The merge cut between `workers` ranges of words, but in this process."""
    monkeypatch.setattr(merge_module, "MIN_CHUNKS_A_WORKER", 1)
    monkeypatch.setattr(
        merge_module, "_in_processes", lambda tasks: [merge_module._write_chunks(t) for t in tasks]
    )


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_patched_bundle_holds_what_a_whole_merge_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(merge_module, "CHUNK_SIZE", 60)
    _in_one_process(monkeypatch)
    rng = random.Random(16 + workers)
    patched = refused = 0
    for trial in range(60):
        shards = [random_shard(rng, n) for n in range(rng.randint(2, 5))]
        folders = [tmp_path / f"t{trial}" / f"shard{n}" for n in range(len(shards))]
        bundles = [write_bundle(s, f) for s, f in zip(shards, folders, strict=True)]
        target = tmp_path / f"t{trial}" / "merged"
        merged = merge_bundles(bundles, target, workers=workers)
        made_from, words = merged.made_from, merged.words
        for step in range(3):  # (each patch from what the one before kept)
            previous = {}
            for place in rng.sample(range(len(shards)), rng.randint(1, 2)):
                before = folders[place].with_name(f"before{place}")
                shutil.rmtree(before, ignore_errors=True)
                folders[place].rename(before)
                previous[place] = Bundle(before)
                shards[place] = edited(rng, shards[place])
                if rng.random() < 0.05:  # a page added: the pages after it are renumbered
                    shards[place].pages.append((f"a new page {rng.random()}", 10))
                bundles[place] = write_bundle(shards[place], folders[place])
            whole = tmp_path / f"t{trial}" / f"whole{step}"
            shutil.copytree(target, whole)
            expected = merge_bundles(bundles, whole, workers=workers)
            report = merge_bundles(
                bundles,
                target,
                workers=workers,
                patch=BundlePatch(previous, made_from, tuple(words)),
            )
            patched += report.patched
            refused += not report.patched
            where = f"trial {trial}, edit {step}"
            if workers == 1:
                assert files_of(target) == files_of(whole), where
                assert report.words == expected.words, where
            else:
                assert content_of(target) == content_of(whole), where
            assert report.pages == expected.pages
            assert content_of(target)[0][1] == [list(p) for p in content_of(whole)[0][1]]
            made_from, words = report.made_from, report.words
        shutil.rmtree(tmp_path / f"t{trial}")
    assert patched > 100 and refused > 5, (patched, refused)


def test_a_patch_refuses_a_bundle_it_does_not_describe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_module, "CHUNK_SIZE", 60)
    rng = random.Random(7)
    shards = [random_shard(rng, n) for n in range(3)]
    bundles = [write_bundle(s, tmp_path / f"shard{n}") for n, s in enumerate(shards)]
    target = tmp_path / "merged"
    merged = merge_bundles(bundles, target)
    made_from, words = merged.made_from, tuple(merged.words)
    (tmp_path / "shard1").rename(tmp_path / "before1")
    bundles[1] = write_bundle(edited(rng, shards[1]), tmp_path / "shard1")
    stale = tuple((first, last, f"{name}0") for first, last, name in words)
    before = {1: Bundle(tmp_path / "before1")}
    for patch in (
        BundlePatch({}, made_from, words),  # the shard indexed again not said
        BundlePatch(before, made_from, stale),  # other chunks
        BundlePatch(before, made_from, ()),
        BundlePatch(before, made_from[:2], words),
        BundlePatch({1: Bundle(tmp_path / "missing")}, made_from, words),
    ):
        assert not _merged_copy(bundles, target, tmp_path / "copy", patch).patched
    report = _merged_copy(bundles, target, tmp_path / "copy", BundlePatch(before, made_from, words))
    assert report.patched and 0 < report.written < report.chunks
    # A bundle before that is not the one merged: the same pages, other locations (weights
    # changed in the theme, the run cut short before the merge, then indexed again).
    moved = FakeShard(list(shards[1].pages), fields=list(shards[1].fields))
    moved.words = {
        w: [[p[0], [n + 1 for n in p[1]], p[2]] for p in ps] for w, ps in shards[1].words.items()
    }
    write_bundle(moved, tmp_path / "before1")
    bundles[1] = write_bundle(moved, tmp_path / "shard1")
    stale_before = _merged_copy(
        bundles, target, tmp_path / "copy", BundlePatch(before, made_from, words)
    )
    assert not stale_before.patched
    # A damaged chunk in the target: merged whole (no error), its file left out.
    bundles = [write_bundle(shard, tmp_path / f"again{n}") for n, shard in enumerate(shards)]
    damaged = tmp_path / "damaged"
    merged = merge_bundles(bundles, damaged)
    (tmp_path / "again1").rename(tmp_path / "again-before1")
    bundles[1] = write_bundle(edited(rng, shards[1]), tmp_path / "again1")
    for chunk in (damaged / "index").iterdir():
        chunk.write_bytes(chunk.read_bytes()[:20])
    patch = BundlePatch(
        {1: Bundle(tmp_path / "again-before1")}, merged.made_from, tuple(merged.words)
    )
    assert not merge_bundles(bundles, damaged, patch=patch).patched
    merge_bundles(bundles, tmp_path / "whole")
    assert content_of(damaged) == content_of(tmp_path / "whole")


def _merged_copy(
    bundles: list[Bundle], target: Path, copy: Path, patch: BundlePatch
) -> MergeReport:
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(target, copy)
    return merge_bundles(bundles, copy, patch=patch)
