"""What keeps two pollers on one database (a running instance and `rasad poll --once`, or two hosts
sharing PostgreSQL) from doing the same work twice or merging past each other.

- A feed is claimed before it is fetched: one UPDATE that moves its next check past the fetch's lease,
  only where it is still due. Whoever's UPDATE matches the row fetches it; the other skips it.
- Articles are ingested one at a time across processes. On PostgreSQL a transaction-scoped advisory lock
  does it (two transactions reading the same candidates under READ COMMITTED would otherwise both create
  the incident); on SQLite the article's INSERT takes the database's single write lock before the
  candidates are read, which serialises the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

import sqlalchemy as sa
from sqlmodel import Session, col

from bot.models import Feed

MERGE_LOCK_KEY: Final = 0x52415341  # "RASA": one application-wide advisory lock id


def claim_feeds(session: Session, feeds: Sequence[Feed], now: datetime, lease: timedelta) -> list[Feed]:
    """The feeds this poller won: each still due is pushed to now + lease (the fetch sets the real next check)."""
    won: list[Feed] = []
    for feed in feeds:
        done = session.execute(
            sa.update(Feed)
            .where(
                col(Feed.id) == feed.id,
                sa.or_(col(Feed.next_check_at).is_(None), col(Feed.next_check_at) <= now),
            )
            .values(next_check_at=now + lease)
        )
        if int(getattr(done, "rowcount", 0) or 0) == 1:
            won.append(feed)
    return won


def serialise_ingest(session: Session) -> None:
    """Hold the merge lock until this transaction ends (PostgreSQL; SQLite's write lock does it there)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MERGE_LOCK_KEY})
