"""The offline index at scale, from file:// in headless Chromium, on the 1,000-reply
benchmark archive (indexed without Pagefind): every reply's body is searched, a query loads
only the pieces it needs, and the results, their order and the counts are those of reading
every reply's text (the engine before the index was cut into pieces, kept here as the
reference)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from benchmarks.generate import generate
from builder.build import BuildOptions, build
from builder.config import load_config
from builder.search import index_site
from builder.search.offline import OFFLINE_INDEX, PIECES_DIR, ordered
from builder.search.records import Record, read_records
from tests.browser.test_search import PAGE_SIZE, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPLIES = 1000


@pytest.fixture(scope="module")
def scale_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Record]]:
    root = tmp_path_factory.mktemp("offline-scale")
    archive = generate(REPLIES, root / "archive")
    build(BuildOptions(source=archive, output=root / "site", search=False))
    report = index_site(root / "site", load_config(archive).config, pagefind=False)
    assert report.problems == []
    return root / "site", ordered(read_records(root / "site"))


def rarest_phrase(reply: Record, others: list[Record], length: int = 8) -> str:
    """A run of `reply`'s body that the fewest other replies hold."""
    runs = {
        line[i : i + length]
        for line in reply.body.split("\n")
        for i in range(0, len(line) - length, 7)
        if not any(char.isspace() or not char.isalnum() for char in line[i : i + length])
    }
    return min(sorted(runs), key=lambda run: sum(run in other.body for other in others))


