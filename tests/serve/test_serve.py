"""`reply-archive serve`: a real server over a temporary archive, edited as editors do.

Each test starts the server as a subprocess on a free port, changes files, and polls (with
a bounded wait, no fixed sleeps) until the served site shows the change. The helpers at the
bottom hold the subprocess, raw HTTP requests and the event stream.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from builder.serve import announcement
from builder.serve.http import PortInUse, bind, content_type, file_for, with_script
from builder.serve.state import OutputLock, SiteState
from builder.serve.watch import Batch, ChangeQueue, Watcher
from builder.slugs import slugify

from ..conftest import REPO_ROOT

WAIT_SECONDS = 30.0

REPLY = """\
---
title: {title}
kind: proposal
bureau: {bureau}
published: {published}
tags: [{tags}]
---

{body}
"""


def reply_text(
    title: str,
    body: str = "您提出的建议收悉,现答复如下:",
    tags: str = "养老服务",
    bureau: str = "潜江市民政局",
    published: str = "2025-07-07",
) -> str:
    return REPLY.format(title=title, body=body, tags=tags, bureau=bureau, published=published)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An archive of three replies in `tmp_path/site`."""
    root = tmp_path / "site"
    replies = root / "content" / "replies" / "2025"
    replies.mkdir(parents=True)
    (root / "site.toml").write_text('title = "预览测试"\n', encoding="utf-8")
    (replies / "alpha.md").write_text(reply_text("甲答复", "甲的正文。"), encoding="utf-8")
    (replies / "beta.md").write_text(
        reply_text("乙答复", "乙的正文。", tags="社区养老", bureau="乌海市民政局"), "utf-8"
    )
    (replies / "gamma.md").write_text(
        reply_text("丙答复", "丙的正文。", published="2025-08-01"), "utf-8"
    )
    return root


@pytest.fixture
def server(site: Path) -> Iterator[Server]:
    running = Server.start(site, "--no-search")
    yield running
    running.stop_cleanly()


# Editing: the served pages follow the files.


@pytest.mark.slow
def test_an_edited_reply_is_served_and_open_pages_are_told_to_reload(
    server: Server, site: Path
) -> None:
    events = server.events()
    first = events.next_state()
    reply = site / "content/replies/2025/alpha.md"
    reply.write_text(reply_text("甲答复", "改过的正文。"), encoding="utf-8")

    server.wait_for_page("replies/2025/alpha.html", lambda page: "改过的正文" in page)
    reload = events.next_state(lambda state: state["epoch"] != first["epoch"])
    assert reload["errors"] == []


@pytest.mark.slow
def test_a_changed_title_reaches_the_listings_and_the_neighbours(
    server: Server, site: Path
) -> None:
    assert "甲答复" in server.page("replies/2025/gamma.html"), "alpha is gamma's neighbour"
    (site / "content/replies/2025/alpha.md").write_text(
        reply_text("甲答复改名", "甲的正文。"), encoding="utf-8"
    )
    server.wait_for_page("replies/2025/alpha.html", lambda page: "甲答复改名" in page)
    for path in ("replies/2025/gamma.html", "index.html", "tags/yanglaofuwu/index.html"):
        assert "甲答复改名" in server.page(path), path
    bureau = server.page(f"bureaus/{slugify('潜江市民政局')}/index.html")
    assert "甲答复改名" in bureau
    assert "甲答复改名" not in server.page("replies/2025/beta.html"), "not beta's neighbour"


@pytest.mark.slow
def test_a_save_through_a_temporary_file_and_rename_is_seen(server: Server, site: Path) -> None:
    folder = site / "content/replies/2025"
    # JetBrains: write x___jb_tmp___, move x to x___jb_old___, move the new file in, delete.
    temporary, old = folder / "alpha.md___jb_tmp___", folder / "alpha.md___jb_old___"
    temporary.write_text(reply_text("甲答复", "第一次换名保存。"), encoding="utf-8")
    os.rename(folder / "alpha.md", old)
    os.rename(temporary, folder / "alpha.md")
    old.unlink()
    server.wait_for_page("replies/2025/alpha.html", lambda page: "第一次换名保存" in page)

    # vim: probe with 4913, keep a backup alpha.md~, write a new alpha.md, drop the backup.
    (folder / "4913").write_text("", encoding="utf-8")
    (folder / "4913").unlink()
    os.rename(folder / "alpha.md", folder / "alpha.md~")
    (folder / "alpha.md").write_text(reply_text("甲答复", "第二次换名保存。"), encoding="utf-8")
    (folder / "alpha.md~").unlink()
    server.wait_for_page("replies/2025/alpha.html", lambda page: "第二次换名保存" in page)


