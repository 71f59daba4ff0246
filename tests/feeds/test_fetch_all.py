"""bot.feeds.fetcher.fetch_all: bounded overall and per host, order kept, one bad job never sinks the rest."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest

from bot.feeds.fetcher import FetchLimits, FetchResult, FetchStatus, fetch, fetch_all, host_key, make_client
from tests.support.feed_server import FeedServer, Route

NOW = datetime(2024, 1, 1, tzinfo=UTC)
RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


def test_bounds_overall_and_per_host_and_keeps_order() -> None:
    jobs = [(f"host{i % 3}", i) for i in range(30)]
    running: Counter[str] = Counter()
    peak_total = 0
    peak_host: Counter[str] = Counter()

    async def work(job: tuple[str, int]) -> int:
        nonlocal peak_total
        host, n = job
        running[host] += 1
        peak_total = max(peak_total, sum(running.values()))
        peak_host[host] = max(peak_host[host], running[host])
        for _ in range(3):  # yield a few times so other jobs interleave
            await asyncio.sleep(0)
        running[host] -= 1
        return n * 10

    results = asyncio.run(fetch_all(jobs, work, key=lambda j: j[0], concurrency=4, per_host=2))
    assert results == [n * 10 for _, n in jobs]
    assert peak_total == 4
    assert max(peak_host.values()) == 2


def test_a_raising_job_is_returned_in_its_slot() -> None:
    async def work(n: int) -> int:
        await asyncio.sleep(0)
        if n == 2:
            raise RuntimeError("boom")
        return n

    results = asyncio.run(fetch_all(range(5), work, key=str, concurrency=2))
    assert [r if isinstance(r, int) else repr(r) for r in results] == [0, 1, "RuntimeError('boom')", 3, 4]


def test_bad_bounds_are_refused() -> None:
    async def work(n: int) -> int:
        return n

    with pytest.raises(ValueError, match="at least 1"):
        asyncio.run(fetch_all([1], work, key=str, concurrency=0))


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://News.Example.org/feed", "news.example.org"),  # lower-cased host
        ("http://127.0.0.1:8080/a", "127.0.0.1:8080"),  # port kept: another server
        ("file:///tmp/x.xml", ""),  # no host
        ("http://[::1", ""),  # unparsable
    ],
)
def test_host_key(url: str, key: str) -> None:
    assert host_key(url) == key


def test_a_hanging_feed_does_not_hold_up_the_others(feed_server: FeedServer) -> None:
    """One feed hangs until every other feed is done; on two slots, that only works if it never blocks them."""
    gate = threading.Event()
    feed_server.add("/hang", Route(body=RSS, gate=gate))
    urls = [feed_server.url("/hang")] + [feed_server.add(f"/f{i}", Route(body=RSS)) for i in range(40)]
    limits = FetchLimits(timeout=10.0)

    async def run() -> list[FetchResult | Exception]:
        async with make_client(limits) as client:
            finished = 0

            async def one(url: str) -> FetchResult:
                nonlocal finished
                result = await fetch(client, url, etag=None, last_modified=None, limits=limits, now=NOW)
                finished += 1
                if finished == 40:  # all the others are through: let the hanging server answer
                    gate.set()
                return result

            # Keyed by path so the hanging feed has its own "host"; two slots overall.
            return await fetch_all(urls, one, key=lambda u: u.rsplit("/", 1)[1], concurrency=2, per_host=1)

    results = asyncio.run(run())
    statuses = [r.status if isinstance(r, FetchResult) else r for r in results]
    assert statuses == [FetchStatus.OK] * 41  # a blocked queue would have left /hang to time out


def test_five_hundred_feeds_at_once(feed_server: FeedServer) -> None:
    """The server and fetch_all carry a benchmark-sized load: 500 feeds, 100 in flight."""
    urls = [feed_server.add(f"/feed/{i}", Route(body=RSS, etag=f'"{i}"')) for i in range(500)]
    limits = FetchLimits(timeout=30.0)

    async def run() -> list[FetchResult | Exception]:
        async with make_client(limits) as client:

            async def one(url: str) -> FetchResult:
                return await fetch(client, url, etag=None, last_modified=None, limits=limits, now=NOW)

            return await fetch_all(urls, one, key=lambda u: u, concurrency=100, per_host=1)

    results = asyncio.run(run())
    assert all(isinstance(r, FetchResult) and r.status is FetchStatus.OK for r in results)
    assert [r.etag for r in results if isinstance(r, FetchResult)] == [f'"{i}"' for i in range(500)]
