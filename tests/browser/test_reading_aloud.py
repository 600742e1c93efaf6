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
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import ServeFolder
from tests.browser.test_accessibility import axe_script, axe_violations
from tests.browser.test_reading import contrast

pytestmark = pytest.mark.browser
__all__ = ["axe_script"]  # a fixture

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


def unavailable(page: Page) -> Locator:
    return page.get_by_text("本设备没有中文朗读语音，无法朗读。")


def test_without_speech_synthesis_a_message_says_so(page: Page, site: str) -> None:
    page.add_init_script(NO_SPEECH)
    page.goto(site + WUHAI)
    assert page.evaluate("'speechSynthesis' in window") is False
    expect(unavailable(page)).to_be_visible()
    assert page.get_by_role("group", name="朗读").is_visible()
    assert not page.get_by_role("button", name="朗读全文").is_visible()


def test_without_a_chinese_voice_a_message_says_so(page: Page, site: str) -> None:
    stub(page, EN_VOICE)
    page.goto(site + WUHAI)
    expect(unavailable(page)).to_be_visible()
    assert not page.get_by_role("button", name="朗读全文").is_visible()


def test_the_message_waits_for_the_voices_and_gives_way_to_a_chinese_one(
    page: Page, site: str
) -> None:
    stub(page)
    page.goto(site + WUHAI)
    # No voices listed yet: neither the button nor, for a moment, the message.
    assert not page.get_by_role("button", name="朗读全文").is_visible()
    assert not unavailable(page).is_visible()
    page.evaluate(f"speechSynthesis.setVoices([{EN_VOICE}])")
    expect(unavailable(page)).to_be_visible()  # the voices are known: none speaks Chinese
    page.evaluate(f"speechSynthesis.setVoices([{EN_VOICE}, {ZH_VOICE}])")
    assert page.get_by_role("button", name="朗读全文").is_visible()
    assert not unavailable(page).is_visible()


def test_with_no_voices_listed_the_message_comes_after_a_short_wait(page: Page, site: str) -> None:
    stub(page)
    page.goto(site + WUHAI)
    expect(unavailable(page)).to_be_visible(timeout=3000)


def test_the_real_speech_api_shows_read_aloud_only_with_a_chinese_voice(
    page: Page, site: str
) -> None:
    page.goto(site + WUHAI)
    page.wait_for_timeout(1500)  # Chromium lists its voices asynchronously; then the wait ends
    # Read all at once: voices may still arrive, and the controls follow them at once.
    chinese, button, message = page.evaluate(
        "[('speechSynthesis' in window) &&"
        " speechSynthesis.getVoices().some(v => v.lang.toLowerCase().startsWith('zh')),"
        " !document.querySelector('.read-aloud-toggle').hidden,"
        " !document.querySelector('.read-aloud-unavailable').hidden]"
    )
    assert not page.locator(".read-aloud").evaluate("el => el.hidden")
    assert (button, message) == (chinese, not chinese)


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


# Where the bar, the paragraph being read and the end of the page are in the window.
PLACES = """() => {
  const box = el => {
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom};
  };
  const current = document.querySelector('.read-aloud-current');
  const spoken = speechSynthesis.current;
  return {
    bar: box(document.querySelector('.read-aloud')),
    buttons: [...document.querySelectorAll('.read-aloud button')]
      .filter(b => !b.hidden).map(b => box(b)),
    window: innerHeight,
    end: box(document.querySelector('.site-footer-inner').lastElementChild),
    scrolled: scrollY,
    bottom: document.documentElement.scrollHeight - innerHeight,
    current: current && box(current),
    marked: document.querySelectorAll('.read-aloud-current').length,
    follows: !!(current && spoken &&
      current.textContent.replace(/\\s+/g, ' ').includes(spoken.text.trim())),
    sentence: current && spoken && sentenceBox(current, spoken.text.trim().slice(0, 8)),
  };
  // The first line of the sentence being read, found in the paragraph's text.
  function sentenceBox(element, start) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(start);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      return box(range);
    }
    return null;
  }
}"""
SCREENS = [
    pytest.param({"width": 390, "height": 844}, False, id="phone"),
    pytest.param({"width": 390, "height": 844}, True, id="phone, reading mode"),
    pytest.param({"width": 320, "height": 568}, True, id="320 px, reading mode"),
    pytest.param({"width": 1280, "height": 800}, False, id="desktop"),
]
READING_ON = "localStorage.setItem('reply-archive.reading-mode', 'on');"


def top_of(page: Page, selector: str) -> float:
    top: float = page.eval_on_selector(selector, "el => el.getBoundingClientRect().top + scrollY")
    return top