@pytest.mark.slow
def test_a_created_reply_gets_a_page_and_a_place_in_the_listings(
    server: Server, site: Path
) -> None:
    (site / "content/replies/2025/delta.md").write_text(
        reply_text("丁答复", "丁的正文。"), encoding="utf-8"
    )
    server.wait_for_page("replies/2025/delta.html", lambda page: "丁的正文" in page)
    assert "丁答复" in server.page("index.html")
    assert "丁答复" in server.page("tags/yanglaofuwu/index.html")


@pytest.mark.slow
def test_a_deleted_reply_leaves_no_page_and_no_listing_entry(server: Server, site: Path) -> None:
    assert "乙答复" in server.page("index.html")
    (site / "content/replies/2025/beta.md").unlink()

    server.wait_for(lambda: server.get("/replies/2025/beta.html").status == 404, "page gone")
    assert "乙答复" not in server.page("index.html")
    assert "乙答复" not in server.page("bureaus/index.html")
    # 社区养老 was beta's tag alone: its listing goes too
    assert server.get("/tags/shequyanglao/index.html").status == 404


@pytest.mark.slow
def test_a_moved_reply_is_served_at_its_new_name_only(server: Server, site: Path) -> None:
    events = server.events()
    first = events.next_state()
    folder = site / "content/replies"
    # Into a folder made just before: watchdog cannot pair the two halves of this move.
    (folder / "2024").mkdir()
    os.rename(folder / "2025/beta.md", folder / "2024/beta.md")
    moved = events.next_state(lambda state: state["builds"] > first["builds"])
    os.rename(folder / "2024/beta.md", folder / "2024/beta-moved.md")

    server.wait_for_page("replies/2025/beta-moved.html", lambda page: "乙的正文" in page)
    server.wait_for(lambda: server.get("/replies/2025/beta.html").status == 404, "old page")
    home = server.page("index.html")
    assert "beta-moved.html" in home and "beta.html" not in home
    assert moved["errors"] == [], "the reply was never there twice"
    assert not any(state["errors"] for state in events.seen())


@pytest.mark.slow
def test_a_folder_moved_in_is_one_rebuild(server: Server, site: Path, tmp_path: Path) -> None:
    # A git checkout or a folder copied in: many files at once.
    batch = tmp_path / "batch"
    batch.mkdir()
    for number in range(30):
        (batch / f"batch-{number:02}.md").write_text(
            reply_text(f"批量答复{number}", f"批量正文{number}。"), encoding="utf-8"
        )
    before = server.state()["builds"]
    os.rename(batch, site / "content/replies/batch")

    server.wait_for_page("replies/2025/batch-29.html", lambda page: "批量正文29" in page)
    assert all(server.get(f"/replies/2025/batch-{n:02}.html").status == 200 for n in range(30))
    assert server.state()["builds"] == before + 1


@pytest.mark.slow
def test_a_folder_moved_away_takes_its_replies_with_it(
    server: Server, site: Path, tmp_path: Path
) -> None:
    os.rename(site / "content/replies/2025", tmp_path / "away")
    (site / "content/replies/2026").mkdir()
    (site / "content/replies/2026/epsilon.md").write_text(
        reply_text("戊答复", published="2026-01-05"), encoding="utf-8"
    )
    server.wait_for_page("replies/2026/epsilon.html", lambda page: "戊答复" in page)
    for name in ("alpha", "beta", "gamma"):
        assert server.get(f"/replies/2025/{name}.html").status == 404


@pytest.mark.slow
def test_a_changed_tag_updates_the_old_and_the_new_listing(server: Server, site: Path) -> None:
    assert "甲答复" in server.page("tags/yanglaofuwu/index.html")
    new_tag = slugify("智慧养老")
    (site / "content/replies/2025/alpha.md").write_text(
        reply_text("甲答复", "甲的正文。", tags="智慧养老"), encoding="utf-8"
    )
    server.wait_for_page(f"tags/{new_tag}/index.html", lambda page: "甲答复" in page)
    old = server.page("tags/yanglaofuwu/index.html")
    assert "丙答复" in old and "甲答复" not in old


