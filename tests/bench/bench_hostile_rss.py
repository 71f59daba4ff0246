"""Memory under hostile feeds: Rasad's RSS over a long run of sources built to hurt it.

The service's scheduler (PollJob) and poller run against loopback servers that answer, over and over, with:
25,000 tiny items (4.9 MB), 4 MB of escaped-tag soup (seconds of CPU per parse), 5 MB of deeply nested
elements, a gzip bomb (1 GB decoded), an endless body, a body that trickles, a redirect loop, an item with a
single 4 MB description, and a healthy feed beside them. Every feed is polled every `--interval` seconds.
Every `--report-every` seconds the script prints the resident memory of the service's process and of its
parse workers (from /proc), and the polls done; at the end, each one's min–max over the run, whether the
total grew (the first and last thirds compared) and whether it stayed under 250 MB.

The hostile server runs in a process of its own (its bodies, threads and buffers are not the service's
memory, and counting them made the service look ~20 MB bigger than it is); its RSS is shown, not counted.

Usage: python tests/bench/bench_hostile_rss.py [--duration 600] [--copies 3] [--interval 5] [--bot-modules]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import multiprocessing
import pkgutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.clock import utc_now
from bot.config import parse_settings
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import make_client
from bot.incidents.pipeline import PollJob
from bot.incidents.poller import FeedReport, Poller, poller_limits
from tests.incidents.feedgen import ASAD_ROCKETS, Item, filler, rss
from tests.support.feed_server import FeedServer, Route, gzip_bomb

LIMIT_MB = 250


def rss_mb(pid: int | str = "self") -> float:
    """Resident set size of a process in MB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def hostile_routes() -> dict[str, Route]:
    head = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
    tail = b"</channel></rss>"
    tiny = head + b"".join(b"<item><title>%d</title></item>" % i for i in range(25_000)) + tail
    soup_item = b"<item><title>s%d</title><link>https://soup.example/%d</link><description>%s</description></item>"
    soup = head + b"".join(soup_item % (i, i, b"&lt;b&gt;x&lt;/b&gt; " * 2000) for i in range(100)) + tail
    nested = head + b"<item><title>n</title><description>" + b"<div>" * 200_000 + b"</description></item>" + tail
    one_big = head + b"<item><title>b</title><description>" + b"kalam " * 700_000 + b"</description></item>" + tail
    healthy = rss([Item("عين الأسد", "https://news.example/a", ASAD_ROCKETS)] + [
        Item(f"خبر {i}", f"https://news.example/{i}", filler(i)) for i in range(30)
    ])
    return {
        "/tiny": Route(body=tiny),
        "/soup": Route(body=soup),
        "/nested": Route(body=nested),
        "/one-big": Route(body=one_big),
        "/bomb": Route(body=gzip_bomb(1_000_000_000), headers={"Content-Encoding": "gzip"}),
        "/endless": Route(stream_bytes=10**12),
        "/trickle": Route(body=healthy, drip=0.5, chunk_size=64),
        "/loop": Route.redirect("/loop", status=302),
        "/healthy": Route(body=healthy),
    }


def load_bot_modules() -> None:
    """Import the entry point and every module of the Telegram layer, so the service's process carries what a
    bot-mode `rasad run` does (its modules; not python-telegram-bot's Application at work)."""
    importlib.import_module("bot.runner")
    telegram_layer = importlib.import_module("bot.telegram")
    for module in pkgutil.walk_packages(telegram_layer.__path__, "bot.telegram."):
        importlib.import_module(module.name)


def serve_hostile(conn: Connection) -> None:
    """The hostile server's process: serve until the service's side closes the pipe."""
    with FeedServer(hostile_routes()) as server:
        conn.send(server.base_url)
        with contextlib.suppress(EOFError):
            conn.recv()


@dataclass
class Samples:
    """RSS samples (MB) of the service's process, its parse workers together, and both."""

    service: list[float] = field(default_factory=list)
    workers: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)


async def run(args: argparse.Namespace, base_url: str, server_pid: int, db_url: str) -> Samples:
    feeds = [
        {"name": f"{path.strip('/')}-{k}", "url": base_url + path + f"?copy={k}"}
        for path in hostile_routes()
        for k in range(args.copies)
    ]
    settings = parse_settings(
        {
            "polling": {"interval": f"{args.interval}s", "max_age": "1d", "max_errors": 1000, "backoff_cap": "1m"},
            "feeds": feeds,
        },
        source="bench",
    )
    engine = make_engine(db_url)
    upgrade(engine)
    outcomes: Counter[str] = Counter()

    async def after(reports: list[FeedReport]) -> None:
        for r in reports:
            outcomes["parse_error" if r.status.value == "ok" and r.error else r.status.value] += 1

    samples = Samples()
    async with make_client(poller_limits(settings)) as client:
        poller = Poller(engine, settings, client, clock=utc_now)
        await poller.sync_feeds()
        job = PollJob(poller, after=after, horizon=lambda: settings.polling.tick.total_seconds())
        start = time.monotonic()
        await job()
        print(
            f"{'elapsed':>8} {'service MB':>10} {'workers MB':>10} {'total MB':>9} {'server MB':>9} {'polls':>6}"
            "  outcomes"
        )
        while (elapsed := time.monotonic() - start) < args.duration:
            await asyncio.sleep(min(args.report_every, max(0.1, args.duration - elapsed)))
            own = rss_mb()
            workers = sum(rss_mb(pid) for pid in poller.parsers.pids())
            samples.service.append(own)
            samples.workers.append(workers)
            samples.total.append(own + workers)
            shown = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
            print(
                f"{time.monotonic() - start:7.0f}s {own:10.0f} {workers:10.0f} {own + workers:9.0f} "
                f"{rss_mb(server_pid):9.0f} {sum(outcomes.values()):6d}  {shown}",
                flush=True,
            )
        await job.drain(10)
    engine.dispose()
    return samples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=600.0, help="seconds to run (default 10 minutes)")
    ap.add_argument("--copies", type=int, default=3, help="feeds of each hostile kind")
    ap.add_argument("--interval", type=float, default=5.0, help="seconds between polls of each feed")
    ap.add_argument("--report-every", type=float, default=30.0)
    ap.add_argument(
        "--bot-modules",
        action="store_true",
        help="first import what `rasad run` imports (the Telegram layer, ~11 MB), as a bot-mode process carries it",
    )
    args = ap.parse_args()
    if args.bot_modules:
        load_bot_modules()
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(target=serve_hostile, args=(theirs,), daemon=True)
    server.start()
    try:
        base_url = ours.recv()
        with tempfile.TemporaryDirectory() as tmp:
            samples = asyncio.run(run(args, base_url, server.pid or 0, f"sqlite:///{Path(tmp) / 'bench.db'}"))
    finally:
        ours.close()
        server.join(10)
        if server.is_alive():
            server.kill()
    if samples.total:
        for name, values in (("service", samples.service), ("workers", samples.workers), ("total", samples.total)):
            print(f"{name:8} {min(values):4.0f}–{max(values):.0f} MB")
        third = max(1, len(samples.total) // 3)
        first, last = max(samples.total[:third]), max(samples.total[-third:])
        print(f"total: peak of the first third {first:.0f} MB, of the last third {last:.0f} MB")
        verdict = "under" if max(samples.total) < LIMIT_MB else "OVER"
        print(f"peak {max(samples.total):.0f} MB (service + parse workers), {verdict} {LIMIT_MB} MB")


if __name__ == "__main__":
    main()
