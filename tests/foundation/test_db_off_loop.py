"""Database work leaves the event loop one way, `bot.database.run_db`, and so is retried on "database is locked".

The instance lease is written by the bot, console mode and `poll --once` while the pipeline and the sender
write too; a writer that holds the SQLite file longer than the busy timeout must not stop a start or lose
the heartbeat. A real SQLite file, a real second connection holding the write lock.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest

from bot import database
from bot.database import make_engine, upgrade
from bot.lock import InstanceLock

BUSY_MS = 200
HELD_S = 0.35  # longer than one busy timeout, shorter than the retries together


def _hold_write_lock(path: Path, taken: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        taken.set()
        threading.Event().wait(HELD_S)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_the_lease_is_taken_and_renewed_past_a_writer_that_outlasts_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "SQLITE_BUSY_MS", BUSY_MS)
    path = tmp_path / "rasad.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    lock = InstanceLock(engine, owner="the only instance")

    async def main() -> bool:
        for step in ("acquire", "refresh"):
            taken = threading.Event()
            writer = threading.Thread(target=_hold_write_lock, args=(path, taken))
            writer.start()
            taken.wait(5)
            try:
                if step == "acquire":
                    await lock.acquire_async()
                else:
                    assert await lock.refresh_async()
            finally:
                writer.join()
        await lock.release_async()
        return lock.held

    try:
        assert asyncio.run(main()) is False
        assert InstanceLock(engine).holder() is None
    finally:
        engine.dispose()
