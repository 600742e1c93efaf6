"""The search stage: a post-process over the written HTML.

Two indexes of the same records (the pages the templates mark with `data-pagefind-body`):

- `pagefind/`: a few Pagefind bundles, for the site served over http(s), each merged (see
  `search.merge`) from the bundles of consecutive shards, ranges of publication time (see
  `search.shards`) that the Pagefind Python package indexes with its *extended* binary, the
  one that segments Chinese.
- `search/offline-index.js` and the pieces it loads on demand (`search/offline/`): the
  index for the site opened from disk, where Pagefind cannot load (see `search.offline`).

Both folders are written here, not by the output gate (see `output.KEPT_FOLDERS`).
"""

from __future__ import annotations

import importlib
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import cbor2

from builder.config import Config
from builder.errors import Problem, warning
from builder.files import write_atomic
from builder.output import HIDDEN, Manifest
from builder.search import offline
from builder.search.merge import Bundle, ChunkWords, MergeError, merge_bundles
from builder.search.merge_patch import BundlePatch
from builder.search.records import Pages, Record, fingerprint, read_pages, records_of
from builder.search.shards import (
    BUNDLE_LIST,
    GROUP_PAGES,
    PAGEFIND_DIR,
    PARALLEL_RUNS,
    SHARDS_DIR,
    Indexer,
    Shard,
    bundle_before,
    forget_bundles_before,
    has_bundle,
    index_shard,
    indexed_pages,
    plan_shards,
    publish_shards,
    sort_ranges,
    write_bundle_list,
)
from builder.timing import timed

OFFLINE_MADE = f"{HIDDEN}/offline-index.made"
"""The fingerprint of the pages the offline index in place was made from, written last."""
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
    merged_files: int | None = None
    """Files the merge of the shards wrote (None: the merged bundle was up to date)."""
    patched: int = 0
    """Merged bundles patched rather than merged anew (see `search.merge_patch`)."""
    offline_bytes: int = 0
    offline_files: int = 0
    offline_written: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def add_pagefind(self, other: SearchReport) -> None:
        """What a Pagefind run reported apart (in a thread of its own)."""
        self.pagefind_pages, self.pagefind_binary = other.pagefind_pages, other.pagefind_binary
        self.shards, self.shards_indexed = other.shards, other.shards_indexed
        self.merged_files, self.patched = other.merged_files, other.patched
        self.problems += other.problems
        self.timings.update(other.timings)


@dataclass(frozen=True)
class SearchState:
    """What one run keeps for the next: each page as read, each shard's indexed fingerprint,
    and the fingerprint of the shards each merged bundle was made of."""

    pages: Pages = field(default_factory=dict)
    shards: dict[str, bytes] = field(default_factory=dict)
    merged: dict[str, bytes] = field(default_factory=dict)
    indexes: dict[str, MergedIndex] = field(default_factory=dict)
    """What each merged bundle's index was made of (what a `BundlePatch` of it needs)."""
    offline: tuple[bytes, offline.Written] | None = None
    """The fingerprint of the pages the offline index was last written from, and what it was."""


@dataclass(frozen=True)
class MergedIndex:
    """A merged bundle's index: the bundles merged (`MergeReport.made_from`) and its chunks."""

    made_from: tuple[str, ...]
    words: tuple[ChunkWords, ...]


class StateStore(Protocol):
    """Where a run keeps its `SearchState` for the next (the build's cache)."""

    def load_search(self, output: Path, key: str) -> object: ...

    def save_search(self, output: Path, key: str, state: object) -> None: ...


def index_output(
    output: Path, config: Config, store: StateStore | None = None, manifest: Manifest | None = None
) -> list[Problem]:
    """Index the written site in `output`; the problems are warnings for the build report.
    `store` keeps what the next run needs to redo only what changed; `manifest`, the output
    gate's, lists the pages with their sizes and times (else they are looked for)."""
    return index_site(output, config, store=store, manifest=manifest).problems


