"""The one timer: how long a stage (or a build, a search refresh) took, in seconds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Stopwatch:
    """Started when made; `seconds` is the time since."""

    def __init__(self) -> None:
        self._start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self._start


@contextmanager
def timed(timings: dict[str, float], name: str) -> Iterator[None]:
    """Put into `timings[name]` how long the block took (also when it raised)."""
    watch = Stopwatch()
    try:
        yield
    finally:
        timings[name] = watch.seconds
