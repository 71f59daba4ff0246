"""Two pollers on one database at once (say a running instance and a stray `poll --once`, or two hosts on one
PostgreSQL): no error, each feed fetched by one of them, every article, incident and alert stored once.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.database import in_transaction, make_engine
from bot.feeds.fetcher import make_client
from bot.incidents.ingest import ArticleIn, ingest_article
from bot.incidents.poller import FeedReport, Poller, poller_limits
from bot.models import Article, Chat, FeedItem, IncidentRow, Outbox, Subscription
from tests.incidents.conftest import FakeClock, settings_for
from tests.incidents.feedgen import ASAD_ROCKETS, ASAD_ROCKETS_LATER, TANF_DRONES, Item, filler, rss
from tests.support.feed_server import FeedServer, Route

T0 = datetime(2024, 4, 23, 8, 0, tzinfo=UTC)
FEEDS = 8


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())  # type: ignore[arg-type]


def test_two_pollers_on_one_database_store_everything_once(
    db_url: str, engine: Engine, feed_server: FeedServer, clock: FakeClock
) -> None:
    shared = [
        Item(f"خبر {i}", f"https://news.example/shared/{i}", filler(i), T0 - timedelta(minutes=i)) for i in range(12)
    ]
    feeds = []
    for n in range(FEEDS):
        asad = ASAD_ROCKETS_LATER if n % 2 else ASAD_ROCKETS
        own = [
            Item("صواريخ على عين الأسد", f"https://outlet{n}.example/asad", asad, T0),
            Item("مسيرتان على التنف", f"https://outlet{n}.example/tanf", TANF_DRONES, T0),
        ]
        url = feed_server.add(f"/f{n}", Route(body=rss(own + shared)))
        feeds.append({"name": f"F{n}", "url": url})
    settings = settings_for(feeds)
    with Session(engine) as s:
        s.add(Chat(chat_id=5, type="private", language="both", created_at=T0, updated_at=T0))
        s.add(Subscription(chat_id=5, active=True, created_at=T0, updated_at=T0))
        s.commit()
    second = make_engine(db_url)

    async def both() -> list[FeedReport]:
        async with make_client(poller_limits(settings)) as client:
            pollers = [Poller(e, settings, client, clock=clock) for e in (engine, second)]
            await pollers[0].sync_feeds()
            await pollers[1].sync_feeds()
            runs = await asyncio.gather(*(p.poll_due() for p in pollers))
        return [r for run in runs for r in run]

    try:
        reports = asyncio.run(both())
    finally:
        second.dispose()
    assert sorted(r.feed for r in reports) == sorted(f["name"] for f in feeds)  # each feed fetched once
    assert [r for r in reports if r.error] == []
    assert sum(len(feed_server.requests_for(f"/f{n}")) for n in range(FEEDS)) == FEEDS
    assert _count(engine, Article) == 12 + 2 * FEEDS
    assert _count(engine, IncidentRow) == 2  # Ain al-Asad and al-Tanf, each reported by every outlet
    assert _count(engine, Outbox) == 2  # one alert per incident for the one subscriber
    with Session(engine) as s:  # each feed remembers each of its items once (by link; content rows aside)
        linked = s.exec(select(func.count()).select_from(FeedItem).where(col(FeedItem.link_key).is_not(None))).one()
    assert linked == FEEDS * 14


def test_a_poller_fetches_only_the_feeds_of_its_own_config(
    engine: Engine, feed_server: FeedServer, clock: FakeClock
) -> None:
    a = feed_server.add("/a", Route(body=rss([])))
    b = feed_server.add("/b", Route(body=rss([])))
    running = settings_for([{"name": "A", "url": a}])
    stray = settings_for([{"name": "B", "url": b}])

    async def go() -> tuple[list[FeedReport], list[FeedReport]]:
        async with make_client(poller_limits(running)) as client:
            p1 = Poller(engine, running, client, clock=clock)
            await p1.sync_feeds()
            p2 = Poller(engine, stray, client, clock=clock)
            return await p2.poll_due(), await p1.poll_due()

    stray_reports, running_reports = asyncio.run(go())
    assert stray_reports == [] and [r.feed for r in running_reports] == ["A"]


def test_the_same_article_and_two_reports_of_one_attack_ingested_at_once(engine: Engine, db_url: str) -> None:
    """Threads released together, each in its own transaction: the database, not luck, keeps one of each."""
    rounds = 6
    results: list[object] = []

    def ingest(art: ArticleIn, barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            now = art.published or T0  # the round's own day: its date is believable then
            results.append(in_transaction(engine, lambda s: ingest_article(s, art, now=now, alert=True, max_km=10.0)))
        except Exception as exc:  # collected: the test asserts there are none
            results.append(exc)

    for r in range(rounds):
        day = T0 + timedelta(days=10 * r)  # a new attack each round (ten days apart: never merged)
        arts = [
            ArticleIn(f"https://a.example/{r}", "عين الأسد", ASAD_ROCKETS, day, f"a{r}"),
            ArticleIn(f"https://a.example/{r}", "عين الأسد", ASAD_ROCKETS, day, f"a{r}"),
            ArticleIn(f"https://b.example/{r}", "عين الأسد", ASAD_ROCKETS_LATER, day, f"b{r}"),
            ArticleIn(f"https://c.example/{r}", "عين الأسد", ASAD_ROCKETS, day, f"c{r}"),
        ]
        barrier = threading.Barrier(len(arts))
        threads = [threading.Thread(target=ingest, args=(a, barrier)) for a in arts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert _count(engine, Article) == 3 * rounds
    assert _count(engine, IncidentRow) == rounds
