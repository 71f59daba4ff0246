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


def load(world: World, action: ob.Action = ob.Action.SEND) -> ob.Loaded:
    reader = ob.OutboxReader()
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
    assert (row.state, row.telegram_message_id, row.last_error) == ("edit_due", 9, None)


def test_no_merge_no_edit_and_a_sent_row_is_not_begun_again(db: World) -> None:
    inc = db.incident()
    db.chat(1)
    row_id = db.alert(inc, 1)
    [job] = load(db).jobs
    tx(db, lambda s: ob.begin_attempt(s, row_id, attempts=1, uncertain=0, now=NOW))
    tx(db, lambda s: ob.mark_sent(s, row_id, message_id=9, now=NOW, stamp=job.stamp))
    assert db.row(row_id).state == "sent"
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


def test_a_migrated_group_keeps_its_menu_language_and_time_zone(db: World) -> None:
    old, new = -7, -1000000000007
    db.chat(old, type="group", language="en")
    with Session(db.engine) as s:
        chat = s.get(Chat, old)
        assert chat is not None
        chat.menu_language, chat.timezone = "ar", "Europe/London"
        s.add(chat)
        s.commit()
    tx(db, lambda s: ob.migrate_chat(s, old, new, now=NOW))
    moved = db.chat_row(new)
    assert moved is not None and (moved.language, moved.menu_language, moved.timezone) == (
        "en", "ar", "Europe/London"
    )


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


def test_a_send_in_flight_at_a_crash_is_resent_with_a_warning_each_time_and_counted(
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
    [again] = load(db).jobs  # a duplicate beats a loss
    assert again.uncertain == 2 and db.row(row_id).state == OutboxState.IN_FLIGHT.value


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


def test_requeue_puts_dead_rows_back_in_order_and_they_go_through_the_plan_again(db: World) -> None:
    inc = db.incident()
    for chat_id in (1, 2, 3):
        db.chat(chat_id, active=chat_id != 3)
    ids = [db.alert(inc, c) for c in (1, 2, 3)]
    sent = db.alert(db.incident(), 1)
    for row_id in ids:
        tx(db, lambda s, r=row_id: ob.begin_attempt(s, r, attempts=8, uncertain=1, now=NOW))
        tx(db, lambda s, r=row_id: ob.mark_dead(s, r, reason="transient: gave up after 8 attempts"))
    tx(db, lambda s: ob.mark_sent(s, sent, message_id=5, now=NOW, stamp="x"))
    assert tx(db, lambda s: ob.requeue_dead(s, now=NOW, chat_id=2)) == 1
    assert [db.row(r).state for r in ids] == ["dead", "pending", "dead"]
    assert tx(db, lambda s: ob.requeue_dead(s, now=NOW)) == 2
    assert tx(db, lambda s: ob.requeue_dead(s, now=NOW)) == 0
    for row_id in ids:
        row = db.row(row_id)
        assert (row.state, row.attempts, row.uncertain) == ("pending", 0, 0)
        assert "was dead: transient: gave up" in (row.last_error or "")
    assert db.row(sent).state in ("sent", "edit_due")
    loaded = load(db)
    assert [j.chat_id for j in loaded.jobs] == [1, 2] and loaded.skipped == 1  # chat 3's subscription is off
    assert db.row(ids[2]).state == "skipped"
