"""Alembic environment: runs on the connection Rasad hands it (see bot.database.upgrade)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import bot.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Migrate over the given connection; SQLite needs batch mode to alter tables."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = config.attributes.get("engine")
        if engine is None:
            from sqlalchemy import create_engine

            engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///rasad.db")
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; use `rasad db upgrade`")
run_migrations_online()
