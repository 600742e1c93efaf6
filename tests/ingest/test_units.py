"""The importer's parts, one table per noun: decoding, fields, dates, titles, addressees,
places, chrome, the trailer, the HTML reader and the Markdown body."""

from __future__ import annotations

import codecs
import random
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from builder.ingest.addressees import Addressee, is_opening, parse_addressee
from builder.ingest.body import block, escape_paragraph, heading_level, to_markdown
from builder.ingest.chrome import is_chrome
from builder.ingest.dates import chinese_number, first_moment, whole_date
from builder.ingest.decoding import Undecodable, decode
from builder.ingest.fields import Field, find_fields, normalise_label, parse_fields
from builder.ingest.html import read_html
from builder.ingest.page import Line, Page, text_lines
from builder.ingest.places import complete_bureau, region_of
from builder.ingest.reply import ImportedReply, extract_reply
from builder.ingest.titles import PROPOSAL, SUGGESTION, TitleParts, parse_title
from builder.ingest.trailer import outcome_in, outcome_mark, outcome_of_value, split_trailer
from builder.ingest.writer import front_matter, render, slug_of

TEXT = "标题：对市十届人大五次会议第HN-35号建议的答复\n陈可才代表：\n您提出的建议收悉。\n"

# --- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("gbk"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-bom", "crlf", "cr-gb18030"],
)
def test_decode_reads_every_encoding_pages_are_saved_in(data: bytes) -> None:
    assert decode(data) == TEXT


def test_decode_reads_characters_only_gb18030_has() -> None:
    assert decode("刘䶮代表：".encode("gb18030")) == "刘䶮代表："


def test_decode_trusts_a_declared_charset_after_utf8() -> None:
    page = '<meta charset="big5"><p>答覆</p>'
    assert decode(page.encode("big5")) == page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"\x81\x30\xff\xfe\x80 not text", "neither UTF-8 nor GB18030"),
    ],
)
def test_decode_says_why_it_cannot_read(data: bytes, reason: str) -> None:
    result = decode(data)
    assert isinstance(result, Undecodable)
    assert reason in result.reason


def _random_cases(count: int = 300) -> list[random.Random]:
    """Seeded generators: the same "random" cases on every run, so a failure repeats."""
    return [random.Random(seed) for seed in range(count)]


def test_decode_never_raises() -> None:
    for rng in _random_cases():
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
        decode(data)


# --- fields ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "索引号",
        "索 引 号",
        "索\u00a0\u00a0引\u00a0\u00a0号",
        "索\u2002引\u2002号",
        "索\u2003\u2003引号",
        "索\u3000引\u3000号",
        "索引号：",
        "索引号:",
    ],
)
def test_labels_lose_inner_whitespace_and_colons(label: str) -> None:
    assert normalise_label(label) == "索引号"


def test_several_fields_on_one_line_with_odd_spaces() -> None:
    line = Line("索\u00a0\u00a0引\u00a0\u00a0号: 111/2025-04037 发文字号: 乌民复〔2025〕20号", 4)
    prefix, fields = find_fields(line)
    assert prefix == ""
    assert fields == [
        Field("index_number", "索引号", "111/2025-04037", 4),
        Field("doc_number", "发文字号", "乌民复〔2025〕20号", 4),
    ]


def test_label_variants_map_to_one_key() -> None:
    line = Line(
        "发布机构：潜江市民政局　发文日期：2025年07月07日 14:45:00　文\u2003\u2003号：无　"
        "效力状态：有效　主题分类：其他　发布日期：2025-07-07",
        1,
    )
    found = {f.key: f.value for f in find_fields(line)[1]}
    assert found == {
        "bureau": "潜江市民政局",
        "written": "2025年07月07日 14:45:00",
        "doc_number": "无",
        "status": "有效",
        "subject": "其他",
        "published": "2025-07-07",
    }


def test_an_empty_field_ends_at_the_next_label() -> None:
    line = Line("成文日期: 2025-06-20 00:00:00 废止日期: 有效性: 有效", 7)
    found = [(f.label, f.value) for f in find_fields(line)[1]]
    assert found == [("成文日期", "2025-06-20 00:00:00"), ("废止日期", ""), ("有效性", "有效")]


