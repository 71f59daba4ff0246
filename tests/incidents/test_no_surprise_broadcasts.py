"""No surprise broadcasts: the bundled sample is a terminal demo, and a config without feeds polls nothing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.config import load_settings, sample_feeds
from bot.feeds.fetcher import make_client
from bot.incidents.poller import poller_limits
from bot.models import Chat, Feed, IncidentRow, Outbox, Subscription
from bot.sample import SAMPLE_LABEL
from bot.service import Service
from tests.incidents.conftest import FakeClock, settings_for
from tests.incidents.feedgen import ASAD_ROCKETS, Item, rss
from tests.support.feed_server import FeedServer, Route

REPO = Path(__file__).resolve().parents[2]


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())  # type: ignore[arg-type]


def _subscriber(engine: Engine, clock: FakeClock) -> None:
    with Session(engine) as s:
        s.add(Chat(chat_id=5, type="private", language="both", created_at=clock.now, updated_at=clock.now))
        s.add(Subscription(chat_id=5, active=True, created_at=clock.now, updated_at=clock.now))
        s.commit()


def test_the_sample_feed_is_stored_but_never_queued_for_telegram(engine: Engine, clock: FakeClock) -> None:
    _subscriber(engine, clock)
    settings = settings_for([]).model_copy(update={"feeds": sample_feeds()})

    async def go() -> None:
        async with make_client(poller_limits(settings)) as client:
            service = Service(engine, settings, client, config_path=None, clock=clock)
            await service.poller.sync_feeds()
            reports = await service.poller.poll_due()
            assert reports and reports[0].articles > 0 and not reports[0].error

    asyncio.run(go())
    assert _count(engine, IncidentRow) > 0  # the demo works
    assert _count(engine, Outbox) == 0  # and no subscriber gets it


def test_removing_every_feed_from_the_config_sends_nothing(
    engine: Engine, clock: FakeClock, feed_server: FeedServer, tmp_path: Path
) -> None:
    _subscriber(engine, clock)
    route = Route(body=rss([]))
    url = feed_server.add("/news", route)
    config = tmp_path / "rasad.toml"
    config.write_text(f'[polling]\nmax_age = "0"\n[[feeds]]\nname = "News"\nurl = "{url}"\n', encoding="utf-8")
    settings = load_settings(config)

    async def go() -> None:
        async with make_client(poller_limits(settings)) as client:
            service = Service(engine, settings, client, config_path=config, clock=clock)
            await service.poller.sync_feeds()
            assert [r.feed for r in await service.poller.poll_due()] == ["News"]
            # the operator deletes the [[feeds]] table; meanwhile the site publishes an attack
            config.write_text('[polling]\nmax_age = "0"\n', encoding="utf-8")
            route.body = rss([Item("عين الأسد", "https://news.example/asad", ASAD_ROCKETS, clock.now)])
            outcome = await service.watcher.reload("test", notify=False)
            assert service.settings.feeds == (), outcome
            clock.advance(hours=1)
            assert await service.poller.poll_due() == []

    asyncio.run(go())
    assert len(feed_server.requests_for("/news")) == 1
    assert _count(engine, Outbox) == 0 and _count(engine, IncidentRow) == 0
    with Session(engine) as s:
        assert [(f.name, f.in_config) for f in s.exec(select(Feed)).all()] == [("News", False)]  # no sample either


def _rasad(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "RASAD_CONFIG")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_config_says_an_empty_file_polls_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    out = _rasad(tmp_path, "check-config", str(empty))
    assert out.returncode == 0, out.stderr
    assert "OK (no feeds: nothing will be polled" in out.stdout


def test_without_any_config_file_the_demo_runs_labelled_as_a_sample(tmp_path: Path) -> None:
    check = _rasad(tmp_path, "check-config")
    assert "embedded defaults: OK" in check.stdout and "bundled sample feed (a demo" in check.stdout
    out = _rasad(tmp_path, "poll", "--once")
    assert out.returncode == 0, out.stderr
    alerts = out.stdout.count("NEW INCIDENT")
    assert alerts > 0 and out.stdout.count(SAMPLE_LABEL) >= alerts


def test_the_sample_is_recognised_wherever_its_copy_lives() -> None:
    from bot.config import SAMPLE_FEED
    from bot.sample import is_sample

    assert is_sample(SAMPLE_FEED.as_uri())
    assert is_sample("file:///srv/rasad-checkout/bot/samples/sample-feed.xml")  # the repository's copy
    assert not is_sample("file:///srv/feeds/sample-feed.xml")
    assert not is_sample("https://news.example/bot/samples/sample-feed.xml")
    assert not is_sample(None)


def test_a_feed_added_with_backlog_off_alerts_on_nothing_it_already_holds(
    engine: Engine, clock: FakeClock, feed_server: FeedServer, tmp_path: Path
) -> None:
    _subscriber(engine, clock)
    fresh = Item("عين الأسد", "https://news.example/asad", ASAD_ROCKETS, clock.now)  # new enough to alert
    route = Route(body=rss([fresh]))
    url = feed_server.add("/skip", route)
    config = tmp_path / "rasad.toml"
    config.write_text(f'[[feeds]]\nname = "Skip"\nurl = "{url}"\nbacklog = false\n', encoding="utf-8")
    settings = load_settings(config)

    async def go() -> None:
        async with make_client(poller_limits(settings)) as client:
            service = Service(engine, settings, client, config_path=config, clock=clock)
            await service.poller.sync_feeds()
            await service.poller.poll_due()
            assert _count(engine, IncidentRow) == 1 and _count(engine, Outbox) == 0  # read, stored, not alerted
            later = Item("عين الأسد", "https://news.example/asad-2", ASAD_ROCKETS.replace("ثلاثة", "أربعة"), clock.now)
            route.body = rss([fresh, later])
            clock.advance(hours=1)
            await service.poller.poll_due()

    asyncio.run(go())
    assert _count(engine, Outbox) == 1  # an item that appeared later alerts as usual
