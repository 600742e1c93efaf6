"""Reading `content/`: each reply file split into its front matter and body, lines kept."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem

REPLIES_DIR = Path("content") / "replies"
FENCE = "---"

Stat = tuple[int, int]
"""A file's (mtime_ns, size): when both are unchanged, so is the file."""


def stat_of(stat: os.stat_result) -> Stat:
    return (stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class Source:
    """One reply file as text: front matter and body, with the line each starts on."""

    path: Path
    front_matter: str
    body: str
    body_line: int
    """The file line of the body's first line (1-based), for `path:line` messages."""


def find_reply_files(archive: Path) -> list[Path]:
    """Every `*.md` under `content/replies/`, in a stable order; hidden files skipped."""
    root = archive / REPLIES_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.md") if _is_visible(p, root) and p.is_file())


def _is_visible(path: Path, root: Path) -> bool:
    # Editors leave `.#x.md`, `.x.md.swp` and the like beside the files they save.
    return not any(part.startswith((".", "~")) for part in path.relative_to(root).parts)


def read_sources(paths: list[Path]) -> tuple[list[Source], list[Problem]]:
    sources: list[Source] = []
    problems: list[Problem] = []
    for path in paths:
        source = read_source(path)
        if isinstance(source, Problem):
            problems.append(source)
        else:
            sources.append(source)
    return sources, problems


def read_source(path: Path) -> Source | Problem:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return Problem(path, line, "the file is not UTF-8", "save it as UTF-8, or use `import`")
    except OSError as error:
        return Problem(path, 0, f"cannot read the file: {error.strerror}")
    return split_front_matter(path, text)


def split_front_matter(path: Path, text: str) -> Source | Problem:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = text.partition("\n")[0]
    if first.strip() != FENCE:
        return Problem(
            path,
            1,
            "the file does not start with front matter",
            "begin with a line `---`, the YAML keys, and another `---`",
        )
    closing = _closing_fence(text, len(first))
    if closing is None:
        return Problem(
            path, 1, "the front matter is never closed", "end it with a line `---` before the body"
        )
    start, end = closing
    front, body = text[len(first) + 1 : start], text[end + 1 :]
    line = text.count("\n", 0, start + 1)  # of the closing fence, from 0
    return Source(path=path, front_matter=front, body=body, body_line=line + 2)


def _closing_fence(text: str, after: int) -> tuple[int, int] | None:
    """Where the first line `---` after the first line starts (at its newline) and ends."""
    start = after
    while (start := text.find("\n" + FENCE, start)) != -1:
        end = text.find("\n", start + 1)
        end = len(text) if end == -1 else end
        if text[start + 1 : end].rstrip() == FENCE:
            return start, end
        start = end
    return None
