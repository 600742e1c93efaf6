"""Pagefind's index in shards of 250 to 1,100 pages, each a range of publication time:
`.reply-archive/shards/<year or time of its oldest page>/` in the output, merged (see
`search.merge`) into the few bundles the browser reads, `pagefind/<name of the oldest
shard>/`, each consecutive shards of up to `GROUP_PAGES` pages.

Pagefind holds a whole site in memory while it indexes (about half a megabyte a page), has
no incremental mode and runs on one core. So the pages are cut into shards by count, in the
order of publication, and each shard is indexed on its own, two at once, from a folder that
holds only its pages (hard links), and only when one of them changed: a shard's fingerprint
is the digest of its pages' bytes, and an unchanged shard keeps its bundle.

A shard is a range of the `published` sort key, and the ranges do not overlap, so a merged
bundle's order by date is its shards' own orders one after the other, and the bundles' ranges
do not overlap either. `pagefind/bundles.json` lists the bundles, newest first, and the
filters' values and how many pages have each (what Pagefind's `filters()` gives over every
bundle), so that the search page shows its filters without loading Pagefind's filter chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from builder.files import write_if_changed
from builder.output import HIDDEN
from builder.search.records import Pages, fingerprint

PAGEFIND_DIR = "pagefind"
"""The merged bundle, what the browser reads."""
SHARDS_DIR = f"{HIDDEN}/shards"
"""The shards' bundles, inside the output (on its file system: the merged bundle's
fragments are hard links to theirs) but not served as the search's."""
PREVIOUS_DIR = f"{HIDDEN}/shards-before"
"""The bundle a shard had before it was indexed again, kept until its merged bundle is
patched (see `search.merge_patch`), then removed."""
BUNDLE_LIST = "bundles.json"
GROUP_PAGES = 2500
"""The merged bundles hold consecutive shards of at most this many pages together (more
only for one shard). Pagefind's WebAssembly scores each result page by scanning every
page entry of the query's words in its bundle: a query costs about (pages that hold
it)² per bundle, so one bundle of 10,000 pages took 3.4 s for 答复 (in every page) where
13 shards took 0.19 s; each bundle costs the reader its entry, metadata and chunks."""
UNDATED = "undated"
"""The shard of indexed pages without a year in their `published` sort key."""
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
PAGEFIND_RUNS = "REPLY_ARCHIVE_PAGEFIND_RUNS"
"""For the test suite's guard only: a file to which each start of Pagefind adds a line
(tests/conftest.py fails a test that runs Pagefind without the `pagefind` marker)."""


@dataclass(frozen=True)
class Shard:
    name: str
    paths: tuple[str, ...]
    fingerprint: bytes


@dataclass(frozen=True)
class Indexer:
    """How to run Pagefind: its extended binary, and the language it is told the pages are in."""

    binary: Path
    language: str

    def key(self) -> bytes:
        """What else a bundle depends on: a new binary or language re-indexes every shard."""
        stat = self.binary.stat()
        return f"{self.binary}\0{stat.st_size}\0{stat.st_mtime_ns}\0{self.language}".encode()


PARALLEL_RUNS = 2
"""Pagefind runs at once (each uses one core)."""
MEMORY_BUDGET_MB = 1200
"""What the `PARALLEL_RUNS` Pagefind runs may hold together, at most."""
RUN_MB, PAGE_MB = 60, 0.47
"""Pagefind's memory, measured (extended binary 1.5.2, the reply pages): 60 MB, and 0.47 MB
a page (1,363 pages: 700 MB; 2,800: 1.35 GB)."""
MAX_PAGES = int((MEMORY_BUDGET_MB / PARALLEL_RUNS - RUN_MB) / PAGE_MB) // 100 * 100
"""A shard holds at most this many pages (1,100; more only for pages published at the
same time): two runs on the largest shards stay within the budget."""
MIN_PAGES = 250
"""A shard holds at least this many pages (but for the last one of a run of pages)."""
CUT_ONE_IN = 150
"""Past `MIN_PAGES`, a shard ends after a page whose path's digest is 0 modulo this: a
shard holds about 400 pages on average. An edit re-indexes its shard: Pagefind takes about
0.25 s and 3.6 ms a page (1,100 pages: 4.2 s; 300: 1.3 s), and the merge puts the shards
together again, so small shards cost a query nothing."""


