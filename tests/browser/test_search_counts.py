"""Filter counts follow the query and the other filters, in both engines (headless
Chromium over http and file://): a value that would give no result says 0 and cannot be
chosen, unless it is the chosen one; 清除筛选 resets every filter."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.test_search import QIANJIANG, WUHAI, search, settle, site, titles

pytestmark = pytest.mark.browser
__all__ = ["site"]  # the fixture, over http and file://

OPTIONS = """(id) => Array.from(document.getElementById(id).options).slice(1)
  .map(o => [o.textContent, o.disabled])"""


def options(page: Page, name: str) -> dict[str, tuple[str, bool]]:
    """A filter's values: value -> (text shown, disabled)."""
    found = page.evaluate(OPTIONS, f"search-filter-{name}")
    return {text.split("（")[0]: (text, disabled) for text, disabled in found}


def wait_for_option(page: Page, name: str, text: str) -> None:
    page.wait_for_function(
        f"""() => Array.from(document.getElementById('search-filter-{name}').options)
          .some(o => o.textContent === {text!r})""",
        timeout=20_000,
    )


def test_counts_follow_the_query(page: Page, site: str) -> None:
    search(page, site, "陈可才")
    wait_for_option(page, "bureau", "潜江市民政局（0）")
    bureaus = options(page, "bureau")
    assert bureaus["乌海市民政局"] == ("乌海市民政局（1）", False)
    assert bureaus["潜江市民政局"] == ("潜江市民政局（0）", True)
    assert options(page, "tag")["老年助餐"] == ("老年助餐（0）", True)
    search(page, site, "养老")
    wait_for_option(page, "bureau", "潜江市民政局（1）")
    assert options(page, "bureau")["乌海市民政局"] == ("乌海市民政局（1）", False)


def test_counts_follow_the_other_filters_and_the_chosen_value_stays_enabled(
    page: Page, site: str
) -> None:
    search(page, site, "养老")
    page.get_by_label("发文机构").select_option("乌海市民政局")
    settle(page)
    wait_for_option(page, "tag", "老年助餐（0）")  # 老年助餐 is a subject of the 潜江 reply
    assert options(page, "tag")["养老服务"] == ("养老服务（1）", False)
    # The bureau's own counts ignore the bureau chosen.
    assert options(page, "bureau")["潜江市民政局"] == ("潜江市民政局（1）", False)
    page.get_by_label("发文机构").select_option("潜江市民政局")
    settle(page)
    page.get_by_label("主题").select_option("老年助餐")
    settle(page)
    wait_for_option(page, "bureau", "乌海市民政局（0）")
    assert options(page, "bureau")["乌海市民政局"] == ("乌海市民政局（0）", True)
    assert options(page, "bureau")["潜江市民政局"] == ("潜江市民政局（1）", False)
    assert titles(page) == [QIANJIANG]


def test_a_chosen_value_that_gives_nothing_stays_enabled(page: Page, site: str) -> None:
    page.goto(site + "search.html?q=" + "%E9%99%88%E5%8F%AF%E6%89%8D" + "&bureau=潜江市民政局")
    settle(page)
    assert titles(page) == []
    wait_for_option(page, "bureau", "潜江市民政局（0）")
    assert options(page, "bureau")["潜江市民政局"] == ("潜江市民政局（0）", False)


def test_one_control_resets_every_filter(page: Page, site: str) -> None:
    search(page, site, "养老")
    reset = page.get_by_role("button", name="清除筛选")
    assert reset.is_disabled()
    page.get_by_label("发文机构").select_option("乌海市民政局")
    settle(page)
    page.get_by_label("年份").select_option("2025")
    settle(page)
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    assert reset.is_enabled()
    reset.click()
    page.wait_for_function("document.querySelectorAll('.search-result').length === 2")
    settle(page)
    for label in ("发文机构", "年份", "主题", "地区", "类别"):
        assert page.get_by_label(label).input_value() == ""
    assert sorted(titles(page)) == sorted([WUHAI, QIANJIANG])
    assert "bureau" not in page.url and "year" not in page.url
    assert reset.is_disabled()
