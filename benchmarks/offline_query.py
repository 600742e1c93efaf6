"""A first offline search query from file:// in headless Chromium: time and bytes.

    python benchmarks/offline_query.py SITE [--queries 养老 老旧小区改造 垃圾分类] [--runs 3]
    python benchmarks/offline_query.py SITE --reindex   # first (re)write SITE's offline index

``SITE`` is a built output folder. ``--reindex`` reads its reply pages and writes its
offline index (``search/offline-index.js`` and ``search/offline/``) without Pagefind, and
reports the CPU time of that stage. For each query, a fresh browser context opens
``search.html?q=…`` from ``file://`` and reports the median over ``--runs`` of:

- *first result*: ms from the navigation to the first result on the page (the page, its
  scripts, the index's base and the pieces the query needs loaded, the query run);
- the index's pieces the page loaded for it (the engine's own list; none for an index of one
  script, before the pieces) and their bytes, with
  the base script (``search/offline-index.js``); the page's own scripts are not counted.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from builder.search import write_offline_index  # noqa: E402
from builder.search.offline import OFFLINE_INDEX, PIECES_DIR  # noqa: E402
from builder.search.records import read_pages, records_of  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

QUERIES = ("养老", "老旧小区改造", "垃圾分类")
ARGS = [*CHROMIUM_ARGS, "--allow-file-access-from-files"]


def reindex(site: Path) -> None:
    start = resource.getrusage(resource.RUSAGE_SELF)
    pages = read_pages(site, {})
    records = records_of(pages)
    read = resource.getrusage(resource.RUSAGE_SELF)
    _, written = write_offline_index(site, pages, records)
    done = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"{len(records)} replies: read {cpu(start, read):.1f} s CPU in this process "
        f"(+{children.ru_utime + children.ru_stime:.1f} s in workers), offline index "
        f"{cpu(read, done):.1f} s CPU, peak {done.ru_maxrss / 1024:.0f} MB; "
        f"{written.files} files, {written.size:,} bytes, {written.written} written"
    )


def cpu(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def measure(site: Path, queries: list[str], runs: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for query in queries:
            times, loaded = [], []
            for _ in range(runs):
                ms, pieces = one_query(browser, site, query)
                times.append(ms)
                loaded = pieces
            size = (site / OFFLINE_INDEX).stat().st_size + sum(
                (site / PIECES_DIR / f"{name}.js").stat().st_size for name in loaded
            )
            terms = sum(name.startswith("t/") for name in loaded)
            print(
                f"{query}: first result {statistics.median(times):.0f} ms (runs {times}); "
                f"{len(loaded)} pieces ({terms} of the index, {len(loaded) - terms} of "
                f"records) + the base: {size / 1e6:.2f} MB"
            )
        browser.close()


def one_query(browser: object, site: Path, query: str) -> tuple[float, list[str]]:
    context = browser.new_context(locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    url = (site / "search.html").resolve().as_uri() + "?q=" + quote(query)
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".search-result", timeout=60_000)
    ms = (time.perf_counter() - start) * 1000
    page.wait_for_function("window.ReplyArchiveSearch.page.cursor !== null")
    pieces: list[str] = page.evaluate("window.ReplyArchiveSearch.page.engine.loaded || []")
    context.close()
    return round(ms), pieces


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--queries", nargs="+", default=list(QUERIES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reindex", action="store_true")
    args = parser.parse_args()
    if args.reindex:
        reindex(args.site)
    measure(args.site, args.queries, args.runs)


if __name__ == "__main__":
    main()
