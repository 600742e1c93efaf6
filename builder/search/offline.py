"""The offline search index: what search.html uses when opened from disk (file://).

Pagefind cannot load from file://, but a plain `<script src>` can. The index is one
script, `search/offline-index.js`, that sets `window.ReplyArchiveOffline`: the records
(path, result metadata, filters, sort keys, title-and-metadata text, body text), newest
first, in chunks of gzip-compressed JSON in base64 (the browser inflates them with
`DecompressionStream`).

It is bounded by `offline_search_budget` (bytes): above it, the body text of the oldest
replies is left out, chunk by chunk, with a build warning; their titles and metadata stay.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from builder.errors import Problem, warning
from builder.search.records import Record

OFFLINE_INDEX = "search/offline-index.js"
CHUNK_SIZE = 100
"""Replies per compressed chunk: the unit in which bodies are left out."""
FORMAT_VERSION = 1


@dataclass(frozen=True)
class OfflineIndex:
    script: bytes
    replies: int
    bodies: int
    """How many replies have their body text in the index (the newest ones)."""
    heads_only_until: str
    """The newest publication date (as shown on the site) of a reply left without body."""


def build_offline_index(records: list[Record], budget: int) -> OfflineIndex:
    """The index of `records`, leaving out the oldest bodies if it would exceed `budget`."""
    ordered = sorted(records, key=lambda r: (r.sort.get("published", ""), r.path), reverse=True)
    groups = [ordered[i : i + CHUNK_SIZE] for i in range(0, len(ordered), CHUNK_SIZE)]
    chunks = [_chunk(group, with_body=True) for group in groups]
    with_body = len(groups)
    while with_body > 0 and _size(chunks) > budget:
        with_body -= 1
        chunks[with_body] = _chunk(groups[with_body], with_body=False)
    bodies = sum(len(group) for group in groups[:with_body])
    until = ordered[bodies].meta.get("date", "") if bodies < len(ordered) else ""
    script = _script(chunks, len(ordered), bodies, until)
    return OfflineIndex(script, len(ordered), bodies, until)


def offline_problems(index: OfflineIndex, budget: int, where: Path) -> list[Problem]:
    """A warning for every reply the offline search covers only in part: never silent."""
    problems = []
    if index.bodies < index.replies:
        left_out = index.replies - index.bodies
        until = index.heads_only_until
        since = f" (published on or before {until})" if until else ""
        problems.append(
            warning(
                where,
                0,
                f"offline search leaves out the body text of the {left_out} oldest of "
                f"{index.replies} replies{since} to stay within offline_search_budget "
                f"({budget:,} bytes); it finds them by title and metadata only",
                "raise offline_search_budget in site.toml to include them",
            )
        )
    if len(index.script) > budget:
        problems.append(
            warning(
                where,
                0,
                f"the offline search index is {len(index.script):,} bytes, over "
                f"offline_search_budget ({budget:,} bytes) even without body text",
                "raise offline_search_budget in site.toml",
            )
        )
    return problems


def _entry(record: Record, with_body: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "u": record.path,
        "m": record.meta,
        "f": {key: list(values) for key, values in record.filters.items()},
        "s": record.sort,
        "h": record.head,
    }
    if with_body:
        entry["b"] = record.body
    return entry


def _chunk(records: list[Record], with_body: bool) -> str:
    data = json.dumps(
        [_entry(r, with_body) for r in records], ensure_ascii=False, separators=(",", ":")
    )
    packed = gzip.compress(data.encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def _size(chunks: list[str]) -> int:
    return sum(len(chunk) + 3 for chunk in chunks) + 300


def _script(chunks: list[str], replies: int, bodies: int, heads_only_until: str) -> bytes:
    header = {
        "version": FORMAT_VERSION,
        "replies": replies,
        "bodies": bodies,
        "headsOnlyUntil": heads_only_until,
    }
    fields = json.dumps(header, ensure_ascii=True)[1:-1]
    listing = ",\n".join(f'"{chunk}"' for chunk in chunks)
    text = (
        "/* reply-archive offline search index: loaded by search.html from file://. */\n"
        f'window.ReplyArchiveOffline = {{{fields},\n"chunks": [\n{listing}\n]}};\n'
    )
    return text.encode("ascii")


def decode_offline_index(script: bytes) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The header and the entries of an offline index script (for tests and benchmarks)."""
    text = script.decode("ascii")
    data = json.loads(text[text.index("{") : text.rindex("}") + 1])
    entries: list[dict[str, object]] = []
    for chunk in data.pop("chunks"):
        entries += json.loads(gzip.decompress(base64.b64decode(chunk)).decode("utf-8"))
    return data, entries