def test_the_longest_label_wins() -> None:
    found = find_fields(Line("发文字号：乌民复〔2025〕20号 联系电话：8992056", 1))[1]
    assert [(f.key, f.label) for f in found] == [
        ("doc_number", "发文字号"),
        ("contact", "联系电话"),
    ]


def test_a_lone_label_takes_the_next_line_as_its_value() -> None:
    lines = [Line("索引号：", 1), Line("111/2025-04037", 2), Line("有效性：有效", 3)]
    assert [(f.key, f.value) for f in parse_fields(lines)] == [
        ("index_number", "111/2025-04037"),
        ("status", "有效"),
    ]


def test_an_unknown_label_never_runs_into_the_value_before_it() -> None:
    line = Line("索引号：111/2025 公开类别：主动公开 发布机构：乌海市民政局", 1)
    assert [(f.key, f.label, f.value) for f in find_fields(line)[1]] == [
        ("index_number", "索引号", "111/2025"),
        ("?", "公开类别", "主动公开"),
        ("bureau", "发布机构", "乌海市民政局"),
    ]


def test_a_sentence_with_a_colon_is_not_a_field() -> None:
    assert find_fields(Line("完善规划,匹配供需:采纳建议。", 1))[1] == []


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-06-20", date(2025, 6, 20)),
        ("2025-06-20 00:00:00", datetime(2025, 6, 20)),
        ("2025-08-04 12:43:38", datetime(2025, 8, 4, 12, 43, 38)),
        ("2025-07-07 14:40", datetime(2025, 7, 7, 14, 40)),
        ("2025年07月07日 14:40:00", datetime(2025, 7, 7, 14, 40)),
        ("2025年6月20日", date(2025, 6, 20)),
        ("2025/6/20", date(2025, 6, 20)),
        ("2025.06.20", date(2025, 6, 20)),
        ("２０２５年６月２０日", date(2025, 6, 20)),
        ("二〇二五年六月二十日", date(2025, 6, 20)),
        ("二○二五年十二月三十一日", date(2025, 12, 31)),
        ("二O二四年十月一日", date(2024, 10, 1)),
        ("二〇二五年二月廿八日", date(2025, 2, 28)),
        ("发布时间：2025-08-04 12:43:38 作者：", datetime(2025, 8, 4, 12, 43, 38)),
        ("2025-02-30", None),
        ("2019-2024年", None),
        ("11150300011554455T/2025-04037", None),
        ("二〇二五年十三月一日", None),
        ("无", None),
    ],
)
def test_dates_as_pages_write_them(text: str, moment: date | None) -> None:
    assert first_moment(text) == moment


def test_a_signature_date_is_a_date_and_nothing_else() -> None:
    assert whole_date("2025年6月20日") == date(2025, 6, 20)
    assert whole_date("二〇二五年六月二十日") == date(2025, 6, 20)
    assert whole_date("截至2025年6月20日,已完成") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("三十一", 31),
        ("十十", None),
    ],
)
def test_chinese_numbers(text: str, number: int | None) -> None:
    assert chinese_number(text) == number


# --- titles, addressees, places ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        (
            "对市十届人大五次会议第HN-35号建议的答复",
            TitleParts(SUGGESTION, "市十届人大五次会议", "HN-35"),
        ),
        (
            "关于对市政协九届四次会议第150号提案的答复",
            TitleParts(PROPOSAL, "市政协九届四次会议", "150"),
        ),
        (
            "关于政协潜江市第九届委员会第四次会议第88号提案的答复",
            TitleParts(PROPOSAL, "政协潜江市第九届委员会第四次会议", "88"),
        ),
        ("对第0012号代表建议的答复", TitleParts(SUGGESTION, None, "0012")),
        ("关于加快农村公路养护的建议的答复", TitleParts(SUGGESTION)),
        ("关于某某工作的情况说明", TitleParts()),
    ],
)
def test_title_parts(title: str, parts: TitleParts) -> None:
    assert parse_title(title) == parts


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        ("陈可才、刘治平代表:", Addressee(("陈可才", "刘治平"), "代表", None, 9)),
        ("马良委员:", Addressee(("马良",), "委员", None, 9)),
        ("尊敬的马良委员：", Addressee(("马良",), "委员", None, 9)),
        ("王建国、李秀英等5名代表：", Addressee(("王建国", "李秀英"), "代表", 5, 9)),
        ("王建国等五位代表：", Addressee(("王建国",), "代表", 5, 9)),
        ("陈可才代表、刘治平代表：", Addressee(("陈可才", "刘治平"), "代表", None, 9)),
        ("完善规划,匹配供需:", None),
        ("附件：", None),
    ],
)
def test_addressees(text: str, addressee: Addressee | None) -> None:
    assert parse_addressee(text, 9, before_opening=False) == addressee


