"""The poll cycle against real feeds on loopback and a real database: identity, validators, failures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from bot.feeds.fetcher import FetchStatus
from bot.models import Article, Feed, FeedItem, IncidentRow
from tests.incidents.conftest import FakeClock, Harness
from tests.incidents.feedgen import ASAD_ROCKETS, Item, filler, rss
from tests.support.feed_server import FeedServer, Route

T0 = datetime(2024, 4, 23, 8, 0, tzinfo=UTC)


def _count(h: Harness, model: type, *where: object) -> int:
    with Session(h.engine) as s:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())  # type: ignore[arg-type]


def _feed(h: Harness, name: str) -> Feed:
    with Session(h.engine) as s:
        return s.exec(select(Feed).where(Feed.name == name)).one()


def _items(n: int, prefix: str = "a") -> list[Item]:
    return [
        Item(f"خبر {i}", f"https://news.example/{prefix}/{i}", filler(i), T0 - timedelta(minutes=i), f"{prefix}-{i}")
        for i in range(n)
    ]


def test_etag_saved_after_items_and_304_next_time(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    url = feed_server.add("/rss", Route(body=rss(_items(3)), etag='"v1"'))
    h = harness([{"name": "A", "url": url}])
    first = h.poll()
    assert [r.status for r in first] == [FetchStatus.OK] and first[0].articles == 3
    feed = _feed(h, "A")
    assert feed.etag == '"v1"' and feed.consecutive_errors == 0 and feed.last_success_at == clock.now
    assert feed.next_check_at is not None
    assert clock.now + timedelta(minutes=5) <= feed.next_check_at <= clock.now + timedelta(minutes=5, seconds=1)
    assert h.poll() == []  # not due yet
    clock.advance(minutes=6)
    second = h.poll()
    assert second[0].status is FetchStatus.NOT_MODIFIED and second[0].articles == 0
    assert feed_server.requests_for("/rss")[-1].headers.get("if-none-match") == '"v1"'
    assert _count(h, Article) == 3


def test_last_modified_is_sent_back(feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock) -> None:
    url = feed_server.add("/lm", Route(body=rss(_items(2)), last_modified="Tue, 23 Apr 2024 07:00:00 GMT"))
    h = harness([{"name": "LM", "url": url}])
    h.poll()
    clock.advance(minutes=6)
    assert h.poll()[0].status is FetchStatus.NOT_MODIFIED
    assert feed_server.requests_for("/lm")[-1].headers.get("if-modified-since") == "Tue, 23 Apr 2024 07:00:00 GMT"


def test_republished_item_with_new_guid_and_returning_items_are_not_new(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    items = _items(4)
    route = Route(body=rss(items))
    url = feed_server.add("/r", route)
    h = harness([{"name": "R", "url": url}])
    assert h.poll()[0].articles == 4
    # item 0 republished with a changed GUID, item 3 dropped out
    changed = Item(items[0].title, items[0].link, items[0].text, items[0].published, "new-guid-0")
    route.body = rss([changed, items[1], items[2]])
    clock.advance(minutes=6)
    assert h.poll()[0].new_items == 0
    route.body = rss(items)  # item 3 comes back
    clock.advance(minutes=6)
    assert h.poll()[0].new_items == 0
    assert _count(h, Article) == 4


def test_same_article_in_two_feeds_is_one_article(feed_server: FeedServer, harness: Callable[..., Harness]) -> None:
    shared = Item("هجوم صاروخي", "https://news.example/shared/1?utm_source=rss", ASAD_ROCKETS, T0, "x")
    u1 = feed_server.add("/one", Route(body=rss([shared])))
    u2 = feed_server.add(
        "/two", Route(body=rss([Item(shared.title, "https://news.example/shared/1", ASAD_ROCKETS, T0, "other-guid")]))
    )
    h = harness([{"name": "one", "url": u1}, {"name": "two", "url": u2}])
    h.poll()
    assert _count(h, Article) == 1
    assert _count(h, FeedItem, col(FeedItem.link_key).is_not(None)) == 2  # both feeds remember the item


def test_failures_back_off_then_disable_with_reason(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    url = feed_server.add("/bad", Route(status=500, body=b"oops", content_type="text/plain"))
    h = harness([{"name": "bad", "url": url}], max_errors=3)
    waits = []
    for _ in range(3):
        start = clock.now
        h.poll()
        feed = _feed(h, "bad")
        assert feed.next_check_at is not None
        waits.append(feed.next_check_at - start)
        clock.now = feed.next_check_at
    assert waits[0] < waits[1] <= waits[2]  # grows (a constant backoff fails this), possibly capped at the end
    feed = _feed(h, "bad")
    assert feed.consecutive_errors == 3
    assert feed.disabled_reason and "3 consecutive failures" in feed.disabled_reason
    assert h.poll() == []  # disabled feeds are not polled


def test_429_honours_retry_after(feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock) -> None:
    url = feed_server.add("/busy", Route(status=429, headers={"Retry-After": "3600"}, content_type="text/plain"))
    h = harness([{"name": "busy", "url": url}])
    report = h.poll()[0]
    assert report.status is FetchStatus.RATE_LIMITED
    feed = _feed(h, "busy")
    assert feed.next_check_at is not None and feed.next_check_at >= clock.now + timedelta(seconds=3600)


def test_one_broken_or_slow_feed_does_not_stop_the_others(
    feed_server: FeedServer, harness: Callable[..., Harness]
) -> None:
    good = feed_server.add("/good", Route(body=rss(_items(2, "g"))))
    slow = feed_server.add("/slow", Route(body=rss(_items(2, "s")), delay=5))
    broken = feed_server.add("/broken", Route(body=b"<rss><channel><item><title>x</ti", content_type="text/xml"))
    html = feed_server.add("/html", Route(body=b"<html><body>hello</body></html>", content_type="text/html"))
    h = harness(
        [{"name": n, "url": u} for n, u in (("good", good), ("slow", slow), ("broken", broken), ("html", html))],
        timeout="1s",
    )
    reports = {r.feed: r for r in h.poll()}
    assert reports["good"].articles == 2
    assert reports["slow"].status is FetchStatus.TIMEOUT
    assert reports["html"].error
    for name in ("slow", "html"):
        assert _feed(h, name).last_error
    assert _feed(h, "good").last_error is None


def test_permanent_redirect_updates_the_stored_url(feed_server: FeedServer, harness: Callable[..., Harness]) -> None:
    new = feed_server.add("/new", Route(body=rss(_items(1))))
    old = feed_server.add("/old", Route.redirect(new, status=301))
    h = harness([{"name": "moved", "url": old}])
    h.poll()
    feed = _feed(h, "moved")
    assert feed.url == new and feed.config_url == old


def test_first_fetch_backlog_is_stored_without_alerting(
    feed_server: FeedServer, harness: Callable[..., Harness], clock: FakeClock
) -> None:
    old = Item("هجوم قديم", "https://news.example/old", ASAD_ROCKETS, clock.now - timedelta(days=10), "old")
    route = Route(body=rss([old]))
    url = feed_server.add("/backlog", route)
    h = harness([{"name": "bl", "url": url}], max_age="2d")
    h.poll()
    with Session(h.engine) as s:
        art = s.exec(select(Article)).one()
        assert art.alerted is False
    fresh = Item(
        "هجوم جديد",
        "https://news.example/fresh",
        ASAD_ROCKETS.replace("ثلاثة", "أربعة"),
        clock.now - timedelta(hours=1),
        "fresh",
    )
    route.body = rss([fresh, old])
    clock.advance(minutes=6)
    h.poll()
    with Session(h.engine) as s:
        alerted = s.exec(select(Article.alerted).where(col(Article.url) == fresh.link)).one()
        assert alerted is True


def test_full_text_is_fetched_for_summary_items(feed_server: FeedServer, harness: Callable[..., Harness]) -> None:
    body = "".join(f"<p>{ASAD_ROCKETS} فقرة {i}.</p>" for i in range(6))
    page = feed_server.add(
        "/article/1",
        Route(
            body=f"<html><head><title>t</title></head><body><article>{body}</article></body></html>".encode(),
            content_type="text/html",
        ),
    )
    url = feed_server.add("/summary", Route(body=rss([Item("عنوان", page, "ملخص قصير", T0, "s1")])))
    h = harness([{"name": "ft", "url": url, "full_text": True}])
    h.poll()
    with Session(h.engine) as s:
        art = s.exec(select(Article)).one()
    assert "عين الأسد" in art.text and len(art.text) > 500


def test_an_attack_article_becomes_an_incident(feed_server: FeedServer, harness: Callable[..., Harness]) -> None:
    url = feed_server.add(
        "/attack",
        Route(body=rss([Item("صواريخ على عين الأسد", "https://news.example/asad", ASAD_ROCKETS, T0, "asad")])),
    )
    h = harness([{"name": "Shafaq", "url": url}])
    report = h.poll()[0]
    assert [e.kind.value for e in report.events] == ["new"]
    with Session(h.engine) as s:
        inc = s.exec(select(IncidentRow)).one()
    assert (inc.base_id, inc.country, inc.weapon, inc.count) == ("IQ-ASAD", "iraq", "rocket", 3)
    assert h.events and h.events[0][1][0].incident_id == inc.id
