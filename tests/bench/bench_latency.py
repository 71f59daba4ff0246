"""Item-to-alert latency: how long after an article appears in a feed Rasad has decided its alert.

Real parts throughout: loopback feed servers, the service's scheduler (bot.incidents.pipeline.PollJob with the
default 15 s tick as watchdog), the real poller with its parse workers, a SQLite file. Articles reporting an
attack appear at random moments in random feeds; the latency of one is from the moment the server starts
serving it to the moment its article's transaction committed with its events (the alert decision; in bot
mode the outbox row is written in that same transaction). The Telegram send after that is the sender's
business, measured by bench_broadcast.py.

Prints the count, p50, p95 and max latency and the target (p95 <= interval + 2 s). Usage:
    python tests/bench/bench_latency.py --interval 2 --feeds 5 --duration 60
    python tests/bench/bench_latency.py --interval 60 --feeds 10 --duration 240
    python tests/bench/bench_latency.py --interval 60 --feeds 500 --duration 240
All feeds are served from a few loopback servers; `--hosts` sets how many (the per-host bound applies to each).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlmodel import Session, col, select

from bot.clock import utc_now
from bot.config import parse_settings
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import make_client
from bot.incidents.pipeline import PollJob
from bot.incidents.poller import Poller, poller_limits
from bot.models import Article, Feed
from tests.incidents.feedgen import ASAD_ROCKETS, TANF_DRONES, Item, filler, rss
from tests.support.feed_server import FeedServer, Route


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


async def run(args: argparse.Namespace, servers: list[FeedServer], db_url: str) -> list[float]:
    rng = random.Random(args.seed)
    start_time = datetime.now(UTC)
    feeds: list[dict[str, object]] = []
    items: list[list[Item]] = []
    paths: list[tuple[FeedServer, str]] = []
    for f in range(args.feeds):
        server = servers[f % len(servers)]
        old = [Item(f"خبر قديم {f}-{i}", f"https://outlet{f}.example/old/{i}", filler(f * 10 + i)) for i in range(3)]
        items.append(old)
        path = f"/feed/{f}"
        feeds.append({"name": f"feed-{f}", "url": server.add(path, Route(body=rss(old)))})
        paths.append((server, path))
    settings = parse_settings(
        {
            "polling": {
                "interval": f"{args.interval}s",
                "max_age": "1d",
                "concurrency": args.concurrency,
                "per_host": args.per_host,
                "timeout": "20s",
            },
            "feeds": feeds,
        },
        source="bench",
    )
    engine = make_engine(db_url)
    upgrade(engine)
    decided: dict[int, float] = {}

    def on_events(article_id: int, _events: list[object]) -> None:
        decided.setdefault(article_id, time.time())

    published: dict[str, float] = {}
    async with make_client(poller_limits(settings)) as client:
        poller = Poller(engine, settings, client, clock=utc_now, on_events=on_events)
        await poller.sync_feeds()
        job = PollJob(poller, horizon=lambda: settings.polling.tick.total_seconds())
        await job()

        def first_fetches_done(s: Session) -> int:
            return len(s.exec(select(Feed.id).where(col(Feed.first_fetch_done))).all())

        while await poller.db(first_fetches_done) < args.feeds:  # the backlog is read, not measured
            await asyncio.sleep(0.5)
        print(f"warm: {args.feeds} feeds read once in {(datetime.now(UTC) - start_time).total_seconds():.1f} s")

        deadline = time.monotonic() + args.duration
        n = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(0, 2 * args.every))
            f = rng.randrange(args.feeds)
            n += 1
            link = f"https://outlet{f}.example/new/{n}"
            text = (ASAD_ROCKETS if n % 2 else TANF_DRONES) + " " + filler(100_000 + n)
            items[f] = [Item(f"خبر عاجل {n}", link, text, datetime.now(UTC)), *items[f]][:20]
            server, path = paths[f]
            server.add(path, Route(body=rss(items[f])))
            published[link] = time.time()
        await asyncio.sleep(args.interval + 5)  # the last ones get their chance
        await job.drain(10)

    with Session(engine) as s:
        urls = {a.id: a.url for a in s.exec(select(Article).where(col(Article.id).in_(list(decided)))).all()}
    engine.dispose()
    latencies = [decided[aid] - published[url] for aid, url in urls.items() if url in published]
    missing = len(published) - len(latencies)
    if missing:
        print(f"{missing} published article(s) without a decision within interval + 5 s")
    return latencies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--interval", type=float, default=2.0, help="seconds between polls of each feed")
    ap.add_argument("--feeds", type=int, default=5)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds during which articles appear")
    ap.add_argument("--every", type=float, default=2.0, help="mean seconds between two new articles")
    ap.add_argument("--hosts", type=int, default=10, help="loopback feed servers the feeds are spread over")
    ap.add_argument("--concurrency", type=int, default=10, help="polling.concurrency")
    ap.add_argument("--per-host", type=int, default=2, help="polling.per_host")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", default=None, help="database URL (default: a temporary SQLite file)")
    args = ap.parse_args()
    hosts = max(1, min(args.hosts, args.feeds))
    servers = [FeedServer().start() for _ in range(hosts)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
            latencies = asyncio.run(run(args, servers, db_url))
    finally:
        for server in servers:
            server.stop()
    if not latencies:
        print("no latencies measured")
        return
    target = args.interval + 2
    p95 = percentile(latencies, 0.95)
    verdict = "met" if p95 <= target else "MISSED"
    print(
        f"interval {args.interval:g} s, {args.feeds} feeds on {hosts} hosts (concurrency {args.concurrency}, "
        f"per_host {args.per_host}): {len(latencies)} articles; latency p50 {statistics.median(latencies):.2f} s, "
        f"p95 {p95:.2f} s, max {max(latencies):.2f} s; target p95 <= {target:g} s: {verdict}"
    )


if __name__ == "__main__":
    main()
