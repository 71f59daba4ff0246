"""Feed health: the state rules, the change summary, /feeds data from a real poll, the one-time disable alert."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Settings, load_settings
from bot.feeds.fetcher import FetchLimits, make_client
from bot.incidents.poller import Poller
from bot.models import Feed
from bot.ops.operators import (
    clear_feed_failures,
    describe_changes,
    feed_overview,
    feed_state,
    format_when,
    report_disabled_feeds,
)
from tests.ops.conftest import write_config
from tests.support.feed_server import FeedServer, Route

NOW = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("in_config", "enabled", "reason", "errors", "fetched", "expected"),
    [
        (False, True, None, 0, True, ("removed", "removed")),  # gone from the file: history only
        (False, False, "boom", 3, True, ("removed", "removed")),  # ... whatever its last state
        (True, False, None, 0, True, ("paused", "paused")),  # enabled = false in the file
        (True, False, "boom", 3, True, ("paused", "paused")),  # the operator's choice explains it best
        (True, True, "10 consecutive failures", 10, True, ("disabled", "disabled: 10 consecutive failures")),
        (True, True, None, 3, True, ("failing", "failing 3")),  # failing, not yet disabled
        (True, True, None, 2, False, ("failing", "failing 2")),  # never worked and failing
        (True, True, None, 0, False, ("new", "new")),  # never fetched successfully
        (True, True, None, 0, True, ("ok", "ok")),
    ],
)
def test_feed_state(
    in_config: bool, enabled: bool, reason: str | None, errors: int, fetched: bool, expected: tuple[str, str]
) -> None:
    got = feed_state(
        in_config=in_config, enabled=enabled, disabled_reason=reason, consecutive_errors=errors, fetched=fetched
    )
    assert got == expected


def _settings(**sections: object) -> Settings:
    return Settings.model_validate(sections)


A = {"name": "A", "url": "https://a.example/"}
B = {"name": "B", "url": "https://b.example/"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ({"feeds": [A]}, {"feeds": [A]}, []),  # nothing changed
        ({"feeds": [A]}, {"feeds": [A, B]}, ["feed added: B"]),
        ({"feeds": [A]}, {"feeds": [A, B | {"enabled": False}]}, ["feed added: B (paused)"]),
        ({"feeds": [A, B]}, {"feeds": [A]}, ["feed removed: B"]),
        ({"feeds": [A]}, {"feeds": [A | {"enabled": False}]}, ["feed paused: A"]),
        ({"feeds": [A | {"enabled": False}]}, {"feeds": [A]}, ["feed resumed: A"]),
        ({"feeds": [A]}, {"feeds": [A | {"interval": "1m"}]}, ["feed A: interval 1m"]),
        (
            {"feeds": [A]},
            {"feeds": [A], "polling": {"interval": "2m"}},
            ["feed A: interval 2m", "polling: interval changed"],
        ),
        ({"feeds": [A]}, {"feeds": [A | {"url": "https://a2.example/"}]}, ["feed A: url changed"]),
        ({"feeds": [A]}, {"feeds": [A | {"lang": "en", "full_text": True}]}, ["feed A: full_text, lang changed"]),
        ({"feeds": [A]}, {"feeds": [A], "telegram": {"admins": [1]}}, ["telegram: admins changed"]),
        (
            {"feeds": [A]},
            {"feeds": [A], "http": {"listen": "127.0.0.1:9108"}},
            ["http.listen changed: takes effect after a restart"],
        ),
        (
            {"feeds": [A]},
            {"feeds": [A], "database": {"url": "sqlite:///other.db"}},
            ["database.url changed: takes effect after a restart"],
        ),
    ],
)
def test_describe_changes(old: dict[str, object], new: dict[str, object], expected: list[str]) -> None:
    assert describe_changes(_settings(**old), _settings(**new)) == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (None, "never"),
        (NOW, "now"),
        (NOW - timedelta(seconds=30), "30s ago"),
        (NOW + timedelta(seconds=30), "in 30s"),
        (NOW - timedelta(minutes=5, seconds=20), "5m ago"),
        (NOW + timedelta(hours=2, minutes=3), "in 2h3m"),
        (NOW - timedelta(days=2, hours=5, minutes=7), "2d5h ago"),
    ],
)
def test_format_when(when: datetime | None, expected: str) -> None:
    assert format_when(when, NOW) == expected


class Clock:
    """A settable clock (the house rule: time comes in as a parameter)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _poll(engine: Engine, settings: Settings, clock: Clock) -> None:
    async def go() -> None:
        async with make_client(FetchLimits(timeout=5, connect_timeout=2)) as client:
            poller = Poller(engine, settings, client, clock=clock)
            await poller.sync_feeds()
            await poller.poll_due()

    asyncio.run(go())


