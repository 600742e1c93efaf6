"""The date range (公开日期从 … 到: two selects of months) in both engines (headless
Chromium over http and file://): it narrows the results and the counts, lives in the
address, and 清除筛选 clears it. The sample's replies were published 2025-08-04 (乌海) and
2025-07-07 (潜江)."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.test_search import QIANJIANG, WUHAI, settle, site, titles
from tests.browser.test_search_counts import options, wait_for_option

pytestmark = pytest.mark.browser
__all__ = ["site"]  # the fixture, over http and file://

COUNT = "document.querySelectorAll('.search-result').length"


def open_at(page: Page, site: str, query: str) -> list[str]:
    page.goto(site + "search.html?" + query)
    settle(page)
    return titles(page)


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ("from=2025-08", [WUHAI]),
        ("to=2025-07", [QIANJIANG]),
        ("from=2025-07&to=2025-07", [QIANJIANG]),
        ("from=2025-07&to=2025-08", [WUHAI, QIANJIANG]),
        ("from=2025-09", []),
        ("to=2025-06", []),
    ],
)
def test_a_month_range_narrows_the_results(
    page: Page, site: str, months: str, expected: list[str]
) -> None:
    found = open_at(page, site, "q=" + quote("养老") + "&sort=desc&" + months)
    assert found == expected
    # with no words too: the range alone is a search
    assert open_at(page, site, months + "&sort=desc") == expected


def test_the_range_is_set_in_the_form_and_kept_in_the_address(page: Page, site: str) -> None:
    assert len(open_at(page, site, "q=" + quote("养老"))) == 2
    page.get_by_label("公开日期从").select_option("2025-08")
    page.wait_for_function(f"{COUNT} === 1")
    settle(page)
    assert titles(page) == [WUHAI]
    assert parse_qs(urlsplit(page.url).query) == {"q": ["养老"], "from": ["2025-08"]}
    wait_for_option(page, "bureau", "潜江市民政局（0）")
    assert options(page, "bureau")["潜江市民政局"] == ("潜江市民政局（0）", True)
    page.reload()
    settle(page)
    assert page.get_by_label("公开日期从").input_value() == "2025-08"
    assert titles(page) == [WUHAI]
    page.get_by_role("button", name="清除筛选").click()
    page.wait_for_function(f"{COUNT} === 2")
    settle(page)
    assert page.get_by_label("公开日期从").input_value() == ""
    assert "from" not in page.url
