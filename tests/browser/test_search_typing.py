"""Results while typing, in headless Chromium over http (Pagefind) and file:// (offline):
the search runs after a short pause without Enter, never while an input method is
composing (it runs on compositionend), and focus stays in the search box."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.test_search import WUHAI, expected_mode, settle, site, status, titles

pytestmark = pytest.mark.browser
__all__ = ["site"]  # the fixture, over http and file://

READY = "() => window.ReplyArchiveSearch && window.ReplyArchiveSearch.page.engine !== null"
COMPOSE = """([text]) => {
  const input = document.querySelector('#search-page-input');
  input.focus();
  input.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true, data: ''}));
  for (let i = 1; i <= text.length; i++) {
    input.value = text.slice(0, i);
    const data = input.value;
    input.dispatchEvent(new CompositionEvent('compositionupdate', {bubbles: true, data}));
    input.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data}));
  }
}"""
END_COMPOSITION = """() => {
  const input = document.querySelector('#search-page-input');
  input.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: input.value}));
}"""


def open_search(page: Page, site: str) -> None:
    page.goto(site + "search.html")
    page.wait_for_function(READY)
    settle(page)
    assert page.get_attribute("#search", "data-search-mode") == expected_mode(site)


def test_typing_gives_results_without_enter_and_keeps_focus(page: Page, site: str) -> None:
    open_search(page, site)
    box = page.get_by_label("搜索词")
    box.focus()
    page.keyboard.type("陈可才", delay=30)
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    settle(page)
    assert titles(page) == [WUHAI]
    assert "找到 1 件答复" in status(page)
    assert page.evaluate("document.activeElement.id") == "search-page-input"
    assert page.locator(".search-status").get_attribute("aria-live") == "polite"


def test_a_composition_in_progress_gives_no_results_until_it_ends(page: Page, site: str) -> None:
    open_search(page, site)
    before = status(page)
    page.evaluate(COMPOSE, ["陈可才"])
    page.wait_for_timeout(800)  # three times the pause
    assert page.locator(".search-result").count() == 0
    assert status(page) == before
    page.evaluate(END_COMPOSITION)
    page.wait_for_function("document.querySelectorAll('.search-result').length === 1")
    settle(page)
    assert titles(page) == [WUHAI]
    assert page.evaluate("document.activeElement.id") == "search-page-input"


def test_enter_still_searches_at_once(page: Page, site: str) -> None:
    open_search(page, site)
    page.get_by_label("搜索词").fill("养老")
    page.get_by_label("搜索词").press("Enter")
    page.wait_for_function("document.querySelectorAll('.search-result').length === 2")
    settle(page)
    assert "找到 2 件答复" in status(page)
