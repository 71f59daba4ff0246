"""The real HTTP server of `[http] listen` (HealthServer with the map routes), on loopback in a thread of its own.

Its own event loop in a background thread, so a test (or a browser driven synchronously) can talk to it
like any client would.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.config import HttpSettings, Settings
from bot.ops.health import HealthServer
from bot.ops.mappage import map_routes


@contextmanager
def serving(engine: Engine, *, tile_url: str = "", now: datetime | None = None) -> Iterator[str]:
    """Serve /map, the exports, /healthz and /metrics on 127.0.0.1 (a free port); yields the base URL."""
    settings = Settings(http=HttpSettings(listen=None, tile_url=tile_url), feeds=())
    clock = (lambda: now) if now is not None else (lambda: datetime.now(UTC))
    loop = asyncio.new_event_loop()
    server = HealthServer(
        "127.0.0.1:0", engine=engine, settings=lambda: settings, last_tick=lambda: None, clock=clock,
        routes=map_routes(engine, lambda: settings, clock),
    )
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(server.start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(server.stop())
        # Connections still being answered (a browser's keep-alive, a half-read stream) end here, not after close.
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    thread = threading.Thread(target=run, name="map-server", daemon=True)
    thread.start()
    assert ready.wait(10), "the map server did not start"
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
