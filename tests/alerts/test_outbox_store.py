"""The outbox queries on both databases: marking, migration, deactivation, due times, crash leftovers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TypeVar

import pytest
from sqlmodel import Session, select

from bot.alerts import outbox as ob
from bot.database import make_engine, upgrade
from bot.models import Chat, Outbox, OutboxState, Subscription
from tests.alerts.conftest import NOW, FakeTime, World

T = TypeVar("T")


@pytest.fixture
def db(db_url: str) -> Iterator[World]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield World(engine, FakeTime())
    engine.dispose()


def tx(world: World, fn: Callable[[Session], T]) -> T:
    with Session(world.engine) as s:
        out = fn(s)
        s.commit()
        return out


def load(world: World, action: ob.Action = ob.Action.SEND, max_uncertain: int = 1) -> ob.Loaded:
    reader = ob.OutboxReader(max_uncertain)
    return tx(world, lambda s: reader.load(s, now=world.clock.now, after_id=0, limit=100, action=action))


def test_a_merge_while_the_alert_was_in_flight_queues_an_edit(db: World) -> None:
    inc = db.incident()
    db.chat(1)
    row_id = db.alert(inc, 1)
    [job] = load(db).jobs
    assert tx(db, lambda s: ob.begin_attempt(s, row_id, attempts=1, uncertain=0, now=NOW))
    db.add_source(inc, "Shafaq", "https://shafaq.com/x")  # merged after the text was rendered
    tx(db, lambda s: ob.mark_sent(s, row_id, message_id=9, now=NOW, stamp=job.stamp))
    row = db.row(row_id)
    assert (row.state, row.telegram_message_id, row.needs_edit, row.last_error) == ("sent", 9, True, None)


def test_no_merge_no_edit_and_a_sent_row_is_not_begun_again(db: World) -> None:
    inc = db.incident()
    db.chat(1)
    row_id = db.alert(inc, 1)
    [job] = load(db).jobs
    tx(db, lambda s: ob.begin_attempt(s, row_id, attempts=1, uncertain=0, now=NOW))
    tx(db, lambda s: ob.mark_sent(s, row_id, message_id=9, now=NOW, stamp=job.stamp))
    assert not db.row(row_id).needs_edit
    assert not tx(db, lambda s: ob.begin_attempt(s, row_id, attempts=2, uncertain=0, now=NOW))


def test_migration_moves_chat_subscription_and_rows_and_is_idempotent(db: World) -> None:
    old, new = -5, -1000000000005
    a, b = db.incident(), db.incident()
    db.chat(old, type="group", language="ar")
    sent = db.alert(a, old)
    pending = db.alert(b, old)
    tx(db, lambda s: ob.begin_attempt(s, sent, attempts=1, uncertain=0, now=NOW))
    tx(db, lambda s: ob.mark_sent(s, sent, message_id=4, now=NOW, stamp=""))
    for _ in range(2):
        tx(db, lambda s: ob.migrate_chat(s, old, new, now=NOW))
    chat = db.chat_row(new)
    assert chat is not None and (chat.type, chat.language) == ("supergroup", "ar")
    assert db.chat_row(old) is None
    sub = db.sub(new)
    assert sub is not None and sub.active
    moved_sent, moved_pending = db.row(sent), db.row(pending)
    assert (moved_sent.chat_id, moved_sent.state, moved_sent.telegram_message_id) == (new, "sent", None)
    assert (moved_pending.chat_id, moved_pending.state) == (new, "pending")


def test_migration_after_the_app_already_moved_the_chat(db: World) -> None:
    old, new = -6, -1000000000006
    inc = db.incident()
    db.chat(old, type="group")
    db.chat(new, type="supergroup")  # the service message was handled first
    dup_old, dup_new = db.alert(inc, old), db.alert(inc, new)
    tx(db, lambda s: ob.migrate_chat(s, old, new, now=NOW))
    old_sub = db.sub(old)
    assert old_sub is not None and not old_sub.active
    assert db.row(dup_old).state == OutboxState.SKIPPED.value and db.row(dup_new).state == "pending"


def test_deactivation_skips_the_chats_other_rows_only(db: World) -> None:
    a, b = db.incident(), db.incident()
    db.chat(1)
    db.chat(2)
    first, second, other = db.alert(a, 1), db.alert(b, 1), db.alert(a, 2)
    skipped = tx(db, lambda s: ob.deactivate_chat(s, 1, row_id=first, reason="Forbidden: blocked", now=NOW,
                                                   editing=False))
    assert skipped == 1
    assert [db.row(i).state for i in (first, second, other)] == ["dead", "skipped", "pending"]
    sub = db.sub(1)
    assert sub is not None and not sub.active and sub.deactivated_reason == "Forbidden: blocked"


def test_next_due(db: World) -> None:
    assert tx(db, lambda s: ob.next_due(s, NOW)) is None
    inc = db.incident()
    db.chat(1)
    row_id = db.alert(inc, 1)
    tx(db, lambda s: ob.mark_retry(s, row_id, at=NOW + timedelta(seconds=40), reason="x", attempts=1, uncertain=0))
    assert tx(db, lambda s: ob.next_due(s, NOW)) == NOW + timedelta(seconds=40)


def test_a_send_in_flight_at_a_crash_is_resent_once_with_a_warning_then_given_up(
    db: World, caplog: pytest.LogCaptureFixture
) -> None:
    inc = db.incident()
    db.chat(1)
    row_id = db.alert(inc, 1)
    tx(db, lambda s: ob.begin_attempt(s, row_id, attempts=1, uncertain=0, now=NOW))  # ... and the process died
    with caplog.at_level(logging.WARNING, logger="bot.alerts.outbox"):
        loaded = load(db)
    [job] = loaded.jobs
    assert job.uncertain == 1 and loaded.crashed == [row_id]
    assert any("may see it twice" in r.getMessage() for r in caplog.records)
    tx(db, lambda s: ob.begin_attempt(s, row_id, attempts=2, uncertain=1, now=NOW))  # died again
    assert load(db).jobs == []
    row = db.row(row_id)
    assert row.state == OutboxState.DEAD.value and "outcome unknown again" in (row.last_error or "")


def test_rows_of_inactive_or_missing_subscriptions_are_set_aside(db: World) -> None:
    inc = db.incident()
    db.chat(1, active=False)
    with Session(db.engine) as s:
        s.add(Chat(chat_id=2, created_at=NOW))
        s.commit()
    a, b = db.alert(inc, 1), db.alert(inc, 2)
    loaded = load(db)
    assert loaded.jobs == [] and loaded.skipped == 2 and loaded.rows == 2
    assert [db.row(i).state for i in (a, b)] == ["skipped", "skipped"]
    with Session(db.engine) as s:
        assert s.exec(select(Subscription)).all()[0].chat_id == 1
        assert len(s.exec(select(Outbox)).all()) == 2
