"""A small world for delivery tests: a real SQLite file with incidents, chats and outbox rows, the Bot API
stand-in on loopback, and a fake clock whose sleep moves time forward at once (waits cost nothing real).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
import telegram
from sqlmodel import Session, col, select

_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from bot.alerts.delivery import RetryPolicy  # noqa: E402
from bot.alerts.sender import OutboxSender  # noqa: E402
from bot.config import TelegramSettings  # noqa: E402
from bot.database import make_engine, upgrade  # noqa: E402
from bot.models import (  # noqa: E402
    Article,
    Chat,
    IncidentReport,
    IncidentRow,
    Outbox,
    OutboxKind,
    OutboxState,
    Subscription,
)
from tests.support.telegram_standin import BotApiStandin  # noqa: E402

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
T = TypeVar("T")


class FakeTime:
    """The sender's clock and sleep: sleeping moves the clock, so a 30 s flood wait takes no real time."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)

    def monotonic(self) -> float:
        """The same time for the stand-in's rate limiter."""
        return self.now.timestamp()

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class World:
    """Rows inserted straight through SQLModel, as ingest would have left them."""

    engine: sa.Engine
    clock: FakeTime
    _n: int = field(default=0)

    def chat(self, chat_id: int, *, type: str = "private", language: str = "both", active: bool = True,
             send_updates: bool = True, min_status: str = "reported", include_claims: bool = False) -> None:
        with Session(self.engine) as s:
            s.add(Chat(chat_id=chat_id, type=type, language=language, created_at=NOW, updated_at=NOW))
            s.flush()
            s.add(Subscription(chat_id=chat_id, active=active, send_updates=send_updates, created_at=NOW,
                               min_status=min_status, include_claims=include_claims))
            s.commit()

    def incident(self, sources: Sequence[tuple[str, str]] = (("Rudaw <b>&amp;", "https://www.rudaw.net/a/1"),),
                 *, lat: float | None = 33.8, lon: float | None = 42.44) -> int:
        with Session(self.engine) as s:
            inc = IncidentRow(
                base_id="IQ-ASAD", place_en="Ain al-Asad Air Base", place_ar="قاعدة عين الأسد", country="iraq",
                province_en="Anbar", province_ar="الأنبار", lat=lat, lon=lon, date=date(2024, 5, 1),
                ref_date=date(2024, 5, 1), weapon="rocket", target_kind="base", count=3, version=1,
                first_seen_at=NOW, updated_at=NOW,
            )
            s.add(inc)
            s.flush()
            assert inc.id is not None
            for name, url in sources:
                self._report(s, inc.id, name, url)
            s.commit()
            return inc.id

    def _report(self, s: Session, incident_id: int, name: str, url: str) -> None:
        self._n += 1
        art = Article(url=url, url_key=f"{url}#{self._n}", identity=f"id{self._n}", title="title", source=name,
                      text="نص", fetched_at=NOW)
        s.add(art)
        s.flush()
        assert art.id is not None
        s.add(IncidentReport(incident_id=incident_id, article_id=art.id, decision="new", reason="new",
                             extracted={}, created_at=NOW))

    def add_source(self, incident_id: int, name: str, url: str) -> None:
        """What ingest does when another outlet's report merges: a report, updated_at, sent alerts flagged."""
        with Session(self.engine) as s:
            self._report(s, incident_id, name, url)
            inc = s.get(IncidentRow, incident_id)
            assert inc is not None
            inc.updated_at = self.clock.now + timedelta(microseconds=self._n)
            s.add(inc)
            s.execute(
                sa.update(Outbox)
                .where(col(Outbox.incident_id) == incident_id, col(Outbox.kind) == OutboxKind.ALERT.value,
                       col(Outbox.state).in_([OutboxState.SENT.value, OutboxState.EDIT_DUE.value]))
                .values(state=OutboxState.EDIT_DUE.value)
            )
            s.commit()

    def alert(self, incident_id: int, chat_id: int) -> int:
        return self._row(incident_id, chat_id, 1, OutboxKind.ALERT, {})

    def update(self, incident_id: int, chat_id: int, version: int, changes: list[dict[str, Any]]) -> int:
        return self._row(incident_id, chat_id, version, OutboxKind.UPDATE, {"changes": changes})

    def _row(self, incident_id: int, chat_id: int, version: int, kind: OutboxKind, payload: dict[str, Any]) -> int:
        with Session(self.engine) as s:
            row = Outbox(incident_id=incident_id, version=version, chat_id=chat_id, kind=kind.value,
                         next_attempt_at=self.clock.now, created_at=self.clock.now, payload=payload)
            s.add(row)
            s.commit()
            assert row.id is not None
            return row.id

    def broadcast(self, incident_id: int, chat_ids: Sequence[int]) -> None:
        with Session(self.engine) as s:
            s.execute(sa.insert(Outbox), [
                {"incident_id": incident_id, "version": 1, "chat_id": c, "kind": "alert", "state": "pending",
                 "attempts": 0, "next_attempt_at": self.clock.now, "payload": {},
                 "created_at": self.clock.now}
                for c in chat_ids
            ])
            s.commit()

    def row(self, row_id: int) -> Outbox:
        with Session(self.engine) as s:
            row = s.get(Outbox, row_id)
            assert row is not None
            return row

    def rows(self) -> list[Outbox]:
        with Session(self.engine) as s:
            return list(s.exec(select(Outbox).order_by(col(Outbox.id))).all())

    def sub(self, chat_id: int) -> Subscription | None:
        with Session(self.engine) as s:
            return s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()

    def chat_row(self, chat_id: int) -> Chat | None:
        with Session(self.engine) as s:
            return s.get(Chat, chat_id)


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def world(sqlite_url: str, clock: FakeTime) -> Iterator[World]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield World(engine, clock)
    engine.dispose()


@pytest.fixture
def standin() -> Iterator[BotApiStandin]:
    with BotApiStandin() as server:
        yield server
        assert not server.internal_errors, "stand-in bug:\n" + "\n".join(server.internal_errors)


SETTINGS = TelegramSettings()
POLICY = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(minutes=1), max_age=timedelta(minutes=4))


def with_sender(
    world: World,
    standin: BotApiStandin,
    body: Callable[[OutboxSender], Awaitable[T]],
    *,
    fake: bool = True,
    settings: TelegramSettings = SETTINGS,
    bot: telegram.Bot | None = None,
    **kwargs: Any,
) -> T:
    """Run `body(sender)` in a fresh event loop with a real Bot aimed at the stand-in."""

    async def main() -> T:
        the_bot = bot or telegram.Bot(standin.token, base_url=standin.base_url)
        async with the_bot:
            extra: dict[str, Any] = {"policy": POLICY, "jitter": lambda: 0.0}
            if fake:
                extra.update(clock=world.clock, sleep=world.clock.sleep)
            extra.update(kwargs)
            sender = OutboxSender(world.engine, the_bot, settings, **extra)
            try:
                return await body(sender)
            finally:
                sender.close()

    return asyncio.run(main())


def drain(world: World, standin: BotApiStandin, **kwargs: Any) -> int:
    """One drain pass."""
    return with_sender(world, standin, lambda s: s.drain_once(), **kwargs)
