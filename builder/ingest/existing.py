"""A content file already there, as the importer compares a new reply with it: its bureau
and its text. Two texts are the same reply when they agree but for spacing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Existing:
    bureau: str | None
    body: str
    source: Path | None = None
    """The page of this run it was made from; None for a file that was there before."""


def read_existing(path: Path) -> Existing:
    """The bureau and body of a content file; what cannot be read counts as unknown."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return Existing(None, "")
    parts = text.replace("\r\n", "\n").split("---\n", 2)
    if len(parts) < 3 or parts[0].strip():
        return Existing(None, text)
    front, body = parts[1], parts[2]
    try:
        values = yaml.safe_load(front)
    except yaml.YAMLError:
        values = None
    bureau = values.get("bureau") if isinstance(values, dict) else None
    return Existing(str(bureau) if bureau else None, body)


def same_text(one: str, other: str) -> bool:
    return bool(one.strip()) and _SPACE.sub("", one) == _SPACE.sub("", other)
