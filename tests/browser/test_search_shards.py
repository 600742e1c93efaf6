"""Search over a site whose Pagefind index is in shards (one per year), in headless Chromium:
the sharded engine over http gives the same answers, in the same order, as the offline
index over file:// on the same site, and its filters count every shard."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, Request

from benchmarks.generate import generate
from tests.browser.conftest import ServeFolder
from tests.browser.test_search import PAGE_SIZE, settle

pytestmark = pytest.mark.browser

REPLIES = 60


@pytest.fixture(scope="module")
def years_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from builder.build import BuildOptions, build

    root = tmp_path_factory.mktemp("years-browser")
    archive = generate(REPLIES, root / "archive")
    output = root / "site"
    report = build(BuildOptions(source=archive, output=output, search=True, cache=False))
    assert not [p.format() for p in report.warnings if "search" in p.message]
    return output


def all_results(page: Page, url: str) -> list[tuple[str, str]]:
    """Every result of the search at `url` (its "more" button pressed until done), as
    (path under the site, date shown)."""
    page.goto(url)
    settle(page)
    return all_results_from_here(page)


def all_results_from_here(page: Page) -> list[tuple[str, str]]:
    more = page.locator(".search-more")
    while more.is_visible():
        count = page.locator(".search-result").count()
        more.click()
        # A press shows more results, or, when the candidates left unchecked hold none,
        # none and the exact count (the button goes).
        page.wait_for_function(
            f"""document.querySelectorAll('.search-result').length > {count} ||
              document.querySelector('.search-more').hidden"""
        )
        settle(page)
    links = page.locator(".search-result-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    dates = page.locator(".search-result-date").all_inner_texts()
    return list(zip([link.split("replies/", 1)[1] for link in links], dates, strict=True))


def years_in(results: list[tuple[str, str]]) -> list[str]:
    return [path.split("/", 1)[0] for path, _ in results]


@pytest.mark.parametrize("sort", ["desc", "asc"])
def test_ordered_by_date_the_shards_answer_as_one_index(
    page: Page, years_site: Path, http_server: ServeFolder, sort: str
) -> None:
    query = "?q=" + quote("答复") + "&sort=" + sort
    hosted = all_results(page, http_server(years_site, prefix="/archive/") + "search.html" + query)
    assert page.get_attribute("#search", "data-search-mode") == "pagefind"
    offline = all_results(page, years_site.resolve().as_uri() + "/search.html" + query)
    assert page.get_attribute("#search", "data-search-mode") == "offline"
    assert len(set(years_in(hosted))) >= 5, "the results come from several shards"
    assert sorted(hosted) == sorted(offline)
    assert [date for _, date in hosted] == [date for _, date in offline]
    years = years_in(hosted)
    assert years == sorted(years, reverse=sort == "desc")


def test_a_word_found_in_several_years_is_found_in_every_one(
    page: Page, years_site: Path, http_server: ServeFolder
) -> None:
    query = "?q=" + quote("养老")
    hosted = all_results(page, http_server(years_site) + "search.html" + query)
    offline = all_results(page, years_site.resolve().as_uri() + "/search.html" + query)
    assert hosted and sorted(hosted) == sorted(offline)


def test_the_year_filter_counts_every_shard_and_narrows_to_one(
    page: Page, years_site: Path, http_server: ServeFolder
) -> None:
    base = http_server(years_site)
    all_results(page, base + "search.html?q=" + quote("答复"))
    year = page.get_by_label("年份")
    options = year.locator("option").all_inner_texts()[1:]  # after 全部
    counts = {text.split("（")[0]: int(text.split("（")[1].rstrip("）")) for text in options}
    on_disk = {p.name: len(list(p.glob("*.html"))) for p in (years_site / "replies").iterdir()}
    assert counts == on_disk
    chosen = sorted(on_disk)[len(on_disk) // 2]
    narrowed = all_results(page, base + f"search.html?q={quote('答复')}&year={chosen}")
    assert narrowed and set(years_in(narrowed)) == {chosen}


COLLECT = """async () => {
  for (let i = 0; i < 3; i++) {
    window.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}"""


def test_later_pages_of_results_load_after_a_garbage_collection(
    page: Page, years_site: Path, http_server: ServeFolder
) -> None:
    # Pagefind frees a result's data when its result object is collected: the engine must
    # keep the objects of the results it has not shown yet.
    query = "search.html?q=" + quote("答复")
    offline = all_results(page, years_site.resolve().as_uri() + "/" + query)
    assert len(offline) > PAGE_SIZE, "more than one page of results"
    page.goto(http_server(years_site) + query)
    settle(page)
    page.evaluate(COLLECT)
    hosted = all_results_from_here(page)
    assert sorted(hosted) == sorted(offline)


def fragments_fetched(page: Page) -> list[str]:
    """Record the Pagefind fragments the page (and Pagefind's worker) fetch."""
    fetched: list[str] = []

    def record(request: Request) -> None:
        if "/fragment/" in request.url:
            fetched.append(request.url)

    page.context.on("request", record)
    return fetched


@pytest.mark.slow
def test_a_first_query_fetches_only_the_fragments_of_the_results_it_shows(
    page: Page, years_site: Path, http_server: ServeFolder
) -> None:
    # 答复 is one Chinese word, so Pagefind's answer needs no check: the page reads the
    # page of results it shows and no other; more are read when the reader asks for them.
    fetched = fragments_fetched(page)
    scripts: list[str] = []
    page.context.on("request", lambda r: scripts.append(r.url.rsplit("/", 1)[1].split("?")[0]))
    page.goto(http_server(years_site) + "search.html?q=" + quote("答复"))
    settle(page)
    page.wait_for_timeout(500)
    assert page.locator(".search-result").count() == PAGE_SIZE
    assert len(fetched) == PAGE_SIZE
    assert "search-pagefind.js" in scripts and "search-offline.js" not in scripts
    assert f"找到 {REPLIES} 件答复，显示前 {PAGE_SIZE} 件" in page.inner_text(".search-status")
    page.locator(".search-more").click()
    page.wait_for_function(f"document.querySelectorAll('.search-result').length > {PAGE_SIZE}")
    settle(page)
    assert len(fetched) == 2 * PAGE_SIZE


@pytest.mark.slow
def test_a_query_that_is_checked_checks_a_page_of_candidates_until_asked_for_more(
    page: Page, years_site: Path, http_server: ServeFolder
) -> None:
    # 您提出的 is three words for the browser: Pagefind's answers are checked,
    # in batches, until a page of results is found; the rest only when asked for.
    query = "search.html?q=" + quote("您提出的")
    offline = all_results(page, years_site.resolve().as_uri() + "/" + query)
    assert len(offline) > PAGE_SIZE, "more than one page of results"
    fetched = fragments_fetched(page)
    page.goto(http_server(years_site) + query)
    settle(page)
    page.wait_for_timeout(500)
    first_page = len(fetched)
    assert page.locator(".search-result").count() == PAGE_SIZE
    # A batch of a page for the page, then batches of at most 25 while it is not full.
    assert PAGE_SIZE <= first_page <= PAGE_SIZE + 25 * 2
    status = page.inner_text(".search-status")
    assert f"件以上答复，显示前 {PAGE_SIZE} 件" in status, status
    hosted = all_results_from_here(page)
    assert sorted(hosted) == sorted(offline)
    assert len(fetched) > first_page, "the first page did not check every candidate"
    assert f"找到 {len(offline)} 件答复" in page.inner_text(".search-status")


PAGEFIND_URLS = """async ([bundle, shards, queries]) => {
  const pagefind = await import(bundle);
  await pagefind.options({ excerptLength: 0 });
  for (const shard of shards) await pagefind.mergeIndex(shard);
  const found = {};
  for (const query of queries) {
    for (const sort of ["", "desc"]) {
      const response = await pagefind.search(query, sort ? { sort: { published: sort } } : {});
      const pages = await Promise.all(response.results.map((result) => result.data()));
      found[query + "|" + sort] = pages.map((page) => [
        page.url, page.meta.published, page.content.replaceAll("\u200b", "").includes(query),
      ]);
    }
  }
  return found;
}"""

QUERIES = ["养老", "答复", "老旧小区改造", "您提出的", "垃圾分类", "乌海"]


@pytest.fixture(scope="module")
def small_shards_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same archive, indexed in shards of 3 to 6 pages."""
    from builder.build import BuildOptions, build
    from builder.search import shards

    root = tmp_path_factory.mktemp("small-shards-browser")
    archive = generate(REPLIES, root / "archive")
    output = root / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shards, "MIN_PAGES", 3)
        patch.setattr(shards, "MAX_PAGES", 6)
        patch.setattr(shards, "CUT_ONE_IN", 3)
        build(BuildOptions(source=archive, output=output, search=True, cache=False))
    return output


def test_pagefind_finds_in_the_merged_bundle_what_it_finds_in_the_shards(
    page: Page, small_shards_site: Path, http_server: ServeFolder
) -> None:
    # Pagefind's own search, through its WebAssembly: the merged bundle, and the shards'
    # bundles merged in the browser by Pagefind's mergeIndex, as the page did before.
    from builder.search.shards import SHARDS_DIR

    years_site = small_shards_site
    base = http_server(years_site)
    page.goto(base + "search.html")
    (bundle,) = json.loads((years_site / "pagefind/bundles.json").read_text())["bundles"]
    merged = page.evaluate(PAGEFIND_URLS, [f"{base}pagefind/{bundle}/pagefind.js", [], QUERIES])
    names = sorted((p.name for p in (years_site / SHARDS_DIR).iterdir()), reverse=True)
    assert len(names) >= 8
    shard = [f"{base}{SHARDS_DIR}/{name}/" for name in names]
    page.goto(base + "search.html")
    sharded = page.evaluate(PAGEFIND_URLS, [shard[0] + "pagefind.js", shard[1:], QUERIES])
    assert sum(len(found) for found in merged.values()) > 100
    for key, found in merged.items():
        ours, theirs = set(map(tuple, found)), set(map(tuple, sharded[key]))
        if key.split("|")[0] in ("养老", "答复", "乌海"):  # one word to Pagefind
            assert ours == theirs, key
        # Pagefind's answers to several words differ (a shard that lacks one of them
        # answers with the others): the pages that hold the query as written do not.
        assert {r for r in ours if r[2]} == {r for r in theirs if r[2]}, key
        assert ours <= theirs, key
        if key.endswith("|desc"):
            dates = [published for _, published, _ in found]
            assert dates == sorted(dates, reverse=True), key
