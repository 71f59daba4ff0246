"""`rasad run`: open the database, start the pipeline (and the bot when a token is set), stop cleanly."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

import httpx
from sqlalchemy.engine import Engine

from bot.alerts.console import ConsolePrinter
from bot.clock import utc_now
from bot.config import Settings, bot_token
from bot.database import describe_url, make_engine, upgrade
from bot.durations import format_duration
from bot.exits import EXIT_LOCKED
from bot.feeds.fetcher import make_client
from bot.incidents.pipeline import start_console_scheduler
from bot.incidents.poller import poller_limits
from bot.instance import instance_lock
from bot.lock import InstanceLocked
from bot.sample import describe_feeds, is_sample
from bot.service import Service

log = logging.getLogger("rasad.run")


def describe_plan(settings: Settings, *, source: str, token_set: bool) -> list[str]:
    """What `rasad run` is about to do, one line each, for the log."""
    enabled = [f for f in settings.feeds if f.enabled]
    lines = [
        f"config: {source}",
        f"database: {describe_url(settings.database.url)}",
        f"feeds: {len(enabled)} enabled of {len(settings.feeds)}; every {format_duration(settings.polling.interval)}"
        f" (tick {format_duration(settings.polling.tick)})",
    ]
    lines += [f"  - {f.name} [{f.lang}] {f.url}" for f in enabled]
    if not settings.feeds or any(is_sample(f.url) for f in enabled):
        lines.append(describe_feeds(settings))
    if token_set:
        base = settings.telegram.api_base_url or "https://api.telegram.org/bot"
        lines.append(f"alerts: Telegram via {base} (token from TELEGRAM_BOT_TOKEN)")
    else:
        lines.append("alerts: printed to this terminal (TELEGRAM_BOT_TOKEN is not set)")
    return lines


def run(settings: Settings, *, source: str, config_path: Path | None) -> int:
    """Run until SIGINT or SIGTERM; returns the exit code."""
    token = bot_token()
    engine = make_engine(settings.database.url)
    try:
        applied = upgrade(engine)
        log.info("database schema: %s", f"applied {', '.join(applied)}" if applied else "up to date")
        for line in describe_plan(settings, source=source, token_set=token is not None):
            log.info("%s", line)
        asyncio.run(_serve(settings, engine, token, config_path))
    finally:
        engine.dispose()
    log.info("stopped")
    return 0


async def _serve(settings: Settings, engine: Engine, token: str | None, config_path: Path | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    # every poll, redirect hop and full-text fetch goes through the address guard (bot.feeds.pinned_transport)
    async with make_client(poller_limits(settings), allow_private=settings.admin.allow_private_addresses) as client:
        if token is not None:
            from bot.telegram.app import run_bot

            await run_bot(settings, engine, client, token=token, stop=stop, config_path=config_path)
            return
        try:
            async with instance_lock(engine, stop.set):  # the bot's lease: one pipeline per database
                await _console(settings, engine, client, config_path, stop)
        except InstanceLocked as exc:
            log.error("%s", exc)
            raise SystemExit(EXIT_LOCKED) from None


async def _console(
    settings: Settings, engine: Engine, client: httpx.AsyncClient, config_path: Path | None, stop: asyncio.Event
) -> None:
    printer = ConsolePrinter(engine)
    service = Service(engine, settings, client, config_path=config_path, clock=utc_now, on_events=printer.deliver)
    await service.start()
    scheduler = start_console_scheduler(service.job, settings.polling.tick.total_seconds())
    service.on_tick_change = lambda tick: scheduler.reschedule_job("poll", trigger="interval", seconds=tick)
    log.info("running; press Ctrl-C to stop")
    await stop.wait()
    log.info("stopping")
    scheduler.pause()  # no new ticks; the running cycle finishes its article in service.stop()
    await service.stop()
    scheduler.shutdown(wait=False)
