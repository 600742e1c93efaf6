"""`reply-archive init`: a new archive folder from `builder/starter/`, never overwriting."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.config import CONFIG_FILE
from builder.errors import Problem
from builder.i18n import _
from builder.sources import REPLIES_DIR

STARTER = Path(__file__).parent / "starter"

FILES = (
    ("site.toml", CONFIG_FILE),
    ("gitignore", ".gitignore"),
    ("README.md", "README.md"),
    ("example.md", f"{REPLIES_DIR}/example.md"),
)
"""(the starter file, where it goes in the new archive)."""


@dataclass(frozen=True)
class Started:
    made: tuple[Path, ...]
    kept: tuple[Path, ...]
    """Files that were there already and were left as they were."""


def start_archive(folder: Path) -> Started | Problem:
    """Make the archive's files that are not there yet; a problem if `folder` cannot be one."""
    if folder.exists() and not folder.is_dir():
        return Problem(folder, 0, _("is a file, not a folder"), _("give a new or empty folder"))
    made, kept = [], []
    for name, target in FILES:
        path = folder / target
        if path.exists() or path.is_symlink():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as file:  # (never replaces a file made meanwhile)
            file.write((STARTER / name).read_bytes())
        made.append(path)
    (folder / REPLIES_DIR).mkdir(parents=True, exist_ok=True)
    return Started(tuple(made), tuple(kept))
