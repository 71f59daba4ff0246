"""The reads and writes the chat commands need, each its own short transaction (caller runs it off the loop).

Kept apart from bot/incidents/store.py, which serves the pipeline: these are about chats, their choices and
what a reader asks for (/recent, /incident, /stats). Results are plain dataclasses so nothing
lazy-loads after its session closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.alerts.render import AlertView
from bot.alerts.timeofday import DEFAULT_TZ
from bot.alerts.views import view_of
from bot.incidents import store
from bot.incidents.ingest import outlet_name
from bot.incidents.status import Rung, attributions, ladder
from bot.models import Chat, IncidentReport, IncidentRow, Subscription
from bot.upsert import insert_ignore, table_of, upsert
from extractor.attribution import SourceKind


@dataclass(frozen=True, slots=True)
class ChatState:
    """A chat's stored choices, with its subscription's (defaults when it has none)."""

    chat_id: int
    type: str
    title: str | None
    language: str
    subscribed: bool = False
    countries: tuple[str, ...] = ()
    include_convoy: bool = True
    include_diplomatic: bool = True
    send_updates: bool = True
    menu_language: str | None = None
    timezone: str | None = None
    min_status: str = "reported"  # "alert me from": reported (any report), corroborated or confirmed
    include_claims: bool = False  # claims from claimant sources, off until switched on
    bases: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    casualties_only: bool = False
    keywords_in: tuple[str, ...] = ()
    keywords_out: tuple[str, ...] = ()
    quiet_from: int | None = None
    quiet_to: int | None = None
    silent_updates: bool = False
    thread_id: int | None = None


FILTER_COLUMNS: Final = (
    "bases", "provinces", "weapons", "casualties_only", "keywords_in", "keywords_out", "quiet_from", "quiet_to",
    "silent_updates",
)
"""The subscription's choices beyond countries and targets, as ChatState fields of the same names."""


class SubscribeOutcome(StrEnum):
    """What /subscribe did."""

    NEW = "new"
    REACTIVATED = "reactivated"
    ALREADY = "already"


def _state(chat: Chat, sub: Subscription | None) -> ChatState:
    if sub is None:
        return ChatState(
            chat.chat_id, chat.type, chat.title, chat.language, menu_language=chat.menu_language,
            timezone=chat.timezone,
        )
    return ChatState(
        chat_id=chat.chat_id,
        type=chat.type,
        title=chat.title,
        language=chat.language,
        menu_language=chat.menu_language,
        timezone=chat.timezone,
        subscribed=sub.active,
        countries=tuple(sub.countries or ()),
        include_convoy=sub.include_convoy,
        include_diplomatic=sub.include_diplomatic,
        send_updates=sub.send_updates,
        min_status=sub.min_status,
        include_claims=sub.include_claims,
        bases=tuple(sub.bases or ()),
        provinces=tuple(sub.provinces or ()),
        weapons=tuple(sub.weapons or ()),
        casualties_only=bool(sub.casualties_only),
        keywords_in=tuple(sub.keywords_in or ()),
        keywords_out=tuple(sub.keywords_out or ()),
        quiet_from=sub.quiet_from,
        quiet_to=sub.quiet_to,
        silent_updates=bool(sub.silent_updates),
        thread_id=sub.thread_id,
    )


def ensure_chat(
    session: Session,
    *,
    chat_id: int,
    type: str,
    title: str | None,
    username: str | None,
    language: str,
    now: datetime,
) -> ChatState:
    """The chat's row, created on first contact with `language` for its alerts; title kept current.

    One INSERT ... ON CONFLICT: two updates of a new chat handled at once both get the row, neither fails.
    """
    values = {
        "chat_id": chat_id, "type": type, "title": title, "username": username, "language": language,
        "created_at": now, "updated_at": now,
    }
    upsert(session, Chat, values, ["chat_id"], ["type", "title", "username"], only_if_changed=True, also=["updated_at"])
    state = chat_state(session, chat_id)
    assert state is not None
    return state


