"""The optional [http] endpoint: GET /healthz for supervisors and GET /metrics for Prometheus.

A tiny asyncio HTTP/1.1 server (stdlib; one request per connection) so no web framework is needed.
/healthz answers 200 only when the scheduler has ticked recently (within 3 ticks) and the database
answers a query on the feed table and no alert has waited for Telegram longer than `OUTBOX_STALL` (the
outbox is stalled: Telegram unreachable, the sender stuck); otherwise 503 with the reasons, as JSON. The
verdict itself is the pure function `health_verdict`. Other read-only pages (the map and the exports,
bot.ops.mappage) are added as `routes`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.alerts import outbox as ob
from bot.config import SettingsSource
from bot.database import run_db
from bot.ops.metrics import CONTENT_TYPE, Metrics

__all__ = ["HealthServer", "Response", "Route", "health_verdict", "split_listen"]

log = logging.getLogger("rasad.health")

STALE_TICKS = 3
OUTBOX_STALL = timedelta(minutes=10)
"""An alert still unsent this long after it was queued means delivery is stalled (a 10,000-chat broadcast
at Telegram's 30 messages/s takes under 6 minutes)."""
MAX_REQUEST_BYTES = 16 * 1024
READ_TIMEOUT = 10.0
_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 400: "Bad Request", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Response:
    """What a route answers; a streamed body is sent without Content-Length and ends when the connection closes."""

    status: int
    ctype: str
    body: bytes | AsyncIterator[bytes]
    headers: Mapping[str, str] = field(default_factory=dict)


Route = Callable[[str], Awaitable[Response]]
"""A read-only page of this server (the map, the exports): called with the request's query string."""


def health_verdict(
    *,
    now: datetime,
    started_at: datetime,
    last_tick: datetime | None,
    tick: timedelta,
    db_error: str | None,
    oldest_unsent: datetime | None = None,
    stall: timedelta = OUTBOX_STALL,
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): healthy only when the scheduler ticks, the database answers and the outbox moves.

    A scheduler that has not ticked yet is given the same 3-tick grace from start-up; `oldest_unsent` is
    when the oldest alert still owed to a chat was queued.
    """
    reasons: list[str] = []
    limit = tick * STALE_TICKS
    if last_tick is None:
        if now - started_at > limit:
            reasons.append(f"the scheduler has not ticked since start-up ({int((now - started_at).total_seconds())}s)")
    elif now - last_tick > limit:
        age = int((now - last_tick).total_seconds())
        reasons.append(f"the scheduler last ticked {age}s ago (more than {STALE_TICKS} ticks)")
    if db_error is not None:
        reasons.append(f"the database does not answer: {db_error}")
    if oldest_unsent is not None and now - oldest_unsent > stall:
        waited = int((now - oldest_unsent).total_seconds())
        limit_s = int(stall.total_seconds())
        reasons.append(f"the outbox is stalled: an alert has waited {waited}s for Telegram (more than {limit_s}s)")
    body: dict[str, Any] = {
        "status": "unhealthy" if reasons else "ok",
        "last_tick": last_tick.isoformat() if last_tick else None,
        "tick_seconds": tick.total_seconds(),
        "database": "ok" if db_error is None else "error",
        "oldest_unsent": oldest_unsent.isoformat() if oldest_unsent else None,
    }
    if reasons:
        body["reasons"] = reasons
    return (503 if reasons else 200), body


def split_listen(listen: str) -> tuple[str, int]:
    """ "127.0.0.1:9108" / "[::1]:9108" → (host, port)."""
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


class HealthServer:
    """Serves /healthz and /metrics on `listen` until stopped; `port` is the bound port (for ":0")."""

    def __init__(
        self,
        listen: str,
        *,
        engine: Engine,
        settings: SettingsSource,
        last_tick: Callable[[], datetime | None],
        clock: Callable[[], datetime],
        last_poll: Callable[[], datetime | None] | None = None,
        db_timeout: float = 5.0,
        routes: Mapping[str, Route] | None = None,
    ) -> None:
        self.host, self._port = split_listen(listen)
        self.engine = engine
        self.settings = settings
        self.last_tick = last_tick
        self.clock = clock
        self.db_timeout = db_timeout
        self.routes = dict(routes or {})
        self.metrics = Metrics(engine, settings, clock=clock, last_poll=last_poll)
        self.started_at = clock()
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        """The port actually bound (after start)."""
        if self._server is None or not self._server.sockets:
            return self._port
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Bind and serve in the background."""
        self.started_at = self.clock()
        self._server = await asyncio.start_server(self._handle, self.host, self._port, limit=MAX_REQUEST_BYTES)
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        """Stop listening and close the server."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), timeout=2)
            self._server = None

    async def check_database(self) -> str | None:
        """None when the feed table answers within db_timeout, else the error in one line."""

        def probe(session: Session) -> None:
            session.execute(sa.text("SELECT 1 FROM feed LIMIT 1")).all()

        try:
            await asyncio.wait_for(run_db(self.engine, probe), timeout=self.db_timeout)
        except TimeoutError:
            return f"no answer within {self.db_timeout:g}s"
        except Exception as exc:
            return _one_line(exc)
        return None

    async def oldest_unsent(self) -> datetime | None:
        """When the oldest alert still owed to a chat was queued (None when none waits or the query fails)."""

        now = self.clock()
        try:
            return await asyncio.wait_for(
                run_db(self.engine, lambda session: ob.oldest_waiting(session, now)), timeout=self.db_timeout
            )
        except Exception:  # the database check reports a database that does not answer
            return None

    async def healthz(self) -> tuple[int, dict[str, Any]]:
        """The /healthz verdict now."""
        db_error = await self.check_database()
        return health_verdict(
            now=self.clock(),
            started_at=self.started_at,
            last_tick=self.last_tick(),
            tick=self.settings().polling.tick,
            db_error=db_error,
            oldest_unsent=None if db_error else await self.oldest_unsent(),
        )

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=READ_TIMEOUT)
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
                return
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            parts = line.split()
            if len(parts) != 3:
                await self._send(writer, 400, b"bad request\n", "text/plain", head_only=False)
                return
            method, target, _ = parts
            path = target.split("?", 1)[0]
            head_only = method == "HEAD"
            if method not in ("GET", "HEAD"):
                await self._send(writer, 405, b"only GET\n", "text/plain", head_only=False)
            elif path == "/healthz":
                status, body = await self.healthz()
                data = (json.dumps(body, ensure_ascii=False) + "\n").encode()
                await self._send(writer, status, data, "application/json", head_only=head_only)
            elif path == "/metrics":
                data = await self.metrics.scrape()
                await self._send(writer, 200, data, CONTENT_TYPE, head_only=head_only)
            elif path in self.routes:
                response = await self.routes[path](target.partition("?")[2])
                await self._respond(writer, response, head_only=head_only)
            else:
                await self._send(writer, 404, b"not found: try /healthz or /metrics\n", "text/plain", head_only=False)
        except Exception:
            log.exception("health endpoint failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    @staticmethod
    async def _respond(writer: asyncio.StreamWriter, response: Response, *, head_only: bool) -> None:
        """Send a route's answer; a streamed body goes out piece by piece, waiting for the reader (bounded memory)."""
        body = response.body
        lines = [f"HTTP/1.1 {response.status} {_REASONS.get(response.status, 'Unknown')}",
                 f"Content-Type: {response.ctype}", "Cache-Control: no-store", "X-Content-Type-Options: nosniff",
                 "Connection: close"]
        lines += [f"{k}: {v}" for k, v in response.headers.items()]
        if isinstance(body, bytes):
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if isinstance(body, bytes):
            if not head_only:
                writer.write(body)
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            return
        try:
            if not head_only:
                async for piece in body:
                    writer.write(piece)
                    await writer.drain()
        except ConnectionError:
            return
        finally:
            close = getattr(body, "aclose", None)
            if close is not None:
                await close()

    @staticmethod
    async def _send(writer: asyncio.StreamWriter, status: int, body: bytes, ctype: str, *, head_only: bool) -> None:
        headers = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Unknown')}\r\n"
            f"Content-Type: {ctype}\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n\r\n"
        )
        writer.write(headers.encode("latin-1") + (b"" if head_only else body))
        with contextlib.suppress(ConnectionError):
            await writer.drain()
