"""A loopback HTTP server that plays feed publishers, good and bad, for tests and benchmarks.

Routes are plain mutable objects in a dict, so a test can change what a path answers between two polls.
It runs `ThreadingHTTPServer` on 127.0.0.1 with an ephemeral port and a deep listen backlog, so several
hundred feeds can be fetched at once. Every request is logged with the headers it carried.
"""

from __future__ import annotations

import email.utils
import gzip as gzip_module
import sys
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

__all__ = ["FeedServer", "RequestRecord", "Route", "gzip_bomb"]


@dataclass
class Route:
    """What one path answers. Fields may be changed while the server runs.

    - `etag` / `last_modified`: sent as validators; a matching If-None-Match / If-Modified-Since gets 304.
    - `delay`: seconds to wait before the status line (tests a slow server).
    - `drip`: seconds between body chunks of `chunk_size` bytes (tests the total-time budget).
    - `gzip`: compress `body` and send Content-Encoding: gzip.
    - `chunked`: send the body with Transfer-Encoding: chunked and no Content-Length.
    - `stream_bytes`: send this many filler bytes, chunked, instead of `body` (stops when the client leaves).
    - `drop`: close the connection without answering.
    - `gate`: answer only once this event is set (the test decides when a "hanging" server recovers).
    """

    body: bytes = b""
    status: int = 200
    content_type: str | None = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    drip: float = 0.0
    chunk_size: int = 16 * 1024
    gzip: bool = False
    chunked: bool = False
    stream_bytes: int = 0
    drop: bool = False
    gate: threading.Event | None = None

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> Route:
        """A redirect to `location` (absolute or relative)."""
        return cls(status=status, content_type=None, headers={"Location": location})


@dataclass(frozen=True)
class RequestRecord:
    """One request as the server saw it (header names lower-cased)."""

    method: str
    path: str
    headers: Mapping[str, str]
    at: float = field(default_factory=time.time)
    """When the request arrived (time.time())."""


def gzip_bomb(decoded_size: int) -> bytes:
    """A gzip stream of `decoded_size` zero bytes, built in pieces so the test never holds the decoded form."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    parts: list[bytes] = []
    left = decoded_size
    while left > 0:
        piece = zeros if left >= len(zeros) else zeros[:left]
        parts.append(comp.compress(piece))
        left -= len(piece)
    parts.append(comp.flush())
    return b"".join(parts)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    owner: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up mid-answer (cap reached, timeout) are expected here, not worth a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is the record."""

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, *, send_body: bool) -> None:
        owner = self.server.owner
        path = self.path
        owner._record(RequestRecord(self.command, path, {k.lower(): v for k, v in self.headers.items()}))
        route = owner.routes.get(path) or owner.routes.get(path.split("?", 1)[0])
        if route is None:
            self._send_simple(404, b"not found\n")
            return
        if route.delay and owner._stopping.wait(route.delay):
            return
        while route.gate is not None and not route.gate.wait(0.05):
            if owner._stopping.is_set():
                return
        if route.drop:
            self.close_connection = True
            return
        status = route.status
        if self._not_modified(route):
            status = 304
        self.send_response(status)
        if route.content_type and status != 304:
            self.send_header("Content-Type", route.content_type)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if status == 304 or not send_body:
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = route.body
        if route.gzip:
            body = gzip_module.compress(body, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        try:
            if route.stream_bytes:
                self._send_chunked(self._filler(route.stream_bytes, route.chunk_size), route.drip)
            elif route.chunked or route.drip:
                self._send_chunked(self._pieces(body, route.chunk_size), route.drip)
            else:
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _not_modified(self, route: Route) -> bool:
        if route.status != 200:
            return False
        tags = self.headers.get("If-None-Match")
        if tags is not None and route.etag is not None:
            return route.etag in [t.strip() for t in tags.split(",")] or tags.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since is not None and route.last_modified is not None:
            try:
                return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                    route.last_modified
                )
            except (TypeError, ValueError):
                return False
        return False

    def _send_simple(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def _pieces(body: bytes, size: int) -> Iterator[bytes]:
        for start in range(0, len(body), size):
            yield body[start : start + size]

    @staticmethod
    def _filler(total: int, size: int) -> Iterator[bytes]:
        block = b"<!-- filler -->\n" * (size // 16 + 1)
        left = total
        while left > 0:
            piece = block[: min(size, left)]
            left -= len(piece)
            yield piece

    def _send_chunked(self, pieces: Iterator[bytes], drip: float) -> None:
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        stopping = self.server.owner._stopping
        for piece in pieces:
            if not piece:
                continue
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.flush()
            if drip and stopping.wait(drip):
                return
            if stopping.is_set():
                return
        self.wfile.write(b"0\r\n\r\n")


class FeedServer:
    """A running loopback server; use as a context manager or call start()/stop()."""

    def __init__(self, routes: Mapping[str, Route] | None = None, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="feed-server", daemon=True
        )

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        """Absolute URL of a path on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def add(self, path: str, route: Route) -> str:
        """Serve `route` at `path`; returns its URL."""
        self.routes[path] = route
        return self.url(path)

    def requests_for(self, path: str) -> list[RequestRecord]:
        """The logged requests for one path, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append(record)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; sleeping handlers (delay, drip) wake up and give up."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
