"""`import` of the formats an editor has, and robust reading: each file is imported or
reported on its own, within bounded time, whatever the others hold."""

from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path

import pytest

from builder.errors import Problem
from builder.ingest import ImportReport, import_paths, limits

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
GOOD = FIXTURES / "several-proposers.txt"
GOOD_SLUG = "baotoushi-2025-jianyi-b-07.md"


def run_import(paths: list[Path], into: Path) -> ImportReport:
    return import_paths(paths, into, dry_run=False, force=False, out=io.StringIO())


def errors_by_name(report: ImportReport) -> dict[str, str]:
    return {p.path.name: p.format() for p in report.problems if p.is_error}


# --- robustness ----------------------------------------------------------------------------


def nested_page(depth: int, tag: str = "div") -> str:
    return (
        "<html><body><h1>关于市十届人大五次会议第8号建议的答复</h1>"
        + f"<{tag}>" * depth
        + "<p>您提出的建议收悉。</p>"
        + f"</{tag}>" * depth
        + "</body></html>"
    )


@pytest.mark.parametrize("tag", ["div", "span", "table", "li"])
def test_a_page_nested_thousands_deep_is_read_and_the_others_imported(
    tag: str, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-deep.html").write_text(nested_page(20_000, tag), encoding="utf-8")
    shutil.copy(GOOD, pages / "b-good.txt")
    started = time.perf_counter()
    report = run_import([pages], tmp_path / "replies")
    assert time.perf_counter() - started < 20  # linear in the page, not in depth × size
    names = sorted(p.name for p in report.written)
    assert names == [GOOD_SLUG, "draft-undated-jianyi-8.md"]  # the deep page kept, as a draft
    draft = (tmp_path / "replies" / "undated" / names[1]).read_text(encoding="utf-8")
    assert "您提出的建议收悉。" in draft
    assert not any("Recursion" in p.message or "skipped" in p.message for p in report.problems)


def test_a_page_that_takes_too_long_is_reported_and_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a-slow.html").write_text(nested_page(200_000, "span"), encoding="utf-8")
    shutil.copy(GOOD, pages / "b-good.txt")
    monkeypatch.setattr(limits, "PAGE_SECONDS", 0.05)
    report = run_import([pages], tmp_path / "replies")
    assert [p.name for p in report.written] == [GOOD_SLUG]
    assert (
        "a-slow.html: skipped: reading the page took longer than 0.05 s"
        in (errors_by_name(report)["a-slow.html"])
    )


def test_a_file_too_large_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("答复" * 1000, encoding="utf-8")
    report = run_import([big, GOOD], tmp_path / "replies")
    assert "larger than" in errors_by_name(report)["big.txt"]
    assert [p.name for p in report.written] == [GOOD_SLUG]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_reported_as_what_it_is_and_never_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "pages"
    folder.mkdir()
    os.mkfifo(folder / "in-folder.html")
    shutil.copy(GOOD, folder / "good.txt")
    started = time.perf_counter()
    report = run_import([fifo, folder], tmp_path / "replies")
    assert time.perf_counter() - started < 10
    errors = errors_by_name(report)
    assert (
        "pipe.txt: cannot import: not a regular file: it is a FIFO (named pipe)"
        in (errors["pipe.txt"])
    )
    assert "not a regular file" in errors["in-folder.html"]
    assert not any("no such file" in message for message in errors.values())
    assert [p.name for p in report.written] == [GOOD_SLUG]


def test_a_device_is_reported_as_what_it_is(tmp_path: Path) -> None:
    device = Path("/dev/null")
    if not device.exists():
        pytest.skip("no /dev/null here")
    report = run_import([device], tmp_path / "replies")
    assert [p.message for p in report.problems] == [
        "cannot import: not a regular file: it is a character device"
    ]


def test_the_time_limit_leaves_no_alarm_behind(tmp_path: Path) -> None:
    assert limits.bounded(tmp_path, lambda: 42) == 42
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    problem = limits.bounded(tmp_path, _recurse)
    assert isinstance(problem, Problem) and "nests too deep" in problem.message


def _recurse() -> int:
    return _recurse() + 1