def test_an_addressee_without_a_role_needs_the_opening_next() -> None:
    assert parse_addressee("民盟潜江市委员会：", 3, before_opening=False) is None
    assert parse_addressee("民盟潜江市委员会：", 3, before_opening=True) == Addressee(
        ("民盟潜江市委员会",), None, None, 3
    )


def test_openings() -> None:
    assert is_opening("您们提出的《关于…的建议》收悉,现答复如下:")
    assert is_opening("你们在市十届人大五次会议上提出的建议收悉。")
    assert not is_opening("您在建议中提及的养老服务相关情况与我市实际相符。" * 3)


@pytest.mark.parametrize(
    ("bureau", "region"),
    [
        ("乌海市民政局", "乌海市"),
        ("杭州市民政局", "杭州市"),
        ("湖北省潜江市民政局", "潜江市"),
        ("鄂托克旗教育体育局", "鄂托克旗"),
        ("阿拉善盟民政局", "阿拉善盟"),
        ("沛县民政局", "沛县"),
        ("内蒙古自治区民政厅", "内蒙古自治区"),
        ("民政局", None),
        ("市民政局", None),
    ],
)
def test_regions(bureau: str, region: str | None) -> None:
    assert region_of(bureau) == region


def test_a_bureau_is_completed_only_by_a_name_that_ends_with_it() -> None:
    assert complete_bureau("民政局", ["乌海市民政局"]) == "乌海市民政局"
    assert complete_bureau("市民政局", ["乌海市民政局"]) == "乌海市民政局"
    assert complete_bureau("民政局", ["乌海市人民政府"]) is None


# --- chrome and the trailer --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "无障碍",
        "上一条:",
        "下一条：关于对市十届人大五次会议第HN-36号建议的答复",
        "扫一扫在手机上查看当前页面",
        "我要纠错 关闭窗口",
        "【打印】【关闭】",
        "【字体：大 中 小】【打印】【关闭】",
        "浏览次数:",
        "浏览次数：128",
        "附件:",
        "字号：大 中 小",
        "分享到：微信 微博",
    ],
)
def test_chrome(text: str) -> None:
    assert is_chrome(text)


@pytest.mark.parametrize(
    "text",
    [
        "附件：1.潜江市养老服务设施名单",
        "上一条例的修订工作已于去年完成。",
        "乌海市民政局",
        "打印机已配备。",
    ],
)
def test_not_chrome(text: str) -> None:
    assert not is_chrome(text)


def _lines(*texts: str) -> list[Line]:
    return [Line(text, number) for number, text in enumerate(texts, 1)]


def test_the_trailer_holds_the_signature_its_date_and_the_contacts() -> None:
    trailer = split_trailer(
        _lines(
            "正文。" * 30,
            "再次感谢。",
            "乌海市民政局",
            "2025年6月20日",
            "分管领导:张哲恒",
            "联系人:吴棣",
            "电\u00a0\u00a0话:8992056",
        )
    )
    assert [line.text for line in trailer.text] == ["正文。" * 30, "再次感谢。"]
    assert trailer.signature is not None
    assert trailer.signature.names == ("乌海市民政局",)
    assert trailer.signature.signed == date(2025, 6, 20)
    assert [(f.label, f.value) for f in trailer.contacts] == [
        ("分管领导", "张哲恒"),
        ("联系人", "吴棣"),
        ("电话", "8992056"),
    ]


def test_a_joint_signature_and_contacts_in_brackets() -> None:
    trailer = split_trailer(
        _lines(
            "正文。",
            "潜江市民政局",
            "潜江市财政局",
            "二〇二五年六月二十日",
            "（联系人：李明，电话：0728-6234567）",
            "（A类）",
        )
    )
    assert trailer.signature is not None
    assert trailer.signature.names == ("潜江市民政局", "潜江市财政局")
    assert trailer.signature.signed == date(2025, 6, 20)
    assert [(f.label, f.value) for f in trailer.contacts] == [
        ("联系人", "李明"),
        ("电话", "0728-6234567"),
    ]
    assert trailer.outcome is not None and trailer.outcome.code == "A"


