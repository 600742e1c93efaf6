"""The memory of a cold pages-only build, per reply, and what holds it.

    python benchmarks/memory.py 10000 100000 300000 [--style importer|ordinary] [--work DIR]
        [--holders N]

For each N, builds `generate.py`'s archive of N replies (made if absent, kept in WORK) cold
with `--no-search` and no cache, into a new folder, and reports:

- the peak of the summed PSS of the build's processes (the parent and its forked workers,
  sampled every 20 ms, as `bench.py` samples), the peak RSS of its largest process, and
  both per reply;
- with `--holders N` (N replies or fewer), what the parent holds once every reply is read
  and every page planned, the state the render workers are forked from: `tracemalloc`'s
  live bytes by the line that allocated them, the largest first, and by module.

The build's wall time here says nothing: the sampling costs it a share of a core.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run as a script: this checkout's code, not an installed one
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench import _proc_kb, _tree, _tree_pss, empty_trash, generate, set_aside  # type: ignore[import-not-found]  # noqa: E402
from open_data import without_open_data  # type: ignore[import-not-found]  # noqa: E402


def peak_of_build(archive: Path, output: Path) -> tuple[float, float, float]:
    """(seconds, peak summed PSS in MB, peak RSS of the largest process in MB)."""
    command = [sys.executable, "-m", "builder", "build", "--source", str(archive)]
    command += ["--output", str(output), "--no-search", "--no-cache", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    while process.poll() is None:
        peak_pss = max(peak_pss, _tree_pss(process.pid))
        peak_rss = max(peak_rss, _largest_rss(process.pid))
        time.sleep(0.02)
    error = process.communicate()[1]
    if process.returncode != 0:
        raise SystemExit(f"the build failed:\n{error.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak_pss / 1024, peak_rss / 1024


def _largest_rss(pid: int) -> int:
    return max(_proc_kb(f"/proc/{p}/status", "VmRSS:") for p in _tree(pid))


def holders(archive: Path, top: int = 12) -> dict[str, object]:
    """What the parent holds after reading and planning (serially, under tracemalloc)."""
    import builder.build.workers as workers
    from builder.build import Builder, BuildOptions
    from builder.pages import plan_pages

    workers.worker_count = lambda: 1  # (tracemalloc sees this process only)
    options = BuildOptions(source=archive, search=False, cache=False)
    tracemalloc.start()
    builder = Builder(options, record=False)
    spool = Path(tempfile.mkdtemp(prefix="memory-bodies-"))
    config, replies, _ = builder._load(None, spool)  # (what a build holds, stage by stage)
    read = tracemalloc.take_snapshot()
    from builder.archive import make_archive

    pages = plan_pages(make_archive(replies, builder.replies.slug), config)
    planned = tracemalloc.take_snapshot()
    tracemalloc.stop()
    bodies_mb = sum(b.length for b in builder.replies.bodies.values()) / 2**20
    builder.replies.forget_bodies()
    n = len(replies)
    lines = planned.statistics("lineno")
    by_module: Counter[str] = Counter()
    for stat in planned.statistics("filename"):
        name = stat.traceback[0].filename
        by_module[_short(name)] += stat.size
    return {
        "replies": n,
        "pages": len(pages),
        "read_mb": sum(s.size for s in read.statistics("filename")) / 2**20,
        "planned_mb": sum(s.size for s in lines) / 2**20,
        "bodies_mb": bodies_mb,
        "lines": [(_line(s.traceback[0]), s.size / n) for s in lines[:top]],
        "modules": [(name, size / n) for name, size in by_module.most_common(top)],
    }


def _short(filename: str) -> str:
    for marker in ("/builder/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _line(frame: tracemalloc.Frame) -> str:
    return f"{_short(frame.filename)}:{frame.lineno}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, nargs="+")
    parser.add_argument("--style", choices=("importer", "ordinary"), default="importer")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ra-bench"))
    parser.add_argument("--holders", type=int, default=0, help="tracemalloc up to N replies")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, style {args.style}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    args.work.mkdir(parents=True, exist_ok=True)
    figures = []
    for n in args.n:
        archive = generate(n, args.work, args.style)
        site_toml = archive / "site.toml"
        as_written = site_toml.read_text(encoding="utf-8")
        site_toml.write_text(without_open_data(as_written), encoding="utf-8")
        try:
            output = args.work / f"{archive.name}-memory"
            set_aside(output, args.work)
            seconds, pss, rss = peak_of_build(archive, output)
            found: dict[str, object] = {"n": n, "pss_mb": pss, "largest_rss_mb": rss}
            print(
                f"N = {n:,}: peak PSS of the build {pss:,.0f} MB ({pss * 1024 / n:.1f} KB a "
                f"reply), largest process {rss:,.0f} MB ({rss * 1024 / n:.1f} KB a reply); "
                f"{seconds:.1f} s sampled, load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            if n <= args.holders:
                held = holders(archive)
                found["holders"] = held
                print(
                    f"  the parent after reading: {held['read_mb']:.0f} MB, after planning "
                    f"{held['pages']:,} pages: {held['planned_mb']:.0f} MB (the body HTML, "
                    f"{held['bodies_mb']:.0f} MB in UTF-8, is spooled to disk)"
                )
                for where, size in held["lines"]:  # type: ignore[attr-defined]
                    print(f"    {size / 1024:7.2f} KB a reply  {where}")
                print("  by module:")
                for where, size in held["modules"]:  # type: ignore[attr-defined]
                    print(f"    {size / 1024:7.2f} KB a reply  {where}")
            figures.append(found)
        finally:
            site_toml.write_text(as_written, encoding="utf-8")
    empty_trash(args.work)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
