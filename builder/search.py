"""The search stage: a post-process over the written HTML.

Two indexes of the same records (the pages the templates mark with `data-pagefind-body`):

- `pagefind/`: Pagefind's bundle, for the site served over http(s). It is made by the
  Pagefind Python package with its *extended* binary, the one that segments Chinese.
- `search/offline-index.js`: a compact index for the site opened from disk, where Pagefind
  cannot load (see `search_offline`).

Both folders are written here, not by the output gate (see `output.KEPT_FOLDERS`).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from builder.config import Config
from builder.errors import Problem, warning
from builder.search_offline import OFFLINE_INDEX, build_offline_index, offline_problems
from builder.search_records import Record, read_records

PAGEFIND_DIR = "pagefind"
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's own interfaces: search.html has its own, so these are not shipped."""


@dataclass
class SearchReport:
    records: int = 0
    pagefind_pages: int = 0
    pagefind_binary: Path | None = None
    offline_bytes: int = 0
    offline_bodies: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def index_output(output: Path, config: Config) -> list[Problem]:
    """Index the written site in `output`; the problems are warnings for the build report."""
    return index_site(output, config).problems


def index_site(output: Path, config: Config, pagefind: bool = True) -> SearchReport:
    report = SearchReport()
    with _timed(report, "read"):
        records = read_records(output)
    report.records = len(records)
    with _timed(report, "offline"):
        write_offline_index(output, records, config, report)
    if pagefind:
        with _timed(report, "pagefind"):
            run_pagefind(output, config, report)
    return report


def write_offline_index(
    output: Path, records: list[Record], config: Config, report: SearchReport
) -> None:
    budget = config.offline_search_budget
    index = build_offline_index(records, budget)
    target = output / OFFLINE_INDEX
    _write_if_changed(target, index.script)
    report.offline_bytes, report.offline_bodies = len(index.script), index.bodies
    report.problems += offline_problems(index, budget, target)


def extended_binary() -> Path | None:
    """The Pagefind binary that segments Chinese, from the `pagefind[extended]` package."""
    try:
        module = importlib.import_module("pagefind_bin_extended")
        found: Path = module.get_executable()
    except (ImportError, FileNotFoundError):
        return None
    return found


def run_pagefind(output: Path, config: Config, report: SearchReport) -> None:
    """Index `output` with Pagefind's extended binary into `output/pagefind/`, atomically."""
    binary = extended_binary()
    if binary is None:
        report.problems.append(_pagefind_problem(output, "Pagefind's extended binary is missing"))
        return
    staging = output.parent / f".{output.name}.pagefind"
    shutil.rmtree(staging, ignore_errors=True)
    failure = _index_directory(output, staging, binary, config.language.split("-")[0] or "zh")
    if failure:
        shutil.rmtree(staging, ignore_errors=True)
        report.problems.append(_pagefind_problem(output, f"Pagefind failed: {failure}"))
        return
    report.pagefind_binary, report.pagefind_pages = binary, indexed_pages(staging)
    if report.pagefind_pages == 0:
        report.problems.append(_no_pages(output))
    _install_bundle(staging, output / PAGEFIND_DIR)


def indexed_pages(bundle: Path) -> int:
    """How many pages a Pagefind bundle holds."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _index_directory(site: Path, bundle: Path, binary: Path, language: str) -> str:
    """Run the Pagefind package's command (`python -m pagefind`) on `site`, with `binary`;
    the error text, or "" when it worked.

    The command, not the package's `PagefindIndex` service: the service stops its process
    right after asking it to write, and on 1,000 replies it left an empty
    `pagefind-entry.json` about one run in three. The command exits when the bundle is
    written. It reads the whole site in one go, as `PagefindIndex.add_directory` does.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site.resolve())]
    command += ["--output-path", str(bundle.resolve()), "--force-language", language, "--silent"]
    environment = {**os.environ, "PAGEFIND_BINARY_PATH": str(binary)}
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
    except OSError as error:
        return str(error)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return " / ".join(lines[-3:]) or f"exit status {done.returncode}"
    return ""


def _install_bundle(staging: Path, target: Path) -> None:
    for name in UNUSED_BUNDLE_FILES:
        (staging / name).unlink(missing_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _pagefind_problem(output: Path, message: str) -> Problem:
    return warning(
        output / PAGEFIND_DIR,
        0,
        f"{message}: the site has no Pagefind search over http",
        "pip install 'pagefind[extended]'; the offline search still works",
    )


def _no_pages(output: Path) -> Problem:
    return warning(
        output / PAGEFIND_DIR,
        0,
        "no page is marked for search: search finds nothing",
        "the reply template needs data-pagefind-body on the reply's content",
    )


def _write_if_changed(target: Path, data: bytes) -> None:
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


@contextmanager
def _timed(report: SearchReport, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        report.timings[name] = time.perf_counter() - start
