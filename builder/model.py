"""`Reply`, the content object, and its validation from a `Source` with line-aware errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from builder import places
from builder.config import Config, did_you_mean
from builder.dates import parse_moment
from builder.errors import Problem, warning
from builder.markup import render_body
from builder.model_yaml import parse_front_matter
from builder.slugs import MAX_SLUG, is_plain_slug, slugify
from builder.sources import Source


class Kind(Enum):
    SUGGESTION = "suggestion"
    PROPOSAL = "proposal"

    @property
    def label(self) -> str:
        """What the reply answers, as readers call it."""
        return "人大代表建议" if self is Kind.SUGGESTION else "政协委员提案"

    @property
    def short_label(self) -> str:
        return "建议" if self is Kind.SUGGESTION else "提案"


_KIND_WORDS = {
    "suggestion": Kind.SUGGESTION,
    "建议": Kind.SUGGESTION,
    "人大代表建议": Kind.SUGGESTION,
    "proposal": Kind.PROPOSAL,
    "提案": Kind.PROPOSAL,
    "政协提案": Kind.PROPOSAL,
    "政协委员提案": Kind.PROPOSAL,
}


@dataclass(frozen=True)
class Reply:
    """One published reply, validated. Immutable: the archive and templates only read it."""

    source: Path
    slug: str
    title: str
    kind: Kind
    bureau: str
    region: str
    published: datetime
    published_has_time: bool
    body_html: str
    session: str = ""
    number: str = ""
    proposal_title: str = ""
    proposers: tuple[str, ...] = ()
    proposer_role: str = ""
    doc_number: str = ""
    index_number: str = ""
    category: str = ""
    written: date | None = None
    status: str = ""
    outcome: str = ""
    tags: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    source_url: str = ""

    @property
    def year(self) -> int:
        return self.published.year

    @property
    def addressees(self) -> str:
        """The salutation line of the reply: `陈可才、刘治平代表`."""
        return "、".join(self.proposers) + self.proposer_role if self.proposers else ""


REQUIRED = ("title", "kind", "bureau", "published")
_OPTIONAL_TEXT = (
    "region",
    "session",
    "number",
    "proposal_title",
    "proposer_role",
    "doc_number",
    "index_number",
    "category",
    "status",
    "outcome",
    "source_url",
    "slug",
)
KNOWN_KEYS = frozenset(
    REQUIRED + _OPTIONAL_TEXT + ("proposers", "tags", "contacts", "written", "draft")
)


def region_of(bureau: str) -> str:
    """The bureau's leading place name after any province, else the province; or empty
    (`builder.places.region_of`: `杭州市市场监督管理局` -> `杭州市`)."""
    return places.region_of(bureau)


@dataclass
class _Reader:
    """Reads typed values out of one file's front matter, collecting problems with lines."""

    path: Path
    values: dict[str, Any]
    lines: dict[str, int]
    first_line: int
    problems: list[Problem] = field(default_factory=list)

    def line(self, key: str) -> int:
        return self.lines.get(key, self.first_line)

    def error(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, self.line(key), message, hint))

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, f"`{key}` must be text", f"got {_describe(value)}")
            return ""
        return str(value).strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(p.strip() for p in re.split(r"[、,，;；]", value) if p.strip())
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.error(key, f"`{key}` must be a list of text", "e.g. [养老服务, 老年助餐]")
            return ()
        return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))

    def moment(self, key: str) -> tuple[datetime, bool] | None:
        value = self.values.get(key)
        if value is None:
            return None
        parsed = parse_moment(value)
        if parsed is None:
            self.error(
                key,
                f"`{key}` is not a valid date: {value!r}",
                "write YYYY-MM-DD or YYYY-MM-DD HH:MM:SS, e.g. 2025-06-20",
            )
        return parsed


def _describe(value: object) -> str:
    return type(value).__name__ if isinstance(value, dict | list) else repr(value)


def validate(source: Source, config: Config) -> tuple[Reply | None, list[Problem]]:
    """Check a source against the content format; a `Reply` only when it has no errors."""
    values, lines, problems = parse_front_matter(source)
    if problems:
        return None, problems
    reader = _Reader(source.path, values, lines, first_line=1)
    if _is_draft(reader):
        return None, _draft_problems(reader)
    _check_keys(reader)
    body_html, body_problems = render_body(source.body, source.path, source.body_line)
    reply = _build_reply(reader, config, body_html)
    problems = reader.problems + body_problems
    if any(p.is_error for p in problems):
        return None, problems
    return reply, problems


def _is_draft(reader: _Reader) -> bool:
    value = reader.values.get("draft")
    if value is None or value is False:
        return False
    if value is not True:
        reader.error("draft", f"`draft` must be true or false, got {_describe(value)}")
        return False
    return True


def _draft_problems(reader: _Reader) -> list[Problem]:
    """A draft is not published: one warning naming what it lacks, the editor's to-do."""
    missing = [key for key in REQUIRED if reader.values.get(key) in (None, "")]
    lacks = f"missing {', '.join(f'`{key}`' for key in missing)}" if missing else "complete"
    hint = "fill them in and delete `draft: true`" if missing else "delete `draft: true`"
    return [warning(reader.path, reader.line("draft"), f"draft, not published: {lacks}", hint)]


