"""Place names: the region a bureau belongs to, and a bureau named in full.

`乌海市民政局` -> `乌海市`; `湖北省潜江市民政局` -> `潜江市`; `杭州市民政局` -> `杭州市`
(not `杭州`: a name may hold 州 or 县 before its own 市).
"""

from __future__ import annotations

from collections.abc import Iterable

from builder.model import region_of as model_region_of


def region_of(bureau: str) -> str | None:
    """The bureau's region as the builder derives it (`builder.model.region_of`), or None."""
    return model_region_of(bureau) or None


def complete_bureau(bureau: str, fuller: Iterable[str]) -> str | None:
    """`民政局` named in full by one of the `fuller` names (`乌海市民政局`), if any does."""
    for candidate in fuller:
        name = candidate.strip()
        if name != bureau and name.endswith(bureau) and region_of(name):
            return name
    return None
