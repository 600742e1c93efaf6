"""A first search query in headless Chromium: time to first results, requests and bytes.

    python benchmarks/query.py [--replies 10000] [--site DIR] [--runs 3]
        [--static-from CHECKOUT ...] [--queries 养老 老旧小区改造 垃圾分类] [--conditions ...]

Takes a built site (``--site``), or builds ``benchmarks/generate.py``'s archive of
``--replies`` replies with search once and keeps it (``benchmarks/archives/n<N>/output``,
git-ignored). Serves it over loopback (a separate process) and, for each query, opens
``search.html`` in a fresh browser context, waits until the search is ready, types the
query and presses Enter. It reports the median over ``--runs`` runs of:

- *first results*: ms from Enter to the first result on the page;
- *address*: ms from the navigation of ``search.html?q=…`` to its first result (the page
  loaded, the index loaded and the query run: a reader who arrives with a query);
- requests and kB the page fetched within 3 s of Enter and in all until the network is idle
  (1.5 s without a request; capped, then marked ``+``), counted from the navigation: the page,
  its scripts and the index are part of what a first query costs. Counted is what came over
  the network (a response the browser's own cache served, such as the favicon fetched again
  when ``history`` changes the address, is not), in bytes as they came: ``--gzip`` serves the
  files a static host compresses (HTML, CSS, JavaScript, JSON, SVG) with gzip, as GitHub
  Pages and most hosts do; Pagefind's index files are gzip already and served as they are.
  Every response says ``Cache-Control: max-age=600``, as GitHub Pages does.

``--pagefind-alone`` also runs each query with Pagefind alone, its own index of the same
reply pages (one Pagefind run over hard links to them, built beside the site once), on a
page of nothing but Pagefind's API: ``pagefind.init()`` on load, then ``search`` and the
data of the first 10 results. That is the least a Pagefind site fetches for a first query
(its own UI adds its scripts and styles), beside ours in the same run.

``--offline-engine`` also runs each query with the site's offline index over http: the
server answers ``pagefind/bundles.json`` with 404, so the page falls back to the offline
engine as it does when Pagefind cannot load.

Two conditions: ``loopback`` (a 1280 × 900 window) and ``phone`` (Chromium's network
emulation through CDP, 1.6 Mbit/s down and up, 150 ms latency, a 390 × 844 window: the
search page folds its filters away there, and counts them only once they are opened).
``--static-from`` serves the site with the search
scripts (``templates/static/search*.js``) of other checkouts in place of the built ones, to
compare code in the same run over the same index: ``--static-from /work/main`` (``.`` is this
checkout; the built site's own scripts are ``built``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: this checkout's code, not an installed one
    sys.path.insert(0, str(ROOT))

QUERIES = ("养老", "老旧小区改造", "垃圾分类")
CONDITIONS = {
    "loopback": None,
    # bytes per second; latency in ms
    "phone": {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 1.6e6 / 8},
}
VIEWPORTS = {"loopback": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WINDOW = 3.0  # s after Enter
IDLE = 1.5  # s without a request: the page is done
CAP = {"loopback": 30.0, "phone": 30.0}  # s after Enter at most for "in all"


# -- the server (a process of its own, so that serving does not share the GIL with the
# -- browser's driver) --------------------------------------------------------------------


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
"""What a static host sends with gzip (Pagefind's `.pf_*` and `.pagefind` are gzip already)."""
CACHE_CONTROL = "max-age=600"
"""What GitHub Pages sends with every file (a fresh browser context starts with no cache)."""
ALONE_PAGE = "/pagefind-alone.html"
ALONE_DIR = "/pagefind-alone/"
ALONE_RESULTS = 10
# Pagefind alone: its API and nothing else (the least a Pagefind site fetches for a query).
ALONE_HTML = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind alone</title>
<link rel="icon" href="data:,"></head>
<body><div id="search" data-search-mode="pagefind-alone">
<input id="search-page-input" aria-label="搜索"><ol class="search-results"></ol></div>
<script type="module">
const pagefind = await import("{ALONE_DIR}pagefind.js");
await pagefind.options({{ excerptLength: 0 }});
window.ReplyArchiveSearch = {{ ready: pagefind.init().then(() => true) }};
const input = document.querySelector("#search-page-input");
const list = document.querySelector(".search-results");
input.addEventListener("keydown", async (event) => {{
  if (event.key !== "Enter") return;
  const response = await pagefind.search(input.value);
  const pages = await Promise.all(
    response.results.slice(0, {ALONE_RESULTS}).map((result) => result.data()));
  list.replaceChildren(...pages.map((page) => {{
    const item = document.createElement("li");
    item.textContent = page.meta.title || page.url;
    return item;
  }}));
}});
</script></body></html>
"""


def serve(
    site: Path,
    static_from: Path | None,
    port: int,
    gzip_text: bool,
    alone: Path | None,
    no_pagefind: bool = False,
) -> None:
    static = (static_from / "templates" / "static") if static_from else None

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def translate_path(self, path: str) -> str:
            name = path.split("?", 1)[0]
            if static is not None and name.startswith("/static/search"):
                candidate = static / name.rsplit("/", 1)[1]
                if candidate.is_file():
                    return str(candidate)
            if alone is not None and name.startswith(ALONE_DIR):
                return str(alone / name[len(ALONE_DIR) :])
            return super().translate_path(path)

        def do_GET(self) -> None:
            name = self.path.split("?", 1)[0]
            if no_pagefind and name.endswith("/pagefind/bundles.json"):
                return self.send_error(404)
            if alone is not None and name == ALONE_PAGE:
                return self.send_body(ALONE_HTML.encode("utf-8"), "text/html; charset=utf-8")
            path = Path(self.translate_path(self.path))
            accepts = "gzip" in self.headers.get("Accept-Encoding", "")
            if gzip_text and accepts and path.suffix in COMPRESSED and path.is_file():
                return self.send_body(path.read_bytes(), self.guess_type(str(path)))
            return super().do_GET()

        def end_headers(self) -> None:
            self.send_header("Cache-Control", CACHE_CONTROL)
            super().end_headers()

        def send_body(self, body: bytes, kind: str) -> None:
            if gzip_text and "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, compresslevel=6)
                self.send_response(200)
                self.send_header("Content-Encoding", "gzip")
            else:
                self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def handler(*args: Any, **kwargs: Any) -> Handler:
        return Handler(*args, directory=str(site), **kwargs)

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # the browser closing a connection it no longer needs

    Quiet(("127.0.0.1", port), handler).serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(
        self,
        site: Path,
        static_from: Path | None,
        gzip_text: bool = False,
        alone: Path | None = None,
        no_pagefind: bool = False,
    ) -> None:
        self.port = free_port()
        command = [sys.executable, __file__, "--serve", str(site), "--port", str(self.port)]
        command += ["--static-from", str(static_from) if static_from is not None else "built"]
        if gzip_text:
            command.append("--gzip")
        if alone is not None:
            command += ["--alone-bundle", str(alone)]
        if no_pagefind:
            command.append("--no-pagefind")
        self.process = subprocess.Popen(command)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}/"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait()


# -- one run --------------------------------------------------------------------------------


@dataclass
class Traffic:
    """What the page and its workers fetched (Playwright sees the workers' requests, which a
    page's CDP session does not): start times (epoch ms) and body sizes by request, of what
    came over the network (`settle`)."""

    started: dict[Any, float] = field(default_factory=dict)
    size: dict[Any, int] = field(default_factory=dict)
    url: dict[Any, str] = field(default_factory=dict)
    open: set[Any] = field(default_factory=set)
    cached: set[Any] = field(default_factory=set)
    last: float = 0.0  # time.monotonic() of the last event

    def attach(self, context: Any) -> None:
        context.on("request", self.on_request)
        context.on("response", self.on_response)
        context.on("requestfinished", self.on_done)
        context.on("requestfailed", self.on_done)

    def on_request(self, request: Any) -> None:
        if request.url.startswith("data:"):
            return
        self.started[request] = time.time() * 1000
        self.url[request] = request.url
        self.open.add(request)
        self.last = time.monotonic()

    def on_response(self, response: Any) -> None:
        # (this server always sends the length of the body it sends: gzip when it is so)
        self.size[response.request] = int(response.headers.get("content-length", "0"))

    def on_done(self, request: Any) -> None:
        timing = request.timing
        if timing.get("startTime", -1) > 0:
            self.started[request] = timing["startTime"]
        self.open.discard(request)
        self.last = time.monotonic()

    def settle(self) -> None:
        """Sets apart the responses the browser's own cache served: nothing came over the
        network for them (Chromium reports their encoded length as 0: body and headers)."""
        for request in self.started:
            if request in self.open:
                continue
            try:
                sizes = request.sizes()
            except Exception:  # (a failed request has no sizes)
                continue
            if sizes["responseBodySize"] + sizes["responseHeadersSize"] <= 0:
                self.cached.add(request)

    def fetched(self) -> list[Any]:
        return [r for r in self.started if r not in self.cached]

    def within(self, until: float | None) -> tuple[int, int]:
        ids = [r for r in self.fetched() if until is None or self.started[r] <= until]
        return len(ids), sum(self.size.get(r, 0) for r in ids)

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """Requests and bytes by what was fetched (see `kind_of`)."""
        kinds: dict[str, tuple[int, int]] = {}
        for request in self.fetched():
            kind = kind_of(self.url[request])
            count, total = kinds.get(kind, (0, 0))
            kinds[kind] = (count + 1, total + self.size.get(request, 0))
        return dict(sorted(kinds.items()))


KINDS = (
    (".pf_index", "index chunks"),
    (".pf_meta", "metadata"),
    (".pf_fragment", "fragments"),
    (".pf_filter", "filter chunks"),
    ("pagefind-entry.json", "entries"),
    ("bundles.json", "bundles.json"),
    (".pagefind", "WebAssembly"),
    ("/search/offline/t/", "offline index pieces"),
    ("/search/offline/r/", "offline record pieces"),
    ("/search/offline-index.js", "offline base"),
    ("/pagefind/", "Pagefind's scripts"),
    (ALONE_DIR, "Pagefind's scripts"),
)


def kind_of(url: str) -> str:
    """What a request fetched, for the breakdown of a query's bytes."""
    path = url.split("?", 1)[0]
    return next((kind for mark, kind in KINDS if mark in path), "the page")


@dataclass
class Run:
    first_ms: float
    requests_3s: int
    bytes_3s: int
    requests: int
    bytes: int
    capped: bool
    results: int
    kinds: dict[str, tuple[int, int]]
    cached: int


# Resolves with performance.now() at the first result, or null after `limit` ms.
FIRST_RESULT = """(limit) => new Promise(resolve => {
  const list = document.querySelector('.search-results');
  const done = () => list.children.length > 0;
  if (done()) return resolve(performance.now());
  const observer = new MutationObserver(() => {
    if (done()) { observer.disconnect(); resolve(performance.now()); }
  });
  observer.observe(list, {childList: true});
  setTimeout(() => { observer.disconnect(); resolve(null); }, limit);
})"""


def one_run(
    browser: Any, url: str, query: str, condition: str, address: bool, engine: str = "pagefind"
) -> Run:
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[condition])
    page = context.new_page()
    traffic = Traffic()
    traffic.attach(context)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    emulation = CONDITIONS[condition]
    if emulation:
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **emulation})
    from urllib.parse import quote

    page_url = url + (ALONE_PAGE[1:] if engine == "pagefind-alone" else "search.html")
    if address:
        page.goto(page_url + "?q=" + quote(query), wait_until="domcontentloaded")
        first = page.evaluate(FIRST_RESULT, CAP[condition] * 1000)
        start = 0.0
    else:
        page.goto(page_url)
        page.wait_for_function(
            "() => window.ReplyArchiveSearch && window.ReplyArchiveSearch.ready", timeout=180_000
        )
        page.evaluate("() => window.ReplyArchiveSearch.ready")
        page.wait_for_timeout(300)  # let the page settle: the reader starts typing
        page.fill("#search-page-input", query)
        start = page.evaluate("() => performance.now()")
        page.evaluate(
            f"(limit) => {{ window.__firstResult = ({FIRST_RESULT})(limit); }}",
            CAP[condition] * 1000,
        )
        page.press("#search-page-input", "Enter")
        first = page.evaluate("() => window.__firstResult")
    mode = page.get_attribute("#search", "data-search-mode")
    if mode != engine:
        raise SystemExit(f"expected the {engine} search at {page_url}, got {mode}")
    # The navigation's time (epoch ms), by the page's clock.
    origin = page.evaluate("() => performance.timeOrigin")
    until = origin + start + WINDOW * 1000
    t_enter = time.monotonic()
    capped = first is None
    if first is None:
        first = start + CAP[condition] * 1000
    while True:
        page.wait_for_timeout(250)
        if not traffic.open and time.monotonic() - traffic.last >= IDLE:
            break
        if time.monotonic() - t_enter > CAP[condition]:
            capped = True
            break
    results = page.evaluate("() => document.querySelector('.search-results').children.length")
    traffic.settle()
    requests_3s, bytes_3s = traffic.within(until)
    requests, total = traffic.within(None)
    kinds = traffic.by_kind()
    context.close()
    return Run(
        first - start,
        requests_3s,
        bytes_3s,
        requests,
        total,
        capped,
        results,
        kinds,
        len(traffic.cached),
    )


