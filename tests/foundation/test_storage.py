"""Storage on both databases: migrations create the schema, the models round-trip, constraints hold."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from bot.database import LOCKED_RETRIES, current_revision, head_revision, make_engine, run_db, upgrade
from bot.models import Article, Chat, Feed, IncidentReport, IncidentRow, Outbox, OutboxState, Subscription

NOW = datetime(2024, 4, 22, 8, 30, tzinfo=UTC)


def test_upgrade_creates_schema_and_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == [
            "0001", "0002_outbox_phase", "0003_status_ladder", "0004_subscriber_ux",
            "0005_channel_last_post", "0006_filters_quiet_topics",
        ]
        assert current_revision(engine) == head_revision()
        assert upgrade(engine) == []
        tables = set(sa.inspect(engine).get_table_names())
        assert {
            "feed",
            "feed_item",
            "article",
            "incident",
            "incident_report",
            "chat",
            "subscription",
            "outbox",
        } <= tables
    finally:
        engine.dispose()


def test_migrations_match_the_models(db_url: str) -> None:
    """A model change without a migration fails here (alembic autogenerate finds no difference)."""
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(ctx, SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_models_round_trip_with_utc_times(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with Session(engine) as s:
            feed = Feed(name="Enab", url="https://example.org/feed", next_check_at=NOW, created_at=NOW)
            s.add(feed)
            s.flush()
            art = Article(
                feed_id=feed.id,
                url="https://example.org/a",
                url_key="example.org/a",
                identity="h" * 64,
                title="عنوان",
                published=NOW,
                text="نص",
                fetched_at=NOW,
            )
            inc = IncidentRow(
                base_id="SY-RLZ",
                country="syria",
                date=date(2024, 4, 21),
                weapon="rocket",
                count=5,
                killed=0,
                wounded=0,
                first_seen_at=NOW,
                updated_at=NOW,
            )
            chat = Chat(chat_id=-1001234567890123, type="supergroup", language="ar", created_at=NOW)
            s.add_all([art, inc, chat])
            s.flush()
            s.add(Subscription(chat_id=chat.chat_id, countries=["iraq", "syria"], created_at=NOW))
            s.add(
                IncidentReport(
                    incident_id=inc.id,
                    article_id=art.id,
                    decision="new",
                    reason="no_candidates",
                    extracted={"weapon": "rocket", "count": 5},
                    created_at=NOW,
                )
            )
            s.add(Outbox(incident_id=inc.id, version=1, chat_id=chat.chat_id, next_attempt_at=NOW, created_at=NOW))
            s.commit()
        with Session(engine) as s:
            f = s.exec(select(Feed)).one()
            assert f.next_check_at == NOW and f.next_check_at.tzinfo is not None
            i = s.exec(select(IncidentRow)).one()
            assert (i.date, i.count, i.version) == (date(2024, 4, 21), 5, 1)
            sub = s.exec(select(Subscription)).one()
            assert sub.chat_id == -1001234567890123 and sub.countries == ["iraq", "syria"]
            rep = s.exec(select(IncidentReport)).one()
            assert rep.extracted["count"] == 5
            box = s.exec(select(Outbox)).one()
            assert box.state == OutboxState.PENDING and box.chat_id == -1001234567890123
    finally:
        engine.dispose()


def test_outbox_is_unique_per_incident_version_chat(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with Session(engine) as s:
            inc = IncidentRow(country="iraq", first_seen_at=NOW)
            s.add_all([inc, Chat(chat_id=42)])
            s.flush()
            s.add(Outbox(incident_id=inc.id, version=1, chat_id=42))
            s.commit()
            s.add(Outbox(incident_id=inc.id, version=1, chat_id=42))
            with pytest.raises(IntegrityError):
                s.commit()
            s.rollback()
            s.add(Outbox(incident_id=inc.id, version=2, chat_id=42))
            s.commit()
            assert len(s.exec(select(Outbox)).all()) == 2
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with Session(engine) as s:
            s.add(Outbox(incident_id=9999, version=1, chat_id=1))
            with pytest.raises(IntegrityError):
                s.commit()
    finally:
        engine.dispose()


def test_naive_datetimes_are_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        with Session(engine) as s:
            s.add(Feed(name="x", url="https://x.org/", created_at=datetime(2024, 1, 1) + timedelta(0)))
            with pytest.raises(sa.exc.StatementError):
                s.commit()
    finally:
        engine.dispose()


def test_sqlite_is_opened_with_wal_foreign_keys_and_busy_timeout(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        engine.dispose()


def test_in_memory_sqlite_shares_one_database_across_sessions() -> None:
    engine = make_engine("sqlite://")
    try:
        upgrade(engine)
        with Session(engine) as s:
            s.add(Chat(chat_id=7))
            s.commit()
        with Session(engine) as s:
            assert s.get(Chat, 7) is not None
    finally:
        engine.dispose()


# --- run_db: the one way async code reaches the database -------------------------------------------


def _locked() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("INSERT ...", {}, Exception("database is locked"))


def test_run_db_commits_off_the_loop_and_retries_a_locked_transaction_from_the_start(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    calls: list[str] = []

    def work(s: Session) -> int:
        calls.append(threading.current_thread().name)
        s.add(Chat(chat_id=len(calls), created_at=datetime(2024, 1, 1, tzinfo=UTC)))
        s.flush()
        if len(calls) < LOCKED_RETRIES:
            raise _locked()
        return len(calls)

    assert asyncio.run(run_db(engine, work)) == LOCKED_RETRIES
    assert threading.main_thread().name not in calls
    with Session(engine) as s:  # the failed attempts were rolled back: only the last one's row exists
        assert [c.chat_id for c in s.exec(select(Chat)).all()] == [LOCKED_RETRIES]
    engine.dispose()


def test_run_db_gives_up_after_the_retries_and_never_retries_other_errors(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    calls = 0

    def always_locked(_s: Session) -> None:
        nonlocal calls
        calls += 1
        raise _locked()

    def broken(_s: Session) -> None:
        nonlocal calls
        calls += 1
        raise sa.exc.OperationalError("SELECT ...", {}, Exception("no such table: nothing"))

    with pytest.raises(sa.exc.OperationalError, match="locked"):
        asyncio.run(run_db(engine, always_locked))
    assert calls == LOCKED_RETRIES
    calls = 0
    with pytest.raises(sa.exc.OperationalError, match="no such table"):
        asyncio.run(run_db(engine, broken))
    assert calls == 1
    engine.dispose()
