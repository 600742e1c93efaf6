"""Pagefind's index in shards by page count, each a range of publication time: what each
holds, and that a run re-indexes only the shards whose pages changed. The indexing tests cut
the 24 replies into shards of 3 to 6 (the sizes are the module's constants)."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate import generate
from builder import search
from builder.build import BuildOptions, build
from builder.build.cache import CACHE_DIR, CacheStore
from builder.config import Config
from builder.search import merge as merge_module
from builder.search import merge_patch
from builder.search import shards as shards_module
from builder.search.records import PageRead, Record
from builder.search.shards import SHARDS_DIR, UNDATED, Indexer, Shard, plan_shards, shard_name
from tests.search.test_merge import filters_of, meta_of, words_of

REPLIES = 24


@pytest.fixture
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shards_module, "MIN_PAGES", 3)
    monkeypatch.setattr(shards_module, "MAX_PAGES", 6)
    monkeypatch.setattr(shards_module, "CUT_ONE_IN", 3)


@pytest.fixture(scope="module")
def years_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated archive of replies over several years, built without search."""
    root = tmp_path_factory.mktemp("years")
    archive = generate(REPLIES, root / "archive")
    output = root / "site"
    build(BuildOptions(source=archive, output=output, search=False, cache=False))
    return archive, output


@pytest.fixture
def site(years_site: tuple[Path, Path], tmp_path: Path) -> Path:
    """A fresh copy of the built site, for a test to index and change."""
    copy = tmp_path / "site"
    shutil.copytree(years_site[1], copy)
    return copy


def replies_by_year(output: Path) -> Counter[str]:
    return Counter(page.parent.name for page in (output / "replies").rglob("*.html"))


def shard_list(output: Path) -> list[str]:
    """The shards that have a bundle, newest first (their names sort as their times)."""
    return sorted((p.name for p in (output / SHARDS_DIR).iterdir()), reverse=True)


def entry_of(output: Path, shard: str) -> Path:
    return output / SHARDS_DIR / shard / "pagefind-entry.json"


MERGED_FILES = (
    *("filter", "fragment", "index", "pagefind-entry.json"),
    *("pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"),
)
"""A merged bundle's files, but its metadata (named by its hash)."""


def merged_bundles(output: Path) -> list[Path]:
    """The merged bundles, newest first."""
    names = json.loads((output / "pagefind/bundles.json").read_text())["bundles"]
    return [output / "pagefind" / name for name in names]


def fragments(bundle: Path) -> list[dict[str, object]]:
    found = []
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return found


def fragment_urls(bundle: Path) -> list[str]:
    return sorted(str(fragment["url"]) for fragment in fragments(bundle))


def page_of(site: Path, shard: str) -> Path:
    """A reply page that shard `shard` holds."""
    return site / fragment_urls(site / SHARDS_DIR / shard)[0].lstrip("/")


@pytest.mark.slow
@pytest.mark.pagefind
def test_shards_are_ranges_of_time_by_page_count_listed_newest_first(
    site: Path, small_shards: None
) -> None:
    report = search.index_site(site, Config())
    assert report.problems == []
    names = shard_list(site)
    assert len(names) >= 4 and sorted(report.shards_indexed) == sorted(names)
    ranges = []
    for name in names:
        published = []
        for fragment in fragments(site / SHARDS_DIR / name):
            meta = fragment["meta"]
            assert isinstance(meta, dict)
            published.append(str(meta["published"]))
        assert len(published) <= 6
        entry = json.loads(entry_of(site, name).read_text())
        assert entry["languages"]["zh"]["page_count"] == len(published)
        ranges.append((min(published), max(published)))
    assert all(len(fragment_urls(site / SHARDS_DIR / name)) >= 3 for name in names[1:])
    for newer, older in zip(ranges, ranges[1:], strict=False):
        assert newer[0] > older[1], "the ranges follow one another, newest first"
    assert names[-1] == ranges[-1][0][:4], "the first shard of a year is named by the year"
    assert report.pagefind_pages == REPLIES
    assert not list(site.glob(".reply-archive/pagefind-*")), "no staging folder is left behind"