# -- the report -----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def summary(runs: list[Run]) -> dict[str, Any]:
    return {
        "first_ms": round(median([r.first_ms for r in runs])),
        "requests_3s": round(median([r.requests_3s for r in runs])),
        "kB_3s": round(median([r.bytes_3s for r in runs]) / 1000, 1),
        "requests": round(median([r.requests for r in runs])),
        "kB": round(median([r.bytes for r in runs]) / 1000, 1),
        "capped": any(r.capped for r in runs),
        "shown": runs[0].results,
        "runs_first_ms": [round(r.first_ms) for r in runs],
        "by_kind": {kind: [n, round(size / 1000, 1)] for kind, (n, size) in runs[0].kinds.items()},
        "cached": runs[0].cached,
    }


def build_site(n: int) -> Path:
    from benchmarks.generate import default_archive, generate
    from builder.build import BuildOptions, build

    archive = default_archive(n)
    generate(n, archive)
    site = archive / "output"
    if not (site / "pagefind" / "bundles.json").exists():
        started = time.monotonic()
        build(BuildOptions(source=archive, output=site, search=True))
        print(f"built {site} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return site


def alone_bundle(site: Path) -> Path:
    """Pagefind's own index of the site's reply pages, built beside the site, again when a page
    is newer (bench.py's Pagefind-alone run: hard links to the pages, one Pagefind process,
    the extended binary)."""
    from benchmarks.bench import pagefind_alone

    work = site.parent / f"{site.name}-pagefind-alone"
    bundle = work / "pagefind-alone-bundle"
    entry = bundle / "pagefind-entry.json"
    pages = (site / "replies").rglob("*.html")
    newest = max((page.stat().st_mtime for page in pages), default=0.0)
    if not entry.exists() or entry.stat().st_mtime < newest:  # (none yet, or the site rebuilt)
        work.mkdir(exist_ok=True)
        measured = pagefind_alone(site, work, sample=False)
        print(f"Pagefind alone indexed {site}/replies in {measured.seconds:.0f} s", file=sys.stderr)
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replies", type=int, default=10000)
    parser.add_argument("--site", type=Path, help="a built site with search (else built)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", nargs="+", default=list(QUERIES))
    parser.add_argument("--conditions", nargs="+", default=list(CONDITIONS), choices=CONDITIONS)
    parser.add_argument("--address", action="store_true", help="also time search.html?q=…")
    parser.add_argument(
        "--static-from",
        nargs="+",
        default=["."],
        help="checkouts whose search scripts to serve, or 'built' (default: this checkout)",
    )
    parser.add_argument("--gzip", action="store_true", help="serve text files with gzip")
    parser.add_argument(
        "--pagefind-alone", action="store_true", help="also run each query with Pagefind alone"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--by-kind", action="store_true", help="also print a run's requests by what they fetched"
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--offline-engine",
        action="store_true",
        help="also run each query with the offline index over http",
    )
    parser.add_argument("--alone-bundle", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-pagefind", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        static = args.static_from[0] if args.static_from != ["."] else str(ROOT)
        source = None if static == "built" else Path(static)
        serve(args.serve, source, args.port, args.gzip, args.alone_bundle, args.no_pagefind)
        return 0

    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS

    site = args.site or build_site(args.replies)
    if not (site / "search.html").exists():
        parser.error(f"{site}: no search.html (build the archive with search)")
    alone = alone_bundle(site) if args.pagefind_alone else None
    host = "gzip" if args.gzip else "plain"
    figures: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # (label, scripts served, the engine the page must use)
        engines = [(checkout, checkout, "pagefind") for checkout in args.static_from]
        if alone is not None:
            engines.append(("Pagefind alone", "built", "pagefind-alone"))
        if args.offline_engine:
            engines.append(("offline engine over http", args.static_from[0], "offline"))
        for label, checkout, engine in engines:
            source = None if checkout == "built" else Path(checkout).resolve()
            server = Server(site, source, args.gzip, alone, no_pagefind=engine == "offline")
            if source is not None and engine == "pagefind":
                label = str(source)
            modes = [False, True] if args.address and engine != "pagefind-alone" else [False]
            try:
                for condition in args.conditions:
                    for query in args.queries:
                        for address in modes:
                            runs = [
                                one_run(browser, server.url, query, condition, address, engine)
                                for _ in range(args.runs)
                            ]
                            way = "address" if address else "typed"
                            key = f"{label} | {host} | {condition} | {way}"
                            row = summary(runs)
                            figures.setdefault(key, {})[query] = row
                            report(key, query, row, args.by_kind)
            finally:
                server.close()
        browser.close()
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def report(key: str, query: str, row: dict[str, Any], by_kind: bool) -> None:
    plus = "+" if row["capped"] else ""
    cached = f"; {row['cached']} from the browser's cache" if row["cached"] else ""
    print(
        f"{key} | {query}: first {row['first_ms']} ms {row['runs_first_ms']}; "
        f"3 s: {row['requests_3s']} req, {row['kB_3s']} kB; "
        f"all: {row['requests']}{plus} req, {row['kB']}{plus} kB; {row['shown']} shown{cached}",
        flush=True,
    )
    if by_kind:
        kinds = "; ".join(f"{kind} {n}, {kb} kB" for kind, (n, kb) in row["by_kind"].items())
        print("    " + kinds, flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
