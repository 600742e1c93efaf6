"""Read aloud (朗读全文) on a reply: the browser's own speech synthesis, pausable and
stoppable from the keyboard, absent where the browser cannot speak Chinese.

Headless Chromium has the Web Speech API but usually no voices, so most tests put a
recording stand-in for `speechSynthesis` in the page before it loads; one test checks the
real API and voices of the browser at hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import ServeFolder

pytestmark = pytest.mark.browser

WUHAI = "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
WUHAI_TITLE = "对市十届人大五次会议第HN-35号建议的答复"
ZH_VOICE = "{name: 'Stub 普通话', lang: 'zh-CN', localService: true, default: true}"
EN_VOICE = "{name: 'Stub English', lang: 'en-US', localService: true, default: true}"
STUB = """
(() => {
  const voices = [%s];
  class Utterance {
    constructor(text) { this.text = text; this.lang = ''; this.voice = null; this.rate = 1; }
  }
  const listeners = [];
  const synth = {
    spoken: [], calls: [], current: null, paused: false,
    getVoices() { return voices.slice(); },
    speak(u) {
      this.calls.push('speak');
      this.spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name});
      this.current = u;
    },
    pause() { this.calls.push('pause'); this.paused = true; },
    resume() { this.calls.push('resume'); this.paused = false; },
    cancel() {
      this.calls.push('cancel');
      const u = this.current; this.current = null;
      if (u && u.onerror) u.onerror({error: 'canceled'});
    },
    finish() { const u = this.current; this.current = null; if (u && u.onend) u.onend({}); },
    addEventListener(type, listener) { if (type === 'voiceschanged') listeners.push(listener); },
    removeEventListener() {},
    setVoices(list) {
      voices.splice(0, voices.length, ...list);
      listeners.forEach(listener => listener(new Event('voiceschanged')));
    },
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  Object.defineProperty(window, 'SpeechSynthesisUtterance', {value: Utterance, configurable: true});
})();
"""
NO_SPEECH = """
delete window.speechSynthesis;
delete Window.prototype.speechSynthesis;
delete window.SpeechSynthesisUtterance;
"""
# The text of the reply as a reader would hear it: title, the suggestion, the reply's text.
EXPECTED_TEXT = """() => {
  const parts = [document.querySelector('h1'), document.querySelector('.reply-proposal'),
    ...document.querySelectorAll('.reply-text h2, .reply-text h3, .reply-text p')]
    .filter(el => el && !el.closest('.contacts'));
  return parts.map(el => el.textContent).join('').replace(/\\s+/g, '');
}"""


@pytest.fixture
def site(built_site: Path, http_server: ServeFolder) -> str:
    return http_server(built_site)


def stub(page: Page, *voices: str) -> None:
    page.add_init_script(STUB % ", ".join(voices))


def synth(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        "({spoken: speechSynthesis.spoken, calls: speechSynthesis.calls,"
        " current: speechSynthesis.current && speechSynthesis.current.text})"
    )
    return result


def tab_to(page: Page, class_name: str) -> None:
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.classList.contains('{class_name}')"):
            return
    pytest.fail(f"Tab never reached .{class_name}")


def controls(page: Page) -> tuple[str, bool, str]:
    """(the main button's label, whether 停止 is shown, the status line)."""
    return (
        page.locator(".read-aloud-toggle").inner_text(),
        page.locator(".read-aloud-stop").is_visible(),
        page.locator(".read-aloud-status").inner_text(),
    )


def test_only_reply_pages_load_the_read_aloud_script(built_site: Path) -> None:
    pages = {p.relative_to(built_site).as_posix(): p for p in built_site.rglob("*.html")}
    loading = {path for path, p in pages.items() if "readaloud.js" in p.read_text("utf-8")}
    replies = {path for path in pages if path.startswith("replies/")}
    assert len(replies) >= 2
    assert loading == replies
    assert (built_site / "static" / "readaloud.js").is_file()
    assert "speechSynthesis" not in (built_site / "static" / "site.js").read_text("utf-8")


def test_the_read_aloud_script_loads_from_disk_too(page: Page, built_site: Path) -> None:
    stub(page, ZH_VOICE)
    page.goto(built_site.resolve().as_uri() + "/" + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    assert synth(page)["spoken"][0]["text"] == WUHAI_TITLE


def test_without_speech_synthesis_there_is_no_read_aloud(page: Page, site: str) -> None:
    page.add_init_script(NO_SPEECH)
    page.goto(site + WUHAI)
    assert page.evaluate("'speechSynthesis' in window") is False
    assert page.locator(".read-aloud").count() == 1
    assert not page.locator(".read-aloud").is_visible()
    assert not page.get_by_role("button", name="朗读全文").is_visible()


def test_without_a_chinese_voice_there_is_no_read_aloud(page: Page, site: str) -> None:
    stub(page, EN_VOICE)
    page.goto(site + WUHAI)
    assert not page.locator(".read-aloud").is_visible()


def test_read_aloud_appears_when_a_chinese_voice_arrives(page: Page, site: str) -> None:
    stub(page)
    page.goto(site + WUHAI)
    assert not page.locator(".read-aloud").is_visible()
    page.evaluate(f"speechSynthesis.setVoices([{ZH_VOICE}])")
    assert page.get_by_role("button", name="朗读全文").is_visible()


def test_the_real_speech_api_shows_read_aloud_only_with_a_chinese_voice(
    page: Page, site: str
) -> None:
    page.goto(site + WUHAI)
    page.wait_for_timeout(300)  # Chromium lists its voices asynchronously
    # Read both at once: voices may still arrive, and the controls follow them at once.
    chinese, shown = page.evaluate(
        "[('speechSynthesis' in window) &&"
        " speechSynthesis.getVoices().some(v => v.lang.toLowerCase().startsWith('zh')),"
        " !document.querySelector('.read-aloud').hidden]"
    )
    assert shown is chinese


def test_read_aloud_speaks_pauses_resumes_and_stops_from_the_keyboard(
    page: Page, site: str
) -> None:
    stub(page, EN_VOICE, ZH_VOICE)
    page.goto(site + WUHAI)
    group = page.get_by_role("group", name="朗读")
    assert group.is_visible()
    assert controls(page) == ("朗读全文", False, "")
    tab_to(page, "read-aloud-toggle")

    page.keyboard.press("Enter")
    first = synth(page)["spoken"][0]
    assert first == {"text": WUHAI_TITLE, "lang": "zh-CN", "voice": "Stub 普通话"}
    assert controls(page) == ("暂停", True, "正在朗读")
    assert page.evaluate("document.querySelector('h1').classList.contains('read-aloud-current')")

    page.keyboard.press("Enter")
    assert synth(page)["calls"][-1] == "pause"
    assert controls(page) == ("继续", True, "已暂停")
    page.keyboard.press("Space")
    assert synth(page)["calls"][-1] == "resume"
    assert controls(page) == ("暂停", True, "正在朗读")

    # One sentence at a time: when one ends, the next is spoken and marked.
    page.evaluate("speechSynthesis.finish()")
    assert len(synth(page)["spoken"]) == 2
    assert page.evaluate(
        "document.querySelector('.read-aloud-current').classList.contains('reply-proposal')"
    )

    tab_to(page, "read-aloud-stop")
    page.keyboard.press("Enter")
    assert synth(page)["calls"][-1] == "cancel"
    assert synth(page)["current"] is None
    assert controls(page) == ("朗读全文", False, "已停止朗读")
    assert page.evaluate("document.activeElement.classList.contains('read-aloud-toggle')")
    assert page.locator(".read-aloud-current").count() == 0
    assert len(synth(page)["spoken"]) == 2  # the cancelled sentence did not start the next


def test_read_aloud_reads_the_whole_reply_in_short_pieces(page: Page, site: str) -> None:
    stub(page, ZH_VOICE)
    page.goto(site + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    for _ in range(500):
        if page.locator(".read-aloud").get_attribute("data-state") == "idle":
            break
        page.evaluate("speechSynthesis.finish()")
    assert controls(page) == ("朗读全文", False, "朗读完毕")
    spoken = [s["text"] for s in synth(page)["spoken"]]
    assert max(len(s) for s in spoken) <= 120
    heard = "".join(spoken).replace(" ", "")
    assert heard == page.evaluate(EXPECTED_TEXT)
    assert "8992056" not in heard  # the contact lines are not read


def test_leaving_the_page_stops_the_speech(page: Page, site: str) -> None:
    stub(page, ZH_VOICE)
    page.goto(site + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert synth(page)["calls"][-1] == "cancel"
    assert controls(page)[0] == "朗读全文"


@pytest.mark.parametrize(("motion", "behaviour"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_following_the_text_scrolls_without_motion_when_asked(
    page: Page, site: str, motion: str, behaviour: str
) -> None:
    stub(page, ZH_VOICE)
    page.add_init_script(
        "window.__scrolls = [];"
        "Element.prototype.scrollIntoView = function (o) { window.__scrolls.push(o.behavior); };"
    )
    page.emulate_media(reduced_motion=motion)  # type: ignore[arg-type]
    page.goto(site + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    page.evaluate("speechSynthesis.finish()")
    assert set(page.evaluate("window.__scrolls")) == {behaviour}
