"""Every page in tests/fixtures/ingest-patterns imports with every field its `.yaml` names.

The pages are written to cover the layouts real sites use (letterheads, bureaus in titles,
field tables copied as text, dates, unlabeled doc numbers, addressees, contacts, chrome);
see that folder's README.md. The scoring is benchmarks/import_quality.py's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ..conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import import_quality  # noqa: E402

PAGES = import_quality.pages_in(import_quality.DEFAULT)


def test_there_are_pages_of_every_kind() -> None:
    suffixes = {page.suffix for page, _ in PAGES}
    assert len(PAGES) >= 19 and {".txt", ".html"} <= suffixes
    raw = [page.read_bytes() for page, _ in PAGES]
    assert any(b"\r\n" in r for r in raw) and any(b"\r\n" not in r for r in raw)
    assert any(_not_utf8(r) for r in raw) and any(not _not_utf8(r) for r in raw)


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@pytest.mark.parametrize(("page", "expected"), PAGES, ids=[p.name for p, _ in PAGES])
def test_every_field_is_right(page: Path, expected: dict[str, object], tmp_path: Path) -> None:
    score = import_quality.Score()
    import_quality.score_page(page, expected, tmp_path, score)
    assert score.wrong == []
    assert score.right >= len(expected) - 2  # body_has and body_lacks count once per text
