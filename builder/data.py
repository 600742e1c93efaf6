"""The downloads: every reply's fields and text as JSON and CSV, and the JSON's schema.

The files are made from the same replies as the pages, in the archive's order (newest
first). `SCHEMA_VERSION` changes whenever a field is added, renamed or given another
meaning; the schema (`replies.schema.json`, shipped beside the files) says what each holds.
A file holds no build time, so an unchanged archive writes the same bytes.
"""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from builder import dates, urls
from builder.config import Config
from builder.model import Reply

SCHEMA_VERSION = 1
FOLDER = "data"
SCHEMA_FILE = f"{FOLDER}/replies.schema.json"
LIST_SEPARATOR = "；"
"""How a CSV cell joins a list (proposers, tags, contacts): the full-width semicolon, which
names and subjects do not contain."""

BodyOf = Callable[[Reply], str]

_FIELDS: tuple[tuple[str, str, str], ...] = (
    # (name, JSON type, what it holds): one table for the JSON, the CSV and the schema.
    ("slug", "string", "the reply's stable identifier, also its page's file name"),
    ("url", "string", "the reply's page, relative to the site's root"),
    ("title", "string", "the reply's title as published"),
    ("kind", "string", "suggestion (人大代表建议) or proposal (政协委员提案)"),
    ("kind_label", "string", "the kind in Chinese"),
    ("bureau", "string", "the answering bureau (发文机构 / 承办单位)"),
    ("region", "string", "the bureau's place (市, 县 or 区), or empty"),
    ("session", "string", "the session (届次/会议) the suggestion or proposal was made at"),
    ("number", "string", "its number in that session (第…号)"),
    ("proposal_title", "string", "the title of the suggestion or proposal answered (《》)"),
    ("proposers", "array", "the deputies or members who made it"),
    ("proposer_role", "string", "how they are addressed: 代表, 委员, 代表组 …"),
    ("doc_number", "string", "发文字号, e.g. 乌民复〔2025〕20号"),
    ("index_number", "string", "索引号 of the publishing site"),
    ("category", "string", "信息分类 / 主题分类 of the publishing site"),
    ("written", "date", "成文日期 (YYYY-MM-DD), or null"),
    ("published", "datetime", "公开日期: YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when known"),
    ("status", "string", "有效性 / 效力状态"),
    ("outcome", "string", "办理结果 class (A, B, C, D …), or empty"),
    ("outcome_label", "string", "the class's label from the site's settings"),
    ("tags", "array", "subjects (主题)"),
    ("contacts", "contacts", "联系人 and 电话 lines, as label and value"),
    ("source_url", "string", "where the reply was published, or empty"),
    ("body_text", "string", "the reply's text as plain text, paragraphs split by a blank line"),
    (
        "body_html",
        "string",
        "the reply's text as HTML, as its page shows it, but for section ids and table boxes",
    ),
)
CSV_FIELDS = tuple(name for name, _, _ in _FIELDS if not name.startswith("body_"))
"""The CSV leaves the bodies out (too large for spreadsheets); `url` leads to them."""


@dataclass(frozen=True)
class DataFile:
    """One download: `replies` encoded as `form` (json or csv, or the schema, which holds
    none); `year` for a year's file."""

    path: str
    form: str
    replies: tuple[Reply, ...]
    year: int | None = None

    @property
    def count(self) -> int:
        return len(self.replies)


def data_files(replies: tuple[Reply, ...], split_from: int) -> tuple[DataFile, ...]:
    """The whole archive as CSV; as JSON too up to `split_from` replies, and above that a
    JSON and a CSV file per year, so that no file grows past about 20 MB."""
    files = [DataFile(f"{FOLDER}/replies.csv", "csv", replies)]
    if len(replies) <= split_from:
        return (DataFile(f"{FOLDER}/replies.json", "json", replies), *files)
    years = sorted({r.year for r in replies}, reverse=True)
    for year in years:
        of_year = tuple(r for r in replies if r.year == year)
        files.append(DataFile(f"{FOLDER}/replies-{year}.json", "json", of_year, year))
        files.append(DataFile(f"{FOLDER}/replies-{year}.csv", "csv", of_year, year))
    return tuple(files)


def encode(file: DataFile, config: Config, body_of: BodyOf) -> str:
    if file.form == "schema":
        return schema()
    if file.form == "csv":
        return encode_csv(file.replies, config)
    return encode_json(file, config, body_of)


def encode_json(file: DataFile, config: Config, body_of: BodyOf) -> str:
    """The file's envelope, then one reply a line: readable line by line and written by
    the JSON module's C encoder (an indented document goes through its pure-Python one)."""
    envelope = {
        "schema_version": SCHEMA_VERSION,
        "schema": urls.relative(file.path, SCHEMA_FILE),
        "title": config.title,
        "licence": config.licence,
        "year": file.year,
        "count": file.count,
    }
    head = json.dumps(envelope, ensure_ascii=False)[:-1] + ', "replies": ['
    lines = [_compact(record_of(reply, config, body_of)) for reply in file.replies]
    if not lines:
        return head + "]}\n"
    return head + "\n" + ",\n".join(lines) + "\n]}\n"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_csv(replies: Iterable[Reply], config: Config) -> str:
    """UTF-8 with a BOM (the caller writes it as UTF-8), so that Excel reads Chinese."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for reply in replies:
        record = record_of(reply, config, None)
        writer.writerow(_cell(record[name]) for name in CSV_FIELDS)
    return out.getvalue()


def record_of(reply: Reply, config: Config, body_of: BodyOf | None) -> dict[str, Any]:
    """A reply as the downloads hold it (without the bodies when `body_of` is None)."""
    record: dict[str, Any] = {
        "slug": reply.slug,
        "url": urls.reply_path(reply),
        "title": reply.title,
        "kind": reply.kind.value,
        "kind_label": reply.kind.label,
        "bureau": reply.bureau,
        "region": reply.region,
        "session": reply.session,
        "number": reply.number,
        "proposal_title": reply.proposal_title,
        "proposers": list(reply.proposers),
        "proposer_role": reply.proposer_role,
        "doc_number": reply.doc_number,
        "index_number": reply.index_number,
        "category": reply.category,
        "written": dates.machine_date(reply.written) if reply.written else None,
        "published": dates.machine_date(reply.published, reply.published_has_time),
        "status": reply.status,
        "outcome": reply.outcome,
        "outcome_label": config.outcome_label(reply.outcome) if reply.outcome else "",
        "tags": list(reply.tags),
        "contacts": [{"label": label, "value": value} for label, value in reply.contacts],
        "source_url": reply.source_url,
    }
    if body_of is not None:
        html = body_of(reply)
        record["body_text"] = text_of(html)
        record["body_html"] = html
    return record


def human_size(size: int) -> str:
    """1,234,567 bytes as `1.2 MB` (decimal units, as file managers show them)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} 字节"


