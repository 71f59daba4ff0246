"""Fixtures for pipeline tests: a migrated database, a fake clock, a loopback feed server, a poller."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings, parse_settings
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import make_client
from bot.incidents.poller import FeedReport, Poller, poller_limits
from tests.support.feed_server import FeedServer


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2024, 4, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def settings_for(feeds: list[dict[str, Any]], **polling: Any) -> Settings:
    """Settings with these feeds and fast limits (short timeouts keep failing tests quick)."""
    base = {"timeout": "3s", "connect_timeout": "1s", "max_age": "0", "interval": "5m", "max_errors": 3}
    base.update(polling)
    return parse_settings({"polling": base, "feeds": feeds}, source="test")


@dataclass
class Harness:
    """A poller bound to a database, a server and a clock; `poll()` runs one cycle."""

    engine: Engine
    settings: Settings
    clock: FakeClock
    events: list[tuple[int, list[Any]]]

    def poll(self) -> list[FeedReport]:
        async def go() -> list[FeedReport]:
            async with make_client(poller_limits(self.settings)) as client:
                poller = Poller(
                    self.engine,
                    self.settings,
                    client,
                    clock=self.clock,
                    on_events=lambda aid, evs: self.events.append((aid, evs)),
                )
                await poller.sync_feeds()
                return await poller.poll_due()

        return asyncio.run(go())


@pytest.fixture
def harness(engine: Engine, clock: FakeClock) -> Callable[..., Harness]:
    def make(feeds: list[dict[str, Any]], **polling: Any) -> Harness:
        return Harness(engine, settings_for(feeds, **polling), clock, [])

    return make