@pytest.mark.slow
def test_a_changed_bureau_moves_the_reply_between_bureau_listings(
    server: Server, site: Path
) -> None:
    new_bureau = slugify("潜江市教育局")
    (site / "content/replies/2025/gamma.md").write_text(
        reply_text("丙答复", bureau="潜江市教育局", published="2025-08-01"), encoding="utf-8"
    )
    server.wait_for_page(f"bureaus/{new_bureau}/index.html", lambda page: "丙答复" in page)
    assert "丙答复" not in server.page(f"bureaus/{slugify('潜江市民政局')}/index.html")


@pytest.mark.slow
def test_a_template_and_the_config_are_watched(server: Server, site: Path) -> None:
    # templates/ does not exist when the server starts: it is watched once it appears.
    (site / "templates").mkdir()
    theme_404 = (REPO_ROOT / "templates/404.html").read_text(encoding="utf-8")
    for marker in ("模板已更改一", "模板已更改二"):
        changed = theme_404.replace("{% endblock %}", f"<p>{marker}</p>{{% endblock %}}", 1)
        (site / "templates/404.html").write_text(changed, encoding="utf-8")
        server.wait_for_page("404.html", _contains(marker))

    (site / "site.toml").write_text('title = "改过的站名"\n', encoding="utf-8")
    server.wait_for_page("replies/2025/beta.html", lambda page: "改过的站名" in page)


# Errors: the last good site stays, with the errors over it.


@pytest.mark.slow
def test_a_broken_file_shows_its_errors_and_fixing_it_removes_them(
    server: Server, site: Path
) -> None:
    reply = site / "content/replies/2025/beta.md"
    good = reply.read_text(encoding="utf-8")
    events = server.events()
    events.next_state()
    reply.write_text(good.replace("kind: proposal", "kind: <b>opinion</b>"), encoding="utf-8")

    failed = events.next_state(lambda state: bool(state["errors"]))
    assert failed["errors"] == [
        "content/replies/2025/beta.md:3: unknown kind `<b>opinion</b>` "
        "(use suggestion (建议) or proposal (提案))"
    ]
    page = server.get("/replies/2025/beta.html")
    assert page.status == 200 and "乙的正文" in page.text, "the last good page is still served"
    assert server.state()["errors"] == failed["errors"]

    reply.write_text(good, encoding="utf-8")
    fixed = events.next_state(lambda state: not state["errors"])
    assert fixed["epoch"] == failed["epoch"], "the fix wrote nothing new: no reload needed"


# Serving: only the output folder, with the right types; the script only in responses.


@pytest.mark.parametrize(
    "path",
    [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/site.toml",
        "/%2e%2e%2fsite.toml",
        "/..%2fsite.toml",
        "/static/../../site.toml",
        "/static/%2e%2e/%2e%2e/site.toml",
        "/%252e%252e/site.toml",
        "/..%5csite.toml",
        "/%5c..%5csite.toml",
        "/..\\site.toml",
        "//site.toml",
        "/../content/replies/2025/alpha.md",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%c0%ae%c0%ae/site.toml",
        "/replies/2025/alpha.html%00.css",
        "/link-out/site.toml",
        "/link-out.toml",
    ],
)
@pytest.mark.slow
def test_nothing_outside_the_output_folder_is_served(
    shared_server: Server, shared_site: Path, path: str
) -> None:
    response = shared_server.get(path)
    assert response.status == 404, path
    for secret in ("secret-7f3a", "kind: proposal", "root:"):
        assert secret not in response.text, path


def test_folders_serve_their_index_and_redirect_to_a_slash(shared_server: Server) -> None:
    assert "甲答复" in shared_server.get("/").text
    assert "甲答复" in shared_server.get("/tags/yanglaofuwu/").text
    moved = shared_server.get("/tags/yanglaofuwu")
    assert (moved.status, moved.headers["location"]) == (301, "/tags/yanglaofuwu/")
    assert shared_server.get("//example.org").status == 404


def test_responses_have_exact_types(shared_server: Server) -> None:
    types = {
        "/index.html": "text/html; charset=utf-8",
        "/static/style.css": "text/css; charset=utf-8",
        "/static/site.js": "text/javascript; charset=utf-8",
        "/robots.txt": "text/plain; charset=utf-8",
        "/__reply_archive/reload.js": "text/javascript; charset=utf-8",
        "/__reply_archive/state.json": "application/json",
    }
    for path, kind in types.items():
        response = shared_server.get(path)
        assert (response.status, response.headers["content-type"]) == (200, kind), path
        assert response.headers["x-content-type-options"] == "nosniff"
    missing = shared_server.get("/no/such/page.html")
    assert missing.status == 404 and "text/html" in missing.headers["content-type"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("x.wasm", "application/wasm"),
        ("pagefind.js", "text/javascript; charset=utf-8"),
        ("pagefind-entry.json", "application/json"),
        ("wasm.zh.pagefind", "application/octet-stream"),
        ("pagefind.zh_1a2b.pf_meta", "application/octet-stream"),
        ("feed.xml", "application/xml; charset=utf-8"),
        ("INDEX.HTML", "text/html; charset=utf-8"),
    ],
)
def test_content_types_by_name(name: str, kind: str) -> None:
    assert content_type(Path(name)) == kind


