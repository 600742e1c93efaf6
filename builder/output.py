"""The one gate that writes the output folder.

Pages are staged in `OUTPUT/.reply-archive/staging/` while the build runs (inside the
output, so on its file system even when the output is a mount point); only a build without
errors commits them. A commit first writes a journal of its moves and removals (written
whole, then renamed into place: that rename is the moment the new site wins), then moves in
just the files whose bytes changed (so unchanged files keep their mtimes, and caches stay
warm) and removes what is no longer produced. A build killed before the journal leaves the
previous site (its staging is thrown away by the next build); one killed after it leaves a
journal that the next build (or `recover`) completes before anything else. A failed build
throws the staging folder away and leaves the previous output as it was.

The gate removes only files it wrote: `.reply-archive/owned.json` lists them, and a folder
holding other files is refused (`foreign_files`).

The gate keeps a manifest of what it wrote: each file's size, mtime, a digest of its bytes
and the fingerprint of what produced it. A build can then skip a page whose fingerprint
is unchanged, and judge new bytes unchanged without reading the old ones, as long as the
file on disk still has the size and mtime recorded (a file changed by hand is rewritten).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from builder import urls
from builder.files import holds, is_temporary, write_atomic

KEPT_FOLDERS = ("pagefind", "search")
"""Written by the search stage, not by the gate: never pruned by a page build."""
HIDDEN = ".reply-archive"
"""The gate's own folder inside the output: staging, journal, owned files, lock."""
JOURNAL = "journal.json"
OWNED = "owned.json"
KILL_AT = "REPLY_ARCHIVE_KILL_AT"
"""For the kill tests only: `name` or `name:N` kills the build with SIGKILL the N-th
time it reaches checkpoint `name` (see `checkpoint`)."""
_kill_at = os.environ.get(KILL_AT, "")
_reached: dict[str, int] = {}


