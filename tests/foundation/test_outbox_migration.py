"""The outbox-phase migration converts rows stored the old way (state, needs_edit, an "in flight" mark in
last_error, counters in payload) into one phase column and two counters, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import command

from bot.database import alembic_config, current_revision, head_revision, make_engine, upgrade

NOW = datetime(2024, 4, 22, 8, 30)
BEFORE = "0001"
THIS = "0002_outbox_phase"

# chat id -> the row as 0001 stored it, and the (state, uncertain, edit_attempts, last_error, payload) expected after
OLD: dict[int, dict[str, Any]] = {
    1: {"state": "pending", "needs_edit": False, "last_error": None, "payload": {}},
    2: {"state": "pending", "needs_edit": False, "last_error": "in flight since 2024-04-22T08:30:00+00:00",
        "payload": {"delivery": {"uncertain": 1}}},
    3: {"state": "sent", "needs_edit": False, "last_error": None, "payload": {}},
    4: {"state": "sent", "needs_edit": True, "last_error": "edit: timed out",
        "payload": {"delivery": {"edit_attempts": 2}}},
    5: {"state": "dead", "needs_edit": False, "last_error": "bad_request: chat not found", "payload": {}},
    6: {"state": "skipped", "needs_edit": False, "last_error": "subscription inactive", "payload": {}},
    7: {"state": "pending", "needs_edit": False, "last_error": "timed out",
        "payload": {"changes": [{"field": "killed", "old": None, "new": 2}], "delivery": {"uncertain": 1}}},
}
NEW: dict[int, tuple[str, int, int, str | None, dict[str, Any]]] = {
    1: ("pending", 0, 0, None, {}),
    2: ("in_flight", 1, 0, None, {}),
    3: ("sent", 0, 0, None, {}),
    4: ("edit_due", 0, 2, "edit: timed out", {}),
    5: ("dead", 0, 0, "bad_request: chat not found", {}),
    6: ("skipped", 0, 0, "subscription inactive", {}),
    7: ("pending", 1, 0, "timed out", {"changes": [{"field": "killed", "old": None, "new": 2}]}),
}


def _table(conn: sa.Connection, name: str) -> sa.Table:
    return sa.Table(name, sa.MetaData(), autoload_with=conn)


def _seed_old_rows(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        incident, chat, outbox = (_table(conn, n) for n in ("incident", "chat", "outbox"))
        inc_id = conn.execute(
            incident.insert().values(
                ref_date=date(2024, 4, 21), weapon="rocket", target_kind="base", intercepted=False, version=1,
                country="syria",
            )
        ).inserted_primary_key[0]
        for chat_id, row in OLD.items():
            conn.execute(chat.insert().values(chat_id=chat_id, type="private", language="both"))
            conn.execute(
                outbox.insert().values(
                    incident_id=inc_id, version=1, chat_id=chat_id, kind="alert", attempts=1,
                    telegram_message_id=10 + chat_id if row["state"] == "sent" else None, created_at=NOW, **row,
                )
            )


def _rows(engine: sa.Engine) -> dict[int, sa.Row[Any]]:
    with engine.connect() as conn:
        outbox = _table(conn, "outbox")
        return {r.chat_id: r for r in conn.execute(sa.select(outbox)).all()}


def test_upgrade_from_the_previous_head_converts_every_phase_and_downgrade_restores_it(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, BEFORE) == [BEFORE]
        _seed_old_rows(engine)
        assert upgrade(engine, THIS) == [THIS]
        rows = _rows(engine)
        got = {c: (r.state, r.uncertain, r.edit_attempts, r.last_error, r.payload) for c, r in rows.items()}
        assert got == NEW
        assert "needs_edit" not in rows[1]._fields
        assert {r.attempts for r in rows.values()} == {1}

        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, BEFORE)
        assert current_revision(engine) == BEFORE
        back = _rows(engine)
        for chat_id, old in OLD.items():
            r = back[chat_id]
            assert (r.state, r.needs_edit) == (old["state"], old["needs_edit"]), chat_id
            assert r.payload.get("delivery", {}) == old["payload"].get("delivery", {}), chat_id
        assert back[2].last_error is not None and back[2].last_error.startswith("in flight")
        assert upgrade(engine)[0] == THIS and current_revision(engine) == head_revision()
        assert {c: r.state for c, r in _rows(engine).items()} == {c: v[0] for c, v in NEW.items()}
    finally:
        engine.dispose()


def test_the_upgraded_rows_are_read_by_the_delivery_state_machine(db_url: str) -> None:
    """What the migration writes is a phase `outbox.phase_of` knows, for every row it converts."""
    from sqlmodel import Session, select

    from bot.alerts.delivery import Phase
    from bot.alerts.outbox import phase_of
    from bot.models import Outbox

    engine = make_engine(db_url)
    try:
        upgrade(engine, BEFORE)
        _seed_old_rows(engine)
        upgrade(engine)
        with Session(engine) as s:
            phases = {r.chat_id: phase_of(r) for r in s.exec(select(Outbox)).all()}
        assert phases == {c: Phase(v[0]) for c, v in NEW.items()}
        assert set(phases.values()) == set(Phase)
    finally:
        engine.dispose()
