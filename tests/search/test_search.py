"""The search stage: records read from the written HTML, the offline index, Pagefind."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from builder import search
from builder.build import BuildOptions, build
from builder.build.cache import CacheStore
from builder.config import Config
from builder.search import records as search_records
from builder.search.offline import (
    GROUP,
    OFFLINE_INDEX,
    PIECES_DIR,
    build_offline_index,
    decode_base,
    decode_piece,
    decode_terms,
    fold,
    gram_counts,
    gram_hash,
    write_offline_index,
)
from builder.search.records import Record, read_record, read_records
from builder.search.shards import SHARDS_DIR
from builder.sources import stat_of

WUHAI = "replies/2025/wuhaishi-2025-jianyi-hn-35.html"
QIANJIANG = "replies/2025/qianjiangshi-2025-tian-150.html"


@pytest.fixture(scope="module")
def searched_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The sample archive built with search; with the build's warnings."""
    from tests.conftest import REPO_ROOT

    output = tmp_path_factory.mktemp("searched") / "site"
    report = build(BuildOptions(source=REPO_ROOT, output=output, search=True, cache=False))
    return output, [p.message for p in report.warnings]


# -- records: the same markers Pagefind reads ---------------------------------------------


def test_a_page_without_a_body_marker_is_not_a_record() -> None:
    assert read_record("<html><body><h1>全部答复</h1></body></html>", "index.html") is None


def test_markers_take_text_literals_and_attributes() -> None:
    html = """<html><body><nav>首页</nav>
    <article data-pagefind-body data-pagefind-filter="region:乌海市, year:2025">
      <h1 data-pagefind-meta="title">答复<em>标题</em></h1>
      <p data-pagefind-ignore data-pagefind-filter="kind:人大代表建议">人大代表建议答复</p>
      <dl data-pagefind-weight="3"><dt data-pagefind-ignore>发文字号</dt>
        <dd data-pagefind-meta="doc">乌民复〔2025〕20号</dd></dl>
      <time datetime="2025-08-04" data-pagefind-sort="published[datetime]">2025年8月4日</time>
      <p>正文<br>第二行</p>
      <footer data-pagefind-ignore><a data-pagefind-filter="tag">养老服务</a></footer>
      <div data-pagefind-ignore="all"><a data-pagefind-filter="tag">不算</a>不算</div>
      <script>var x = "不算";</script>
    </article><footer>页脚</footer></body></html>"""
    record = read_record(html, "a.html")
    assert record is not None
    assert record.meta == {"title": "答复标题", "doc": "乌民复〔2025〕20号"}
    assert record.filters == {
        "region": ("乌海市",),
        "year": ("2025",),
        "kind": ("人大代表建议",),
        "tag": ("养老服务",),
    }
    assert record.sort == {"published": "2025-08-04"}
    assert record.head == "答复标题\n乌民复〔2025〕20号"
    assert record.body.split("\n") == ["2025年8月4日", "正文", "第二行"]


def test_a_backslash_keeps_a_comma_in_a_value() -> None:
    html = '<div data-pagefind-body data-pagefind-filter="tag:甲\\,乙, year:2024">x</div>'
    record = read_record(html, "a.html")
    assert record is not None and record.filters == {"tag": ("甲,乙",), "year": ("2024",)}


@pytest.mark.slow
@pytest.mark.pagefind
def test_only_replies_are_indexed_with_their_fields(searched_site: tuple[Path, list[str]]) -> None:
    records = {r.path: r for r in read_records(searched_site[0])}
    assert sorted(records) == [QIANJIANG, WUHAI]
    wuhai = records[WUHAI]
    assert wuhai.meta == {
        "title": "对市十届人大五次会议第HN-35号建议的答复",
        "bureau": "乌海市民政局",
        "doc": "乌民复〔2025〕20号",
        "date": "2025年8月4日",
        "published": "2025-08-04T12:43:38",
        # the header fields an excerpt shows by their labels, and skips in the body
        "proposal": "答复建议：《关于对加快完善我市多元化养老服务体系的建议》",
        "index": "11150300011554455T/2025-04037",
        "written": "2025年6月20日",
        "session": "市十届人大五次会议",
        "number": "第HN-35号建议",
        "proposers": "陈可才、刘治平（代表）",
        "status": "有效",
        "category": "建议提案",
    }
    assert wuhai.filters["bureau"] == ("乌海市民政局",)
    assert wuhai.filters["region"] == ("乌海市",)
    assert wuhai.filters["year"] == ("2025",)
    assert wuhai.filters["kind"] == ("人大代表建议",)
    assert "适老化改造" in wuhai.filters["tag"]
    assert wuhai.sort == {"published": "2025-08-04T12:43:38"}
    for indexed in ("陈可才、刘治平", "11150300011554455T/2025-04037", "多元化养老服务体系"):
        assert indexed in wuhai.head
    assert "现答复如下" in wuhai.body and "吴棣" in wuhai.body


