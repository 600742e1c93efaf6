"""`import` of the formats an editor has, and robust reading: each file is imported or
reported on its own, within bounded time, whatever the others hold."""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from builder.cli import main
from builder.errors import Problem
from builder.ingest import ImportReport, import_paths, limits, tree, word
from builder.ingest.decoding import Undecodable, decode
from builder.ingest.html import read_html
from builder.ingest.pdf import pdf_lines

from ..conftest import REPO_ROOT
from . import format_fixtures as fmt
from .test_ingest import read_content

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
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


@pytest.mark.slow
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


# --- the formats an editor has ------------------------------------------------------------

MAKERS: dict[str, Callable[[Path], Path]] = {
    "gbk-quoted-printable.mht": lambda p: fmt.write_mht(p, "gbk", "quoted-printable"),
    "utf8-base64.mhtml": lambda p: fmt.write_mht(p, "utf-8", "base64"),
    "gb2312-meta-only.mht": lambda p: fmt.write_mht(
        p, "gb2312", "quoted-printable", in_header=False
    ),
    "drafted.docx": fmt.write_docx,
    "wide-table.docx": lambda p: fmt.write_docx(p, wide_table=True),
    "printed.pdf": fmt.write_pdf,
    "two-pages.pdf": lambda p: fmt.write_pdf(p, size=20, spacing=14),
}
SLUG = "shaoxingshi-2024-jianyi-37.md"


@pytest.fixture(scope="module")
def as_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], list[str]]:
    """The reply imported from its text: what every other format must give."""
    folder = tmp_path_factory.mktemp("text")
    report = run_import([fmt.write_txt(folder / "reply.txt")], folder / "replies")
    assert not report.failed
    return read_content(folder / "replies" / "2024" / SLUG)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(MAKERS))
def test_each_format_imports_every_field_as_the_text_does(
    name: str, as_text: tuple[dict[str, Any], list[str]], tmp_path: Path
) -> None:
    if name.endswith(".pdf") and not fmt.CJK_FONT.is_file():
        pytest.skip(f"no CJK font at {fmt.CJK_FONT} to print a PDF with (fonts-noto-cjk)")
    page = MAKERS[name](tmp_path / name)
    report = run_import([page], tmp_path / "replies")
    assert not report.failed, [p.format() for p in report.problems]
    front, body = read_content(tmp_path / "replies" / "2024" / SLUG)
    expected, expected_body = as_text
    if name.endswith((".mht", ".mhtml")):  # the address the browser noted is the source
        assert front.pop("source_url") == fmt.ADDRESS
    assert front == expected
    assert body == expected_body
    assert expected["bureau"] == "绍兴市柯桥区农业农村局" and expected["outcome"] == "B"
    assert expected["doc_number"] == "柯农建〔2024〕15号"
    assert any("【数字乡村】" in paragraph for paragraph in body)


@pytest.mark.slow
def test_a_long_paragraph_printed_over_lines_is_one_paragraph(tmp_path: Path) -> None:
    if not fmt.CJK_FONT.is_file():
        pytest.skip(f"no CJK font at {fmt.CJK_FONT} (fonts-noto-cjk)")
    lines = pdf_lines(fmt.write_pdf(tmp_path / "r.pdf", size=20, spacing=14).read_bytes())
    assert not isinstance(lines, Undecodable)
    texts = [line.text for line in lines]
    assert fmt.LETTER[4] in texts  # printed over four lines of the page
    assert not any(re.fullmatch(r"- \d+ -", text) for text in texts)  # page numbers dropped
    assert texts[2:4] == ["（B类）", "张海燕、陈立新代表："]  # short lines never joined


