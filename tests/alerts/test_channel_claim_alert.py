"""A claim posted on a group's channel makes a `claimed` incident whose alert reaches a chat that switched
claims on through the Bot API stand-in, and no one else (claims are off by default, issue 13); a news report of
the same attack merges into it, the status rises to `reported`, the sent alert is edited (no second alert) and
the chat waiting for reports gets its first alert. Real poller, extractor, database (SQLite file and PostgreSQL),
sender and PTB Bot; only Telegram and the publishers are stand-ins on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from bot.config import parse_settings
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import make_client
from bot.incidents.poller import Poller, poller_limits
from bot.models import IncidentRow
from tests.alerts.conftest import FakeTime, World, drain
from tests.incidents.feedgen import ASAD_ROCKETS, Item, rss
from tests.support.channel_pages import Post, preview_page
from tests.support.feed_server import FeedServer, Route
from tests.support.telegram_standin import BotApiStandin


@pytest.fixture
def world(db_url: str, clock: FakeTime) -> Iterator[World]:
    """The delivery world on each database (this path crosses ingest, the ladder and the sender)."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield World(engine, clock)
    engine.dispose()


CLAIM = "كتائب حزب الله\nاستهدف مجاهدونا مساء اليوم الثلاثاء قاعدة عين الأسد بثلاثة صواريخ."


def _poll(world: World, server: FeedServer) -> None:
    settings = parse_settings(
        {
            "polling": {"timeout": "3s", "max_age": "0"},
            "channels": {"preview_base_url": server.url("/s/")},
            "feeds": [
                {"name": "KH channel", "url": "tg:kh_chan", "role": "claimant"},
                {"name": "Outlet", "url": server.url("/rss")},
            ],
        },
        source="test",
    )

    async def go() -> None:
        async with make_client(poller_limits(settings)) as client:
            poller = Poller(world.engine, settings, client, clock=world.clock)
            await poller.sync_feeds()
            await poller.poll_due()

    asyncio.run(go())


def _status(world: World) -> list[str]:
    with Session(world.engine) as s:
        return [i.status for i in s.exec(select(IncidentRow)).all()]


def test_claim_alert_then_news_edits_it(world: World, standin: BotApiStandin) -> None:
    world.clock.now = datetime(2024, 4, 23, 16, 35, tzinfo=UTC)
    standin.register_chat(101, "private")
    world.chat(101, language="both", include_claims=True)
    standin.register_chat(102, "private")
    world.chat(102, language="both")  # claims off, as every chat starts
    with FeedServer() as server:
        server.add(
            "/s/kh_chan",
            Route(
                body=preview_page("kh_chan", [Post(3, CLAIM, when="2024-04-23T16:30:00+00:00")]),
                content_type="text/html; charset=utf-8",
            ),
        )
        server.add("/rss", Route(body=rss([])))
        _poll(world, server)
        assert _status(world) == ["claimed"]
        assert drain(world, standin) == 1
        (msg,) = standin.sent(101)
        assert "Claimed: Kataib Hezbollah" in msg.text and "ادعاء: كتائب حزب الله" in msg.text
        assert "not yet confirmed" not in msg.text  # the status line is the one claim marking
        assert "https://t.me/kh_chan/3" in msg.links
        assert standin.sent(102) == []  # the post names no "claim" word, yet it is the group's own claim

        server.add(
            "/rss",
            Route(
                body=rss(
                    [
                        Item(
                            "صواريخ على عين الأسد",
                            "https://news.example/asad",
                            ASAD_ROCKETS,
                            datetime(2024, 4, 23, 17, 0, tzinfo=UTC),
                            "asad",
                        )
                    ]
                )
            ),
        )
        world.clock.now = datetime(2024, 4, 23, 17, 10, tzinfo=UTC)
        _poll(world, server)
        assert _status(world) == ["reported"]  # one incident, its status risen
        drain(world, standin)
    alerts = [(r.chat_id, r.state) for r in world.rows() if r.kind == "alert"]
    assert sorted(alerts) == [(101, "sent"), (102, "sent")]  # one incident, one alert per chat (no edit left due)
    assert len(standin.sent(101)) <= 2  # the alert, and at most a reply for a material new fact (casualties)
    assert not any("Rocket attack" in m.text for m in standin.sent(101)[1:])  # no second alert
    edits = standin.edits(101)
    assert edits, "the sent alert was not edited"
    assert "https://news.example/asad" in edits[-1].links and "not yet confirmed" not in edits[-1].text
    assert "Reported:" in edits[-1].text and "Claimed:" not in edits[-1].text
    (second,) = standin.sent(102)  # reported now: sent to the chat without claims, once
    assert "https://news.example/asad" in second.links and "not yet confirmed" not in second.text
    assert "Reported:" in second.text and "https://t.me/kh_chan/3" in second.links
