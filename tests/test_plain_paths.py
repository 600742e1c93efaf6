"""The quick readers of plain bodies and plain front matter agree with the libraries.

`markup` turns a body of plain paragraphs and headings into HTML itself, and `model_yaml`
reads `key: value` front matter itself; anything else goes to markdown-it and PyYAML.
Generated documents, mixing what is plain with what is not, are read both ways.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

from builder.markup import _parser, _plain_html, render_body
from builder.model_yaml import _plain_front_matter, parse_front_matter
from builder.sources import Source

TEXT = ["答复", "一、", "（一）", "x", "a b", '"引"', "'s'", "%", "+", "-", "=", "~", ":", "(", ")"]
TEXT += ["《》", "…", "2020年", "1.5万", "[2015]", "[x]", "]", "[", "/", "?", "$", "{", "|"]
ODD = ["　", "\xa0", "\u2003", "\u200b", "\u2028", "\x0b", "\x85", "😀", "\\", "*", "_", "<"]
ODD += [">", "&", "&amp;", "!", "![", "`", "#", "](", "[a](b)", "[a]: b", "<http://a.b>", "\t"]
STARTS = ["", "", "", "## ", "### ", "###### ", "#", "# ", "####### ", "##", " ", "    "]
STARTS += ["+ ", "- ", "* ", "= ", "===", "---", "~~~", "```", "1. ", "1) ", "> ", "[", "[a]: "]
ENDS = ["", "", "", "", " ", "  ", "　", "#", " ##", "\\"]


def _body(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.2:
            lines.append("")
            continue
        pieces = TEXT if rng.random() < 0.7 else TEXT + ODD
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        lines.append(rng.choice(STARTS) + text + rng.choice(ENDS))
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


@pytest.mark.slow
def test_plain_bodies_render_as_markdown_it_renders_them() -> None:
    rng, parser, plain = random.Random(1), _parser(), 0
    for _ in range(20000):
        body = _body(rng)
        html = _plain_html(body)
        if html is not None:
            assert html == parser.render(body), repr(body)
            plain += 1
    assert plain > 500


def test_bodies_as_replies_are_written_take_the_quick_way() -> None:
    body = "您提出的《关于……的建议》收悉，现答复如下：\n\n## 一、基本情况\n\n### （一）进展\n\n"
    body += "截至2025年，全市（含[2015]30号文件）共建成助餐点32个，\n覆盖率达95.5%。\n"
    assert _plain_html(body) is not None
    assert render_body(body, Path("x.md"), 5) == (_parser().render(body), [])


def test_what_needs_markdown_it_goes_to_it() -> None:
    for body in ["# 标题", "![图](https://a.b/c.png)", "a  \nb", "R&D", "`x`", "> 引", "[a]: b"]:
        assert _plain_html(body) is None, body
    for body in ["a\n- b", "- a\n* b", "a**。b**", "*a **b***", "[a](javascript:x)", "[a]: <b>"]:
        assert _plain_html(body) is None, body


def test_lists_emphasis_links_and_indents_take_the_quick_way() -> None:
    bodies = ["[《通知》](https://a.gov.example/x.html)要求", "\u3000\u3000缩进", "- 一\n- 二"]
    bodies += ["3. 三\n4. 四", "1) 一\n\n2) 二", "**一、基本情况**", "（*注：截至年底*）"]
    bodies += ["潜财综[2022]30号和【鄂〔2021〕5号】", "## 标题 ##", "| 项目 | 2022年 |\n|---|---|"]
    for body in bodies:
        html = _plain_html(body)
        assert html is not None, body
        assert html == _parser().render(body), body


# Bodies as people write them: the blocks and inline forms the quick path takes, each
# also slightly off (a space, a marker, a bracket), so that both sides of every rule meet.
WORDS = ["答复", "一、", "（一）", "x", "工作", "2022年", "95.5%", "《通知》", "“家庭”", "a b"]
WORDS += ["、", "，", "。", "：", "（", "）"]
WORDS += ["〔", "〕", "【", "】", "[2022]", "30号", "'s'", '"q"', "/"]
INLINE = ["**重点**", "*注*", "**一、情况**", "**。**", "** a**", "*a *", "**a**b", "***a***"]
INLINE += ["[《办法》](https://a.gov.example/b.html)", "[a](b)", "[](x)", "[a]()", "[ a](b)"]
INLINE += ["[a](b c)", "[a](<b>)", '[a]("b")', "[a](b)(c)", "[a][b]", "[x]", "[x](", "]", "["]
INLINE += ["[a](http://例.cn/路)", "[a](javascript:x)", "[a](HTTPS://A.B/%41)", "*", "**"]
INLINE += ["[**a**](b)", "**[a](b)**", "\u3000", "\xa0", "\u2003", "😀", "~", "=", "+", "|"]
LEADS = ["", "", "", "", "\u3000\u3000", "- ", "* ", "+ ", "1. ", "2. ", "1) ", "10. ", "-  "]
LEADS += ["## ", "### ", "#### ", "# ", " ", "- - ", "- 1. ", "1.", "-", "（1）", "| "]
TAILS = ["", "", "", "", " ##", " #", "#", " ", "\u3000", "。", "|"]


def _written_body(rng: random.Random) -> str:
    blocks = []
    for _ in range(rng.randint(1, 6)):
        lines = []
        lead = rng.choice(LEADS)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            pieces = [rng.choice(INLINE if rng.random() < 0.3 else WORDS) for _ in range(4)]
            lines.append(lead + "".join(pieces[: rng.randint(0, 4)]) + rng.choice(TAILS))
            lead = lead if rng.random() < 0.7 else rng.choice(LEADS)
        blocks.append("\n".join(lines))
    separators = ["\n\n", "\n\n", "\n\n", "\n", "\n\n\n"]
    body = blocks[0]
    for block in blocks[1:]:
        body += rng.choice(separators) + block
    return body + rng.choice(["", "\n", "\n\n"])


@pytest.mark.slow
def test_written_bodies_render_as_markdown_it_renders_them() -> None:
    rng, parser, plain = random.Random(3), _parser(), 0
    for _ in range(30000):
        body = _written_body(rng)
        html = _plain_html(body)
        if html is not None:
            assert html == parser.render(body), repr(body)
            plain += 1
    assert plain > 800


# Tables as replies hold them (figures by year), each part also slightly off: a missing
# pipe, a short or long row, a delimiter markdown-it refuses, a line of text against it.
CELLS = ["项目", "2022年", "95.5%", "", " ", "财政投入（万元）", "**合计**", "*注*", "[a](b)"]
CELLS += ["〔2022〕30号", "[x]", "a b", "　", "\xa0", "-", ":", "---", "#", "1.", "- a", "\\|"]
DELIMITERS = ["---", "---", ":--", "--:", ":-:", " --- ", "-", "", "- -", "==", ":", "::", "-:-"]
EDGES = [("|", "|"), ("|", "|"), ("|", "|"), ("", "|"), ("|", ""), ("", ""), ("| ", " |")]
EDGES += [(" |", "|")]
AROUND = ["", "", "答复如下：", "## 二、投入", "- 一项", "1. 一", "|", "|---|", "**表**", "x | y"]


def _table(rng: random.Random) -> str:
    columns = rng.choice([1, 2, 3, 4, 4])
    left, right = rng.choice(EDGES) if rng.random() < 0.3 else ("|", "|")

    def row(count: int, pieces: list[str]) -> str:
        return left + "|".join(rng.choice(pieces) for _ in range(count)) + right

    lines = [row(columns, CELLS[:3] if rng.random() < 0.5 else CELLS)]
    lines.append(row(columns if rng.random() < 0.9 else columns + 1, DELIMITERS[:5]))
    if rng.random() < 0.2:
        lines[1] = row(columns, DELIMITERS)
    for _ in range(rng.randint(0, 4)):
        lines.append(row(max(0, columns + rng.choice([0, 0, 0, -1, 1, -columns])), CELLS))
    return "\n".join(lines)


def _body_with_tables(rng: random.Random) -> str:
    blocks = []
    for _ in range(rng.randint(1, 4)):
        blocks.append(_table(rng) if rng.random() < 0.6 else rng.choice(AROUND))
    separators = ["\n\n", "\n\n", "\n\n", "\n"]
    body = blocks[0]
    for block in blocks[1:]:
        body += rng.choice(separators) + block
    return body + rng.choice(["", "\n"])


@pytest.mark.slow
def test_tables_render_as_markdown_it_renders_them() -> None:
    rng, parser, plain, tables = random.Random(4), _parser(), 0, 0
    for _ in range(20000):
        body = _body_with_tables(rng)
        html = _plain_html(body)
        if html is not None:
            assert html == parser.render(body), repr(body)
            plain += 1
            tables += "<table>" in html
    assert plain > 3000 and tables > 2000


def test_a_table_of_figures_takes_the_quick_way_and_is_a_table() -> None:
    body = "现将有关情况答复如下：\n\n| 项目 | 2023年 | 2024年 |\n|:---|---:|---:|\n"
    body += "| 财政投入（万元） | 120.5 | 180 |\n| **合计** | 1 |\n\n## 二、下一步工作"
    html = _plain_html(body)
    assert html is not None and html == _parser().render(body)
    assert '<td style="text-align:right">180</td>' in html
    assert '<td style="text-align:right"></td>' in html  # (a short row is padded)


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("benchmarks_generate", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_ordinary_archives_read_the_quick_way_as_the_libraries_read_them(
    generator: ModuleType,
) -> None:
    """benchmarks/generate.py --style ordinary: nearly every body takes the quick path, and
    front matter read the quick way (the direct reader, else libyaml) is PyYAML's."""
    bodies = fronts = 0
    replies = list(generator.iter_replies(1500, seed=5, style="ordinary"))
    for _, text in replies:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
        _, front, body = text.split("---\n", 2)
        html = _plain_html(body)
        if html is not None:
            assert html == _parser().render(body), repr(body)
            bodies += 1
        source = Source(Path("x.md"), front, "", 1)
        values, lines, problems = parse_front_matter(source, False)
        assert problems == [] and "title" in values
        assert repr(parse_front_matter(source)) == repr((values, lines, problems)), repr(front)
        fronts += _plain_front_matter(front) is not None
    assert bodies > 0.9 * len(replies)
    assert fronts > 0.9 * len(replies)


