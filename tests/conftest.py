"""Shared fixtures: small archives written into a temporary folder."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Generator
from pathlib import Path

import pytest

from builder.search.shards import PAGEFIND_RUNS

# The tests read English messages unless they ask for Chinese (`--lang zh-CN`), whatever the
# machine's locale; a subprocess inherits it.
os.environ["REPLY_ARCHIVE_LANG"] = "en"

# A test that runs Pagefind (in this process or in one it starts, which inherits the
# variable) must be marked `pagefind` (or `browser`), so that the quick lane really leaves
# it out: the builder adds a line to this file each time it starts Pagefind.
_RUNS_FOLDER = tempfile.mkdtemp(prefix="reply-archive-tests-")
atexit.register(shutil.rmtree, _RUNS_FOLDER, True)
_PAGEFIND_RUNS = Path(_RUNS_FOLDER) / "pagefind-runs"
os.environ[PAGEFIND_RUNS] = str(_PAGEFIND_RUNS)

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_REPLIES = REPO_ROOT / "content" / "replies"

MINIMAL_REPLY = """\
---
title: 关于对市政协九届四次会议第150号提案的答复
kind: proposal
bureau: 潜江市民政局
published: 2025-07-07 14:40:00
tags: [养老服务]
---

您提出的《关于进一步推行社区养老模式的建议》己收悉,现答复如下:
"""

WriteReply = Callable[[str, str], Path]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An empty archive folder with `content/replies/`."""
    root = tmp_path / "archive"
    (root / "content" / "replies").mkdir(parents=True)
    return root


@pytest.fixture
def write_reply(archive: Path) -> WriteReply:
    """Write `content/replies/<name>` with the given text; returns its path."""

    def write(name: str, text: str) -> Path:
        path = archive / "content" / "replies" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def sample_archive(tmp_path: Path) -> Path:
    """A copy of the repository's sample archive (its content and site.toml)."""
    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "content", root / "content")
    shutil.copy(REPO_ROOT / "site.toml", root / "site.toml")
    return root


def _pagefind_runs() -> int:
    try:
        return _PAGEFIND_RUNS.stat().st_size
    except FileNotFoundError:
        return 0


def _fail_unmarked_pagefind(
    item: pytest.Item, runs: Callable[[], int] = _pagefind_runs
) -> Generator[None, None, None]:
    """Around a test's setup or call: fail it when it ran Pagefind without the marker.
    (Browser tests build the whole site, search and all: their own marker leaves them out
    of the quick lane.)"""
    before = runs()
    yield
    marked = item.get_closest_marker("pagefind") or item.get_closest_marker("browser")
    if runs() > before and not marked:
        pytest.fail(f"{item.nodeid} runs Pagefind: mark it @pytest.mark.pagefind", pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _fail_unmarked_pagefind(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    return (yield from _fail_unmarked_pagefind(item))
