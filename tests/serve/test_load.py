"""The preview server's HTTP side: only requests for this computer (DNS rebinding), HTTP/1.1
keep-alive, and a burst of 200 clients all answered within a bounded time."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from builder.serve.http import BACKLOG, PreviewServer, bind, host_allowed
from builder.serve.state import SiteState


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PreviewServer]:
    (tmp_path / "index.html").write_text("<html><body><p>首页</p></body></html>", "utf-8")
    (tmp_path / "style.css").write_text("p { line-height: 1.8 }", "utf-8")
    running = bind("127.0.0.1", 0, tmp_path, SiteState())
    thread = threading.Thread(target=running.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()
    thread.join(timeout=5)


def get(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example", ""],
)
def test_a_foreign_host_name_is_refused(server: PreviewServer, host: str) -> None:
    status, body = get(server, "/", host)
    assert status == 403
    assert b"only requests for localhost" in body and "首页".encode() not in body


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "LOCALHOST.", "127.0.0.1", "[::1]:8000", "a.localhost"]
)
def test_this_computers_names_are_answered(server: PreviewServer, host: str) -> None:
    status, body = get(server, "/", host)
    assert status == 200 and "首页".encode() in body


def test_host_rules() -> None:
    assert host_allowed("preview.lan:8000", "preview.lan")  # the name it was started on
    assert host_allowed("192.168.1.20:8000", "0.0.0.0")  # an address: no DNS to rebind
    assert not host_allowed("preview.lan:8000", "0.0.0.0")
    assert not host_allowed(None, "127.0.0.1")


def test_connections_are_kept_alive(server: PreviewServer) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", "/")
        first = connection.getresponse()
        first.read()
        assert first.version == 11 and first.getheader("Connection") != "close"
        sock = connection.sock
        for path in ("/style.css", "/missing.html", "/"):
            connection.request("GET", path)
            connection.getresponse().read()
            assert connection.sock is sock, "the connection was closed between requests"
    finally:
        connection.close()


def test_the_listen_backlog_is_not_five(server: PreviewServer) -> None:
    assert server.request_queue_size == BACKLOG >= 128


@pytest.mark.slow
def test_200_clients_at_once_are_all_answered(server: PreviewServer) -> None:
    """200 clients connect at once (each on its own thread), each makes 5 requests on one
    kept-alive connection; every one is answered, all within 60 s (it takes about 1 s)."""
    clients, requests = 200, 5
    start = threading.Barrier(clients, timeout=30)

    def client(_: int) -> list[int]:
        start.wait()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        statuses = []
        try:
            for path in ("/", "/style.css") * 2 + ("/",):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                statuses.append(response.status)
        except (OSError, http.client.HTTPException) as error:
            statuses.append(-1)
            print(f"client failed: {error!r}")
        finally:
            connection.close()
        return statuses

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients), timeout=60))
    took = time.monotonic() - began
    answered = sum(status == 200 for statuses in results for status in statuses)
    assert answered == clients * requests, f"{answered} of {clients * requests} answered"
    assert took < 60