def chat_state(session: Session, chat_id: int) -> ChatState | None:
    """A chat's choices, or None when Rasad has never seen it (read fresh, never from the session's cache)."""
    chat = session.exec(select(Chat).where(Chat.chat_id == chat_id).execution_options(populate_existing=True)).first()
    if chat is None:
        return None
    sub = session.exec(
        select(Subscription).where(Subscription.chat_id == chat_id).execution_options(populate_existing=True)
    ).first()
    return _state(chat, sub)


_SUB = table_of(Subscription)


def subscribe(session: Session, chat_id: int, now: datetime, *, thread_id: int | None = None) -> SubscribeOutcome:
    """Create or re-activate the chat's one subscription (the chat row must exist).

    Two single statements, each decided by the database: an insert that does nothing when the row exists,
    then an update that only touches an inactive row. Concurrent /subscribe commands all succeed.
    `thread_id`: the forum topic /subscribe was sent in; alerts go there from now on (None: the chat itself).
    """
    created = insert_ignore(
        session,
        Subscription,
        {"chat_id": chat_id, "active": True, "countries": [], "include_convoy": True, "include_diplomatic": True,
         "send_updates": True, "thread_id": thread_id, "created_at": now, "updated_at": now},
        ["chat_id"],
    )
    if created:
        return SubscribeOutcome.NEW
    session.execute(  # where the latest /subscribe was sent is where alerts go
        sa.update(_SUB)
        .where(_SUB.c.chat_id == chat_id, _SUB.c.thread_id.is_distinct_from(thread_id))
        .values(thread_id=thread_id)
    )
    woke = session.execute(
        sa.update(_SUB)
        .where(_SUB.c.chat_id == chat_id, sa.not_(_SUB.c.active))
        .values(active=True, deactivated_reason=None, updated_at=now)
    )
    return SubscribeOutcome.REACTIVATED if _rows(woke) else SubscribeOutcome.ALREADY


def unsubscribe(session: Session, chat_id: int, now: datetime, reason: str = "unsubscribed by the chat") -> bool:
    """Deactivate the subscription (its choices are kept for a later /subscribe); False if none was active."""
    done = session.execute(
        sa.update(_SUB)
        .where(_SUB.c.chat_id == chat_id, _SUB.c.active)
        .values(active=False, deactivated_reason=reason, updated_at=now)
    )
    return _rows(done) > 0


ChoicesEdit = Callable[[ChatState], ChatState | str]
"""A pure edit of a chat's choices: the new choices, or a problem code (see settings_menu.apply_press)."""


def change_choices(session: Session, chat_id: int, change: ChoicesEdit, now: datetime) -> ChatState | str | None:
    """Apply one settings change to the chat's stored choices, inside this one transaction.

    The subscription row is written first (created inactive if missing, else its updated_at touched):
    that takes the row's write lock on PostgreSQL and the database's on SQLite, so the read that follows
    sees every change committed before, and a concurrent press waits for this one. Three presses at once
    are applied one after the other, none lost. `change` is pure: the new choices or a problem code.
    None when the chat is unknown.
    """
    if chat_state(session, chat_id) is None:
        return None
    if not insert_ignore(
        session,
        Subscription,
        {"chat_id": chat_id, "active": False, "countries": [], "include_convoy": True, "include_diplomatic": True,
         "send_updates": True, "deactivated_reason": "not subscribed yet", "created_at": now, "updated_at": now},
        ["chat_id"],
    ):
        session.execute(sa.update(_SUB).where(_SUB.c.chat_id == chat_id).values(updated_at=now))
    current = chat_state(session, chat_id)
    assert current is not None
    new = change(current)
    if isinstance(new, str):
        return new
    session.execute(
        sa.update(_SUB)
        .where(_SUB.c.chat_id == chat_id)
        .values(
            countries=list(new.countries),
            include_convoy=new.include_convoy,
            include_diplomatic=new.include_diplomatic,
            send_updates=new.send_updates,
            min_status=new.min_status,
            include_claims=new.include_claims,
            **{name: _stored(getattr(new, name)) for name in FILTER_COLUMNS},
            updated_at=now,
        )
    )
    chosen = (new.language, new.menu_language, new.timezone)
    if chosen != (current.language, current.menu_language, current.timezone):
        chat_table = table_of(Chat)
        session.execute(
            sa.update(chat_table)
            .where(chat_table.c.chat_id == chat_id)
            .values(language=new.language, menu_language=new.menu_language, timezone=new.timezone, updated_at=now)
        )
    return chat_state(session, chat_id)


