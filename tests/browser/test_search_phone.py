"""The search page on a phone (390 × 844 CSS px), in headless Chromium: the filters are
folded behind one control that says how many are set, and the first result starts on the
first screen (within two in 大字模式); at 320 px in 大字模式 nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ServeFolder
from tests.browser.test_reading_phone import READING_ON, SCREEN
from tests.browser.test_search import settle

pytestmark = pytest.mark.browser

FIRST_RESULT = "document.querySelector('.search-result').getBoundingClientRect().top"
SIDEWAYS = """() => {
  const root = document.scrollingElement;
  return {scroll: root.scrollWidth, client: root.clientWidth};
}"""


@pytest.fixture
def site(built_site: Path, http_server: ServeFolder) -> str:
    return http_server(built_site)


@pytest.mark.parametrize(
    ("reading", "screens"), [(False, 1), (True, 2)], ids=["default", "reading mode"]
)
def test_the_first_result_starts_on_the_first_screen(
    page: Page, site: str, reading: bool, screens: int
) -> None:
    page.set_viewport_size({"width": 390, "height": SCREEN})
    if reading:
        page.add_init_script(READING_ON)
    page.goto(site + "search.html?q=" + quote("养老") + "&bureau=" + quote("乌海市民政局"))
    settle(page)
    assert page.evaluate("document.documentElement.classList.contains('reading-mode')") is reading
    fold = page.locator("details.search-fold")
    assert fold.get_attribute("open") is None, "folded on a phone"
    assert page.locator(".search-fold-summary").inner_text() == "筛选（已选 1 项）"
    assert not page.get_by_label("发文机构").is_visible()
    top = page.evaluate(FIRST_RESULT)
    assert top <= screens * SCREEN, top


def test_the_fold_counts_the_filters_set_and_opens_them(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 390, "height": SCREEN})
    page.goto(site + "search.html?q=" + quote("养老"))
    settle(page)
    summary = page.locator(".search-fold-summary")
    assert summary.inner_text() == "筛选"
    summary.click()
    page.get_by_label("发文机构").select_option("乌海市民政局")
    settle(page)
    page.get_by_label("公开日期从").select_option("2025-08")
    page.wait_for_function(
        "document.querySelector('.search-fold-summary').textContent === '筛选（已选 2 项）'"
    )
    page.get_by_role("button", name="清除筛选").click()
    page.wait_for_function("document.querySelector('.search-fold-summary').textContent === '筛选'")


def test_folded_filters_are_counted_only_once_opened(page: Page, site: str) -> None:
    # Pagefind counts a query's filter values from every filter chunk: a phone, where the
    # filters are folded away, fetches none of them until the reader opens the filters.
    # (答复, one word in no filter value: Pagefind's own answer and counts are taken.)
    page.set_viewport_size({"width": 390, "height": SCREEN})
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site + "search.html?q=" + quote("答复"))
    settle(page)
    assert page.get_attribute("#search", "data-search-mode") == "pagefind"
    assert page.locator(".search-result").count() > 0
    assert not [url for url in fetched if ".pf_filter" in url]
    bureaus = page.get_by_label("发文机构")
    shown = "(s) => Array.from(s.options).slice(1).map(o => o.textContent)"
    assert "乌海市民政局" in bureaus.evaluate(shown), "a value without a count"
    page.locator(".search-fold-summary").click()
    page.wait_for_function(
        """() => Array.from(document.getElementById('search-filter-bureau').options)
          .some(o => o.textContent === '乌海市民政局（1）')""",
        timeout=20_000,
    )
    assert [url for url in fetched if ".pf_filter" in url]


def test_a_wide_screen_shows_the_filters_open(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "search.html?q=" + quote("养老"))
    settle(page)
    assert page.get_by_label("发文机构").is_visible()


@pytest.mark.parametrize("opened", [False, True], ids=["folded", "filters open"])
def test_at_320_px_in_reading_mode_nothing_scrolls_sideways(
    page: Page, site: str, opened: bool
) -> None:
    page.set_viewport_size({"width": 320, "height": 700})
    page.add_init_script(READING_ON)
    page.goto(site + "search.html?q=" + quote("养老"))
    settle(page)
    assert page.evaluate("document.documentElement.classList.contains('reading-mode')")
    if opened:
        page.locator(".search-fold-summary").click()
        assert page.get_by_label("发文机构").is_visible()
    size = page.evaluate(SIDEWAYS)
    assert size["scroll"] <= size["client"], size
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('#search select, #search input')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= 320, widest
