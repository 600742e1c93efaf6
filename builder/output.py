"""The one gate that writes the output folder.

Pages are staged in a sibling folder while the build runs; only a build without errors
commits them. A commit moves in just the files whose bytes changed (so unchanged files
keep their mtimes, and caches stay warm) and removes what is no longer produced. A failed
build throws the staging folder away and leaves the previous output as it was.

The gate keeps a manifest of what it wrote: each file's size, mtime, a digest of its bytes
and the fingerprint of what produced it. A build can then skip a page whose fingerprint
is unchanged, and judge new bytes unchanged without reading the old ones, as long as the
file on disk still has the size and mtime recorded (a file changed by hand is rewritten).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from builder import urls

KEPT_FOLDERS = ("pagefind", "search")
"""Written by the search stage, not by the gate: never pruned by a page build."""


@dataclass(frozen=True)
class Written:
    """What the gate knows of one output file."""

    fingerprint: bytes
    """Of what the file was made from (empty when not known)."""
    digest: bytes
    size: int
    mtime_ns: int


Manifest = dict[str, Written]


@dataclass(frozen=True)
class Outcome:
    """What became of one output file: staged (its bytes changed) or left as it was."""

    path: str
    fingerprint: bytes
    digest: bytes
    size: int
    staged: bool
    kept: Written | None = None
    """The manifest entry that still holds, when not staged."""
    mtime_ns: int = 0
    """When staged, the staged file's mtime (which the moves of a commit keep)."""


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    manifest: Manifest = field(default_factory=dict)