def _stored(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


# --- what readers ask for -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncidentLine:
    """One /recent line's facts."""

    view: AlertView
    first_seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReportLine:
    """One article's report of an incident, as /incident lists it."""

    outlet: str
    url: str
    published: datetime | None
    """When the outlet published it (the feed's date), if the feed gave one."""
    seen: datetime | None
    """When Rasad read it."""
    evidence: tuple[str, ...] = ()
    """The sentences the facts were read from."""
    cited: tuple[str, ...] = ()
    """Who the article cites for them (CENTCOM, a security source, ...)."""


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """Everything /incident shows."""

    view: AlertView
    lat: float | None
    lon: float | None
    first_seen_at: datetime | None
    updated_at: datetime | None
    reports: int
    ladder: tuple[Rung, ...] = ()
    """Each level of the status ladder the incident reached, with when (issue 13)."""
    vouchers: tuple[tuple[str, SourceKind], ...] = ()
    """Everyone who vouches for it, most authoritative first: cited sources, then the outlets."""
    lines: tuple[ReportLine, ...] = ()
    """Every report, oldest first."""


def recent(session: Session, limit: int, offset: int = 0, tz: str = DEFAULT_TZ) -> list[IncidentLine]:
    """The newest incidents (by attack date, then id), newest first, after skipping `offset` of them."""
    rows = store.recent_incidents(session, limit, offset)
    return [IncidentLine(view_of(session, row, tz), row.first_seen_at) for row in rows]


def incident(session: Session, incident_id: int, tz: str = DEFAULT_TZ) -> IncidentDetail | None:
    """One incident with its sources (times in `tz`), or None when no incident has that id."""
    row = session.get(IncidentRow, incident_id)
    if row is None:
        return None
    reports = session.exec(
        select(sa.func.count()).select_from(IncidentReport).where(IncidentReport.incident_id == incident_id)
    ).one()
    stored = store.incident_reports(session, incident_id)
    lines = tuple(
        ReportLine(
            outlet=outlet_name(article),
            url=article.url,
            published=article.published,
            seen=report.created_at or article.fetched_at,
            evidence=_strings(report.extracted.get("evidence")),
            cited=_strings(report.extracted.get("sources")),
        )
        for article, report in store.incident_sources(session, incident_id)
    )
    return IncidentDetail(
        view_of(session, row, tz), row.lat, row.lon, row.first_seen_at, row.updated_at, int(reports),
        ladder=tuple(ladder(stored)), vouchers=tuple(attributions(stored)), lines=lines,
    )


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value if isinstance(v, str) and v.strip()) if isinstance(value, list) else ()


@dataclass(frozen=True, slots=True)
class Counts:
    """Incident counts since a date, in total and by country and weapon keys."""

    since: date
    total: int
    by_country: dict[str, int]
    by_weapon: dict[str, int]


def counts_since(session: Session, since: date) -> Counts:
    """How many incidents happened on or after `since`, grouped two ways (uses the ref_date index)."""
    recent_ = col(IncidentRow.ref_date) >= since

    def grouped(column: Any) -> dict[str, int]:
        rows = session.execute(sa.select(column, sa.func.count()).where(recent_).group_by(column)).all()
        return {str(key or "unknown"): int(n) for key, n in rows}

    by_country = grouped(col(IncidentRow.country))
    return Counts(since, sum(by_country.values()), by_country, grouped(col(IncidentRow.weapon)))
