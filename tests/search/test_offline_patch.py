"""The offline index patched after an edit is, file for file, the index made whole.

Archives of varied replies (real punctuation, ASCII and full-width brackets, characters
outside the BMP, runs of one character past the ranking's cap, several filter values) are
indexed whole, edited at random (titles, bodies, metadata, filters, new replies, dates,
removals), and the index on disk patched: it must hold exactly the files, bytes for bytes,
that indexing the edited archive whole writes, and say so in its figures.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from builder.search import offline
from builder.search.offline import (
    CAP,
    MIN_PIECES,
    OFFLINE_INDEX,
    PIECE_CHARS,
    PIECES_DIR,
    Written,
    _piece_script,
    decode_piece,
    offline_files,
    patched_files,
    write_offline_index,
    write_patch,
)
from builder.search.records import Record

WORDS = (
    "养老",
    "服务",
    "老旧小区改造",
    "垃圾分类",
    "答复",
    "建议",
    "提案",
    "潜财综[2022]30号",
    "乌民复〔2025〕20号",
    "【重要】",
    "（一）",
    "(二)",
    "、",
    "，",
    "。",
    "；",
    "ＡＢＣ",
    "abc",
    "\U00020000",
    "𠀁𠀂",
    "好" * 3,
    "的" * (CAP + 7),
    "2025年",
    "１２３",
    "　",
    "\n",
)
TAGS = ("养老", "教育", "交通", "环保", "住房")
BUREAUS = ("民政局", "财政局", "住建局")


def text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(words))


def reply(rng: random.Random, number: int, year: int | None = None) -> Record:
    published = f"{year or rng.randint(2018, 2024)}-{rng.randint(1, 12):02d}-01T00:00:00"
    title = text(rng, rng.randint(1, 4))
    return Record(
        path=f"replies/{number:04d}.html",
        meta={"title": title, "date": published[:10]},
        filters={
            "tag": tuple(rng.sample(TAGS, rng.randint(0, 2))),
            "bureau": (rng.choice(BUREAUS),),
            "year": (published[:4],),
        },
        sort={"published": published},
        head=title,
        body=text(rng, rng.randint(0, 40)),
    )


def edited(rng: random.Random, records: list[Record]) -> list[Record]:
    """The archive after one to three edits of a kind chosen at random."""
    records = list(records)
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(("title", "body", "body", "filters", "meta", "new", "date", "gone"))
        at = rng.randrange(len(records))
        old = records[at]
        if kind == "title":
            title = old.head + text(rng, 1)
            records[at] = replace(old, head=title, meta={**old.meta, "title": title})
        elif kind == "body":
            cut = rng.randint(0, len(old.body))
            records[at] = replace(old, body=old.body[:cut] + text(rng, rng.randint(0, 5)))
        elif kind == "filters":
            records[at] = replace(old, filters={**old.filters, "tag": (rng.choice(TAGS),)})
        elif kind == "meta":
            records[at] = replace(old, meta={**old.meta, "number": text(rng, 1)})
        elif kind == "new":
            records.append(reply(rng, 1000 + len(records), year=2026))
        elif kind == "date":
            records[at] = replace(old, sort={"published": "2019-06-01T00:00:00"})
        elif len(records) > 2:
            del records[at]
    return records


def on_disk(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.js")}


def whole(folder: Path, records: list[Record]) -> Written:
    return write_offline_index(folder, offline_files(records))


@pytest.mark.slow
def test_a_patched_index_is_the_whole_index_of_the_edited_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(20261203)
    patched = 0
    for case in range(200):
        # Pieces of a few characters too: 16 to 256 pieces, their count moving with edits.
        monkeypatch.setattr(offline, "PIECE_CHARS", rng.choice((PIECE_CHARS, PIECE_CHARS, 400, 60)))
        folder = tmp_path / str(case)
        records = [reply(rng, n) for n in range(rng.randint(1, 45))]
        kept = whole(folder, records)
        for _ in range(5):  # edits one after the other, each patching the last patch
            after = edited(rng, records)
            expected = dict(offline_files(after))
            files = patched_files(folder, records, after)
            if files is None:
                kept = whole(folder, after)
            else:
                patched += 1
                kept = write_patch(folder, files, kept)
            assert on_disk(folder) == expected, f"case {case}"
            assert (kept.files, kept.size) == (len(expected), sum(map(len, expected.values())))
            records = after
    assert patched > 500  # most edits keep every reply's number: they are patched


def test_an_edit_of_one_title_writes_its_pieces_only_and_of_a_filter_the_base(
    tmp_path: Path,
) -> None:
    rng = random.Random(7)
    records = [reply(rng, n) for n in range(60)]
    kept = whole(tmp_path, records)
    after = list(records)
    after[5] = replace(after[5], head=after[5].head + "鸬鹚")
    files = patched_files(tmp_path, records, after)
    assert files is not None
    paths = [path for path, _ in files]
    assert OFFLINE_INDEX not in paths  # (it holds no title)
    terms = [p for p in paths if p.startswith(f"{PIECES_DIR}/t/")]
    assert 1 <= len(terms) <= 5  # the pieces of 鸬, 鹚, 鸬鹚 and the pair before it
    before = on_disk(tmp_path)
    written = write_patch(tmp_path, files, kept)
    assert written.written == sum(1 for path, data in files if before[path] != data) >= 2
    assert on_disk(tmp_path) == dict(offline_files(after))
    tagged = list(after)
    tagged[5] = replace(after[5], filters={**after[5].filters, "tag": ("鸬鹚捕鱼",)})
    files = patched_files(tmp_path, after, tagged)
    assert files is not None
    assert files[-1][0] == OFFLINE_INDEX  # last: never newer than the pieces it names
    write_patch(tmp_path, files, written)
    assert on_disk(tmp_path) == dict(offline_files(tagged))


def test_what_cannot_be_patched_is_made_whole(tmp_path: Path) -> None:
    rng = random.Random(11)
    records = [reply(rng, n) for n in range(20)]
    whole(tmp_path, records)
    assert patched_files(tmp_path, records, records[1:]) is None  # a reply removed
    many = [reply(rng, n) for n in range(200)]
    whole(tmp_path / "many", many)
    newest = max(many, key=lambda r: r.sort["published"])
    moved = [
        replace(newest, sort={"published": "1990-01-01T00:00:00"}) if r is newest else r
        for r in many
    ]  # (every number moves by one)
    assert patched_files(tmp_path / "many", many, moved) is None
    many = [replace(r, body=r.body + "改") for r in records]
    assert patched_files(tmp_path, records, many) is not None  # (a small archive: still)
    long = replace(records[0], body="字" * (MIN_PIECES * PIECE_CHARS))
    assert patched_files(tmp_path, records, [long, *records[1:]]) is None  # more pieces
    files = patched_files(tmp_path, records, many)
    assert files is not None
    piece = tmp_path / files[0][0]  # a piece the patch reads
    good = piece.read_bytes()
    for broken in (b"broken", good[: len(good) // 2] + b'");\n', _garbage_piece(good)):
        piece.write_bytes(broken)
        assert patched_files(tmp_path, records, many) is None, broken[:60]


def _garbage_piece(script: bytes) -> bytes:
    """The piece script with valid gzip of bytes that are not a piece's data."""
    name, _ = decode_piece(script)
    return _piece_script(name, b"\xff\xff\xff")