@pytest.mark.pagefind
def test_navigation_and_labels_are_not_indexed(searched_site: tuple[Path, list[str]]) -> None:
    for record in read_records(searched_site[0]):
        text = record.head + record.body
        for left_out in ("首页", "发文字号", "索引号", "的全部答复", "上一件", "下一件"):
            assert left_out not in text, (record.path, left_out)


# -- the offline index ----------------------------------------------------------------------


def record(number: int, body: str = "正文") -> Record:
    published = f"20{10 + number // 12:02d}-{1 + number % 12:02d}-01T00:00:00"
    return Record(
        path=f"replies/{number}.html",
        meta={"title": f"答复{number}", "date": published[:10]},
        filters={"year": (published[:4],)},
        sort={"published": published},
        head=f"答复{number}",
        body=body,
    )


def pieces(index_files: dict[str, bytes], kind: str) -> dict[str, Any]:
    """The decoded pieces of one kind ("t" or "r") by name."""
    found: dict[str, Any] = {}
    for path, data in index_files.items():
        if path.startswith(f"{PIECES_DIR}/{kind}/"):
            name, payload = decode_piece(data)
            found[name] = decode_terms(payload) if kind == "t" else json.loads(payload)
    return found


def test_the_offline_index_holds_every_record_by_number_oldest_first() -> None:
    records = [record(n, body=f"第{n}件的正文") for n in reversed(range(250))]
    index = build_offline_index(records)
    base = decode_base(index.files[OFFLINE_INDEX])
    assert base["version"] == 2 and base["replies"] == 250 and base["group"] == GROUP
    assert base["months"][:2] == [["2010-01", 1], ["2010-02", 1]]  # type: ignore[index]
    assert base["filters"]["year"]["values"][0] == "2010"  # type: ignore[index]
    assert base["filters"]["year"]["replies"][:13] == [1] * 12 + [2]  # type: ignore[index]
    records_by_piece = pieces(index.files, "r")
    assert len(records_by_piece) == 25
    assert records_by_piece["r/0"][0] == ["replies/0.html", record(0).meta, "答复0", "第0件的正文"]
    assert records_by_piece["r/24"][9][0] == "replies/249.html"


def test_every_gram_is_in_the_piece_its_hash_names_with_its_counts() -> None:
    records = [record(0, body="好好好，养老服务。"), record(1, body="养老")]
    index = build_offline_index(records)
    count = decode_base(index.files[OFFLINE_INDEX])["termPieces"]
    terms = pieces(index.files, "t")
    assert len(terms) == count
    for name, grams in terms.items():
        for gram in grams:
            assert int(name[2:], 16) == gram_hash(gram) % int(str(count))
    merged = {gram: lists for grams in terms.values() for gram, lists in grams.items()}
    assert merged["养老"]["b"] == [(0, 1), (1, 1)]
    assert merged["好好"]["b"] == [(0, 1)]  # without overlaps, as the page counts
    assert merged["好"]["b"] == [(0, 3)]
    assert merged["答复"]["h"] == [(0, 1), (1, 1)] and merged["答复"]["b"] == []
    assert "〔" not in merged and all(not lists["f"] for lists in merged.values())


def test_counts_are_capped_and_texts_folded_as_the_page_folds() -> None:
    assert gram_counts("的" * 120)["的的"] == 60
    assert fold("乌民复[2025]20号　ＡＢＣ（一）") == "乌民复〔2025〕20号 abc〔一〕"
    assert fold("\U00020000") == "\ud840\udc00"  # UTF-16 code units, as JavaScript sees it
    index = build_offline_index([record(0, body="的" * 120)])
    merged = {g: lists for grams in pieces(index.files, "t").values() for g, lists in grams.items()}
    assert merged["的"]["b"] == [(0, 50)]