def plan_shards(pages: Pages, indexer: Indexer) -> list[Shard]:
    """The shards of the indexed pages: ranges of publication time, newest first (undated
    pages last), of `MIN_PAGES` to `MAX_PAGES` pages.

    The pages are cut in the order of their `published` key, from the oldest, after the
    pages whose path says so (not their rank), unless the shard is still under `MIN_PAGES`
    or reaches `MAX_PAGES`: an added, removed or edited page changes its own shard, and at
    most the next ones up to the next cut made by a path, so every other shard keeps its
    pages and its bundle; new replies, the newest, change the newest shard. A cut never
    falls between two pages published at the same time, so the shards' ranges of time do
    not overlap, and each is named by its oldest page's year or time (see `_names`)."""
    dated: list[tuple[str, str]] = []
    undated: list[tuple[str, str]] = []
    for path, page in pages.items():
        if page.record is not None:
            published = page.record.sort.get("published", "")
            (dated if shard_name(published) != UNDATED else undated).append((published, path))
    key = indexer.key()
    runs = _cut(sorted(dated))
    names = _unique(_names(members[0][0] for members in runs))
    undated_runs = _cut(sorted(undated))
    names += [UNDATED if not n else f"{UNDATED}-{n + 1}" for n in range(len(undated_runs))]
    shards = []
    for name, members in zip(names, [*runs, *undated_runs], strict=True):
        paths = tuple(sorted(path for _, path in members))
        made_of = fingerprint(((path, pages[path].digest) for path in paths), key)
        shards.append(Shard(name, paths, made_of))
    return [*reversed(shards[: len(runs)]), *shards[len(runs) :]]


def _names(starts: Iterable[str]) -> list[str]:
    """The shards' names, by the `published` key of their oldest page, oldest first: the
    first shard that starts in a year is named by the year (`2024`, as when a shard was a
    year; a small site has the same folders), the next ones by the time
    (`2024-12-10T155239`). A name changes only when a shard starts earlier in its year."""
    names: list[str] = []
    for start in starts:
        year = shard_name(start)
        names.append(year if year not in names else _time_name(start))
    return names


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in names:
        number, candidate = 1, name
        while candidate in seen:
            number += 1
            candidate = f"{name}-{number}"
        seen.add(candidate)
        unique.append(candidate)
    return unique


