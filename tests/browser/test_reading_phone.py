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
