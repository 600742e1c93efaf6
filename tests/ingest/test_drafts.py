"""Nothing dropped: drafts, batch defaults, co-handled suggestions, duplicates, the summary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from builder.build import BuildOptions, build
from builder.cli import main
from builder.config import ImportDefaults, load_config
from builder.ingest import format_report, import_paths

_NO_BUREAU = (
    "关于县十八届人大三次会议第17号建议的答复\n"
    "王某某代表：\n"
    "您提出的《关于改善农村道路的建议》收悉，现答复如下：\n"
    "一、今年已安排资金硬化道路12公里。\n"
    "感谢您对我们工作的关心和支持。\n"
)
_SIGNED = "\n{bureau}\n2024年6月11日\n"


def _page(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _import(paths: list[Path], into: Path, **defaults: str) -> tuple[object, str]:
    out = io.StringIO()
    report = import_paths(
        paths, into, dry_run=False, force=False, out=out, defaults=ImportDefaults(**defaults)
    )
    return report, out.getvalue()


def _front(path: Path) -> dict[str, object]:
    values = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert isinstance(values, dict)
    return values


def test_a_page_without_bureau_or_date_is_written_as_a_draft(tmp_path: Path) -> None:
    page = _page(tmp_path / "pages", "a.txt", _NO_BUREAU)
    into = tmp_path / "archive" / "content" / "replies"
    report, _ = _import([page], into)
    assert not report.failed  # type: ignore[attr-defined]
    target = into / "undated" / "draft-undated-jianyi-17.md"
    assert report.written == (target,)  # type: ignore[attr-defined]
    text = target.read_text(encoding="utf-8")
    assert text.startswith("---\ndraft: true  # missing: bureau, published\ntitle: ")
    assert "\nbureau:  # missing: no 发文机构 / 承办单位, no signature and no 来源\n" in text
    assert "\npublished:  # missing: " in text
    values = _front(target)
    assert values["draft"] is True and values["bureau"] is None
    assert values["number"] == "17" and values["kind"] == "suggestion"
    assert "一、今年已安排资金硬化道路12公里。" in text


def test_the_build_lists_drafts_and_publishes_the_rest(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    into = archive / "content" / "replies"
    pages = tmp_path / "pages"
    _page(pages, "a.txt", _NO_BUREAU)
    _page(
        pages, "b.txt", _NO_BUREAU.replace("17", "18") + _SIGNED.format(bureau="桐庐县交通运输局")
    )
    _import([pages], into)
    report = build(BuildOptions(source=archive, output=tmp_path / "site", search=False))
    assert report.replies == 1
    drafts = [p for p in report.warnings if "draft" in p.message]
    assert [(p.path.name, p.line, p.message) for p in drafts] == [
        ("draft-undated-jianyi-17.md", 2, "draft, not published: missing `bureau`, `published`")
    ]
    assert not (tmp_path / "site" / "replies" / "undated").exists()


def test_batch_defaults_fill_what_the_page_does_not_say(tmp_path: Path) -> None:
    page = _page(tmp_path / "pages", "a.txt", _NO_BUREAU)
    into = tmp_path / "replies"
    report, _ = _import(
        [page],
        into,
        bureau="桐庐县农业农村局",
        session="县十八届人大三次会议",
        published_from="file-time",
    )
    (target,) = report.written  # type: ignore[attr-defined]
    values = _front(target)
    assert "draft" not in values and values["bureau"] == "桐庐县农业农村局"
    assert values["session"] == "县十八届人大三次会议"
    assert target.parent.name == str(values["published"].year)  # type: ignore[union-attr]
    assert target.name.startswith("tongluxian-")


def test_site_toml_import_table_is_typed_and_checked(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(
        '[import]\nbureau = "桐庐县城市管理局"\nkind = "建议"\npublished_from = "mtime"\n'
        "session = 3\nbureu = 1\n",
        encoding="utf-8",
    )
    loaded = load_config(tmp_path)
    defaults = loaded.config.import_defaults
    assert defaults.bureau == "桐庐县城市管理局" and defaults.kind == "suggestion"
    assert defaults.published_from == "signature"
    said = [(p.line, p.message, p.is_error) for p in loaded.problems]
    assert (4, "unknown published_from `mtime`", True) in said
    assert (5, "`import.session` must be text", True) in said
    assert (6, "unknown key `import.bureu` is ignored", False) in said


def test_the_command_takes_defaults_from_site_toml_and_its_options(
    tmp_path: Path, capsys: object, monkeypatch: object
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "site.toml").write_text('[import]\nbureau = "某某县民政局"\n', encoding="utf-8")
    page = _page(tmp_path / "pages", "a.txt", _NO_BUREAU)
    into = archive / "content" / "replies"
    status = main(
        [
            "import",
            str(page),
            "--into",
            str(into),
            "--region",
            "某某县",
            "--published-from",
            "file-time",
        ]
    )
    assert status == 0
    (target,) = into.rglob("*.md")
    values = _front(target)
    assert values["bureau"] == "某某县民政局" and "draft" not in values
    assert main(["import", str(page), "--into", str(into), "--kind", "motion"]) == 1


def test_two_bureaus_answering_one_suggestion_get_two_files(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    main_unit = _NO_BUREAU + _SIGNED.format(bureau="桐庐县交通运输局")
    co_unit = _NO_BUREAU.replace("今年已安排资金", "我局配合") + _SIGNED.format(
        bureau="桐庐县财政局"
    )
    _page(pages, "1.txt", main_unit)
    _page(pages, "2.txt", co_unit)
    _page(pages, "3.txt", main_unit.replace("\n", "\r\n"), "gb18030")  # saved twice
    into = tmp_path / "archive" / "content" / "replies"
    report, _ = _import([pages], into)
    names = sorted(p.name for p in report.written)  # type: ignore[attr-defined]
    assert names == ["tongluxian-2024-jianyi-17-caizhengju.md", "tongluxian-2024-jianyi-17.md"]
    (duplicate,) = report.duplicates  # type: ignore[attr-defined]
    assert duplicate.source == pages / "3.txt" and duplicate.first == pages / "1.txt"
    assert not report.failed  # type: ignore[attr-defined]
    built = build(BuildOptions(source=tmp_path / "archive", output=tmp_path / "s", search=False))
    assert built.replies == 2  # one session and number, two bureaus


def test_the_summary_counts_and_groups(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    _page(pages, "1.txt", _NO_BUREAU)
    _page(pages, "2.txt", _NO_BUREAU.replace("17", "19") + _SIGNED.format(bureau="西湖区民政局"))
    _page(pages, "3.txt", _NO_BUREAU.replace("17", "19") + _SIGNED.format(bureau="西湖区民政局"))
    _page(pages, "4.txt", "")
    into = tmp_path / "replies"
    report, _ = _import([pages], into)
    text = format_report(report, tmp_path)  # type: ignore[arg-type]
    lines = text.splitlines()
    assert "replies/undated/draft-undated-jianyi-17.md (from pages/1.txt):" in lines
    assert (
        "  pages/1.txt: not on the page (optional): doc_number, index_number,"
        " category, written, status, outcome, tags, contacts, source_url, signature"
    ) in lines  # one line, not one a key
    assert not any(" warning: tags not found" in line for line in lines)
    assert [line for line in lines if line.startswith("pages/3.txt")] == [
        f"pages/3.txt: warning: duplicate: the same reply as {pages / '2.txt'}, with the same"
        " text; not written again"
    ]
    assert lines[-7:-2] == [
        "import: 4 pages read; 2 files written (1 complete, 1 draft); 1 duplicate; 1 not imported",
        "  drafts missing bureau, published (1):",
        "    replies/undated/draft-undated-jianyi-17.md",
        "  duplicates (1):",
        "    pages/3.txt: the same reply as pages/2.txt -> replies/2024/xihuqu-2024-jianyi-19.md",
    ]
    assert lines[-2] == "  not imported (1):"
    assert lines[-1].startswith("    pages/4.txt: cannot import: the file is empty")


def test_dry_run_shows_the_same_summary_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages"
    _page(pages, "1.txt", _NO_BUREAU)
    _page(pages, "2.txt", _NO_BUREAU.replace("17", "19") + _SIGNED.format(bureau="西湖区民政局"))
    into = tmp_path / "content" / "replies"
    assert main(["import", str(pages), "--into", str(into), "--dry-run"]) == 0
    assert not into.exists()
    said = capsys.readouterr().err.splitlines()
    assert (
        "import: 2 pages read; 2 files would be written (1 complete, 1 draft); "
        "0 duplicates; 0 not imported" in said
    )
    assert "  drafts missing bureau, published (1):" in said


def test_a_page_not_imported_is_an_error_and_exit_status_1(tmp_path: Path) -> None:
    page = _page(tmp_path / "pages", "1.txt", _NO_BUREAU + _SIGNED.format(bureau="西湖区民政局"))
    into = tmp_path / "content" / "replies"
    assert main(["import", str(page), "--into", str(into)]) == 0
    (target,) = into.rglob("*.md")
    target.write_text(target.read_text(encoding="utf-8") + "\n编辑补充的一段。\n", encoding="utf-8")
    assert main(["import", str(page), "--into", str(into)]) == 1
    assert "编辑补充的一段" in target.read_text(encoding="utf-8")


def test_a_reply_without_a_title_is_a_draft_a_page_that_is_no_reply_an_error(
    tmp_path: Path,
) -> None:
    pages = tmp_path / "pages"
    _page(pages, "1.txt", _NO_BUREAU.split("\n", 1)[1] + _SIGNED.format(bureau="西湖区民政局"))
    _page(pages, "2.txt", "今日天气晴，气温二十度。\n")
    into = tmp_path / "replies"
    report, _ = _import([pages], into)
    ((target, reply),) = report.replies  # type: ignore[attr-defined]
    assert [key for key, _ in reply.missing] == ["title"]
    assert "\ntitle:  # missing: the page has no 标题 / 名称 field and no heading\n" in (
        target.read_text(encoding="utf-8")
    )
    errors = [p for p in report.problems if p.is_error]  # type: ignore[attr-defined]
    assert [p.path.name for p in errors] == ["2.txt"]
