"""The body HTML a build read, on disk until its pages are rendered, not in memory.

A reply's body HTML is most of what a build holds of it (4.6 KB of 11.5 KB a reply in the
parent at 100,000 replies), and every forked render worker that touches a string held by
the parent copies the memory page it lies in. So the parse workers append the bodies they
make to a file of their own in the spool folder and hand the parent where each one is
(`BodyRef`); a render worker reads a body back when it renders the reply's page (the file
is in the page cache: a read is a copy, about 1 µs a body).

The folder is the build's own (inside the locked output folder's hidden folder), and is
removed once the pages are rendered; one a killed build left is removed by the next.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BodyRef:
    """Where a body lies in a spool file: its UTF-8 bytes at `offset`."""

    file: str
    offset: int
    length: int


@dataclass(frozen=True)
class BodySpool:
    folder: Path

    @staticmethod
    def at(folder: Path) -> BodySpool:
        """A new, empty spool in `folder` (a spool a killed build left there is removed)."""
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return BodySpool(folder)

    def put(self, html: str) -> BodyRef:
        """Append `html` to this process's own spool file (see `flush`)."""
        handle = _writers.get(self.folder)
        if handle is None or handle[0] != os.getpid():
            name = str(self.folder / f"{os.getpid()}.html")
            handle = _writers[self.folder] = (os.getpid(), open(name, "ab"))  # noqa: SIM115
        data = html.encode("utf-8", "surrogatepass")
        file = handle[1]
        offset = file.tell()
        file.write(data)
        return BodyRef(file.name, offset, len(data))

    def flush(self) -> None:
        """Make what this process put readable by the others (before handing out refs)."""
        handle = _writers.get(self.folder)
        if handle is not None and handle[0] == os.getpid():
            handle[1].flush()

    def remove(self) -> None:
        """Close this process's files of the spool and remove it."""
        handle = _writers.pop(self.folder, None)
        if handle is not None and handle[0] == os.getpid():
            handle[1].close()
        for name in [n for n in _readers if n.startswith(str(self.folder) + os.sep)]:
            pid, fd = _readers.pop(name)
            if pid == os.getpid():
                os.close(fd)
        shutil.rmtree(self.folder, ignore_errors=True)


def read_body(ref: BodyRef) -> str:
    """The body at `ref`, from any process (a file descriptor kept per process)."""
    found = _readers.get(ref.file)
    if found is None or found[0] != os.getpid():
        found = _readers[ref.file] = (os.getpid(), os.open(ref.file, os.O_RDONLY))
    return os.pread(found[1], ref.length, ref.offset).decode("utf-8", "surrogatepass")


_writers: dict[Path, tuple[int, io.BufferedWriter]] = {}
_readers: dict[str, tuple[int, int]] = {}
"""This process's open spool files (a forked worker inherits its parent's entries: each
is marked with the pid that opened it, and used by that process only)."""
