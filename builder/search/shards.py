"""Pagefind's index in shards: one bundle per year of publication, `pagefind/<year>/`.

Pagefind holds a whole site in memory while it indexes (about half a megabyte a page), and
has no incremental mode. So each year of replies is indexed on its own, from a folder that
holds only that year's pages (hard links), and only when one of them changed: a shard's
fingerprint is the digest of its pages' bytes, and an unchanged shard keeps its bundle.

The search page reads `pagefind/shards.json`, the shards newest first, and queries each
bundle. A shard is one year of the `published` sort key, so results ordered by date are the
shards' own ordered results, one shard after the other.
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
from builder.search.records import Pages

PAGEFIND_DIR = "pagefind"
SHARD_LIST = "shards.json"
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


def plan_shards(pages: Pages, indexer: Indexer) -> list[Shard]:
    """The shards of the indexed pages, newest year first (undated pages last)."""
    members: dict[str, list[str]] = {}
    for path in sorted(pages):
        record = pages[path].record
        if record is not None:
            members.setdefault(shard_name(record.sort.get("published", "")), []).append(path)
    key = indexer.key()
    return [
        Shard(name, tuple(paths), _fingerprint(key, paths, pages))
        for name, paths in sorted(members.items(), key=_newest_first)
    ]


def shard_name(published: str) -> str:
    year = published[:4]
    return year if len(year) == 4 and year.isascii() and year.isdigit() else UNDATED


def _newest_first(item: tuple[str, list[str]]) -> tuple[bool, int]:
    name = item[0]
    return (name == UNDATED, -int(name) if name != UNDATED else 0)


def _fingerprint(key: bytes, paths: Iterable[str], pages: Pages) -> bytes:
    digest = hashlib.blake2b(key, digest_size=16)
    for path in paths:
        digest.update(path.encode() + b"\0" + pages[path].digest)
    return digest.digest()


def index_shard(output: Path, shard: Shard, indexer: Indexer) -> str:
    """Index one shard into `output/pagefind/<name>/`, replacing its bundle in one step;
    the error text, or "" when it worked (the old bundle then stays)."""
    site = _staging(output, f"site-{shard.name}")
    bundle = _staging(output, shard.name)
    try:
        _link_pages(output, site, shard.paths)
        failure = _run_pagefind(site, bundle, indexer)
        if not failure:
            _install_bundle(bundle, output / PAGEFIND_DIR / shard.name)
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


def _install_bundle(staging: Path, target: Path) -> None:
    for name in UNUSED_BUNDLE_FILES:
        (staging / name).unlink(missing_ok=True)
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def indexed_pages(bundle: Path) -> int:
    """How many pages a Pagefind bundle holds."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def has_bundle(output: Path, name: str) -> bool:
    return indexed_pages(output / PAGEFIND_DIR / name) > 0


def publish_shards(output: Path, names: list[str]) -> int:
    """List the shards that have a bundle in `pagefind/shards.json`, newest first, and remove
    what else the folder holds (shards of years gone, a bundle of an older layout); the
    number of pages the listed bundles hold."""
    folder = output / PAGEFIND_DIR
    folder.mkdir(parents=True, exist_ok=True)
    pages = {name: indexed_pages(folder / name) for name in names}
    listed = [name for name in names if pages[name] > 0]
    data = json.dumps({"shards": listed}, ensure_ascii=False).encode() + b"\n"
    write_if_changed(folder / SHARD_LIST, data)
    for entry in folder.iterdir():
        if entry.name not in listed and entry.name != SHARD_LIST:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    return sum(pages.values())
