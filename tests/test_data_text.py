"""The downloads' plain text (`data.text_of`) is what an HTML parser reads from the body.

`text_of` strips our renderer's tags with one expression; the reference here is the
standard library's HTML parser, read block by block as the text of a download is defined
(a block split from the next by a blank line, a cell by a tab, a line break kept).
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType

import pytest

from builder import data
from builder.markup import _parser, render_body
from tests.test_plain_paths import _body, _written_body, generator  # noqa: F401 (a fixture)

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol"}
BLOCKS |= {"blockquote", "pre", "div", "dl", "dt", "dd"}


class _Reference(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, text: str) -> None:
        self.parts.append(text)


def reference_text(html: str) -> str:
    parser = _Reference()
    parser.feed(html)
    parser.close()
    joined = "".join(parser.parts)
    return re.sub(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*", "\n\n", joined).strip()


MARKDOWN = [
    "| 项目 | 金额 |\n|---|---:|\n| 助餐 | 1.5万 |\n| <b> & \"x\" | 'y' |",
    "```\n<script>alert(1)</script> &amp; a > b\n```",
    "    缩进代码 <i> &lt;\n",
    "> 引用 **加粗** *强调* `代码 <x>`\n> 第二行  \n> 换行",
    "[链接](https://example.org/?a=1&b=<2>) <https://a.b/c> [空]()",
    "一行末尾两个空格  \n下一行\\\n再下一行",
    "- 一\n  - 二\n    1. 三\n\n- 四",
    "&copy; &#169; &#x4e2d; &notanentity; &amp;lt; & 单独",
    "标题\n===\n\n小标题\n---\n\n***\n\n正文",
    "<div>原始 HTML 被转义</div> <!-- 注释 --> <br>",
    "潜财综[2022]30号 〔2025〕 【一】 （一） 、",
    '![图片](a.png "题")',
]


def test_the_text_of_markdown_constructs_is_the_parsers() -> None:
    parser = _parser()
    for markdown in MARKDOWN:
        html = parser.render(markdown)
        assert data.text_of(html) == reference_text(html), markdown


@pytest.mark.slow
def test_the_text_of_thousands_of_bodies_is_the_parsers() -> None:
    rng, parser = random.Random(11), _parser()
    for index in range(3000):
        body = _body(rng) if index % 2 else _written_body(rng)
        if index % 3 == 0:
            body += "\n\n" + rng.choice(MARKDOWN)
        for html in (parser.render(body), render_body(body, Path("x.md"), 1)[0]):
            assert data.text_of(html) == reference_text(html), repr(body)


@pytest.mark.slow
def test_the_text_of_generated_replies_is_the_parsers(generator: ModuleType) -> None:  # noqa: F811
    for style in ("importer", "ordinary"):
        for _, text in generator.iter_replies(300, seed=7, style=style):
            body = text.removeprefix("\ufeff").replace("\r\n", "\n").split("---\n", 2)[2]
            html = render_body(body, Path("x.md"), 1)[0]
            assert data.text_of(html) == reference_text(html), repr(body)