@pytest.mark.slow
def test_files_without_text_get_one_line_each_and_the_others_are_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    fmt.write_docx(pages / "reply.docx")
    fmt.write_scanned_pdf(pages / "scan.pdf")
    (pages / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (pages / "renamed-photo.pdf").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    (pages / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (pages / "draft.wps").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (pages / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (pages / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    into = tmp_path / "replies"
    status = main(["import", str(pages), "--into", str(into)])
    assert status == 1
    assert [p.name for p in into.rglob("*.md")] == [SLUG]
    err = capsys.readouterr().err
    said = {
        name: [line for line in err.splitlines() if f"{name}:" in line]
        for name in (
            "scan.pdf",
            "photo.png",
            "renamed-photo.pdf",
            "old.doc",
            "draft.wps",
            "broken.docx",
            "broken.pdf",
        )
    }
    assert all(len(lines) == 1 for lines in said.values()), said
    assert "no text layer: the PDF holds only pictures of its pages" in said["scan.pdf"][0]
    assert "no text layer: it is a picture (save it as .docx or text)" in said["photo.png"][0]
    assert "no text layer: it is a picture" in said["renamed-photo.pdf"][0]
    assert "no text layer: it is an old binary Word or WPS file" in said["old.doc"][0]
    assert "no text layer" in said["draft.wps"][0]
    assert "not a Word .docx file" in said["broken.docx"][0]
    assert "the PDF is damaged or not a PDF" in said["broken.pdf"][0]
    assert "Traceback" not in err


def test_a_zip_bomb_docx_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(word, "MAX_UNPACKED", 10_000)
    page = fmt.write_docx(tmp_path / "big.docx")
    report = run_import([page], tmp_path / "replies")
    assert [p.message for p in report.problems] == ["cannot import: the .docx would unpack to 0 MB"]


def test_an_mht_without_a_page_part_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "empty.mht"
    page.write_bytes(
        b'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n'
        b"--b\nContent-Type: image/png\n\nxx\n--b--\n"
    )
    report = run_import([page], tmp_path / "replies")
    assert [p.message for p in report.problems] == [
        "cannot import: it is a saved-page (MIME) file without an HTML or text part"
    ]


# --- decoding: where charset detection beats the fixed order --------------------------------

TRADITIONAL = (
    "關於對市政協九屆四次會議第150號提案的答覆\n馬良委員：\n"
    "您提出的《關於進一步推行社區養老模式的建議》已收悉，現答覆如下：\n"
    "近年來，我局堅持以老年人社區居家養老服務需求為導向，不斷提升全市老年人的幸福感。\n"
)


def test_a_big5_page_is_not_read_as_gb18030_nonsense() -> None:
    assert decode(TRADITIONAL.encode("big5")) == TRADITIONAL


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_text_not_binary(encoding: str) -> None:
    text = GOOD.read_text(encoding="utf-8")
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8"])
def test_simplified_text_keeps_its_encoding_however_short(encoding: str) -> None:
    for text in ("答复\n", "尊敬的王某某代表：您好！\n", GOOD.read_text(encoding="utf-8")):
        assert decode(text.encode(encoding)) == text


# --- HTML as a browser reads it ---------------------------------------------------------------


def page_lines(body: str) -> list[tuple[str, int]]:
    lines, _ = read_html(f"<html>\n<body>\n<div class='content'>\n{body}\n</div>\n</body></html>")
    return [(line.text, line.number) for line in lines]


def test_a_stray_end_of_line_break_or_paragraph_still_ends_the_line() -> None:
    assert page_lines("<p>您提出的建议收悉。</br>现答复如下：</p>\n<p>一、基本情况</p>") == [
        ("您提出的建议收悉。", 4),
        ("现答复如下：", 4),
        ("一、基本情况", 5),
    ]
    assert page_lines("第一段。</p>\n第二段。</p>\n第三段。") == [
        ("第一段。", 4),
        ("第二段。", 5),
        ("第三段。", 6),
    ]


LONG = "近年来，我局积极推进农村电子商务发展，全区共建成村级电商服务站126个。" * 3


def test_text_standing_in_a_table_outside_its_cells_is_read_before_it() -> None:
    lines = page_lines(
        "<table><tr><td>索引号</td><td>11330000/2024-01</td></tr>\n"
        "<p>（此件公开发布）</p>\n未放进单元格的文字\n"
        "<tr><td>文号</td><td>柯农建〔2024〕15号</td></tr></table>\n"
        f"<p>{LONG}</p><p>{LONG}</p>"
    )
    assert [text for text, _ in lines] == [
        "（此件公开发布）",
        "未放进单元格的文字",
        "索引号： 11330000/2024-01",
        "文号： 柯农建〔2024〕15号",
        LONG,
        LONG,
    ]


# --- every pattern page, as .mht, .docx and .pdf -----------------------------------------------

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import import_quality  # noqa: E402

TEXT_PATTERNS = [
    (page, expected)
    for page, expected in import_quality.pages_in(import_quality.DEFAULT)
    if page.suffix == ".txt"
]
WRITERS: dict[str, Callable[[Path, list[str]], Path]] = {
    ".mht": fmt.write_lines_mht,
    ".docx": fmt.write_lines_docx,
    ".pdf": fmt.write_lines_pdf,
}


@pytest.mark.slow
@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_every_text_pattern_imports_as_well_in_each_format(suffix: str, tmp_path: Path) -> None:
    """The pattern pages (letterheads, field tables copied as text, split titles …) written
    as the other formats: every field their `.yaml` names is still right."""
    if suffix == ".pdf" and not fmt.CJK_FONT.is_file():
        pytest.skip(f"no CJK font at {fmt.CJK_FONT} (fonts-noto-cjk)")
    assert len(TEXT_PATTERNS) >= 15
    score = import_quality.Score()
    for page, expected in TEXT_PATTERNS:
        text = decode(page.read_bytes())
        assert isinstance(text, str)
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        converted = WRITERS[suffix](tmp_path / f"{page.stem}{suffix}", lines)
        import_quality.score_page(converted, expected, tmp_path / page.stem, score)
    assert score.wrong == []


HTML_PATTERNS = [
    (page, expected)
    for page, expected in import_quality.pages_in(import_quality.DEFAULT)
    if page.suffix == ".html"
]


@pytest.mark.parametrize("charset", ["declared", "meta-only"])
def test_every_html_pattern_saved_as_one_file_imports_as_well(charset: str, tmp_path: Path) -> None:
    assert len(HTML_PATTERNS) >= 3
    score = import_quality.Score()
    for page, expected in HTML_PATTERNS:
        raw = page.read_bytes()
        named = None
        if charset == "declared":
            named = "utf-8" if isinstance(_utf8(raw), str) else "gb18030"
        mht = fmt.wrap_page_in_mht(tmp_path / f"{page.stem}.mht", raw, named)
        import_quality.score_page(mht, expected, tmp_path / "out" / page.stem, score)
    assert score.wrong == []


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def test_a_page_of_countless_tags_keeps_a_bounded_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tree, "MAX_ELEMENTS", 1000)
    root, _ = tree.parse_html("<p>您提出的建议收悉。</p>" + "<b>字</b>" * 5000 + "<p>此复。</p>")
    assert sum(1 for _ in tree.walk(root)) <= 1001  # the root and 1,000 elements
    text = tree.inline_text(root)
    assert text.startswith("您提出的建议收悉。") and text.endswith("此复。")
    assert text.count("字") == 5000  # past the bound tags are passed over, never their text


def test_a_table_of_data_in_a_word_file_becomes_a_markdown_table(tmp_path: Path) -> None:
    import docx

    from builder.ingest.body import to_markdown

    document = docx.Document()
    document.add_paragraph("各区加装情况如下：")
    table = document.add_table(rows=0, cols=3)
    rows = [("区", "已加装（部）", "在建（部）"), ("海勃湾区", "31", "9"), ("乌达区", "15", "")]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("感谢您的关心。")
    document.save(str(tmp_path / "r.docx"))
    lines = word.docx_lines((tmp_path / "r.docx").read_bytes())
    assert not isinstance(lines, Undecodable)
    assert [line.number for line in lines] == [1, 2, 3, 4, 5]
    assert to_markdown(lines) == (
        "各区加装情况如下：\n\n| 区 | 已加装（部） | 在建（部） |\n| --- | --- | --- |\n"
        "| 海勃湾区 | 31 | 9 |\n| 乌达区 | 15 |  |\n\n感谢您的关心。\n"
    )
