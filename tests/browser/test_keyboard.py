"""The site works by keyboard alone: the skip link comes first and moves focus to the main
content, Tab reaches every control once in the order they are shown, the focus is always
visible, nothing traps it, and the reading-mode button and the search filters work from the
keyboard. Pressed keys only: no element is focused or clicked by script."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ServeFolder

pytestmark = pytest.mark.browser

WUHAI = "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
KINDS = [
    "index.html",
    "tags/index.html",
    "tags/yanglaofuwu/index.html",
    "bureaus/index.html",
    "bureaus/wuhaishiminzhengju/index.html",
    "years/index.html",
    "years/2025/index.html",
    WUHAI,
    "search.html",
    "404.html",
]
READING_ON = "localStorage.setItem('reply-archive.reading-mode', 'on');"
SEARCH_SETTLED = """() => {
  const status = document.querySelector('.search-status');
  return status && /找到/.test(status.textContent) && !/正在/.test(status.textContent);
}"""

# Every element Tab should reach, in document order, each marked with its position.
MARK_TABBABLE = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const all = [...document.querySelectorAll(selector)].filter(el => {
    if (el.disabled || el.tabIndex < 0) return false;
    // Inside a folded <details> only its summary is reached.
    const folded = el.closest('details:not([open])');
    if (folded && el !== folded.querySelector('summary')) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const skip = el.classList.contains('skip-link');  // shown only once focused
    return style.visibility !== 'hidden' && (skip || (box.width > 0 && box.height > 0));
  });
  all.forEach((el, i) => el.setAttribute('data-tab-stop', String(i)));
  return all.map(describe);
  function describe(el) {
    return el.tagName.toLowerCase() + ' ' + (el.getAttribute('aria-label') ||
      el.textContent.trim().slice(0, 20) || el.getAttribute('name') || el.id);
  }
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    stop: el.getAttribute('data-tab-stop'),
    id: el.id,
    className: typeof el.className === 'string' ? el.className : '',
    text: el.textContent.trim().slice(0, 20),
    outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    shadow: style.boxShadow !== 'none',
    inView: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    focusVisible: el.matches(':focus-visible'),
  };
}"""


@pytest.fixture
def site(built_site: Path, http_server: ServeFolder) -> str:
    return http_server(built_site)


def focused(page: Page) -> dict[str, Any] | None:
    result: dict[str, Any] | None = page.evaluate(FOCUSED)
    return result


def tab(page: Page, key: str = "Tab") -> dict[str, Any] | None:
    page.keyboard.press(key)
    return focused(page)


@pytest.mark.parametrize("path", KINDS)
def test_the_skip_link_comes_first_and_moves_focus_to_the_main_content(
    page: Page, site: str, path: str
) -> None:
    page.goto(site + path)
    first = tab(page)
    assert first is not None and "skip-link" in first["className"]
    assert first["inView"] and first["outline"] >= 2, "the focused skip link must be seen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


# Whether the focused element is wholly inside the visible part of the row that holds it.
SEEN_IN_ITS_ROW = """() => {
  const el = document.activeElement;
  const row = el.closest('ul') || document.body;
  const a = el.getBoundingClientRect(), b = row.getBoundingClientRect();
  return a.left >= b.left - 1 && a.right <= b.right + 1 && a.right <= innerWidth;
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("reading", [False, True], ids=["default", "reading mode"])
def test_the_header_is_tabbed_through_in_the_order_it_is_shown(
    page: Page, site: str, width: int, reading: bool
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    if reading:
        page.add_init_script(READING_ON)
    page.goto(site + "index.html")
    sections = page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.textContent)")
    assert sections[:4] == ["全部答复", "主题", "发文机构", "年份"]
    # One way into search: a link to the search page, no search box in the header.
    assert page.locator(".site-header input").count() == 0
    order = []
    for _ in range(len(sections) + 4):
        order.append(tab(page))
        # On a phone the sections scroll sideways in their row: the focused one is shown.
        assert page.evaluate(SEEN_IN_ITS_ROW), order[-1]
    names = [(f["className"] or f["id"] or f["text"]) if f else None for f in order]
    assert names == [
        "skip-link",
        "site-title",
        "reading-toggle",
        *sections,
        "site-search-link",
    ]
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html")
    assert page.locator(".site-search-link").get_attribute("aria-current") == "page"


@pytest.mark.parametrize(
    "path", ["index.html", "bureaus/index.html", WUHAI, "search.html?q=" + quote("养老")]
)
def test_tab_reaches_every_control_once_in_order_with_a_visible_focus(
    page: Page, site: str, path: str
) -> None:
    page.goto(site + path)
    if path.startswith("search.html"):
        page.wait_for_function(SEARCH_SETTLED, timeout=20_000)
    stops = page.evaluate(MARK_TABBABLE)
    assert len(stops) > 10
    seen: list[int] = []
    for _ in stops:
        f = tab(page)
        assert f is not None, f"focus left the page after {len(seen)} of {len(stops)} stops"
        assert f["focusVisible"] and (f["outline"] >= 2 or f["shadow"]), f"no visible focus: {f}"
        seen.append(int(f["stop"]))
    assert seen == list(range(len(stops))), [stops[i] for i in seen]
    # No trap: one more Tab leaves the page, and Shift+Tab comes back to the last control.
    assert tab(page) is None
    back = tab(page, "Shift+Tab")
    assert back is not None and int(back["stop"]) == len(stops) - 1


def test_the_reading_mode_button_works_with_space_and_enter(page: Page, site: str) -> None:
    page.goto(site + WUHAI)
    for _ in range(3):
        page.keyboard.press("Tab")
    button = page.locator(".reading-toggle")
    assert page.evaluate("document.activeElement.className") == "reading-toggle"
    assert button.get_attribute("aria-pressed") == "false"
    page.keyboard.press("Space")
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.classList.contains('reading-mode')")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "false"
    assert not page.evaluate("document.documentElement.classList.contains('reading-mode')")
    assert page.evaluate("document.activeElement.className") == "reading-toggle"


def test_the_search_filters_work_from_the_keyboard(page: Page, site: str) -> None:
    page.goto(site + "search.html?q=" + quote("养老"))
    page.wait_for_function(SEARCH_SETTLED, timeout=20_000)
    before = page.locator(".search-result").count()
    assert before == 2
    for _ in range(40):
        if page.evaluate("document.activeElement.name") == "bureau":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the 发文机构 filter")
    page.keyboard.press("ArrowDown")  # the first bureau after 全部
    chosen = page.evaluate("document.activeElement.value")
    assert chosen
    page.wait_for_function(
        "() => document.querySelectorAll('.search-result').length === 1", timeout=20_000
    )
    page.wait_for_function(SEARCH_SETTLED, timeout=20_000)
    assert chosen in page.locator(".search-result").inner_text()
    assert parse_qs(urlsplit(page.url).query)["bureau"] == [chosen]
    # Tab goes on from the filter to the results.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.search-result')"):
            break
    else:
        pytest.fail("Tab never reached the search results after the filters")
