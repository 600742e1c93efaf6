"""A phone's first screen (390 × 844 CSS px) shows the answer: on a reply, the first line of
its text and the key fields (发文机构, 发文字号, 公开日期) within the first screen, and within
two screens in 大字模式; the other fields one tap away (更多信息)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ServeFolder

pytestmark = pytest.mark.browser

REPLIES = [
    "replies/2025/wuhaishi-2025-jianyi-hn-35.html",
    "replies/2025/qianjiangshi-2025-tian-150.html",
]
READING_ON = "localStorage.setItem('reply-archive.reading-mode', 'on');"
SCREEN = 844
# The bottom of the first line of the reply's text, and of each key field, in CSS px.
FIRST_SCREEN = """() => {
  const first = document.querySelector('.reply-text p');
  const top = first.getBoundingClientRect().top;
  const line = parseFloat(getComputedStyle(first).lineHeight);
  const fields = [...document.querySelectorAll('.reply-meta > .reply-fields dt')];
  return {
    text: top + line,
    fields: Object.fromEntries(fields.map(dt => [dt.textContent,
      dt.parentElement.getBoundingClientRect().bottom])),
    sideways: document.documentElement.scrollWidth > innerWidth,
  };
}"""


@pytest.fixture
def site(built_site: Path, http_server: ServeFolder) -> str:
    return http_server(built_site)


@pytest.mark.parametrize("path", REPLIES)
@pytest.mark.parametrize(
    ("reading", "screens"), [(False, 1), (True, 2)], ids=["default", "reading mode"]
)
def test_a_replys_text_starts_on_the_first_screen(
    page: Page, site: str, path: str, reading: bool, screens: int
) -> None:
    page.set_viewport_size({"width": 390, "height": SCREEN})
    if reading:
        page.add_init_script(READING_ON)
    page.goto(site + path)
    # Read aloud has shown its button or its message (no Chinese voice) by then.
    page.wait_for_function("!document.querySelector('.read-aloud').hidden")
    shown = page.evaluate(FIRST_SCREEN)
    assert shown["text"] <= screens * SCREEN, shown
    # (发文字号 where the reply has one)
    assert {"发文机构", "公开日期"} <= set(shown["fields"]) <= {"发文机构", "发文字号", "公开日期"}
    assert max(shown["fields"].values()) <= screens * SCREEN, shown
    assert not shown["sideways"]


def test_the_other_fields_are_one_tap_away(page: Page, site: str) -> None:
    page.set_viewport_size({"width": 390, "height": SCREEN})
    page.goto(site + REPLIES[0])
    more = page.locator(".reply-meta-more")
    assert not page.get_by_text("11150300011554455T/2025-04037").is_visible()
    more.locator("summary").click()
    assert page.get_by_text("11150300011554455T/2025-04037").is_visible()
    for label in ("索引号", "成文日期", "会议", "编号", "提出人", "有效性", "分类"):
        assert more.locator("dt", has_text=label).is_visible(), label
    # From the keyboard too: Enter on 更多信息 folds them again.
    more.locator("summary").focus()
    page.keyboard.press("Enter")
    assert not page.get_by_text("11150300011554455T/2025-04037").is_visible()


@pytest.mark.parametrize(
    ("width", "folded"), [(390, True), (1280, False)], ids=["phone", "desktop"]
)
def test_a_long_reply_s_contents_link_to_its_sections_and_back_to_top(
    page: Page, site: str, width: int, folded: bool
) -> None:
    page.set_viewport_size({"width": width, "height": SCREEN})
    page.goto(site + REPLIES[0])
    contents = page.get_by_role("navigation", name="目录")
    links = contents.get_by_role("link")
    assert links.first.is_visible() is not folded  # folded on a phone, open on a desktop
    if folded:
        contents.locator("summary").click()
    assert links.all_inner_texts() == [
        "一、基本情况",
        "二、主要做法及对建议的采纳与回应",
        "三、下一步工作计划",
    ]
    links.nth(2).click()
    assert page.evaluate("location.hash") == "#sec-3"
    top = page.eval_on_selector("#sec-3", "el => el.getBoundingClientRect().top")
    assert 0 <= top < 60
    assert page.locator("#sec-3").inner_text() == "三、下一步工作计划"
    page.get_by_role("link", name="返回顶部").click()
    assert page.evaluate("scrollY") == 0
    assert page.evaluate("location.hash") == "#top"