def index_site(
    output: Path,
    config: Config,
    pagefind: bool = True,
    store: StateStore | None = None,
    manifest: Manifest | None = None,
) -> SearchReport:
    report = SearchReport()
    kept = store.load_search(output, STATE_KEY) if store else None
    state = kept if isinstance(kept, SearchState) else SearchState()
    listed = None
    if manifest is not None:
        listed = {path: (file.mtime_ns, file.size) for path, file in manifest.items()}
    with timed(report.timings, "read"):
        pages = read_pages(output, state.pages, listed)
    records = records_of(pages)
    report.records = len(records)
    kept = SearchState(pages, state.shards, state.merged, state.indexes)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Pagefind runs in child processes: the offline index is made meanwhile.
        indexed = pool.submit(_timed_pagefind, output, pages, state, config) if pagefind else None
        with timed(report.timings, "offline"):
            written = write_offline_index(output, pages, records, state)
        report.offline_files, report.offline_bytes = written[1].files, written[1].size
        report.offline_written = written[1].written
        if indexed is not None:
            kept, done = indexed.result()
            report.add_pagefind(done)
    if store is not None:
        store.save_search(output, STATE_KEY, replace(kept, offline=written))
    return report


def _timed_pagefind(
    output: Path, pages: Pages, state: SearchState, config: Config
) -> tuple[SearchState, SearchReport]:
    report = SearchReport()
    with timed(report.timings, "pagefind"):
        shards, listed = run_pagefind(output, pages, state.shards, config, report)
    with timed(report.timings, "merge"):
        merged, indexes = merge_shards(output, pages, listed, shards, state, report)
    return SearchState(pages, shards, merged, indexes), report


def write_offline_index(
    output: Path, pages: Pages, records: list[Record], before: SearchState | None = None
) -> tuple[bytes, offline.Written]:
    """Write the offline index of `records` (read from `pages`), unless the index in place
    was written from the same pages: then nothing is made; or patch it, when it was written
    from the pages `before` holds and only a few of them changed (at 100,000 replies making
    the whole index takes minutes of CPU, a patch about a second).

    What the index in place was made from is the fingerprint in `output/OFFLINE_MADE`, not
    only what the cache says: the file is removed before anything of the index is written
    and written after all of it, so a run cut short (or one whose state was not saved)
    leaves no file or another fingerprint than the cache's, and the next run makes the whole
    index rather than patching one it does not know."""
    key = _offline_key(pages)
    known = _index_in_place(output, before)
    if known is not None and known[0] == key:
        return key, replace(known[1], written=0)
    made = output / OFFLINE_MADE
    made.unlink(missing_ok=True)
    patch = offline.patched_files(output, records_of(known[2]), records) if known else None
    if known is not None and patch is not None:
        written = offline.write_patch(output, patch, known[1])
    else:
        written = offline.write_offline_index(output, offline.offline_files(records))
    made.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(made, key.hex())
    return key, written


def _index_in_place(
    output: Path, before: SearchState | None
) -> tuple[bytes, offline.Written, Pages] | None:
    """The fingerprint, figures and pages of the offline index in place, when the cache's
    state `before` describes it (its fingerprint is the one in `OFFLINE_MADE`)."""
    if before is None or before.offline is None:
        return None
    made_from, written = before.offline
    if _read_or_empty(output / OFFLINE_MADE) != made_from.hex():
        return None
    if not (output / offline.OFFLINE_INDEX).is_file():
        return None
    return made_from, written, before.pages


def _read_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, ValueError):
        return ""