def test_the_reload_script_is_in_html_responses_only_never_in_the_output(
    shared_server: Server, shared_site: Path
) -> None:
    page = shared_server.get("/replies/2025/alpha.html").text
    tag = '<script src="/__reply_archive/reload.js" data-epoch="'
    assert tag in page and page.index(tag) < page.rindex("</body>")
    assert "__reply_archive" not in shared_server.get("/static/site.js").text
    assert "__reply_archive" in shared_server.get("/404-no-such.html").text
    for written in (shared_site / "output").rglob("*"):
        if written.is_file():
            assert b"__reply_archive" not in written.read_bytes(), written


@pytest.mark.slow
@pytest.mark.pagefind
def test_the_search_index_is_refreshed_after_the_pages(site: Path) -> None:
    running = Server.start(site)
    try:
        running.wait_for(lambda: running.get("/pagefind/bundles.json").status == 200, "index")
        entry = running.get("/pagefind/2025/pagefind-entry.json")
        assert entry.headers["content-type"] == "application/json"
        bundle = sorted(p.name for p in (site / "output/pagefind/2025").iterdir())
        chunk = next(name for name in bundle if name.endswith(".pf_meta"))
        assert running.get(f"/pagefind/2025/{chunk}").headers["content-type"] == (
            "application/octet-stream"
        )
        offline = site / "output/search"  # the offline index: its base and its pieces

        def indexed() -> dict[Path, bytes]:
            return {file: file.read_bytes() for file in sorted(offline.rglob("*.js"))}

        before = indexed()
        reply = site / "content/replies/2025/alpha.md"
        reply.write_text(reply_text("甲答复", "检索新词鸬鹚。"), encoding="utf-8")
        running.wait_for_page("replies/2025/alpha.html", lambda page: "鸬鹚" in page)
        running.wait_for(lambda: running.said("search index refreshed") >= 2, "a second index")
        after = indexed()
        assert after.keys() == before.keys() and after != before
    finally:
        running.stop_cleanly()


# Starting and stopping.


@pytest.mark.slow
def test_ctrl_c_stops_cleanly(site: Path) -> None:
    running = Server.start(site, "--no-search")
    running.process.send_signal(signal.SIGINT)
    code = running.exit_code()
    assert code == 0
    running.wait_for(lambda: "stopped" in running.stderr(), "the last line")
    assert "Traceback" not in running.stderr()
    assert not (site / "output/.reply-archive/staging").exists()


@pytest.mark.slow
def test_ctrl_c_in_a_terminal_reaches_the_build_workers_and_stops_them_quietly(
    tmp_path: Path,
) -> None:
    from benchmarks.generate import generate

    archive = generate(600, tmp_path / "archive")  # enough for the build to fork workers
    running = Server.start(archive, "--no-search", session=True, first_build=False)
    running.wait_for(lambda: bool(_children(running.process.pid)), "the build's workers")
    workers = _children(running.process.pid)
    os.killpg(running.process.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    code = running.exit_code()
    running.wait_for(lambda: "stopped" in running.stderr(), "the last line")
    assert code == 0
    assert "Traceback" not in running.stderr()
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert not (tmp_path / "archive/output/.reply-archive/staging").exists()


@pytest.mark.slow
def test_a_port_in_use_is_said_plainly(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "builder", "serve", "--source", str(site)]
            + ["--port", str(port), "--no-search"],
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
            env=_environment(),
        )
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is in use" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (site / "output").exists(), "nothing is built when the server cannot start"


def test_without_a_port_the_next_free_one_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortInUse, match=f"port {port} on 127.0.0.1 is in use"):
            bind("127.0.0.1", port, tmp_path, SiteState())
        server = bind("127.0.0.1", None, tmp_path, SiteState(), first=port)
        try:
            assert port < server.port <= port + 10
        finally:
            server.server_close()
    assert announcement(tmp_path, "127.0.0.1", None, server.port, first=port)[0] == (
        f"port {port} is in use: serving on port {server.port} instead"
    )


