"""End to end: build the sample archive and read the site back."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.cli import main

from .conftest import REPO_ROOT, WriteReply
from .sitecheck import broken_links, read_page

WUHAI = "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
QIANJIANG = "replies/2025/qianjiangshi-2025-tian-150.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("site") / "output"
    build(BuildOptions(source=REPO_ROOT, output=output, search=False, cache=False))
    return output


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "tags/index.html",
        "tags/yanglaofuwu/index.html",
        "bureaus/index.html",
        "bureaus/wuhaishiminzhengju/index.html",
        "bureaus/qianjiangshiminzhengju/index.html",
        "years/index.html",
        "years/2025/index.html",
        WUHAI,
        QIANJIANG,
        "search.html",
        "404.html",
        "robots.txt",
        "static/style.css",
        "static/site.js",
    ],
)
def test_every_kind_of_page_is_written(site: Path, page: str) -> None:
    assert (site / page).is_file()


@pytest.mark.slow
def test_every_internal_link_names_a_file_in_the_site(site: Path) -> None:
    assert broken_links(site) == []


def test_every_page_is_chinese_with_one_h1(site: Path) -> None:
    for page in site.rglob("*.html"):
        reader = read_page(page)
        assert reader.lang == "zh-CN", page
        assert len(reader.h1) == 1, page


def test_the_wuhai_metadata_is_as_published(site: Path) -> None:
    reader = read_page(site / WUHAI)
    assert reader.h1 == ["对市十届人大五次会议第HN-35号建议的答复"]
    assert reader.meta == {
        "发文机构": "乌海市民政局",
        "发文字号": "乌民复〔2025〕20号",
        "索引号": "11150300011554455T/2025-04037",
        "成文日期": "2025年6月20日",
        "公开日期": "2025年8月4日",
        "会议": "市十届人大五次会议",
        "编号": "第HN-35号建议",
        "提出人": "陈可才、刘治平（代表）",
        "有效性": "有效",
        "分类": "建议提案",
    }
    assert reader.times == {"成文日期": "2025-06-20", "公开日期": "2025-08-04T12:43:38"}


def test_the_qianjiang_metadata_is_as_published(site: Path) -> None:
    reader = read_page(site / QIANJIANG)
    assert reader.h1 == ["关于对市政协九届四次会议第150号提案的答复"]
    assert reader.meta == {
        "发文机构": "潜江市民政局",
        "索引号": "011396186/2026-01737",
        "成文日期": "2025年7月7日",
        "公开日期": "2025年7月7日",
        "会议": "市政协九届四次会议",
        "编号": "第150号提案",
        "提出人": "马良（委员）",
        "有效性": "有效",
        "分类": "其他",
    }


def test_a_reply_page_has_the_letter_signature_and_contacts(site: Path) -> None:
    html = (site / WUHAI).read_text(encoding="utf-8")
    assert "陈可才、刘治平代表：" in html
    assert "答复建议：《关于对加快完善我市多元化养老服务体系的建议》" in html
    assert '<h2 id="sec-3">三、下一步工作计划</h2>' in html
    assert "2024年度全市家庭责任医生签约服务团队由99个增加至131个" in html
    assert "<dt>联系人</dt><dd>吴棣</dd>" in html
    assert '<dt>电话</dt><dd><a href="tel:8992056">8992056</a></dd>' in html
    assert 'href="../../tags/yanglaofuwu/index.html"' in html
    assert 'href="../../years/2025/index.html"' in html


def test_the_home_page_lists_both_replies_newest_first(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert html.index(WUHAI) < html.index(QIANJIANG)
    assert "乌民复〔2025〕20号" in html and "人大代表建议" in html and "政协委员提案" in html


def test_the_bureau_index_groups_by_region_with_counts(site: Path) -> None:
    html = (site / "bureaus/index.html").read_text(encoding="utf-8")
    assert html.index("乌海市</h2>") < html.index("潜江市</h2>") or html.index(
        "潜江市</h2>"
    ) < html.index("乌海市</h2>")
    assert '乌海市民政局</a> <span class="count">（1）</span>' in html


def test_without_a_base_url_there_is_no_sitemap_or_feed(site: Path) -> None:
    assert not (site / "sitemap.xml").exists()
    assert not (site / "feed.xml").exists()


@pytest.mark.slow
def test_with_a_base_url_sitemap_and_feed_use_absolute_urls(tmp_path: Path) -> None:
    base = "https://example.org/archive/"
    build(
        BuildOptions(
            source=REPO_ROOT, output=tmp_path / "out", base_url=base, search=False, cache=False
        )
    )
    sitemap = ElementTree.parse(tmp_path / "out" / "sitemap.xml").getroot()
    locations = [
        e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert base + WUHAI in locations
    assert all(loc.startswith(base) for loc in locations)
    feed = ElementTree.parse(tmp_path / "out" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}id") for e in entries] == [base + WUHAI, base + QIANJIANG]
    not_found = (tmp_path / "out" / "404.html").read_text(encoding="utf-8")
    # Served at any depth on the site's own host: paths from its root, never the base's host.
    assert 'href="/archive/static/style.css"' in not_found
    assert 'src="/archive/static/site.js"' in not_found
    links = re.findall(r'(?:href|src)="([^"]*)"', not_found)
    assert links and all(link.startswith(("/archive/", "#")) for link in links), links
    assert "Sitemap: https://example.org/archive/sitemap.xml" in (
        tmp_path / "out" / "robots.txt"
    ).read_text(encoding="utf-8")


@pytest.mark.slow
def test_two_builds_of_the_same_input_are_identical(site: Path, tmp_path: Path) -> None:
    build(BuildOptions(source=REPO_ROOT, output=tmp_path / "again", search=False, cache=False))
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {
        p.relative_to(tmp_path / "again"): p.read_bytes()
        for p in (tmp_path / "again").rglob("*")
        if p.is_file()
    }
    assert first == second


def reply_text(title: str, bureau: str, published: str, tags: str = "[养老服务]") -> str:
    return (
        f"---\ntitle: {title}\nkind: 建议\nbureau: {bureau}\npublished: {published}\n"
        f"tags: {tags}\n---\n\n正文：{title}。\n"
    )


@pytest.mark.slow
def test_listings_are_paginated_and_replies_link_their_neighbours(
    archive: Path, write_reply: WriteReply, tmp_path: Path
) -> None:
    (archive / "site.toml").write_text("page_size = 2\n", encoding="utf-8")
    for day in range(1, 6):
        write_reply(f"r{day}.md", reply_text(f"答复{day}", "乌海市民政局", f"2025-03-0{day}"))
    write_reply("other.md", reply_text("别局答复", "潜江市民政局", "2025-03-03"))
    output = tmp_path / "out"
    build(BuildOptions(source=archive, output=output, search=False))

    assert [p.name for p in sorted((output / "page").iterdir())] == ["2.html", "3.html"]
    assert (output / "bureaus/wuhaishiminzhengju/3.html").is_file()
    assert not (output / "bureaus/wuhaishiminzhengju/4.html").exists()
    middle = (output / "replies/2025/r3.html").read_text(encoding="utf-8")
    assert 'href="r2.html" rel="prev">答复2<' in middle
    assert 'href="r4.html" rel="next">答复4<' in middle
    assert "别局答复" not in middle
    assert broken_links(output) == []


def test_markup_in_content_is_escaped_everywhere(
    archive: Path, write_reply: WriteReply, tmp_path: Path
) -> None:
    evil = "<script>alert(1)</script>"
    write_reply(
        "x.md",
        reply_text(f"'{evil}'", "乌海市民政局", "2025-03-01", tags=f"['{evil}']")
        + f"\n{evil}\n\n[x](javascript:alert(1))\n",
    )
    build(BuildOptions(source=archive, output=tmp_path / "out", search=False))
    for page in (tmp_path / "out").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html, page
        assert 'href="javascript:' not in html, page


@pytest.mark.slow
def test_deleted_replies_disappear_from_the_output(
    archive: Path, write_reply: WriteReply, tmp_path: Path
) -> None:
    keep = write_reply("keep.md", reply_text("保留", "乌海市民政局", "2025-03-01"))
    gone = write_reply("gone.md", reply_text("删除", "潜江市民政局", "2025-03-02", "[老年助餐]"))
    output = tmp_path / "out"
    build(BuildOptions(source=archive, output=output, search=False))
    assert (output / "replies/2025/gone.html").is_file()
    gone.unlink()
    report = build(BuildOptions(source=archive, output=output, search=False))
    assert keep.exists()
    assert not (output / "replies/2025/gone.html").exists()
    assert not (output / "bureaus/qianjiangshiminzhengju").exists()
    assert "replies/2025/gone.html" in report.removed
    assert "删除" not in (output / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_theme_files_in_the_archive_override_the_default_one_by_one(
    sample_archive: Path, tmp_path: Path
) -> None:
    (sample_archive / "templates" / "static").mkdir(parents=True)
    (sample_archive / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>自定义</h1>{% endblock %}', encoding="utf-8"
    )
    (sample_archive / "templates" / "static" / "extra.css").write_text("p{}", encoding="utf-8")
    build(BuildOptions(source=sample_archive, output=tmp_path / "out", search=False))
    assert "<h1>自定义</h1>" in (tmp_path / "out/404.html").read_text(encoding="utf-8")
    assert (tmp_path / "out/static/extra.css").is_file()
    assert (tmp_path / "out/static/style.css").is_file()


@pytest.mark.slow
def test_a_template_error_is_reported_with_its_line(
    sample_archive: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sample_archive / "templates").mkdir()
    (sample_archive / "templates" / "404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ page.nothing_here }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    status = main(
        ["build", "--no-search", "--source", str(sample_archive), "--output", str(tmp_path / "out")]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "templates/404.html:3: template error:" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_cli_prints_one_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO_ROOT / "content", tmp_path / "content")
    assert main(["build", "--no-search", "--source", str(tmp_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("built 2 replies, ") and out[0].endswith(f"-> {tmp_path / 'output'}")


@pytest.mark.slow
def test_the_command_ends_at_once_after_a_build_with_its_output_flushed(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "content", tmp_path / "content")
    command = [sys.executable, "-m", "builder", "build", "--no-search", "--source", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 2 replies, "), done.stdout  # a pipe: block-buffered
    assert "no base_url" in done.stderr
    (tmp_path / "content" / "replies" / "broken.md").write_text("no front matter\n", "utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert "broken.md:1: the file does not start with front matter" in failed.stderr