KEYS = ["title", "tags", "contacts", "yes", "null", "Title", "_k", "2k", "k-k"]
LABELS = ["  分管领导", "  电话", "  a b", "  1", "  yes", "   深", "  - a", "  a ", "  ~"]
VALUES = ["", "x", "a b", "a  b", "8992056", "0572", "0572-2577471", "+5", "1_0", "1.5", "~"]
VALUES += ["null", "yes", "No", "2025-08-04", "2025-08-04 12:43:38", "<<", "=", "a: b", "a:b"]
VALUES += ["a:", "a #b", "a#b", "#a", "- a", "-a", "&a", "*a", "!a", "|", ">", "%a", "@a"]
VALUES += ['"a"', '""', '"a\\"b"', "'a'", "'a''b'", '"a" b', "[a, b]", "[a,b]", "[ a , b ]"]
VALUES += ["[]", "[a, , b]", "[a, b,]", "[a, [b]]", "[a:b]", "[a #b]", "[a?b]", "[-a]", "[1, 2]"]
VALUES += ["[~]", "{a: b}", "a\tb", "a\x85b", "a\u2028b", "a\ufeffb", "a\x7fb", "答复", "　全角"]
VALUES += ["全角　", "https://a.b/c#d", "A-B", "a - b", "...", '["a", "b"]', "['a', b]"]
VALUES += ['["a,b"]', '["a"b"]', "['a''b']", '["a\\b"]', '[" a "]', '["[a]"]', "['#']", "[a] #c"]
VALUES += ["# c", "#", '"a #b"', '"a" #b', "'a' # b", "a # b # c", '["a" #b]', "[a, 'b' ]"]
OTHER = ["", "  ", "# c", " # c", "  more", "...", "---", "- x", "%YAML 1.1", "k", "k :v"]
ITEMS = ["- a", "  - a", "- 答复", "- 'a'", '- "b"', "-  a", "- [a]", "- a: b", "- ", "-", "- ~"]
ITEMS += ["    - a", "- - a", "  -a", "- 1", "- yes", "- a #c", "- a # c", "- '", "  - 陈可才"]


