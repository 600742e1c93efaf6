"""`import`: saved government pages in, content files out, end to end.

The two seeds (../shared/seeds) must import into the hand-made sample files; the fixtures in
tests/fixtures/ingest cover the variants real sites add (see their README.md).
"""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from builder.build import BuildOptions, build
from builder.errors import Problem
from builder.ingest import ImportReport, import_paths

from ..conftest import REPO_ROOT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
HANDMADE = REPO_ROOT / "content" / "replies" / "2025"
SEED_FILES = [
    ("000_d68a10d8dcf52d47.txt", "wuhaishi-2025-jianyi-hn-35"),
    ("004_1e30285b4d7084d2.txt", "qianjiangshi-2025-tian-150"),
]
EDITORIAL = {"tags"}
"""Keys an editor chooses: the pages name no subjects, so the importer cannot take them."""

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")


def run_import(
    paths: list[Path], into: Path, *, dry_run: bool = False, force: bool = False
) -> tuple[ImportReport, str]:
    out = io.StringIO()
    report = import_paths(paths, into, dry_run=dry_run, force=force, out=out)
    return report, out.getvalue()


def read_content(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The front matter as YAML reads it, and the body's paragraphs."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    values = yaml.safe_load(front)
    assert isinstance(values, dict)
    return values, [p.strip() for p in body.split("\n\n") if p.strip()]


def messages(problems: tuple[Problem, ...], path: Path) -> list[str]:
    return [p.message for p in problems if p.path == path]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportReport, Path]:
    """Every fixture imported once into a fresh `content/replies`."""
    into = tmp_path_factory.mktemp("archive") / "content" / "replies"
    report, _ = run_import([FIXTURES], into)
    return report, into


def fixture_file(
    imported: tuple[ImportReport, Path], slug: str
) -> tuple[dict[str, Any], list[str]]:
    return read_content(imported[1] / "2025" / f"{slug}.md")


# --- the seeds -------------------------------------------------------------------------------


@needs_seeds
@pytest.mark.parametrize(("seed", "slug"), SEED_FILES)
def test_a_seed_imports_into_the_hand_made_front_matter(
    seed: str, slug: str, tmp_path: Path
) -> None:
    report, _ = run_import([SEEDS / seed], tmp_path)
    assert report.written == (tmp_path / "2025" / f"{slug}.md",)
    front, _ = read_content(tmp_path / "2025" / f"{slug}.md")
    handmade, _ = read_content(HANDMADE / f"{slug}.md")
    assert front == {k: v for k, v in handmade.items() if k not in EDITORIAL}
    assert list(front) == [k for k in handmade if k not in EDITORIAL]


@needs_seeds
@pytest.mark.parametrize(("seed", "slug"), SEED_FILES)
def test_a_seed_body_keeps_every_paragraph(seed: str, slug: str, tmp_path: Path) -> None:
    run_import([SEEDS / seed], tmp_path)
    _, body = read_content(tmp_path / "2025" / f"{slug}.md")
    _, handmade = read_content(HANDMADE / f"{slug}.md")
    assert body == handmade


@needs_seeds
def test_the_seeds_say_what_they_lack_and_what_was_completed(tmp_path: Path) -> None:
    report, _ = run_import([SEEDS], tmp_path)
    wuhai = messages(report.problems, SEEDS / SEED_FILES[0][0])
    assert "bureau: 发文机构 says 民政局; completed from 来源: 乌海市民政局" in wuhai
    assert any(m.startswith("tags not found") for m in wuhai)
    qianjiang = messages(report.problems, SEEDS / SEED_FILES[1][0])
    assert any(m.startswith("contacts not found") for m in qianjiang)
    assert not any(m.startswith("doc_number") for m in qianjiang)  # 文号 is 无: not missing
    assert not report.failed
    assert all(p.line >= 1 and p.format().count(": warning: ") == 1 for p in report.problems)


# --- the variants ------------------------------------------------------------------------------