def test_the_offline_index_is_deterministic_and_rewrites_only_what_changed(
    tmp_path: Path,
) -> None:
    records = [record(n, body=f"第{n}件的正文") for n in range(45)]
    first = build_offline_index(records)
    assert first.files == build_offline_index(list(reversed(records))).files
    assert write_offline_index(tmp_path, first.files.items()).written == len(first.files)
    assert write_offline_index(tmp_path, first.files.items()).written == 0
    changed = build_offline_index([*records[:-1], record(44, body="新的正文")])
    rewritten = [path for path, data in changed.files.items() if first.files[path] != data]
    assert f"{PIECES_DIR}/r/4.js" in rewritten and f"{PIECES_DIR}/r/0.js" not in rewritten
    assert write_offline_index(tmp_path, changed.files.items()).written == len(rewritten)
    fewer = build_offline_index(records[:15])
    write_offline_index(tmp_path, fewer.files.items())
    on_disk = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.js")}
    assert on_disk == set(fewer.files)  # the pieces of the replies gone are removed


def test_the_fold_and_the_hash_are_the_pages_own() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    from tests.conftest import REPO_ROOT

    static = REPO_ROOT / "templates" / "static"
    sample = "".join(map(chr, range(0x20, 0x3100))) + "".join(map(chr, range(0xFE00, 0xFFFF)))
    sample += "\U00020000好〔"
    script = (
        "const vm = require('vm'); const fs = require('fs'); const c = {window: {}};"
        "vm.createContext(c);"
        f"for (const f of ['search-core.js', 'search-offline.js']) vm.runInContext("
        f"fs.readFileSync({json.dumps(str(static))} + '/' + f, 'utf8'), c);"
        "const S = c.window.ReplyArchiveSearch; const text = fs.readFileSync(0, 'utf8');"
        "const f = S.fold(text); const grams = [];"
        "for (let i = 0; i + 2 <= f.length; i += 97) grams.push(f.slice(i, i + 2));"
        "process.stdout.write(JSON.stringify({fold: f, hashes: grams.map("
        "g => [[...g].flatMap(c => c.length > 1 ? [c.charCodeAt(0), c.charCodeAt(1)] :"
        " [c.charCodeAt(0)]), S.OfflineEngine.gramHash(g)])}));"
    )
    done = subprocess.run(
        [node, "-e", script], input=sample, capture_output=True, text=True, check=True
    )
    page = json.loads(done.stdout)
    units = "utf-16-le", "surrogatepass"  # json.loads joins a pair of surrogates in one
    assert page["fold"].encode(*units) == fold(sample).encode(*units)
    hashes = page["hashes"]
    assert hashes and all(gram_hash("".join(map(chr, g))) == h for g, h in hashes)


def pages_only(archive: Path, tmp_path: Path) -> Path:
    """`archive` built without search into a new folder, for a test to index."""
    output = tmp_path / "out"
    build(BuildOptions(source=archive, output=output, search=False, cache=False))
    return output


