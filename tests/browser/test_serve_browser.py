"""`reply-archive serve` in Chromium: open pages reload themselves after a save, and a failed
build shows its errors over the page, as text, accessibly, until the file is fixed.

The server and the archive are those of tests/serve/test_serve.py; the page is the guarded one of
this folder (no request outside 127.0.0.1, no uncaught error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from tests.browser.test_accessibility import axe_script, axe_violations  # noqa: F401
from tests.serve.test_serve import WAIT_SECONDS, Server, server, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

TIMEOUT_MS = WAIT_SECONDS * 1000
OVERLAY = "document.getElementById('reply-archive-errors').shadowRoot"
MAIN_TEXT = "(document.querySelector('main') || {innerText: ''}).innerText"


def test_pages_reload_and_show_the_errors_as_text(
    server: Server,  # noqa: F811 (the fixture)
    site: Path,  # noqa: F811 (the fixture)
    page: Page,
    axe_script: Path,  # noqa: F811 (the fixture)
) -> None:
    url = f"http://{server.host}:{server.port}/replies/2025/beta.html"
    other = page.context.new_page()  # a second tab: it follows the first one's event stream
    consoles = {id(tab): _console(tab) for tab in (page, other)}
    page.goto(url)
    other.goto(url)
    reply = site / "content/replies/2025/beta.md"
    good = reply.read_text(encoding="utf-8")
    attack = "<img id=pwned src=x onerror=document.title=this.id>"
    reply.write_text(good.replace("kind: proposal", f'kind: "{attack}"'), encoding="utf-8")

    for tab in (page, other):
        alert = _alert(tab, server, consoles[id(tab)])
        text = alert.inner_text()
        assert "content/replies/2025/beta.md:3: unknown kind" in text
        assert attack in text, "the message is shown as text, not markup"
        assert tab.evaluate(f"{OVERLAY}.querySelectorAll('img').length") == 0
        assert tab.title() != "pwned"
        assert "乙的正文" in tab.locator("main").inner_text(), "the last good page stays"
    assert axe_violations(page, axe_script) == []

    reply.write_text(good, encoding="utf-8")
    for tab in (page, other):
        tab.get_by_role("alert").wait_for(state="detached", timeout=TIMEOUT_MS)

    reply.write_text(good.replace("乙的正文", "乙的新正文"), encoding="utf-8")
    for tab in (page, other):  # reloaded by the script, not by the test
        tab.wait_for_function(f"{MAIN_TEXT}.includes('乙的新正文')", timeout=TIMEOUT_MS)


def test_the_error_box_can_be_closed_from_the_keyboard(
    server: Server,  # noqa: F811 (the fixture)
    site: Path,  # noqa: F811 (the fixture)
    page: Page,
) -> None:
    page.goto(f"http://{server.host}:{server.port}/index.html")
    reply = site / "content/replies/2025/alpha.md"
    reply.write_text("no front matter\n", encoding="utf-8")
    _alert(page, server, _console(page))
    close = page.get_by_role("button", name="关闭提示")
    for _ in range(60):  # Tab until the box's button has the focus: it is in the tab order
        page.keyboard.press("Tab")
        if close.evaluate("button => button.getRootNode().activeElement === button"):
            break
    else:
        pytest.fail("Tab never reached the button that closes the error box")
    page.keyboard.press("Enter")
    page.get_by_role("alert").wait_for(state="detached", timeout=TIMEOUT_MS)


def _console(tab: Page) -> list[str]:
    """What the tab logs, and its navigations and failed requests, as they come."""
    lines: list[str] = []
    tab.on("console", lambda message: lines.append(f"console: {message.text}"))
    tab.on("requestfailed", lambda request: lines.append(f"failed: {request.url}"))
    tab.on("framenavigated", lambda frame: lines.append(f"navigated: {frame.url}"))
    return lines


def _alert(tab: Page, running: Server, console: list[str]) -> Locator:
    """The error box, once shown; when it is not, what the page and the server said."""
    alert = tab.get_by_role("alert")
    try:
        alert.wait_for(timeout=TIMEOUT_MS)
    except PlaywrightError as error:
        raise AssertionError(
            f"{error}\npage: {console}\nstate: {running.state()}\nserver: {running.stderr()}"
        ) from None
    return alert
