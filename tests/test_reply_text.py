"""A reply's text as its page shows it: phone numbers in the contact lines are `tel:` links
(made at render time from the text, which stays escaped)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.build import BuildOptions, build
from builder.pages_text import TABLE_BOX, TextPart, contact_line, phone_parts, reply_body
from tests.conftest import WriteReply

HEADER = """\
---
title: 对市十届人大五次会议第35号建议的答复
kind: suggestion
bureau: 乌海市民政局
published: 2025-08-04 12:43:38
{extra}---

"""


def reply_page(archive: Path, write_reply: WriteReply, text: str, extra: str = "") -> str:
    write_reply("r.md", HEADER.format(extra=extra) + text)
    output = archive / "output"
    build(BuildOptions(source=archive, output=output, search=False, cache=False))
    pages = list((output / "replies").rglob("*.html"))
    assert len(pages) == 1
    return pages[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "dialled"),
    [
        ("0728-6234567", "07286234567"),
        ("13800000000", "13800000000"),
        ("138-0000-0000", "13800000000"),
        ("8992056", "8992056"),
        ("（0728）6234567", "07286234567"),
        ("(010) 62345678", "01062345678"),
        ("+86 138 0000 0000", "+8613800000000"),
        ("400-123-4567", "4001234567"),
    ],
)
def test_a_phone_number_is_dialled_by_its_digits(text: str, dialled: str) -> None:
    assert phone_parts(text) == (TextPart(text, dialled),)


@pytest.mark.parametrize(
    "text", ["2025年6月20日", "123456", "1234567", "第150号", "", "吴棣", "010-123"]
)
def test_text_that_is_no_phone_number_stays_text(text: str) -> None:
    assert phone_parts(text) == (TextPart(text),)


def test_numbers_among_words_are_found_and_the_words_kept() -> None:
    parts = phone_parts("吴棣 0728-6234567转801，13800000000")
    assert parts == (
        TextPart("吴棣 "),
        TextPart("0728-6234567", "07286234567"),
        TextPart("转801，"),
        TextPart("13800000000", "13800000000"),
    )
    assert "".join(p.text for p in parts) == "吴棣 0728-6234567转801，13800000000"


def test_a_digit_run_longer_than_a_number_is_not_cut_into_one() -> None:
    assert phone_parts("123456789012") == (TextPart("123456789012"),)
    assert phone_parts("089920561234567") == (TextPart("089920561234567"),)


@pytest.mark.parametrize("label", ["传真", "邮政编码", "邮编", "通讯地址", "电子邮箱"])
def test_a_fax_post_code_or_address_is_not_dialled(label: str) -> None:
    assert contact_line(label, "0728-6234567").parts == (TextPart("0728-6234567"),)


def test_the_contact_lines_link_their_phone_numbers(archive: Path, write_reply: WriteReply) -> None:
    page = reply_page(
        archive,
        write_reply,
        "正文。\n",
        'contacts:\n  联系人: 吴棣\n  联系电话: "0728-6234567，13800000000"\n'
        '  传真: "0728-6234568"\n',
    )
    contacts = page[page.index('<dl class="contacts">') :]
    contacts = contacts[: contacts.index("</dl>")]
    assert (
        '<dd><a href="tel:07286234567">0728-6234567</a>，'
        '<a href="tel:13800000000">13800000000</a></dd>'
    ) in contacts
    assert "<dd>吴棣</dd>" in contacts
    assert "<dd>0728-6234568</dd>" in contacts  # a fax number is no link
    assert contacts.count("tel:") == 2


def test_contact_text_stays_escaped_around_the_links(
    archive: Path, write_reply: WriteReply
) -> None:
    page = reply_page(
        archive,
        write_reply,
        "正文。\n",
        "contacts:\n  电话: '<script>alert(1)</script> 8992056 <b>&amp;</b>'\n",
    )
    assert "<script>alert" not in page and "<b>" not in page
    assert (
        "<dd>&lt;script&gt;alert(1)&lt;/script&gt; "
        '<a href="tel:8992056">8992056</a> &lt;b&gt;&amp;amp;&lt;/b&gt;</dd>'
    ) in page
    assert re.findall(r'href="tel:[^"]*"', page) == ['href="tel:8992056"']


LONG_BODY = """\
您提出的建议收悉,现答复如下:

## 一、基本情况

