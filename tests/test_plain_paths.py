"""The quick readers of plain bodies and plain front matter agree with the libraries.

`markup` turns a body of plain paragraphs and headings into HTML itself, and `model_yaml`
reads `key: value` front matter itself; anything else goes to markdown-it and PyYAML.
Generated documents, mixing what is plain with what is not, are read both ways.
"""

from __future__ import annotations

import random
from pathlib import Path

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
    for body in ["# 标题", "![图](https://a.b/c.png)", "[链接](https://a.b)", "　　缩进", "a  \nb"]:
        assert _plain_html(body) is None, body


KEYS = ["title", "tags", "contacts", "yes", "null", "Title", "_k", "2k", "k-k"]
LABELS = ["  分管领导", "  电话", "  a b", "  1", "  yes", "   深", "  - a", "  a ", "  ~"]
VALUES = ["", "x", "a b", "a  b", "8992056", "0572", "0572-2577471", "+5", "1_0", "1.5", "~"]
VALUES += ["null", "yes", "No", "2025-08-04", "2025-08-04 12:43:38", "<<", "=", "a: b", "a:b"]
VALUES += ["a:", "a #b", "a#b", "#a", "- a", "-a", "&a", "*a", "!a", "|", ">", "%a", "@a"]
VALUES += ['"a"', '""', '"a\\"b"', "'a'", "'a''b'", '"a" b', "[a, b]", "[a,b]", "[ a , b ]"]
VALUES += ["[]", "[a, , b]", "[a, b,]", "[a, [b]]", "[a:b]", "[a #b]", "[a?b]", "[-a]", "[1, 2]"]
VALUES += ["[~]", "{a: b}", "a\tb", "a\x85b", "a\u2028b", "a\ufeffb", "a\x7fb", "答复", "　全角"]
VALUES += ["全角　", "https://a.b/c#d", "A-B", "a - b", "..."]
OTHER = ["", "  ", "# c", " # c", "  more", "...", "---", "- x", "%YAML 1.1", "k", "k :v"]


def _front_matter(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.1:
            lines.append(rng.choice(OTHER))
            continue
        key = rng.choice(LABELS if rng.random() < 0.3 else KEYS)
        separator = rng.choice([": ", ": ", ":  ", ":"])
        lines.append(key + separator + rng.choice(VALUES) + rng.choice(["", "", " ", "  # c"]))
    return "\n".join(lines)


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
