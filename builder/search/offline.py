"""The offline search index: what search.html uses when opened from disk (file://).

Pagefind cannot load from file://, and neither can `fetch`, but a `<script src>` added at
run time can. So the index is plain scripts, loaded on demand:

- `search/offline-index.js`, always loaded: the number of replies, and for each (by its
  number, oldest first) its filters' values, its month and whether it was published at
  the same time as the one before (for the order by date and the date range);
- `search/offline/t/<hash>.js`: the inverted index of every character and every pair of
  adjacent characters of each reply's folded text (`fold`, as search-core.js folds), by
  the hash of the n-gram. For each n-gram, each field (title and metadata `h`, body `b`,
  searchable filter values `f`) lists the replies that hold it with how often (capped
  as the ranking caps it), so a query of one or two characters needs no text to find,
  count and order its results, and a longer one gets candidates with bounds of their rank;
- `search/offline/r/<n>.js`: the records of `GROUP` consecutive replies (path, result
  metadata, title-and-metadata text, body text), for the results shown and the check of
  candidates.

Each piece is gzip-compressed data in base64 that calls `ReplyArchiveOffline.add(name,
data)`. Every reply's text is in the index: there is no budget.

After an edit the index is patched, not made again (`patched_files`): the replies keep
their numbers, so only the pieces of the n-grams whose lists changed, the record pieces of
the changed replies and (when their filters or dates changed) the base are written, each
exactly as a whole new index would write it. At 100,000 replies making the whole index
takes minutes of CPU.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from operator import add
from pathlib import Path

from builder.files import write_if_changed
from builder.search.records import Record

OFFLINE_INDEX = "search/offline-index.js"
PIECES_DIR = "search/offline"
GROUP = 10
"""Replies per record piece: a page of 20 results loads at most 20 of them."""
FORMAT_VERSION = 2
CAP = 50
"""The ranking counts at most this many occurrences of a term in a field (search-offline.js)."""
PIECE_CHARS = 26_000
"""About this many characters of text per index piece: about 48 kB of postings before
compression (the postings of the benchmark's archives take 1.75-1.81 bytes a character).
Counted on the text, not on the postings, so that a patch can tell without the postings
whether a whole index would have as many pieces."""
PATCHED_SHARE = 8
"""A patch changes at most one reply in this many (or `PATCHED_FROM`): beyond, making the
whole index is as quick."""
PATCHED_FROM = 64
MIN_PIECES, MAX_PIECES = 16, 8192
TEXT_FILTERS = ("tag", "bureau", "region")
"""Filters whose values are searched as text (search-core.js `TEXT_FILTERS`)."""
FIELDS = ("h", "b", "f")


def _fold_char(code: int) -> int:
    """search-core.js's steps, in its order: full width, the ideographic space, case, brackets."""
    if 0xFF01 <= code <= 0xFF5E:
        code -= 0xFEE0
    if code == 0x3000:
        code = ord(" ")
    if ord("A") <= code <= ord("Z"):
        code += 32
    if chr(code) in "([【〔〖（［":
        code = ord("〔")
    if chr(code) in ")]】〕〗）］":
        code = ord("〕")
    return code


_FOLDED = (
    *range(0xFF01, 0xFF5F),
    0x3000,
    *range(ord("A"), ord("Z") + 1),
    *map(ord, "([【〖)]】〗"),
)
_FOLD = {code: _fold_char(code) for code in _FOLDED}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_DOUBLED = re.compile(r"(.)\1", re.DOTALL)


def fold(text: str) -> str:
    """search-core.js's `fold`, on UTF-16 code units as JavaScript sees them (a character
    outside the BMP is two), so the n-grams here are those the browser cuts from a query."""
    folded = text.translate(_FOLD)
    if _ASTRAL.search(folded):
        folded = _ASTRAL.sub(_surrogates, folded)
    return folded


def _surrogates(match: re.Match[str]) -> str:
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def filter_text(filters: dict[str, tuple[str, ...]]) -> str:
    """search-core.js's `filterText`: the searchable filter values, folded."""
    return fold("\n".join(value for key in TEXT_FILTERS for value in filters.get(key, ())))


def gram_counts(folded: str) -> Counter[str]:
    """How often each character and each pair of characters occurs in `folded`, counted as
    search-core.js's `countOccurrences` counts a term (without overlaps: 好好好 holds 好好
    once)."""
    counts = Counter(folded)
    counts.update(map(add, folded, folded[1:]))
    for char in set(_DOUBLED.findall(folded)):
        counts[char + char] = folded.count(char + char)
    return counts


def gram_hash(gram: str) -> int:
    """FNV-1a over the UTF-16 code units (search-offline.js `gramHash`)."""
    value = 0x811C9DC5
    for char in gram:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def piece_count(replies: list[Record]) -> int:
    """A power of two: pieces of about `PIECE_CHARS` of the replies' text."""
    chars = sum(len(record.head) + len(record.body) for record in replies)
    count = MIN_PIECES
    while count < MAX_PIECES and count * PIECE_CHARS < chars:
        count *= 2
    return count


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


_PAIRS = [[bytes((gap, count)) for count in range(CAP + 1)] for gap in range(0x80)]
"""The bytes of a (gap, count) pair, for the gaps of one byte: most of them."""


class _Postings:
    """For one field, each n-gram's replies (as gaps between their numbers) and counts."""

    def __init__(self) -> None:
        self.lists: dict[str, list[bytearray | int]] = {}
        """By n-gram: its list so far and the number of its last reply."""

    def add(self, number: int, counts: Iterable[tuple[str, int]]) -> None:
        lists, pairs = self.lists, _PAIRS
        for gram, count in counts:
            entry = lists.get(gram)
            if entry is None:
                entry = lists[gram] = [bytearray(), -1]
            gap = number - entry[1]  # type: ignore[operator]
            entry[1] = number
            if count > CAP:
                count = CAP
            out: bytearray = entry[0]  # type: ignore[assignment]
            if gap < 0x80:
                out += pairs[gap][count]
            else:
                _varint(gap, out)
                out.append(count)

    def data(self, gram: str) -> bytes | bytearray:
        entry = self.lists.get(gram)
        return entry[0] if entry is not None else b""  # type: ignore[return-value]


@dataclass(frozen=True)
class OfflineIndex:
    files: dict[str, bytes]
    """Each file of the index by its path in the output: the base script and the pieces."""
    replies: int

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())


