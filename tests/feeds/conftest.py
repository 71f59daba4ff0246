"""Fixtures for the fetch/parse/schedule tests: a loopback feed server and a one-call fetch."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests` is not installed: make tests.support importable however pytest runs
    sys.path.insert(0, str(REPO_ROOT))

from bot.feeds.fetcher import FetchLimits, FetchResult, fetch, make_client  # noqa: E402
from tests.support.feed_server import FeedServer  # noqa: E402


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running loopback server with no routes; add them with `feed_server.add(path, Route(...))`."""
    with FeedServer() as server:
        yield server


NOW = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
FAST = FetchLimits(timeout=5.0, connect_timeout=2.0, max_bytes=1_000_000, max_redirects=5)


class FetchUrl(Protocol):
    def __call__(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        limits: FetchLimits = FAST,
        now: datetime = NOW,
    ) -> FetchResult: ...


@pytest.fixture
def fetch_url() -> FetchUrl:
    """Fetch one URL with a fresh client inside asyncio.run (the project has no pytest-asyncio)."""

    def run(
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        limits: FetchLimits = FAST,
        now: datetime = NOW,
    ) -> FetchResult:
        async def go() -> FetchResult:
            async with make_client(limits) as client:
                return await fetch(client, url, etag=etag, last_modified=last_modified, limits=limits, now=now)

        return asyncio.run(go())

    return run
