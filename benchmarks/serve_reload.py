"""Time `reply-archive serve` from saving one reply to the reload event and the new page.

    python benchmarks/serve_reload.py 10000 [--runs 5] [--search]

Generates (or reuses) the synthetic archive of N replies, copies it to a temporary folder,
starts the server on a free port and, for each run, edits one reply (a different one each
time), then measures from the end of the write to:
- `event`: the server's Server-Sent Event that tells open pages to reload;
- `page`: the edited page fetched from the server with the edit in it.
With `--search` the search index is refreshed in the background as in normal use; each run
waits for it to finish first, unless `--no-wait`. `--no-wait --gap 3` saves every 3 seconds,
while the index of the previous save is being refreshed: the worst case.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import DEFAULT_ARCHIVES, generate  # noqa: E402
from builder.sources import find_reply_files  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, help="how many replies")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--search", action="store_true", help="refresh the search index too")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for the index")
    parser.add_argument("--archive", type=Path, help="a generated archive of N replies to copy")
    parser.add_argument("--gap", type=float, default=0.0, help="seconds to pause before a save")
    args = parser.parse_args()
    archive = generate(args.n, args.archive or DEFAULT_ARCHIVES / f"n{args.n}")
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        copy = Path(folder) / "archive"
        # The archive only: not a build's output or cache (another build may be writing them).
        shutil.copytree(archive, copy, ignore=shutil.ignore_patterns("output", ".*"))
        results = measure(copy, args.runs, args.search, not args.no_wait, args.gap)
    report(args.n, results)
    return 0


def measure(
    archive: Path, runs: int, search: bool, wait: bool, gap: float
) -> list[tuple[float, float]]:
    command = [sys.executable, "-m", "builder", "serve", "--source", str(archive), "--port", "0"]
    command += [] if search else ["--no-search"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(server.stdout, lines), daemon=True).start()
    try:
        port = _port(lines)
        _wait_for(lines, "built ")
        print(f"first build and start: {time.perf_counter() - started:.1f} s", flush=True)
        replies = find_reply_files(archive)
        results = []
        for run in range(runs):
            if search and wait:
                _wait_for(lines, "search index refreshed")
            time.sleep(gap)
            results.append(_one_edit(port, replies[run * 997 % len(replies)], run))
            server_said = _wait_for(lines, "rebuilt ").split(": ", 1)[0]
            print(
                f"run {run + 1}: event {results[-1][0]:.3f} s, page {results[-1][1]:.3f} s "
                f"(server: {server_said})",
                flush=True,
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=60)


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def _one_edit(port: int, reply: Path, run: int) -> tuple[float, float]:
    events = _EventStream(port)
    epoch = events.next()["epoch"]
    marker = f"基准测试修改{run}号"
    text = reply.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{marker}。\n"
    with open(reply, "w", encoding="utf-8") as file:
        file.write(text)
    saved = time.perf_counter()
    while events.next()["epoch"] == epoch:
        pass
    event = time.perf_counter() - saved
    page = _page_of(port, reply)
    while marker not in _get(port, page):
        time.sleep(0.01)
    return event, time.perf_counter() - saved


def _page_of(port: int, reply: Path) -> str:
    # The page's path is replies/<year of published>/<slug>.html; the generator's slug is
    # the file name and its folder the year.
    return f"/replies/{reply.parent.name}/{reply.stem}.html"


def _get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode("utf-8", errors="replace")
    finally:
        connection.close()


class _EventStream:
    def __init__(self, port: int) -> None:
        self.states: queue.Queue[dict[str, Any]] = queue.Queue()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.request("GET", "/__reply_archive/events")
        response = connection.getresponse()
        threading.Thread(target=self._read, args=(response,), daemon=True).start()

    def _read(self, response: http.client.HTTPResponse) -> None:
        for raw in response:
            line = raw.decode("utf-8")
            if line.startswith("data: "):
                self.states.put(json.loads(line[6:]))

    def next(self) -> dict[str, Any]:
        while True:
            state = self.states.get(timeout=300)
            if not state["building"]:
                return state


def _port(lines: queue.Queue[str]) -> int:
    line = _wait_for(lines, "serving ")
    return int(line.rsplit(":", 1)[1].split("/")[0])


def _wait_for(lines: queue.Queue[str], start: str) -> str:
    while True:
        line = lines.get(timeout=900)
        if line.startswith(start):
            return line
        if line.startswith("build failed"):
            raise SystemExit(f"the server's build failed: {line}")


def report(n: int, results: list[tuple[float, float]]) -> None:
    events = [event for event, _ in results]
    pages = [page for _, page in results]
    print(
        f"{n} replies, {len(results)} saves: save -> reload event median "
        f"{statistics.median(events):.3f} s (max {max(events):.3f}); save -> edited page "
        f"median {statistics.median(pages):.3f} s (max {max(pages):.3f})"
    )


if __name__ == "__main__":
    raise SystemExit(main())