def test_without_a_signature_the_text_runs_to_the_end() -> None:
    trailer = split_trailer(_lines("您提出的建议收悉。", "感谢您对民政工作的理解和支持。"))
    assert trailer.signature is None
    assert len(trailer.text) == 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A类", "A"),
        ("（A类）", "A"),
        ("此件A类", "A"),
        ("B", "B"),
        ("办理结果：C类", "C"),
        ("A类地区", None),
    ],
)
def test_outcome_marks(text: str, code: str | None) -> None:
    assert outcome_mark(text) == code


def test_outcomes_in_text_and_values() -> None:
    assert outcome_in("特此答复。（此件为B类，同意公开）") == "B"
    assert outcome_in("全市有A类地区3个。") is None
    assert outcome_of_value("A类（已解决或基本解决）") == "A"
    assert outcome_of_value("已解决或基本解决") == "A"
    assert outcome_of_value("留作参考") == "D"


# --- HTML --------------------------------------------------------------------------------------


def _html_lines(page: str) -> list[str]:
    return [line.text for line in read_html(page)[0]]


def test_html_drops_navigation_scripts_and_hidden_parts() -> None:
    page = """<html><head><title>x</title><script>var a = "首页";</script></head><body>
    <nav><a href="/">首页</a></nav><div class="breadcrumb">当前位置：首页</div>
    <div id="content"><p>您提出的建议收悉，现答复如下：我们高度重视。</p>
    <p style="display: none">隐藏</p><p hidden>也隐藏</p></div>
    <footer>版权所有</footer></body></html>"""
    assert _html_lines(page) == ["您提出的建议收悉，现答复如下：我们高度重视。"]


def test_html_table_rows_of_labels_become_field_lines() -> None:
    page = """<table><tr><th>索 引 号</th><td>111/2025-00356</td><th>文号：</th><td></td></tr>
    <tr><td>发布机构</td><td>鄂尔多斯市林业和草原局</td></tr></table>
    <div><p>您提出的提案收悉，现答复如下：我们高度重视，认真研究办理。</p></div>"""
    lines = _html_lines(page)
    assert lines[:2] == ["索引号： 111/2025-00356 文号：", "发布机构： 鄂尔多斯市林业和草原局"]


def test_html_data_tables_keep_their_cells() -> None:
    page = "<div><p>情况如下：</p><table><tr><td>海勃湾区</td><td>31</td></tr></table></div>"
    assert _html_lines(page) == ["情况如下：", "海勃湾区 | 31"]


def test_html_tables_of_data_become_markdown_tables_with_every_cell() -> None:
    page = """<div><p>情况如下：</p><table><tr><th>区</th><th>数量|部</th><th></th></tr>
    <tr><td>海勃湾区</td><td>*31*</td></tr><tr><td>乌达区</td><td>15</td><td>在建</td></tr>
    </table><table><tr><td>甲</td><td>1</td></tr><tr><td>乙</td><td>2</td></tr></table></div>"""
    lines = read_html(page)[0]
    assert to_markdown(lines) == (
        "情况如下：\n\n| 区 | 数量\\|部 |  |\n| --- | --- | --- |\n| 海勃湾区 | \\*31\\* |  |\n"
        "| 乌达区 | 15 | 在建 |\n\n| 甲 | 1 |\n| --- | --- |\n| 乙 | 2 |\n"
    )


def test_html_tables_of_labels_or_of_long_cells_stay_lines() -> None:
    fields = "<table><tr><td>发布机构</td><td>民政局</td></tr><tr><td>区</td><td>1</td></tr>"
    cells = "<table><tr><td><p>一</p><p>二</p></td></tr><tr><td>三</td></tr></table>"
    for page in (fields, cells, "<table><tr><td>独行</td><td>1</td></tr></table>"):
        assert "---" not in to_markdown(read_html(page)[0]), page