@pytest.mark.parametrize(("screen", "reading"), SCREENS)
def test_while_reading_the_controls_stay_in_the_window_and_cover_no_text(
    page: Page, site: str, screen: dict[str, int], reading: bool
) -> None:
    stub(page, ZH_VOICE)
    if reading:
        page.add_init_script(READING_ON)
    page.set_viewport_size(screen)
    page.emulate_media(reduced_motion="reduce")
    page.goto(site + WUHAI)
    text_top = top_of(page, ".reply-text")
    page.get_by_role("button", name="朗读全文").click()
    assert top_of(page, ".reply-text") == text_top  # the bar's place in the header is kept

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    at = page.evaluate(PLACES)
    assert at["scrolled"] == at["bottom"] > 0
    assert at["bar"]["bottom"] == pytest.approx(at["window"], abs=1), at
    assert all(b["top"] >= 0 and b["bottom"] <= at["window"] for b in at["buttons"]), at
    assert len(at["buttons"]) == 2
    # The page ends above the bar: its last line is not hidden behind it.
    assert at["end"]["bottom"] <= at["bar"]["top"] + 0.5, at

    # The bar's buttons work where they are, and it stays while paused.
    page.get_by_role("button", name="暂停").click()
    assert controls(page) == ("继续", True, "已暂停")
    assert page.evaluate(PLACES)["bar"]["bottom"] == pytest.approx(at["window"], abs=1)
    page.get_by_role("button", name="停止").click()
    assert controls(page) == ("朗读全文", False, "已停止朗读")
    # Back in the header, the page unpadded.
    assert page.locator(".read-aloud").evaluate("el => getComputedStyle(el).position") == "static"
    assert top_of(page, ".reply-text") == text_top
    assert page.evaluate("getComputedStyle(document.body).paddingBottom") == "0px"


@pytest.mark.parametrize(("screen", "reading"), SCREENS[:2])
def test_the_paragraph_being_read_is_highlighted_and_kept_in_view(
    page: Page, site: str, screen: dict[str, int], reading: bool
) -> None:
    stub(page, ZH_VOICE)
    if reading:
        page.add_init_script(READING_ON)
    page.set_viewport_size(screen)
    page.emulate_media(reduced_motion="reduce")  # scrolled at once, not smoothly
    page.goto(site + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    seen = []
    for _ in range(500):
        if page.locator(".read-aloud").get_attribute("data-state") == "idle":
            break
        at = page.evaluate(PLACES)
        assert at["marked"] == 1 and at["follows"], at
        # The sentence being read is in the window, above the bar, and so is its whole
        # paragraph where it fits.
        sentence, paragraph, bar = at["sentence"], at["current"], at["bar"]["top"]
        assert sentence and sentence["top"] >= 0 and sentence["bottom"] <= bar, at
        if paragraph["bottom"] - paragraph["top"] < bar / 2:
            assert paragraph["top"] >= 0 and paragraph["bottom"] <= bar, at
        seen.append(page.evaluate("document.querySelector('.read-aloud-current').textContent"))
        page.evaluate("speechSynthesis.finish()")
    assert page.locator(".read-aloud-current").count() == 0
    paragraphs = list(dict.fromkeys(seen))
    assert len(paragraphs) > 10
    # Each paragraph once, in order, from the title to the signature.
    assert seen == sorted(seen, key=paragraphs.index)
    assert paragraphs[0] == WUHAI_TITLE
    assert paragraphs[-3].startswith("再次感谢您二位")
    assert paragraphs[-2:] == ["乌海市民政局", "2025年6月20日"]  # the signature
    assert page.evaluate("scrollY") > 2000  # the reading took the page down with it


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("reading", [False, True], ids=["default", "reading mode"])
def test_the_highlight_stands_out_in_light_and_dark(
    page: Page, site: str, scheme: str, reading: bool
) -> None:
    stub(page, ZH_VOICE)
    if reading:
        page.add_init_script(READING_ON)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(site + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    page.evaluate("speechSynthesis.finish(); speechSynthesis.finish()")  # into the text
    text, highlight, edge, width = page.eval_on_selector(
        ".read-aloud-current",
        "el => { const s = getComputedStyle(el);"
        " return [s.color, s.backgroundColor, s.outlineColor, s.outlineWidth]; }",
    )
    page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert highlight != page_background
    assert contrast(text, highlight) >= 4.5
    assert width == "2px" and contrast(edge, page_background) >= 3


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_while_the_bar_is_shown(
    page: Page, site: str, axe_script: Path, scheme: str
) -> None:
    stub(page, ZH_VOICE)
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + WUHAI)
    page.get_by_role("button", name="朗读全文").click()
    page.evaluate("speechSynthesis.finish(); speechSynthesis.finish()")
    page.get_by_role("button", name="暂停").click()
    assert axe_violations(page, axe_script) == []


def test_axe_finds_nothing_in_the_message_without_a_voice(
    page: Page, site: str, axe_script: Path
) -> None:
    stub(page, EN_VOICE)
    page.goto(site + WUHAI)
    expect(unavailable(page)).to_be_visible()
    assert axe_violations(page, axe_script) == []
