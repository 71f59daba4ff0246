"""When the next feed falls due: the poll job sleeps until then instead of waiting for the next tick.

Before, a fixed tick (15 s by default) decided when feeds were looked at, so a feed at `interval = "2s"`
was fetched every 15 s. Now a cycle that finds the next feed due sooner than the next tick waits just
that long and polls again; the tick remains the watchdog that starts a cycle when none is running.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.models import Feed


def seconds_until_due(session: Session, names: Iterable[str], now: datetime) -> float | None:
    """Seconds until the earliest of these feeds is due (0 when one is due now); None when none will be."""
    wanted = list(names)
    if not wanted:
        return None
    polled = (
        col(Feed.in_config),
        col(Feed.enabled),
        col(Feed.disabled_reason).is_(None),
        col(Feed.name).in_(wanted),
    )
    never = session.exec(select(sa.func.count()).select_from(Feed).where(*polled, col(Feed.next_check_at).is_(None)))
    if int(never.one()) > 0:
        return 0.0
    earliest = session.exec(select(sa.func.min(Feed.next_check_at)).where(*polled)).one()
    if earliest is None:
        return None
    if earliest.tzinfo is None:  # should min() ever come back without the column's type: stored values are UTC
        earliest = earliest.replace(tzinfo=UTC)
    return max(0.0, (earliest - now).total_seconds())