def linked_data(reply: Reply, config: Config) -> str:
    """The reply as schema.org JSON-LD: a `DigitalDocument` written by the bureau, a
    `GovernmentOrganization`; safe inside `<script>` (`<`, `>` and `&` as escapes)."""
    bureau = {"@type": "GovernmentOrganization", "name": reply.bureau}
    if reply.region:
        bureau["areaServed"] = reply.region
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": reply.title,
        "genre": f"{reply.kind.label}答复",
        "inLanguage": config.language,
        "author": bureau,
        "datePublished": dates.machine_date(reply.published, reply.published_has_time),
    }
    if config.base_url:
        document["url"] = config.absolute_url(urls.reply_path(reply))
    if reply.written:
        document["dateCreated"] = dates.machine_date(reply.written)
    if reply.doc_number:
        document["identifier"] = reply.doc_number
    if reply.proposal_title:
        document["about"] = {"@type": "CreativeWork", "name": reply.proposal_title}
    if reply.tags:
        document["keywords"] = list(reply.tags)
    if reply.source_url:
        document["isBasedOn"] = reply.source_url
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(
            f"{v['label']}：{v['value']}" if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


_BLOCKS = frozenset(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol", "blockquote")
    + ("pre", "div", "dl", "dt", "dd")
)
_END = r"(?:[\s/][^>]*)?>"
_BLOCK_TAG = re.compile(rf"</?(?:{'|'.join(sorted(_BLOCKS, key=len, reverse=True))}){_END}", re.I)
_BREAK_TAG = re.compile(rf"<br{_END}", re.I)
_CELL_TAG = re.compile(rf"<t[dh]{_END}", re.I)
_ANY_TAG = re.compile(r"</?[A-Za-z][^>]*>")
"""Tags of a body's HTML. Bodies are our own renderer's output (no raw HTML passes it, and
`<`, `>` are escaped in text and in attributes), so a tag is always `<` to the next `>`."""
_BLANK_LINES = re.compile(r"[ \t]*\n(?:[ \t]*\n)+[ \t]*")


def text_of(html: str) -> str:
    """The text of a body's HTML: a paragraph, heading or list item a block, blocks split by
    one blank line, table cells by tabs. (The text an HTML parser reads, which
    tests/test_data_text.py checks on thousands of bodies, in a small part of its time.)"""
    text = _BLOCK_TAG.sub("\n\n", html)
    text = _CELL_TAG.sub("\t", _BREAK_TAG.sub("\n", text))
    text = htmllib.unescape(_ANY_TAG.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def schema() -> str:
    """The JSON Schema (2020-12) of the JSON downloads."""
    return json.dumps(_schema_document(), ensure_ascii=False, indent=1) + "\n"


def _schema_document() -> dict[str, Any]:
    properties = {name: _schema_of(kind, about) for name, kind, about in _FIELDS}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "reply-archive replies",
        "description": "Replies to deputies' suggestions and members' proposals, with their text.",
        "type": "object",
        "required": ["schema_version", "title", "licence", "year", "count", "replies"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "schema": {"type": "string", "description": "this schema, relative to the file"},
            "title": {"type": "string", "description": "the archive's title"},
            "licence": {"type": "string", "description": "the licence line of the archive"},
            "year": {
                "type": ["integer", "null"],
                "description": "the year of a year's file; null for the whole archive",
            },
            "count": {"type": "integer", "minimum": 0},
            "replies": {
                "type": "array",
                "description": "newest first",
                "items": {
                    "type": "object",
                    "required": [name for name, _, _ in _FIELDS],
                    "additionalProperties": False,
                    "properties": properties,
                },
            },
        },
    }


def _schema_of(kind: str, about: str) -> dict[str, Any]:
    if kind == "array":
        return {"type": "array", "items": {"type": "string"}, "description": about}
    if kind == "contacts":
        contact = {
            "type": "object",
            "required": ["label", "value"],
            "additionalProperties": False,
            "properties": {"label": {"type": "string"}, "value": {"type": "string"}},
        }
        return {"type": "array", "items": contact, "description": about}
    if kind == "date":
        return {"type": ["string", "null"], "format": "date", "description": about}
    if kind == "datetime":
        pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2})?$"
        return {"type": "string", "pattern": pattern, "description": about}
    return {"type": "string", "description": about}


def field_table() -> tuple[tuple[str, str], ...]:
    """Each field and what it holds, for the downloads page."""
    return tuple((name, about) for name, _, about in _FIELDS)
