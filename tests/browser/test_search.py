"""Search on the built sample archive in headless Chromium: over http (Pagefind, served
under a sub-path) and from file:// (the offline index), the same answers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import REPO_ROOT, ServeFolder

pytestmark = pytest.mark.browser

WUHAI = "对市十届人大五次会议第HN-35号建议的答复"
QIANJIANG = "关于对市政协九届四次会议第150号提案的答复"
PAGE_SIZE = int(
    re.findall(
        r"var PAGE_SIZE = (\d+);", (REPO_ROOT / "templates/static/search-core.js").read_text()
    )[0]
)
"""The results a search page shows at first and adds at each 显示更多结果 (search-core.js)."""
SETTLED = """() => {
  const status = document.querySelector('.search-status');
  return status && status.textContent && !/正在/.test(status.textContent);
}"""


@pytest.fixture(params=["http", "file"])
def site(request: pytest.FixtureRequest, built_site: Path, http_server: ServeFolder) -> str:
    """The built site's base URL: under /archive/ over http, or the folder over file://."""
    if request.param == "http":
        return http_server(built_site, prefix="/archive/")
    return built_site.resolve().as_uri() + "/"


def expected_mode(site: str) -> str:
    return "offline" if site.startswith("file:") else "pagefind"


def settle(page: Page) -> None:
    page.wait_for_function(SETTLED, timeout=20_000)


def search(page: Page, site: str, query: str) -> list[str]:
    page.goto(site + "search.html?q=" + quote(query))
    settle(page)
    assert page.get_attribute("#search", "data-search-mode") == expected_mode(site)
    return titles(page)


def titles(page: Page) -> list[str]:
    return page.locator(".search-result-title a").all_inner_texts()


def status(page: Page) -> str:
    return page.locator(".search-status").inner_text()


@pytest.mark.parametrize("query", ["养老", "助餐"])
def test_a_word_in_both_replies_finds_both(page: Page, site: str, query: str) -> None:
    assert sorted(search(page, site, query)) == sorted([WUHAI, QIANJIANG])
    assert "找到 2 件答复" in status(page)


@pytest.mark.parametrize("query", ["乌民复〔2025〕20号", "陈可才", "乌民复[2025]20号"])
def test_a_doc_number_or_proposer_finds_exactly_the_wuhai_reply(
    page: Page, site: str, query: str
) -> None:
    assert search(page, site, query) == [WUHAI]


def test_a_word_in_neither_reply_finds_nothing_and_says_so(page: Page, site: str) -> None:
    assert search(page, site, "量子计算机") == []
    assert "没有找到包含“量子计算机”的答复" in status(page)


def test_a_word_pagefind_answers_with_a_shorter_one_finds_what_holds_it(
    page: Page, site: str
) -> None:
    # Neither reply holds 乌鸦: Pagefind, finding no indexed word that starts with it,
    # answers with the pages of the longest indexed word that starts it (乌). Over http
    # the offline index then answers, as from file://.
    query = "乌鸦"
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    assert search(page, site, query) == []
    assert f"没有找到包含“{query}”的答复" in status(page)
    if expected_mode(site) == "pagefind":
        raw = page.evaluate(
            f"async () => (await import('./pagefind/2025/pagefind.js')).search('{query}')"
            ".then(r => r.results.length)"
        )
        assert raw >= 1, "Pagefind alone returns pages that do not hold it"
        assert any("search-offline.js" in url for url in requested)


