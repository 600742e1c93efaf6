"""The search stage: a post-process over the written HTML.

Two indexes of the same records (the pages the templates mark with `data-pagefind-body`):

- `pagefind/`: Pagefind's bundles, one per range of publication time (see
  `search.shards`), for the site served over http(s). They are made by the Pagefind Python
  package with its *extended* binary, the one that segments Chinese.
- `search/offline-index.js` and the pieces it loads on demand (`search/offline/`): the
  index for the site opened from disk, where Pagefind cannot load (see `search.offline`).

Both folders are written here, not by the output gate (see `output.KEPT_FOLDERS`).
"""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from builder.config import Config
from builder.errors import Problem, warning
from builder.search import offline
from builder.search.records import Pages, Record, read_pages, records_of
from builder.search.shards import (
    PAGEFIND_DIR,
    PARALLEL_RUNS,
    Indexer,
    has_bundle,
    index_shard,
    plan_shards,
    publish_shards,
)
from builder.timing import timed

STATE_KEY = "search"
"""What `SearchState` is kept as; the store adds the digest of the builder's code to it
(`build.cache.code_key`), so a new version of any module indexes afresh."""


@dataclass
class SearchReport:
    records: int = 0
    pagefind_pages: int = 0
    pagefind_binary: Path | None = None
    shards: int = 0
    shards_indexed: list[str] = field(default_factory=list)
    offline_bytes: int = 0
    offline_files: int = 0
    offline_written: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def add_pagefind(self, other: SearchReport) -> None:
        """What a Pagefind run reported apart (in a thread of its own)."""
        self.pagefind_pages, self.pagefind_binary = other.pagefind_pages, other.pagefind_binary
        self.shards, self.shards_indexed = other.shards, other.shards_indexed
        self.problems += other.problems
        self.timings.update(other.timings)


@dataclass(frozen=True)
class SearchState:
    """What one run keeps for the next: each page as read, each shard's indexed fingerprint."""

    pages: Pages = field(default_factory=dict)
    shards: dict[str, bytes] = field(default_factory=dict)


class StateStore(Protocol):
    """Where a run keeps its `SearchState` for the next (the build's cache)."""

    def load_search(self, output: Path, key: str) -> object: ...

    def save_search(self, output: Path, key: str, state: object) -> None: ...


def index_output(output: Path, config: Config, store: StateStore | None = None) -> list[Problem]:
    """Index the written site in `output`; the problems are warnings for the build report.
    `store` keeps what the next run needs to redo only what changed."""
    return index_site(output, config, store=store).problems


def index_site(
    output: Path, config: Config, pagefind: bool = True, store: StateStore | None = None
) -> SearchReport:
    report = SearchReport()
    kept = store.load_search(output, STATE_KEY) if store else None
    state = kept if isinstance(kept, SearchState) else SearchState()
    with timed(report.timings, "read"):
        pages = read_pages(output, state.pages)
    records = records_of(pages)
    report.records = len(records)
    shards = state.shards
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Pagefind runs in child processes: the offline index is made meanwhile.
        indexed = pool.submit(_timed_pagefind, output, pages, shards, config) if pagefind else None
        with timed(report.timings, "offline"):
            write_offline_index(output, records, report)
        if indexed is not None:
            shards, done = indexed.result()
            report.add_pagefind(done)
    if store is not None:
        store.save_search(output, STATE_KEY, SearchState(pages, shards))
    return report


def _timed_pagefind(
    output: Path, pages: Pages, indexed: dict[str, bytes], config: Config
) -> tuple[dict[str, bytes], SearchReport]:
    report = SearchReport()
    with timed(report.timings, "pagefind"):
        shards = run_pagefind(output, pages, indexed, config, report)
    return shards, report


def write_offline_index(output: Path, records: list[Record], report: SearchReport) -> None:
    written = offline.write_offline_index(output, offline.offline_files(records))
    report.offline_files, report.offline_bytes = written.files, written.size
    report.offline_written = written.written


def extended_binary() -> Path | None:
    """The Pagefind binary that segments Chinese, from the `pagefind[extended]` package."""
    try:
        module = importlib.import_module("pagefind_bin_extended")
        found: Path = module.get_executable()
    except (ImportError, FileNotFoundError):
        return None
    return found


def run_pagefind(
    output: Path, pages: Pages, indexed: dict[str, bytes], config: Config, report: SearchReport
) -> dict[str, bytes]:
    """Index into `output/pagefind/` the shards whose pages changed since they were
    `indexed` (fingerprints by shard); the fingerprints of the bundles now in place."""
    binary = extended_binary()
    if binary is None:
        report.problems.append(_pagefind_problem(output, "Pagefind's extended binary is missing"))
        return indexed
    indexer = Indexer(binary, config.language.split("-")[0] or "zh")
    shards = plan_shards(pages, indexer)
    done = {name: key for name, key in indexed.items() if has_bundle(output, name)}
    todo = [shard for shard in shards if done.get(shard.name) != shard.fingerprint]
    # Each Pagefind run is a process on one core: PARALLEL_RUNS at once, the largest first.
    todo.sort(key=lambda shard: -len(shard.paths))
    with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL_RUNS, len(todo)))) as pool:
        failures = list(pool.map(lambda shard: index_shard(output, shard, indexer), todo))
    for shard, failure in zip(todo, failures, strict=True):
        if failure:
            report.problems.append(_pagefind_problem(output, f"Pagefind failed: {failure}"))
            continue
        done[shard.name] = shard.fingerprint
        report.shards_indexed.append(shard.name)
    names = [shard.name for shard in shards]
    report.pagefind_pages = publish_shards(output, shards, pages)
    report.pagefind_binary, report.shards = binary, len(shards)
    if not shards:
        report.problems.append(_no_pages(output))
    return {name: done[name] for name in names if name in done}


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