def test_fixtures_are_encoded_as_they_claim() -> None:
    gb = (FIXTURES / "gb18030.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        gb.decode("utf-8")
    with pytest.raises(UnicodeEncodeError):
        gb.decode("gb18030").encode("gbk")  # it has a character GBK lacks
    crlf = (FIXTURES / "crlf.txt").read_bytes()
    assert crlf.startswith(b"\xef\xbb\xbf") and crlf.count(b"\r\n") == crlf.count(b"\n")
    with pytest.raises(UnicodeDecodeError):
        (FIXTURES / "field-table.html").read_bytes().decode("utf-8")


def test_every_fixture_imports(imported: tuple[ImportReport, Path]) -> None:
    report, into = imported
    assert not report.failed
    assert sorted(p.name for p in report.written) == sorted(
        p.name for p in (into / "2025").iterdir()
    )
    assert len(report.written) == 6


def test_gb18030_text(imported: tuple[ImportReport, Path]) -> None:
    front, body = fixture_file(imported, "etuokeqi-2025-jianyi-12")
    assert front == {
        "title": "关于旗十八届人大四次会议第12号建议的答复",
        "kind": "suggestion",
        "bureau": "鄂托克旗教育体育局",
        "published": datetime(2025, 6, 10, 9, 30),
        "session": "旗十八届人大四次会议",
        "number": "12",
        "proposal_title": "关于加强农村牧区学校寄宿条件建设的建议",
        "proposers": ["刘䶮"],
        "proposer_role": "代表",
        "doc_number": "鄂旗教复〔2025〕7号",
        "index_number": "11150624MB1234567X/2025-00012",
        "category": "建议提案",
        "written": date(2025, 5, 30),
        "status": "有效",
        "contacts": {"联系人": "高志远", "联系电话": "0477-6212345"},
    }
    assert body[1:3] == [
        "## 一、基本情况",
        "全旗现有寄宿制学校9所，寄宿学生2316人，其中农村牧区学生1874人，占80.9%。近三年累计投入资金1260万元，新建、改造学生宿舍6栋。",
    ]  # noqa: E501
    assert "### （一）改善住宿条件" in body
    assert not any("上一条" in p or "无障碍" in p for p in body)


def test_crlf_text_with_a_bom(imported: tuple[ImportReport, Path]) -> None:
    front, body = fixture_file(imported, "qianjiangshi-2025-tian-88")
    assert front["title"] == "关于政协潜江市第九届委员会第四次会议第88号提案的答复"
    assert front["kind"] == "proposal"
    assert front["session"] == "政协潜江市第九届委员会第四次会议"
    assert front["published"] == datetime(2025, 7, 2, 10, 15)
    assert front["written"] == date(2025, 6, 28)
    assert front["doc_number"] == "潜教函〔2025〕15号"
    assert front["contacts"] == {"联系人": "李明", "电话": "0728-6234567"}
    assert not any("\r" in p for p in body)
    assert body[2:4] == [
        "1\\. 拓展服务内容。各校开设科技、体育、艺术类社团共416个,引入校外专业力量87人次。",
        "2\\. 加强队伍建设。将教师参与课后服务情况纳入绩效考核,2025年安排专项经费260万元。",
    ]
    assert body[-1] == "下一步,我们将认真吸收您的建议,持续提升课后服务质量。"


def test_saved_html_page_without_the_site_around_the_article(
    imported: tuple[ImportReport, Path],
) -> None:
    report, into = imported
    front, body = fixture_file(imported, "wuhaishi-2025-jianyi-hn-12")
    assert front == {
        "title": "对市十届人大五次会议第HN-12号建议的答复",
        "kind": "suggestion",
        "bureau": "乌海市住房和城乡建设局",
        "published": datetime(2025, 8, 1, 9, 5),
        "session": "市十届人大五次会议",
        "number": "HN-12",
        "proposal_title": "关于加快推进老旧小区加装电梯的建议",
        "proposers": ["张建华"],
        "proposer_role": "代表",
        "written": date(2025, 7, 18),
        "contacts": {"分管领导": "赵国强", "联系人": "孙悦", "电话": "3125678"},
        "source_url": "https://www.wuhai.gov.cn/wuhai/zwgk/jytabl/2025/t20250801_123456.html",
    }
    text = "\n".join(body)
    for chrome in ("首页", "当前位置", "浏览次数", "上一篇", "分享到", "打印", "ICP", "统计代码"):
        assert chrome not in text
    assert body[0] == "您提出的《关于加快推进老旧小区加装电梯的建议》收悉，现答复如下："
    table = "| 区 | 已加装（部） | 在建（部） |\n| --- | --- | --- |\n| 海勃湾区 | 31 | 9 |\n"
    assert table in text
    assert (
        "![加装电梯后的小区](<https://www.wuhai.gov.cn/wuhai/uploadfiles/202508/W020250801.jpg>)"
        in body
    )
    assert body[-1] == "感谢您对城市更新工作的关心和支持。"
    said = messages(report.problems, FIXTURES / "saved-page.html")
    assert "bureau: no 发文机构 / 发布机构; using the signature: 乌海市住房和城乡建设局" in said


def test_a_table_of_header_fields(imported: tuple[ImportReport, Path]) -> None:
    report, _ = imported
    front, body = fixture_file(imported, "eerduosishi-2025-tian-0156")
    assert front == {
        "title": "关于市政协八届三次会议第0156号提案的答复",
        "kind": "proposal",
        "bureau": "鄂尔多斯市林业和草原局",
        "published": date(2025, 6, 16),
        "session": "市政协八届三次会议",
        "number": "0156",
        "proposal_title": "关于加强基层林草防火队伍建设的提案",
        "proposers": ["周敏"],
        "proposer_role": "委员",
        "index_number": "11150600MB0B12345A/2025-00356",
        "category": "建议提案",
        "written": date(2025, 6, 12),
        "status": "有效",
        "tags": ["林草防火", "护林员"],
    }
    assert body == [
        "您提出的《关于加强基层林草防火队伍建设的提案》收悉，现答复如下：",
        "## 一、基本情况",
        "全市现有专业森林草原消防队伍23支、护林员4870名，2024年全市未发生重大森林草原火灾。",
        "## 二、下一步措施",
        "2025年计划新建防火物资储备库3座，为护林员配备巡护终端1200台，并开展全员轮训。",
        "感谢您对林草事业的关心和支持。",
    ]
    said = messages(report.problems, FIXTURES / "field-table.html")
    assert "doc_number not found: no 发文字号 / 文号" in said  # its 文号 cell is empty


def test_several_proposers_an_outcome_and_a_date_in_chinese_numerals(
    imported: tuple[ImportReport, Path],
) -> None:
    report, _ = imported
    front, body = fixture_file(imported, "baotoushi-2025-jianyi-b-07")
    assert front["proposers"] == ["王建国", "李秀英", "赵志刚"]
    assert front["proposer_role"] == "代表"
    assert front["outcome"] == "A"
    assert front["written"] == date(2025, 6, 20)  # 二〇二五年六月二十日
    assert front["published"] == datetime(2025, 7, 15, 16, 0)
    assert front["contacts"] == {"联系人": "马超", "联系电话": "0472-5123456"}
    assert not any("A类" in p or "二〇二五" in p or p == "包头市交通运输局" for p in body)
    said = messages(report.problems, FIXTURES / "several-proposers.txt")
    assert (
        "proposers: the addressee line names 3 of the 5 who made it; only the named are listed"
        in said
    )
    assert "written: no 成文日期 / 发文日期; using the signature's date 2025-06-20" in said


def test_a_page_missing_most_header_fields(imported: tuple[ImportReport, Path]) -> None:
    report, into = imported
    slug = next(p.stem for p in (into / "2025").iterdir() if p.stem.startswith("wuchuanxian"))
    assert slug.startswith("wuchuanxian-2025-") and len(slug) == len("wuchuanxian-2025-") + 8
    front, body = fixture_file(imported, slug)
    assert front == {
        "title": "关于加快农村公路养护的建议的答复",
        "kind": "suggestion",
        "bureau": "武川县交通运输局",
        "published": date(2025, 4, 22),
        "proposal_title": "关于加快农村公路养护的建议",
        "proposers": ["李华"],
        "proposer_role": "代表",
        "written": date(2025, 4, 22),
    }
    assert len(body) == 2
    warned = [p.format() for p in report.problems if p.path == FIXTURES / "missing-fields.txt"]
    missing = {m.split(": warning: ")[1].split(" not found")[0] for m in warned if "not found" in m}
    assert missing == {
        "session",
        "number",
        "doc_number",
        "index_number",
        "category",
        "status",
        "outcome",
        "tags",
        "contacts",
        "source_url",
    }
    stand_ins = [m for m in warned if "using the signature" in m]
    assert stand_ins == [
        f"{FIXTURES / 'missing-fields.txt'}:11: warning: "
        "bureau: no 发文机构 / 发布机构; using the signature: 武川县交通运输局",
        f"{FIXTURES / 'missing-fields.txt'}:11: warning: "
        "published: no 公开日期 / 发布日期; using the signature's date 2025-04-22",
        f"{FIXTURES / 'missing-fields.txt'}:11: warning: "
        "written: no 成文日期 / 发文日期; using the signature's date 2025-04-22",
    ]


# --- the command's promises --------------------------------------------------------------------


def test_dry_run_prints_what_it_would_write_and_writes_nothing(tmp_path: Path) -> None:
    into = tmp_path / "content" / "replies"
    report, printed = run_import([FIXTURES / "gb18030.txt"], into, dry_run=True)
    assert not into.exists()
    target = into / "2025" / "etuokeqi-2025-jianyi-12.md"
    assert report.written == (target,)
    assert printed.startswith(f"would write {target} (from {FIXTURES / 'gb18030.txt'})\n---\n")
    assert "title: 关于旗十八届人大四次会议第12号建议的答复" in printed


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    run_import([FIXTURES / "crlf.txt"], tmp_path)
    target = tmp_path / "2025" / "qianjiangshi-2025-tian-88.md"
    target.write_text("edited by hand", encoding="utf-8")
    report, printed = run_import([FIXTURES / "crlf.txt"], tmp_path)
    assert target.read_text(encoding="utf-8") == "edited by hand"
    assert report.skipped == (FIXTURES / "crlf.txt",) and report.written == ()
    assert report.failed and printed == ""  # a page not imported is an error
    assert messages(report.problems, FIXTURES / "crlf.txt")[-1] == (
        f"not imported: {target} exists, with another text, and is left as it is"
    )


def test_importing_the_same_pages_again_reports_duplicates_and_writes_nothing(
    tmp_path: Path,
) -> None:
    run_import([FIXTURES / "crlf.txt"], tmp_path)
    target = tmp_path / "2025" / "qianjiangshi-2025-tian-88.md"
    before = target.read_text(encoding="utf-8")
    report, printed = run_import([FIXTURES / "crlf.txt"], tmp_path)
    assert report.written == () and not report.failed and printed == ""
    assert [(d.source, d.target, d.first) for d in report.duplicates] == [
        (FIXTURES / "crlf.txt", target, None)
    ]
    assert target.read_text(encoding="utf-8") == before


def test_force_replaces_an_existing_file(tmp_path: Path) -> None:
    run_import([FIXTURES / "crlf.txt"], tmp_path)
    target = tmp_path / "2025" / "qianjiangshi-2025-tian-88.md"
    target.write_text("edited by hand", encoding="utf-8")
    report, printed = run_import([FIXTURES / "crlf.txt"], tmp_path, force=True)
    assert report.written == (target,)
    assert target.read_text(encoding="utf-8").startswith("---\ntitle: 关于政协潜江市")
    assert printed == f"wrote {target} (from {FIXTURES / 'crlf.txt'})\n"


def test_unreadable_files_are_reported_and_the_others_imported(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FIXTURES / "several-proposers.txt", pages / "good.txt")
    (pages / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (pages / "empty.txt").write_bytes(b"")
    (pages / "garbled.txt").write_bytes("标题：答复\n".encode() + b"\xff\xfe\x81\x30\x80\n")
    (pages / "nav-only.html").write_text(
        "<html><body><nav><a href='/'>首页</a></nav><footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    (pages / "not-a-reply.txt").write_text("今日天气晴。\n", encoding="utf-8")
    into = tmp_path / "replies"
    report, _ = run_import([pages, tmp_path / "missing.txt"], into)
    assert report.failed
    assert report.written == (into / "2025" / "baotoushi-2025-jianyi-b-07.md",)
    errors = {p.path.name: p.format() for p in report.problems if p.is_error}
    assert set(errors) == {
        "binary.txt",
        "empty.txt",
        "garbled.txt",
        "nav-only.html",
        "not-a-reply.txt",
        "missing.txt",
    }
    assert "binary file" in errors["binary.txt"]
    assert "the file is empty" in errors["empty.txt"]
    assert "garbled.txt:2: cannot import: it is neither UTF-8 nor GB18030" in errors["garbled.txt"]
    assert "no reply text found on the page" in errors["nav-only.html"]
    assert "no such file or folder" in errors["missing.txt"]


def test_two_pages_of_one_reply_write_it_once(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(FIXTURES / "several-proposers.txt", pages / name)
    report, _ = run_import([pages], tmp_path / "replies")
    assert len(report.written) == 1 and report.skipped == ()
    assert [(d.source, d.target, d.first) for d in report.duplicates] == [
        (pages / "b.txt", report.written[0], pages / "a.txt")
    ]
    assert not report.failed
    assert messages(report.problems, pages / "b.txt")[-1] == (
        f"duplicate: the same reply as {pages / 'a.txt'}, with the same text; not written again"
    )


def test_a_reply_with_the_same_name_elsewhere_in_the_archive_is_kept(tmp_path: Path) -> None:
    handmade = tmp_path / "baotou" / "baotoushi-2025-jianyi-b-07.md"
    handmade.parent.mkdir()
    handmade.write_text("by hand", encoding="utf-8")
    report, _ = run_import([FIXTURES / "several-proposers.txt"], tmp_path)
    assert report.written == () and handmade.read_text(encoding="utf-8") == "by hand"
    assert not (tmp_path / "2025").exists()
    report, _ = run_import([FIXTURES / "several-proposers.txt"], tmp_path, force=True)
    assert report.written == (handmade,)  # replaced where it is: never two of one name


def test_folders_are_searched_for_pages_only(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "saved_files").mkdir()
    shutil.copy(FIXTURES / "saved-page.html", pages / "sub" / "page.htm")
    shutil.copy(FIXTURES / "saved-page.html", pages / "saved_files" / "frame.html")
    shutil.copy(FIXTURES / "gb18030.txt", pages / ".hidden.txt")
    (pages / "saved_files" / "style.css").write_text("p {}", encoding="utf-8")
    (pages / "notes.md").write_text("# notes", encoding="utf-8")
    report, _ = run_import([pages], tmp_path / "replies")
    assert [p.name for p in report.written] == ["wuhaishi-2025-jianyi-hn-12.md"]
    empty = tmp_path / "empty"
    empty.mkdir()
    report, _ = run_import([empty], tmp_path / "replies")
    assert [p.message for p in report.problems] == ["no .txt or .html pages in this folder"]
    assert not report.failed


def test_an_imported_folder_builds_without_errors(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    sources = [FIXTURES] + ([SEEDS] if SEEDS.is_dir() else [])
    report, _ = run_import(sources, archive / "content" / "replies")
    assert not report.failed
    built = build(BuildOptions(source=archive, output=tmp_path / "site", search=False))
    assert built.replies == len(report.written)
    for path in report.written:
        page = tmp_path / "site" / "replies" / "2025" / f"{path.stem}.html"
        assert page.is_file(), page
    table = (tmp_path / "site" / "replies" / "2025" / "wuhaishi-2025-jianyi-hn-12.html").read_text()
    assert "<th>已加装（部）</th>" in table and "<td>乌达区</td>\n<td>15</td>\n<td>4</td>" in table
