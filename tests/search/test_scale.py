"""On the 1,000-reply benchmark archive the offline index stays within its documented size
(docs/search.md: at most 1.5 KB per reply on the benchmark archive, every body included
under the default budget)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.generate import generate
from builder.build import BuildOptions, build
from builder.config import Config, load_config
from builder.search import index_site
from builder.search.offline import OFFLINE_INDEX, decode_offline_index

REPLIES = 1000
DOCUMENTED_BYTES_PER_REPLY = 1536


@pytest.fixture(scope="module")
def benchmark_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Config]:
    root = tmp_path_factory.mktemp("benchmark")
    archive = generate(REPLIES, root / "archive")
    build(BuildOptions(source=archive, output=root / "site", search=False))
    return root / "site", load_config(archive).config


@pytest.mark.slow
def test_the_offline_index_of_1000_replies_stays_within_its_documented_size(
    benchmark_site: tuple[Path, Config],
) -> None:
    site, config = benchmark_site
    report = index_site(site, config, pagefind=False)
    assert report.records == REPLIES
    assert report.problems == []
    assert report.offline_bodies == REPLIES
    size = (site / OFFLINE_INDEX).stat().st_size
    assert size == report.offline_bytes
    assert size <= DOCUMENTED_BYTES_PER_REPLY * REPLIES
    assert size <= config.offline_search_budget


@pytest.mark.slow
def test_a_smaller_budget_drops_the_oldest_bodies_and_warns(
    benchmark_site: tuple[Path, Config],
) -> None:
    site, config = benchmark_site
    from dataclasses import replace

    small = replace(config, offline_search_budget=600_000)
    report = index_site(site, small, pagefind=False)
    header, entries = decode_offline_index((site / OFFLINE_INDEX).read_bytes())
    assert (site / OFFLINE_INDEX).stat().st_size <= 600_000
    assert 0 < report.offline_bodies < REPLIES == header["replies"]
    dates = [str(e["s"]["published"]) for e in entries]  # type: ignore[index]
    with_body = [d for d, e in zip(dates, entries, strict=True) if "b" in e]
    without = [d for d, e in zip(dates, entries, strict=True) if "b" not in e]
    assert min(with_body) >= max(without)
    (problem,) = report.problems
    assert f"leaves out the body text of the {REPLIES - report.offline_bodies} oldest" in (
        problem.message
    )