def _cut(run: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    chunks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    wanted = False  # a page past MIN_PAGES said to cut: at the next change of time
    for position, (published, path) in enumerate(run):
        current.append((published, path))
        wanted = wanted or (len(current) >= MIN_PAGES and _cuts_after(path))
        following = run[position + 1][0] if position + 1 < len(run) else None
        at_new_time = following is not None and following != published
        if at_new_time and (wanted or len(current) >= MAX_PAGES):
            chunks.append(current)
            current, wanted = [], False
    if current:
        chunks.append(current)
    return chunks


def _cuts_after(path: str) -> bool:
    digest = hashlib.blake2b(path.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % CUT_ONE_IN == 0


def _time_name(published: str) -> str:
    """A folder name of a `published` key: `2024-12-10T15:52:39` gives `2024-12-10T155239`."""
    return "".join(c for c in published[:25] if c.isascii() and (c.isalnum() or c in "-T+"))


def shard_name(published: str) -> str:
    """The year of a `published` key, or `UNDATED`."""
    year = published[:4]
    return year if len(year) == 4 and year.isascii() and year.isdigit() else UNDATED


def index_shard(output: Path, shard: Shard, indexer: Indexer) -> str:
    """Index one shard into `output/SHARDS_DIR/<name>/`, replacing its bundle in one step;
    the error text, or "" when it worked (the old bundle then stays)."""
    site = _staging(output, f"site-{shard.name}")
    bundle = _staging(output, shard.name)
    try:
        _link_pages(output, site, shard.paths)
        failure = _run_pagefind(site, bundle, indexer)
        if not failure:
            _install_bundle(bundle, output, shard.name)
        return failure
    finally:
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(bundle, ignore_errors=True)


def _staging(output: Path, name: str) -> Path:
    # Inside the output (so on its file system, even when it is a mount point).
    folder = output / HIDDEN / f"pagefind-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def _link_pages(output: Path, site: Path, paths: Iterable[str]) -> None:
    """Pagefind reads the pages from `site`, where they have the same paths as in `output`
    (so the bundle's URLs are the site's)."""
    for path in paths:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(output / path, target)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(output / path, target)


def _run_pagefind(site: Path, bundle: Path, indexer: Indexer) -> str:
    """Run the Pagefind package's command (`python -m pagefind`) on `site`, with the
    extended binary; the error text, or "" when it worked.

    The command, not the package's `PagefindIndex` service: the service stops its process
    right after asking it to write, and on 1,000 replies it left an empty
    `pagefind-entry.json` about one run in three. The command exits when the bundle is
    written.
    """
    command = [sys.executable, "-m", "pagefind", "--site", str(site.resolve())]
    command += ["--output-path", str(bundle.resolve()), "--force-language", indexer.language]
    command += ["--silent"]
    environment = {**os.environ, "PAGEFIND_BINARY_PATH": str(indexer.binary)}
    _note_run(site)
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
    except OSError as error:
        return str(error)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return " / ".join(lines[-3:]) or f"exit status {done.returncode}"
    if indexed_pages(bundle) == 0:
        return "it wrote an empty index"
    return ""


def _note_run(site: Path) -> None:
    runs = os.environ.get(PAGEFIND_RUNS)
    if runs:
        with open(runs, "a", encoding="utf-8") as file:
            file.write(f"{site}\n")


def _install_bundle(staging: Path, output: Path, name: str) -> None:
    """Put a shard's new bundle in place, and its bundle before in `PREVIOUS_DIR`, unless
    one is there already (the shard indexed again since, with no merge between: a run cut
    short): that one is older, the one its merged bundle may have been made from."""
    for unused in UNUSED_BUNDLE_FILES:
        (staging / unused).unlink(missing_ok=True)
    target, before = output / SHARDS_DIR / name, output / PREVIOUS_DIR / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and bundle_before(output, name) is None:
        shutil.rmtree(before, ignore_errors=True)
        before.parent.mkdir(parents=True, exist_ok=True)
        target.rename(before)
    else:
        shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def bundle_before(output: Path, name: str) -> Path | None:
    """The bundle a shard had before it was last indexed again, when it is still kept."""
    before = output / PREVIOUS_DIR / name
    return before if indexed_pages(before) > 0 else None


def forget_bundles_before(output: Path) -> None:
    shutil.rmtree(output / PREVIOUS_DIR, ignore_errors=True)


def indexed_pages(bundle: Path) -> int:
    """How many pages a Pagefind bundle holds."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def has_bundle(output: Path, name: str) -> bool:
    return indexed_pages(output / SHARDS_DIR / name) > 0


def publish_shards(output: Path, shards: list[Shard]) -> list[Shard]:
    """The shards that have a bundle, newest first; the shards' folder cleared of what else
    it holds (shards of years gone, a bundle of an older layout)."""
    folder = output / SHARDS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    listed = [shard for shard in shards if has_bundle(output, shard.name)]
    names = {shard.name for shard in listed}
    for entry in folder.iterdir():
        if entry.name not in names:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    return listed


def write_bundle_list(output: Path, bundles: list[str], shards: list[Shard], pages: Pages) -> None:
    """`pagefind/bundles.json`: the merged bundles, newest first, and the filters' values
    with the number of pages that have each."""
    listing = {"bundles": bundles, "filters": filter_values(pages, shards)}
    data = json.dumps(listing, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    (output / PAGEFIND_DIR).mkdir(parents=True, exist_ok=True)
    write_if_changed(output / PAGEFIND_DIR / BUNDLE_LIST, data)


def sort_ranges(shard: Shard, pages: Pages) -> dict[str, tuple[str, str]]:
    """The least and greatest value of each sort key over a shard's pages."""
    ranges: dict[str, tuple[str, str]] = {}
    for path in shard.paths:
        record = pages[path].record
        for key, value in record.sort.items() if record else ():
            low, high = ranges.get(key, (value, value))
            ranges[key] = (min(low, value), max(high, value))
    return ranges


def filter_values(pages: Pages, shards: list[Shard]) -> dict[str, dict[str, int]]:
    """For each filter, each value and the number of the shards' pages that have it."""
    tally: dict[str, dict[str, int]] = {}
    for shard in shards:
        for path in shard.paths:
            record = pages[path].record
            for key, values in record.filters.items() if record else ():
                counts = tally.setdefault(key, {})
                for value in set(values):
                    counts[value] = counts.get(value, 0) + 1
    return {key: dict(sorted(tally[key].items())) for key in sorted(tally)}
