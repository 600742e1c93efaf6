"""Bodies: Markdown to HTML with nothing unsafe passed through."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.markup import render_body


def render(text: str) -> str:
    html, _ = render_body(text, Path("x.md"), 10)
    return html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<iframe src=https://example.org></iframe>",
    ],
)
def test_no_raw_html_or_script_links_reach_the_page(attack: str) -> None:
    html = render(attack)
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert 'href="javascript' not in html.lower()
    assert 'href="vbscript' not in html.lower()
    assert 'href="data:' not in html.lower()


def test_sections_become_headings_below_the_title() -> None:
    html = render("## 一、基本情况\n\n### (一)针对问题\n\n正文")
    assert html == "<h2>一、基本情况</h2>\n<h3>(一)针对问题</h3>\n<p>正文</p>\n"


def test_a_top_level_heading_is_demoted_with_a_warning_at_its_line() -> None:
    html, problems = render_body("正文\n\n# 标题", Path("x.md"), 10)
    assert "<h1>" not in html and "<h2>标题</h2>" in html
    assert [(p.line, p.is_error) for p in problems] == [(12, False)]


def test_an_image_from_another_host_becomes_a_link() -> None:
    html, problems = render_body("![示意图](https://example.org/a.png)", Path("x.md"), 1)
    assert html == '<p><a href="https://example.org/a.png">示意图</a></p>\n'
    assert "shown as a link" in problems[0].message


def test_plain_links_stay_links() -> None:
    assert render("[原文](https://www.wuhai.gov.cn/x.html)") == (
        '<p><a href="https://www.wuhai.gov.cn/x.html">原文</a></p>\n'
    )
