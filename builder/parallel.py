"""Work on every core: the one pool of forked workers, and fresh Python processes.

Workers are forked, so they start with everything the parent holds (the archive, the
planned pages, the bodies) without copying it; each sends back only small results. The
collector is frozen across the fork so that the workers leave the inherited objects'
memory pages shared, and a worker ignores Ctrl-C (the parent stops the pool).

Work started from a thread (the search stage's, beside Pagefind) goes to fresh processes
instead (`in_processes`): forking a threaded process can copy a lock held by another thread.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import multiprocessing.pool
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from subprocess import PIPE
from typing import Any

_WORKER = "from builder.parallel import serve_task; serve_task()"


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


class WorkerFailed(Exception):
    """A process of `in_processes` failed: the last lines of what it wrote to stderr."""


def in_processes(entry: str, tasks: Sequence[object]) -> list[Any]:
    """`entry` (`module:function`) called on each of `tasks` at once, each in a Python
    process of its own (not `multiprocessing`, whose start methods fork a threaded process
    or import the caller's main module again): the results, in order. Tasks and results
    go through pipes, pickled. When one fails, it is reported once all have ended; on an
    interruption, the others are killed: none is left running."""
    if not tasks:
        return []
    package_root = str(Path(__file__).resolve().parents[1])
    paths = [package_root, *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    # -P: not the current folder first on the path (a `builder/` there is not this package).
    command = [sys.executable, "-P", "-c", _WORKER, entry]
    started: list[subprocess.Popen[bytes]] = []
    try:
        for _ in tasks:
            started.append(
                subprocess.Popen(command, stdin=PIPE, stdout=PIPE, stderr=PIPE, env=environment)
            )
        with ThreadPoolExecutor(max_workers=len(started)) as pool:  # (every pipe at once)
            finished = list(pool.map(lambda p, t: p.communicate(pickle.dumps(t)), started, tasks))
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
            process.wait()
    results = []
    for process, (output, errors) in zip(started, finished, strict=True):
        if process.returncode != 0:
            lines = errors.decode(errors="replace").strip().splitlines()
            raise WorkerFailed(" / ".join(lines[-2:]))
        try:
            results.append(pickle.loads(output))
        except (pickle.UnpicklingError, EOFError, ValueError) as error:
            raise WorkerFailed(f"no result: {error}") from error
    return results


def serve_task() -> None:
    """A process of `in_processes`: the task from stdin, the result to stdout."""
    module, function = sys.argv[1].split(":")
    task = pickle.load(sys.stdin.buffer)
    result = getattr(importlib.import_module(module), function)(task)
    pickle.dump(result, sys.stdout.buffer)
