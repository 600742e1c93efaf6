"""Work on every core: the one pool of forked workers.

Workers are forked, so they start with everything the parent holds (the archive, the
planned pages, the bodies) without copying it; each sends back only small results. The
collector is frozen across the fork so that the workers leave the inherited objects'
memory pages shared, and a worker ignores Ctrl-C (the parent stops the pool).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager


def worker_count() -> int:
    """How many workers to fork: one a core, at most 8."""
    return max(1, min(os.cpu_count() or 1, 8))


@contextmanager
def forked_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of `workers` forked processes, stopped (and waited for) on the way out."""
    gc.freeze()  # the workers' collector then leaves the inherited objects' pages shared
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_leave_ctrl_c_to_parent)
    try:
        yield pool
        pool.close()
    finally:
        pool.terminate()
        pool.join()
        gc.unfreeze()


def _leave_ctrl_c_to_parent() -> None:
    # A terminal's Ctrl-C reaches every process of the group; the parent stops the pool,
    # so a worker printing its own KeyboardInterrupt traceback is only noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