def test_binding_beyond_this_computer_is_said_plainly(tmp_path: Path) -> None:
    lines = announcement(tmp_path, "0.0.0.0", 8000, 8000)
    assert any("anyone who can reach" in line for line in lines)
    assert lines[-1].endswith("http://127.0.0.1:8000/ (Ctrl-C stops)")
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        lines = announcement(tmp_path, host, 8000, 8000)
        assert not any("anyone" in line for line in lines), host


# Units: the path check, the script, the lock and the queue of changes.


def test_file_for_keeps_to_the_output_folder(tmp_path: Path) -> None:
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "a/index.html").write_text("a")
    (output / "b.html").write_text("b")
    (tmp_path / "secret.txt").write_text("s")
    (output / "out.txt").symlink_to(tmp_path / "secret.txt")
    (output / "in.html").symlink_to(output / "b.html")
    assert file_for(output, "/a/") == (output / "a/index.html").resolve()
    assert file_for(output, "/b.html?x=1#y") == (output / "b.html").resolve()
    assert file_for(output, "/in.html") == (output / "b.html").resolve()
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/out.txt", "/a/../../secret.txt"):
        assert file_for(output, path) is None, path
    assert file_for(output, "/missing.html") is None
    assert file_for(output, "/%ff.html") is None


def test_the_script_goes_before_the_last_closing_body() -> None:
    page = b"<html><body><p>&lt;/body&gt;</p></BODY></html>"
    result = with_script(page, "e-1")
    assert result.startswith(b"<html><body><p>&lt;/body&gt;</p><script src=")
    assert result.endswith(b'data-epoch="e-1"></script>\n</BODY></html>')
    assert with_script(b"<p>no body</p>", "e").startswith(b"<p>no body</p><script")


def test_a_build_waits_for_the_reads_in_flight_and_reads_wait_for_the_build() -> None:
    lock, order = OutputLock(), []
    reading = threading.Event()

    def build() -> None:
        with lock.writing():
            order.append("build")

    with lock.reading():
        reading.set()
        builder = threading.Thread(target=build)
        builder.start()
        builder.join(timeout=0.2)
        order.append("read done")
    builder.join(timeout=WAIT_SECONDS)
    assert order == ["read done", "build"]


@pytest.mark.slow
def test_a_burst_of_changes_is_one_batch() -> None:
    changes = ChangeQueue(quiet=0.3, longest=WAIT_SECONDS)
    paths = [Path(f"/a/{n}.md") for n in range(20)]
    done = threading.Event()

    def burst() -> None:
        for path in paths + paths[-1:] * 10:  # a file written in many chunks: still going
            changes.put([path])
            time.sleep(0.01)
        done.set()

    writer = threading.Thread(target=burst)
    writer.start()
    batch = changes.take()
    assert done.is_set(), "the batch waited for the events to pause"
    writer.join()
    assert batch is not None and batch.paths == set(paths) and not batch.everything
    assert batch.changed == sorted(paths)
    changes.put(None)
    changes.put([paths[0]])
    unknown = changes.take()
    assert unknown is not None and unknown.everything and unknown.changed is None
    changes.close()
    assert changes.take() is None


@pytest.mark.slow
def test_the_watcher_reports_changed_files_and_not_the_editors_leftovers(
    site: Path, tmp_path: Path
) -> None:
    batches: queue.Queue[Batch | None] = queue.Queue()
    changes = ChangeQueue(quiet=0.3, longest=WAIT_SECONDS)
    watcher = Watcher(site, site / "output", changes.put)
    watcher.start()
    try:
        threading.Thread(target=lambda: batches.put(changes.take()), daemon=True).start()
        folder = site.resolve() / "content/replies/2025"
        (folder / "new.md").write_text("x", encoding="utf-8")
        (folder / ".new.md.swp").write_text("x", encoding="utf-8")
        (folder / "4913").write_text("", encoding="utf-8")
        (folder / "gamma.md").unlink()
        os.rename(folder / "beta.md", folder / "beta-2.md")
        (site / "output").mkdir()
        (site / "output/index.html").write_text("x", encoding="utf-8")
        batch = batches.get(timeout=WAIT_SECONDS)
    finally:
        watcher.stop()
        changes.close()
    assert batch is not None
    assert batch.paths == {folder / name for name in ("new.md", "gamma.md", "beta.md", "beta-2.md")}