def _offline_key(pages: Pages) -> bytes:
    """The fingerprint of the pages an offline index is made from."""
    return fingerprint((p, pages[p].digest) for p in sorted(pages) if pages[p].record is not None)


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
) -> tuple[dict[str, bytes], list[Shard]]:
    """Index into `output/SHARDS_DIR/` the shards whose pages changed since they were
    `indexed` (fingerprints by shard); the fingerprints of the bundles now in place and
    their shards, newest first (none without Pagefind)."""
    binary = extended_binary()
    if binary is None:
        report.problems.append(_pagefind_problem(output, "Pagefind's extended binary is missing"))
        return indexed, []
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
    listed = publish_shards(output, shards)
    report.pagefind_pages = sum(indexed_pages(output / SHARDS_DIR / s.name) for s in listed)
    report.pagefind_binary, report.shards = binary, len(shards)
    if not shards:
        report.problems.append(_no_pages(output))
    listed = [shard for shard in listed if shard.name in done]
    return {shard.name: done[shard.name] for shard in listed}, listed


def group_shards(listed: list[Shard]) -> list[list[Shard]]:
    """Consecutive shards (newest first) of at most `GROUP_PAGES` pages together, counted
    from the oldest, so that new replies change the newest group only."""
    groups: list[list[Shard]] = []
    for shard in reversed(listed):
        if groups and sum(len(s.paths) for s in groups[-1]) + len(shard.paths) <= GROUP_PAGES:
            groups[-1].insert(0, shard)
        else:
            groups.append([shard])
    return list(reversed(groups))


def merge_shards(
    output: Path,
    pages: Pages,
    listed: list[Shard],
    shards: dict[str, bytes],
    before: SearchState,
    report: SearchReport,
) -> tuple[dict[str, bytes], dict[str, MergedIndex]]:
    """Merge the `listed` shards' bundles (`shards`: their fingerprints), by groups, into
    `output/pagefind/<group>/`, but the groups merged from the same shards `before` (its
    `merged`: each group's fingerprint then); list them; the fingerprints of what
    `pagefind/` holds and what their indexes were made of. A group merged before is patched
    when it can be (see `search.merge_patch`)."""
    if report.pagefind_binary is None or (not listed and report.shards):
        return before.merged, before.indexes  # no Pagefind, or no shard indexed: as they were
    target = output / PAGEFIND_DIR
    done: dict[str, bytes] = {}
    indexes: dict[str, MergedIndex] = {}
    for group in group_shards(listed):
        name = group[-1].name
        key = merge_key({shard.name: shards[shard.name] for shard in group})
        if before.merged.get(name) == key and indexed_pages(target / name) > 0:
            done[name] = key
            if name in before.indexes:
                indexes[name] = before.indexes[name]
            continue
        bundles = [Bundle(output / SHARDS_DIR / s.name, sort_ranges(s, pages)) for s in group]
        patch = _patch_of(output, group, before.indexes.get(name))
        try:
            merge = merge_bundles(bundles, target / name, workers=PARALLEL_RUNS, patch=patch)
        except (MergeError, OSError, ValueError, cbor2.CBORError) as error:
            report.problems.append(_pagefind_problem(output, f"merging failed: {error}"))
            if indexed_pages(target / name) > 0:  # (its entry is written last: still whole)
                done[name] = b""  # the bundle as it was, merged again by the next build
            continue
        report.merged_files = (report.merged_files or 0) + merge.written
        report.patched += merge.patched
        done[name] = key
        indexes[name] = MergedIndex(merge.made_from, tuple(merge.words))
    forget_bundles_before(output)
    write_bundle_list(output, list(done), listed, pages)
    for entry in target.iterdir():
        if entry.name not in done and entry.name != BUNDLE_LIST:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    return done, indexes


def _patch_of(output: Path, group: list[Shard], index: MergedIndex | None) -> BundlePatch | None:
    """How a group's merged bundle is patched: what its index was made of at the last merge,
    and the bundles before of its shards indexed again since."""
    if index is None or not index.words:
        return None
    previous = {}
    for place, shard in enumerate(group):
        folder = bundle_before(output, shard.name)
        if folder is not None:
            previous[place] = Bundle(folder)
    return BundlePatch(previous, index.made_from, index.words)


def merge_key(shards: dict[str, bytes]) -> bytes:
    """The fingerprint of a merged bundle: its shards, in order, and their fingerprints."""
    return fingerprint(shards.items())


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
