"""`rasad outbox retry` as an operator runs it: dead rows back in the queue, the count printed."""

from __future__ import annotations

from sqlmodel import Session

from bot.alerts import outbox as ob
from bot.database import make_engine, upgrade
from tests.alerts.conftest import NOW, FakeTime, World
from tests.foundation.test_cli import rasad


def test_outbox_retry_requeues_the_dead_rows(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        upgrade(engine)
        world = World(engine, FakeTime())
        world.chat(7)
        row_id = world.alert(world.incident(), 7)
        with Session(engine) as s:
            ob.mark_dead(s, row_id, reason="transient: gave up after 8 attempts")
            s.commit()
        assert world.row(row_id).state == "dead"

        out = rasad("outbox", "retry", "--db", sqlite_url)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "outbox: 1 dead row(s) queued again"
        row = world.row(row_id)
        assert row.state == "pending" and row.attempts == 0 and row.next_attempt_at is not None
        assert row.next_attempt_at > NOW  # due now, by the real clock

        again = rasad("outbox", "retry", "--db", sqlite_url, "--chat", "7")
        assert again.returncode == 0 and again.stdout.strip() == "outbox: 0 dead row(s) of chat 7 queued again"
    finally:
        engine.dispose()
