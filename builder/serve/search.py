"""The search index in `serve`: refreshed after the pages, in the background.

The pages of a rebuild are served and reloaded first; then, once the builds have paused,
a child process (at a lower priority, so the next rebuild does not wait on it) runs the
search stage over the written output. Requests that arrive while it runs are coalesced
into one more run. Stopping the server stops the child.

Run as `python -m builder.serve.search --source DIR --output DIR [--base-url URL]`, the
child prints each search problem as one `path:line: message` line.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import builder
from builder.build.cache import CACHE_DIR, CacheStore
from builder.config import load_config
from builder.errors import sorted_problems
from builder.search import index_output
from builder.timing import Stopwatch

PAUSE_SECONDS = 1.0
"""How long after the last build the index starts to refresh."""

Log = Callable[[str], None]


class SearchRefresher:
    """One background thread that refreshes the search index when asked, one run at a time."""

    def __init__(self, source: Path, output: Path, base_url: str | None, log: Log) -> None:
        self.command = [sys.executable, "-m", "builder.serve.search"]
        self.command += ["--source", str(source), "--output", str(output)]
        self.command += ["--base-url", base_url] if base_url is not None else []
        self.log = log
        self._condition = threading.Condition()
        self._wanted = 0.0
        self._stopped = False
        self._child: subprocess.Popen[str] | None = None
        self._reported: set[str] = set()
        self._thread = threading.Thread(target=self._run, name="search-index", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self) -> None:
        """The pages changed: refresh the index once the builds pause."""
        with self._condition:
            self._wanted = time.monotonic()
            self._condition.notify_all()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
            child = self._child
        if child is not None and child.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(child.pid, signal.SIGTERM)  # the child and the Pagefind it runs
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while self._next_run():
            watch = Stopwatch()
            lines = self._index()
            if lines is None:
                continue
            seconds = watch.seconds
            new = [line for line in lines if line not in self._reported]
            self._reported = set(lines)
            for line in new:
                self.log(line)
            self.log(f"search index refreshed in {seconds:.1f} s")

    def _next_run(self) -> bool:
        """Wait for a request and for the builds to pause; False once stopped."""
        with self._condition:
            while not self._stopped:
                if self._wanted:
                    wait = self._wanted + PAUSE_SECONDS - time.monotonic()
                    if wait <= 0:
                        self._wanted = 0.0
                        return True
                    self._condition.wait(wait)
                else:
                    self._condition.wait()
            return False

    def _index(self) -> list[str] | None:
        """The problems' lines; `None` when stopped, or superseded by a newer request."""
        environment = {**os.environ, "PYTHONPATH": _import_path()}
        with self._condition:
            if self._stopped:
                return None
            self._child = subprocess.Popen(
                self.command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
                start_new_session=True,  # Ctrl-C reaches the server, which stops this child
            )
        out, err = self._child.communicate()
        code = self._child.returncode
        with self._condition:
            self._child = None
            if self._stopped or self._wanted:
                return None
        if code != 0:
            last = (err.strip().splitlines() or [f"exit status {code}"])[-1]
            return [f"the search index could not be refreshed: {last}"]
        return [line for line in out.splitlines() if line.strip()]


def _import_path() -> str:
    here = str(Path(builder.__file__).resolve().parent.parent)
    rest = os.environ.get("PYTHONPATH", "")
    return here + (os.pathsep + rest if rest else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.serve.search")
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--base-url", default=None)
    args = parser.parse_args(argv)
    with contextlib.suppress(OSError):
        os.nice(10)  # below the server's own builds
    config = load_config(args.source, args.base_url).config
    store = CacheStore(args.source / CACHE_DIR)
    for problem in sorted_problems(index_output(args.output, config, store)):
        print(problem.format(args.source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
