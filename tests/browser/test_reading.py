"""Reading: pages reflow at 320 CSS px and at 200% zoom without scrolling sideways, follow
dark mode and a request for more contrast, set Chinese text as the published documents
do, and print a reply as a clean document.

Pages are checked on an archive made to be hard to lay out: the two sample replies and one
with a long bureau name, long numbers and addresses without break points, many subjects,
and every Markdown construct.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import REPO_ROOT, ServeFolder
from tests.browser.test_accessibility import axe_script, axe_violations

__all__ = ["axe_script"]  # a fixture
pytestmark = pytest.mark.browser

LONG_SOURCE = "https://www.example.gov.cn/zwgk/zfxxgk/fdzdgknr/jytabl/2025/07/07/t20250707_1234567890abcdefghijklmnopqrstuvwxyz.html"
STRESS_REPLY = f"""\
---
title: 关于对内蒙古自治区乌海市海勃湾区第十届人民代表大会第五次会议第HN-2025-0035-补充号建议的答复
kind: suggestion
bureau: 内蒙古自治区乌海市海勃湾区卫生健康委员会医养结合服务管理中心
published: 2025-08-04 12:43:38
session: 内蒙古自治区乌海市海勃湾区第十届人民代表大会第五次会议
number: HN-2025-0035-补充
proposal_title: 关于对加快完善我市多元化养老服务体系和医养结合服务网络建设以及适老化改造的建议
proposers: [陈可才, 刘治平, 王二小, 李四, 张三, 赵六, 孙七, 周八, 吴九, 郑十]
proposer_role: 代表
doc_number: 乌海海勃湾卫健医养复〔2025〕第0000000020号
index_number: 11150300011554455T11150300011554455T/2025-04037-000000000001
category: 建议提案
written: 2025-06-20
status: 有效
tags: [养老服务, 医养结合, 适老化改造, 智慧养老, 养老人才, 银发经济, 老年助餐,
  社区养老, 家庭养老床位, 长期护理保险]
contacts:
  分管领导: 张哲恒
  电子邮箱: averyveryverylongmailboxnamewithoutbreaks@weijian.haibowan.wuhai.example.gov.cn
  电话: "0473-8992056-0000000000"
source_url: {LONG_SOURCE}
---

您们提出的《关于对加快完善我市多元化养老服务体系的建议》收悉,现答复如下:

## 一、基本情况

### (一)关于医养结合

#### 1. 服务点