def test_the_oldest_reply_is_found_by_its_body(
    page: Page, scale_site: tuple[Path, list[Record]]
) -> None:
    site, replies = scale_site
    oldest = replies[0]
    phrase = rarest_phrase(oldest, replies)
    page.goto((site / "search.html").as_uri() + "?q=" + quote(phrase))
    settle(page)
    assert page.get_attribute("#search", "data-search-mode") == "offline"
    links = page.locator(".search-result-title a")
    hrefs = [str(links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert any(href.endswith(oldest.path) for href in hrefs), (phrase, hrefs)
    assert phrase in "".join(page.locator(".search-result-snippet mark").all_inner_texts())


def test_a_query_loads_only_the_pieces_it_needs(
    page: Page, scale_site: tuple[Path, list[Record]]
) -> None:
    site = scale_site[0]
    requested: list[str] = []  # what the browser loaded, by its own account
    page.on("request", lambda request: requested.append(request.url))
    page.goto((site / "search.html").as_uri() + "?q=" + quote("老旧小区改造"))
    settle(page)
    assert page.locator(".search-result").count() == PAGE_SIZE
    loaded = [url for url in requested if "/search/" in url]
    names = sorted(name.split("/search/", 1)[1] for name in loaded)
    terms = [name for name in names if name.startswith("offline/t/")]
    records = [name for name in names if name.startswith("offline/r/")]
    assert OFFLINE_INDEX.split("/", 1)[1] in names
    grams = page.evaluate("window.ReplyArchiveSearch.OfflineEngine.gramsOf('老旧小区改造').length")
    assert 1 <= len(terms) <= grams == 5  # one piece per pair of characters at most
    assert 1 <= len(records) <= 20
    assert len(names) == 1 + len(terms) + len(records)
    scripts = [url.rsplit("/", 1)[1].split("?")[0] for url in requested if "/static/" in url]
    assert "search-offline.js" in scripts and "search-pagefind.js" not in scripts
    on_disk = sum(1 for _ in (site / PIECES_DIR).rglob("*.js"))
    assert len(names) * 5 < on_disk  # 23 of 228 files here
    engine = page.evaluate("window.ReplyArchiveSearch.page.engine.loaded")
    assert sorted(f"offline/{name}.js" for name in engine) == sorted(terms + records)


# The engine before the index was cut into pieces: every reply's text read, matched and
# ranked (title and metadata matches, then occurrences, then the newest).
REFERENCE = """async (q) => {
  const S = window.ReplyArchiveSearch;
  await S.ready;
  const engine = S.page.engine;
  const group = engine.info.group;
  const pieces = [];
  for (let start = 0; start < engine.count; start += group) {
    pieces.push(engine.recordPiece(start));
  }
  const records = [].concat(...(await Promise.all(pieces)));
  const replies = records.map((r, n) => {
    const f = engine.valuesOf(n);
    return { u: r[0], m: r[1], h: r[2], b: r[3], f: f, fh: S.fold(r[2] || ""),
      fb: S.fold(r[3] || ""), ff: S.filterText(f), date: r[1].published || "" };
  }).reverse();
  const query = { text: q.text, terms: S.parseTerms(q.text), filters: q.filters || {},
    sort: q.sort || "", range: q.range || null };
  const terms = query.terms;
  const matches = (r) =>
    terms.every((t) => r.fh.includes(t) || r.ff.includes(t) || r.fb.includes(t));
  const passes = (r, filters) =>
    Object.keys(filters).every((k) => (r.f[k] || []).includes(filters[k]));
  const dated = (r) => S.inRange(r.date, query.range);
  const kept = replies.filter((r) => passes(r, query.filters) && matches(r) && dated(r));
  const ranked = kept.map((r) => {
    let head = 0, count = 0;
    terms.forEach((t) => {
      if (r.fh.includes(t) || r.ff.includes(t)) head += 1;
      count += S.countOccurrences(r.fh, t, 50) + S.countOccurrences(r.fb, t, 50);
    });
    return { r: r, head: head, count: count, date: r.date };
  });
  const byDate = (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  ranked.sort(query.sort === "asc" ? byDate : query.sort === "desc" ? (a, b) => byDate(b, a)
    : (a, b) => b.head - a.head || b.count - a.count || byDate(b, a));
  const counts = S.emptyCounts();
  const keys = Object.keys(query.filters);
  replies.forEach((r) => {
    if (!matches(r) || !dated(r)) return;
    const failed = keys.filter((k) => (r.f[k] || []).indexOf(query.filters[k]) < 0);
    if (failed.length === 0) S.tally(counts, r.f);
    else if (failed.length === 1) S.tally(counts, r.f, failed);
  });
  const expected = ranked.map((x) => S.makeResult(engine.root, x.r.u, x.r.m, x.r.b, x.r.f, terms));

  const early = await engine.counts(query);
  const cursor = await engine.search(query);
  const first = await cursor.next(20);
  const rest = await cursor.next(100000);
  const total = await cursor.finish();
  // Every candidate of the query checked, whatever the filters: the counts are exact.
  await (await engine.search(Object.assign({}, query, { filters: {}, range: null }))).finish();
  const got = await engine.counts(query);
  return { expected: expected, counts: counts, results: first.concat(rest), total: total,
    got: got, early: early };
}"""

QUERIES: list[dict[str, Any]] = [
    {"text": "养老"},
    {"text": "老旧小区改造"},
    {"text": "垃圾分类"},
    {"text": "养"},
    {"text": "服务 养老"},
    {"text": "乌民复[2018]"},
    {"text": "ar-1"},
    {"text": "建议的答复"},
    {"text": "老旧小区改造", "sort": "asc"},
    {"text": "垃圾分类", "sort": "desc"},
    {"text": "养老", "filters": {"year": "2020"}},
    {"text": "改造", "range": {"from": "2019-03", "to": "2020-02"}},
    {"text": "", "filters": {"tag": "职业教育"}, "sort": "asc"},
    {"text": "职业教育", "filters": {"kind": "人大代表建议"}},
    {"text": "量子计算机"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: json.dumps(q, ensure_ascii=False))
def test_the_results_are_those_of_reading_every_reply(
    page: Page, scale_site: tuple[Path, list[Record]], query: dict[str, Any]
) -> None:
    page.goto((scale_site[0] / "search.html").as_uri())
    settle(page)
    answer = page.evaluate(REFERENCE, query)
    assert answer["results"] == answer["expected"]
    assert answer["total"] == len(answer["expected"])
    assert answer["got"] == answer["counts"]
    # Before any check, a count is exact, or a lower bound of a filter marked partial.
    early, exact = answer["early"], answer["counts"]
    partial = early.pop("partial", {})
    for key, values in exact.items():
        if key in partial:
            assert all(early[key].get(v, 0) <= n for v, n in values.items())
        else:
            assert early[key] == values
    if query["text"] in ("养老", "老旧小区改造"):
        assert len(answer["expected"]) > 20  # more than a page: the order is tested
