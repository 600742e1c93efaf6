"""On the 1,000-reply benchmark archive the offline index holds every reply's text, without
a warning, within its documented size (docs/search.md: at most 4 KB per reply on the
benchmark archive), and a second run rewrites none of its files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.generate import generate
from builder.build import BuildOptions, build
from builder.config import Config, load_config
from builder.search import index_site
from builder.search.offline import (
    OFFLINE_INDEX,
    PIECES_DIR,
    decode_base,
    decode_piece,
    decode_terms,
    fold,
    gram_hash,
    ordered,
)
from builder.search.records import read_records

REPLIES = 1000
DOCUMENTED_BYTES_PER_REPLY = 4096


@pytest.fixture(scope="module")
def benchmark_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Config]:
    root = tmp_path_factory.mktemp("benchmark")
    archive = generate(REPLIES, root / "archive")
    build(BuildOptions(source=archive, output=root / "site", search=False))
    return root / "site", load_config(archive).config


@pytest.mark.slow
def test_the_offline_index_of_1000_replies_holds_every_body_within_its_size(
    benchmark_site: tuple[Path, Config],
) -> None:
    site, config = benchmark_site
    report = index_site(site, config, pagefind=False)
    assert report.records == REPLIES
    assert report.problems == []
    files = [site / OFFLINE_INDEX, *sorted((site / PIECES_DIR).rglob("*.js"))]
    assert report.offline_files == len(files)
    assert sum(file.stat().st_size for file in files) == report.offline_bytes
    assert report.offline_bytes <= DOCUMENTED_BYTES_PER_REPLY * REPLIES
    assert decode_base((site / OFFLINE_INDEX).read_bytes())["replies"] == REPLIES
    again = index_site(site, config, pagefind=False)
    assert again.offline_written == 0


@pytest.mark.slow
def test_the_oldest_reply_s_body_is_in_the_index(benchmark_site: tuple[Path, Config]) -> None:
    site, config = benchmark_site
    index_site(site, config, pagefind=False)
    oldest = ordered(read_records(site))[0]
    _, data = decode_piece((site / PIECES_DIR / "r" / "0.js").read_bytes())
    assert json.loads(data)[0][3] == oldest.body
    count = int(str(decode_base((site / OFFLINE_INDEX).read_bytes())["termPieces"]))
    width = len(f"{count - 1:x}")
    line = fold(oldest.body.splitlines()[-1])
    for gram in {line[i : i + 2] for i in range(len(line) - 1)}:
        piece = site / PIECES_DIR / "t" / f"{gram_hash(gram) % count:0{width}x}.js"
        lists = decode_terms(decode_piece(piece.read_bytes())[1])[gram]
        assert lists["b"][0][0] == 0  # reply number 0, the oldest, holds it
