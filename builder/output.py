"""The one gate that writes the output folder.

Pages are staged in a sibling folder while the build runs; only a build without errors
commits them. A commit moves in just the files whose bytes changed (so unchanged files
keep their mtimes, and caches stay warm) and removes what is no longer produced. A failed
build throws the staging folder away and leaves the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from builder import urls

KEPT_FOLDERS = ("pagefind",)
"""Written by the search stage, not by the gate: never pruned by a page build."""


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


@dataclass
class OutputGate:
    output: Path
    staging: Path = field(init=False)
    produced: set[str] = field(default_factory=set)
    changed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.staging = self.output.parent / f".{self.output.name}.staging"
        if self.staging.exists():
            shutil.rmtree(self.staging)  # left by a build that was killed
        self.staging.mkdir(parents=True)

    def write(self, path: str, data: bytes) -> None:
        """Stage `data` for output path `path` unless the output already holds those bytes."""
        if not urls.is_inside_output(path) or path in self.produced:
            raise ValueError(f"output path {path!r} is outside the output or written twice")
        self.produced.add(path)
        if _same_bytes(self.output / path, data):
            return
        target = self.staging / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.changed.append(path)

    def copy(self, path: str, source: Path) -> None:
        self.write(path, source.read_bytes())

    def commit(self) -> WriteReport:
        unchanged = len(self.produced) - len(self.changed)
        if not self.output.exists():
            self.staging.rename(self.output)
            return WriteReport(tuple(self.changed), unchanged, ())
        for path in self.changed:
            target = self.output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / path, target)
        removed = self._prune()
        shutil.rmtree(self.staging)
        return WriteReport(tuple(self.changed), unchanged, removed)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def _prune(self) -> tuple[str, ...]:
        removed = []
        for path in sorted(self.output.rglob("*"), reverse=True):
            relative = path.relative_to(self.output).as_posix()
            if relative.split("/", 1)[0] in KEPT_FOLDERS:
                continue
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif relative not in self.produced:
                path.unlink()
                removed.append(relative)
        return tuple(sorted(removed))


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