def _front_matter(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.1:
            lines.append(rng.choice(OTHER))
            continue
        if rng.random() < 0.25:
            lines.append(rng.choice(ITEMS))
            continue
        key = rng.choice(LABELS if rng.random() < 0.3 else KEYS)
        separator = rng.choice([": ", ": ", ":  ", ":"])
        tail = rng.choice(["", "", " ", "  # c", " #c", "#c", "  # 以正式文件为准"])
        lines.append(key + separator + rng.choice(VALUES) + tail)
    return "\n".join(lines)


@pytest.mark.slow
def test_plain_front_matter_reads_as_pyyaml_reads_it() -> None:
    rng, plain = random.Random(2), 0
    for _ in range(20000):
        text = _front_matter(rng)
        quick = _plain_front_matter(text)
        if quick is not None:
            values, lines, problems = parse_front_matter(Source(Path("x.md"), text, "", 1), False)
            assert problems == [] and repr(quick) == repr((values, lines)), repr(text)
            plain += 1
    assert plain > 300


def test_front_matter_as_the_importer_writes_it_takes_the_quick_way() -> None:
    text = "title: 对第HN-35号建议的答复\nkind: suggestion\npublished: 2025-08-04 12:43:38\n"
    text += "proposers: [陈可才, 刘治平]\ntags: [养老]\ncontacts:\n  联系人: 吴棣\n  电话: 8992056"
    quick = _plain_front_matter(text)
    assert quick is not None
    assert quick[0]["contacts"] == {"联系人": "吴棣", "电话": 8992056}
    assert quick[1]["contacts"] == 7


def test_front_matter_with_tabs_reads_the_same_both_ways() -> None:
    """libyaml takes some tabs that PyYAML's own reader refuses (found by hypothesis)."""
    for front in ["title: \t\n", "title: a\t\n", "title:\t答复\n", "tags:\t[a]\n", "a: 'x\ty'\n"]:
        source = Source(Path("x.md"), front, "", 1)
        quick, general = parse_front_matter(source), parse_front_matter(source, quick=False)
        assert repr(quick) == repr(general), repr(front)


URL_PIECES = ["http://", "https://", "HTTP://", "//", "mailto:", "javascript:", "ftp://"]
URL_PIECES += ["/", "../"]
URL_HOSTS = ["www.gov.example", "a-b.example", "xn--fiq228c.example", "例子.中国", "Gov.Example"]
URL_HOSTS += [
    "a..b",
    "127.0.0.1",
    "[::1]",
    "host:8080",
    "host:99999",
    "user@host",
    "-a.example",
    "",
]
URL_PARTS = ["zwgk", "3527.html", "a b", "%20", "%zz", "中文", "()", "'", "*", "+", ",", ";", "="]
URL_PARTS += ["@", "!", "$", "&", "~", "_", ".", "-", "?q=1", "?a=b&c=d", "#frag", "#", "?", ":"]
URL_PARTS += [
    "\\",
    "|",
    "[",
    "]",
    "{",
    "^",
    "`",
    '"',
    "<",
    "\x7f",
    "é",
    "Ａ",
    "０",
    "A",
    "Z",
    "0",
    "9",
]


def _url(rng: random.Random) -> str:
    url = rng.choice(URL_PIECES + [""])
    if rng.random() < 0.7:
        url += rng.choice(URL_HOSTS)
    for _ in range(rng.randint(0, 5)):
        url += rng.choice(["/", ""]) + rng.choice(URL_PARTS)
    return url


def test_plain_links_are_left_as_markdown_it_leaves_them() -> None:
    from builder.markup import _PLAIN_URL, _normal_link

    rng = random.Random(16)
    urls = [_url(rng) for _ in range(40_000)]
    urls += [f"https://www.gov.example/zwgk/{n}.html" for n in range(100)]
    quick = [url for url in urls if _PLAIN_URL.fullmatch(url)]
    assert len(quick) > 3_000  # (the test means something)
    assert [_normal_link(url) for url in urls] == [_parser().normalizeLink(url) for url in urls]
