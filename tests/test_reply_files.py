"""One rule for which files are replies: the walk, the watcher and the rule itself agree."""

from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from builder.serve.changes import ChangeKind, classify
from builder.sources import REPLIES_DIR, find_reply_files, is_reply_file

TABLE = [
    ("2025/a.md", True),
    ("a.md", True),
    ("2025/deep/er/b.md", True),
    ("2025/a.markdown", False),
    ("2025/a.md.swp", False),
    ("2025/.a.md", False),
    ("2025/~a.md", False),
    (".drafts/a.md", False),
    ("~old/a.md", False),
    ("2025/notes.txt", False),
]


@pytest.mark.parametrize(("relative", "reply"), TABLE)
def test_the_rule_names_reply_files(relative: str, reply: bool) -> None:
    assert is_reply_file(PurePath(relative)) is reply


def test_the_walk_and_the_watcher_follow_the_rule(tmp_path: Path) -> None:
    root = tmp_path / REPLIES_DIR
    for relative, _ in TABLE:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    walked = {path.relative_to(root).as_posix() for path in find_reply_files(tmp_path)}
    assert walked == {relative for relative, reply in TABLE if reply}
    watched = {
        relative
        for relative, _ in TABLE
        if classify(root / relative, tmp_path) is ChangeKind.CONTENT
    }
    assert watched == walked
