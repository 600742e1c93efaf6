"""The watch side of `serve`: file events in, batches of changed files out.

watchdog reports creations, edits, moves and deletions under `content/` and `templates/`
and beside `site.toml`. Each event becomes the changed *files* it stands for (a folder moved
away stands for every file that was in it), filtered through `changes.classify`. A
`ChangeQueue` gathers them until the events have been quiet for a moment, so a save through
a temporary file, a `git checkout` or a folder copied in becomes one rebuild.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from builder.serve.changes import CONTENT_DIR, TEMPLATES_DIR, ChangeKind, classify

QUIET_SECONDS = 0.1
"""How long the events must pause before a rebuild starts."""
LONGEST_WAIT_SECONDS = 2.0
"""A rebuild starts after this long even while events keep coming."""

EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    DirCreatedEvent,
    DirMovedEvent,
    DirDeletedEvent,
]
"""Only what changes files: reads by the build itself (opened, closed) are not watched."""


@dataclass(frozen=True)
class Batch:
    paths: frozenset[Path]
    everything: bool = False
    """Something may have been missed: rebuild as if anything changed."""

    @property
    def changed(self) -> list[Path] | None:
        """What `Builder.build` takes: the changed files, or `None` for anything."""
        return None if self.everything else sorted(self.paths)


class ChangeQueue:
    """Changed paths from the watcher's thread, taken in batches by the builder's thread."""

    def __init__(self, quiet: float = QUIET_SECONDS, longest: float = LONGEST_WAIT_SECONDS):
        self.quiet, self.longest = quiet, longest
        self._condition = threading.Condition()
        self._pending: set[Path] = set()
        self._everything = False
        self._first = self._last = 0.0
        self._closed = False

    def put(self, paths: Iterable[Path] | None) -> None:
        """Add changed paths; `None` when it is not known what changed."""
        with self._condition:
            if paths is None:
                self._everything = True
            else:
                self._pending.update(paths)
            self._last = time.monotonic()  # each event, even of a file already pending
            self._first = self._first or self._last
            self._condition.notify_all()

    def take(self) -> Batch | None:
        """The next batch, once the events have paused; `None` once the queue is closed."""
        with self._condition:
            while not (self._pending or self._everything or self._closed):
                self._condition.wait()
            while not self._closed:
                now = time.monotonic()
                wait = min(self._last + self.quiet, self._first + self.longest) - now
                if wait <= 0:
                    break
                self._condition.wait(wait)
            if self._closed:
                return None
            batch = Batch(frozenset(self._pending), self._everything)
            self._pending, self._everything, self._first = set(), False, 0.0
            return batch

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()


class Watcher(FileSystemEventHandler):
    """Watches an archive's `content/`, `templates/` and `site.toml`; puts changed files
    that matter to the build (see `changes.classify`) into `on_change`."""

    def __init__(
        self, root: Path, output: Path, on_change: Callable[[set[Path] | None], None]
    ) -> None:
        self.root, self.output = root.resolve(), output.resolve()
        self.on_change = on_change
        self.observer: BaseObserver = Observer()
        self.watches: dict[str, ObservedWatch] = {}
        self.known = KnownFiles()

    def start(self) -> None:
        self.observer.schedule(self, str(self.root), recursive=False, event_filter=EVENTS)
        for name in (CONTENT_DIR, TEMPLATES_DIR):
            self._watch_folder(self.root / name)
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            paths = self._files_of(event)
        except Exception:  # never let watching stop: rebuild as if anything changed
            self.on_change(None)
            return
        wanted = {p for p in paths if classify(p, self.root, self.output) is not ChangeKind.IGNORED}
        if wanted:
            self.on_change(wanted)

    def _files_of(self, event: FileSystemEvent) -> set[Path]:
        """The files an event changed, keeping `known` up to date."""
        source = Path(_text(event.src_path))
        destination = Path(_text(event.dest_path)) if event.dest_path else None
        if event.is_directory:
            return self._folder_changed(event.event_type, source, destination)
        files = {source} | ({destination} if destination else set())
        if event.event_type in ("deleted", "moved"):
            self.known.discard(source)
        if event.event_type != "deleted":
            self.known.add({destination or source})
            files |= self.known.vanished_namesakes(destination or source)
        return files

    def _folder_changed(self, kind: str, source: Path, destination: Path | None) -> set[Path]:
        files = set()
        if kind in ("deleted", "moved") and self._is_watched_folder(source):
            files |= self._forget(source)
        appeared = destination if kind == "moved" else source if kind == "created" else None
        if appeared is not None and self._is_watched_folder(appeared):
            files |= self._folder_appeared(appeared)
        return files

    def _is_watched_folder(self, folder: Path) -> bool:
        """`content/`, `templates/` or a folder in them (so not the output, nor its staging)."""
        if (
            folder == self.output
            or self.output in folder.parents
            or self.root not in folder.parents
        ):
            return False
        return folder.relative_to(self.root).parts[0] in (CONTENT_DIR, TEMPLATES_DIR)

    def _folder_appeared(self, folder: Path) -> set[Path]:
        if folder.parent == self.root and folder.name in (CONTENT_DIR, TEMPLATES_DIR):
            self._watch_folder(folder)
        found = _files_under(folder)
        self.known.add(found)
        return found

    def _forget(self, path: Path) -> set[Path]:
        """Drop the files under the folder `path` from `known`; the files it held."""
        gone = self.known.pop_under(path)
        if path.parent == self.root:
            self._unwatch(path.name)
        return gone

    def _watch_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            return
        self._unwatch(folder.name)
        self.watches[folder.name] = self.observer.schedule(
            self, str(folder), recursive=True, event_filter=EVENTS
        )
        self.known.add(_files_under(folder))

    def _unwatch(self, name: str) -> None:
        watch = self.watches.pop(name, None)
        if watch is not None:
            with contextlib.suppress(KeyError):  # the folder went away, and its watch
                self.observer.unschedule(watch)


class KnownFiles:
    """The files under the watched folders: what a folder moved away held."""

    def __init__(self) -> None:
        self.by_name: dict[str, set[Path]] = {}

    def add(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.by_name.setdefault(path.name, set()).add(path)

    def discard(self, path: Path) -> None:
        self.by_name.get(path.name, set()).discard(path)

    def pop_under(self, folder: Path) -> set[Path]:
        gone = {p for paths in self.by_name.values() for p in paths if folder in p.parents}
        for path in gone:
            self.discard(path)
        return gone

    def vanished_namesakes(self, path: Path) -> set[Path]:
        """Files named as `path` that are gone: the first half of a move that watchdog
        still holds back. (It waits half a second to pair a move's halves, and cannot
        pair them when the move is into a folder made just before.)"""
        gone = {p for p in self.by_name.get(path.name, ()) if p != path and not p.exists()}
        for old in gone:
            self.discard(old)
        return gone


def _files_under(folder: Path) -> set[Path]:
    try:
        return {p for p in folder.rglob("*") if p.is_file()}
    except OSError:
        return set()


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path
