"""The theme's government-site parts: the footer from `[footer]`, the favicon on every page,
canonical and Open Graph only with a base URL, and listing entries that lead with what the
suggestion was about."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.config import Config, Footer, load_config
from tests.conftest import WriteReply

REPLY = """\
---
title: 对市十届人大五次会议第35号建议的答复
kind: suggestion
bureau: 乌海市民政局
published: 2025-08-04 12:43:38
number: "35"
proposal_title: 关于加快完善我市多元化养老服务体系的建议
doc_number: 乌民复〔2025〕20号
outcome: A
tags: [养老服务, 医养结合, 老年助餐, 社区助浴, 智慧养老]
---

正文。
"""

FOOTER = """\
[footer]
sponsor = "乌海市人民政府办公室"
operator = "乌海市大数据中心"
contact = "0473-1234567"
site_code = "1503000001"
icp = "蒙ICP备05000000号-1"
public_security = "蒙公网安备 15030202000001号"
text = "本站答复均转自各单位政府信息公开专栏。"
"""


def built(archive: Path, write_reply: WriteReply, config: str = "", base: str = "") -> Path:
    write_reply("r.md", REPLY)
    (archive / "site.toml").write_text(config, encoding="utf-8")
    output = archive / "output"
    build(
        BuildOptions(
            source=archive, output=output, search=False, cache=False, base_url=base or None
        )
    )
    return output


def html(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


def test_every_footer_field_is_shown_and_the_registrations_link_to_their_registries(
    archive: Path, write_reply: WriteReply
) -> None:
    page = html(built(archive, write_reply, FOOTER), "index.html")
    footer = page[page.index("<footer") :]
    for shown in (
        "主办单位：乌海市人民政府办公室",
        "承办单位：乌海市大数据中心",
        "联系方式：0473-1234567",
        "网站标识码：1503000001",
        "本站答复均转自各单位政府信息公开专栏。",
    ):
        assert shown in footer
    assert '<a href="https://beian.miit.gov.cn/" rel="external">蒙ICP备05000000号-1</a>' in footer
    assert (
        '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=15030202000001"'
        ' rel="external">蒙公网安备 15030202000001号</a>'
    ) in footer


def test_the_default_footer_claims_nothing(archive: Path, write_reply: WriteReply) -> None:
    page = html(built(archive, write_reply), "index.html")
    footer = page[page.index("<footer") :]
    for absent in (
        "主办单位",
        "承办单位",
        "网站标识码",
        "ICP",
        "公网安备",
        "footer-info",
        "footer-text",
    ):
        assert absent not in footer


def test_bad_footer_values_are_errors_at_their_lines(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(
        'title = "x"\n[footer]\nsponsor = 3\nicp = "12345"\npublic_security = "京公网安备"\n'
        'site_code = "12"\nsponsr = "甲"\n',
        encoding="utf-8",
    )
    loaded = load_config(tmp_path)
    found = {(p.line, p.is_error, p.message) for p in loaded.problems}
    assert found == {
        (3, True, "`footer.sponsor` must be text"),
        (4, True, "`footer.icp` is not an ICP备案号: 12345"),
        (5, True, "`footer.public_security` is not a 公安机关备案号: 京公网安备"),
        (6, True, "`footer.site_code` is not a 网站标识码: 12"),
        (7, False, "unknown key `footer.sponsr` is ignored"),
    }
    assert loaded.config.footer == Footer()


def test_a_footer_that_is_not_a_table_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('title = "x"\nfooter = "乌海"\n', encoding="utf-8")
    (problem,) = load_config(tmp_path).problems
    assert (problem.line, problem.message) == (2, "[footer] must be a table")


def test_the_favicon_is_linked_from_every_page_and_written(
    archive: Path, write_reply: WriteReply
) -> None:
    output = built(archive, write_reply)
    assert (output / "static" / "favicon.svg").read_bytes().startswith(b"<svg")
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        links = re.findall(
            r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.read_text("utf-8")
        )
        path = page.relative_to(output).as_posix()
        assert len(links) == 1, path
        if path != "404.html":  # (linked from the site's root, as its other files)
            assert (page.parent / links[0]).resolve() == (output / "static/favicon.svg").resolve()


def test_an_archive_s_own_favicon(archive: Path, write_reply: WriteReply) -> None:
    (archive / "templates" / "static").mkdir(parents=True)
    (archive / "templates" / "static" / "icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    page = html(built(archive, write_reply, 'favicon = "icon.png"\n'), "index.html")
    assert '<link rel="icon" href="static/icon.png" type="image/png">' in page


def test_a_favicon_that_is_missing_or_not_an_image_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text('favicon = "icon.png"\n', encoding="utf-8")
    (missing,) = load_config(tmp_path).problems
    assert (missing.line, missing.message) == (1, "favicon 'icon.png' is not in templates/static/")
    (tmp_path / "site.toml").write_text('\nfavicon = "../style.css"\n', encoding="utf-8")
    (wrong,) = load_config(tmp_path).problems
    assert wrong.line == 2 and "is not a .svg, .png or .ico file" in wrong.message
    assert load_config(tmp_path).config.favicon == Config().favicon


@pytest.mark.slow
def test_canonical_and_open_graph_only_with_a_base_url(
    archive: Path, write_reply: WriteReply
) -> None:
    plain = built(archive, write_reply)
    for page in plain.rglob("*.html"):
        text = page.read_text("utf-8")
        assert 'rel="canonical"' not in text and "og:" not in text
    hosted = built(archive, write_reply, base="https://example.org/archive/")
    reply = html(hosted, "replies/2025/r.html")
    assert '<link rel="canonical" href="https://example.org/archive/replies/2025/r.html">' in reply
    assert (
        '<meta property="og:url" content="https://example.org/archive/replies/2025/r.html">'
        in reply
    )
    title = re.search(r'<meta property="og:title" content="([^"]+)">', reply)
    assert title and title.group(1).startswith("对市十届人大五次会议第35号建议的答复")
    description = re.search(r'<meta property="og:description" content="([^"]+)">', reply)
    assert description and "关于加快完善我市多元化养老服务体系的建议" in description.group(1)
    home = html(hosted, "index.html")
    assert '<link rel="canonical" href="https://example.org/archive/index.html">' in home
    assert 'rel="canonical"' not in html(hosted, "404.html")


def test_an_entry_leads_with_the_proposal_then_bureau_date_kind_number_outcome(
    archive: Path, write_reply: WriteReply
) -> None:
    page = html(built(archive, write_reply), "index.html")
    entry = page[
        page.index('<li class="entry">') : page.index("</li>\n", page.index('class="entry-tags"'))
    ]
    order = [
        'r.html">关于加快完善我市多元化养老服务体系的建议</a></h',
        '<span class="entry-bureau">乌海市民政局</span>',
        '<time datetime="2025-08-04">2025-08-04</time>',
        '<span class="entry-kind">人大代表建议第35号</span>',
        '<span class="entry-outcome">A类：已解决或基本解决</span>',
        '<span class="entry-formal-title">对市十届人大五次会议第35号建议的答复</span>',
        '<span class="entry-doc">乌民复〔2025〕20号</span>',
        ">养老服务</a>",
    ]
    places = [entry.find(part) for part in order]
    assert -1 not in places, [o for o, p in zip(order, places, strict=True) if p < 0]
    assert places == sorted(places)
    assert "社区助浴" not in entry and "等 5 个主题" in page


def test_an_entry_without_a_proposal_title_leads_with_its_title_once(
    archive: Path, write_reply: WriteReply
) -> None:
    write_reply(
        "r.md", REPLY.replace("proposal_title: 关于加快完善我市多元化养老服务体系的建议\n", "")
    )
    output = archive / "output"
    build(BuildOptions(source=archive, output=output, search=False, cache=False))
    page = html(output, "index.html")
    assert 'r.html">对市十届人大五次会议第35号建议的答复</a>' in page
    assert page.count("对市十届人大五次会议第35号建议的答复") == 1
    assert "entry-formal-title" not in page