def ordered(records: list[Record]) -> list[Record]:
    """The replies by their number in the index: oldest first, then by path."""
    return sorted(records, key=lambda r: (r.sort.get("published", ""), r.path))


def build_offline_index(records: list[Record]) -> OfflineIndex:
    return OfflineIndex(dict(offline_files(records)), len(records))


def offline_files(records: list[Record]) -> Iterator[tuple[str, bytes]]:
    """Each file of the index of `records`, by its path in the output: made one by one, so
    that they can be written without all being held at once."""
    replies = ordered(records)
    postings = {name: _Postings() for name in FIELDS}
    for number, record in enumerate(replies):
        for name, counts in _field_grams(record).items():
            postings[name].add(number, counts)
    count = piece_count(replies)
    base = _base_script(replies, count)
    yield from _term_pieces(postings, count)
    del postings
    yield from _record_pieces(replies)
    yield OFFLINE_INDEX, base  # (last: the base is never newer than the pieces it names)


def _field_grams(record: Record) -> dict[str, Iterable[tuple[str, int]]]:
    """By field, the n-grams of a reply with how often each occurs (not yet capped)."""
    return {
        "h": gram_counts(fold(record.head)).items(),
        "b": gram_counts(fold(record.body)).items(),
        "f": ((gram, 1) for gram in gram_counts(filter_text(record.filters))),
    }


def _pack(data: bytes) -> str:
    return base64.b64encode(gzip.compress(data, compresslevel=6, mtime=0)).decode("ascii")


def _piece_script(name: str, data: bytes) -> bytes:
    return f'ReplyArchiveOffline.add("{name}","{_pack(data)}");\n'.encode("ascii")


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _base_script(replies: list[Record], term_pieces: int) -> bytes:
    keys = sorted({key for record in replies for key in record.filters})
    filters = {key: _filter_column(replies, key) for key in keys}
    months: list[list[object]] = []
    ties = []
    previous = None
    for number, record in enumerate(replies):
        published = record.sort.get("published", "")
        month = published[:7] if re.fullmatch(r"\d{4}-\d{2}", published[:7]) else ""
        if months and months[-1][0] == month:
            months[-1][1] = int(str(months[-1][1])) + 1
        else:
            months.append([month, 1])
        if number and published == previous:
            ties.append(number)
        previous = published
    data = {"filters": filters, "months": months, "ties": ties}
    header = {
        "version": FORMAT_VERSION,
        "replies": len(replies),
        "group": GROUP,
        "termPieces": term_pieces,
    }
    fields = json.dumps(header, ensure_ascii=True)[1:-1]
    text = (
        "/* reply-archive offline search index: loaded by search.html from file://. */\n"
        f'window.ReplyArchiveOffline = {{{fields}, "pieces": "offline/",\n'
        f'"data": "{_pack(_json(data))}"}};\n'
    )
    return text.encode("ascii")


