"""Telegram channels polled like feeds: a loopback server plays t.me/s/ (pages in tests/support/channel_pages),
the real poller, fetcher, extractor and database (SQLite file and PostgreSQL)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.alerts import outbox as outbox_store
from bot.alerts.render import Format, Lang, render_alert
from bot.alerts.views import view_of
from bot.config import parse_settings
from bot.feeds.fetcher import FetchStatus
from bot.models import (
    Article,
    Chat,
    Feed,
    FeedItem,
    IncidentReport,
    IncidentRow,
    Outbox,
    OutboxKind,
    OutboxState,
    Subscription,
)
from tests.incidents.conftest import FakeClock, Harness
from tests.incidents.feedgen import ASAD_ROCKETS, Item, rss
from tests.support.channel_pages import Post, missing_channel_page, preview_page
from tests.support.feed_server import FeedServer, Route

T0 = datetime(2024, 4, 23, 8, 0, tzinfo=UTC)
TANF = "استهدف مجاهدونا صباح اليوم قاعدة التنف بطائرة مسيرة."
ASAD_CLAIM = "كتائب حزب الله\nاستهدف مجاهدونا مساء اليوم الثلاثاء قاعدة عين الأسد بثلاثة صواريخ."


def _harness(
    engine: Engine, clock: FakeClock, server: FeedServer, feeds: list[dict[str, Any]], **polling: Any
) -> Harness:
    base = {"timeout": "3s", "connect_timeout": "1s", "max_age": "0", "interval": "5m", "max_errors": 3}
    base.update(polling)
    settings = parse_settings(
        {"polling": base, "feeds": feeds, "channels": {"preview_base_url": server.url("/s/")}}, source="test"
    )
    return Harness(engine, settings, clock, [])


def _page(server: FeedServer, name: str, posts: list[Post], **kw: Any) -> Route:
    route = Route(body=preview_page(name, posts, **kw), content_type="text/html; charset=utf-8")
    server.add(f"/s/{name}", route)
    return route


def _articles(engine: Engine) -> list[Article]:
    with Session(engine) as s:
        return list(s.exec(select(Article).order_by(col(Article.id))).all())


def _incidents(engine: Engine) -> list[IncidentRow]:
    with Session(engine) as s:
        return list(s.exec(select(IncidentRow).order_by(col(IncidentRow.id))).all())


def test_new_posts_then_only_newer_ones(engine: Engine, clock: FakeClock, feed_server: FeedServer) -> None:
    route = _page(feed_server, "news_chan", [Post(1, "خبر أول", when="2024-04-23T07:00:00+00:00"), Post(2, "خبر ثان")])
    h = _harness(engine, clock, feed_server, [{"name": "News channel", "url": "https://t.me/news_chan"}])
    (report,) = h.poll()
    assert (report.status, report.error, report.articles) == (FetchStatus.OK, None, 2)
    arts = _articles(engine)
    assert [a.url for a in arts] == ["https://t.me/news_chan/1", "https://t.me/news_chan/2"]
    assert arts[0].published == datetime(2024, 4, 23, 7, 0, tzinfo=UTC)
    assert feed_server.requests_for("/s/news_chan")  # read from the configured preview address
    with Session(engine) as s:
        feed = s.exec(select(Feed)).one()
    assert feed.next_check_at is not None
    wait = feed.next_check_at - clock.now
    assert timedelta(seconds=60) <= wait <= timedelta(seconds=72)  # the channel default, plus jitter

    clock.advance(seconds=30)
    assert h.poll() == []  # not due yet
    route.body = preview_page("news_chan", [Post(2, "خبر ثان"), Post(3, "خبر ثالث")])  # 1 deleted, 3 new
    clock.advance(seconds=60)
    (report,) = h.poll()
    assert (report.error, report.new_items, report.articles) == (None, 1, 1)
    assert [a.url for a in _articles(engine)][-1] == "https://t.me/news_chan/3"


def test_an_edited_post_is_read_again_and_updates(engine: Engine, clock: FakeClock, feed_server: FeedServer) -> None:
    route = _page(feed_server, "group_chan", [Post(7, TANF)])
    h = _harness(engine, clock, feed_server, [{"name": "Group", "url": "tg:group_chan", "role": "claimant"}])
    h.poll()
    assert [i.base_id for i in _incidents(engine)] == ["SY-TANF"]
    edited = TANF + "\nواستهدف مجاهدونا كذلك قاعدة الشدادي بطائرة مسيرة."
    route.body = preview_page("group_chan", [Post(7, edited, edited=True)])
    clock.advance(minutes=5)
    (report,) = h.poll()
    assert report.error is None and report.new_items == 1
    assert sorted(i.base_id or "" for i in _incidents(engine)) == ["SY-SHAD", "SY-TANF"]  # Tanf not doubled
    (article,) = _articles(engine)
    assert "الشدادي" in article.text
    clock.advance(minutes=5)
    (report,) = h.poll()
    assert report.new_items == 0  # the same edit is not read twice


def test_the_last_post_id_is_kept_and_survives_a_restart(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    route = _page(feed_server, "news_chan", [Post(i, f"خبر رقم {i}") for i in (4, 5, 6)])
    feeds = [{"name": "News channel", "url": "tg:news_chan"}]
    (report,) = _harness(engine, clock, feed_server, feeds).poll()
    assert report.articles == 3
    with Session(engine) as s:
        assert s.exec(select(Feed)).one().last_post_id == 6
        # a restart long after: the memory of seen items was pruned, only the feed row's last post id is left
        for row in s.exec(select(FeedItem)).all():
            s.delete(row)
        s.commit()
    route.body = preview_page("news_chan", [Post(i, f"خبر رقم {i}") for i in (5, 6, 7)])  # 4 deleted, 7 new
    clock.advance(minutes=5)
    (report,) = _harness(engine, clock, feed_server, feeds).poll()  # a new poller: a restarted service
    assert (report.error, report.new_items, report.articles) == (None, 1, 1)
    route.body = preview_page("news_chan", [Post(5, "خبر رقم 5")])  # newer posts deleted
    clock.advance(minutes=5)
    (report,) = _harness(engine, clock, feed_server, feeds).poll()
    assert (report.error, report.new_items) == (None, 0)
    with Session(engine) as s:
        assert s.exec(select(Feed)).one().last_post_id == 7  # a deletion lowers nothing
    assert [a.url.rsplit("/", 1)[1] for a in _articles(engine)] == ["4", "5", "6", "7"]


ASAD_TWO = "سقطت ثلاثة صواريخ على قاعدة عين الأسد الجوية في الأنبار صباح اليوم، ما أدى إلى إصابة جنديين أمريكيين."
ASAD_FOUR = ASAD_TWO + "\nتحديث: ارتفع عدد المصابين إلى أربعة جنود."


def test_an_edited_post_updates_its_incident_and_the_alert(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    with Session(engine) as s:
        s.add(Chat(chat_id=42, created_at=T0))
        s.flush()
        s.add(Subscription(chat_id=42, created_at=T0))
        s.commit()
    clock.now = datetime(2024, 4, 23, 9, 0, tzinfo=UTC)
    route = _page(feed_server, "news_chan", [Post(8, ASAD_TWO, when="2024-04-23T08:30:00+00:00")])
    h = _harness(engine, clock, feed_server, [{"name": "News channel", "url": "tg:news_chan"}])
    h.poll()
    (inc,) = _incidents(engine)
    assert (inc.base_id, inc.wounded, inc.version) == ("IQ-ASAD", 2, 1)
    with Session(engine) as s:
        (row,) = s.exec(select(Outbox)).all()
        assert row.id is not None
        outbox_store.mark_sent(s, row.id, message_id=1, now=clock.now, stamp=outbox_store.stamp_of(inc))
        s.commit()

    route.body = preview_page("news_chan", [Post(8, ASAD_FOUR, when="2024-04-23T08:30:00+00:00", edited=True)])
    clock.advance(minutes=5)
    (report,) = h.poll()
    assert (report.error, report.new_items) == (None, 1)
    (updated,) = _incidents(engine)
    assert (updated.id, updated.wounded, updated.version) == (inc.id, 4, 2)
    with Session(engine) as s:
        (rep,) = s.exec(select(IncidentReport)).all()  # still one report: the post's, holding the new reading
        assert rep.extracted["wounded"] == 4
        alert = s.exec(select(Outbox).where(Outbox.kind == OutboxKind.ALERT.value)).one()
        assert alert.state == OutboxState.EDIT_DUE.value
        text = render_alert(view_of(s, updated), Lang.EN, Format.TEXT)
        assert "4 wounded" in text and "2 wounded" not in text and "2–4" not in text


def test_missing_renamed_or_private_channel_fails_clearly_and_is_disabled(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    feed_server.add("/gone_chan", Route(body=missing_channel_page("gone_chan"), content_type="text/html"))
    feed_server.add("/s/gone_chan", Route.redirect(feed_server.url("/gone_chan"), status=302))
    h = _harness(engine, clock, feed_server, [{"name": "Gone", "url": "tg:gone_chan"}])
    for _ in range(3):
        (report,) = h.poll()
        assert report.error is not None and "private, missing or renamed" in report.error
        clock.advance(hours=7)
    with Session(engine) as s:
        feed = s.exec(select(Feed)).one()
    assert feed.disabled_reason is not None and "@gone_chan" in feed.disabled_reason
    assert feed.url == "tg:gone_chan"  # a redirect never rewrites a channel's address


def test_a_mirror_answering_404_names_the_missing_channel(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    feed_server.add("/s/nochan_here", Route(status=404, body=b"not found", content_type="text/plain"))
    h = _harness(engine, clock, feed_server, [{"name": "None", "url": "tg:nochan_here"}])
    (report,) = h.poll()
    assert report.status is FetchStatus.HTTP_ERROR
    assert report.error is not None and "@nochan_here has no public preview" in report.error and "404" in report.error


def test_empty_channel_and_huge_page(engine: Engine, clock: FakeClock, feed_server: FeedServer) -> None:
    _page(feed_server, "quiet_chan", [])
    _page(feed_server, "huge_chan", [Post(i, "نص طويل " * 500) for i in range(1, 300)])
    h = _harness(
        engine,
        clock,
        feed_server,
        [{"name": "Quiet", "url": "tg:quiet_chan"}, {"name": "Huge", "url": "tg:huge_chan"}],
        max_bytes=200_000,
    )
    reports = {r.feed: r for r in h.poll()}
    assert (reports["Quiet"].error, reports["Quiet"].new_items) == (None, 0)
    assert reports["Huge"].status is FetchStatus.TOO_LARGE


def test_one_broken_or_slow_channel_never_delays_the_others(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    _page(feed_server, "good_chan", [Post(1, "خبر")])
    slow = _page(feed_server, "slow_chan", [Post(1, "خبر")])
    slow.delay = 5
    feed_server.add("/s/broken_chan", Route(status=500, body=b"oops", content_type="text/plain"))
    news = feed_server.add("/rss", Route(body=rss([Item("خبر", "https://news.example/1", "نص", T0, "n1")])))
    h = _harness(
        engine,
        clock,
        feed_server,
        [
            {"name": "Slow", "url": "tg:slow_chan"},
            {"name": "Broken", "url": "tg:broken_chan"},
            {"name": "Good", "url": "tg:good_chan"},
            {"name": "Site", "url": news},
        ],
        timeout="1s",
    )
    started = time.monotonic()
    reports = {r.feed: r for r in h.poll()}
    assert time.monotonic() - started < 4  # the slow channel's 5 s are cut at 1 s, in parallel with the rest
    assert reports["Slow"].status is FetchStatus.TIMEOUT
    assert reports["Broken"].error
    assert reports["Good"].articles == 1 and reports["Site"].articles == 1


def test_claim_then_news_is_one_incident_and_the_alert_is_edited(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    with Session(engine) as s:
        for chat_id in (42, 43):
            s.add(Chat(chat_id=chat_id, created_at=T0))
        s.flush()
        s.add(Subscription(chat_id=42, created_at=T0, include_claims=True))  # claims are opt-in (issue 13)
        s.add(Subscription(chat_id=43, created_at=T0))  # from "reported" on: held until a news report
        s.commit()
    _page(feed_server, "kh_chan", [Post(3, ASAD_CLAIM, when="2024-04-23T16:30:00+00:00")])
    news = feed_server.add("/rss", Route(body=rss([])))
    clock.now = datetime(2024, 4, 23, 16, 35, tzinfo=UTC)
    h = _harness(
        engine,
        clock,
        feed_server,
        [{"name": "KH channel", "url": "tg:kh_chan", "role": "claimant"}, {"name": "Outlet", "url": news}],
    )
    h.poll()
    (inc,) = _incidents(engine)
    assert (inc.base_id, inc.claimed_by, inc.weapon, inc.status) == ("IQ-ASAD", "Kataib Hezbollah", "rocket", "claimed")
    with Session(engine) as s:
        (row,) = s.exec(select(Outbox)).all()
        assert row.kind == OutboxKind.ALERT.value and row.chat_id == 42
        text = render_alert(view_of(s, inc), Lang.BOTH, Format.TEXT)
        assert "Claimed: Kataib Hezbollah · t.me/kh_chan" in text and "ادعاء: كتائب حزب الله" in text
        assert "not yet confirmed" not in text  # one marking: the status line
        assert row.id is not None
        outbox_store.mark_sent(s, row.id, message_id=1, now=clock.now, stamp=outbox_store.stamp_of(inc))
        s.commit()

    feed_server.add(
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
    clock.advance(minutes=30)
    h.poll()
    (merged,) = _incidents(engine)
    assert merged.id == inc.id and merged.status == "reported"
    with Session(engine) as s:
        reports = s.exec(select(IncidentReport)).all()
        assert len(reports) == 2
        alerts = s.exec(select(Outbox).where(Outbox.kind == OutboxKind.ALERT.value).order_by(col(Outbox.id))).all()
        assert [(r.chat_id, r.state) for r in alerts] == [
            (42, OutboxState.EDIT_DUE.value),  # the sent alert gets the news source and the new status
            (43, OutboxState.PENDING.value),  # the chat waiting for a report now gets its first alert
        ]
        text = render_alert(view_of(s, merged), Lang.BOTH, Format.TEXT)
        assert "Claimed:" not in text and "Reported:" in text and "Outlet" in text


def test_a_forwarded_claim_is_the_forwarding_source_group_s(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    iri = "المقاومة الإسلامية في العراق"
    _page(
        feed_server,
        "group_chan",
        [
            Post(1, TANF),  # the channel's own post, naming no group: the feed's group
            Post(2, "استهدف مجاهدونا صباح اليوم قاعدة الشدادي بطائرة مسيرة.", forwarded_from=iri),
            Post(3, "استهدف مجاهدونا صباح اليوم قاعدة قسرك بطائرة مسيرة.", forwarded_from="x" * 500),
        ],
    )
    h = _harness(engine, clock, feed_server, [{"name": "Group", "url": "tg:group_chan", "role": "claimant"}])
    (report,) = h.poll()
    assert report.error is None
    by_base = {i.base_id: i.claimed_by for i in _incidents(engine)}
    assert by_base["SY-TANF"] == "Group"
    assert by_base["SY-SHAD"] == iri
    assert by_base["SY-QASRAK"] == "x" * 100  # a forward's name is clipped before it is stored


def test_a_claim_against_nothing_we_cover_is_stored_not_alerted(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    _page(feed_server, "far_chan", [Post(1, "استهدف مجاهدونا ميناء حيفا بطائرة مسيرة.")])
    h = _harness(engine, clock, feed_server, [{"name": "Far", "url": "tg:far_chan", "role": "claimant"}])
    (report,) = h.poll()
    assert report.articles == 1 and report.events == []
    assert len(_articles(engine)) == 1 and _incidents(engine) == []


def test_a_burst_of_posts_is_read_through_older_pages(
    engine: Engine, clock: FakeClock, feed_server: FeedServer
) -> None:
    route = _page(feed_server, "busy_chan", [Post(i, f"خبر {i}") for i in range(1, 4)])
    h = _harness(engine, clock, feed_server, [{"name": "Busy", "url": "tg:busy_chan"}])
    (report,) = h.poll()
    assert report.articles == 3
    # 45 new posts between two polls: the page shows the last 20, with a link to those before them
    route.body = preview_page("busy_chan", [Post(i, f"خبر {i}") for i in range(29, 49)], before=29)
    feed_server.add(
        "/s/busy_chan?before=29",
        Route(
            body=preview_page("busy_chan", [Post(i, f"خبر {i}") for i in range(9, 29)], before=9),
            content_type="text/html",
        ),
    )
    feed_server.add(
        "/s/busy_chan?before=9",
        Route(body=preview_page("busy_chan", [Post(i, f"خبر {i}") for i in range(1, 9)]), content_type="text/html"),
    )
    clock.advance(minutes=5)
    (report,) = h.poll()
    assert (report.error, report.articles) == (None, 45)
    urls = [a.url for a in _articles(engine)]
    assert len(urls) == len(set(urls)) == 48
    assert [r.path for r in feed_server.requests_for("/s/busy_chan?before=9")]  # stopped at the known posts
