"""The reads and writes the chat commands need, each its own short transaction (caller runs it off the loop).

Kept apart from bot/incidents/store.py, which serves the pipeline: these are about chats, their choices and
what a reader asks for (/recent, /incident, /stats). Results are plain dataclasses so nothing
lazy-loads after its session closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.alerts.render import AlertView
from bot.alerts.timeofday import DEFAULT_TZ
from bot.alerts.views import view_of
from bot.incidents import store
from bot.models import Chat, Incident, IncidentReport, Subscription


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
    )


def _subscription(session: Session, chat_id: int) -> Subscription | None:
    return session.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()


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
    """The chat's row, created on first contact with `language` for its alerts; title kept current."""
    chat = session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(
            chat_id=chat_id, type=type, title=title, username=username, language=language, created_at=now,
            updated_at=now,
        )
        session.add(chat)
        session.flush()
    elif (chat.type, chat.title, chat.username) != (type, title, username):
        chat.type, chat.title, chat.username, chat.updated_at = type, title, username, now
        session.add(chat)
    return _state(chat, _subscription(session, chat_id))


def chat_state(session: Session, chat_id: int) -> ChatState | None:
    """A chat's choices, or None when Rasad has never seen it."""
    chat = session.get(Chat, chat_id)
    return _state(chat, _subscription(session, chat_id)) if chat else None


def subscribe(session: Session, chat_id: int, now: datetime) -> SubscribeOutcome:
    """Create or re-activate the chat's one subscription (the chat row must exist)."""
    sub = _subscription(session, chat_id)
    if sub is None:
        session.add(Subscription(chat_id=chat_id, active=True, created_at=now, updated_at=now))
        return SubscribeOutcome.NEW
    if sub.active:
        return SubscribeOutcome.ALREADY
    sub.active, sub.deactivated_reason, sub.updated_at = True, None, now
    session.add(sub)
    return SubscribeOutcome.REACTIVATED


def unsubscribe(session: Session, chat_id: int, now: datetime, reason: str = "unsubscribed by the chat") -> bool:
    """Deactivate the subscription (its choices are kept for a later /subscribe); False if none was active."""
    sub = _subscription(session, chat_id)
    if sub is None or not sub.active:
        return False
    sub.active, sub.deactivated_reason, sub.updated_at = False, reason, now
    session.add(sub)
    return True


def save_choices(session: Session, new: ChatState, now: datetime) -> ChatState:
    """Store a chat's edited choices; a chat without a subscription gets an inactive one to hold them."""
    chat = session.get(Chat, new.chat_id)
    if chat is None:
        raise LookupError(f"chat {new.chat_id} is unknown")
    if (chat.language, chat.menu_language, chat.timezone) != (new.language, new.menu_language, new.timezone):
        chat.language, chat.menu_language, chat.timezone = new.language, new.menu_language, new.timezone
        chat.updated_at = now
        session.add(chat)
    sub = _subscription(session, new.chat_id)
    if sub is None:
        sub = Subscription(chat_id=new.chat_id, active=False, created_at=now, deactivated_reason="not subscribed yet")
    sub.countries = list(new.countries)
    sub.include_convoy = new.include_convoy
    sub.include_diplomatic = new.include_diplomatic
    sub.send_updates = new.send_updates
    sub.updated_at = now
    session.add(sub)
    session.flush()
    return _state(chat, sub)


# --- what readers ask for -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IncidentLine:
    """One /recent line's facts."""

    view: AlertView
    first_seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """Everything /incident shows."""

    view: AlertView
    lat: float | None
    lon: float | None
    first_seen_at: datetime | None
    updated_at: datetime | None
    reports: int


def recent(session: Session, limit: int) -> list[IncidentLine]:
    """The newest incidents (by attack date, then id), newest first."""
    return [IncidentLine(view_of(session, row), row.first_seen_at) for row in store.recent_incidents(session, limit)]


def incident(session: Session, incident_id: int, tz: str = DEFAULT_TZ) -> IncidentDetail | None:
    """One incident with its sources (times in `tz`), or None when no incident has that id."""
    row = session.get(Incident, incident_id)
    if row is None:
        return None
    reports = session.exec(
        select(sa.func.count()).select_from(IncidentReport).where(IncidentReport.incident_id == incident_id)
    ).one()
    return IncidentDetail(view_of(session, row, tz), row.lat, row.lon, row.first_seen_at, row.updated_at, int(reports))


@dataclass(frozen=True, slots=True)
class Counts:
    """Incident counts since a date, in total and by country and weapon keys."""

    since: date
    total: int
    by_country: dict[str, int]
    by_weapon: dict[str, int]


def counts_since(session: Session, since: date) -> Counts:
    """How many incidents happened on or after `since`, grouped two ways (uses the ref_date index)."""
    recent_ = col(Incident.ref_date) >= since

    def grouped(column: Any) -> dict[str, int]:
        rows = session.execute(sa.select(column, sa.func.count()).where(recent_).group_by(column)).all()
        return {str(key or "unknown"): int(n) for key, n in rows}

    by_country = grouped(col(Incident.country))
    return Counts(since, sum(by_country.values()), by_country, grouped(col(Incident.weapon)))
