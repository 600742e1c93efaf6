"""Which of its three paths a build takes: one pure decision, from facts found before."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class BuildPath(Enum):
    NOTHING_CHANGED = "nothing changed"
    """The output holds what these inputs make: nothing is planned, rendered or written."""
    SWAP_REPLIES = "swap the changed replies"
    """Only replies changed, none moved in the archive: the pages that show them (the
    record says which) are made again with the new replies, the others kept as written."""
    PLAN_AGAIN = "plan again"
    """Every page planned; those whose fingerprint changed rendered."""


@dataclass(frozen=True)
class BuildFacts:
    output_current: bool
    """The inputs' digest is the one the output was built from, and the output holds
    exactly the files of its manifest."""
    keeps_record: bool
    """The builder keeps what each page reads (the preview server's does)."""
    record_of_site: bool
    """It has one, made with the same code, config and theme."""
    replies_swappable: bool
    """Some replies changed, and none was added, removed or moved in the archive."""
    has_manifest: bool
    """The output has pages the last build wrote."""


def choose_path(facts: BuildFacts) -> BuildPath:
    """The least work that gives the same site as a cold build."""
    if facts.output_current and (facts.record_of_site or not facts.keeps_record):
        return BuildPath.NOTHING_CHANGED  # (a builder that keeps a record plans once)
    if facts.record_of_site and facts.replies_swappable and facts.has_manifest:
        return BuildPath.SWAP_REPLIES
    return BuildPath.PLAN_AGAIN