- 第一项,[政策原文](https://www.example.gov.cn/zcwj/averyveryverylongpathsegmentwithoutanybreakpointsatallforreflow.html);
- 第二项,`averyveryverylongidentifierwithoutanybreakpoints_averyveryverylongidentifier`;

> 引用的一段话:ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ。

我市现有养老机构12家,床位2400张,其中护理型床位占比达到百分之六十以上。

| 项目 | 2021年 | 2022年 | 2023年 | 2024年 | 备注 |
|:---|---:|---:|---:|---:|---|
| 财政投入（万元） | 1234567.89 | 2345678.90 | 3456789.01 | 4567890.12 | 乌海〔2024〕20号 |
| 护理型床位（张） | 1200 | 1500 | 1800 | 2400 | averyveryverylongcellwithoutanybreakpointsatall |
"""
STRESS = "replies/2025/stress.html"
WUHAI = "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
READING_ON = "localStorage.setItem('reply-archive.reading-mode', 'on');"
IS_READING = "document.documentElement.classList.contains('reading-mode')"
WIDTHS = """() => ({
  scroll: document.documentElement.scrollWidth,
  viewport: document.documentElement.clientWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map(el => el.tagName + '.' + el.className),
})"""


@pytest.fixture(scope="module")
def stress_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from builder.build import BuildOptions, build

    folder = tmp_path_factory.mktemp("stress")
    source = folder / "archive"
    shutil.copytree(REPO_ROOT / "content", source / "content")
    shutil.copy(REPO_ROOT / "site.toml", source / "site.toml")
    (source / "content" / "replies" / "2025" / "stress.md").write_text(
        STRESS_REPLY, encoding="utf-8"
    )
    build(BuildOptions(source=source, output=folder / "site", search=False))
    return folder / "site"


@pytest.fixture
def site(stress_site: Path, http_server: ServeFolder) -> str:
    return http_server(stress_site)


def pages_of(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))


def sideways(page: Page, base: str, paths: list[str]) -> list[str]:
    """The pages that scroll sideways, with the elements that stick out."""
    found = []
    for path in paths:
        page.goto(base + path)
        widths: dict[str, Any] = page.evaluate(WIDTHS)
        if widths["scroll"] > widths["viewport"]:
            found.append(f"{path}: {widths['scroll']} > {widths['viewport']}: {widths['wide']}")
    return found


def style(page: Page, selector: str, *properties: str) -> list[str]:
    values: list[str] = page.eval_on_selector(
        selector, "(el, names) => names.map(n => getComputedStyle(el)[n])", list(properties)
    )
    return values


def px(value: str) -> float:
    assert value.endswith("px"), value
    return float(value[:-2])


def luminance(css_colour: str) -> float:
    """Relative luminance of an `rgb(r, g, b)` computed colour."""
    channels = [int(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("reading", [False, True], ids=["default", "reading mode"])
def test_every_page_reflows_at_320_css_px(
    page: Page, site: str, stress_site: Path, reading: bool
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    if reading:
        page.add_init_script(READING_ON)
    paths = pages_of(stress_site)
    assert STRESS in paths and len(paths) > 15
    assert sideways(page, site, paths) == []


@pytest.mark.parametrize("reading", [False, True], ids=["default", "reading mode"])
def test_pages_zoomed_to_200_percent_do_not_scroll_sideways(
    page: Page, site: str, reading: bool
) -> None:
    if reading:
        page.add_init_script(READING_ON)
    paths = ["index.html", "bureaus/index.html", STRESS, "search.html", "404.html"]
    # Zooming a 1280 px window to 200% leaves 640 CSS px.
    page.set_viewport_size({"width": 640, "height": 800})
    assert sideways(page, site, paths) == []
    # Text-only zoom: the reader's font size doubled, the window as it was.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        " const s = document.createElement('style');"
        " s.textContent = 'html { font-size: 225% !important }';"
        " document.head.append(s); });"
    )
    assert sideways(page, site, paths) == []
    assert px(style(page, "body", "fontSize")[0]) == 36


def test_reply_text_is_set_like_the_published_document(page: Page, site: str) -> None:
    page.goto(site + WUHAI)
    size, line_height, indent, family = style(
        page, ".reply-text p:not(.addressees)", "fontSize", "lineHeight", "textIndent", "fontFamily"
    )
    assert px(line_height) == pytest.approx(1.8 * px(size), abs=0.5)
    assert px(indent) == pytest.approx(2 * px(size), abs=0.5)
    # A system font with Chinese on each platform: macOS and iOS, Windows, Linux and Android.
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Droid Sans Fallback"):
        assert font in family
    assert family.rstrip().endswith("sans-serif")
    body_size, body_line = style(page, "body", "fontSize", "lineHeight")
    assert px(body_line) == pytest.approx(1.8 * px(body_size), abs=0.5)
    assert px(body_size) >= 18


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("contrast_wish", ["no-preference", "more"])
def test_colours_follow_dark_mode_and_a_request_for_more_contrast(
    page: Page, site: str, scheme: str, contrast_wish: str
) -> None:
    page.emulate_media(color_scheme=scheme, contrast=contrast_wish)  # type: ignore[arg-type]
    page.goto(site + WUHAI)
    text, background = style(page, "body", "color", "backgroundColor")
    assert (luminance(background) < 0.05) is (scheme == "dark")
    assert (luminance(text) > 0.5) is (scheme == "dark")
    ratio = contrast(text, background)
    assert ratio >= (19 if contrast_wish == "more" else 13), ratio
    link = style(page, ".reply-meta a", "color")[0]
    assert contrast(link, background) >= (7 if contrast_wish == "more" else 4.5)


def test_a_reply_prints_as_a_clean_document(page: Page, site: str) -> None:
    page.goto(site + STRESS)
    page.emulate_media(media="print")
    for hidden in (
        ".site-header",
        ".site-nav",
        ".site-search-link",
        ".reading-toggle",
        ".skip-link",
        ".breadcrumbs",
        ".site-footer",
        ".reply-links",
        ".read-aloud",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    for shown in ("h1", ".reply-meta", ".reply-text", ".signature", ".contacts", ".reply-source"):
        assert page.locator(shown).first.is_visible(), shown
    meta = page.locator(".reply-meta").inner_text()
    assert "乌海海勃湾卫健医养复〔2025〕第0000000020号" in meta
    # The fields folded behind 更多信息 on the screen are printed too.
    assert "11150300011554455T11150300011554455T/2025-04037-000000000001" in meta
    assert not page.locator(".reply-meta-more summary").is_visible()
    assert LONG_SOURCE in page.locator(".reply-source").inner_text()
    family = style(page, "body", "fontFamily")[0]
    assert family.startswith('"Songti SC"')
    # Links in the text print their address after them.
    after = page.eval_on_selector(
        ".reply-text a[href^='http']", "a => getComputedStyle(a, '::after').content"
    )
    assert "https://www.example.gov.cn/zcwj/" in after
    # The printed page is black on white, in the reading mode too.
    page.evaluate("document.documentElement.classList.add('reading-mode')")
    text, background = style(page, "body", "color", "backgroundColor")
    assert (text, background) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    assert px(style(page, "html", "fontSize")[0]) == 16  # 12pt


def test_the_screen_shows_what_print_hides(page: Page, site: str) -> None:
    page.goto(site + STRESS)
    for shown in (
        ".site-header",
        ".site-nav",
        ".reading-toggle",
        ".site-search-link",
        ".breadcrumbs",
        ".reply-links",
    ):
        assert page.locator(shown).first.is_visible(), shown


REFLOW_KINDS = {
    "home": "index.html",
    "listing": "bureaus/wuhaishiminzhengju/index.html",
    "facet": "tags/index.html",
    "reply": WUHAI,
    "search": "search.html",
    "search with results": "search.html?q=%E5%85%BB%E8%80%81",
    "statistics": "stats/index.html",
    "downloads": "data/index.html",
    "404": "404.html",
}


@pytest.mark.parametrize("path", REFLOW_KINDS.values(), ids=REFLOW_KINDS.keys())
def test_every_kind_of_page_reflows_at_320_css_px_in_reading_mode(
    page: Page, built_site: Path, http_server: ServeFolder, path: str
) -> None:
    # The sample archive built with search: the search page has its results and filters.
    base = http_server(built_site)
    page.set_viewport_size({"width": 320, "height": 640})
    page.add_init_script(READING_ON)
    page.goto(base + path)
    if path.startswith("search.html"):  # its filters and results come with the index
        page.wait_for_function("document.querySelector('#search').hasAttribute('data-search-mode')")
    if "?q=" in path:
        page.wait_for_function("/找到/.test(document.querySelector('.search-status').textContent)")
    # What a reader opens (更多信息, 目录, the filters) must reflow too.
    folded = page.locator("main details:not([open]) > summary:visible")
    for _ in range(10):
        if not folded.count():
            break
        folded.first.click()
    assert page.evaluate(IS_READING)
    widths: dict[str, Any] = page.evaluate(WIDTHS)
    assert widths["scroll"] <= widths["viewport"], widths


def test_a_wide_table_scrolls_in_its_own_box_by_keys_and_passes_axe(
    page: Page, site: str, axe_script: Path
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.add_init_script(READING_ON)
    page.goto(f"{site}/{STRESS}")
    box = page.locator(".reply-text .table-scroll")
    assert box.count() == 1 and box.locator("tbody tr").count() == 2
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # (the table is wider)
    widths: dict[str, Any] = page.evaluate(WIDTHS)
    assert widths["scroll"] <= widths["viewport"], widths  # (the page is not)
    for _ in range(60):  # keys only: Tab to the table's box, then arrows scroll it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-scroll')"):
            break
    else:
        raise AssertionError("Tab never reaches the table")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0")
    assert axe_violations(page, axe_script) == []
