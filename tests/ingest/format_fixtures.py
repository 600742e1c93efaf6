"""Saved pages in the formats an editor has, generated from one reply's lines: the same
reply as `.txt`, `.mht` (GBK quoted-printable or UTF-8 base64), `.docx` and `.pdf`, so each
import can be compared with the text import field by field."""

from __future__ import annotations

import functools
import html
import quopri
import re
import tempfile
from email import charset as email_charset
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PATTERNS = Path(__file__).resolve().parents[1] / "fixtures" / "ingest-patterns"


@functools.cache
def small_font() -> str:
    """Noto Sans CJK SC cut down (once a run) to the characters these pages use: a PDF
    with it is made in a few milliseconds, where the whole font costs half a second."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    from builder.ingest.decoding import decode

    texts = [TITLE, *(f"{label}{value}" for label, value in FIELDS), *LETTER]
    for page in sorted(PATTERNS.glob("*.txt")):
        text = decode(page.read_bytes())
        texts.append(text if isinstance(text, str) else "")
    characters = "".join(texts) + "".join(chr(c) for c in range(0x20, 0x7F)) + "\u3000"
    font = TTCollection(str(CJK_FONT), lazy=True).fonts[2]  # SC: simplified Chinese
    subsetter = subset.Subsetter()
    subsetter.populate(text=characters)
    subsetter.subset(font)
    path = Path(tempfile.mkdtemp(prefix="cjk-font-")) / "NotoSansCJKsc-subset.otf"
    font.save(str(path))
    return str(path)


TITLE = "关于市十六届人大二次会议第37号建议的答复"
FIELDS = [
    ("发文机构", "绍兴市柯桥区农业农村局"),
    ("发布日期", "2024-09-12"),
    ("文号", "柯农建〔2024〕15号"),
]
LETTER = [
    "（B类）",
    "张海燕、陈立新代表：",
    "你们提出的《关于加快发展农村电商助力共同富裕的建议》收悉，现答复如下：",
    "一、基本情况",
    "近年来，我局围绕【数字乡村】建设目标，积极推进农村电子商务发展，全区共建成村级电商服务站"
    "126个，培育农产品网销品牌38个，2023年农产品网络零售额达到12.6亿元，同比增长18.3%。",
    "二、下一步工作",
    "（一）完善物流体系。推动快递进村全覆盖，整合邮政、供销和民营快递资源，建设区、镇、村"
    "三级物流配送网络，力争2025年底前实现行政村快递服务站点全覆盖，降低农产品上行成本。",
    "（二）加强人才培训。依托[乡村振兴学院]开展电商实操培训，每年培训农村电商人才500人次以上。",
    "感谢你们对农业农村工作的关心和支持。",
    "绍兴市柯桥区农业农村局",
    "2024年8月30日",
    "联系人：沈建华  联系电话：0575-84123456",
]


def text_lines() -> list[str]:
    fields = "  ".join(f"{label}：{value}" for label, value in FIELDS)
    return [TITLE, fields, *LETTER]


def write_txt(path: Path) -> Path:
    path.write_text("\n".join(text_lines()) + "\n", encoding="utf-8")
    return path


def page_html(charset: str) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{html.escape(value)}</td></tr>"
        for label, value in FIELDS
    )
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in LETTER)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}">'
        f"<title>{TITLE}_柯桥区人民政府</title></head>\n<body>\n"
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a></div>\n'
        f'<div class="article"><h1>{TITLE}</h1>\n<table>{rows}</table>\n{body}</div>\n'
        '<div class="footer">主办单位：柯桥区人民政府办公室 网站标识码：3306210001</div>\n'
        "</body></html>\n"
    )


ADDRESS = "http://www.kq.gov.cn/art/2024/9/12/art_1_37.html"


def write_mht(path: Path, charset: str, transfer: str, *, in_header: bool = True) -> Path:
    """A page as a browser saves it into one file: `multipart/related`, the HTML part in
    `charset` with `transfer` ("quoted-printable" or "base64"), and a picture part. Without
    `in_header` the part's Content-Type names no charset: only the page's `<meta>` does."""
    codec = email_charset.Charset(charset)
    codec.body_encoding = (
        email_charset.QP if transfer == "quoted-printable" else email_charset.BASE64
    )
    message = MIMEMultipart("related", type="text/html")
    message["From"] = "<Saved by Windows Internet Explorer 8>"
    message["Subject"] = TITLE
    message["Content-Location"] = ADDRESS
    part = MIMEText(page_html(charset), "html", codec)  # type: ignore[arg-type]
    part["Content-Location"] = ADDRESS
    if not in_header:
        del part["Content-Type"]
        part["Content-Type"] = "text/html"
    message.attach(part)
    picture = MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(32), "png")
    picture["Content-Location"] = "http://www.kq.gov.cn/images/logo.png"
    message.attach(picture)
    path.write_bytes(message.as_bytes())
    return path


def write_docx(path: Path, *, wide_table: bool = False) -> Path:
    """The reply as a bureau drafts it: the title a heading, the fields a table of
    `label | value` rows, or (`wide_table`) of `label | value | label | value` rows under a
    merged heading cell; the signature's two lines one paragraph with a line break."""
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    if wide_table:
        table = document.add_table(rows=3, cols=4)
        heading = table.cell(0, 0).merge(table.cell(0, 3))
        heading.text = "公开信息"
        for index, (label, value) in enumerate(FIELDS):
            row, column = divmod(index, 2)
            table.cell(row + 1, column * 2).text = label
            table.cell(row + 1, column * 2 + 1).text = value
    else:
        table = document.add_table(rows=0, cols=2)
        for label, value in FIELDS:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    *text, bureau, date, contacts = LETTER
    for line in text:
        document.add_paragraph(line)
    signature = document.add_paragraph(bureau)
    signature.add_run().add_break()
    signature.add_run(date)
    document.add_paragraph(contacts)
    document.save(str(path))
    return path


