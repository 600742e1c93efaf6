"""The end of an import, as the editor reads it: one summary (files written, complete,
drafts by what they miss, duplicates, unreadable), then the warnings grouped by the content
file they concern, each naming the saved page it came from."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import Problem, sorted_problems

if TYPE_CHECKING:
    from builder.ingest import ImportReport


def format_report(report: ImportReport, root: Path) -> str:
    """The problems grouped by content file, then the summary; ends with a newline."""
    return "".join(f"{line}\n" for line in [*_grouped(report, root), *_summary(report, root)])


def _grouped(report: ImportReport, root: Path) -> Iterator[str]:
    target_of = {reply.source: path for path, reply in report.replies}
    by_target: dict[Path | None, list[Problem]] = defaultdict(list)
    for problem in report.problems:
        by_target[target_of.get(problem.path)].append(problem)
    for target, problems in sorted(by_target.items(), key=lambda item: str(item[0] or "")):
        if target is None:
            continue
        page = _shown(problems[0].path, root)
        yield f"{_shown(target, root)} (from {page}):"
        absent = {p: m[1] for p in problems if (m := _OPTIONAL_ABSENT.match(p.message))}
        if absent:
            yield f"  {page}: not on the page (optional): {', '.join(absent.values())}"
        rest = [p for p in problems if p not in absent]
        yield from (f"  {p.format(root)}" for p in sorted_problems(rest))
    rest = [p for p in by_target.get(None, []) if not p.is_error]  # errors: in the summary
    yield from (p.format(root) for p in sorted_problems(rest))


_OPTIONAL_ABSENT = re.compile(r"^(\w+) not found: (?!.*written as a draft)")
"""`tags not found: no 主题词 / 关键词`: an optional key the page lacks, said in one line."""


def _summary(report: ImportReport, root: Path) -> Iterator[str]:
    drafts = report.drafts
    verb = "would be written" if report.dry_run else "written"
    unreadable = [p for p in report.problems if p.is_error and not _of_a_written_page(report, p)]
    yield (
        f"import: {report.pages} page{_s(report.pages)} read; "
        f"{len(report.written)} file{_s(len(report.written))} {verb} "
        f"({len(report.written) - len(drafts)} complete, {len(drafts)} draft{_s(len(drafts))}); "
        f"{len(report.duplicates)} duplicate{_s(len(report.duplicates))}; "
        f"{len(unreadable)} not imported"
    )
    by_missing: dict[tuple[str, ...], list[Path]] = defaultdict(list)
    for path, reply in drafts:
        by_missing[tuple(key for key, _ in reply.missing)].append(path)
    for missing, paths in sorted(by_missing.items()):
        yield f"  drafts missing {', '.join(missing)} ({len(paths)}):"
        yield from (f"    {_shown(path, root)}" for path in paths)
    if report.duplicates:
        yield f"  duplicates ({len(report.duplicates)}):"
    for duplicate in report.duplicates:
        first = f" as {_shown(duplicate.first, root)}" if duplicate.first else ""
        target = _shown(duplicate.target, root)
        yield f"    {_shown(duplicate.source, root)}: the same reply{first} -> {target}"
    if unreadable:
        yield f"  not imported ({len(unreadable)}):"
        yield from (f"    {p.format(root)}" for p in sorted_problems(unreadable))


def _of_a_written_page(report: ImportReport, problem: Problem) -> bool:
    return any(reply.source == problem.path for _, reply in report.replies)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _s(count: int) -> str:
    return "" if count == 1 else "s"
