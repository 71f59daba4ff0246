"""One Rasad per database: a lease row in `meta`, taken atomically, kept alive by a heartbeat.

Two instances on one database would both poll Telegram (409 Conflict) and both drain the outbox
(double alerts), so the second refuses to start. The lock is a lease, not an OS lock, because it
must work the same on a SQLite file and on PostgreSQL across hosts:

- taking it is one INSERT ... ON CONFLICT DO NOTHING (no row yet) or one UPDATE ... WHERE the holder's
  heartbeat is stale, in one transaction; the database decides who wins, so two starts racing cannot both
  succeed;
- the holder refreshes `updated_at` every HEARTBEAT; a refresh that matches no row means someone
  took the lease over and this instance must stop;
- a holder killed with -9 cannot release it, so a lease whose heartbeat is older than STALE_AFTER is
  free; on the holder's own host a lease whose process no longer exists is free at once (the row
  records host and pid), so a restart after a crash on one machine does not wait. Trade-off: after
  a crash on another host the next start waits up to a minute; a shorter window would let a
  live instance whose heartbeat stalled (a long GC pause, a suspended VM, a database hiccup) lose the
  lease while still running. Heartbeats use each host's clock, so hosts sharing a PostgreSQL
  database need clocks within a few seconds of each other (NTP).
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bot.clock import utc_now
from bot.database import in_transaction, run_db
from bot.models import Meta
from bot.upsert import insert_ignore, table_of

LOCK_KEY = "instance_lock"
HEARTBEAT = timedelta(seconds=10)
STALE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds the lease, as stored: an owner id, when it started, its last heartbeat."""

    owner: str
    since: datetime | None
    heartbeat: datetime | None


class InstanceLocked(Exception):
    """Another live instance holds the lease."""

    def __init__(self, holder: Holder) -> None:
        self.holder = holder
        super().__init__(refusal_message(holder))


def refusal_message(holder: Holder) -> str:
    """What `rasad run` prints when it refuses to start."""
    since = holder.since or holder.heartbeat
    when = since.strftime("%Y-%m-%d %H:%M:%S UTC") if since else "an unknown time"
    return f"another Rasad instance is running on this database (since {when}, {holder.owner}); stop it first"


def default_owner() -> str:
    """host, pid and a random part: readable in the refusal, unique across restarts."""
    return f"{socket.gethostname()} pid {os.getpid()} [{uuid.uuid4().hex[:8]}]"


def _encode(owner: str, since: datetime) -> str:
    data = {"owner": owner, "since": since.isoformat(), "host": socket.gethostname(), "pid": os.getpid()}
    return json.dumps(data, ensure_ascii=False)[:1000]


def dead_on_this_host(value: str) -> bool:
    """True when the stored holder ran on this host and its process is gone (killed, crashed)."""
    try:
        data = json.loads(value)
        host, pid = data.get("host"), int(data.get("pid"))
    except (ValueError, TypeError, AttributeError):
        return False
    if host != socket.gethostname() or pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # exists but not ours to signal: alive
    return False


def _decode(value: str, heartbeat: datetime | None) -> Holder:
    try:
        data = json.loads(value)
        owner = str(data.get("owner") or "unknown owner")
        since = datetime.fromisoformat(data["since"]) if data.get("since") else None
    except (ValueError, TypeError, AttributeError, KeyError):
        owner, since = value[:200] or "unknown owner", None
    return Holder(owner=owner, since=since, heartbeat=heartbeat)


_HOLDER = sa.select(col(Meta.value), col(Meta.updated_at)).where(col(Meta.key) == LOCK_KEY)


class InstanceLock:
    """The lease of one process.

    Each step is one transaction on a session (`_take`, `_renew`, `_give_up`), run the one way database work
    runs: `run_db` from async code (`acquire_async`, `refresh_async`, `release_async`), its blocking core
    `in_transaction` otherwise (`acquire`, `refresh`, `release`); both retry on "database is locked".
    """

    def __init__(
        self,
        engine: Engine,
        *,
        owner: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        stale_after: timedelta = STALE_AFTER,
    ) -> None:
        self.engine = engine
        self.owner = owner or default_owner()
        self.clock = clock
        self.stale_after = stale_after
        self._value: str | None = None

    @property
    def held(self) -> bool:
        """Whether this object took the lease (and has not released it)."""
        return self._value is not None

    # --- the steps: one transaction each ------------------------------------------------------------

    def _take(self, session: Session) -> str:
        """Take the lease (the stored value, ours from now on), or raise InstanceLocked naming the live holder."""
        now = self.clock()
        value = _encode(self.owner, now)
        table = table_of(Meta)
        for _ in range(3):  # a holder may release between our statements (PostgreSQL): look again
            if insert_ignore(session, Meta, {"key": LOCK_KEY, "value": value, "updated_at": now}, ["key"]):
                return value
            stale = sa.or_(col(Meta.updated_at).is_(None), col(Meta.updated_at) < now - self.stale_after)
            taken = session.connection().execute(
                sa.update(table).where(col(Meta.key) == LOCK_KEY, stale).values(value=value, updated_at=now)
            )
            if taken.rowcount == 1:
                return value
            row = session.execute(_HOLDER).first()
            if row is None:
                continue
            if dead_on_this_host(row[0]):
                # compare-and-swap on the dead holder's value: a racing start cannot win twice
                swapped = session.connection().execute(
                    sa.update(table)
                    .where(col(Meta.key) == LOCK_KEY, col(Meta.value) == row[0])
                    .values(value=value, updated_at=now)
                )
                if swapped.rowcount == 1:
                    return value
            raise InstanceLocked(_decode(row[0], row[1]))
        raise InstanceLocked(Holder(owner="an instance starting and stopping at once", since=None, heartbeat=None))

    def _renew(self, session: Session) -> bool:
        """Renew the heartbeat; False when the lease is no longer ours (taken over or deleted)."""
        if self._value is None:
            return False
        done = session.connection().execute(
            sa.update(table_of(Meta))
            .where(col(Meta.key) == LOCK_KEY, col(Meta.value) == self._value)
            .values(updated_at=self.clock())
        )
        return done.rowcount == 1

    def _give_up(self, session: Session) -> None:
        if self._value is not None:
            session.execute(sa.delete(table_of(Meta)).where(col(Meta.key) == LOCK_KEY, col(Meta.value) == self._value))

    # --- blocking -------------------------------------------------------------------------------------

    def acquire(self) -> None:
        """Take the lease, or raise InstanceLocked naming the live holder."""
        self._value = in_transaction(self.engine, self._take)

    def refresh(self) -> bool:
        """Renew the heartbeat; False when the lease is no longer ours (taken over or deleted)."""
        return in_transaction(self.engine, self._renew)

    def release(self) -> None:
        """Give the lease up so the next start need not wait for it to go stale."""
        in_transaction(self.engine, self._give_up)
        self._value = None

    # --- from the event loop --------------------------------------------------------------------------

    async def acquire_async(self) -> None:
        """`acquire`, off the event loop."""
        self._value = await run_db(self.engine, self._take)

    async def refresh_async(self) -> bool:
        """`refresh`, off the event loop."""
        return await run_db(self.engine, self._renew)

    async def release_async(self) -> None:
        """`release`, off the event loop."""
        await run_db(self.engine, self._give_up)
        self._value = None

    def holder(self) -> Holder | None:
        """The current holder as stored, for messages and tests."""
        with self.engine.connect() as conn:
            row = conn.execute(_HOLDER).first()
        return _decode(row[0], row[1]) if row else None
