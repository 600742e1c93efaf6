"""Pagefind's index in shards, one per year: what each holds, and that a run re-indexes only
the shards whose pages changed."""

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
from builder.search.records import PageRead, Record
from builder.search.shards import UNDATED, Indexer, plan_shards, shard_name

REPLIES = 24


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
    names: list[str] = json.loads((output / "pagefind/shards.json").read_text())["shards"]
    return names


def entry_of(output: Path, shard: str) -> Path:
    return output / "pagefind" / shard / "pagefind-entry.json"


def fragment_urls(bundle: Path) -> list[str]:
    urls = []
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        urls.append(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return sorted(urls)


@pytest.mark.slow
@pytest.mark.pagefind
def test_each_year_is_one_bundle_listed_newest_first(site: Path) -> None:
    report = search.index_site(site, Config())
    years = replies_by_year(site)
    assert len(years) >= 5, "the generated archive spans several years"
    assert report.problems == []
    assert shard_list(site) == sorted(years, reverse=True)
    assert sorted(report.shards_indexed) == sorted(years)
    for year, count in years.items():
        entry = json.loads(entry_of(site, year).read_text())
        assert entry["languages"]["zh"]["page_count"] == count
        urls = fragment_urls(site / "pagefind" / year)
        assert all(url.startswith(f"/replies/{year}/") for url in urls), urls
    assert report.pagefind_pages == REPLIES
    assert not list(site.glob(".reply-archive/pagefind-*")), "no staging folder is left behind"


@pytest.mark.slow
@pytest.mark.pagefind
def test_an_unchanged_site_is_not_indexed_again(site: Path, tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    stamps = {year: entry_of(site, year).stat().st_mtime_ns for year in shard_list(site)}
    again = search.index_site(site, Config(), store=store)
    assert again.shards_indexed == [] and again.problems == []
    assert again.pagefind_pages == REPLIES
    assert {year: entry_of(site, year).stat().st_mtime_ns for year in stamps} == stamps


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_changed_page_re_indexes_its_year_only(site: Path, tmp_path: Path) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    year = shard_list(site)[0]
    others = {y: entry_of(site, y).stat().st_ino for y in shard_list(site) if y != year}
    page = sorted((site / "replies" / year).glob("*.html"))[0]
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", "<p>鸬鹚捕鱼新词</p></article>", 1), "utf-8")
    report = search.index_site(site, Config(), store=store)
    assert report.shards_indexed == [year]
    assert {y: entry_of(site, y).stat().st_ino for y in others} == others
    words = [path.name for path in (site / "pagefind" / year / "index").iterdir()]
    assert words, "the changed shard has its word index"
    assert "鸬鹚" in _contents(site / "pagefind" / year)


def _contents(bundle: Path) -> str:
    texts = []
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        texts.append(json.loads(data[len(b"pagefind_dcd") :])["content"])
    return "".join(texts).replace("\u200b", "")


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_year_without_replies_loses_its_bundle_and_an_old_layout_is_cleared(
    site: Path, tmp_path: Path
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    gone = shard_list(site)[-1]
    shutil.rmtree(site / "replies" / gone)
    (site / "pagefind" / "pagefind.js").write_text("// a bundle of the one-index layout")
    report = search.index_site(site, Config(), store=store)
    assert report.shards_indexed == []
    assert gone not in shard_list(site)
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == sorted(
        [*shard_list(site), "shards.json"]
    )


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_failing_shard_keeps_its_old_bundle_and_is_retried(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CacheStore(tmp_path / "cache")
    search.index_site(site, Config(), store=store)
    year = shard_list(site)[1]
    before = entry_of(site, year).read_bytes()
    page = sorted((site / "replies" / year).glob("*.html"))[0]
    page.write_text(page.read_text(encoding="utf-8").replace("答复", "回复"), "utf-8")
    real = search.index_shard
    monkeypatch.setattr(search, "index_shard", lambda *args: "cannot index")
    (problem,) = search.index_site(site, Config(), store=store).problems
    assert "Pagefind failed: cannot index" in problem.message
    assert entry_of(site, year).read_bytes() == before
    assert year in shard_list(site)
    monkeypatch.setattr(search, "index_shard", real)
    assert search.index_site(site, Config(), store=store).shards_indexed == [year]


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_build_keeps_its_search_state_in_the_cache(years_site: tuple[Path, Path]) -> None:
    archive, built = years_site
    output = built.parent / "with-search"
    build(BuildOptions(source=archive, output=output, search=True))
    stamps = {year: entry_of(output, year).stat().st_ino for year in shard_list(output)}
    assert list((archive / CACHE_DIR).glob("search-*.cache"))
    reply = sorted((archive / "content" / "replies").rglob("*.md"))[0]
    year = reply.parent.name
    text = reply.read_text(encoding="utf-8")
    reply.write_text(text.replace("title: ", "title: 更正：", 1), encoding="utf-8")
    try:
        build(BuildOptions(source=archive, output=output, search=True))
    finally:
        reply.write_text(text, encoding="utf-8")
    changed = {y for y, ino in stamps.items() if entry_of(output, y).stat().st_ino != ino}
    assert changed == {year}


def _page(published: str) -> PageRead:
    record = Record("a.html", {}, {}, {"published": published} if published else {}, "", "")
    return PageRead((0, 0), published.encode(), record)


def test_shards_are_years_of_the_published_key_newest_first(tmp_path: Path) -> None:
    binary = tmp_path / "pagefind"
    binary.write_text("")
    pages = {
        "a.html": _page("2024-05-01"),
        "b.html": _page("2026-01-02T10:00:00"),
        "c.html": _page(""),
        "d.html": _page("2024-12-31"),
    }
    shards = plan_shards(pages, Indexer(binary, "zh"))
    assert [(s.name, s.paths) for s in shards] == [
        ("2026", ("b.html",)),
        ("2024", ("a.html", "d.html")),
        (UNDATED, ("c.html",)),
    ]
    assert shard_name("２０２４-01-01") == UNDATED
    moved = {**pages, "d.html": _page("2024-12-30")}
    again = plan_shards(moved, Indexer(binary, "zh"))
    assert [s.fingerprint == t.fingerprint for s, t in zip(shards, again, strict=True)] == [
        True,
        False,
        True,
    ]