def write_pdf(path: Path, *, size: int = 12, spacing: float = 8) -> Path:
    """A PDF with a text layer: long paragraphs wrap onto several lines, as printed, and
    each page carries its number (`- 1 -`) at the foot. A large `size` spreads the reply
    over pages, so paragraphs break across a page."""
    from fpdf import FPDF

    class Printed(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Printed(format="A4")
    pdf.add_font("noto", fname=small_font())
    pdf.set_font("noto", size=size)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in text_lines():
        pdf.multi_cell(width, spacing, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_scanned_pdf(path: Path) -> Path:
    """A PDF of pictures only, as a scanner makes it: no text layer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    pdf.output(str(path))
    return path


# --- any page's lines in each format (the pattern pages of tests/fixtures/ingest-patterns) --


def lines_html(lines: list[str], charset: str) -> str:
    """The lines as a site shows them: `label<tab>value` lines as table rows, gaps of
    spaces kept with `&nbsp;` (HTML would collapse them), each other line a paragraph."""
    body = "".join(_line_html(line) for line in lines)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"></head>\n<body>\n'
        f'<div class="article">\n{body}</div>\n</body></html>\n'
    )


def _line_html(line: str) -> str:
    if "\t" in line:
        cells = "".join(f"<td>{html.escape(cell.strip())}</td>" for cell in line.split("\t"))
        return f"<table><tr>{cells}</tr></table>\n"
    return (
        "<p>" + re.sub(r" {2,}", lambda gap: "&nbsp;" * len(gap[0]), html.escape(line)) + "</p>\n"
    )


def write_lines_mht(path: Path, lines: list[str]) -> Path:
    """The lines as a page saved into one file: GBK quoted-printable where GBK holds them."""
    try:
        "".join(lines).encode("gbk")
        charset = "gbk"
    except UnicodeEncodeError:
        charset = "utf-8"
    codec = email_charset.Charset(charset)
    codec.body_encoding = email_charset.QP
    message = MIMEMultipart("related", type="text/html")
    message.attach(MIMEText(lines_html(lines, charset), "html", codec))  # type: ignore[arg-type]
    path.write_bytes(message.as_bytes())
    return path


def write_lines_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_lines_pdf(path: Path, lines: list[str]) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("noto", fname=small_font())
    pdf.set_font("noto", size=12)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in lines:  # the font has no tab: a tab prints as a gap of spaces
        pdf.multi_cell(width, 8, line.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def wrap_page_in_mht(path: Path, page: bytes, charset: str | None) -> Path:
    """A saved HTML page, bytes as they are, inside a one-file saved page (quoted-printable;
    the part names `charset`, or none, leaving it to the page's `<meta>`)."""
    from email.mime.nonmultipart import MIMENonMultipart

    message = MIMEMultipart("related", type="text/html")
    part = MIMENonMultipart("text", "html", **({"charset": charset} if charset else {}))
    part.set_payload(quopri.encodestring(page).decode("ascii"))
    part["Content-Transfer-Encoding"] = "quoted-printable"
    message.attach(part)
    path.write_bytes(message.as_bytes())
    return path