def test_overview_counts_and_the_one_time_disable_alert(
    tmp_path: Path, engine: Engine, sqlite_url: str, feed_server: FeedServer
) -> None:
    feed_server.add("/broken.xml", Route(status=500, body=b"oops", content_type="text/plain"))
    config = write_config(
        tmp_path / "rasad.toml", db=sqlite_url, alpha=feed_server.url("/alpha.xml"), beta=feed_server.url("/broken.xml")
    )
    settings = load_settings(config)
    clock = Clock(NOW)
    _poll(engine, settings, clock)
    clock.now += timedelta(days=1)  # past any backoff: Beta fails a second time and is disabled (max_errors 2)
    _poll(engine, settings, clock)

    with Session(engine) as s:
        alpha, beta = feed_overview(s, settings, clock.now)
    assert (alpha.name, alpha.kind, alpha.consecutive_errors, alpha.articles_7d) == ("Alpha", "ok", 0, 2)
    assert alpha.incidents_7d >= 1 and alpha.last_success_at == NOW + timedelta(days=1)
    assert beta.kind == "disabled" and beta.label.startswith("disabled: 2 consecutive failures")
    assert beta.last_error == "HTTP 500 Internal Server Error" and beta.next_check_at is None

    told: list[str] = []

    async def notify(text: str) -> None:
        told.append(text)

    assert asyncio.run(report_disabled_feeds(engine, notify)) == ["Beta"]
    assert (
        len(told) == 1 and "'Beta' was disabled" in told[0] and "HTTP 500" in told[0] and "/resumefeed Beta" in told[0]
    )
    assert asyncio.run(report_disabled_feeds(engine, notify)) == [], "reported once"

    async def unreachable(text: str) -> None:
        raise RuntimeError("telegram is down")

    with Session(engine) as s:  # resume, fail again: the next disable is a new notice
        assert clear_feed_failures(s, "Beta")
        s.commit()
        assert feed_overview(s, settings, clock.now)[1].kind == "new"
    clock.now += timedelta(days=1)
    _poll(engine, settings, clock)
    clock.now += timedelta(days=1)
    _poll(engine, settings, clock)
    assert asyncio.run(report_disabled_feeds(engine, unreachable)) == [], "a failed notice is not marked as sent"
    assert asyncio.run(report_disabled_feeds(engine, notify)) == ["Beta"]
    assert len(told) == 2


def test_removed_feeds_keep_their_history(
    tmp_path: Path, engine: Engine, sqlite_url: str, feed_server: FeedServer
) -> None:
    config = write_config(
        tmp_path / "rasad.toml", db=sqlite_url, alpha=feed_server.url("/alpha.xml"), beta=feed_server.url("/beta.xml")
    )
    settings = load_settings(config)
    _poll(engine, settings, Clock(NOW))
    fewer = settings.model_copy(update={"feeds": settings.feeds[1:]})
    _poll(engine, fewer, Clock(NOW + timedelta(minutes=1)))
    with Session(engine) as s:
        rows = {f.name: f for f in s.exec(select(Feed)).all()}
        statuses = feed_overview(s, fewer, NOW + timedelta(minutes=1))
    assert not rows["Alpha"].in_config
    assert [(x.name, x.kind) for x in statuses] == [("Beta", "ok"), ("Alpha", "removed")]
    assert statuses[1].articles_7d == 2, "a removed feed's articles stay stored"