def _filter_column(replies: list[Record], key: str) -> dict[str, object]:
    """The values of filter `key` and, for each reply, the numbers of its values (+1; 0
    for none; a list when several, in the page's order)."""
    values = sorted({value for record in replies for value in record.filters.get(key, ())})
    number = {value: i + 1 for i, value in enumerate(values)}
    column: list[object] = []
    for record in replies:
        own = [number[value] for value in record.filters.get(key, ())]
        column.append(own[0] if len(own) == 1 else own if own else 0)
    return {"values": values, "replies": column}


def _term_pieces(postings: dict[str, _Postings], count: int) -> Iterator[tuple[str, bytes]]:
    grams = sorted(set().union(*(p.lists for p in postings.values())))
    pieces: list[list[str]] = [[] for _ in range(count)]
    for gram in grams:
        pieces[gram_hash(gram) & (count - 1)].append(gram)
    for number, members in enumerate(pieces):
        name = _term_piece_name(number, count)
        yield f"{PIECES_DIR}/{name}.js", _piece_script(name, _term_piece(members, postings))


def _term_piece_name(number: int, count: int) -> str:
    return f"t/{number:0{len(f'{count - 1:x}')}x}"


def _term_piece(grams: list[str], postings: dict[str, _Postings]) -> bytes:
    """Each n-gram: its length and code units, then per field the length of its list in
    bytes and the list (gap, count pairs as varints)."""
    out = bytearray()
    for gram in grams:
        _gram_header(gram, out)
        for name in FIELDS:
            data = postings[name].data(gram)
            _varint(len(data), out)
            out += data
    return bytes(out)


def _gram_header(gram: str, out: bytearray) -> None:
    _varint(len(gram), out)
    for char in gram:
        _varint(ord(char), out)


