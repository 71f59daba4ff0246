"""One Rasad per database: the lease in `meta`, a second run_bot refusing, a second `rasad run` exiting 2."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.lock import InstanceLock, InstanceLocked, refusal_message
from bot.telegram.app import EXIT_LOCKED, run_bot
from tests.conftest import REPO
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import bot_settings, fresh_engine


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = datetime(2024, 4, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_the_lease_is_exclusive_survives_while_renewed_and_frees_when_stale(db_url: str) -> None:
    engine = fresh_engine(db_url)
    clock = FakeClock()
    try:
        first = InstanceLock(engine, owner="host-a pid 1", clock=clock)
        second = InstanceLock(engine, owner="host-b pid 2", clock=clock)
        first.acquire()
        with pytest.raises(InstanceLocked) as refused:
            second.acquire()
        assert str(refused.value) == (
            "another Rasad instance is running on this database (since 2024-04-21 09:00:00 UTC, host-a pid 1); "
            "stop it first"
        )
        clock.now += timedelta(seconds=50)
        assert first.refresh()  # a live holder keeps renewing ...
        clock.now += timedelta(seconds=50)
        with pytest.raises(InstanceLocked):
            second.acquire()  # ... so 100 s after it started the lease is still its own
        clock.now += timedelta(seconds=61)  # the holder stopped renewing (kill -9): the lease goes stale
        second.acquire()
        assert not first.refresh()  # the old holder learns it lost the lease
        first.release()  # and cannot delete the new holder's row
        holder = second.holder()
        assert holder is not None and holder.owner == "host-b pid 2"
        second.release()
        assert second.holder() is None
        InstanceLock(engine, owner="host-c", clock=clock).acquire()  # free at once after a clean stop
    finally:
        engine.dispose()


def test_refusal_message_without_a_start_time_still_reads_well() -> None:
    from bot.lock import Holder

    assert refusal_message(Holder("x", None, None)) == (
        "another Rasad instance is running on this database (since an unknown time, x); stop it first"
    )


def test_a_second_run_bot_on_the_same_database_refuses_before_touching_telegram(
    standin: BotApiStandin, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = fresh_engine(sqlite_url)
    holder = InstanceLock(engine, owner="the first instance")
    holder.acquire()

    async def main() -> None:
        async with httpx.AsyncClient() as client:
            await run_bot(
                bot_settings(standin, sqlite_url), engine, client, token=standin.token, stop=asyncio.Event()
            )

    try:
        with pytest.raises(SystemExit) as exited:
            asyncio.run(main())
        assert exited.value.code == EXIT_LOCKED
        assert standin.calls() == []
        assert any(
            r.getMessage().startswith("another Rasad instance is running on this database (since ")
            and "the first instance" in r.getMessage()
            for r in caplog.records
        )
        current = holder.holder()
        assert current is not None and current.owner == "the first instance"  # the refusal took nothing
    finally:
        holder.release()
        engine.dispose()


def test_a_second_rasad_run_process_exits_2_with_a_clear_message(
    standin: BotApiStandin, sqlite_url: str, tmp_path: Path
) -> None:
    engine = fresh_engine(sqlite_url)
    holder = InstanceLock(engine)
    holder.acquire()
    config = tmp_path / "rasad.toml"
    config.write_text(
        f'feeds = []\n[database]\nurl = "{sqlite_url}"\n[telegram]\napi_base_url = "{standin.base_url}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": standin.token, "PYTHONPATH": str(REPO)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )
    finally:
        holder.release()
        engine.dispose()
    assert done.returncode == 2, done.stderr
    assert "another Rasad instance is running on this database (since " in done.stderr
    assert "stop it first" in done.stderr
    assert "Traceback" not in done.stderr
    assert standin.token not in done.stderr + done.stdout
