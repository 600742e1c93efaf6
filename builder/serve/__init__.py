"""`reply-archive serve`: build, serve the output, rebuild on each save, reload the pages.

Threads, each with one job:
- the main thread answers HTTP (`serve.http`), each request in a thread of its own;
- watchdog's thread turns file events into changed files (`serve.watch`);
- the builder thread takes them in batches, after a quiet moment, and hands each batch to
  one `Builder` kept for the server's life, which rebuilds what the change affects. While
  it builds, requests wait (`serve.state.OutputLock`): a half-built site is never served.
  After a good build the pages reload; after a failed one the last good site stays and
  shows the errors;
- the search index is refreshed after the pages, in the background (`serve.search`).
"""

from __future__ import annotations

import ipaddress
import os
import signal
import sys
import threading
import traceback
import webbrowser
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

from builder.build import Builder, BuildOptions, BuildReport
from builder.errors import BuildFailed, Problem, sorted_problems
from builder.serve.http import PortInUse, PreviewServer, bind
from builder.serve.search import SearchRefresher
from builder.serve.state import SiteState
from builder.serve.watch import ChangeQueue, Watcher
from builder.timing import Stopwatch

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class ServeOptions:
    source: Path = Path(".")
    output: Path | None = None
    """Defaults to `output/` inside the source folder, as for `build`."""
    host: str = DEFAULT_HOST
    port: int | None = None
    """`None`: 8000, or the next free port after it."""
    open_browser: bool = False
    search: bool = True


class BuildStopped(Exception):
    """Raised into a build in progress when the server stops."""