def test_html_paragraphs_break_at_br_and_unclosed_p() -> None:
    page = "<div>周敏委员：<br>　　您提出的提案收悉。<br>一、基本情况<p>第一段<p>第二段</div>"
    assert _html_lines(page) == [
        "周敏委员：",
        "您提出的提案收悉。",
        "一、基本情况",
        "第一段",
        "第二段",
    ]


def test_html_head_gives_title_date_source_and_address() -> None:
    page = """<!-- saved from url=(0030)https://example.gov.cn/a.html -->
    <html><head><title>对第1号建议的答复_某市人民政府</title>
    <meta name="PubDate" content="2025-08-01 09:05">
    <meta name="ContentSource" content="某市民政局"></head><body><p>正文</p></body></html>"""
    assert [line.text for line in read_html(page)[1]] == [
        "标题：对第1号建议的答复",
        "发布日期：2025-08-01 09:05",
        "来源：某市民政局",
        "网址：https://example.gov.cn/a.html",
    ]


def test_html_keeps_a_signature_just_after_the_article() -> None:
    page = """<body><div class="main"><div id="zoom"><p>您提出的建议收悉，现答复如下：</p>
    <p>我们高度重视这一问题，已经开展专题调研，并将持续推进相关工作落实落地。</p></div>
    <div class="sign">乌海市民政局<br>2025年6月20日</div>
    <div class="links">上一篇：<a href="#">对第34号建议的答复（一个很长的链接标题）</a></div>
    </div></body>"""
    lines = _html_lines(page)
    assert lines[-2:] == ["乌海市民政局", "2025年6月20日"]


_HTML_PIECES = [
    "<p>",
    "</p>",
    "<div class='nav'>",
    "</div>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "<br>",
    "<![if !supportLists]>",
    "<!-- c -->",
    "索引号：",
    "您提出的建议收悉",
    "&nbsp;",
    "<img src=x>",
    "<script>",
    "</script>",
    "<pre>",
    "\n",
    "一、",
    "<li>",
    "<a href=#>",
]


def test_html_reader_never_raises() -> None:
    for rng in _random_cases():
        read_html("".join(rng.choices(_HTML_PIECES, k=rng.randrange(40))))


# --- the Markdown body -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、基本情况", 2),
        ("十二、其他", 2),
        ("(一)针对养老服务供需矛盾问题", 3),
        ("（三）针对多方合力赋能,提升产业服务能力问题", 3),
        ("一、基本情况。我市现有养老机构12家,床位3000张。", None),
        ("1.对街道(乡镇)养老服务综合体的投入。", None),
        ("一、" + "很长的段落" * 20, None),
    ],
)
def test_headings(text: str, level: int | None) -> None:
    assert heading_level(text) == level


_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def _rendered_text(markdown: str) -> tuple[list[str], str]:
    tokens = _MARKDOWN.parse(markdown)
    inline = [t for t in tokens if t.type == "inline"]
    children = [c for t in inline for c in (t.children or [])]
    return [t.type for t in tokens], "".join(c.content for c in children if c.type == "text")


@pytest.mark.parametrize(
    "text",
    [
        "1. 拓展服务内容。",
        "1.对街道(乡镇)养老服务综合体的投入。",
        "- 一项",
        "* 一项",
        "# 3号楼",
        "> 引文",
        "---",
        "```",
        "[注]: 见附件",
        "潜财综[2022]30号",
        "详见[附件](javascript:alert(1))",
        "a_b_c *强调* `代码` \\ 结尾\\",
        "<script>alert(1)</script>",
        "&amp; &#12288;",
        "完善“1+3 +N”智慧养老服务体系",
    ],
)
def test_a_paragraph_shows_exactly_its_text(text: str) -> None:
    kinds, shown = _rendered_text(escape_paragraph(text))
    assert kinds == ["paragraph_open", "inline", "paragraph_close"]
    assert shown == text


_MARKDOWN_CHARACTERS = "#*_-+>`~[]()!<>&;:=|\\.)1 aA中、。"


def test_no_paragraph_turns_into_markdown_syntax() -> None:
    for rng in _random_cases(1000):
        text = "".join(rng.choices(_MARKDOWN_CHARACTERS, k=rng.randrange(1, 30))).strip()
        if not text:
            continue
        kinds, shown = _rendered_text(escape_paragraph(text))
        assert (kinds, shown) == (["paragraph_open", "inline", "paragraph_close"], text), text


