"""What a result shows under its title, in both engines (headless Chromium over http and
file://): the body around the match with the match marked; when the match is only in a
field (a doc number, a proposer, an index number, a subject), that field by its label;
never the header fields run together with ". ", nor the same date twice."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ServeFolder
from tests.browser.test_search import settle
from tests.browser.test_search_fields import PROPOSER, TAG, fields_site, search, site

pytestmark = pytest.mark.browser
__all__ = ["fields_site", "site"]  # the fixtures, over http and file://

SNIPPETS = ".search-result-snippet"
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def snippets(page: Page) -> list[str]:
    return page.locator(SNIPPETS).all_inner_texts()


def marks(page: Page) -> list[str]:
    return page.locator(SNIPPETS + " mark").all_inner_texts()


@pytest.mark.parametrize(
    ("query", "shown", "marked"),
    [
        ("乌民复〔2025〕20号", "发文字号：乌民复〔2025〕20号", "乌民复〔2025〕20号"),
        ("乌民复[2025]20号", "发文字号：乌民复〔2025〕20号", "乌民复〔2025〕20号"),
        ("市十届人大五次会议", "会议：市十届人大五次会议", "市十届人大五次会议"),
        ("11150300011554455T", "索引号：11150300011554455T/2025-04037", "11150300011554455T"),
    ],
)
def test_a_match_only_in_a_field_shows_that_field_by_its_label(
    page: Page, site: str, query: str, shown: str, marked: str
) -> None:
    assert len(search(page, site, query)) == 1
    assert snippets(page) == [shown]
    assert marks(page) == [marked]


def test_a_proposer_is_marked_in_the_salutation_of_the_body(page: Page, site: str) -> None:
    # The body opens with the proposers' names (陈可才、刘治平、王五代表：): a match there
    # is a match in the body.
    search(page, site, PROPOSER)
    [text] = snippets(page)
    assert text.startswith(f"陈可才、刘治平、{PROPOSER}代表： 您们提出的")
    assert marks(page) == [PROPOSER]


def test_a_match_only_in_the_subjects_shows_the_subjects(page: Page, site: str) -> None:
    search(page, site, TAG)
    [text] = snippets(page)
    assert text.startswith("主题：" + TAG + "、")
    assert marks(page) == [TAG]


def test_a_match_in_the_body_shows_the_body_around_it(page: Page, site: str) -> None:
    search(page, site, "一刻钟养老服务圈")
    [text] = snippets(page)
    assert "“一刻钟养老服务圈”提质增效" in text
    assert marks(page) == ["一刻钟养老服务圈"]
    assert text.startswith("…") and text.endswith("…")


@pytest.mark.parametrize(
    "search_part", ["q=" + quote("养老"), "q=" + quote("陈可才"), "year=2025", "q=2025"]
)
def test_no_excerpt_runs_header_fields_together(page: Page, site: str, search_part: str) -> None:
    page.goto(site + "search.html?" + search_part)
    settle(page)
    found = snippets(page)
    assert len(found) == 2 or search_part.startswith("q=%E9%99%88")
    for text in found:
        assert ". " not in text, text
        dates = DATE.findall(text)
        assert len(dates) == len(set(dates)), text
        for header in ("对市十届人大五次会议第HN-35号建议的答复", "乌民复〔2025〕20号", "有效"):
            assert not text.startswith(header), text


def test_with_no_query_an_excerpt_is_the_body_opening(page: Page, site: str) -> None:
    page.goto(site + "search.html?bureau=" + quote("乌海市民政局"))
    settle(page)
    assert snippets(page) == [snippets(page)[0]]
    opening = f"陈可才、刘治平、{PROPOSER}代表： 您们提出的《关于对加快完善"
    assert snippets(page)[0].startswith(opening)
    assert marks(page) == []


def test_both_engines_show_the_same_excerpts(
    page: Page, fields_site: Path, http_server: ServeFolder
) -> None:
    hosted = http_server(fields_site)
    offline = fields_site.resolve().as_uri() + "/"
    for query in ("养老", "助餐服务", "一、基本", PROPOSER, TAG, "2025年7月7日", "试点工作"):
        shown = []
        for base in (hosted, offline):
            page.goto(base + "search.html?sort=desc&q=" + quote(query))
            settle(page)
            shown.append(page.locator(SNIPPETS).evaluate_all("ns => ns.map(n => n.innerHTML)"))
        assert shown[0] == shown[1], query
        assert shown[0], query
