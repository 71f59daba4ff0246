"""The outbox row's state machine (bot.alerts.delivery): every move, every plan, and storage that agrees.

One commented row per rule. The storage test writes real rows in every phase to a SQLite file and checks
that each write in bot.alerts.outbox leaves the row in the phase the table names (or untouched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.alerts import outbox as ob
from bot.alerts.delivery import TRANSITIONS, Phase, Plan, RowEvent, RowPlan, next_phase, plan_row
from bot.incidents.ingest import ArticleIn, ingest_article
from bot.models import IncidentRow, Outbox, OutboxKind
from tests.alerts.conftest import World
from tests.incidents.feedgen import ASAD_ROCKETS

P, E = Phase, RowEvent
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

MOVES: list[object] = [
    # A send starts from the queue, or again after a crash left it in flight.
    pytest.param(P.PENDING, E.START, P.IN_FLIGHT, id="start"),
    pytest.param(P.IN_FLIGHT, E.START, P.IN_FLIGHT, id="restart-after-crash"),
    # Accepted: sent, also when a migration or a skip touched the row meanwhile (Telegram has it).
    pytest.param(P.IN_FLIGHT, E.ACCEPTED, P.SENT, id="accepted"),
    pytest.param(P.PENDING, E.ACCEPTED, P.SENT, id="accepted-after-reset"),
    pytest.param(P.SKIPPED, E.ACCEPTED, P.SENT, id="accepted-after-skip"),
    pytest.param(P.DEAD, E.ACCEPTED, P.SENT, id="accepted-after-dead"),
    # An alert already sent is not sent again.
    pytest.param(P.SENT, E.ACCEPTED, None, id="sent-is-final-for-sends"),
    # Retries keep a row queued; a sent, dead or skipped row is not retried.
    pytest.param(P.IN_FLIGHT, E.RETRY, P.PENDING, id="retry"),
    pytest.param(P.PENDING, E.RETRY, P.PENDING, id="retry-pending"),
    pytest.param(P.SENT, E.RETRY, None, id="no-retry-when-sent"),
    pytest.param(P.DEAD, E.RETRY, None, id="no-retry-when-dead"),
    # Giving up: only a queued or in-flight row dies.
    pytest.param(P.IN_FLIGHT, E.GIVE_UP, P.DEAD, id="give-up"),
    pytest.param(P.PENDING, E.GIVE_UP, P.DEAD, id="give-up-pending"),
    pytest.param(P.SENT, E.GIVE_UP, None, id="a-sent-row-never-dies"),
    # Set aside: a queued row is skipped; a due edit is dropped and the alert stays.
    pytest.param(P.PENDING, E.SET_ASIDE, P.SKIPPED, id="skip"),
    pytest.param(P.IN_FLIGHT, E.SET_ASIDE, P.SKIPPED, id="skip-in-flight"),
    pytest.param(P.EDIT_DUE, E.SET_ASIDE, P.SENT, id="drop-edit"),
    pytest.param(P.SENT, E.SET_ASIDE, None, id="nothing-to-set-aside"),
    # A merge makes a sent alert due for an edit; unsent rows render fresh text anyway.
    pytest.param(P.SENT, E.INCIDENT_CHANGED, P.EDIT_DUE, id="merge-edits-sent"),
    pytest.param(P.EDIT_DUE, E.INCIDENT_CHANGED, P.EDIT_DUE, id="merge-while-edit-due"),
    pytest.param(P.PENDING, E.INCIDENT_CHANGED, None, id="merge-before-send"),
    # Edits.
    pytest.param(P.EDIT_DUE, E.EDITED, P.SENT, id="edited"),
    pytest.param(P.SENT, E.EDITED, P.SENT, id="edited-after-drop"),
    pytest.param(P.EDIT_DUE, E.EDIT_RETRY, P.EDIT_DUE, id="edit-retry"),
    pytest.param(P.EDIT_DUE, E.EDIT_FAILED, P.SENT, id="edit-failed"),
    pytest.param(P.PENDING, E.EDITED, None, id="no-edit-before-send"),
    # A migrated group: queued rows go at once, sent ones keep nothing to edit in the new chat.
    pytest.param(P.PENDING, E.CHAT_MIGRATED, P.PENDING, id="migrate-pending"),
    pytest.param(P.IN_FLIGHT, E.CHAT_MIGRATED, P.PENDING, id="migrate-in-flight"),
    pytest.param(P.EDIT_DUE, E.CHAT_MIGRATED, P.SENT, id="migrate-drops-edit"),
    pytest.param(P.DEAD, E.CHAT_MIGRATED, None, id="migrate-dead"),
    # `rasad outbox retry`: only a given-up row goes back to the queue.
    pytest.param(P.DEAD, E.REQUEUE, P.PENDING, id="requeue-dead"),
    pytest.param(P.SKIPPED, E.REQUEUE, None, id="no-requeue-skipped"),
    pytest.param(P.SENT, E.REQUEUE, None, id="no-requeue-sent"),
    pytest.param(P.IN_FLIGHT, E.REQUEUE, None, id="no-requeue-in-flight"),
]


@pytest.mark.parametrize(("phase", "event", "expected"), MOVES)
def test_moves(phase: Phase, event: RowEvent, expected: Phase | None) -> None:
    assert next_phase(phase, event) == expected


def test_dead_and_skipped_are_final_except_for_an_answer_telegram_already_gave_or_an_operator() -> None:
    assert {e for e in RowEvent if next_phase(P.SKIPPED, e) is not None} == {E.ACCEPTED}
    assert {e for e in RowEvent if next_phase(P.DEAD, e) is not None} == {E.ACCEPTED, E.REQUEUE}


def test_the_table_names_only_real_phases_and_events() -> None:
    for (phase, event), after in TRANSITIONS.items():
        assert isinstance(phase, Phase) and isinstance(event, RowEvent) and isinstance(after, Phase)


PLANS: list[object] = [
    # No subscription, or an inactive one: set aside (before anything is rendered).
    pytest.param({"subscription_active": None}, RowPlan(Plan.SET_ASIDE, "no active subscription"), id="no-sub"),
    pytest.param({"subscription_active": False}, RowPlan(Plan.SET_ASIDE, "subscription inactive"), id="sub-off"),
    # The incident was deleted.
    pytest.param({"incident_exists": False}, RowPlan(Plan.SET_ASIDE, "incident gone"), id="incident-gone"),
    # A queued alert is sent.
    pytest.param({}, RowPlan(Plan.SEND), id="send"),
    # In flight when the process died: sent again, counted as uncertain...
    pytest.param({"phase": P.IN_FLIGHT}, RowPlan(Plan.SEND, None, 1, True), id="resend-after-crash"),
    # ...and again after a second crash (a duplicate beats a loss; each repeat is counted).
    pytest.param(
        {"phase": P.IN_FLIGHT, "uncertain": 1},
        RowPlan(Plan.SEND, None, 2, True),
        id="crashed-twice",
    ),
    # A due edit with a message id is edited; without one it is dropped.
    pytest.param({"phase": P.EDIT_DUE}, RowPlan(Plan.EDIT), id="edit"),
    pytest.param(
        {"phase": P.EDIT_DUE, "has_message_id": False}, RowPlan(Plan.SET_ASIDE, "no message id to edit"), id="no-id"
    ),
    # An update replies to its sent alert (also one due for an edit).
    pytest.param({"is_update": True, "alert_phase": P.SENT}, RowPlan(Plan.SEND), id="update"),
    pytest.param({"is_update": True, "alert_phase": P.EDIT_DUE}, RowPlan(Plan.SEND), id="update-edit-due"),
    # An update waits for an alert still queued or in flight.
    pytest.param({"is_update": True, "alert_phase": P.PENDING}, RowPlan(Plan.DEFER), id="update-waits"),
    pytest.param({"is_update": True, "alert_phase": P.IN_FLIGHT}, RowPlan(Plan.DEFER), id="update-waits-flight"),
    # An update of an alert that never went (or does not exist) is set aside.
    pytest.param(
        {"is_update": True, "alert_phase": P.DEAD},
        RowPlan(Plan.SET_ASIDE, "the alert it updates was not delivered"),
        id="update-of-dead",
    ),
    pytest.param(
        {"is_update": True, "alert_phase": None},
        RowPlan(Plan.SET_ASIDE, "the alert it updates was not delivered"),
        id="update-without-alert",
    ),
]


@pytest.mark.parametrize(("given", "expected"), PLANS)
def test_plan_row(given: dict[str, object], expected: RowPlan) -> None:
    args: dict[str, object] = {
        "phase": P.PENDING,
        "is_update": False,
        "subscription_active": True,
        "incident_exists": True,
        "has_message_id": True,
        "uncertain": 0,
        "alert_phase": None,
    }
    args.update(given)
    assert plan_row(**args) == expected  # type: ignore[arg-type]


# --- storage agrees with the table ----------------------------------------------------------------

SHAPES: dict[Phase, dict[str, object]] = {
    P.PENDING: {"state": "pending"},
    P.IN_FLIGHT: {"state": "in_flight"},
    P.SENT: {"state": "sent", "telegram_message_id": 5},
    P.EDIT_DUE: {"state": "edit_due", "telegram_message_id": 5},
    P.DEAD: {"state": "dead", "last_error": "gave up"},
    P.SKIPPED: {"state": "skipped", "last_error": "set aside"},
}

WRITES: dict[RowEvent, Callable[[Session, int], object]] = {
    E.START: lambda s, i: ob.begin_attempt(s, i, attempts=1, uncertain=0, now=NOW),
    E.RETRY: lambda s, i: ob.mark_retry(s, i, at=NOW + timedelta(minutes=1), reason="later", attempts=1, uncertain=0),
    E.GIVE_UP: lambda s, i: ob.mark_dead(s, i, reason="no"),
    E.EDIT_RETRY: lambda s, i: ob.edit_retry(s, i, at=NOW, reason="later", edit_attempts=1),
    E.EDIT_FAILED: lambda s, i: ob.edit_failed(s, i, reason="no"),
    E.REQUEUE: lambda s, i: ob.requeue_dead(s, now=NOW),
}


@pytest.mark.parametrize("event", list(WRITES), ids=str)
@pytest.mark.parametrize("phase", list(Phase), ids=str)
def test_each_outbox_write_moves_a_stored_row_as_the_table_says(world: World, phase: Phase, event: RowEvent) -> None:
    world.chat(1)
    row_id = world.alert(world.incident(), 1)
    with Session(world.engine) as s:
        row = s.get(Outbox, row_id)
        assert row is not None and row.kind == OutboxKind.ALERT.value
        for key, value in SHAPES[phase].items():
            setattr(row, key, value)
        s.add(row)
        s.commit()
        assert ob.phase_of(row) is phase
        WRITES[event](s, row_id)
        s.commit()
        s.refresh(row)
        assert ob.phase_of(row) is (next_phase(phase, event) or phase)


@pytest.mark.parametrize("phase", list(Phase), ids=str)
@pytest.mark.parametrize("fresh", [True, False], ids=["fresh", "stale"])
def test_mark_sent_and_edit_done_follow_the_table(world: World, phase: Phase, fresh: bool) -> None:
    """Accepted or edited, then INCIDENT_CHANGED when the text was rendered before the last merge."""
    world.chat(1)
    inc_id = world.incident()
    row_id = world.alert(inc_id, 1)
    for event, write in (
        (E.ACCEPTED, lambda s, stamp: ob.mark_sent(s, row_id, message_id=9, now=NOW, stamp=stamp)),
        (E.EDITED, lambda s, stamp: ob.edit_done(s, row_id, stamp=stamp)),
    ):
        with Session(world.engine) as s:
            row, inc = s.get(Outbox, row_id), s.get(IncidentRow, inc_id)
            assert row is not None and inc is not None
            for key, value in {"last_error": None, **SHAPES[phase]}.items():
                setattr(row, key, value)
            s.add(row)
            s.commit()
            write(s, ob.stamp_of(inc) if fresh else "an older rendering")
            s.commit()
            s.refresh(row)
            moved = next_phase(phase, event)
            if moved is None:
                assert ob.phase_of(row) is phase, event
            elif fresh:
                assert ob.phase_of(row) is moved, event
            else:
                assert ob.phase_of(row) is next_phase(moved, E.INCIDENT_CHANGED), event


def test_ingest_moves_a_sent_alert_as_incident_changed_says(world: World) -> None:
    """ingest (an earlier stage) writes the outbox directly when a report merges: it must agree with the table."""

    def article(url: str, text: str) -> ArticleIn:
        return ArticleIn(url=url, title="", text=text, published=NOW - timedelta(hours=1),
                         identity=hashlib.sha256(url.encode()).hexdigest(), source=url)

    world.chat(1)
    with Session(world.engine) as s:
        ingest_article(s, article("https://a.example/1", ASAD_ROCKETS), now=NOW, alert=True, max_km=10)
        s.commit()
        (row,) = s.exec(select(Outbox)).all()
        row.state, row.telegram_message_id = "sent", 77
        s.add(row)
        s.commit()
        before = ob.phase_of(row)
        ingest_article(s, article("https://b.example/1", ASAD_ROCKETS.replace("مصدر أمني", "مسؤول")),
                       now=NOW, alert=True, max_km=10)
        s.commit()
        s.refresh(row)
        assert ob.phase_of(row) is next_phase(before, E.INCIDENT_CHANGED) is P.EDIT_DUE
