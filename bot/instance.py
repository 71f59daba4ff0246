"""The instance lock for the modes without the bot: console `rasad run` and `rasad poll --once`.

They take the same lease as the bot (bot.lock), so one database never has two pipelines
deciding which feeds exist and when they are due: a console run beside another run refuses to start, and
`poll --once` beside a running instance refuses rather than polling its feeds or rewriting its feed table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.clock import utc_now
from bot.lock import HEARTBEAT, InstanceLock

log = logging.getLogger(__name__)


async def keep_alive(lock: InstanceLock, on_lost: Callable[[], None], every: timedelta = HEARTBEAT) -> None:
    """Renew the instance lease every `every`; losing it means another instance took over, so `on_lost`."""
    while True:
        await asyncio.sleep(every.total_seconds())
        try:
            ours = await lock.refresh_async()
        except Exception as exc:  # a database hiccup: keep trying until the lease would go stale
            log.warning("could not renew the instance lock: %s", exc)
            continue
        if not ours:
            log.error("another Rasad instance took over this database's lock; stopping")
            on_lost()
            return


@contextlib.asynccontextmanager
async def instance_lock(
    engine: Engine, on_lost: Callable[[], None], *, heartbeat: timedelta = HEARTBEAT
) -> AsyncIterator[InstanceLock]:
    """Hold the lease for the block (InstanceLocked when another instance runs); `on_lost` if it is taken over."""
    lock = InstanceLock(engine, clock=utc_now)
    await lock.acquire_async()

    task = asyncio.create_task(keep_alive(lock, on_lost, heartbeat), name="rasad-lock-heartbeat")
    try:
        yield lock
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await lock.release_async()
