"""Fixtures for tests that run the built site in headless Chromium (Debian's, via Playwright).

- `chromium_path`: /usr/bin/chromium; a missing browser skips locally and fails in CI.
- `browser`: one Chromium for the whole session, launched with the flags the machines need.
- `page`: a fresh page whose context lets through only 127.0.0.1, localhost and file://;
  any other request is aborted, recorded, and fails the test at teardown (a built page must
  never reach outside). Uncaught page errors fail the test too.
- `built_site`: the sample archive (this repository) built with search, once per session.
- `http_server`: serve a folder on 127.0.0.1 at a free port, optionally under a sub-path:
  `http_server(folder, prefix="/archive/")` returns the site's base URL.

Mark browser tests with `@pytest.mark.browser`.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request, Route

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = ("127.0.0.1", "localhost")

ServeFolder = Callable[..., str]


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def cannot_run(reason: str) -> None:
    """Skip with a visible reason locally; in CI a browser test that cannot run fails."""
    if in_ci():
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    found = CHROMIUM if CHROMIUM.exists() else None
    if found is None:
        which = shutil.which("chromium")
        found = Path(which) if which else None
    if found is None:
        cannot_run("no Chromium at /usr/bin/chromium (apt-get install -y chromium)")
        raise AssertionError("unreachable")
    return found


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        cannot_run("the playwright Python package is not installed (pip install playwright)")
        raise AssertionError("unreachable") from None
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            # window.gc(), for tests of what must survive a collection
            executable_path=str(chromium_path),
            args=[*CHROMIUM_ARGS, "--js-flags=--expose-gc"],
            headless=True,
        )
        yield chromium
        chromium.close()


@dataclass
class Guard:
    """What a page tried that it must not: requests to other hosts, uncaught errors."""

    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Route, request: Request) -> None:
        if is_local(request.url):
            route.continue_()
        else:
            self.outside.append(request.url)
            route.abort()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS


@pytest.fixture
def page_guard() -> Guard:
    return Guard()


@pytest.fixture
def page(browser: Browser, page_guard: Guard) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN")
    context.route("**/*", page_guard.route)
    new_page = context.new_page()
    new_page.on("pageerror", lambda error: page_guard.errors.append(str(error)))
    yield new_page
    context.close()
    if page_guard.outside:
        pytest.fail(f"the page made requests outside 127.0.0.1: {page_guard.outside}")
    if page_guard.errors:
        pytest.fail(f"uncaught errors in the page: {page_guard.errors}")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built with search (Pagefind and the offline index)."""
    from builder.build import BuildOptions, build

    output = tmp_path_factory.mktemp("built-site") / "site"
    report = build(BuildOptions(source=REPO_ROOT, output=output, search=True, cache=False))
    search_problems = [p.format() for p in report.warnings if "search" in p.message]
    assert not search_problems, search_problems
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    prefix = "/"
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".json": "application/json",
        ".xml": "application/xml; charset=utf-8",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        # Outside the prefix nothing exists: a link that climbs above the sub-path 404s.
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".no-such-file" / "x")
        return super().translate_path("/" + path[len(self.prefix) :])


@pytest.fixture
def http_server() -> Iterator[ServeFolder]:
    """`http_server(folder, prefix="/")` serves `folder` and returns its base URL."""
    servers: list[ThreadingHTTPServer] = []

    def serve(folder: Path, prefix: str = "/") -> str:
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        handler = type("Handler", (_QuietHandler,), {"prefix": prefix})
        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
        )
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
