"""Running the real bot (run_bot → PTB Application) against the Bot API stand-in, for tests/telegram/test_bot_*.

Each test gets a real SQLite file and the stand-in over HTTP; `running_bot` starts run_bot as a task,
waits until it long-polls, and stops it through the same `stop` event SIGTERM sets in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import utc_now
from bot.config import DatabaseSettings, Settings, TelegramSettings
from bot.database import make_engine, upgrade
from bot.models import Article, IncidentReport, IncidentRow
from bot.telegram.app import run_bot
from tests.support.telegram_standin import BotApiStandin, BotMessage

STOP_WAIT = 15.0


def bot_settings(standin: BotApiStandin, url: str, **overrides: Any) -> Settings:
    """Settings pointing at the stand-in and the test database, with no feeds unless given."""
    data: dict[str, Any] = {
        "telegram": TelegramSettings(api_base_url=standin.base_url),
        "database": DatabaseSettings(url=url),
        "feeds": (),
    }
    data.update(overrides)
    return Settings(**data)


def fresh_engine(url: str) -> Engine:
    """The test database, migrated."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


@dataclass
class RunningBot:
    """A bot under test: its database, the stop event, and its task."""

    standin: BotApiStandin
    engine: Engine
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def say(
        self, chat_id: int, user_id: int, text: str, language_code: str | None = "en", *, count: int = 1
    ) -> BotMessage:
        """A user sends `text`; returns the (last of `count`) bot message(s) that answer it in that chat."""
        before = len(self.standin.sent(chat_id))
        self.standin.user_sends(chat_id, user_id, text, language_code)

        def answered() -> list[BotMessage] | None:
            msgs = self.standin.sent(chat_id)[before:]
            return msgs if len(msgs) >= count else None

        msgs: list[BotMessage] = await self.wait(answered)
        return msgs[count - 1]

    async def wait(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait for the stand-in's state (or the bot task ending, which fails the wait loudly)."""

        def check() -> Any:
            if self.task.done():
                return True
            return predicate()

        value = await self.standin.async_wait_for(check, timeout)
        if self.task.done():
            self.task.result()
            raise AssertionError("the bot stopped while a test waited for it")
        return value


@asynccontextmanager
async def running_bot(
    standin: BotApiStandin,
    url: str,
    *,
    settings: Settings | None = None,
    clock: Callable[[], datetime] = utc_now,
    **kwargs: Any,
) -> AsyncIterator[RunningBot]:
    """Start run_bot on the stand-in; on exit set `stop` and wait for a clean stop."""
    engine = fresh_engine(url)
    stop = asyncio.Event()
    try:
        async with httpx.AsyncClient() as client:
            task = asyncio.create_task(
                run_bot(
                    settings or bot_settings(standin, url), engine, client, token=standin.token, stop=stop,
                    clock=clock, **kwargs,
                )
            )
            bot = RunningBot(standin, engine, stop, task)
            await bot.wait(lambda: standin.polling)
            try:
                yield bot
            finally:
                stop.set()
                await asyncio.wait_for(task, STOP_WAIT)
    finally:
        engine.dispose()


def add_incident(
    engine: Engine,
    *,
    day: date,
    place: tuple[str, str, str] | None = ("ain-al-asad", "Ain al-Asad Air Base", "قاعدة عين الأسد"),
    country: str = "iraq",
    province: tuple[str, str] = ("Anbar", "الأنبار"),
    weapon: str = "rocket",
    killed: int | None = None,
    wounded: int | None = None,
    sources: tuple[tuple[str, str], ...] = (("Outlet A", "https://a.example/news/1"),),
    lat: float | None = 33.8,
    lon: float | None = 42.44,
) -> int:
    """Insert an incident with its source articles directly, as the pipeline would have stored it."""
    now = datetime.now(UTC)
    with Session(engine) as s:
        inc = IncidentRow(
            base_id=place[0] if place else None,
            place_en=place[1] if place else None,
            place_ar=place[2] if place else None,
            country=country,
            province_en=province[0],
            province_ar=province[1],
            lat=lat if place else None,
            lon=lon if place else None,
            date=day,
            ref_date=day,
            weapon=weapon,
            killed=killed,
            wounded=wounded,
            first_seen_at=now,
            updated_at=now,
        )
        s.add(inc)
        s.flush()
        assert inc.id is not None
        for name, link in sources:
            art = Article(url=link, url_key=f"{link}#{inc.id}", identity=link[-60:], title=name, source=name,
                          fetched_at=now)
            s.add(art)
            s.flush()
            assert art.id is not None
            s.add(IncidentReport(incident_id=inc.id, article_id=art.id, decision="new", reason="test", created_at=now))
        s.commit()
        return inc.id
