"""axe-core finds no WCAG 2.0, 2.1 and 2.2 A/AA violations (nor best-practice ones) on any
kind of page: over the sample archive (every page) and a 200-reply benchmark archive (each
kind of page), in light and dark colours, in the 适老化 reading mode, and on the search page
with results and filters shown.

axe-core comes from npm (`npm ci` at the repository root); without it the tests skip
locally and fail in CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import REPO_ROOT, ServeFolder, cannot_run

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return {
    passes: result.passes.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' + n.failureSummary),
    })),
  };
}"""
SEARCH_SETTLED = """() => {
  const status = document.querySelector('.search-status');
  return status && /找到/.test(status.textContent) && !/正在/.test(status.textContent);
}"""
READING_ON = "localStorage.setItem('reply-archive.reading-mode', 'on');"
BENCHMARK_REPLIES = 200


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        cannot_run("axe-core is not installed: run `npm ci` in the repository root")
    return AXE


@pytest.fixture(scope="session")
def benchmark_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """benchmarks/generate.py's 200-reply archive, built with search."""
    from benchmarks.generate import generate
    from builder.build import BuildOptions, build

    folder = tmp_path_factory.mktemp("benchmark-200")
    source = generate(BENCHMARK_REPLIES, folder / "archive")
    build(BuildOptions(source=source, output=folder / "site", search=True))
    return folder / "site"


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind, chosen to be the hardest of its kind where that is clear."""
    pages = html_pages(site)
    replies = [p for p in pages if p.startswith("replies/")]

    def first(prefix: str, suffix: str = "index.html") -> str | None:
        found = [p for p in pages if p.startswith(prefix) and p.endswith(suffix)]
        return found[0] if found else None

    kinds: dict[str, str | None] = {
        "home": "index.html",
        "home, page 2": "page/2.html" if "page/2.html" in pages else None,
        "all tags": "tags/index.html",
        "a tag": first("tags/", "/index.html"),
        "a tag, bureau or year, page 2": first("", "/2.html"),
        "all bureaus": "bureaus/index.html",
        "a bureau": first("bureaus/", "/index.html"),
        "all years": "years/index.html",
        "a year": first("years/", "/index.html"),
        "a reply": replies[0],
        "the longest reply": max(replies, key=lambda p: (site / p).stat().st_size),
        "all kinds": "kinds/index.html",
        "a kind": first("kinds/", "/index.html"),
        "all sessions": "sessions/index.html",
        "a session": first("sessions/", "/index.html"),
        "all proposers": "proposers/index.html",
        "a proposer": first("proposers/", "/index.html"),
        "statistics": "stats/index.html",
        "downloads": "data/index.html",
        "search": "search.html",
        "404": "404.html",
    }
    return {kind: path for kind, path in kinds.items() if path is not None}


def axe_violations(page: Page, axe: Path) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(axe))
    result: dict[str, Any] = page.evaluate(AXE_RUN, AXE_TAGS)
    assert result["passes"] > 10, "axe ran no checks: is the page empty?"
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def check_pages(page: Page, axe: Path, base: str, paths: list[str]) -> list[str]:
    """Open each page and return a line per violation found."""
    found = []
    for path in paths:
        page.goto(base + path)
        if path.startswith("search.html?"):
            page.wait_for_function(SEARCH_SETTLED, timeout=20_000)
        for v in axe_violations(page, axe):
            nodes = "\n      ".join(v["nodes"])
            found.append(f"{path}: {v['id']} ({v['impact']}): {v['help']}\n      {nodes}")
    return found


def with_search_results(paths: list[str]) -> list[str]:
    """The search page once more, with a query's results and the filters shown."""
    return [*paths, "search.html?q=" + quote("养老")]


def test_every_page_of_the_sample_archive_passes_axe(
    page: Page, axe_script: Path, built_site: Path, http_server: ServeFolder
) -> None:
    sample_url = http_server(built_site)
    paths = with_search_results(html_pages(built_site))
    assert len(paths) > 15
    assert check_pages(page, axe_script, sample_url, paths) == []


@pytest.mark.parametrize(
    ("scheme", "reading"),
    [("dark", False), ("light", True), ("dark", True)],
    ids=["dark", "reading mode", "reading mode, dark"],
)
def test_each_kind_of_page_passes_axe_in_dark_and_reading_mode(
    page: Page,
    axe_script: Path,
    built_site: Path,
    http_server: ServeFolder,
    scheme: str,
    reading: bool,
) -> None:
    sample_url = http_server(built_site)
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    if reading:
        page.add_init_script(READING_ON)
    paths = with_search_results(list(page_kinds(built_site).values()))
    assert check_pages(page, axe_script, sample_url, paths) == []
    page.goto(sample_url + "index.html")
    assert page.evaluate("document.documentElement.classList.contains('reading-mode')") is reading


def test_each_kind_of_page_of_the_benchmark_archive_passes_axe(
    page: Page, axe_script: Path, benchmark_site: Path, http_server: ServeFolder
) -> None:
    benchmark_url = http_server(benchmark_site)
    kinds = page_kinds(benchmark_site)
    assert "home, page 2" in kinds
    paths = with_search_results(list(kinds.values()))
    assert check_pages(page, axe_script, benchmark_url, paths) == []


def test_axe_finds_a_violation_when_there_is_one(
    page: Page, axe_script: Path, http_server: ServeFolder, tmp_path: Path
) -> None:
    # The check itself can fail: an image without alt text and an unlabelled input.
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><title>坏</title><main><h1>坏</h1>'
        '<img src="x.png"><input type="text"></main></html>',
        encoding="utf-8",
    )
    page.goto(http_server(tmp_path) + "bad.html")
    ids = {v["id"] for v in axe_violations(page, axe_script)}
    assert {"image-alt", "label"} <= ids
