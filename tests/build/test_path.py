"""The three paths a build can take, decided in one place from the facts found before."""

from __future__ import annotations

import pytest

from builder.build import BuildFacts, BuildPath, choose_path

NOTHING, SWAP, PLAN = BuildPath.NOTHING_CHANGED, BuildPath.SWAP_REPLIES, BuildPath.PLAN_AGAIN

# output current, keeps a record, record of this site, replies swappable, has a manifest
TABLE = [
    ((True, False, False, False, True), NOTHING),  # `reply-archive build` again, no change
    ((True, True, True, False, True), NOTHING),  # the server, after a save that changed nothing
    ((True, True, False, False, True), PLAN),  # the server's first build: plan to record
    ((False, True, True, True, True), SWAP),  # the server, after an edit to a reply's text
    ((False, True, True, False, True), PLAN),  # a reply added, removed or moved
    ((False, True, False, True, True), PLAN),  # the theme or config changed: the record is old
    ((False, True, True, True, False), PLAN),  # the output was deleted meanwhile
    ((False, False, False, True, True), PLAN),  # `reply-archive build` after an edit
    ((False, False, False, False, False), PLAN),  # the first build
]


@pytest.mark.parametrize(("facts", "path"), TABLE)
def test_a_build_takes_the_least_path_that_gives_the_cold_build_s_site(
    facts: tuple[bool, bool, bool, bool, bool], path: BuildPath
) -> None:
    assert choose_path(BuildFacts(*facts)) is path


def test_every_path_is_taken_by_some_facts() -> None:
    assert {path for _, path in TABLE} == set(BuildPath)
