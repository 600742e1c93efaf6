"""What a changed file is to the build: a pure classification of paths, for serve and rebuilds.

`classify(path, root)` says which part of an archive a changed path belongs to. It reads no
file (which files are replies is `sources.is_reply_file`), so the watch server and the
incremental builder can share it and its table test pins it down. What a kind means for
the pages is the builder's business: content and templates map to the pages that used them,
a config change (or a change whose effect is unknown, `OTHER`) means a full rebuild.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path, PurePath

from builder.sources import is_reply_file

CONTENT_DIR = "content"
REPLIES_DIR = ("content", "replies")
TEMPLATES_DIR = "templates"
STATIC_DIR = ("templates", "static")
CONFIG_FILE = "site.toml"

WATCHED = (CONTENT_DIR, TEMPLATES_DIR, CONFIG_FILE)
"""The names at an archive's top that a change can matter in; the watcher watches these."""

TEMPORARY_SUFFIXES = (
    ".swp",
    ".swo",
    ".swx",
    ".swpx",
    ".tmp",
    ".temp",
    ".bak",
    ".part",
    ".crdownload",
    "~",
)
"""Editors' swap, backup and half-written files (vim, emacs, browsers, file managers)."""

TEMPORARY_MARKERS = ("___jb_tmp___", "___jb_old___")
"""JetBrains IDEs save through `x.md___jb_tmp___` and keep `x.md___jb_old___` briefly."""

TEMPORARY_NAMES = frozenset({"4913", "Thumbs.db", "desktop.ini"})
"""`4913` is the file vim writes to probe whether a folder is writable."""


class ChangeKind(Enum):
    CONTENT = "content"
    """A reply: a Markdown file under content/replies/."""
    TEMPLATE = "template"
    """A template of the archive's theme: templates/, except templates/static/."""
    STATIC = "static"
    """A file copied as is into the site: templates/static/."""
    CONFIG = "config"
    """site.toml at the archive's top."""
    OTHER = "other"
    """Inside content/ but outside content/replies/: its effect is unknown, so assume that
    anything changed (a full rebuild)."""
    IGNORED = "ignored"
    """Cannot change the site: editors' temporary and hidden files, other files among the
    replies, the output folder, anything outside content/, templates/ and site.toml."""


def classify(path: Path, root: Path, output: Path | None = None) -> ChangeKind:
    """The kind of change a create, edit, move or delete of `path` is for the archive at
    `root`; `output` (the build's output folder) is ignored wherever it is.

    Paths are compared as given: pass both absolute, resolved the same way.
    """
    if output is not None and _is_within(path, output):
        return ChangeKind.IGNORED
    if not _is_within(path, root) or path == root:
        return ChangeKind.IGNORED
    parts = path.relative_to(root).parts
    if any(is_temporary(part) for part in parts):
        return ChangeKind.IGNORED
    return _kind_of(parts)


def is_temporary(name: str) -> bool:
    """A hidden file or an editor's temporary, swap or backup file: never part of the site."""
    return (
        name.startswith((".", "~"))
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(TEMPORARY_SUFFIXES)
        or any(marker in name for marker in TEMPORARY_MARKERS)
        or name in TEMPORARY_NAMES
    )


def _kind_of(parts: tuple[str, ...]) -> ChangeKind:
    if parts == (CONFIG_FILE,):
        return ChangeKind.CONFIG
    if parts[:2] == STATIC_DIR:
        return ChangeKind.STATIC
    if parts[0] == TEMPLATES_DIR:
        return ChangeKind.TEMPLATE
    if parts[:2] == REPLIES_DIR and len(parts) > 2:
        replies = PurePath(*parts[len(REPLIES_DIR) :])
        return ChangeKind.CONTENT if is_reply_file(replies) else ChangeKind.IGNORED
    if parts[0] == CONTENT_DIR:
        return ChangeKind.OTHER
    return ChangeKind.IGNORED


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