def test_headings_render_as_headings_with_their_text() -> None:
    markdown = block(Line("（一）针对*养老*服务 #", 1))
    assert markdown.startswith("### ")
    kinds, shown = _rendered_text(markdown)
    assert kinds == ["heading_open", "inline", "heading_close"]
    assert shown == "（一）针对*养老*服务 #"


def test_body_is_blocks_separated_by_blank_lines() -> None:
    body = to_markdown([Line("您提出的建议收悉。", 1), Line("一、基本情况", 2), Line("正文。", 3)])
    assert body == "您提出的建议收悉。\n\n## 一、基本情况\n\n正文。\n"


# --- a whole page ------------------------------------------------------------------------------


def _extract(text: str) -> tuple[ImportedReply | None, list[str]]:
    reply, problems = extract_reply(Page(Path("page.txt"), text_lines(text)))
    return reply, [p.message for p in problems]


def test_a_salutation_running_into_the_opening() -> None:
    reply, _ = _extract(
        "关于对市政协九届四次会议第150号提案的答复\n发布日期：2025-07-07\n"
        "马良委员：您提出的《关于社区养老的提案》收悉，现答复如下：\n正文。\n潜江市民政局\n"
        "2025年7月1日\n"
    )
    assert reply is not None
    assert (reply.proposers, reply.proposer_role) == (("马良",), "委员")
    assert reply.body == "您提出的《关于社区养老的提案》收悉，现答复如下：\n\n正文。\n"


def test_a_text_page_ends_before_the_site_footer_and_related_links() -> None:
    reply, _ = _extract(
        "对市十届人大五次会议第HN-35号建议的答复\n发布日期：2025-08-04\n陈可才代表：\n"
        "您提出的《关于养老的建议》收悉，现答复如下：\n正文。\n乌海市民政局\n2025年6月20日\n"
        "相关链接\n对市十届人大五次会议第HN-36号建议的答复\n"
        "主办单位：乌海市人民政府办公室 承办单位：乌海市大数据中心\n"
        "版权所有：乌海市人民政府 蒙ICP备05001234号 网站标识码：1503000001\n"
    )
    assert reply is not None
    assert reply.body == "您提出的《关于养老的建议》收悉，现答复如下：\n\n正文。\n"
    assert reply.bureau == "乌海市民政局"


def test_a_site_footer_never_names_the_bureau() -> None:
    reply, said = _extract(
        "对市十届人大五次会议第HN-35号建议的答复\n发布日期：2025-08-04\n陈可才代表：\n"
        "您提出的建议收悉，现答复如下：\n正文。\n"
        "承办单位：乌海市大数据中心\n"
    )
    assert reply is not None and reply.bureau is None and reply.draft
    assert (
        "bureau not found: no 发文机构 / 承办单位, no signature and no 来源; written as a draft"
        in said
    )


def test_an_unknown_header_field_is_reported() -> None:
    reply, said = _extract(
        "标题：对第1号建议的答复\n发布机构：乌海市民政局 公开类别：主动公开 发布日期：2025-08-04\n"
        "陈可才代表：\n您提出的建议收悉。\n"
    )
    assert reply is not None and reply.bureau == "乌海市民政局"
    assert "公开类别: not a field this importer knows; left out: 主动公开" in said


def test_two_dates_that_disagree_are_reported() -> None:
    reply, said = _extract(
        "标题：对第1号建议的答复\n发布机构：乌海市民政局 公开日期：2025-08-04 12:43:38\n"
        "发布时间：2025-08-05\n陈可才代表：\n您提出的建议收悉。\n"
    )
    assert reply is not None and reply.published == datetime(2025, 8, 4, 12, 43, 38)
    assert (
        "published: 发布时间 says 2025-08-05, but 公开日期 on line 2 says 2025-08-04 12:43:38; "
        "the first is used" in said
    )


def test_a_published_date_without_time_takes_the_time_another_field_gives() -> None:
    reply, said = _extract(
        "标题：对第1号建议的答复\n发布机构：乌海市民政局 发布日期：2025-08-04\n"
        "公开时间：2025-08-04 12:43\n陈可才代表：\n您提出的建议收悉。\n"
    )
    assert reply is not None and reply.published == datetime(2025, 8, 4, 12, 43)
    assert not any(m.startswith("published:") for m in said)