def digest_of(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class OutputGate:
    output: Path
    manifest: Manifest = field(default_factory=dict)
    """What the previous build wrote (empty: trust nothing, compare bytes)."""
    staging: Path = field(init=False)
    produced: set[str] = field(default_factory=set)
    changed: list[str] = field(default_factory=list)
    recorded: dict[str, Outcome] = field(default_factory=dict)
    carried: set[str] = field(default_factory=set)
    """Produced as the manifest says, unchecked (a build that knows they did not change)."""

    def __post_init__(self) -> None:
        self.staging = self.output.parent / f".{self.output.name}.staging"
        if self.staging.exists():
            shutil.rmtree(self.staging)  # left by a build that was killed
        self.staging.mkdir(parents=True)
        self._root = os.path.join(self.output, "")
        self._staging_root = os.path.join(self.staging, "")
        self._folders: set[str] = set()
        """Folders made in staging (a build writes thousands of files into a few)."""

    def keep(self, path: str, fingerprint: bytes) -> bool:
        """True (and the file counts as produced) when the output holds what `fingerprint`
        makes: the page need not be rendered."""
        entry = self.manifest.get(path)
        if entry is None or not fingerprint or entry.fingerprint != fingerprint:
            return False
        if not self._on_disk(path, entry):
            return False
        self.record(Outcome(path, fingerprint, entry.digest, entry.size, False, entry))
        return True

    def carry(self, paths: Iterable[str]) -> None:
        """Count `paths` as produced, as the manifest has them, without a look at the disk."""
        for path in paths:
            if path not in self.manifest or path in self.produced:
                raise ValueError(f"output path {path!r} is not in the manifest or written twice")
            self.produced.add(path)
            self.carried.add(path)

    def write(self, path: str, data: bytes, fingerprint: bytes = b"") -> Outcome:
        """Stage `data` for output path `path` unless the output already holds those bytes."""
        outcome = self.stage(path, data, fingerprint)
        self.record(outcome)
        return outcome

    def copy(self, path: str, source: Path) -> Outcome:
        return self.write(path, source.read_bytes())

    def stage(self, path: str, data: bytes, fingerprint: bytes = b"") -> Outcome:
        """Decide and stage, without recording: a forked worker stages, its parent records."""
        if not urls.is_inside_output(path) or path in self.produced:
            raise ValueError(f"output path {path!r} is outside the output or written twice")
        digest = digest_of(data)
        entry = self.manifest.get(path)
        if entry is not None and entry.digest == digest and self._on_disk(path, entry):
            return Outcome(path, fingerprint, digest, len(data), False, entry)
        if entry is None and _same_bytes(self._root + path, data):
            return Outcome(path, fingerprint, digest, len(data), False)
        mtime = self._stage_file(path, data)
        return Outcome(path, fingerprint, digest, len(data), True, mtime_ns=mtime)

    def _stage_file(self, path: str, data: bytes) -> int:
        """Write the file into staging; its mtime (for the manifest, without a look later)."""
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(os.path.join(self.staging, folder), exist_ok=True)
            self._folders.add(folder)
        handle = os.open(self._staging_root + path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            return os.fstat(handle).st_mtime_ns
        finally:
            os.close(handle)

    def record(self, outcome: Outcome) -> None:
        if outcome.path in self.produced:
            raise ValueError(f"output path {outcome.path!r} is written twice")
        self.produced.add(outcome.path)
        self.recorded[outcome.path] = outcome
        if outcome.staged:
            self.changed.append(outcome.path)

    def commit(self, prune: bool = True) -> WriteReport:
        """Move the changed files in; with `prune`, remove every file not produced (else
        only those the manifest has that were not produced)."""
        unchanged = len(self.produced) - len(self.changed)
        removed: tuple[str, ...] = ()
        if not self.output.exists():
            self.staging.rename(self.output)
        else:
            for path in self.changed:
                target = self.output / path
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.staging / path, target)
            removed = self._prune() if prune else self._drop_unproduced()
            shutil.rmtree(self.staging)
        return WriteReport(tuple(self.changed), unchanged, removed, self._manifest())

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def _on_disk(self, path: str, entry: Written) -> bool:
        try:
            stat = os.stat(self._root + path)
        except OSError:
            return False
        return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def _manifest(self) -> Manifest:
        manifest: Manifest = {path: self.manifest[path] for path in self.carried}
        for path, outcome in self.recorded.items():
            kept = outcome.kept
            if kept is not None and not outcome.staged:
                if kept.fingerprint != outcome.fingerprint:
                    kept = Written(outcome.fingerprint, kept.digest, kept.size, kept.mtime_ns)
                manifest[path] = kept
                continue
            mtime = outcome.mtime_ns if outcome.staged else _mtime(self._root + path)
            if mtime:
                manifest[path] = Written(outcome.fingerprint, outcome.digest, outcome.size, mtime)
        return manifest

    def _prune(self) -> tuple[str, ...]:
        removed = []
        for relative in _files(self.output):
            if relative not in self.produced:
                (self.output / relative).unlink()
                removed.append(relative)
        _remove_emptied(self.output, removed)
        return tuple(sorted(removed))

    def _drop_unproduced(self) -> tuple[str, ...]:
        removed = sorted(path for path in self.manifest if path not in self.produced)
        for path in removed:
            (self.output / path).unlink(missing_ok=True)
        _remove_emptied(self.output, removed)
        return tuple(removed)


def _remove_emptied(output: Path, removed: list[str]) -> None:
    """Remove the folders that removing `removed` left empty, deepest first."""
    folders = {parent for path in removed for parent in Path(path).parents if parent.name}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty
            (output / folder).rmdir()


def holds_exactly(output: Path, manifest: Manifest) -> bool:
    """Whether `output` holds exactly the files of `manifest` (besides the search stage's
    folders), each with the size and mtime recorded."""
    if not manifest or not output.is_dir():
        return False
    found = 0
    root = os.path.join(output, "")
    for relative in _files(output):
        entry = manifest.get(relative)
        if entry is None:
            return False
        stat = os.stat(root + relative)
        if stat.st_size != entry.size or stat.st_mtime_ns != entry.mtime_ns:
            return False
        found += 1
    return found == len(manifest)


def _files(root: Path | str, prefix: str = "") -> list[str]:
    """Every file under `root` but in the search stage's folders, by its output path."""
    found: list[str] = []
    with os.scandir(root) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                found.append(prefix + entry.name)
            elif prefix or entry.name not in KEPT_FOLDERS:
                found += _files(entry.path, f"{prefix}{entry.name}/")
    return found


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False
