"""Search quality and index sizes on synthetic archives (benchmarks/generate.py).

    python benchmarks/search_quality.py                 # quality on 1,000 replies
    python benchmarks/search_quality.py --sizes 1000 10000

Quality: a set of queries (single words, compounds, names of proposers, document and index
numbers, and words in no reply) whose truth is the set of replies whose text (title, fields,
body, as in the source files) contains the query as written. For the hosted search (Pagefind
over http, in headless Chromium) and the offline search (file://), it reports precision (the
share of the first 20 results that contain the query) and recall (the share of the replies
containing the query that the search returns at all), and, for comparison, Pagefind's own
results before our check. Goal: both at least 99%.

Sizes: builds the archive, then times and measures the Pagefind bundle and the offline index.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import re
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: this checkout's code, not an installed one
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import DEFAULT_ARCHIVES, generate  # noqa: E402
from builder.build import BuildOptions, build  # noqa: E402
from builder.config import load_config  # noqa: E402
from builder.search import index_site  # noqa: E402
from builder.sources import find_reply_files  # noqa: E402
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

TOP = 20
GOAL = 0.99
WORDS = [
    "养老",
    "助餐",
    "医养结合",
    "适老化改造",
    "食品安全",
    "停车",
    "就业",
    "物业管理",
    "义务教育",
]
WORDS += ["城市更新", "公共卫生", "乡村振兴", "院前急救", "垃圾分类", "农村公路"]
COMPOUNDS = ["老旧小区改造", "家庭医生签约服务", "社区居家养老服务", "职业技能培训"]
COMPOUNDS += ["保障性租赁住房", "既有住宅加装电梯", "老年助餐服务", "城乡公交一体化"]
COMPOUNDS += ["助餐服务", "养老服务设施", "农村互助养老", "普惠性幼儿园建设"]
ABSENT = ["量子计算机", "火星探测", "区块链金融"]
FIELDS: tuple[str, ...] = ("title", "proposal_title", "bureau", "session", "doc_number")
FIELDS += ("index_number", "category", "status")
RUN_QUERY = """async (query) => {
  const S = window.ReplyArchiveSearch;
  await S.ready;
  const started = performance.now();
  const cursor = await S.page.engine.search({terms: S.parseTerms(query), filters: {}, sort: ""});
  const results = await cursor.next(1e9);
  return {hrefs: results.map(r => r.href), ms: performance.now() - started};
}"""
RUN_PAGEFIND_ALONE = """async (query) => {
  const engine = window.ReplyArchiveSearch.page.engine;  // every bundle, merged by score
  const results = await engine.searchShards(query, {}, "");
  const pages = await Promise.all(results.map(r => r.data()));
  return {hrefs: pages.map(p => p.raw_url.replace(/^\\/+/, "")), ms: 0};
}"""


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    truth: frozenset[str]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    returned: int
    ms: float


# -- the archive and its truth ------------------------------------------------------------


def reply_texts(archive: Path) -> dict[str, str]:
    """Each reply's searchable text from its source file, by its page's output path."""
    texts = {}
    for path in find_reply_files(archive):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        values = [str(data[key]) for key in FIELDS if data.get(key)]
        values += [str(name) for name in data.get("proposers") or []]
        values += [str(value) for value in (data.get("contacts") or {}).values()]
        body = re.sub(r"^#+\s*", "", body, flags=re.MULTILINE)
        year = str(data["published"])[:4]
        texts[f"replies/{year}/{data.get('slug') or path.stem}.html"] = "\n".join(values + [body])
    return texts


def sampled_fields(archive: Path, key: str, count: int, seed: int) -> list[str]:
    files = find_reply_files(archive)
    found: list[str] = []
    for path in random.Random(seed).sample(files, min(len(files), count * 3)):
        value = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1]).get(key)
        for item in value if isinstance(value, list) else [value]:
            if item and str(item) not in found and len(found) < count:
                found.append(str(item))
    return found


def fragments(texts: dict[str, str], count: int, seed: int) -> list[str]:
    """Random runs of 2-6 Chinese characters from the texts: not words a reader would type
    (通用 across 一卡通|用), a stress test outside the goal."""
    rng = random.Random(seed)
    paths = sorted(texts)
    found: list[str] = []
    while len(found) < count:
        runs = re.findall(r"[\u4e00-\u9fff]{6,}", texts[rng.choice(paths)])
        run, length = rng.choice(runs), rng.randint(2, 6)
        start = rng.randint(0, len(run) - length)
        found.append(run[start : start + length])
    return found


def queries(archive: Path, texts: dict[str, str]) -> list[Query]:
    chosen = [(q, "word") for q in WORDS] + [(q, "compound") for q in COMPOUNDS]
    chosen += [(q, "name") for q in sampled_fields(archive, "proposers", 12, 1)]
    chosen += [(q, "doc number") for q in sampled_fields(archive, "doc_number", 10, 2)]
    chosen += [(q, "index number") for q in sampled_fields(archive, "index_number", 5, 3)]
    chosen += [(q, "absent") for q in ABSENT]
    chosen += [(q, "fragment") for q in fragments(texts, 40, 4)]
    return [
        Query(text, kind, frozenset(p for p, t in texts.items() if text in t))
        for text, kind in chosen
    ]


# -- running the searches -----------------------------------------------------------------


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def score(query: Query, hrefs: list[str], ms: float) -> Score:
    top = hrefs[:TOP]
    precision = sum(h in query.truth for h in top) / len(top) if top else 1.0
    recall = len(query.truth & set(hrefs)) / len(query.truth) if query.truth else 1.0
    return Score(precision, recall, len(hrefs), ms)


def run_all(page: Any, url: str, mode: str, script: str, found: list[Query]) -> list[Score]:
    page.goto(url + "search.html")
    page.wait_for_function("() => window.ReplyArchiveSearch && window.ReplyArchiveSearch.ready")
    page.evaluate("() => window.ReplyArchiveSearch.ready")
    actual = page.get_attribute("#search", "data-search-mode")
    if actual != mode:
        raise SystemExit(f"expected the {mode} search at {url}, got {actual}")
    scores = []
    for query in found:
        result = page.evaluate(script, query.text)
        scores.append(score(query, result["hrefs"], result["ms"]))
    return scores


def measure_quality(site: Path, found: list[Query]) -> dict[str, list[Score]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, serve(site) as url:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        results = {
            "hosted (Pagefind + check)": run_all(page, url, "pagefind", RUN_QUERY, found),
            "Pagefind alone": run_all(page, url, "pagefind", RUN_PAGEFIND_ALONE, found),
            "offline (file://)": run_all(
                page, site.resolve().as_uri() + "/", "offline", RUN_QUERY, found
            ),
        }
        browser.close()
    return results


# -- reports --------------------------------------------------------------------------------


def report_quality(found: list[Query], results: dict[str, list[Score]]) -> bool:
    present = [i for i, q in enumerate(found) if q.truth and q.kind != "fragment"]
    stress = [i for i, q in enumerate(found) if q.kind == "fragment"]
    print(f"{len(found)} queries ({len(present)} words, compounds, names and numbers to find)")
    print(f"{'query':<34}{'kind':<14}{'truth':>6}  " + "".join(f"{n[:22]:>24}" for n in results))
    for i, query in enumerate(found):
        cells = "".join(
            f"{s[i].precision:>9.0%} {s[i].recall:>5.0%} {s[i].returned:>6}  "
            for s in results.values()
        )
        print(f"{query.text:<30}{query.kind:<12}{len(query.truth):>6}  {cells}")
    ok = True
    for name, scores in results.items():
        kept = [scores[i] for i in present]
        precision = statistics.mean(s.precision for s in kept)
        recall = statistics.mean(s.recall for s in kept)
        absent = all(scores[i].returned == 0 for i, q in enumerate(found) if not q.truth)
        median = statistics.median(s.ms for s in scores)
        print(
            f"{name}: precision {precision:.1%}, recall {recall:.1%}, "
            f"absent words find nothing: {absent}, median {median:.0f} ms per query"
        )
        stressed = [scores[i] for i in stress]
        print(
            f"    fragments (outside the goal): precision "
            f"{statistics.mean(s.precision for s in stressed):.1%}, "
            f"recall {statistics.mean(s.recall for s in stressed):.1%}"
        )
        if name != "Pagefind alone":
            ok = ok and precision >= GOAL and recall >= GOAL and absent
    return ok


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def measure_sizes(n: int, work: Path) -> dict[str, Any]:
    archive = generate(n, work / f"n{n}")
    site = work / f"n{n}-site"
    started = time.perf_counter()
    built = build(BuildOptions(source=archive, output=site, search=False))
    render = time.perf_counter() - started
    report = index_site(site, load_config(archive).config)
    pagefind_bytes, pagefind_files = folder_size(site / "pagefind")
    return {
        "replies": n,
        "pages": built.pages,
        "build without search (s)": round(render, 1),
        "read pages (s)": round(report.timings["read"], 1),
        "Pagefind indexing (s)": round(report.timings["pagefind"], 1),
        "Pagefind bundle (bytes)": pagefind_bytes,
        "Pagefind files": pagefind_files,
        "Pagefind shards": report.shards,
        "offline index (s)": round(report.timings["offline"], 1),
        "offline index (bytes)": report.offline_bytes,
        "offline index (files)": report.offline_files,
        "warnings": [p.message for p in report.problems],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--replies", type=int, default=1000, help="archive size for quality")
    parser.add_argument("--sizes", type=int, nargs="*", help="measure index sizes for these N")
    parser.add_argument("--work", type=Path, default=DEFAULT_ARCHIVES, help="archives folder")
    args = parser.parse_args(argv)
    if args.sizes:
        for n in args.sizes:
            print(json.dumps(measure_sizes(n, args.work), ensure_ascii=False), flush=True)
        return 0
    archive = generate(args.replies, args.work / f"n{args.replies}")
    site = args.work / f"n{args.replies}-site"
    build(BuildOptions(source=archive, output=site, search=True))
    found = queries(archive, reply_texts(archive))
    return 0 if report_quality(found, measure_quality(site, found)) else 1


if __name__ == "__main__":
    sys.exit(main())