def serve(options: ServeOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Run the preview server until Ctrl-C; the exit status."""
    return Preview(options, out, err).run()


class Preview:
    def __init__(self, options: ServeOptions, out: TextIO, err: TextIO) -> None:
        self.options, self.out, self.err = options, out, err
        build = BuildOptions(options.source, options.output, search=False, progress=self._progress)
        self.builder = Builder(build)
        self.root, self.output = options.source.resolve(), build.output_dir.resolve()
        self.state = SiteState()
        self.queue = ChangeQueue()
        self.watcher = Watcher(self.root, self.output, self.queue.put)
        self.search = SearchRefresher(options.source, self.output, None, self.log)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._build_loop, name="builder", daemon=True)
        self.print_lock = threading.Lock()
        self.warnings: set[str] = set()
        self.rescan = False
        self.server: PreviewServer | None = None

    def run(self) -> int:
        try:
            self.server = bind(self.options.host, self.options.port, self.output, self.state)
        except PortInUse as error:
            self.log(f"error: {error}", self.err)
            return 1
        lines = announcement(self.output, self.options.host, self.options.port, self.server.port)
        for line in lines:
            self.log(line)
        with _signals():
            try:
                self.watcher.start()
                self.thread.start()
                if self.options.search:
                    self.search.start()
                self.server.serve_forever(poll_interval=0.25)
            except KeyboardInterrupt:
                pass
            finally:
                self.stop()
        self.log("stopped: the preview server is closed", self.err)
        return 0

    def stop(self) -> None:
        self.stopping.set()
        self.queue.close()
        self.watcher.stop()
        self.search.stop()
        self.state.close()
        if self.server is not None:
            self.server.server_close()
        if self.thread.is_alive():
            self.thread.join(timeout=30)

    def _build_loop(self) -> None:
        try:
            self._build(None)
            if self.options.open_browser:
                self._open_browser()
            while (batch := self.queue.take()) is not None:
                self._build(batch.changed)
        except BuildStopped:
            return

    def _build(self, changed: list[Path] | None) -> None:
        assert self.server is not None
        self.state.started()
        watch = Stopwatch()
        with self.server.lock.writing():
            outcome = self._run_builder(changed)
            if isinstance(outcome, BuildReport):
                self.state.built(bool(outcome.written or outcome.removed))
            else:
                self.state.failed(outcome)
        seconds = watch.seconds
        if isinstance(outcome, BuildReport):
            self._report(outcome, changed, seconds)
            if self.options.search and (changed is None or outcome.written or outcome.removed):
                self.search.request()
        elif self.state.snapshot().builds == 1:
            self.log(f"build failed in {seconds:.2f} s: the pages show the errors until fixed")
        else:
            self.log(f"build failed in {seconds:.2f} s: the last good site is still served")

    def _run_builder(self, changed: list[Path] | None) -> BuildReport | tuple[str, ...]:
        """The report of a good build, or the error lines of a failed one."""
        if self.rescan:  # after a failure of our own, trust nothing the builder kept
            changed, self.rescan = None, False
        try:
            return self.builder.build(changed)
        except BuildFailed as failure:
            lines = self._lines(failure.errors)
            for line in lines:
                self.log(line, self.err)
            return lines
        except BuildStopped:
            raise
        except Exception as error:
            self.rescan = True
            self.log(traceback.format_exc().rstrip(), self.err)
            return (f"reply-archive failed: {error!r} (a bug in reply-archive: see the terminal)",)

    def _report(self, report: BuildReport, changed: list[Path] | None, seconds: float) -> None:
        lines = self._lines(report.warnings)
        for line in lines:
            if line not in self.warnings:
                self.log(line, self.err)
        self.warnings = set(lines)
        what = "built" if changed is None else "rebuilt"
        done = f"{len(report.written)} written, {len(report.removed)} removed"
        self.log(
            f"{what} {report.replies} replies in {seconds:.2f} s: {done}{self._which(changed)}"
        )

    def _which(self, changed: list[Path] | None) -> str:
        if not changed:
            return ""
        names = sorted(_relative(path, self.root) for path in changed)
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        return " (" + ", ".join(names[:3]) + more + ")"

    def _lines(self, problems: Iterable[Problem]) -> tuple[str, ...]:
        return tuple(p.format(self.options.source) for p in sorted_problems(problems))

    def _progress(self, done: int, total: int) -> None:
        if self.stopping.is_set():
            raise BuildStopped()

    def _open_browser(self) -> None:
        if self.server is not None:
            webbrowser.open(_url(self.options.host, self.server.port))

    def log(self, line: str, stream: TextIO | None = None) -> None:
        with self.print_lock:
            print(line, file=stream or self.out, flush=True)


def announcement(
    output: Path, host: str, requested: int | None, port: int, first: int = DEFAULT_PORT
) -> list[str]:
    """What the server says when it starts: where, and anything surprising about it."""
    lines = []
    if requested is None and port != first:
        lines.append(f"port {first} is in use: serving on port {port} instead")
    if not _is_loopback(host):
        lines.append(
            f"warning: listening on {host}, not only on this computer: anyone who can reach "
            f"it on port {port} can read the preview (the default, {DEFAULT_HOST}, is safe)"
        )
    lines.append(f"serving {output} at {_url(host, port)} (Ctrl-C stops)")
    return lines


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(host: str, port: int) -> str:
    """Where a browser on this computer finds the server (any address includes 127.0.0.1)."""
    if host in ("", "0.0.0.0", "::"):
        host = DEFAULT_HOST
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@contextmanager
def _signals() -> Iterator[None]:
    """Ctrl-C and `kill` stop the server (only the main thread may set handlers).

    A build forks workers, and a terminal's Ctrl-C reaches them too: they ignore it and
    leave the stopping to the server, which ends them (with SIGTERM's default action). The
    two signals are held back across each fork, so a worker never sees the server's handlers.
    """
    global _serving
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _serving is None:
        os.register_at_fork(before=_hold, after_in_parent=_release, after_in_child=_quiet_child)
    _serving = os.getpid()
    before = signal.getsignal(signal.SIGTERM)
    if before is not signal.SIG_IGN:
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        _serving = 0
        signal.signal(signal.SIGTERM, before)


_serving: int | None = None
"""The server's process id while it serves (0 after, `None` before the first time)."""
_STOPPING = {signal.SIGINT, signal.SIGTERM}


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _hold() -> None:
    if _serving:
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)


def _release() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


def _quiet_child() -> None:
    if _serving and os.getppid() == _serving:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _release()
