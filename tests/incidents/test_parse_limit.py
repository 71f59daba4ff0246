"""A time limit on parsing: a feed built to be slow to parse is stopped at polling.parse_timeout, in a worker
process, while the other feeds of the same poll are read and stored; the service's own process spends no CPU on it.

The hostile document is real work for feedparser, not a stand-in: 4 MB of items whose descriptions are long runs
of escaped tags (several seconds of CPU each time, under the byte cap and the item cap).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session, select

from bot.feeds.parse_worker import ParseFailed, ParsePool, ParseTimeout
from bot.models import Feed, IncidentRow
from tests.incidents.conftest import FakeClock, Harness
from tests.incidents.feedgen import ASAD_ROCKETS, Item, rss
from tests.support.feed_server import FeedServer, Route


def slow_to_parse(size: int = 4_000_000) -> bytes:
    """An RSS document of escaped-tag soup: cheap to send, seconds of CPU to parse."""
    description = b"&lt;b&gt;x&lt;/b&gt; " * 2000
    item = b"<item><title>t%d</title><link>https://soup.example/%d</link><description>%s</description></item>"
    parts = [b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>soup</title>']
    n = 0
    while sum(map(len, parts)) < size:
        parts.append(item % (n, n, description))
        n += 1
    return b"".join([*parts, b"</channel></rss>"])


@pytest.fixture(scope="module")
def pool() -> Iterator[ParsePool]:
    p = ParsePool(workers=2)
    yield p
    p.close()


def test_a_parse_over_its_limit_is_stopped_and_the_next_one_gets_a_fresh_worker(pool: ParsePool) -> None:
    async def go() -> tuple[float, int, int]:
        await pool.feed(rss([]), url="https://a.example/", content_type=None, timeout=30)  # a worker is up
        before = pool.started
        start = time.monotonic()
        with pytest.raises(ParseTimeout, match=r"longer than 1s"):
            await pool.feed(slow_to_parse(), url="https://soup.example/", content_type=None, timeout=1.0)
        took = time.monotonic() - start
        ok = await pool.feed(rss([Item("x", "https://a.example/1", "y")]), url="u", content_type=None, timeout=30)
        assert len(ok.items) == 1
        return took, before, pool.started

    took, before, after = asyncio.run(go())
    assert took < 4.0, took  # stopped at the limit, not when the parse would have ended
    assert after >= before + 1  # the killed worker was replaced


def test_a_task_that_fails_in_the_worker_is_a_parse_failure(pool: ParsePool) -> None:
    with pytest.raises(ParseFailed, match="TypeError"):
        asyncio.run(pool.run("feed", "not bytes, no url", timeout=30))


def test_a_slow_to_parse_feed_fails_alone_and_costs_the_service_no_cpu(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    soup = feed_server.add("/soup", Route(body=slow_to_parse()))
    attack = Item("عين الأسد", "https://news.example/a", ASAD_ROCKETS, clock.now)
    good = feed_server.add("/good", Route(body=rss([attack])))
    feeds = [{"name": "Soup", "url": soup}, {"name": "Good", "url": good}]
    h = harness(feeds, parse_timeout="1s", max_bytes=6_000_000)
    cpu = time.process_time()
    start = time.monotonic()
    reports = {r.feed: r for r in h.poll()}
    cpu = time.process_time() - cpu
    assert time.monotonic() - start < 15
    assert reports["Good"].error is None and reports["Good"].articles == 1
    assert reports["Soup"].error is not None and "parsing took longer than 1s" in reports["Soup"].error
    assert "polling.parse_timeout" in reports["Soup"].error
    assert cpu < 1.5, cpu  # the parse ran in a worker: in-process it costs several seconds of CPU
    with Session(h.engine) as s:
        assert len(s.exec(select(IncidentRow)).all()) == 1
        feed = s.exec(select(Feed).where(Feed.name == "Soup")).one()
        assert feed.consecutive_errors == 1 and feed.last_error is not None and "parse_timeout" in feed.last_error
