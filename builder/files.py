"""Writing a file whole or not at all: the one way reply-archive replaces a file.

`write_atomic` writes the bytes into a temporary file beside the target (same folder, so
the same file system), then renames it over the target: a reader sees the old file or the
new one, never half of one. A write that fails removes its temporary file; one killed dead
leaves a `.<name>.<pid>.<token>.tmp` beside the target (`is_temporary` knows the name: the
watcher ignores such files, the output gate clears them from its own folder).
`create_atomic` makes a file that must not exist yet (the machine's secret) the same way,
linking instead of renaming; `link_atomic` replaces a file with a hard link to another.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes | str, *, durable: bool = False) -> None:
    """Replace `path` with `data` (a str is written as UTF-8) in one rename. With `durable`
    the bytes are synced to the disk before the rename (a commit point that must survive a
    power cut); the folder must exist."""
    contents = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(_temporary_name(path.name))
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _write_all(handle, contents)
        if durable:
            os.fsync(handle)
        os.close(handle)
        handle = -1
        os.replace(temporary, path)
    except BaseException:
        if handle >= 0:
            os.close(handle)
        temporary.unlink(missing_ok=True)
        raise


def create_atomic(path: Path, data: bytes, *, mode: int = 0o666) -> bool:
    """Make `path` holding `data`, whole, unless it exists: whether this call made it. The
    bytes go into a temporary file first and are linked to the name in one step, so no one
    ever sees the file half written, and of two processes racing the first one wins."""
    temporary = path.with_name(_temporary_name(path.name))
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        _write_all(handle, data)
        os.close(handle)
        handle = -1
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        if handle >= 0:
            os.close(handle)
        temporary.unlink(missing_ok=True)
    return True


def link_atomic(source: Path, path: Path, *, copy: bool = True) -> bool:
    """Replace `path` with a hard link to `source` in one rename, or with a copy of it when
    the two are on file systems that cannot link them (unless not to `copy`: then `path`
    is left as it is); whether `path` was replaced. The folder must exist."""
    temporary = path.with_name(_temporary_name(path.name))
    try:
        try:
            os.link(source, temporary)
        except OSError:
            if not copy:
                return False
            shutil.copyfile(source, temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """`write_atomic` unless `path` already holds `data` (its mtime then stays); whether it
    wrote. Makes the folder when it is missing."""
    contents = data.encode("utf-8") if isinstance(data, str) else data
    if holds(path, contents):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, contents)
    return True


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (False when it cannot be read)."""
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def is_temporary(name: str) -> bool:
    """Whether a file name is one `write_atomic` gives its temporary files."""
    return name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)


def _temporary_name(name: str) -> str:
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}"


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]