def test_a_picture_saved_beside_the_page_is_reported_not_guessed() -> None:
    page = Page(
        Path("page.html"),
        (
            Line("标题：对第1号建议的答复 发布机构：乌海市民政局 发布日期：2025-08-04", 1),
            Line("陈可才代表：", 2),
            Line("您提出的建议收悉。", 3),
            Line("现场照片", 4, image="./page_files/a.jpg"),
            Line("示意图", 5, image="https://www.wuhai.gov.cn/a/b.png"),
        ),
        meta=(Line("网址：https://www.wuhai.gov.cn/a/page.html", 1),),
    )
    reply, problems = extract_reply(page)
    assert reply is not None
    assert reply.body == "您提出的建议收悉。\n\n![示意图](<https://www.wuhai.gov.cn/a/b.png>)\n"
    assert any("a picture is left out: ./page_files/a.jpg" in p.message for p in problems)


_FRAGMENTS = [
    "标题：对市十届人大五次会议第HN-35号建议的答复",
    "发文机构: 民政局 信息分类: 建议提案",
    "公开日期: 2025-08-04 12:43:38",
    "来源:乌海市民政局",
    "陈可才、刘治平代表:",
    "马良委员：您提出的《关于…》收悉",
    "您们提出的《关于对加快完善我市多元化养老服务体系的建议》收悉,现答复如下:",
    "一、基本情况",
    "(一)针对养老服务供需矛盾问题",
    "正文" * 40,
    "1. 列表",
    "乌海市民政局",
    "2025年6月20日",
    "二〇二五年六月二十日",
    "分管领导:张哲恒",
    "电\u00a0\u00a0话:8992056",
    "（A类）",
    "上一条:",
    "附件:",
    "相关链接",
    "《",
    "：",
    "",
]


def test_extraction_never_raises() -> None:
    for rng in _random_cases():
        texts = rng.choices(_FRAGMENTS, k=rng.randrange(25))
        lines = tuple(Line(t, n) for n, t in enumerate(texts, 1) if t.strip())
        extract_reply(Page(Path("page.txt"), lines))


# --- the content file --------------------------------------------------------------------------


def _reply(**values: object) -> ImportedReply:
    base: dict[str, object] = {
        "source": Path("page.txt"),
        "title": "关于对市政协九届四次会议第150号提案的答复",
        "kind": PROPOSAL,
        "bureau": "潜江市民政局",
        "published": datetime(2025, 7, 7, 14, 40),
        "region": "潜江市",
        "body": "正文。\n",
    }
    return ImportedReply(**{**base, **values})  # type: ignore[arg-type]


def test_slugs() -> None:
    assert slug_of(_reply(number="150")) == "qianjiangshi-2025-tian-150"
    assert slug_of(_reply(kind=SUGGESTION, number="HN-35")) == "qianjiangshi-2025-jianyi-hn-35"
    unnumbered = slug_of(_reply())
    assert unnumbered.startswith("qianjiangshi-2025-") and len(unnumbered) == 26
    assert slug_of(_reply(bureau="民政局", region=None)).startswith("minzhengju-2025-")


def test_region_is_written_only_where_the_site_would_derive_another() -> None:
    assert "region" not in front_matter(_reply())
    assert "region" not in front_matter(_reply(bureau="杭州市民政局", region="杭州市"))
    found_elsewhere = _reply(bureau="市民政局", region="乌海市")
    assert front_matter(found_elsewhere)["region"] == "乌海市"


def test_the_front_matter_reads_back_as_written() -> None:
    reply = _reply(
        number="150",
        written=date(2025, 7, 7),
        proposers=("马良",),
        contacts=(("电话", "8992056"), ("联系电话", "0728-6234567")),
    )
    text = render(reply)
    assert "&id" not in text and "*id" not in text
    values = yaml.safe_load(text.split("---\n")[1])
    assert values == {
        "title": "关于对市政协九届四次会议第150号提案的答复",
        "kind": "proposal",
        "bureau": "潜江市民政局",
        "published": datetime(2025, 7, 7, 14, 40),
        "number": "150",
        "proposers": ["马良"],
        "written": date(2025, 7, 7),
        "contacts": {"电话": "8992056", "联系电话": "0728-6234567"},
    }
    assert text.endswith("---\n\n正文。\n")
