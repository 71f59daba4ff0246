"""`rasad poll --once`: one full cycle over the due feeds, printing each new incident, merge and update."""

from __future__ import annotations

import asyncio
import logging
import sys

from bot.alerts.console import ConsolePrinter
from bot.clock import utc_now
from bot.config import Settings
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import make_client
from bot.incidents.poller import FeedReport, Poller, poller_limits
from bot.instance import instance_lock
from bot.lock import InstanceLocked

log = logging.getLogger("rasad.poll")


def run_poll(settings: Settings, *, source: str, once: bool) -> int:
    """Poll once (the scheduler loop belongs to `rasad run`)."""
    if not once:
        print("rasad poll: only --once is supported; `rasad run` polls on a schedule", file=sys.stderr)
        return 2
    engine = make_engine(settings.database.url)
    try:
        upgrade(engine)
        reports = asyncio.run(_once(settings, engine))
    except InstanceLocked as exc:
        print(f"rasad poll: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for r in reports:
        state = r.error or r.status.value
        print(
            f"feed {r.feed}: {state}; {r.new_items} new item(s), {r.articles} article(s)"
            + (f"; DISABLED: {r.disabled}" if r.disabled else "")
        )
    return 0


async def _once(settings: Settings, engine: object) -> list[FeedReport]:
    from sqlalchemy.engine import Engine

    assert isinstance(engine, Engine)
    # The running instance's lease: beside a running instance this refuses (InstanceLocked) instead of
    # syncing the feed table to another config or taking that instance's due feeds.
    guarded = make_client(poller_limits(settings), allow_private=settings.admin.allow_private_addresses)
    async with instance_lock(engine, lambda: None), guarded as client:
        poller = Poller(engine, settings, client, clock=utc_now, on_events=ConsolePrinter(engine).deliver)
        await poller.sync_feeds()
        return await poller.poll_due()