情况。

### (一)关于医养结合

- 一、列表里的不算

## 二、**主要**做法 & 回应

做法。

## 三、下一步

计划。
"""
NUMBERED_BODY = """\
您提出的建议收悉,现答复如下:

一、加强领导。我局成立了工作专班,统筹推进。

二、完善政策

三、强化保障：落实资金

> 四、引文里的不算

感谢您的关心。
"""


def test_headings_are_the_sections_with_ids_and_titles() -> None:
    from builder.markup import render_body

    html, _ = render_body(LONG_BODY, Path("r.md"), 1)
    body = reply_body(html)
    assert [(s.id, s.title) for s in body.contents] == [
        ("sec-1", "一、基本情况"),
        ("sec-2", "二、主要做法 & 回应"),
        ("sec-3", "三、下一步"),
    ]
    assert '<h2 id="sec-2">二、<strong>主要</strong>做法 &amp; 回应</h2>' in body.html
    assert (
        str(body.html)
        .replace(' id="sec-1"', "")
        .replace(' id="sec-2"', "")
        .replace(' id="sec-3"', "")
        == html
    )  # nothing else changes


def test_without_headings_numbered_paragraphs_are_the_sections() -> None:
    from builder.markup import render_body

    html, _ = render_body(NUMBERED_BODY, Path("r.md"), 1)
    body = reply_body(html)
    assert [(s.id, s.title) for s in body.contents] == [
        ("sec-1", "一、加强领导"),
        ("sec-2", "二、完善政策"),
        ("sec-3", "三、强化保障"),
    ]
    assert '<p id="sec-1">一、加强领导。我局' in body.html
    assert "<p>四、引文里的不算</p>" in body.html


def test_a_reply_of_two_sections_has_ids_but_no_contents() -> None:
    body = reply_body("<h2>一、甲</h2>\n<p>x</p>\n<h2>二、乙</h2>\n")
    assert [s.id for s in body.sections] == ["sec-1", "sec-2"]
    assert body.contents == ()
    assert reply_body("<p>收悉。</p>\n").sections == ()


def test_a_long_reply_has_contents_linking_to_its_sections_and_back_to_top(
    archive: Path, write_reply: WriteReply
) -> None:
    page = reply_page(archive, write_reply, LONG_BODY)
    nav = page[page.index('<nav class="reply-toc" aria-label="目录"') :]
    nav = nav[: nav.index("</nav>")]
    links = re.findall(r'<a href="#(sec-\d)">([^<]*)</a>', nav)
    assert links == [
        ("sec-1", "一、基本情况"),
        ("sec-2", "二、主要做法 &amp; 回应"),
        ("sec-3", "三、下一步"),
    ]
    for target, _ in links:
        assert page.count(f'id="{target}"') == 1
    assert page.index('<nav class="reply-toc"') < page.index('<div class="reply-text">')
    assert '<p class="back-to-top" data-pagefind-ignore><a href="#top">返回顶部</a></p>' in page
    assert 'id="top"' in page


def test_a_short_reply_has_no_contents(archive: Path, write_reply: WriteReply) -> None:
    page = reply_page(archive, write_reply, "## 一、基本情况\n\n正文。\n")
    assert "reply-toc" not in page and "返回顶部" not in page
    assert '<h2 id="sec-1">一、基本情况</h2>' in page


def test_a_table_in_a_reply_is_a_table_in_a_box_that_keys_can_scroll(
    archive: Path, write_reply: WriteReply
) -> None:
    body = "现答复如下：\n\n| 项目 | 2024年 |\n|---|--:|\n| 投入（万元） | 180 |\n\n| a |\n|---|\n"
    page = reply_page(archive, write_reply, body)
    text = page[page.index('<div class="reply-text">') :]
    assert text.count(TABLE_BOX + "<table>\n<thead>\n<tr>\n<th>项目</th>") == 1
    assert '<td style="text-align:right">180</td>\n</tr>\n</tbody>\n</table></div>' in text
    assert text.count(TABLE_BOX) == 2 and text.count("</table></div>") == 2


def test_table_tags_written_as_text_stay_text() -> None:
    from builder.markup import render_body

    html, _ = render_body("<table>\n\n正文 | </table>\n", Path("r.md"), 1)
    assert "&lt;table&gt;" in html and reply_body(html).html == html
