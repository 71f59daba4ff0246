"""The optional [http] endpoint: GET /healthz for supervisors and GET /metrics for Prometheus.

A tiny asyncio HTTP/1.1 server (stdlib; one request per connection) so no web framework is needed.
/healthz answers 200 only when the scheduler has ticked recently (within 3 ticks) and the database
answers a query on the feed table; otherwise 503 with the reasons, as JSON. The verdict itself is
the pure function `health_verdict`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.config import SettingsSource
from bot.ops.metrics import CONTENT_TYPE, build_registry, render

__all__ = ["HealthServer", "health_verdict", "split_listen"]

log = logging.getLogger("rasad.health")

STALE_TICKS = 3
MAX_REQUEST_BYTES = 16 * 1024
READ_TIMEOUT = 10.0
_REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 400: "Bad Request", 503: "Service Unavailable"}


def health_verdict(
    *,
    now: datetime,
    started_at: datetime,
    last_tick: datetime | None,
    tick: timedelta,
    db_error: str | None,
) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body): healthy only when the scheduler ticks and the database answers.

    A scheduler that has not ticked yet is given the same 3-tick grace from start-up.
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
    body: dict[str, Any] = {
        "status": "unhealthy" if reasons else "ok",
        "last_tick": last_tick.isoformat() if last_tick else None,
        "tick_seconds": tick.total_seconds(),
        "database": "ok" if db_error is None else "error",
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
    ) -> None:
        self.host, self._port = split_listen(listen)
        self.engine = engine
        self.settings = settings
        self.last_tick = last_tick
        self.clock = clock
        self.db_timeout = db_timeout
        self.registry = build_registry(engine, settings, clock=clock, last_poll=last_poll)
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

        def probe() -> None:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1 FROM feed LIMIT 1")).all()

        try:
            await asyncio.wait_for(asyncio.to_thread(probe), timeout=self.db_timeout)
        except TimeoutError:
            return f"no answer within {self.db_timeout:g}s"
        except Exception as exc:
            return _one_line(exc)
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
                data = await asyncio.to_thread(render, self.registry)
                await self._send(writer, 200, data, CONTENT_TYPE, head_only=head_only)
            else:
                await self._send(writer, 404, b"not found: try /healthz or /metrics\n", "text/plain", head_only=False)
        except Exception:
            log.exception("health endpoint failed")
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

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
