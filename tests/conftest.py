"""Shared fixtures: small archives written into a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

# The tests read English messages unless they ask for Chinese (`--lang zh-CN`), whatever the
# machine's locale; a subprocess inherits it.
os.environ["REPLY_ARCHIVE_LANG"] = "en"

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
