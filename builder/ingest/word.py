"""A reply as the bureau drafted it in Word (`.docx`), read with python-docx: paragraphs and
headings in order, one line each (a manual line break starts a new line), and each table
row one line (`label：value label：value` when its cells are field labels, as an HTML
table's). `path:line` counts these lines from the top of the document."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from builder.ingest.decoding import Undecodable
from builder.ingest.page import Line

MAX_UNPACKED = 256 * 1024 * 1024
"""A .docx is a zip: refuse one that would unpack to more than this (a zip bomb)."""


def looks_like_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def docx_lines(data: bytes) -> tuple[Line, ...] | Undecodable:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return Undecodable("it is not a Word .docx file (not a zip archive)")
    if unpacked > MAX_UNPACKED:
        return Undecodable(f"the .docx would unpack to {unpacked // 2**20} MB")
    try:
        document = docx.Document(io.BytesIO(data))
        texts = list(_texts(document))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        return Undecodable(f"it is not a readable Word .docx file ({error})")
    except Exception as error:  # lxml's XMLSyntaxError and the like: a broken file
        return Undecodable(f"the .docx is damaged ({type(error).__name__}: {error})")
    lines = [
        Line(line.text.strip(), number, cells=line.cells, table=line.table)
        for number, line in enumerate(texts, 1)
    ]
    return tuple(line for line in lines if line.text)


def _texts(document: object) -> Iterator[Line]:
    """The document's lines in reading order (numbered by the caller): paragraphs and tables
    as they alternate (a table of data keeps its cells, as an HTML page's does)."""
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    assert isinstance(document, Document)
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield from (Line(text, 0) for text in block.text.split("\n"))
        elif isinstance(block, Table):
            tables += 1
            yield from _table_lines(block, tables)


def _table_lines(table: object, number: int) -> Iterator[Line]:
    from docx.table import Table

    from builder.ingest.html import is_grid, row_line

    assert isinstance(table, Table)
    rows = []
    for row in table.rows:
        cells = []
        seen: set[int] = set()
        for cell in row.cells:  # a merged cell is listed once for each grid column it spans
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append([t.strip() for t in cell.text.split("\n") if t.strip()])
        rows.append(cells)
    grid = is_grid(rows)
    for cells in rows:
        if all(len(lines) <= 1 for lines in cells):
            line = row_line(cells, 0, number if grid else 0)
            if line is not None:
                yield line
        else:
            for lines in cells:
                yield from (Line(text, 0) for text in lines)
