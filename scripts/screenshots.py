"""Screenshots of the default theme for the README: the home page, a reply and the search
page (with a query), at desktop (1280 CSS px) and phone (390 CSS px) width, and the reply
and the search page on the phone in 大字模式 (the reading mode).

    python scripts/screenshots.py [--out docs/screenshots]

Builds the sample archive (this repository) with search into a temporary folder, serves it
on 127.0.0.1, and photographs it in headless Chromium (Debian's /usr/bin/chromium; the
fonts-noto-cjk package makes the Chinese readable). Requests to any other host are blocked.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402

from builder.build import BuildOptions, build  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SEARCH_SETTLED = """() => {
  const status = document.querySelector('.search-status');
  return status && /找到|没有/.test(status.textContent) && !/正在/.test(status.textContent);
}"""


@dataclass(frozen=True)
class Shot:
    name: str
    path: str


@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    scale: float
    reading: bool = False
    """In 大字模式: only the reply and the search page are taken."""


SHOTS = [
    Shot("home", "index.html"),
    Shot("reply", "replies/2025/wuhaishi-2025-jianyi-hn-35.html"),
    Shot("search", "search.html?q=" + quote("养老")),
]
DEVICES = [
    Device("desktop", 1280, 860, 1),
    Device("phone", 390, 844, 1),
    Device("phone-reading", 390, 844, 1, reading=True),
]
READING_SHOTS = ("reply", "search")
READING_ON = "localStorage.setItem('reply-archive.reading-mode', 'on');"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def only_local(route: Route) -> None:
    host = urlsplit(route.request.url).hostname
    if host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def photograph(browser: Browser, base: str, device: Device, out: Path) -> list[Path]:
    context = browser.new_context(
        viewport={"width": device.width, "height": device.height},
        device_scale_factor=device.scale,
        locale="zh-CN",
        color_scheme="light",
        reduced_motion="reduce",
    )
    context.route("**/*", only_local)
    if device.reading:
        context.add_init_script(READING_ON)
    page = context.new_page()
    shots = [s for s in SHOTS if s.name in READING_SHOTS] if device.reading else SHOTS
    written = [take(page, base, shot, out / f"{shot.name}-{device.name}.png") for shot in shots]
    context.close()
    return written


def take(page: Page, base: str, shot: Shot, target: Path) -> Path:
    page.goto(base + shot.path)
    if shot.path.startswith("search.html"):
        page.wait_for_function(SEARCH_SETTLED, timeout=20_000)
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(target), full_page=False, animations="disabled", caret="hide")
    shrink(target)
    return target


def shrink(png: Path) -> None:
    """Quantise to 256 colours when Pillow is at hand: a third of the size, same look."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(png, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="reply-archive-shots-") as tmp:
        site = Path(tmp) / "site"
        build(BuildOptions(source=ROOT, output=site, search=True))
        with serving(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for device in DEVICES:
                for path in photograph(browser, base, device, out):
                    print(
                        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                        f"  {path.stat().st_size // 1024} KB"
                    )
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
