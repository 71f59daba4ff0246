"""What both run modes share: live settings, the poller and its job, the config watcher, health, metrics.

Console mode and the Telegram bot differ only in who ticks the job (an AsyncIOScheduler or the
JobQueue), where alerts go (the terminal or the outbox) and how admins are told things.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine

from bot.config import LiveSettings, Settings
from bot.counters import record_fetch, record_poll
from bot.feeds.fetcher import FetchStatus
from bot.incidents.pipeline import STOP_GRACE_SECONDS, PollJob
from bot.incidents.poller import EventSink, FeedReport, Poller
from bot.ops.health import HealthServer
from bot.ops.mappage import map_routes
from bot.ops.operators import ConfigWatcher, Notify, report_disabled_feeds

log = logging.getLogger(__name__)



async def log_admins(text: str) -> None:
    """Console mode's way to tell the operator: the log."""
    log.warning("%s", text.replace("\n", " | "))


class Service:
    """Owns the pipeline parts; `start()` and `stop()` bracket a run."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        client: httpx.AsyncClient,
        *,
        config_path: Path | None,
        clock: Callable[[], datetime],
        on_events: EventSink | None = None,
        notify: Notify = log_admins,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.notify = notify
        self.live = LiveSettings(settings)
        """The one source of settings for every part of the run; the watcher swaps it on a valid reload."""
        self.poller = Poller(engine, self.live, client, clock=clock, on_events=on_events)
        self.job = PollJob(self.poller, after=self._after_cycle, horizon=self._tick_seconds)
        self.watcher = ConfigWatcher(config_path, self.live, apply=self._apply, notify_admins=self._notify_admins)
        self._tick = settings.polling.tick
        self.on_tick_change: Callable[[float], None] | None = None
        self.health: HealthServer | None = None
        self._watch: asyncio.Task[None] | None = None

    @property
    def settings(self) -> Settings:
        """The configuration in force (the last good one)."""
        return self.live()

    async def start(self) -> None:
        """Sync feeds with the config, watch the file and SIGHUP, serve /healthz when configured."""
        await self.poller.sync_feeds()
        self.watcher.install_sighup()
        self._watch = asyncio.create_task(self.watcher.run(), name="rasad-config-watch")
        listen = self.settings.http.listen
        if listen:
            self.health = HealthServer(
                listen,
                engine=self.engine,
                settings=self.live,
                last_tick=lambda: self.job.last_tick,
                last_poll=lambda: self.job.last_success,
                clock=self.clock,
                routes=map_routes(self.engine, self.live, self.clock),
            )
            await self.health.start()
            log.info("health and metrics on http://%s/healthz and /metrics, the map on /map", listen)

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop watching and serving, and let a running poll finish its article (for up to `grace` s)."""
        await self.watcher.stop()
        if self._watch is not None:
            await asyncio.gather(self._watch, return_exceptions=True)
        if self.health is not None:
            await self.health.stop()
        await self.job.drain(grace)

    def _tick_seconds(self) -> float:
        return self.settings.polling.tick.total_seconds()

    async def _notify_admins(self, text: str) -> None:
        await self.notify(text)

    async def _apply(self, new: Settings) -> None:
        """Apply a live edit all or nothing (the live source already holds `new`; the watcher restores the old
        settings when this raises): the new tick's job is built before anything else changes, and a failure to
        bring the feed table in line puts the old tick back."""
        old_tick = self._tick
        retick = new.polling.tick != old_tick and self.on_tick_change is not None
        if retick and self.on_tick_change is not None:
            self.on_tick_change(new.polling.tick.total_seconds())  # raises before touching the running job
        try:
            await self.poller.sync_feeds()  # one transaction: all feeds or none
        except BaseException:
            if retick and self.on_tick_change is not None:
                self.on_tick_change(old_tick.total_seconds())
            raise
        self._tick = new.polling.tick
        self.job.wake()  # feeds the edit added are due now, not at the next tick

    async def _after_cycle(self, reports: list[FeedReport]) -> None:
        for r in reports:
            record_fetch("parse_error" if r.status is FetchStatus.OK and r.error else r.status)
        record_poll(self.clock())
        await report_disabled_feeds(self.engine, self.notify)