def _check_keys(reader: _Reader) -> None:
    for key in REQUIRED:
        if reader.values.get(key) in (None, ""):
            reader.error(key, f"missing required key `{key}`", _REQUIRED_HINTS[key])
    for key in reader.values:
        if str(key) not in KNOWN_KEYS:
            reader.problems.append(
                warning(
                    reader.path,
                    reader.line(str(key)),
                    f"unknown key `{key}` is ignored",
                    did_you_mean(str(key), sorted(KNOWN_KEYS)),
                )
            )


_REQUIRED_HINTS = {
    "title": "the reply's title, e.g. title: 对市十届人大五次会议第HN-35号建议的答复",
    "kind": "kind: suggestion (人大代表建议) or kind: proposal (政协提案)",
    "bureau": "the answering bureau in full, e.g. bureau: 乌海市民政局",
    "published": "the publication date, e.g. published: 2025-08-04",
}


def _build_reply(reader: _Reader, config: Config, body_html: str) -> Reply | None:
    kind = _kind(reader)
    published = reader.moment("published")
    written = reader.moment("written")
    bureau = reader.text("bureau")
    optional = {key: reader.text(key) for key in _OPTIONAL_TEXT}
    outcome = _outcome(reader, optional["outcome"], config)
    slug = _slug(reader, optional["slug"])
    source_url = _source_url(reader, optional["source_url"])
    region = optional["region"] or region_of(bureau)
    if bureau and not region:
        reader.problems.append(
            warning(
                reader.path,
                reader.line("bureau"),
                f"no place name at the start of bureau `{bureau}`",
                "write the bureau in full, or add `region:`",
            )
        )
    _check_year(reader, "published", published)
    _check_year(reader, "written", written)
    proposers, tags, contacts = (
        reader.text_list("proposers"),
        reader.text_list("tags"),
        _contacts(reader),
    )
    for key, items in (("proposers", proposers), ("tags", tags), ("contacts", contacts)):
        _check_count(reader, key, len(items), config.max_list_items)
    if kind is None or published is None or not bureau or not reader.text("title"):
        return None
    taken = {"region", "outcome", "slug", "source_url"}
    return Reply(
        source=reader.path,
        slug=slug,
        title=reader.text("title"),
        kind=kind,
        bureau=bureau,
        region=region or "其他",
        published=published[0],
        published_has_time=published[1],
        body_html=body_html,
        proposers=proposers,
        tags=tags,
        contacts=contacts,
        written=written[0].date() if written else None,
        outcome=outcome,
        source_url=source_url,
        **{k: v for k, v in optional.items() if k not in taken},
    )


FIRST_YEAR = 1949
"""The first year a reply can be from (the first CPPCC session; NPC deputies from 1954)."""


def _check_year(reader: _Reader, key: str, moment: tuple[datetime, bool] | None) -> None:
    last = date.today().year + 1
    if moment is not None and not FIRST_YEAR <= moment[0].year <= last:
        reader.problems.append(
            warning(
                reader.path,
                reader.line(key),
                f"`{key}` is in the year {moment[0].year}",
                f"a reply is from {FIRST_YEAR} to {last}: check the date",
            )
        )


def _check_count(reader: _Reader, key: str, count: int, limit: int) -> None:
    if count > limit:
        reader.error(
            key,
            f"`{key}` has {count} items, more than {limit}",
            "keep the few that matter, or raise max_list_items in site.toml",
        )


def _kind(reader: _Reader) -> Kind | None:
    word = reader.text("kind")
    if not word:
        return None
    kind = _KIND_WORDS.get(word.lower())
    if kind is None:
        reader.error("kind", f"unknown kind `{word}`", "use suggestion (建议) or proposal (提案)")
    return kind


def _outcome(reader: _Reader, code: str, config: Config) -> str:
    if code and code not in config.outcomes:
        codes = ", ".join(f"{k} ({v})" for k, v in config.outcomes.items())
        reader.error(
            "outcome",
            f"unknown outcome `{code}`",
            f"use one of {codes}, or add it under [outcomes] in site.toml",
        )
        return ""
    return code


def _slug(reader: _Reader, explicit: str) -> str:
    if explicit:
        if len(explicit) > MAX_SLUG:
            reader.error(
                "slug",
                f"slug is {len(explicit)} characters long, more than a file name may be",
                f"at most {MAX_SLUG}: shorten it",
            )
        elif not is_plain_slug(explicit):
            reader.error(
                "slug",
                f"slug `{explicit}` is not a plain file name",
                f"use lower-case ASCII letters, digits and hyphens, e.g. {slugify(explicit)}",
            )
        return explicit
    stem = reader.path.stem
    return stem if is_plain_slug(stem) else slugify(stem)


def _source_url(reader: _Reader, url: str) -> str:
    if url and urlsplit(url).scheme not in ("http", "https"):
        reader.error(
            "source_url",
            f"source_url `{url}` is not an http(s) address",
            "give the page's address, starting with https://",
        )
        return ""
    return url


def _contacts(reader: _Reader) -> tuple[tuple[str, str], ...]:
    value = reader.values.get("contacts")
    if value is None:
        return ()
    if not isinstance(value, dict) or any(isinstance(v, dict | list) for v in value.values()):
        reader.error(
            "contacts",
            "`contacts` must map labels to text",
            'e.g. contacts: {联系人: 吴棣, 电话: "8992056"}',
        )
        return ()
    return tuple((str(k), "" if v is None else str(v)) for k, v in value.items())
