"""The feed pipeline as a service: a Poller whose feeds are each fetched when due, stopped gracefully.

The bot runs the same job on python-telegram-bot's JobQueue (which is APScheduler); console mode
uses an AsyncIOScheduler of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import utc_now
from bot.due_times import seconds_until_due
from bot.incidents.poller import FeedReport, FeedSnapshot, Poller

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 8.0
MIN_GAP_SECONDS = 0.1
"""Least pause when the next feed is due at once but none could be claimed (a feed another poller holds)."""
SETTLE_SECONDS = 0.05
"""After a feed finishes, wait this long for others finishing at about the same time: one round for all."""


class PollJob:
    """Polls every feed when it is due, each on its own; one slow feed, article page or parse never holds another.

    With a `horizon` (the service), a tick starts a scheduler loop unless one is running: it claims the feeds
    due now, starts a task for each, and sleeps until the earliest next due time, until a feed finishes (its
    next check may come sooner) or until the next tick, whichever is first. No feed waits for another's
    cycle: a trickling feed costs its own time and its slots (bot.feeds.fetcher.HostGates), nothing more.
    The tick is only a watchdog that restarts the loop should it ever end. Without a horizon (tools, tests),
    a tick polls what is due once and waits for it.
    """

    def __init__(
        self,
        poller: Poller,
        after: Callable[[list[FeedReport]], Awaitable[None]] | None = None,
        horizon: Callable[[], float] | None = None,
    ) -> None:
        self.poller = poller
        self.after = after
        self.horizon = horizon
        """Seconds to the next tick: the loop looks again at least this often (bot.due_times)."""
        self.current: asyncio.Task[list[FeedReport]] | None = None
        self.inflight: dict[int, asyncio.Task[None]] = {}
        """Feed id → the task refreshing it now."""
        self.last_tick: datetime | None = None
        self.last_success: datetime | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._finished: list[FeedReport] = []

    async def __call__(self) -> None:
        """One tick: start the loop unless it is running (and, without a horizon, wait for its one round).

        The loop runs as its own task, shielded: when the scheduler shuts down and cancels this wrapper,
        the loop goes on and `drain()` waits for it, so no article is cut off mid-way.
        """
        self.last_tick = self.poller.clock()
        if self.current is not None and not self.current.done():
            log.debug("poll loop running; tick skipped")
            return
        self.current = asyncio.create_task(self._run(), name="rasad-poll-loop")
        if self.horizon is None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self.current)

    def wake(self) -> None:
        """Look at the feed table again now (a live edit added feeds, a feed finished)."""
        self._wake.set()

    async def _run(self) -> list[FeedReport]:
        if self.horizon is None:  # one round, waited for
            await self._dispatch()
            await asyncio.gather(*list(self.inflight.values()), return_exceptions=True)
            return await self._report()
        while not self._stopping.is_set():
            self._wake.clear()  # before looking: a feed finishing from here on wakes the wait below
            await self._dispatch()
            await self._report()
            wait = await self._until_due()
            limit = self.horizon()
            timeout = limit if wait is None else max(MIN_GAP_SECONDS, min(wait, limit))
            await self._sleep(timeout)
        return []

    async def _sleep(self, timeout: float) -> None:
        """Until `timeout` passes, a feed finishes (then a moment more, to take its neighbours along) or stop."""
        waits = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(self._stopping.wait())]
        try:
            await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waits:
                w.cancel()
            await asyncio.gather(*waits, return_exceptions=True)
        if self._wake.is_set() and not self._stopping.is_set():
            await asyncio.sleep(SETTLE_SECONDS)

    async def _dispatch(self) -> int:
        """Claim the feeds due now and start a task for each; returns how many were started."""
        try:
            jobs = await self.poller.claim_due()
        except Exception:
            log.exception("could not claim due feeds; trying again at the next due time")
            return 0
        self.last_success = self.poller.clock()
        if self._stopping.is_set():  # stopping while claiming: these are fetched after their lease, next run
            return 0
        for job in jobs:
            if job.id in self.inflight:  # claimed again while still running (a lease ran out): let it finish
                continue
            self.inflight[job.id] = asyncio.create_task(self._one(job), name=f"rasad-feed-{job.id}")
        return len(jobs)

    async def _one(self, job: FeedSnapshot) -> None:
        try:
            report = await self.poller.refresh_safely(job)
            self._finished.append(report)
        finally:
            self.inflight.pop(job.id, None)
            self._wake.set()

    async def _report(self) -> list[FeedReport]:
        """Log and hand on the reports of the feeds finished since the last call."""
        reports, self._finished = self._finished, []
        if not reports:
            return reports
        new = sum(r.articles for r in reports)
        failed = sum(1 for r in reports if r.error)
        log.info("polled %d feed(s): %d new article(s), %d failed", len(reports), new, failed)
        if self.after is not None:
            try:
                await self.after(reports)
            except Exception:
                log.exception("after-poll work failed")
        return reports

    async def _until_due(self) -> float | None:
        names = {f.name for f in self.poller.settings.feeds}
        now = self.poller.clock()
        try:
            return await self.poller.db(lambda s: seconds_until_due(s, names, now))
        except Exception:
            log.exception("could not tell when the next feed is due; waiting for the next tick")
            return None

    async def drain(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop starting feeds, let running ones finish their current work for up to `grace` seconds, then
        cancel what is left."""
        self._stopping.set()  # the loop stops waiting for the next due feed
        tasks: list[asyncio.Task[Any]] = [t for t in [self.current, *self.inflight.values()] if t is not None]
        tasks = [t for t in tasks if not t.done()]
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def start_console_scheduler(job: PollJob, tick: float) -> AsyncIOScheduler:
    """Console mode: the same APScheduler the bot's JobQueue wraps, ticking the poll job."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        job.__call__,  # the bound coroutine method: APScheduler awaits only what looks like a coroutine function
        "interval",
        seconds=tick,
        next_run_time=utc_now(),
        max_instances=2,  # PollJob skips a tick that finds a cycle running (without APScheduler warning each time)
        coalesce=True,
        misfire_grace_time=None,
        id="poll",
    )
    scheduler.start()
    return scheduler
