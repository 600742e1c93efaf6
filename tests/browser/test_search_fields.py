"""Subjects (tags), the bureau and the region are searchable text in both engines, in
headless Chromium over http (Pagefind) and file:// (offline): a reply tagged 社区助浴 is
found by 社区助浴 though its text does not hold it, and every result still holds every
term somewhere (in its text or in one of those fields)."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import REPO_ROOT, ServeFolder
from tests.browser.test_search import QIANJIANG, WUHAI, expected_mode, settle, titles

pytestmark = pytest.mark.browser

WUHAI_SOURCE = "content/replies/2025/wuhaishi-2025-jianyi-hn-35.md"
TAG = "社区助浴"
REGION = "海勃湾区"
PROPOSER = "王五"


@pytest.fixture(scope="module")
def fields_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive, its 乌海 reply tagged 社区助浴, placed in 海勃湾区 and proposed
    also by 王五: words that are in neither reply's text."""
    from builder.build import BuildOptions, build

    root = tmp_path_factory.mktemp("fields-site")
    source = root / "archive"
    shutil.copytree(REPO_ROOT / "content", source / "content")
    shutil.copy(REPO_ROOT / "site.toml", source / "site.toml")
    reply = source / WUHAI_SOURCE
    text = reply.read_text(encoding="utf-8")
    text = text.replace("tags: [养老服务,", f"region: {REGION}\ntags: [{TAG}, 养老服务,", 1)
    proposers = "proposers: [陈可才, 刘治平"
    text = text.replace(proposers + "]", f"{proposers}, {PROPOSER}]", 1)
    reply.write_text(text, encoding="utf-8")
    for path in (source / "content").rglob("*.md"):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert TAG not in body and REGION not in body and PROPOSER not in body
    output = root / "site"
    report = build(BuildOptions(source=source, output=output, search=True, cache=False))
    assert not [p.format() for p in report.warnings if "search" in p.message]
    return output


@pytest.fixture(params=["http", "file"])
def site(request: pytest.FixtureRequest, fields_site: Path, http_server: ServeFolder) -> str:
    if request.param == "http":
        return http_server(fields_site, prefix="/archive/")
    return fields_site.resolve().as_uri() + "/"


def search(page: Page, site: str, query: str) -> list[str]:
    page.goto(site + "search.html?q=" + quote(query))
    settle(page)
    assert page.get_attribute("#search", "data-search-mode") == expected_mode(site)
    return titles(page)


@pytest.mark.parametrize(
    "query",
    [TAG, REGION, f"{TAG} {REGION}", f"{TAG} 陈可才", f"陈可才 {REGION}", "社区助浴"[1:]],
)
def test_a_word_only_in_the_tags_or_region_finds_that_reply(
    page: Page, site: str, query: str
) -> None:
    assert search(page, site, query) == [WUHAI]


@pytest.mark.parametrize("query", ["潜江市民政局", "潜江市"])
def test_the_bureau_and_its_region_are_searchable(page: Page, site: str, query: str) -> None:
    assert search(page, site, query) == [QIANJIANG]


@pytest.mark.parametrize("query", [f"{TAG} 马良", f"{REGION} 量子计算机", "社区助浴服务"])
def test_every_term_must_be_held_somewhere(page: Page, site: str, query: str) -> None:
    # 马良 is the 潜江 reply's proposer; 社区助浴服务 is written nowhere.
    assert search(page, site, query) == []


def test_a_tag_found_as_text_still_works_with_a_filter(page: Page, site: str) -> None:
    """With the counts following the query, a bureau without the tag offers 0 and cannot be
    chosen; the reply's own bureau can, and keeps the result."""
    assert search(page, site, TAG) == [WUHAI]
    bureaus = page.get_by_label("发文机构")
    other = bureaus.locator("option[value='潜江市民政局']")
    # The counts may arrive just after the results: wait for them.
    page.wait_for_function(
        "(o => o.textContent === '潜江市民政局（0）' && o.disabled)"
        "(document.querySelector(\"#search-filter-bureau option[value='潜江市民政局']\"))"
    )
    assert other.inner_text() == "潜江市民政局（0）" and other.is_disabled()
    bureaus.select_option("乌海市民政局")
    settle(page)
    assert titles(page) == [WUHAI]


def test_the_help_text_names_the_fields_searched(page: Page, site: str) -> None:
    page.goto(site + "search.html")
    help_text = page.locator("#search-help").inner_text()
    for field in ("标题", "正文", "文号", "索引号", "提出人", "主题", "发文机构", "地区"):
        assert field in help_text
