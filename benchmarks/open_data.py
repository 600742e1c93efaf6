"""What the open-data outputs add to a cold build: the same archive built with them and without.

    python benchmarks/open_data.py 10000 [--runs 3] [--style importer|ordinary] [--search]

The open-data outputs are the downloads (data/), the statistics page, the kind, session and
proposer listings and the feeds per listing; each has a `site.toml` key that turns it off.
For each N the archive made by `generate.py` is built cold (no output, no cache) twice a run,
once with every one of those keys off and once as `generate.py` wrote it (all on), the two
alternating so that both meet the same load on a shared machine. Printed: the median wall
time of each, the median CPU time of its processes (user and system, the workers'
included: on a loaded machine it moves less than the wall time does), the files each
writes, and the ratios. Benchmarks only measure: nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
from pathlib import Path

import bench

OPEN_DATA_KEYS = (
    "downloads",
    "statistics",
    "kind_pages",
    "session_pages",
    "proposer_pages",
    "group_feeds",
)


def without_open_data(site_toml: str, keys: tuple[str, ...] = OPEN_DATA_KEYS) -> str:
    """`site.toml`'s text with the open-data outputs `keys` turned off, before any table."""
    lines = [f"{key} = false" for key in keys]
    return "\n".join(lines) + "\n" + site_toml


def files_in(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


def measure(
    archive: Path, work: Path, runs: int, search: bool, keys: tuple[str, ...]
) -> dict[str, list[float]]:
    site_toml = archive / "site.toml"
    as_written = site_toml.read_text(encoding="utf-8")
    variants = {"without": without_open_data(as_written, keys), "with": as_written}
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    seconds.update({f"{name} cpu": [] for name in variants})
    files: dict[str, int] = {}
    output = work / "output"
    try:
        for _ in range(runs):
            for name, text in variants.items():
                site_toml.write_text(text, encoding="utf-8")
                bench.clean(archive, output)
                command = bench.build_command(archive, output, search)
                before = _children_cpu()
                seconds[name].append(bench.measure(command, sample=False).seconds)
                seconds[f"{name} cpu"].append(_children_cpu() - before)
                files[name] = files_in(output)
    finally:
        site_toml.write_text(as_written, encoding="utf-8")
        bench.clean(archive, output)
        bench.empty_trash(work)
    for name, count in files.items():
        seconds[f"{name} files"] = [float(count)]
    return seconds


def _children_cpu() -> float:
    """User and system seconds of every child process waited for so far (a build's
    workers count: the build waits for them)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def report(
    n: int, style: str, search: bool, keys: tuple[str, ...], figures: dict[str, list[float]]
) -> str:
    without = statistics.median(figures["without"])
    with_ = statistics.median(figures["with"])
    cpu_without = statistics.median(figures["without cpu"])
    cpu_with = statistics.median(figures["with cpu"])
    kind = "with search" if search else "pages only"
    off = "open-data outputs off" if keys == OPEN_DATA_KEYS else " and ".join(keys) + " off"
    return "\n".join(
        [
            f"### {n:,} replies ({style}), cold, {kind}, medians of {len(figures['with'])} runs",
            "",
            "| build | wall (s) | CPU (s) | files written |",
            "|---|---:|---:|---:|",
            f"| {off} | {without:.2f} | {cpu_without:.2f} | {int(figures['without files'][0]):,} |",
            f"| open-data outputs on (default) | {with_:.2f} | {cpu_with:.2f} "
            f"| {int(figures['with files'][0]):,} |",
            f"| ratio on / off | {with_ / without:.2f} | {cpu_with / cpu_without:.2f} | |",
            "",
        ]
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--style", choices=["importer", "ordinary"], default="importer")
    parser.add_argument("--search", action="store_true", help="time builds with search")
    parser.add_argument("--work", type=Path, default=bench.HERE / "archives")
    parser.add_argument(
        "--off",
        nargs="+",
        choices=OPEN_DATA_KEYS,
        default=list(OPEN_DATA_KEYS),
        help="the outputs turned off in the 'off' builds (default: all of them)",
    )
    args = parser.parse_args(argv)
    for n in args.n:
        archive = bench.generate(n, args.work, args.style)
        keys = tuple(args.off)
        figures = measure(archive, args.work, args.runs, args.search, keys)
        print(report(n, args.style, args.search, keys, figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
