"""Content files: the front matter in the format's key order, the slug, the path, the write."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from builder.ingest.reply import ImportedReply
from builder.ingest.titles import SUGGESTION
from builder.model import region_of as derived_region
from builder.slugs import short_hash, slugify

KEY_ORDER = (
    "title",
    "kind",
    "bureau",
    "published",
    "region",
    "session",
    "number",
    "proposal_title",
    "proposers",
    "proposer_role",
    "doc_number",
    "index_number",
    "category",
    "written",
    "status",
    "outcome",
    "tags",
    "contacts",
    "source_url",
)
_KIND_SLUGS = {SUGGESTION: "jianyi"}
_PROPOSAL_SLUG = "tian"


def front_matter(reply: ImportedReply) -> dict[str, object]:
    """The keys the page gave, in the format's order; `region` only where the site could
    not derive the same one from the bureau."""
    values: dict[str, object] = {}
    for key in KEY_ORDER:
        value: object = getattr(reply, key)
        if key == "region" and value == derived_region(reply.bureau):
            continue
        if key == "contacts":
            value = dict(reply.contacts)
        if isinstance(value, tuple):
            value = list(value)
        if value not in (None, "", [], {}):
            values[key] = value
    return values


class _Dumper(yaml.SafeDumper):
    """`yaml.safe_dump`'s dumper, without anchors: `written` may be the very date object
    `published` is, and `&id001` / `*id001` would puzzle a reader."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def render(reply: ImportedReply) -> str:
    """The content file: YAML front matter between `---` lines, then the Markdown body."""
    yaml_text = yaml.dump(
        front_matter(reply),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=10_000,
    )
    return f"---\n{yaml_text}---\n\n{reply.body}"


def slug_of(reply: ImportedReply) -> str:
    """`wuhaishi-2025-jianyi-hn-35`; without a number `wuhaishi-2025-<hash of title+bureau>`."""
    place = slugify(reply.region or reply.bureau)
    if reply.number:
        kind = _KIND_SLUGS.get(reply.kind, _PROPOSAL_SLUG)
        return f"{place}-{reply.year}-{kind}-{slugify(reply.number)}"
    return f"{place}-{reply.year}-{short_hash(reply.title + reply.bureau)}"


def target_of(into: Path, reply: ImportedReply) -> Path:
    return into / str(reply.year) / f"{slug_of(reply)}.md"


def write_file(path: Path, text: str) -> None:
    """Write through a temporary file beside the target, so a file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