def checkpoint(name: str) -> None:
    """A point where the kill tests stop a build dead (a no-op unless REPLY_ARCHIVE_KILL_AT
    names it)."""
    if not _kill_at:
        return
    wanted, _, count = _kill_at.partition(":")
    if wanted != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


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
        recover(self.output)
        self.staging = self.output / HIDDEN / "staging"
        self.staging.mkdir(parents=True)
        self._root = os.path.join(self.output, "")
        self._staging_root = os.path.join(self.staging, "")
        self._folders: set[str] = set()
        """Folders made in staging (a build writes thousands of files into a few)."""
        self._empty = not self.manifest and _holds_only_hidden(self.output)
        """The output held nothing before this build (a first build): no file there to
        compare new bytes with."""

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
        if entry is None and not self._empty and _same_bytes(self._root + path, data):
            return Outcome(path, fingerprint, digest, len(data), False)
        mtime = self._stage_file(path, data)
        return Outcome(path, fingerprint, digest, len(data), True, mtime_ns=mtime)

    def _stage_file(self, path: str, data: bytes) -> int:
        """Write the file into staging; its mtime (for the manifest, without a look later)."""
        folder = os.path.dirname(path)
        if folder not in self._folders:
            try:  # (a group's folder: its parent is there already)
                os.mkdir(self._staging_root + folder)
            except (FileNotFoundError, FileExistsError):  # (no parent yet; staging itself)
                os.makedirs(self._staging_root + folder, exist_ok=True)
            self._folders.add(folder)
        handle = os.open(self._staging_root + path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            return os.fstat(handle).st_mtime_ns
        finally:
            os.close(handle)

    def size_of(self, path: str) -> int | None:
        """The size of output file `path` as this build produced it (None: not produced)."""
        if path in self.recorded:
            return self.recorded[path].size
        entry = self.manifest.get(path) if path in self.carried else None
        return entry.size if entry is not None else None

    def record(self, outcome: Outcome) -> None:
        if outcome.path in self.produced:
            raise ValueError(f"output path {outcome.path!r} is written twice")
        self.produced.add(outcome.path)
        self.recorded[outcome.path] = outcome
        if outcome.staged:
            self.changed.append(outcome.path)
        checkpoint("record")

    def commit(self, prune: bool = True) -> WriteReport:
        """Move the changed files in; with `prune`, remove every file not produced that the
        gate wrote (else only those the manifest has that were not produced)."""
        unchanged = len(self.produced) - len(self.changed)
        removed = self._unproduced() if prune else self._dropped()
        checkpoint("journal")
        if self.changed or removed:
            write_journal(self.output, self.changed, removed, sorted(self.produced))
            checkpoint("committed")
            roll_forward(self.output)
        else:  # nothing to move: no journal (and no sync) for a build that changed nothing
            _write_owned(self.output / HIDDEN, sorted(self.produced))
            shutil.rmtree(self.staging, ignore_errors=True)
        return WriteReport(tuple(self.changed), unchanged, removed, self._manifest())

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def staged_bytes(self) -> int:
        """The size of what is staged (to say how much a full disk was short of)."""
        total = 0
        for folder, _, names in os.walk(self.staging):
            for name in names:
                with contextlib.suppress(OSError):
                    total += os.lstat(os.path.join(folder, name)).st_size
        return total

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

    def _unproduced(self) -> tuple[str, ...]:
        """The files on disk that were not produced and that the gate wrote."""
        owned = owned_files(self.output) | set(self.manifest)
        gone = [p for p in _files(self.output) if p not in self.produced and p in owned]
        return tuple(sorted(gone))

    def _dropped(self) -> tuple[str, ...]:
        return tuple(sorted(path for path in self.manifest if path not in self.produced))


def write_journal(
    output: Path, moves: Iterable[str], removes: Iterable[str], owned: Iterable[str]
) -> None:
    """Write the commit's journal whole, then rename it into place: the commit point."""
    journal = output / HIDDEN / JOURNAL
    content = {"moves": list(moves), "removes": list(removes), "owned": list(owned)}
    write_atomic(journal, json.dumps(content, ensure_ascii=False).encode(), durable=True)


def roll_forward(output: Path) -> None:
    """Carry out the journal's moves and removals (each step can be done again: a kill
    anywhere in here leaves a journal that the next call finishes), then drop it."""
    hidden = output / HIDDEN
    journal = json.loads((hidden / JOURNAL).read_bytes())
    staging = hidden / "staging"
    moved = _move_new_folders(staging, output)
    folders: set[str] = set()
    for path in journal["moves"]:
        top, inside, _ = path.partition("/")
        if inside and top in moved:  # (moved with its folder)
            continue
        source = staging / path
        if source.exists():
            folder = os.path.dirname(path)
            if folder not in folders:
                os.makedirs(output / folder, exist_ok=True)
                folders.add(folder)
            os.replace(source, output / path)
            checkpoint("move")
    for path in journal["removes"]:
        (output / path).unlink(missing_ok=True)
        checkpoint("remove")
    _remove_emptied(output, journal["removes"])
    _write_owned(hidden, journal["owned"])
    shutil.rmtree(staging, ignore_errors=True)
    (hidden / JOURNAL).unlink()
    checkpoint("done")


def _move_new_folders(staging: Path, output: Path) -> set[str]:
    """Move each staged top-level folder the output has not got in one rename (a first
    build moves a few folders, not every file): all its files are moves of the journal.
    The folders moved."""
    moved = set()
    with contextlib.suppress(FileNotFoundError), os.scandir(staging) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and not os.path.lexists(output / entry.name):
                os.rename(entry.path, output / entry.name)
                moved.add(entry.name)
                checkpoint("move")
    return moved


def recover(output: Path) -> bool:
    """Finish a commit a killed build left (its journal), or throw away its staging: after
    this the output is wholly one site. Whether there was anything to do."""
    hidden = output / HIDDEN
    if (hidden / JOURNAL).exists():
        roll_forward(output)
        return True
    left = [hidden / "staging"]
    if hidden.is_dir():
        left += [path for path in hidden.iterdir() if is_temporary(path.name)]
        left += list(hidden.glob("pagefind-*"))
    found = False
    for path in left:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        found = True
    return found


def owned_files(output: Path) -> set[str]:
    """The files the gate wrote into `output` (by the last commit's list)."""
    try:
        listed = json.loads((output / HIDDEN / OWNED).read_bytes())
    except (OSError, ValueError):
        return set()
    return {p for p in listed if isinstance(p, str)} if isinstance(listed, list) else set()


def foreign_files(output: Path, known: Iterable[str] = ()) -> list[str]:
    """The files (and search folders) in `output` that the gate did not write: a folder
    holding any is the user's, never to be built into. `known`: the manifest's paths."""
    if not output.is_dir():
        return []
    owned = owned_files(output) | set(known)
    foreign = [p for p in _files(output) if p not in owned]
    if not owned:
        foreign += [f"{name}/" for name in KEPT_FOLDERS if (output / name).exists()]
    return sorted(foreign)


def _write_owned(hidden: Path, owned: list[str]) -> None:
    data = json.dumps(owned, ensure_ascii=False).encode()
    if not holds(hidden / OWNED, data):
        write_atomic(hidden / OWNED, data, durable=True)


def remove_if_unbuilt(output: Path) -> None:
    """Remove `output` when it holds nothing but the gate's folder (a first build failed)."""
    with contextlib.suppress(OSError):
        if [entry.name for entry in os.scandir(output)] == [HIDDEN]:
            shutil.rmtree(output)


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
            if not prefix and entry.name == HIDDEN:
                continue
            if not entry.is_dir(follow_symlinks=False):
                found.append(prefix + entry.name)
            elif prefix or entry.name not in KEPT_FOLDERS:
                found += _files(entry.path, f"{prefix}{entry.name}/")
    return found


def _holds_only_hidden(output: Path) -> bool:
    """Whether `output` holds nothing but the gate's own folder."""
    try:
        with os.scandir(output) as entries:
            return all(entry.name == HIDDEN for entry in entries)
    except FileNotFoundError:
        return True


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


class OutputBusy(Exception):
    """Another build holds the output folder; the message names its process."""


LOCK = "lock"


@contextlib.contextmanager
def locked(output: Path, wait: float = 30.0) -> Iterator[None]:
    """Hold the output folder's lock (`.reply-archive/lock`, holding the builder's process
    id) for a build, waiting at most `wait` seconds for another build to end. The lock is
    the kernel's (`flock`), so a killed build's lock is free at once: a stale file is only
    read for its process id."""
    (output / HIDDEN).mkdir(parents=True, exist_ok=True)
    handle = os.open(output / HIDDEN / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _acquire(handle, output, wait)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(handle)  # (closing releases the lock)


def _acquire(handle: int, output: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(handle, 32, 0).decode(errors="replace").strip() or "?"
                raise OutputBusy(
                    f"another build (process {holder}) is writing {output}: waited "
                    f"{wait:g} s for it to end (try again when it has)"
                ) from None
            time.sleep(0.05)
