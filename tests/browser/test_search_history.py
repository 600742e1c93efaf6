"""The search's state lives in its address (q, filters, sort, how many results are shown),
in headless Chromium over http (Pagefind) and file:// (offline): Back from a result shows
the same list, as long as it was, scrolled where it was."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ServeFolder
from tests.browser.test_search import PAGE_SIZE, settle
from tests.browser.test_search_shards import years_site

pytestmark = pytest.mark.browser
__all__ = ["years_site"]  # the fixture: 60 generated replies over several years

COUNT = "document.querySelectorAll('.search-result').length"


@pytest.fixture(params=["http", "file"])
def site(request: pytest.FixtureRequest, years_site: Path, http_server: ServeFolder) -> str:
    if request.param == "http":
        return http_server(years_site, prefix="/archive/")
    return years_site.resolve().as_uri() + "/"


def address(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def search_and_show_more(page: Page, site: str) -> None:
    page.goto(site + "search.html?q=" + quote("答复") + "&sort=desc")
    settle(page)
    assert page.evaluate(COUNT) == PAGE_SIZE
    for pages in (2, 3):
        page.get_by_role("button", name="显示更多结果").click()
        page.wait_for_function(f"{COUNT} === {pages * PAGE_SIZE}")
        settle(page)


def test_back_from_a_result_shows_the_same_list_at_the_same_place(page: Page, site: str) -> None:
    search_and_show_more(page, site)
    assert address(page) == {"q": ["答复"], "sort": ["desc"], "n": [str(3 * PAGE_SIZE)]}
    target = page.locator(".search-result").nth(3 * PAGE_SIZE - 5)
    target.scroll_into_view_if_needed()
    page.mouse.wheel(0, 150)
    page.wait_for_timeout(400)  # the position is kept once scrolling stops
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 1000
    title = target.locator("a").inner_text()
    target.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    page.go_back()
    page.wait_for_function(f"{COUNT} === {3 * PAGE_SIZE}")
    settle(page)
    page.wait_for_function(f"Math.abs(window.scrollY - {scrolled}) <= 2")
    assert page.locator(".search-result").nth(3 * PAGE_SIZE - 5).locator("a").inner_text() == title
    assert page.get_by_label("排序").input_value() == "desc"


def test_a_reload_keeps_the_list_and_the_place(page: Page, site: str) -> None:
    # A reload builds the page afresh (no page cache): the address and the history state
    # alone bring the list back.
    search_and_show_more(page, site)
    page.evaluate("window.scrollTo(0, 1500)")
    page.wait_for_timeout(400)
    page.reload()
    page.wait_for_function(f"{COUNT} === {3 * PAGE_SIZE}")
    settle(page)
    page.wait_for_function("Math.abs(window.scrollY - 1500) <= 2")


def test_typing_and_filters_rewrite_the_address(page: Page, site: str) -> None:
    page.goto(site + "search.html")
    settle(page)
    length = page.evaluate("history.length")
    page.get_by_label("搜索词").press_sequentially("答复", delay=30)
    page.wait_for_function(f"{COUNT} === {PAGE_SIZE}")
    settle(page)
    assert address(page) == {"q": ["答复"]}
    year = page.get_by_label("年份")
    chosen = year.evaluate("s => s.options[1].value")
    year.select_option(chosen)
    page.wait_for_function("location.search.includes('year=')")
    settle(page)
    assert address(page) == {"q": ["答复"], "year": [chosen]}
    assert page.evaluate("history.length") == length, "typing and filters replace the entry"
    page.get_by_label("搜索词").fill("养老")
    page.get_by_label("搜索词").press("Enter")
    page.wait_for_function("location.search.includes('q=%E5%85%BB%E8%80%81')")
    settle(page)
    assert page.evaluate("history.length") == length + 1, "a submitted search is a new entry"
    page.go_back()
    page.wait_for_function("document.getElementById('search-page-input').value === '答复'")
    settle(page)
    assert page.get_by_label("年份").input_value() == chosen
