"""Splitting a reply file into front matter and body, with the body's first line."""

from __future__ import annotations

import random
from pathlib import Path

from builder.errors import Problem
from builder.sources import FENCE, Source, split_front_matter

PATH = Path("content/replies/a.md")


def by_lines(text: str) -> tuple[str, str, int] | str:
    """The split as a reader would do it: line by line, the first `---` line closing."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].strip() != FENCE:
        return "does not start"
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == FENCE), None)
    if closing is None:
        return "never closed"
    return "\n".join(lines[1:closing]), "\n".join(lines[closing + 1 :]), closing + 2


def split(text: str) -> tuple[str, str, int] | str:
    found = split_front_matter(PATH, text)
    if isinstance(found, Problem):
        return "does not start" if "start" in found.message else "never closed"
    return found.front_matter, found.body, found.body_line


def test_a_reply_file() -> None:
    found = split_front_matter(PATH, "---\ntitle: 答复\n---\n\n正文\n")
    assert found == Source(PATH, "title: 答复", "\n正文\n", 4)


def test_files_without_front_matter_are_problems() -> None:
    assert split("正文\n---\n") == "does not start"
    assert split("---\ntitle: x\n\n正文\n") == "never closed"
    assert split("---") == "never closed"


def test_generated_files_split_as_line_by_line() -> None:
    rng = random.Random(3)
    lines = ["---", "--- ", " ---", "----", "---x", "x---", "--", "\t---\t", "---\x0c", "a: 1", ""]
    lines += ["正文", " ", "\r"]
    ends = ["\n", "\r\n", "\r", ""]
    closed = 0
    for _ in range(20000):
        count = rng.randint(0, 8)
        text = "".join(rng.choice(lines) + rng.choice(ends) for _ in range(count))
        expected = by_lines(text)
        assert split(text) == expected, repr(text)
        closed += isinstance(expected, tuple)
    assert closed > 1000  # both outcomes are well represented
