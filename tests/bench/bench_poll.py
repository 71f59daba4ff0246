"""One poll cycle over many local feeds: cold (every item new), then warm (every feed answers 304).

Prints seconds per cycle, articles per second and peak RSS. Usage:
    python tests/bench/bench_poll.py [--feeds 500] [--items 30] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.config import parse_settings
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import make_client
from bot.incidents.poller import FeedReport, Poller, poller_limits
from tests.incidents.feedgen import ASAD_ROCKETS, Item, filler, rss
from tests.support.feed_server import FeedServer, Route


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--items", type=int, default=30)
    ap.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    t0 = datetime(2024, 4, 23, 9, 0, tzinfo=UTC)
    now = [t0]
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as server:
        feeds = []
        for f in range(args.feeds):
            items = []
            for i in range(args.items):
                text = ASAD_ROCKETS if (f * args.items + i) % 97 == 0 else filler(f * 1000 + i)
                items.append(
                    Item(
                        f"خبر {f}-{i}",
                        f"https://outlet{f % 50}.example/{f}/{i}",
                        text,
                        t0 - timedelta(minutes=i),
                        f"{f}-{i}",
                    )
                )
            url = server.add(f"/feed/{f}", Route(body=rss(items), etag=f'"{f}"'))
            feeds.append({"name": f"feed-{f}", "url": url})
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = parse_settings(
            {"polling": {"max_age": "0", "concurrency": 20, "per_host": 20, "timeout": "30s"}, "feeds": feeds},
            source="bench",
        )
        engine = make_engine(url)
        upgrade(engine)

        async def cycle() -> tuple[float, list[FeedReport]]:
            async with make_client(poller_limits(settings)) as client:
                poller = Poller(engine, settings, client, clock=lambda: now[0])
                await poller.sync_feeds()
                start = time.perf_counter()
                reports = await poller.poll_due()
                return time.perf_counter() - start, reports

        cold, reports = asyncio.run(cycle())
        articles = sum(r.articles for r in reports)
        failed = sum(1 for r in reports if r.error)
        print(
            f"cold cycle: {len(reports)} feeds, {articles} articles in {cold:.1f} s "
            f"({articles / cold:.0f} articles/s), {failed} failed; peak RSS {peak_rss_mb():.0f} MB"
        )
        now[0] = t0 + timedelta(hours=1)
        warm, reports = asyncio.run(cycle())
        statuses = {r.status.value for r in reports}
        print(
            f"warm cycle: {len(reports)} feeds ({', '.join(sorted(statuses))}) in {warm:.2f} s; "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
