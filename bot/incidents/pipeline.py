"""The feed pipeline as a service: a Poller driven by APScheduler on a fixed tick, stopped gracefully.

The bot runs the same job on python-telegram-bot's JobQueue (which is APScheduler); console mode
uses an AsyncIOScheduler of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import utc_now
from bot.incidents.poller import FeedReport, Poller

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 8.0


class PollJob:
    """Runs one poll cycle at a time; a tick that finds the previous cycle still running is skipped."""

    def __init__(self, poller: Poller, after: Callable[[list[FeedReport]], Awaitable[None]] | None = None) -> None:
        self.poller = poller
        self.after = after
        self.current: asyncio.Task[list[FeedReport]] | None = None
        self.last_tick: datetime | None = None
        self.last_success: datetime | None = None

    async def __call__(self) -> None:
        """One tick: start a cycle unless one is running, and wait for it.

        The cycle runs as its own task, shielded: when the scheduler shuts down and cancels this
        wrapper, the cycle goes on and `drain()` waits for it, so no article is cut off mid-way.
        """
        self.last_tick = self.poller.clock()
        if self.current is not None and not self.current.done():
            log.debug("previous poll still running; tick skipped")
            return
        self.current = asyncio.create_task(self._cycle(), name="rasad-poll-cycle")
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(self.current)

    async def _cycle(self) -> list[FeedReport]:
        try:
            reports = await self.poller.poll_due()
        except Exception:
            log.exception("poll cycle failed")
            return []
        self.last_success = self.poller.clock()
        if reports:
            new = sum(r.articles for r in reports)
            failed = sum(1 for r in reports if r.error)
            log.info("polled %d feed(s): %d new article(s), %d failed", len(reports), new, failed)
        if self.after is not None:
            try:
                await self.after(reports)
            except Exception:
                log.exception("after-poll work failed")
        return reports

    async def drain(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Let a running cycle finish its current work for up to `grace` seconds, then cancel it."""
        task = self.current
        if task is None or task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=grace)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        except Exception:
            pass


def start_console_scheduler(job: PollJob, tick: float) -> AsyncIOScheduler:
    """Console mode: the same APScheduler the bot's JobQueue wraps, ticking the poll job."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        job.__call__,  # the bound coroutine method: APScheduler awaits only what looks like a coroutine function
        "interval",
        seconds=tick,
        next_run_time=utc_now(),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        id="poll",
    )
    scheduler.start()
    return scheduler
