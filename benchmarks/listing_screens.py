"""How many phone screens a listing of 50 replies takes (issue 14), normal and 大字模式.

    python benchmarks/listing_screens.py [--replies 120] [--checkout DIR]

Generates an archive (benchmarks/generate.py), builds it without search with the builder of
`--checkout` (default: this one; give an older worktree to compare), and opens the first
page of the home listing (50 entries, the default page size) from disk in Chromium at
390 × 844. Printed: the page's height and height / 844 (screens), and the height the 50
entries take. Benchmarks only measure: nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

WIDTH, HEIGHT = 390, 844


def build(checkout: Path, archive: Path, output: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    command = [sys.executable, "-m", "builder", "build", "--source", str(archive)]
    command += ["--output", str(output), "--no-search", "--no-cache", "--quiet"]
    subprocess.run(command, check=True, env=env, cwd=checkout)


def measure(index: Path) -> dict[str, tuple[int, int, int]]:
    figures = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for mode in ("normal", "大字模式"):
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(index.as_uri())
            if mode != "normal":
                page.locator(".reading-toggle").click()
            height = page.evaluate("document.documentElement.scrollHeight")
            entries = page.evaluate(
                """() => { const e = [...document.querySelectorAll('main li.entry')];
                  if (!e.length) return [0, 0];
                  const top = e[0].getBoundingClientRect().top;
                  const bottom = e[e.length - 1].getBoundingClientRect().bottom;
                  return [e.length, Math.round(bottom - top)]; }"""
            )
            figures[mode] = (height, entries[0], entries[1])
            page.close()
        browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replies", type=int, default=120)
    parser.add_argument("--checkout", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        archive = generate(args.replies, Path(folder) / "archive")
        build(args.checkout.resolve(), archive, Path(folder) / "out")
        figures = measure(Path(folder) / "out" / "index.html")
    print(f"| {args.checkout} | page (px) | screens | entries | their height (px) | screens |")
    print("|---|---:|---:|---:|---:|---:|")
    for mode, (height, count, span) in figures.items():
        screens, entry_screens = height / HEIGHT, span / HEIGHT
        print(f"| {mode} | {height:,} | {screens:.1f} | {count} | {span:,} | {entry_screens:.1f} |")


if __name__ == "__main__":
    main()
