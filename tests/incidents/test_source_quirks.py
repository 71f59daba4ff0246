"""Sources' quirks through the real poll cycle and database: a mislabelled charset, one GUID on two items,
a feed that renames its items on every fetch, and impossible publication dates.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from bot.models import Article, Chat, Feed, IncidentRow, Outbox, OutboxState, Subscription
from tests.incidents.conftest import FakeClock, Harness
from tests.incidents.feedgen import ASAD_ROCKETS, TANF_DRONES, Item, filler, rss
from tests.support.feed_server import FeedServer, Route


def _count(h: Harness, model: type) -> int:
    with Session(h.engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())  # type: ignore[arg-type]


def _subscribe(h: Harness) -> None:
    with Session(h.engine) as s:
        s.add(Chat(chat_id=9, type="private", language="both", created_at=h.clock.now, updated_at=h.clock.now))
        s.add(Subscription(chat_id=9, active=True, created_at=h.clock.now, updated_at=h.clock.now))
        s.commit()


def test_a_windows_1256_feed_labelled_utf8_is_read_right_and_warned_about(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    published = clock.now - timedelta(hours=1)
    body = rss([Item("صواريخ على عين الأسد", "https://news.example/asad", ASAD_ROCKETS, published)])
    mislabelled = body.decode("utf-8").encode("cp1256")  # the XML declaration still says UTF-8
    url = feed_server.add("/1256", Route(body=mislabelled, content_type="application/rss+xml; charset=utf-8"))
    h = harness([{"name": "Old CMS", "url": url}])
    report = h.poll()[0]
    assert report.error is None and report.articles == 1
    assert report.warning is not None and "1256" in report.warning
    assert _count(h, IncidentRow) == 1  # the attack is found, not lost in mojibake
    with Session(h.engine) as s:
        feed = s.exec(select(Feed)).one()
        assert feed.consecutive_errors == 0 and feed.last_error is not None
        assert feed.last_error.startswith("warning: charset:")  # /feeds shows it, not a clean "ok"
        assert s.exec(select(Article)).one().title == "صواريخ على عين الأسد"


def test_two_items_with_one_guid_are_both_kept(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    items = [
        Item("عين الأسد", "https://news.example/asad", ASAD_ROCKETS, clock.now, "guid-1"),
        Item("التنف", "https://news.example/tanf", TANF_DRONES, clock.now, "guid-1"),
    ]
    url = feed_server.add("/dup", Route(body=rss(items)))
    h = harness([{"name": "Dup", "url": url}])
    assert h.poll()[0].articles == 2
    assert _count(h, IncidentRow) == 2  # the second attack is not lost
    clock.advance(minutes=6)
    assert h.poll()[0].new_items == 0  # and both are remembered


def test_a_feed_that_renames_its_items_every_fetch_is_recognised_by_content(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    def renamed() -> bytes:
        token = uuid.uuid4().hex
        return rss(
            [
                Item("عين الأسد", f"https://news.example/a?sid={token}", ASAD_ROCKETS, clock.now, f"a-{token}"),
                Item("جلسة البرلمان", f"https://news.example/b?sid={token}", filler(3), clock.now, f"b-{token}"),
            ]
        )

    route = Route(body=renamed())
    url = feed_server.add("/renames", route)
    h = harness([{"name": "Renamer", "url": url}])
    _subscribe(h)
    assert h.poll()[0].articles == 2
    with Session(h.engine) as s:
        alert = s.exec(select(Outbox)).one()
        alert.state, alert.telegram_message_id = OutboxState.SENT.value, 77  # as the sender leaves it
        s.add(alert)
        s.commit()
    for _ in range(3):
        route.body = renamed()
        clock.advance(minutes=6)
        report = h.poll()[0]
        assert report.new_items == 0 and report.articles == 0
    assert _count(h, Article) == 2 and _count(h, Outbox) == 1
    with Session(h.engine) as s:
        assert s.exec(select(Outbox)).one().state == OutboxState.SENT.value  # not edited again


def test_an_item_dated_2099_or_1970_is_not_dated_then(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    items = [
        Item("عين الأسد", "https://news.example/asad", ASAD_ROCKETS, datetime(2099, 12, 30, tzinfo=UTC), "f"),
        Item("التنف", "https://news.example/tanf", TANF_DRONES, datetime(1970, 1, 1, tzinfo=UTC), "p"),
    ]
    url = feed_server.add("/dates", Route(body=rss(items)))
    h = harness([{"name": "Dates", "url": url}])
    h.poll()
    with Session(h.engine) as s:
        assert [a.published for a in s.exec(select(Article)).all()] == [None, None]
        dates = [i.ref_date for i in s.exec(select(IncidentRow).order_by(col(IncidentRow.id))).all()]
    assert len(dates) == 2
    # read against the fetch date ("Tuesday evening" is the Tuesday before it), never 2098 or 1970
    assert all(abs((d - clock.now.date()).days) <= 7 for d in dates), dates


def test_a_site_that_trickles_its_article_pages_costs_one_fetch_budget_per_refresh(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    page = b"<html><body><article><p>" + "نص المقال الكامل ".encode() * 100 + b"</p></article></body></html>"
    links = [feed_server.add(f"/page{i}", Route(body=page, content_type="text/html", drip=0.5, chunk_size=100))
             for i in range(4)]
    items = [Item(f"خبر {i}", link, filler(i), clock.now) for i, link in enumerate(links)]
    url = feed_server.add("/teasers", Route(body=rss(items)))
    h = harness([{"name": "Teasers", "url": url, "full_text": True}], timeout="3s")
    started = time.monotonic()
    report = h.poll()[0]
    took = time.monotonic() - started
    assert report.articles == 4 and report.error is None
    assert took < 6.0, took  # one 3 s budget for all four pages (each alone would take 3 s: 12 s before)
    with Session(h.engine) as s:
        assert sorted(a.text for a in s.exec(select(Article)).all()) == sorted(filler(i) for i in range(4))
