"""The HTTP side of `serve`: the output folder, the reload script and its event stream.

Only files inside the output folder are served (no `..`, no symlink out of it), with exact
types. HTML responses get the reload script just before `</body>`: the script exists only in
what the server sends, never in the output. Everything the server adds lives under
`/__reply_archive/`.

Requests must name this computer in their `Host` header (`localhost`, a name under
`.localhost`, an IP address, or the host the server was started on): a page of another
site that points its own name at 127.0.0.1 (DNS rebinding) is refused, so it cannot read
the preview of an unpublished archive. Connections are HTTP/1.1 and kept alive, with a
listen backlog of `BACKLOG`.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import socket
import socketserver
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from builder.output import HIDDEN
from builder.serve.state import OutputLock, SiteState, Snapshot

PREFIX = "/__reply_archive/"
EVENTS_PATH = PREFIX + "events"
STATE_PATH = PREFIX + "state.json"
SCRIPT_PATH = PREFIX + "reload.js"
SCRIPT_FILE = Path(__file__).with_name("reload.js")
KEEP_ALIVE_SECONDS = 15.0
BACKLOG = 1024
"""Connections the kernel queues before the server accepts them (the default was 5)."""
IDLE_SECONDS = 30.0
"""An idle kept-alive connection is closed after this long."""

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}
"""By suffix; anything else (Pagefind's `.pf_*` and `.pagefind` chunks) is binary data."""
BINARY = "application/octet-stream"

NOT_BUILT_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>预览：网站尚未构建</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>网站尚未构建成功</h1>
<p>改正错误并保存后，页面会自动刷新。The site has not been built yet: fix the errors and
save, and this page reloads.</p></main></body></html>
"""


class PortInUse(Exception):
    """No port could be bound (in use, or not a port); the message says which and what to do."""


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], output: Path, state: SiteState) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PreviewHandler)
        self.host = address[0].strip("[]").lower()
        self.output = output
        self.state = state
        self.lock = OutputLock()
        self.script = SCRIPT_FILE.read_bytes()

    def server_bind(self) -> None:
        # HTTPServer's own looks the host's name up in DNS, which can hang on a closed network.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.port

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page that went away mid-answer is normal here; anything else is one line."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            print(f"preview server: {error!r} answering {client_address}", file=sys.stderr)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def bind(
    host: str, port: int | None, output: Path, state: SiteState, first: int = 8000
) -> PreviewServer:
    """A server on `host:port`; without a port, on `first` or one of the 9 ports after it."""
    if port is not None and not 0 <= port < 65536:
        raise PortInUse(f"--port {port} is not a port: choose a number from 1 to 65535")
    ports = [port] if port is not None else list(range(first, first + 10))
    for candidate in ports:
        try:
            return PreviewServer((host, candidate), output, state)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise PortInUse(f"cannot listen on {host}:{candidate}: {_reason(error)}") from None
    if port is not None:
        raise PortInUse(
            f"port {port} on {host} is in use (another server is running there): "
            "stop it, or choose another --port"
        )
    raise PortInUse(
        f"ports {ports[0]}–{ports[-1]} on {host} are all in use: choose one with --port"
    )


def _reason(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return "unknown host name"
    return error.strerror or str(error)


def host_allowed(header: str | None, started_on: str) -> bool:
    """Whether a `Host` header names this computer (see the module's docstring)."""
    if not header:
        return False
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = name.rstrip(".")
    if name in ("localhost", started_on) or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def file_for(output: Path, request_path: str) -> Path | None:
    """The file in `output` a URL path names, or `None` when there is none or it is not
    inside `output` (`..`, encoded or not, a symlink out). A folder means its index.html."""
    path = urlsplit(request_path).path
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if any(part == ".." or "\\" in part or "\0" in part for part in parts):
        return None
    if parts and parts[0] == HIDDEN:  # the build's staging, journal and lock
        return None
    root = output.resolve()
    try:
        found = root.joinpath(*parts).resolve()
        if found.is_dir():
            found = (found / "index.html").resolve()
    except (OSError, RuntimeError):
        return None
    if root not in found.parents:
        return None
    return found if found.is_file() else None


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower(), BINARY)


def with_script(html: bytes, epoch: str) -> bytes:
    """`html` with the reload script just before its last `</body>` (or at its end)."""
    tag = f'<script src="{SCRIPT_PATH}" data-epoch="{epoch}"></script>\n'.encode()
    at = html.lower().rfind(b"</body>")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "reply-archive-preview"
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is for builds and errors

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if not host_allowed(self.headers.get("Host"), self.server.host):
            refusal = b"this preview answers only requests for localhost\n"
            self._send(HTTPStatus.FORBIDDEN, TYPES[".txt"], refusal, head)
        elif path == EVENTS_PATH and not head:
            self._stream_events()
        elif path == STATE_PATH:
            body = json.dumps(self.server.state.snapshot().as_json(), ensure_ascii=False)
            self._send(HTTPStatus.OK, "application/json", body.encode(), head)
        elif path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, TYPES[".js"], self.server.script, head)
        elif path.startswith(PREFIX):
            self._send(HTTPStatus.NOT_FOUND, TYPES[".txt"], b"not found\n", head)
        else:
            self._send_file(path, head)

    def _send_file(self, path: str, head: bool) -> None:
        with self.server.lock.reading():
            found = file_for(self.server.output, self.path)
            status, data, kind = self._read(found)
            epoch = self.server.state.snapshot().epoch
        if found is not None and found.name == "index.html" and not path.endswith(("/", ".html")):
            self._redirect("/" + path.strip("/") + "/")  # a folder: its links are relative
        elif kind == TYPES[".html"]:
            self._send(status, kind, with_script(data, epoch), head)
        else:
            self._send(status, kind, data, head)

    def _read(self, found: Path | None) -> tuple[HTTPStatus, bytes, str]:
        try:
            if found is not None:
                return HTTPStatus.OK, found.read_bytes(), content_type(found)
            return (
                HTTPStatus.NOT_FOUND,
                (self.server.output / "404.html").read_bytes(),
                TYPES[".html"],
            )
        except OSError:
            return HTTPStatus.NOT_FOUND, NOT_BUILT_PAGE.encode(), TYPES[".html"]

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: HTTPStatus, kind: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _stream_events(self) -> None:
        """Server-Sent Events: the state now, then each time it changes, until the end."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")  # the stream ends with the connection
        self.close_connection = True
        self.end_headers()
        state = self.server.state
        snapshot = state.snapshot()
        try:
            self._send_event(snapshot)
            while not snapshot.closed:
                latest = state.wait_after(snapshot.version, KEEP_ALIVE_SECONDS)
                if latest.version == snapshot.version:
                    self.wfile.write(b": keep-alive\n\n")
                elif not latest.closed:
                    self._send_event(latest)
                self.wfile.flush()
                snapshot = latest
        except OSError:
            pass  # the page went away

    def _send_event(self, snapshot: Snapshot) -> None:
        data = json.dumps(snapshot.as_json(), ensure_ascii=False)
        self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
        self.wfile.flush()
