"""The Chinese documents keep in step with the English ones: the same sections, in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

PAIRS = [
    ("README.md", "README.zh-CN.md"),
    ("docs/content-format.md", "docs/content-format.zh-CN.md"),
]


def outline(path: Path) -> list[str]:
    """The heading levels in order (`#`, `##` …), code blocks left out."""
    levels, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (match := re.match(r"(#{1,6}) \S", line)):
            levels.append(match.group(1))
    return levels


@pytest.mark.parametrize(("english", "chinese"), PAIRS)
def test_the_chinese_document_has_the_same_sections(english: str, chinese: str) -> None:
    assert outline(REPO_ROOT / chinese) == outline(REPO_ROOT / english), (
        f"{chinese} and {english} differ in their headings: keep their sections in step"
    )


@pytest.mark.parametrize(("english", "chinese"), PAIRS)
def test_each_links_to_the_other_at_the_top(english: str, chinese: str) -> None:
    head = (REPO_ROOT / english).read_text(encoding="utf-8").splitlines()[0]
    assert Path(chinese).name in head
    top = (REPO_ROOT / chinese).read_text(encoding="utf-8").splitlines()[:3]
    assert any(Path(english).name in line for line in top)


def shell_commands(path: Path) -> list[str]:
    """The commands in the ```sh blocks, without their comments."""
    found, shell = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            shell = line == "```sh"
        elif shell and line.strip():
            found.append(line.split("#", 1)[0].strip())
    return found


@pytest.mark.parametrize(("english", "chinese"), PAIRS)
def test_the_commands_shown_are_the_same_in_both(english: str, chinese: str) -> None:
    theirs = shell_commands(REPO_ROOT / chinese)
    assert [c for c in shell_commands(REPO_ROOT / english) if c not in theirs] == []
