"""Fixtures shared by the whole suite: real databases (a SQLite file, and PostgreSQL where it listens)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PG_HOST, PG_PORT = os.environ.get("RASAD_TEST_PG_HOST", "127.0.0.1"), 5432
PG_BASE = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/test"


def _postgres_reason() -> str | None:
    """None when PostgreSQL answers at 127.0.0.1:5432, else why the PostgreSQL tests are skipped."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            pass
    except OSError as exc:
        return f"PostgreSQL is not listening on {PG_HOST}:{PG_PORT} ({exc.strerror or exc})"
    try:
        import psycopg

        with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="test", connect_timeout=3):
            pass
    except Exception as exc:  # any failure means "not usable here"
        return f"PostgreSQL at {PG_HOST}:{PG_PORT} refused the test database: {exc}"
    return None


PG_SKIP = _postgres_reason()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file per test."""
    return f"sqlite:///{tmp_path / 'rasad-test.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema per test (dropped afterwards), selected through search_path."""
    if PG_SKIP:
        pytest.skip(PG_SKIP)
    import psycopg

    schema = f"rasad_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="test", autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="test", autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each storage test runs on a real SQLite file and on PostgreSQL (skipped with the reason where absent)."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))