@pytest.mark.slow
@pytest.mark.pagefind
def test_an_unchanged_site_is_not_indexed_again(
    site: Path, tmp_path: Path, small_shards: None
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    stamps = {year: entry_of(site, year).stat().st_mtime_ns for year in shard_list(site)}
    merged = written(site / "pagefind")
    again = search.index_site(site, Config(), store=store)
    assert again.shards_indexed == [] and again.problems == []
    assert again.pagefind_pages == REPLIES
    assert {year: entry_of(site, year).stat().st_mtime_ns for year in stamps} == stamps
    assert again.merged_files is None and written(site / "pagefind") == merged


def written(folder: Path) -> dict[str, int]:
    """Each file under `folder` and the time it was last written."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_changed_page_re_indexes_its_shard_only(
    site: Path, tmp_path: Path, small_shards: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "GROUP_PAGES", 8)  # merged bundles of one or two shards
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    bundles = merged_bundles(site)
    assert len(bundles) >= 3
    merged = {bundle.name: written(bundle) for bundle in bundles}
    year = shard_list(site)[1]
    others = {y: entry_of(site, y).stat().st_ino for y in shard_list(site) if y != year}
    page = page_of(site, year)
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", "<p>鸬鹚捕鱼新词</p></article>", 1), "utf-8")
    report = search.index_site(site, Config(), store=store)
    assert report.shards_indexed == [year]
    assert {y: entry_of(site, y).stat().st_ino for y in others} == others
    words = [path.name for path in (site / SHARDS_DIR / year / "index").iterdir()]
    assert words, "the changed shard has its word index"
    assert "鸬鹚" in _contents(site / SHARDS_DIR / year)
    assert merged_bundles(site) == bundles
    (mine,) = [b for b in bundles if "鸬鹚" in _contents(b)]
    assert {b.name: written(b) for b in bundles if b != mine} == {
        name: stamps for name, stamps in merged.items() if name != mine.name
    }, "the other merged bundles are not written again"
    assert report.merged_files


@pytest.mark.slow
@pytest.mark.pagefind
@pytest.mark.parametrize("edit", ["a new paragraph", "a new title"])
def test_an_edit_patches_the_merged_bundle_as_a_whole_merge_makes_it(
    site: Path, tmp_path: Path, small_shards: None, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    monkeypatch.setattr(merge_module, "CHUNK_SIZE", 300)  # one bundle of several chunks
    monkeypatch.setattr(merge_patch, "MAX_SHARE", 1.0)  # patched, however many change
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    (bundle,) = merged_bundles(site)
    shards = shard_list(site)
    assert len(shards) >= 3 and len(meta_of(bundle)[2]) >= 4
    page = page_of(site, shards[len(shards) // 2])  # pages of shards before and after it
    html = page.read_text(encoding="utf-8")
    if edit == "a new paragraph":
        html = html.replace("</article>", "<p>鸬鹚捕鱼新词</p></article>", 1)
    else:
        html = html.replace("</h1>", "（鸬鹚）</h1>", 1)
    page.write_text(html, "utf-8")
    report = search.index_site(site, Config(), store=store)
    assert report.patched == 1, "the merged bundle is patched, not merged anew"
    assert not (site / shards_module.PREVIOUS_DIR).exists(), "the bundle before is removed"
    assert "鸬鹚" in words_of(bundle)
    whole = tmp_path / "whole"
    shutil.copytree(site, whole, ignore=shutil.ignore_patterns(".reply-archive"))
    assert search.index_site(whole, Config()).patched == 0
    again = whole / "pagefind" / bundle.name
    assert words_of(bundle) == words_of(again), "the words and pages a whole merge has"
    assert meta_of(bundle)[1] == meta_of(again)[1] and filters_of(bundle) == filters_of(again)
    assert meta_of(bundle)[4] == meta_of(again)[4]


def test_merged_bundles_group_shards_by_page_count_from_the_oldest() -> None:
    def shard(name: str, pages: int) -> Shard:
        return Shard(name, tuple(f"{name}/{n}.html" for n in range(pages)), b"")

    listed = [shard("d", 900), shard("c", 1000), shard("b", 1100), shard("a", 700)]
    groups = search.group_shards(listed)
    # From the oldest: a and b (1,800 pages), then c and d (1,900; a, b and c would be 2,800).
    assert [[s.name for s in group] for group in groups] == [["d", "c"], ["b", "a"]]
    assert [s for group in groups for s in group] == listed
    assert all(sum(len(s.paths) for s in group) <= search.GROUP_PAGES for group in groups)


def _contents(bundle: Path) -> str:
    texts = []
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        texts.append(json.loads(data[len(b"pagefind_dcd") :])["content"])
    return "".join(texts).replace("\u200b", "")


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_shard_without_replies_loses_its_bundle_and_an_old_layout_is_cleared(
    site: Path, tmp_path: Path, small_shards: None
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    gone = shard_list(site)[-1]
    urls = fragment_urls(site / SHARDS_DIR / gone)
    for url in urls:
        (site / url.lstrip("/")).unlink()
    (site / "pagefind" / "2019").mkdir()  # a shard of the layout before the merge
    (site / "pagefind" / "2019" / "pagefind.js").write_text("// an old shard")
    (site / "pagefind" / "shards.json").write_text("{}")
    (site / SHARDS_DIR / "pagefind.js").write_text("// a stray file")
    report = search.index_site(site, Config(), store=store)
    assert report.shards_indexed == [], "the cuts of the other shards did not move"
    assert gone not in shard_list(site)
    assert sorted(p.name for p in (site / SHARDS_DIR).iterdir()) == sorted(shard_list(site))
    assert report.merged_files, "the bundle is merged again without the shard"
    (bundle,) = merged_bundles(site)  # 24 pages: one group
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == [bundle.name, "bundles.json"]
    (meta,) = [p.name for p in bundle.glob("*.pf_meta")]
    assert sorted(p.name for p in bundle.iterdir()) == sorted([*MERGED_FILES, meta])
    assert not set(fragment_urls(bundle)) & set(urls)


@pytest.mark.pagefind
def test_a_site_left_with_no_page_to_index_lists_no_bundle(
    site: Path, tmp_path: Path, small_shards: None
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    assert merged_bundles(site)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace(" data-pagefind-body", ""), "utf-8")
    report = search.index_site(site, Config(), store=store)
    assert any("no page is marked for search" in p.message for p in report.problems)
    assert merged_bundles(site) == []  # the old bundles would find pages no longer indexed
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["bundles.json"]


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_failing_shard_keeps_its_old_bundle_and_is_retried(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shards: None
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    year = shard_list(site)[1]
    before = entry_of(site, year).read_bytes()
    page = page_of(site, year)
    page.write_text(page.read_text(encoding="utf-8").replace("答复", "回复"), "utf-8")
    real = search.index_shard
    monkeypatch.setattr(search, "index_shard", lambda *args: "cannot index")
    (problem,) = search.index_site(site, Config(), store=store).problems
    assert "Pagefind failed: cannot index" in problem.message
    assert entry_of(site, year).read_bytes() == before
    assert year in shard_list(site)
    monkeypatch.setattr(search, "index_shard", real)
    assert search.index_site(site, Config(), store=store).shards_indexed == [year]


@pytest.mark.pagefind
def test_a_failing_merge_keeps_the_old_bundle_listed_and_merges_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_shards: None
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    bundles = merged_bundles(site)
    newest = bundles[0]
    before = {p.relative_to(newest): p.read_bytes() for p in newest.rglob("*") if p.is_file()}
    page = page_of(site, shard_list(site)[0])
    page.write_text(page.read_text(encoding="utf-8").replace("答复", "回复"), "utf-8")
    real = search.merge_bundles

    def failing(*args: object, **kwargs: object) -> object:
        raise search.MergeError("cannot merge")

    monkeypatch.setattr(search, "merge_bundles", failing)
    problems = search.index_site(site, Config(), store=store).problems
    assert any("merging failed: cannot merge" in p.message for p in problems)
    assert merged_bundles(site) == bundles  # still listed, as it was
    after = {p.relative_to(newest): p.read_bytes() for p in newest.rglob("*") if p.is_file()}
    assert after == before
    monkeypatch.setattr(search, "merge_bundles", real)
    assert search.index_site(site, Config(), store=store).merged_files  # merged this time


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_build_keeps_its_search_state_in_the_cache(
    years_site: tuple[Path, Path], small_shards: None
) -> None:
    archive, built = years_site
    output = built.parent / "with-search"
    build(BuildOptions(source=archive, output=output, search=True))
    stamps = {year: entry_of(output, year).stat().st_ino for year in shard_list(output)}
    assert list((archive / CACHE_DIR).glob("search-*.cache"))
    year = shard_list(output)[2]
    page = page_of(output, year).relative_to(output / "replies")
    reply = archive / "content" / "replies" / page.parent / f"{page.stem}.md"
    text = reply.read_text(encoding="utf-8")
    reply.write_text(text.replace("title: ", "title: 更正：", 1), encoding="utf-8")
    try:
        build(BuildOptions(source=archive, output=output, search=True))
    finally:
        reply.write_text(text, encoding="utf-8")
    changed = {y for y, ino in stamps.items() if entry_of(output, y).stat().st_ino != ino}
    assert changed == {year}


def _page(published: str, path: str = "a.html") -> PageRead:
    record = Record(path, {}, {}, {"published": published} if published else {}, "", "")
    return PageRead((0, 0), f"{path}{published}".encode(), record)


def test_small_sites_keep_one_shard_a_year_named_by_the_year(tmp_path: Path) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text("")
    pages = {
        "a.html": _page("2024-05-01", "a.html"),
        "b.html": _page("2026-01-02T10:00:00", "b.html"),
        "c.html": _page("", "c.html"),
        "d.html": _page("2024-12-31", "d.html"),
    }
    shards = plan_shards(pages, Indexer(binary, "zh"))
    assert [(s.name, s.paths) for s in shards] == [
        ("2024", ("a.html", "b.html", "d.html")),
        (UNDATED, ("c.html",)),
    ]
    assert shard_name("２０２４-01-01") == UNDATED


def _archive(count: int, seed: int = 0) -> dict[str, PageRead]:
    import random

    chosen = random.Random(seed)
    pages = {}
    for number in range(count):
        day = chosen.randrange(3000)
        published = f"{2018 + day // 365}-{day % 12 + 1:02d}-{day % 28 + 1:02d}T10:00:00"
        path = f"replies/r{number}.html"
        pages[path] = _page(published, path)
    return pages


@pytest.mark.slow
def test_shards_are_cut_by_page_count_in_date_order_and_edits_move_few_cuts(
    tmp_path: Path,
) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text("")
    indexer = Indexer(binary, "zh")
    pages = _archive(10_000)
    shards = plan_shards(pages, indexer)
    sizes = [len(shard.paths) for shard in shards]
    assert sum(sizes) == 10_000 and len({p for s in shards for p in s.paths}) == 10_000
    # Many replies share a day here: a cut waits for the next time, a few pages past a bound.
    assert all(
        shards_module.MIN_PAGES <= size <= shards_module.MAX_PAGES + 40 for size in sizes[1:]
    )
    average = sum(sizes) / len(sizes)
    assert (
        shards_module.MIN_PAGES <= average <= shards_module.MIN_PAGES + 2 * shards_module.CUT_ONE_IN
    )
    spans = [[pages[path].record.sort["published"] for path in shard.paths] for shard in shards]  # type: ignore[union-attr]
    for newer, older in zip(spans, spans[1:], strict=False):
        assert min(newer) > max(older), "ranges of time, newest first, never overlapping"
    assert len({shard.name for shard in shards}) == len(shards)
    assert [shard.name for shard in shards][-1] == "2018"

    def changed(other: dict[str, PageRead]) -> set[str]:
        before = {(shard.name, shard.fingerprint) for shard in shards}
        return {
            shard.name
            for shard in plan_shards(other, indexer)
            if (shard.name, shard.fingerprint) not in before
        }

    newest = {**pages, "replies/new.html": _page("2027-01-01T00:00:00", "replies/new.html")}
    assert changed(newest) == {shards[0].name}, "a new reply changes the newest shard"
    middle = shards[len(shards) // 2]
    edited = {**pages, middle.paths[0]: PageRead((0, 0), b"edited", pages[middle.paths[0]].record)}
    assert changed(edited) == {middle.name}, "an edit changes its shard only"
    added = {
        **pages,
        "replies/added.html": _page(min(spans[len(spans) // 2]) + "x", "replies/added.html"),
    }
    assert len(changed(added)) <= 3, "an added reply moves its own shard's cuts, and few others"


def test_a_shard_indexed_twice_between_merges_keeps_its_first_bundle_before(
    tmp_path: Path,
) -> None:
    def bundle(folder: Path, name: str) -> None:
        folder.mkdir(parents=True)
        entry = {"languages": {"zh": {"hash": name, "page_count": 1}}}
        (folder / "pagefind-entry.json").write_text(json.dumps(entry), encoding="utf-8")

    def named(folder: Path) -> str:
        return str(
            json.loads((folder / "pagefind-entry.json").read_text())["languages"]["zh"]["hash"]
        )

    bundle(tmp_path / SHARDS_DIR / "2024", "merged from")
    for name in ("indexed again", "and again"):  # (no merge between: a run cut short)
        bundle(tmp_path / f"staging {name}", name)
        shards_module._install_bundle(tmp_path / f"staging {name}", tmp_path, "2024")
    before = shards_module.bundle_before(tmp_path, "2024")
    assert before is not None and named(before) == "merged from"
    assert named(tmp_path / SHARDS_DIR / "2024") == "and again"
    shards_module.forget_bundles_before(tmp_path)
    assert shards_module.bundle_before(tmp_path, "2024") is None