# The subprocess and its HTTP.


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Server:
    process: subprocess.Popen[str]
    host: str = ""
    port: int = 0
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls, source: Path, *options: str, session: bool = False, first_build: bool = True
    ) -> Server:
        """The server on a free port; `session`: in a process group of its own, as in a
        terminal; `first_build`: return once the first build is done."""
        command = [sys.executable, "-m", "builder", "serve", "--source", str(source)]
        process = subprocess.Popen(
            [*command, "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_environment(),
            start_new_session=session,
        )
        server = cls(process)
        _collect(process.stdout, server.out)
        _collect(process.stderr, server.err)
        server.wait_for(lambda: any(" at http://" in line for line in server.out), "the address")
        address = next(line for line in server.out if " at http://" in line)
        server.host, port = address.split("http://")[1].split("/")[0].split(":")
        server.port = int(port)
        if first_build:
            server.wait_for(lambda: server.state()["builds"] >= 1, "the first build")
        return server

    def get(self, path: str) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=WAIT_SECONDS)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            headers = {name.lower(): value for name, value in response.getheaders()}
            return Response(response.status, headers, response.read())
        finally:
            connection.close()

    def page(self, path: str) -> str:
        response = self.get("/" + path)
        assert response.status == 200, f"/{path}: {response.status}"
        return response.text

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = json.loads(self.get("/__reply_archive/state.json").body)
        return state

    def wait_for_page(self, path: str, test: Callable[[str], bool]) -> None:
        def shows() -> bool:
            response = self.get("/" + path)
            return response.status == 200 and test(response.text)

        self.wait_for(shows, f"/{path}")

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None and self.process.returncode != 0:
                raise AssertionError(f"the server exited: {self.stderr()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"waited for {what}; server said:\n{self.stderr()}")
            time.sleep(0.05)

    def events(self) -> Events:
        return Events(self.host, self.port)

    def said(self, start: str) -> int:
        """How many lines of the server's output begin with `start`."""
        return sum(line.startswith(start) for line in self.out)

    def exit_code(self) -> int:
        """Once the server has exited; one that does not within the wait is killed."""
        try:
            return self.process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the server did not stop: {self.stderr()}") from None

    def stderr(self) -> str:
        return "\n".join(self.err)

    def stop_cleanly(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.exit_code()
        assert code == 0, self.stderr()
        assert "Traceback" not in self.stderr(), self.stderr()


class Events:
    """The server's event stream, read in a thread: each `state` event's data."""

    def __init__(self, host: str, port: int) -> None:
        self.states: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connection = http.client.HTTPConnection(host, port, timeout=WAIT_SECONDS)
        self.connection.request("GET", "/__reply_archive/events")
        response = self.connection.getresponse()
        assert response.headers["content-type"].startswith("text/event-stream")
        threading.Thread(target=self._read, args=(response,), daemon=True).start()

    def _read(self, response: http.client.HTTPResponse) -> None:
        try:
            for raw in response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    self.states.put(json.loads(line[len("data: ") :]))
        except (OSError, ValueError):
            pass

    def seen(self) -> list[dict[str, Any]]:
        """The states received and not yet taken."""
        found = []
        while not self.states.empty():
            found.append(self.states.get())
        return found

    def next_state(self, test: Callable[[dict[str, Any]], bool] = lambda s: True) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            state = self.states.get(timeout=max(0.0, deadline - time.monotonic()))
            if not state["building"] and test(state):
                return state


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shared") / "site"
    replies = root / "content/replies/2025"
    replies.mkdir(parents=True)
    (root / "site.toml").write_text('# secret-7f3a\ntitle = "预览测试"\n', encoding="utf-8")
    (replies / "alpha.md").write_text(reply_text("甲答复"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def shared_server(shared_site: Path) -> Iterator[Server]:
    running = Server.start(shared_site, "--no-search")
    (shared_site / "output/link-out").symlink_to(shared_site)
    (shared_site / "output/link-out.toml").symlink_to(shared_site / "site.toml")
    yield running
    running.stop_cleanly()


def _children(pid: int) -> list[int]:
    """The processes `pid` forked (Linux), from any of its threads."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):  # the thread ended
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _contains(text: str) -> Callable[[str], bool]:
    return lambda page: text in page


def _collect(stream: Any, lines: list[str]) -> None:
    def read() -> None:
        for line in stream:
            lines.append(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()


def _environment() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT) + (os.pathsep + path if path else "")}