def test_a_word_pagefind_finds_is_answered_by_pagefind_alone(page: Page, site: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    assert sorted(search(page, site, "养老")) == sorted([WUHAI, QIANJIANG])
    if expected_mode(site) == "pagefind":
        assert not any("search-offline.js" in url for url in requested)


def test_a_compound_is_found_only_where_it_is_written(page: Page, site: str) -> None:
    # Both replies hold 助餐 and 服务; only the 潜江 reply holds 助餐服务 as written.
    assert search(page, site, "助餐服务") == [QIANJIANG]
    if expected_mode(site) == "pagefind":
        raw = page.evaluate(
            "async () => (await import('./pagefind/2025/pagefind.js')).search('助餐服务')"
            ".then(r => r.results.length)"
        )
        assert raw == 2, "Pagefind alone returns the scattered parts too"


def test_a_reply_that_holds_the_query_is_found_where_pagefind_misses_it(
    page: Page, site: str
) -> None:
    # Both replies hold 试点工作, indexed as 试点|工作. The browser cuts the query as
    # 试|点|工作 and Pagefind then wants a word that starts with 点: one reply has none.
    assert sorted(search(page, site, "试点工作")) == sorted([WUHAI, QIANJIANG])
    if expected_mode(site) == "pagefind":
        raw = page.evaluate(
            "async () => (await import('./pagefind/2025/pagefind.js')).search('试点工作')"
            ".then(r => r.results.length)"
        )
        assert raw == 1, "Pagefind alone misses one"


def test_results_show_bureau_date_doc_number_and_a_marked_snippet(page: Page, site: str) -> None:
    search(page, site, "陈可才")
    result = page.locator(".search-result").first
    assert result.locator(".search-result-bureau").inner_text() == "乌海市民政局"
    assert result.locator(".search-result-date").inner_text() == "2025年8月4日"
    assert result.locator(".search-result-doc").inner_text() == "乌民复〔2025〕20号"
    assert "陈可才" in result.locator(".search-result-snippet mark").all_inner_texts()


def test_a_result_links_to_its_reply(page: Page, site: str) -> None:
    search(page, site, "陈可才")
    page.locator(".search-result-title a").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("replies/2025/wuhaishi-2025-jianyi-hn-35.html")
    assert page.locator("h1").inner_text() == WUHAI


def test_a_bureau_filter_narrows_the_results(page: Page, site: str) -> None:
    assert len(search(page, site, "养老")) == 2
    page.get_by_label("发文机构").select_option(label="潜江市民政局（1）")
    settle(page)
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert titles(page) == [QIANJIANG]
    assert "找到 1 件答复" in status(page)


def test_filters_work_from_the_keyboard(page: Page, site: str) -> None:
    search(page, site, "养老")
    bureau = page.get_by_label("发文机构")
    bureau.focus()
    page.keyboard.press("ArrowDown")  # the first bureau after 全部
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    settle(page)
    chosen = bureau.evaluate("select => select.selectedOptions[0].value")
    assert titles(page) == [WUHAI if chosen == "乌海市民政局" else QIANJIANG]


def test_the_filters_are_labelled_form_controls_in_a_fieldset(page: Page, site: str) -> None:
    search(page, site, "养老")
    fieldset = page.locator("fieldset.search-filters")
    assert fieldset.is_visible()
    assert fieldset.locator("legend").inner_text() == "筛选和排序"
    for label in ("发文机构", "地区", "年份", "主题", "类别", "排序"):
        assert page.get_by_label(label).evaluate("e => e.tagName") == "SELECT"
    assert page.locator(".search-status").get_attribute("aria-live") == "polite"


def test_sorting_by_date_puts_the_newest_first(page: Page, site: str) -> None:
    search(page, site, "养老")
    page.get_by_label("排序").select_option("desc")
    settle(page)
    page.wait_for_function("document.querySelectorAll('.search-result').length === 2")
    assert titles(page) == [WUHAI, QIANJIANG]  # 2025-08-04, then 2025-07-07
    page.get_by_label("排序").select_option("asc")
    page.wait_for_function(
        f"(document.querySelector('.search-result-title a') || {{}}).textContent === {QIANJIANG!r}"
    )


def test_the_header_search_link_leads_to_results(page: Page, site: str) -> None:
    page.goto(site + "replies/2025/qianjiangshi-2025-tian-150.html")
    page.locator(".site-header").get_by_role("link", name="搜索").click()
    page.wait_for_url("**/search.html*")
    page.get_by_label("搜索词").fill("陈可才")
    page.get_by_label("搜索词").press("Enter")
    settle(page)
    assert page.get_by_label("搜索词").input_value() == "陈可才"
    assert titles(page) == [WUHAI]


def test_the_search_mode_follows_how_the_site_is_opened(page: Page, site: str) -> None:
    search(page, site, "养老")
    note = page.locator(".search-note")
    if expected_mode(site) == "offline":
        assert "离线搜索" in note.inner_text()
    else:
        assert note.is_hidden()


def test_a_query_naming_a_subject_offers_that_filter(page: Page, site: str) -> None:
    # 养老人才 is a subject (tag) of the 乌海 reply but in neither reply's text: found as
    # a subject, and offered as the subject filter.
    assert search(page, site, "养老人才") == [WUHAI]
    offer = page.get_by_role("button", name="查看主题为“养老人才”的全部答复（1 件）")
    offer.click()
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert titles(page) == [WUHAI]
    assert page.get_by_label("主题").input_value() == "养老人才"


def test_over_http_without_pagefind_the_offline_index_is_used(
    page: Page, built_site: Path, http_server: ServeFolder, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    shutil.rmtree(site / "pagefind")
    page.goto(http_server(site) + "search.html?q=" + quote("陈可才"))
    settle(page)
    assert page.get_attribute("#search", "data-search-mode") == "offline"
    assert titles(page) == [WUHAI]


def test_without_any_index_the_page_says_search_is_unavailable(
    page: Page, built_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind", "search"))
    page.goto(site.resolve().as_uri() + "/search.html?q=" + quote("养老"))
    page.wait_for_function("document.querySelector('#search').dataset.searchMode === 'none'")
    assert "没有可用的搜索索引" in status(page)


@pytest.mark.parametrize("protocol", ["http", "file"])
def test_a_search_page_from_an_older_theme_that_loads_both_engines_still_searches(
    page: Page, built_site: Path, http_server: ServeFolder, tmp_path: Path, protocol: str
) -> None:
    # An archive's own search.html made from the theme before the engines were loaded on
    # demand: both engine scripts in <head>, no data-*-engine addresses.
    old = tmp_path / "site"
    shutil.copytree(built_site, old)
    html = (old / "search.html").read_text(encoding="utf-8")
    html = re.sub(r' data-(pagefind|offline)-engine="[^"]*"', "", html)
    script = '<script src="static/search.js'
    engines = '<script src="static/search-pagefind.js" defer></script>\n'
    engines += '<script src="static/search-offline.js" defer></script>\n'
    assert "-engine=" not in html and script in html
    (old / "search.html").write_text(html.replace(script, engines + script, 1), "utf-8")
    base = http_server(old) if protocol == "http" else old.resolve().as_uri() + "/"
    assert sorted(search(page, base, "养老")) == sorted([WUHAI, QIANJIANG])
