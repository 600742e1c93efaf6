"""The quick lane's markers: a test that runs Pagefind unmarked fails, a marked one passes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.search import shards
from tests.conftest import _fail_unmarked_pagefind


def _guarded(request: pytest.FixtureRequest, runs: list[int], marker: str | None) -> None:
    """Run one guarded phase, with Pagefind started once inside it, for this test's item
    (given `marker`, if any)."""
    item = request.node
    if marker is not None:
        item.add_marker(marker)
    phase = _fail_unmarked_pagefind(item, lambda: len(runs))
    next(phase)
    runs.append(1)
    with pytest.raises(StopIteration):
        next(phase)


def test_a_test_that_runs_pagefind_unmarked_fails(request: pytest.FixtureRequest) -> None:
    with pytest.raises(pytest.fail.Exception, match="runs Pagefind: mark it"):
        _guarded(request, [], None)


@pytest.mark.parametrize("marker", ["pagefind", "browser"])
def test_a_marked_test_may_run_pagefind(request: pytest.FixtureRequest, marker: str) -> None:
    _guarded(request, [], marker)


def test_the_builder_notes_each_start_of_pagefind_for_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = tmp_path / "runs"
    monkeypatch.setenv(shards.PAGEFIND_RUNS, str(runs))
    shards._note_run(tmp_path / "site-2025")
    shards._note_run(tmp_path / "site-2024")
    assert runs.read_text(encoding="utf-8").splitlines() == [
        str(tmp_path / "site-2025"),
        str(tmp_path / "site-2024"),
    ]


def test_the_suite_tells_the_builder_where_to_note_its_runs() -> None:
    assert os.environ.get(shards.PAGEFIND_RUNS, "").endswith("pagefind-runs")
