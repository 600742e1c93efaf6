"""Content files: the front matter in the format's key order, the slug, the path, the write."""

from __future__ import annotations

from pathlib import Path

import yaml

from builder.files import write_atomic
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
        if key == "region" and reply.bureau and value == derived_region(reply.bureau):
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

    def represent(self, data: object) -> None:
        """The front matter itself always in block style: with only scalar values,
        `default_flow_style=None` would write it as one `{title: …, kind: …}` line."""
        node = self.represent_data(data)
        if isinstance(node, yaml.MappingNode):
            node.flow_style = False
        self.serialize(node)
        self.represented_objects = {}
        self.object_keeper = []
        self.alias_key = None


def render(reply: ImportedReply) -> str:
    """The content file: YAML front matter between `---` lines, then the Markdown body.

    A draft starts with `draft: true` and names each missing key in a comment where the
    key belongs (`bureau:  # missing: …`), so the editor sees what to fill in."""
    values = front_matter(reply)
    missing = dict(reply.missing)
    chunks = _chunks(_dump(values)) if values else {}
    lines = [f"draft: true  # missing: {', '.join(missing)}\n"] if missing else []
    for key in KEY_ORDER:
        if key in chunks:
            lines.append(chunks[key])
        elif key in missing:
            lines.append(f"{key}:  # missing: {_one_line(missing[key])}\n")
    return f"---\n{''.join(lines)}---\n\n{reply.body}"


def _dump(values: dict[str, object]) -> str:
    return yaml.dump(
        values,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=10_000,
    )


def _chunks(yaml_text: str) -> dict[str, str]:
    """The dumped YAML cut at each top-level key (its value may take indented lines)."""
    chunks: dict[str, str] = {}
    key = ""
    for line in yaml_text.splitlines(keepends=True):
        if not line[:1].isspace() and ":" in line and line.split(":", 1)[0] in KEY_ORDER:
            key = line.split(":", 1)[0]
            chunks[key] = ""
        chunks[key] += line
    return chunks


def _one_line(text: str) -> str:
    return " ".join(text.split())


def slug_of(reply: ImportedReply, with_bureau: bool = False) -> str:
    """`wuhaishi-2025-jianyi-hn-35`; without a number `wuhaishi-2025-<hash of title+bureau>`;
    `with_bureau`, the answering bureau after it (`…-hn-35-jiaotongyunshuju`), for a
    suggestion two bureaus answer."""
    bureau = reply.bureau or ""
    place = slugify(reply.region or bureau) if (reply.region or bureau) else "draft"
    year = str(reply.year) if reply.year else "undated"
    if reply.number:
        kind = _KIND_SLUGS.get(reply.kind or "", _PROPOSAL_SLUG)
        slug = f"{place}-{year}-{kind}-{slugify(reply.number)}"
    else:
        slug = f"{place}-{year}-{short_hash((reply.title or reply.body) + bureau)}"
    if with_bureau and bureau:
        own = bureau.removeprefix(reply.region or "") or bureau
        slug += f"-{slugify(own)}"
    return slug


def target_of(into: Path, reply: ImportedReply, with_bureau: bool = False) -> Path:
    year = str(reply.year) if reply.year else "undated"
    return into / year / f"{slug_of(reply, with_bureau)}.md"


def write_file(path: Path, text: str) -> None:
    """Write through a temporary file beside the target, so a file is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
