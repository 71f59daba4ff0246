"""A live edit is applied all or nothing: the new poll job is built before the old one goes."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from telegram.ext import ApplicationBuilder, ContextTypes

from bot.clock import utc_now
from bot.config import load_settings
from bot.database import make_engine, upgrade
from bot.service import Service
from bot.telegram.poll_schedule import POLL_JOB, replace_repeating


async def _tick(_context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


def test_a_job_that_cannot_be_built_leaves_the_old_one_in_place() -> None:
    async def main() -> None:
        app = ApplicationBuilder().token("123:abc").build()
        assert app.job_queue is not None
        first = replace_repeating(app.job_queue, _tick, 15)
        with pytest.raises(OverflowError):
            replace_repeating(app.job_queue, _tick, math.inf)
        assert [j.job.id for j in app.job_queue.get_jobs_by_name(POLL_JOB)] == [first.job.id]
        second = replace_repeating(app.job_queue, _tick, 5)
        await asyncio.sleep(0)
        live = [j for j in app.job_queue.get_jobs_by_name(POLL_JOB) if not j.removed]
        assert [j.job.id for j in live] == [second.job.id]

    asyncio.run(main())


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    eng = make_engine(sqlite_url)
    upgrade(eng)
    return eng


def test_a_tick_the_scheduler_refuses_changes_nothing_and_a_later_edit_applies(engine: Engine, tmp_path: Path) -> None:
    config = tmp_path / "rasad.toml"
    config.write_text('[polling]\ntick = "15s"\n', encoding="utf-8")
    ticks: list[float] = []

    def on_tick_change(seconds: float) -> None:
        if seconds == 7:  # this scheduler cannot take a 7 s tick (stands for any failure to build the job)
            raise RuntimeError("cannot schedule")
        ticks.append(seconds)

    async def main() -> None:
        async with httpx.AsyncClient() as client:
            service = Service(engine, load_settings(config), client, config_path=config, clock=utc_now)
            service.on_tick_change = on_tick_change
            config.write_text('[polling]\ntick = "7s"\ninterval = "1m"\n', encoding="utf-8")
            refused = await service.watcher.reload("test", notify=False)
            assert not refused.ok and "cannot schedule" in refused.problems[0]
            assert service.settings.polling.tick.total_seconds() == 15  # nothing of the edit applied
            assert service.poller.settings.polling.interval.total_seconds() == 300
            config.write_text('[polling]\ntick = "5s"\n', encoding="utf-8")
            applied = await service.watcher.reload("test", notify=False)
            assert applied.ok and service.poller.settings.polling.tick.total_seconds() == 5

    try:
        asyncio.run(main())
    finally:
        engine.dispose()
    assert ticks == [5]