def _record_pieces(replies: list[Record]) -> Iterator[tuple[str, bytes]]:
    for number in range(0, (len(replies) + GROUP - 1) // GROUP):
        yield _record_piece(replies, number)


def _record_piece(replies: list[Record], number: int) -> tuple[str, bytes]:
    group = replies[number * GROUP : (number + 1) * GROUP]
    entries = [[r.path, r.meta, r.head, r.body] for r in group]
    name = f"r/{number}"
    return f"{PIECES_DIR}/{name}.js", _piece_script(name, _json(entries))


# -- the patch after an edit ----------------------------------------------------------------

Edits = dict[str, dict[str, dict[int, int]]]
"""By n-gram, by field: the replies (by number) whose count changed, and the new count
(0: the reply no longer holds it)."""


def patched_files(
    output: Path, before: list[Record], after: list[Record]
) -> list[tuple[str, bytes]] | None:
    """The files in which the index of `after` differs from the index of `before` that
    `output` holds, made by patching that index's pieces: each file exactly as
    `offline_files(after)` makes it. The patch goes by reply number: each number whose
    reply is not the same is changed. None when the whole index is to be made instead:
    a reply was removed, the number of index pieces changed, more than a few numbers
    changed (a reply moved by its new date moves every one after it), or a piece cannot
    be read."""
    old, new = ordered(before), ordered(after)
    if len(new) < len(old):
        return None
    count = piece_count(new)
    changed = [n for n in range(len(new)) if n >= len(old) or old[n] != new[n]]
    if count != piece_count(old) or len(changed) > max(PATCHED_FROM, len(new) // PATCHED_SHARE):
        return None
    by_piece: dict[int, Edits] = {}
    for gram, fields in _edits(old, new, changed).items():
        by_piece.setdefault(gram_hash(gram) & (count - 1), {})[gram] = fields
    files = []
    for number, edits in sorted(by_piece.items()):
        name = _term_piece_name(number, count)
        path = f"{PIECES_DIR}/{name}.js"
        try:
            found, data = decode_piece((output / path).read_bytes())
            patched = _patched(data, edits)
        except (OSError, ValueError, EOFError, IndexError):  # (gone, or not a piece)
            return None
        if found != name:
            return None
        files.append((path, _piece_script(name, patched)))
    files += [_record_piece(new, group) for group in sorted({n // GROUP for n in changed})]
    if len(new) > len(old) or any(_base_part(old[n]) != _base_part(new[n]) for n in changed):
        files.append((OFFLINE_INDEX, _base_script(new, count)))
    return files


def _base_part(record: Record) -> tuple[object, ...]:
    """What the base script reads of a reply (it is made again only when this changed: at
    100,000 replies that takes a second or two)."""
    return record.filters, record.sort.get("published", "")


def _edits(old: list[Record], new: list[Record], changed: list[int]) -> Edits:
    edits: Edits = {}
    for number in changed:
        before = _capped(old[number]) if number < len(old) else dict.fromkeys(FIELDS, {})
        after = _capped(new[number])
        for name in FIELDS:
            was, now = before[name], after[name]
            for gram in was.keys() | now.keys():
                if was.get(gram) != now.get(gram):
                    fields = edits.setdefault(gram, {})
                    fields.setdefault(name, {})[number] = now.get(gram, 0)
    return edits


def _capped(record: Record) -> dict[str, dict[str, int]]:
    """By field, a reply's n-grams with their counts as the postings hold them."""
    return {
        name: {gram: min(count, CAP) for gram, count in counts}
        for name, counts in _field_grams(record).items()
    }


def _patched(data: bytes, edits: Edits) -> bytes:
    """A term piece's data with the `edits` made: its n-grams in order, a new one in its
    place, one that no reply holds any more left out."""
    entries = dict(_piece_entries(data))
    for gram, fields in edits.items():
        lists = list(entries.get(gram, (b"",) * len(FIELDS)))
        for i, name in enumerate(FIELDS):
            if name in fields:
                counts = dict(_decode_list(lists[i]))
                counts.update(fields[name])
                lists[i] = _encode_list(sorted((n, c) for n, c in counts.items() if c))
        if any(lists):
            entries[gram] = tuple(lists)
        else:
            entries.pop(gram, None)
    out = bytearray()
    for gram in sorted(entries):
        _gram_header(gram, out)
        for encoded in entries[gram]:
            _varint(len(encoded), out)
            out += encoded
    return bytes(out)


@dataclass(frozen=True)
class Written:
    files: int
    size: int
    """Bytes of every file of the index."""
    written: int
    """How many files changed (the others were left as they were)."""


def write_offline_index(output: Path, files: Iterable[tuple[str, bytes]]) -> Written:
    """Write the index's files that changed and remove the pieces it no longer has."""
    paths, size, written = set(), 0, 0
    for path, data in files:
        paths.add(path)
        size += len(data)
        written += write_if_changed(output / path, data)
    pieces = output / PIECES_DIR
    if pieces.is_dir():
        for file in sorted(pieces.rglob("*.js")):
            if file.relative_to(output).as_posix() not in paths:
                file.unlink()
    return Written(len(paths), size, written)


def write_patch(output: Path, files: list[tuple[str, bytes]], before: Written) -> Written:
    """Write the files of a patch (`patched_files`) that changed, over the index `before`
    describes (the base last, as always). A patch cut short is not patched over: the search
    stage keeps the fingerprint of what the index in place was made from in a file it
    removes first and writes last (`search.OFFLINE_MADE`)."""
    sizes = {path: _size(output / path) for path, _ in files}
    written = sum(write_if_changed(output / path, data) for path, data in files)
    added = sum(1 for path, _ in files if sizes[path] is None)
    grown = sum(len(data) - (sizes[path] or 0) for path, data in files)
    return Written(before.files + added, before.size + grown, written)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def decode_piece(script: bytes) -> tuple[str, bytes]:
    """The name and the data of a piece script (for tests and benchmarks)."""
    found = re.fullmatch(rb'ReplyArchiveOffline\.add\("([^"]+)","([^"]*)"\);\n', script)
    if found is None:
        raise ValueError("not a piece of the offline index")
    return found.group(1).decode(), gzip.decompress(base64.b64decode(found.group(2)))


def decode_base(script: bytes) -> dict[str, object]:
    """The header and the data of the base script (for tests and benchmarks)."""
    text = script.decode("ascii")
    header: dict[str, object] = json.loads(text[text.index("{") : text.rindex("}") + 1])
    data = str(header.pop("data"))
    header.update(json.loads(gzip.decompress(base64.b64decode(data))))
    return header


def decode_terms(data: bytes) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """A term piece's data: each n-gram's (reply number, count) lists by field."""
    return {
        gram: {name: list(_decode_list(data)) for name, data in zip(FIELDS, lists, strict=True)}
        for gram, lists in _piece_entries(data)
    }


def _piece_entries(data: bytes) -> Iterator[tuple[str, tuple[bytes, ...]]]:
    """A term piece's n-grams, in order, each with its lists by field, still encoded."""
    at = 0
    while at < len(data):
        length, at = _read_varint(data, at)
        units = []
        for _ in range(length):
            unit, at = _read_varint(data, at)
            units.append(chr(unit))
        lists = []
        for _ in FIELDS:
            size, at = _read_varint(data, at)
            lists.append(data[at : at + size])
            at += size
        yield "".join(units), tuple(lists)


def _decode_list(data: bytes) -> Iterator[tuple[int, int]]:
    """A list's (reply number, count) pairs."""
    at, number = 0, -1
    while at < len(data):
        gap, at = _read_varint(data, at)
        number += gap
        yield number, data[at]
        at += 1


def _encode_list(pairs: Iterable[tuple[int, int]]) -> bytes:
    """(reply number, count) pairs, by number, as `_Postings` writes them."""
    out, last = bytearray(), -1
    for number, count in pairs:
        _varint(number - last, out)
        out.append(count)
        last = number
    return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at