def test_a_build_lists_its_pages_to_the_search_stage_from_its_manifest(
    tmp_path: Path, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given: list[Any] = []
    monkeypatch.setattr(search, "index_output", lambda *arguments: given.append(arguments) or [])
    output = tmp_path / "out"
    build(BuildOptions(source=sample_archive, output=output, search=True, cache=False))
    ((_, _, _, manifest),) = given
    pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    assert pages and pages <= set(manifest), "every page the build wrote"
    for path in pages:
        assert (manifest[path].mtime_ns, manifest[path].size) == stat_of((output / path).stat())


@pytest.mark.slow
def test_an_unchanged_site_makes_no_offline_index_and_an_edit_patches_it(
    tmp_path: Path, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = pages_only(sample_archive, tmp_path)
    store = CacheStore(tmp_path / "cache")
    first = search.index_site(output, Config(), pagefind=False, store=store)
    assert first.offline_written == first.offline_files > 2
    made = search.offline.offline_files

    def refused(records: list[Record]) -> Any:
        raise AssertionError("the offline index is made whole again")

    monkeypatch.setattr(search.offline, "offline_files", refused)
    again = search.index_site(output, Config(), pagefind=False, store=store)
    assert again.offline_written == 0 and again.offline_files == first.offline_files
    page = output / WUHAI
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</article>", "<p>鸬鹚捕鱼</p></article>", 1), "utf-8")
    edited = search.index_site(output, Config(), pagefind=False, store=store)
    assert 0 < edited.offline_written < edited.offline_files
    _, data = decode_piece((output / PIECES_DIR / "r" / "0.js").read_bytes())
    assert "鸬鹚捕鱼" in json.loads(data)[1][3]
    whole = dict(made(read_records(output)))
    assert {path: (output / path).read_bytes() for path in whole} == whole
    assert edited.offline_files == len(whole)
    assert edited.offline_bytes == sum(map(len, whole.values()))
    (output / OFFLINE_INDEX).unlink()  # (as a patch cut short leaves it)
    page.write_text(html, "utf-8")
    monkeypatch.setattr(search.offline, "offline_files", made)
    monkeypatch.setattr(search.offline, "patched_files", refused)
    search.index_site(output, Config(), pagefind=False, store=store)  # made whole
    whole = dict(made(read_records(output)))
    assert {path: (output / path).read_bytes() for path in whole} == whole


class MemoryStore:
    """A search state store that can be told to forget what it is given (a run killed
    after it wrote the index, or a cache write that failed)."""

    def __init__(self) -> None:
        self.state: object = None
        self.saving = True

    def load_search(self, output: Path, key: str) -> object:
        return self.state

    def save_search(self, output: Path, key: str, state: object) -> None:
        if self.saving:
            self.state = state


@pytest.mark.slow
def test_an_index_the_cache_does_not_describe_is_made_whole_not_patched(
    tmp_path: Path, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = pages_only(sample_archive, tmp_path)
    store = MemoryStore()
    search.index_site(output, Config(), pagefind=False, store=store)
    page = output / WUHAI
    html = page.read_text(encoding="utf-8")
    made = search.offline.offline_files
    patched: list[int] = []

    def counted(*args: Any) -> Any:
        patched.append(1)
        return real_patch(*args)

    real_patch = search.offline.patched_files
    monkeypatch.setattr(search.offline, "patched_files", counted)

    def edit(text: str) -> None:
        page.write_text(html.replace("</article>", f"<p>{text}</p></article>", 1), "utf-8")

    def index_is_whole() -> None:
        whole = dict(made(read_records(output)))
        assert {p.relative_to(output).as_posix() for p in output.rglob("*.js")} >= set(whole)
        assert {path: (output / path).read_bytes() for path in whole} == whole

    # A patch whose state was not saved (the run killed during Pagefind, a full disk):
    store.saving = False
    edit("甲乙")
    search.index_site(output, Config(), pagefind=False, store=store)
    assert patched == [1]
    store.saving = True
    edit("甲丙")  # (a patch from the saved state would keep 乙 and 甲乙 for this reply)
    search.index_site(output, Config(), pagefind=False, store=store)
    assert patched == [1], "patched over an index the cache does not describe"
    index_is_whole()
    # A patch, or a whole index, cut short: nothing says what the index was made from.
    edit("丁")

    def cut(path: Path, data: bytes) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search.offline, "write_if_changed", cut)
    with pytest.raises(OSError):
        search.index_site(output, Config(), pagefind=False, store=store)
    assert patched == [1, 1]  # (this one was a patch)
    assert not (output / search.OFFLINE_MADE).exists()
    monkeypatch.undo()
    monkeypatch.setattr(search.offline, "patched_files", counted)
    edit("戊")
    search.index_site(output, Config(), pagefind=False, store=store)
    assert patched == [1, 1], "patched over an index cut short"
    index_is_whole()
    edit("己")
    search.index_site(output, Config(), pagefind=False, store=store)
    assert patched == [1, 1, 1]  # the cache and the index agree again: patched
    index_is_whole()


@pytest.mark.pagefind
def test_the_build_writes_the_offline_index(searched_site: tuple[Path, list[str]]) -> None:
    output = searched_site[0]
    assert decode_base((output / OFFLINE_INDEX).read_bytes())["replies"] == 2
    name, data = decode_piece((output / PIECES_DIR / "r" / "0.js").read_bytes())
    assert name == "r/0" and [entry[0] for entry in json.loads(data)] == [QIANJIANG, WUHAI]
    assert not [w for w in searched_site[1] if "offline" in w]


# -- Pagefind -----------------------------------------------------------------------------


def test_pagefind_runs_its_extended_binary() -> None:
    binary = search.extended_binary()
    assert binary is not None and binary.name.startswith("pagefind_extended")


@pytest.mark.pagefind
def test_pagefind_indexes_only_the_replies_and_segments_chinese(
    searched_site: tuple[Path, list[str]],
) -> None:
    output, warnings = searched_site
    assert not [w for w in warnings if "search" in w or "Pagefind" in w]
    listed = json.loads((output / "pagefind/bundles.json").read_text())
    assert [p.name for p in (output / SHARDS_DIR).iterdir()] == ["2025"]
    assert listed["bundles"] == ["2025"]
    # The filters' values over the shards' pages, for the search page to show without
    # loading Pagefind's filter chunks.
    assert listed["filters"]["year"] == {"2025": 2}
    assert set(listed["filters"]) == {"bureau", "region", "year", "tag", "kind"}  # no outcome
    assert sum(listed["filters"]["bureau"].values()) == 2
    bundle = output / "pagefind" / "2025"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["zh"]["page_count"] == 2
    fragments = [_fragment(path) for path in sorted((bundle / "fragment").iterdir())]
    wuhai = next(f for f in fragments if f["url"].endswith("hn-35.html"))
    assert wuhai["meta"]["doc"] == "乌民复〔2025〕20号"
    assert wuhai["filters"]["bureau"] == ["乌海市民政局"]
    # The extended binary cuts Chinese into words (zero-width spaces between them); the
    # standard one would keep the whole run of Han characters as one word.
    assert "养老\u200b服务" in wuhai["content"]
    assert not (bundle / "pagefind-ui.js").exists()


@pytest.mark.slow
@pytest.mark.pagefind
def test_reindexing_replaces_the_bundle(searched_site: tuple[Path, list[str]]) -> None:
    output = searched_site[0]
    report = search.index_site(output, Config())
    assert report.pagefind_pages == 2 and report.records == 2
    assert report.shards_indexed == ["2025"]  # without a saved state, every shard
    assert len(list((output / SHARDS_DIR / "2025").glob("*.pf_meta"))) == 1
    assert len(list((output / "pagefind/2025").glob("*.pf_meta"))) == 1
    assert not list(output.parent.glob(".*pagefind*"))


@pytest.mark.slow
def test_without_the_extended_binary_the_build_warns_and_keeps_offline_search(
    tmp_path: Path, sample_archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "extended_binary", lambda: None)
    report = build(BuildOptions(source=sample_archive, output=tmp_path / "out"))
    (problem,) = [p for p in report.warnings if "Pagefind" in p.message]
    assert "extended binary is missing" in problem.message
    assert (tmp_path / "out" / OFFLINE_INDEX).is_file()
    assert not (tmp_path / "out" / "pagefind").exists()


@pytest.mark.slow
@pytest.mark.pagefind
def test_a_quick_build_keeps_the_search_folders(tmp_path: Path, sample_archive: Path) -> None:
    output = tmp_path / "out"
    build(BuildOptions(source=sample_archive, output=output, search=True))
    before = (output / OFFLINE_INDEX).read_bytes()
    build(BuildOptions(source=sample_archive, output=output, search=False))
    assert (output / OFFLINE_INDEX).read_bytes() == before
    assert (output / "pagefind" / "2025" / "pagefind.js").is_file()


def _fragment(path: Path) -> dict[str, Any]:
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    fragment: dict[str, Any] = json.loads(data[len(b"pagefind_dcd") :])
    return fragment


@pytest.mark.pagefind
def test_the_extended_binary_runs_even_when_another_is_configured(
    searched_site: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    report = search.index_site(searched_site[0], Config())
    assert report.problems == []
    assert report.pagefind_binary == search.extended_binary()
    assert report.pagefind_pages == 2


@pytest.mark.pagefind
def test_a_failing_pagefind_is_a_warning_not_a_traceback(
    searched_site: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "pagefind_extended"
    broken.write_text("#!/bin/sh\necho 'cannot index' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setattr(search, "extended_binary", lambda: broken)
    bundle = searched_site[0] / "pagefind" / "2025"
    before = sorted(p.name for p in bundle.iterdir())
    report = search.index_site(searched_site[0], Config())
    (problem,) = report.problems
    assert "Pagefind failed: cannot index" in problem.message
    assert sorted(p.name for p in bundle.iterdir()) == before


@pytest.mark.pagefind
def test_pages_read_by_workers_are_read_as_in_one_process(
    searched_site: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    output = searched_site[0]
    monkeypatch.setattr(search_records, "PARALLEL_FROM", 10**9)
    alone = search_records.read_pages(output, {})
    monkeypatch.setattr(search_records, "PARALLEL_FROM", 1)
    monkeypatch.setattr(search_records.os, "cpu_count", lambda: 2)
    assert search_records.read_pages(output, {}) == alone
    assert len(alone) > 2 and len(search_records.records_of(alone)) == 2


def _read_copy(
    searched_site: tuple[Path, list[str]], tmp_path: Path
) -> tuple[Path, search_records.Pages, search_records.Pages]:
    """A copy of the searched site, its pages as read, and the same with every digest
    replaced (so a page read again shows)."""
    site = tmp_path / "site"
    shutil.copytree(searched_site[0], site)
    first = search_records.read_pages(site, {})
    stale = {path: replace(page, digest=b"as before") for path, page in first.items()}
    return site, first, stale


@pytest.mark.pagefind
def test_a_page_is_read_again_only_when_its_size_or_time_changed(
    searched_site: tuple[Path, list[str]], tmp_path: Path
) -> None:
    site, first, stale = _read_copy(searched_site, tmp_path)
    page = site / WUHAI
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = search_records.read_pages(site, stale)
    assert again[WUHAI].digest == first[WUHAI].digest, "Pagefind would make the same of it"
    assert again[WUHAI].stat != first[WUHAI].stat
    assert all(again[path].digest == b"as before" for path in again if path != WUHAI)


@pytest.mark.pagefind  # (the site it reads is built with search)
def test_pages_listed_by_the_output_gate_are_read_by_the_stats_it_gives(
    searched_site: tuple[Path, list[str]], tmp_path: Path
) -> None:
    site, first, stale = _read_copy(searched_site, tmp_path)
    listed = {path: page.stat for path, page in first.items()}
    other = next(path for path in first if path != WUHAI)
    listed[WUHAI] = (first[WUHAI].stat[0] + 1, first[WUHAI].stat[1])  # written by the gate
    del listed[other]  # no page of the build's (a file the gate does not own)
    listed["search/offline-index.js"] = (1, 1)  # not a page
    listed["pagefind/.hidden/x.html"] = (1, 1)  # (in a hidden folder, as a walk skips it)
    listed["replies/2025/removed-since.html"] = (1, 1)  # gone when it is read: left out
    again = search_records.read_pages(site, stale, listed)
    assert again[WUHAI].digest == first[WUHAI].digest and again[WUHAI].stat == listed[WUHAI]
    left_out = {"search/offline-index.js", "pagefind/.hidden/x.html"}
    left_out.add("replies/2025/removed-since.html")
    assert other not in again and set(again) == set(listed) - left_out
    assert all(again[path].digest == b"as before" for path in again if path != WUHAI)


@pytest.mark.pagefind  # (the site it reads is built with search)
def test_a_page_s_digest_is_what_pagefind_indexes_of_it(
    searched_site: tuple[Path, list[str]],
) -> None:
    html = (searched_site[0] / WUHAI).read_text(encoding="utf-8")
    record = search_records.read_record(html, WUHAI)
    digest = search_records.indexed_digest(html.encode(), record)
    footer = html.replace("</footer>", "<p>邻近答复的新标题</p></footer>", 1)
    assert footer != html and search_records.indexed_digest(footer.encode(), record) == digest
    body = html.replace("</article>", "<p>鸬鹚捕鱼</p></article>", 1)
    changed = search_records.read_record(body, WUHAI)
    assert search_records.indexed_digest(body.encode(), changed) != digest
    weight = html.replace('data-pagefind-weight="5"', 'data-pagefind-weight="2"', 1)
    assert weight != html and search_records.indexed_digest(weight.encode(), record) != digest
