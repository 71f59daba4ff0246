"""Opening the database and bringing its schema up to date (Alembic).

SQLite is opened with WAL, foreign keys and a busy timeout so the poller and the sender can share
one file; PostgreSQL goes through psycopg 3. Schema changes only ever go through migrations.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

log = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 10_000


def describe_url(url: str) -> str:
    """The URL without its password, for logs."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine with the house settings for either backend."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        database = u.database or ""
        in_memory = database in ("", ":memory:") or database.startswith("file::memory:")
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}}
        if in_memory:
            kwargs["poolclass"] = StaticPool
        else:
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(u, echo=echo, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(u, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=5)


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> list[str]:
    """Apply pending migrations; returns the revisions applied (empty when already current)."""
    before = current_revision(engine)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    after = current_revision(engine)
    if before == after:
        return []
    script = ScriptDirectory.from_config(alembic_config())
    applied = [rev.revision for rev in script.iterate_revisions(after, before)]
    return list(reversed(applied))


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, None when it has none yet."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


LOCKED_RETRIES: Final = 3
"""SQLite may answer "database is locked" past its busy timeout when two writers meet; the work is retried."""


def in_transaction(engine: Engine, work: Callable[[Session], T], *, retries: int = LOCKED_RETRIES) -> T:
    """Run `work` in a fresh session and commit it; objects stay readable after the commit.

    A "database is locked" failure rolls the whole transaction back, so `work` runs again from the start
    (up to `retries` times in all); `work` must therefore touch nothing but its session.
    """
    for attempt in range(retries):
        try:
            with Session(engine, expire_on_commit=False) as session:
                out = work(session)
                session.commit()
                return out
        except sa.exc.OperationalError as exc:
            if attempt + 1 >= retries or "locked" not in str(exc).lower():
                raise
            log.info("database busy; retrying %s", getattr(work, "__name__", "a transaction"))
    raise AssertionError("unreachable")


async def run_db(engine: Engine, work: Callable[[Session], T], *, executor: Executor | None = None) -> T:
    """The one way async code touches the database: `work(session)` off the event loop, in one transaction.

    In a worker thread (the default pool, or `executor`, e.g. the sender's own single thread), committed,
    and retried on "database is locked" (see `in_transaction`).
    """
    if executor is None:
        return await asyncio.to_thread(in_transaction, engine, work)
    return await asyncio.get_running_loop().run_in_executor(executor, partial(in_transaction, engine, work))
