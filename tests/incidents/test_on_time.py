"""Polling on time: a cycle that finds a feed due before the next tick polls it when due (no hidden tick)."""

from __future__ import annotations

import asyncio
import itertools
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import utc_now
from bot.database import in_transaction
from bot.due_times import seconds_until_due
from bot.feeds.fetcher import make_client
from bot.incidents.pipeline import PollJob
from bot.incidents.poller import Poller, poller_limits
from bot.models import Feed
from tests.incidents.conftest import settings_for
from tests.incidents.feedgen import Item, rss
from tests.support.feed_server import FeedServer, Route

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_a_feed_at_two_seconds_is_fetched_every_two_seconds_under_a_fifteen_second_tick(
    engine: Engine, feed_server: FeedServer
) -> None:
    url = feed_server.add("/fast", Route(body=rss([])))
    settings = settings_for([{"name": "Fast", "url": url, "interval": "2s"}])
    seen: list[float] = []

    async def main() -> None:
        async with make_client(poller_limits(settings)) as client:
            poller = Poller(engine, settings, client, clock=utc_now)
            await poller.sync_feeds()
            job = PollJob(poller, horizon=lambda: 15.0)  # the default tick: the old code fetched once in 15 s
            tick = asyncio.create_task(job())
            start = time.monotonic()
            while time.monotonic() - start < 7.5:
                n = len(feed_server.requests_for("/fast"))
                if n > len(seen):
                    seen.extend([time.monotonic() - start] * (n - len(seen)))
                await asyncio.sleep(0.05)
            await job.drain(5)
            await asyncio.wait_for(tick, 5)  # stopping ends the waiting cycle at once

    asyncio.run(main())
    assert len(seen) >= 3, seen
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert all(1.5 <= g <= 3.5 for g in gaps), gaps  # interval 2 s, plus the fetch


def _fetch_times(feed_server: FeedServer, path: str, since: float) -> list[float]:
    return [r.at - since for r in feed_server.requests_for(path)]


def test_a_trickling_feed_and_a_trickling_article_page_never_hold_a_healthy_feed(
    engine: Engine, feed_server: FeedServer
) -> None:
    """Before, a cycle lasted as long as its slowest feed: a 2 s feed beside a feed that trickles for 6 s and a
    full-text page that trickles as long was fetched every 6+ s. Each feed now runs when due on its own."""
    fast = feed_server.add("/fast", Route(body=rss([])))
    slow = feed_server.add("/slow", Route(body=rss([]), delay=6.0))
    page = "<html><body><p>" + "نص المقال الكامل " * 100 + "</p></body></html>"
    feed_server.add("/page", Route(body=page.encode(), content_type="text/html", drip=1.0, chunk_size=256))
    teaser = Item("خبر", feed_server.url("/page"), "موجز قصير", NOW)
    full = feed_server.add("/full", Route(body=rss([teaser])))
    settings = settings_for(
        [
            {"name": "Fast", "url": fast, "interval": "2s"},
            {"name": "Slow", "url": slow, "interval": "2s"},
            {"name": "Full", "url": full, "interval": "2s", "full_text": True},
        ],
        timeout="8s",
        per_host=4,
    )

    async def main() -> float:
        async with make_client(poller_limits(settings)) as client:
            poller = Poller(engine, settings, client, clock=utc_now)
            await poller.sync_feeds()
            job = PollJob(poller, horizon=lambda: 15.0)
            start = time.time()
            await job()
            await asyncio.sleep(7.5)
            await job.drain(0.5)
            return start

    start = asyncio.run(main())
    seen = _fetch_times(feed_server, "/fast", start)
    assert len(feed_server.requests_for("/page")) >= 1  # the article page was being trickled meanwhile
    assert len(seen) >= 3, seen
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert all(g <= 3.5 for g in gaps), gaps


def test_seconds_until_due(engine: Engine) -> None:
    def add(name: str, due: datetime | None, **kw: object) -> None:
        with Session(engine) as s:
            s.add(Feed(name=name, url=f"https://{name}.example/", next_check_at=due, **kw))
            s.commit()

    assert in_transaction(engine, lambda s: seconds_until_due(s, ["a"], NOW)) is None  # no such feed
    add("a", NOW + timedelta(seconds=40))
    add("b", NOW + timedelta(seconds=9))
    add("off", NOW - timedelta(hours=1), enabled=False)
    add("broken", NOW - timedelta(hours=1), disabled_reason="10 consecutive failures")
    add("gone", None, in_config=False)
    assert in_transaction(engine, lambda s: seconds_until_due(s, ["a", "b", "off", "broken", "gone"], NOW)) == 9.0
    assert in_transaction(engine, lambda s: seconds_until_due(s, ["a"], NOW)) == 40.0
    add("late", NOW - timedelta(seconds=5))
    assert in_transaction(engine, lambda s: seconds_until_due(s, ["a", "late"], NOW)) == 0.0
    add("new", None)
    assert in_transaction(engine, lambda s: seconds_until_due(s, ["a", "new"], NOW)) == 0.0
    assert in_transaction(engine, lambda s: seconds_until_due(s, [], NOW)) is None
