"""Single-statement insert-or-ignore and insert-or-update (INSERT ... ON CONFLICT) for SQLite and PostgreSQL.

Where several actors may create the same row at once (two handlers of one chat, two pollers, a migration
racing a command), "look it up, insert if missing" loses: both look, both insert, one fails on the unique
key. One INSERT ... ON CONFLICT lets the database decide, atomically, on both backends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def _insert(session: Session, table: sa.Table) -> Any:
    """The dialect's INSERT construct (the generic one has no ON CONFLICT)."""
    name = session.get_bind().dialect.name
    if name == "sqlite":
        return sqlite.insert(table)
    if name == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"no ON CONFLICT insert for the {name} dialect")


def table_of(model: Any) -> sa.Table:
    """The Table of a SQLModel class."""
    table = model.__table__
    assert isinstance(table, sa.Table)
    return table


def insert_ignore(session: Session, model: Any, values: Mapping[str, Any], conflict: Sequence[str]) -> bool:
    """INSERT ... ON CONFLICT (conflict) DO NOTHING; True when this statement created the row."""
    table = table_of(model)
    stmt = _insert(session, table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    return _wrote(session, stmt.returning(*(table.c[name] for name in conflict)))


def upsert(
    session: Session,
    model: Any,
    values: Mapping[str, Any],
    conflict: Sequence[str],
    update: Sequence[str],
    *,
    only_if_changed: bool = False,
    also: Sequence[str] = (),
) -> bool:
    """INSERT ... ON CONFLICT (conflict) DO UPDATE SET each of `update` (and `also`) to the new value.

    With `only_if_changed` the existing row is written only when one of the `update` columns differs
    (no needless write on every contact; `also`, e.g. updated_at, follows). True when a row was
    inserted or updated.
    """
    table = table_of(model)
    ins = _insert(session, table).values(**values)
    new = {name: ins.excluded[name] for name in (*update, *also)}
    where = None
    if only_if_changed:
        where = sa.or_(*(table.c[name].is_distinct_from(ins.excluded[name]) for name in update))
    stmt = ins.on_conflict_do_update(index_elements=list(conflict), set_=new, where=where)
    return _wrote(session, stmt.returning(*(table.c[name] for name in conflict)))


def _wrote(session: Session, stmt: Any) -> bool:
    """Whether the statement wrote a row: RETURNING says so on both backends (psycopg's rowcount is -1 here)."""
    return session.execute(stmt).first() is not None


def insert_ignore_returning(
    session: Session, model: Any, values: Mapping[str, Any], conflict: Sequence[str], returning: str
) -> Any | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING one column: its value when this statement created the row."""
    table = table_of(model)
    stmt = _insert(session, table).values(**values).on_conflict_do_nothing(index_elements=list(conflict))
    row = session.execute(stmt.returning(table.c[returning])).first()
    return None if row is None else row[0]
