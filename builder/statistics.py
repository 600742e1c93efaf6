"""The 统计 page's numbers: replies by year, kind, region, bureau and 办理结果, and the days
from 成文日期 to 公开日期, each a `Chart` of bars drawn at build time (inline SVG, beside a
table of the same numbers)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from builder.archive import Archive, Facet, Group
from builder.config import Config

TOP = 12
"""Bars a chart shows before it groups the rest as one."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    group: Group | None = None
    """The listing the bar stands for, when there is one."""
    note: str = ""
    rest: bool = False
    """The bar of everything past the top ones: in the table, not drawn (it would dwarf
    the others)."""

    @property
    def shown(self) -> str:
        """The value as the page writes it: whole numbers without a decimal point."""
        return _days(self.value)

    def share(self, chart: Chart) -> float:
        """The bar's length as a share of the longest bar of `chart`, from 0 to 1."""
        return self.value / chart.largest if chart.largest else 0.0


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    summary: str
    bars: tuple[Bar, ...]
    unit: str = "件"
    column: str = "答复件数"

    @property
    def largest(self) -> float:
        return max((bar.value for bar in self.drawn), default=0.0)

    @property
    def drawn(self) -> tuple[Bar, ...]:
        return tuple(bar for bar in self.bars if not bar.rest)

    @property
    def noted(self) -> bool:
        return any(bar.note for bar in self.bars)


@dataclass(frozen=True)
class Statistics:
    total: int
    charts: tuple[Chart, ...]
    timed: int
    """Replies with both 成文日期 and 公开日期, which the last chart reads."""


def statistics_of(archive: Archive, config: Config) -> Statistics:
    charts = (
        _by_year(archive),
        _by_kind(archive),
        _by_region(archive),
        _by_bureau(archive),
        _by_outcome(archive, config),
    )
    delays = _delays(archive)
    timed = sum(len(days) for days in delays.values())
    return Statistics(len(archive.replies), (*charts, _delay_chart(delays, archive)), timed)


def _by_year(archive: Archive) -> Chart:
    years = sorted(archive.years, key=lambda g: g.name)
    bars = tuple(Bar(f"{g.name}年", g.count, g) for g in years)
    peak = max(bars, key=lambda b: b.value, default=None)
    summary = f"共 {len(archive.replies)} 件答复，分布在 {len(bars)} 个年份"
    if peak is not None:
        summary += f"；{peak.label}最多，{peak.value:.0f} 件"
    return Chart("years", "各年份答复件数", summary + "。", bars)


def _by_kind(archive: Archive) -> Chart:
    bars = tuple(Bar(g.name, g.count, g) for g in sorted(archive.kinds, key=lambda g: -g.count))
    parts = "，".join(f"{b.label} {b.value:.0f} 件" for b in bars)
    return Chart("kinds", "按类别", f"{parts}。" if parts else "还没有答复。", bars)


def _by_region(archive: Archive) -> Chart:
    counts: Counter[str] = Counter(r.region or "未注明地区" for r in archive.replies)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    bars = _top((Bar(name, count) for name, count in ranked), "其他地区")
    summary = f"答复来自 {len(counts)} 个地区" + (
        f"，{ranked[0][0]}最多（{ranked[0][1]} 件）。" if ranked else "。"
    )
    return Chart("regions", "按地区", summary, bars)


def _by_bureau(archive: Archive) -> Chart:
    ranked = sorted(archive.bureaus, key=lambda g: (-g.count, g.slug))
    bars = _top((Bar(g.name, g.count, g) for g in ranked), "其他机构")
    summary = f"共 {len(ranked)} 个发文机构" + (
        f"，{ranked[0].name}答复最多（{ranked[0].count} 件）。" if ranked else "。"
    )
    return Chart("bureaus", f"答复最多的 {min(TOP, len(ranked))} 个发文机构", summary, bars)


def _by_outcome(archive: Archive, config: Config) -> Chart:
    counts: Counter[str] = Counter(r.outcome for r in archive.replies)
    codes = [*config.outcomes, *sorted(c for c in counts if c and c not in config.outcomes)]
    bars = [Bar(f"{c}类：{config.outcome_label(c)}", counts[c]) for c in codes if counts[c]]
    if counts[""]:
        bars.append(Bar("未注明", counts[""]))
    marked = len(archive.replies) - counts[""]
    summary = f"{marked} 件答复注明了办理结果，{counts['']} 件未注明。"
    return Chart("outcomes", "按办理结果", summary, tuple(bars))


def _delays(archive: Archive) -> dict[str, list[int]]:
    """Days from 成文日期 to 公开日期, by bureau, for replies that give both."""
    found: dict[str, list[int]] = defaultdict(list)
    for reply in archive.replies:
        if reply.written is not None:
            found[reply.bureau].append((reply.published.date() - reply.written).days)
    return found


def _delay_chart(delays: dict[str, list[int]], archive: Archive) -> Chart:
    every = [d for days in delays.values() for d in days]
    ranked = sorted(delays.items(), key=lambda item: (-len(item[1]), item[0]))[:TOP]
    bars = tuple(
        Bar(
            bureau,
            statistics.median(days),
            archive.group(Facet.BUREAU, bureau),
            note=f"{len(days)} 件",
        )
        for bureau, days in ranked
    )
    if every:
        summary = (
            f"{len(every)} 件答复同时注明了成文日期和公开日期：从成文到公开，"
            f"中位数为 {_days(statistics.median(every))} 天。"
        )
    else:
        summary = "没有同时注明成文日期和公开日期的答复。"
    title = "从成文到公开的天数（中位数，按发文机构）"
    return Chart("delays", title, summary, bars, unit="天", column="中位天数")


def _days(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _top(bars: Iterable[Bar], rest_label: str) -> tuple[Bar, ...]:
    ranked = list(bars)
    if len(ranked) <= TOP:
        return tuple(ranked)
    rest = ranked[TOP:]
    other = Bar(f"{rest_label}（{len(rest)} 个）", sum(b.value for b in rest), rest=True)
    return (*ranked[:TOP], other)
