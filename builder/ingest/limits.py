"""Bounds on the work one saved page may cost, so that each file of an import is imported or
reported on its own: a page larger than `MAX_BYTES` is refused before it is read, a page that
takes longer than `PAGE_SECONDS` (or nests deeper than Python can follow) is reported and
skipped, and the files after it are still imported."""

from __future__ import annotations

import os
import signal
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TypeVar

from builder.errors import Problem

MAX_BYTES = 64 * 1024 * 1024
"""A saved reply is a few hundred kB at most; a .docx or .pdf with its pictures, some MB."""
PAGE_SECONDS = 30.0
"""Reading a real page takes well under a second; this is for hostile or broken ones."""

T = TypeVar("T")


class PageTimeout(BaseException):
    """Raised inside a page's reading when its time is up: a BaseException, so that no
    `except Exception` of a reader or a library it calls can swallow it."""


def not_a_regular_file(path: Path) -> str | None:
    """What the path is when it is there but not a regular file (a FIFO, a device, a
    socket), or None; it is never opened, so a FIFO cannot make the import wait."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "a special file")
    return f"not a regular file: it is {kind}"


def read_bounded(path: Path) -> bytes | Problem:
    """The file's bytes, or why they are not read: not a regular file, too large, unreadable."""
    special = not_a_regular_file(path)
    if special:
        return Problem(path, 0, f"cannot import: {special}", "give saved pages as files")
    try:
        # O_NONBLOCK: should the path become a FIFO after the check, opening it cannot block.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return Problem(path, 0, f"cannot read the file: {error.strerror or error}")
    with os.fdopen(descriptor, "rb") as file:
        try:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return Problem(path, 0, "cannot import: not a regular file")
            data = file.read(MAX_BYTES + 1)
        except OSError as error:
            return Problem(path, 0, f"cannot read the file: {error.strerror or error}")
    if len(data) > MAX_BYTES:
        return Problem(
            path,
            0,
            f"cannot import: the file is larger than {MAX_BYTES // (1024 * 1024)} MB",
            "a saved reply is much smaller: save only the reply's page",
        )
    return data


def bounded(path: Path, work: Callable[[], T]) -> T | Problem:
    """`work()`, or a problem naming the file when it runs out of time or nests too deep."""
    try:
        with _time_limit(PAGE_SECONDS):
            return work()
    except PageTimeout:
        return Problem(
            path,
            0,
            f"skipped: reading the page took longer than {PAGE_SECONDS:g} s",
            "is it a real saved page? open it in a browser and save it again",
        )
    except RecursionError:
        return Problem(path, 0, "skipped: the page nests too deep to be read")


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """An alarm that interrupts the work after `seconds` (only in the main thread, where
    Python delivers signals; elsewhere the work runs unbounded in time)."""
    usable = (
        threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )
    if not usable:
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise PageTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
