"""The 适老化 reading mode (大字模式): larger text and higher contrast, one button in the
header of every page, applied before the first paint and remembered across pages, over
http and from file://, also where file:// pages get no shared storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import ServeFolder

pytestmark = pytest.mark.browser

WUHAI = "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
# Pages in different folders: the mode must follow the reader from one to the next.
WALK = ["index.html", WUHAI, "tags/index.html", "bureaus/wuhaishiminzhengju/index.html", "404.html"]
IS_ON = "document.documentElement.classList.contains('reading-mode')"
# Records whether <html> had the class when <body> first appeared, i.e. before any paint.
WATCH_FIRST_PAINT = """
new MutationObserver((changes, observer) => {
  if (!document.body) return;
  window.__readingAtBody = document.documentElement.classList.contains('reading-mode');
  observer.disconnect();
}).observe(document, {childList: true, subtree: true});
"""
NO_STORAGE = """
Object.defineProperty(window, 'localStorage', {
  configurable: true,
  get() { throw new DOMException('storage is off', 'SecurityError'); },
});
"""

# Like browsers that give each file:// page its own storage: keys are kept per page.
STORAGE_PER_PAGE = """
(() => {
  const real = window.localStorage;
  const own = key => location.pathname + '|' + key;
  const store = {
    getItem: key => real.getItem(own(key)),
    setItem: (key, value) => real.setItem(own(key), value),
    removeItem: key => real.removeItem(own(key)),
  };
  Object.defineProperty(window, 'localStorage', {configurable: true, get: () => store});
})();
"""


@pytest.fixture
def http_site(built_site: Path, http_server: ServeFolder) -> str:
    return http_server(built_site)


@pytest.fixture
def file_site(built_site: Path) -> str:
    return built_site.resolve().as_uri() + "/"


def toggle(page: Page) -> None:
    page.locator(".reading-toggle").click()


def state(page: Page) -> tuple[bool, str | None, bool]:
    """(class on <html>, the button's aria-pressed, the class when <body> appeared)."""
    on: bool = page.evaluate(IS_ON)
    pressed = page.locator(".reading-toggle").get_attribute("aria-pressed")
    at_body: bool = page.evaluate("window.__readingAtBody === true")
    return on, pressed, at_body


def walk(page: Page, base: str) -> list[tuple[bool, str | None, bool]]:
    states = []
    for path in WALK:
        page.goto(base + path)
        states.append(state(page))
    return states


def test_the_button_enlarges_the_text_and_raises_the_contrast(page: Page, http_site: str) -> None:
    page.goto(http_site + WUHAI)
    button = page.locator(".reading-toggle")
    assert button.is_visible() and button.inner_text() == "大字模式"
    assert button.get_attribute("aria-pressed") == "false"
    normal = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    text = page.locator(".reply-text p").nth(1)
    normal_text = text.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    toggle(page)
    assert button.get_attribute("aria-pressed") == "true"
    assert page.evaluate(IS_ON)
    larger = page.evaluate("getComputedStyle(document.documentElement).fontSize")
    assert (normal, larger) == ("18px", "24px")
    assert text.evaluate("p => parseFloat(getComputedStyle(p).fontSize)") >= 1.3 * normal_text
    colours = page.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    toggle(page)
    assert button.get_attribute("aria-pressed") == "false"
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "18px"


# Where the page's parts stand: the left and right edges of the header's title, the reply
# and the footer, and whether the page scrolls sideways.
EDGES = """() => {
  const edges = sel => {
    const box = document.querySelector(sel).getBoundingClientRect();
    return [Math.round(box.left), Math.round(innerWidth - box.right)];
  };
  return {title: edges('.site-title'), text: edges('.reply-text'),
          main: edges('main'), sideways: document.documentElement.scrollWidth > innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 1920])
def test_on_a_desktop_the_larger_text_keeps_the_page_where_it_was(
    page: Page, http_site: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(http_site + WUHAI)
    normal = page.evaluate(EDGES)
    toggle(page)
    larger = page.evaluate(EDGES)
    # The page stays centred, as wide as it was: the text grows, the page does not jump left.
    left, right = larger["main"]
    assert abs(left - right) <= 1, larger
    assert larger["main"] == normal["main"], (normal, larger)
    assert abs(larger["title"][0] - normal["title"][0]) <= 8, (normal, larger)
    assert abs(larger["text"][0] - normal["text"][0]) <= 8, (normal, larger)
    assert not larger["sideways"]


def test_dark_reading_mode_is_white_on_black(page: Page, http_site: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(http_site + WUHAI)
    toggle(page)
    colours = page.evaluate(
        "[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]


@pytest.mark.parametrize("how", ["http", "file"])
def test_the_mode_is_remembered_across_pages_before_the_first_paint(
    page: Page, http_site: str, file_site: str, how: str
) -> None:
    base = http_site if how == "http" else file_site
    page.add_init_script(WATCH_FIRST_PAINT)
    page.goto(base + "index.html")
    assert state(page) == (False, "false", False)
    toggle(page)
    assert walk(page, base) == [(True, "true", True)] * len(WALK)
    toggle(page)
    assert walk(page, base) == [(False, "false", False)] * len(WALK)


def test_without_shared_storage_the_tab_still_remembers_the_mode(
    page: Page, file_site: str
) -> None:
    # Browsers that give each file:// page its own origin, or none, fall back to window.name.
    page.add_init_script(NO_STORAGE)
    page.add_init_script(WATCH_FIRST_PAINT)
    page.goto(file_site + "index.html")
    assert (
        page.evaluate("(() => { try { localStorage; return 'yes' } catch (e) { return 'no' } })()")
        == "no"
    )
    toggle(page)
    assert walk(page, file_site) == [(True, "true", True)] * len(WALK)
    toggle(page)
    assert walk(page, file_site) == [(False, "false", False)] * len(WALK)


def test_with_storage_per_page_the_latest_choice_wins(page: Page, file_site: str) -> None:
    page.add_init_script(STORAGE_PER_PAGE)
    page.goto(file_site + "index.html")
    toggle(page)  # on, stored for index.html
    page.goto(file_site + WUHAI)
    assert page.evaluate(IS_ON)
    toggle(page)  # off, stored for the reply only
    page.goto(file_site + "index.html")
    assert not page.evaluate(IS_ON)
    assert page.locator(".reading-toggle").get_attribute("aria-pressed") == "false"


def test_a_new_tab_over_http_opens_in_the_remembered_mode(page: Page, http_site: str) -> None:
    page.goto(http_site + "index.html")
    toggle(page)
    other = page.context.new_page()
    other.goto(http_site + WUHAI)
    assert other.evaluate(IS_ON)
    # Turning it off in one tab turns it off in the other.
    other.locator(".reading-toggle").click()
    page.wait_for_function(f"!{IS_ON}")
    assert page.locator(".reading-toggle").get_attribute("aria-pressed") == "false"


def test_the_browsers_back_button_shows_the_current_mode(page: Page, http_site: str) -> None:
    page.goto(http_site + "index.html")
    page.goto(http_site + WUHAI)
    toggle(page)
    page.go_back()
    assert page.evaluate(IS_ON)
    assert page.locator(".reading-toggle").get_attribute("aria-pressed") == "true"


def test_without_javascript_there_is_no_dead_button(browser: Browser, file_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(file_site + WUHAI)
        assert page.locator(".reading-toggle").count() == 1
        assert not page.locator(".reading-toggle").is_visible()
        assert not page.locator(".read-aloud").is_visible()
    finally:
        context.close()
