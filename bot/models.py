"""SQLModel tables: what the pipeline stores between feed and delivery.

Times are stored as naive UTC and handed back timezone-aware (UTCDateTime), so SQLite and
PostgreSQL behave the same. Telegram chat ids need 64 bits (supergroups are -100…).
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, return aware UTC; refuse naive input so local time never slips in."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def _ts(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=nullable, index=index))


def _bigint(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=sa.Column(sa.BigInteger(), nullable=nullable, index=index))


class OutboxState(StrEnum):
    """Where an outgoing alert stands: the phase of delivery's one state machine (`delivery.TRANSITIONS`)."""

    PENDING = "pending"  # waiting for its turn
    IN_FLIGHT = "in_flight"  # a send started and no answer is recorded (after a crash: outcome unknown)
    SENT = "sent"  # Telegram accepted it
    EDIT_DUE = "edit_due"  # a sent alert whose incident changed since it was rendered
    DEAD = "dead"  # given up, with the reason (the dead-letter list)
    SKIPPED = "skipped"  # set aside without a send (subscription off, incident gone, alert undelivered)


class OutboxKind(StrEnum):
    """A first alert, or a reply saying what changed."""

    ALERT = "alert"
    UPDATE = "update"


class Feed(SQLModel, table=True):
    """A feed and its fetch state; the config file decides which feeds exist."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=100)
    url: str = Field(max_length=2000)
    # The URL as the config file gives it; `url` may differ after a permanent redirect.
    config_url: str = Field(default="", max_length=2000)
    lang: str = Field(default="ar", max_length=8)
    enabled: bool = True
    in_config: bool = True
    full_text: bool = False
    interval_seconds: int | None = None
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=200)
    next_check_at: datetime | None = _ts(index=True)
    last_fetch_at: datetime | None = _ts()
    last_success_at: datetime | None = _ts()
    consecutive_errors: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
    disabled_reason: str | None = Field(default=None, max_length=1000)
    disabled_notified: bool = False
    first_fetch_done: bool = False
    created_at: datetime | None = _ts()
    # A Telegram channel's highest post id read: only newer posts are new (an edited older one is re-read).
    last_post_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True))


class FeedItem(SQLModel, table=True):
    """Item identities seen in a feed, remembered so a returning item is not new."""

    __tablename__ = "feed_item"
    __table_args__ = (sa.UniqueConstraint("feed_id", "identity", name="uq_feed_item_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", index=True)
    identity: str = Field(max_length=64)
    link_key: str | None = Field(default=None, max_length=2000, index=True)
    article_id: int | None = Field(default=None, foreign_key="article.id")
    first_seen_at: datetime | None = _ts()
    last_seen_at: datetime | None = _ts(index=True)


class Article(SQLModel, table=True):
    """One article; the same URL in two feeds is one article."""

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int | None = Field(default=None, foreign_key="feed.id", index=True)
    url: str = Field(max_length=2000)
    url_key: str = Field(max_length=2000, unique=True)
    identity: str = Field(max_length=64, index=True)
    title: str = Field(default="", max_length=1000)
    source: str | None = Field(default=None, max_length=200)
    lang: str = Field(default="ar", max_length=8)
    published: datetime | None = _ts()
    text: str = Field(default="", sa_column=sa.Column(sa.Text(), nullable=False))
    fetched_at: datetime | None = _ts(index=True)
    alerted: bool = True


class IncidentRow(SQLModel, table=True):
    """One attack, merged from every report of it (the extractor's `Incident` is one article's report of it)."""

    __tablename__ = "incident"
    __table_args__ = (sa.Index("ix_incident_ref_date_country", "ref_date", "country"),)

    id: int | None = Field(default=None, primary_key=True)
    base_id: str | None = Field(default=None, max_length=40, index=True)
    place_en: str | None = Field(default=None, max_length=200)
    place_ar: str | None = Field(default=None, max_length=200)
    country: str | None = Field(default=None, max_length=40)
    province_en: str | None = Field(default=None, max_length=100)
    province_ar: str | None = Field(default=None, max_length=100)
    lat: float | None = None
    lon: float | None = None
    date: dt.date | None = Field(default=None)
    # The date candidates are looked up by: the attack's date, else its first report's publication date.
    ref_date: dt.date = Field(default_factory=lambda: dt.date(1970, 1, 1))
    weapon: str = Field(default="unknown", max_length=20)
    target_kind: str = Field(default="base", max_length=20)
    count: int | None = None
    killed: int | None = None
    wounded: int | None = None
    intercepted: bool = False
    claimed_by: str | None = Field(default=None, max_length=200)
    launch_site: str | None = Field(default=None, max_length=200)
    version: int = 1
    first_seen_at: datetime | None = _ts(index=True)
    updated_at: datetime | None = _ts()
    # How sure we are (bot/incidents/status.py), kept up to date from the reports; `status_at` is when reached.
    status: str = Field(default="reported", max_length=20, sa_column_kwargs={"server_default": "reported"})
    status_at: datetime | None = _ts()


class IncidentReport(SQLModel, table=True):
    """An article's report of an incident, with what was extracted and how it was merged."""

    __tablename__ = "incident_report"
    __table_args__ = (sa.UniqueConstraint("incident_id", "article_id", name="uq_report_incident_article"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    decision: str = Field(max_length=20)
    reason: str = Field(max_length=60)
    extracted: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(JSON, nullable=False))
    created_at: datetime | None = _ts()


class Chat(SQLModel, table=True):
    """A Telegram chat Rasad talks to, and its choices."""

    chat_id: int = Field(sa_column=sa.Column(sa.BigInteger(), primary_key=True, autoincrement=False))
    type: str = Field(default="private", max_length=20)
    title: str | None = Field(default=None, max_length=300)
    username: str | None = Field(default=None, max_length=100)
    language: str = Field(default="both", max_length=8)
    """The alerts' language: "ar", "en" or "both" (the default, the product's promise)."""
    menu_language: str | None = Field(default=None, max_length=8)
    """The language of replies and menus: "ar" or "en"; None follows each user's Telegram language."""
    timezone: str | None = Field(default=None, max_length=40)
    """The chat's time zone for times Rasad shows (IANA name); None means Asia/Baghdad."""
    created_at: datetime | None = _ts()
    updated_at: datetime | None = _ts()


class Subscription(SQLModel, table=True):
    """A chat's subscription to alerts and its filters."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(
        sa_column=sa.Column(sa.BigInteger(), sa.ForeignKey("chat.chat_id"), unique=True, nullable=False)
    )
    active: bool = True
    countries: list[str] = Field(default_factory=list, sa_column=sa.Column(JSON, nullable=False))
    include_convoy: bool = True
    include_diplomatic: bool = True
    send_updates: bool = True
    # "Alert me from": reported (any report), corroborated or confirmed; claims from claimants are opt-in.
    min_status: str = Field(default="reported", max_length=20, sa_column_kwargs={"server_default": "reported"})
    include_claims: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # Filters (issue 17); an empty list lets everything through. Bases are gazetteer ids, provinces English
    # names as incidents store them, weapons the stored weapon keys; keywords are plain words over the alert.
    bases: list[str] = Field(default_factory=list, sa_column=sa.Column(JSON, nullable=False, server_default="[]"))
    provinces: list[str] = Field(default_factory=list, sa_column=sa.Column(JSON, nullable=False, server_default="[]"))
    weapons: list[str] = Field(default_factory=list, sa_column=sa.Column(JSON, nullable=False, server_default="[]"))
    casualties_only: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    keywords_in: list[str] = Field(
        default_factory=list, sa_column=sa.Column(JSON, nullable=False, server_default="[]")
    )
    keywords_out: list[str] = Field(
        default_factory=list, sa_column=sa.Column(JSON, nullable=False, server_default="[]")
    )
    # Quiet hours in the chat's time zone (whole hours, from inclusive, to exclusive; None = none):
    # alerts in them are sent without a notification sound.
    quiet_from: int | None = None
    quiet_to: int | None = None
    silent_updates: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    """Update replies are sent without a notification sound."""
    thread_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True))
    """The forum topic /subscribe was sent in (message_thread_id); None = the chat itself or its general topic."""
    deactivated_reason: str | None = Field(default=None, max_length=300)
    created_at: datetime | None = _ts()
    updated_at: datetime | None = _ts()


class Outbox(SQLModel, table=True):
    """An alert owed to a chat; marked sent only after Telegram accepted it."""

    __table_args__ = (
        sa.UniqueConstraint("incident_id", "version", "chat_id", name="uq_outbox_incident_version_chat"),
        sa.Index("ix_outbox_state_next", "state", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    version: int = 1
    chat_id: int = _bigint(index=True)
    kind: str = Field(default=OutboxKind.ALERT.value, max_length=20)
    # The row's phase (OutboxState): the whole delivery state lives in state and the counters below.
    state: str = Field(default=OutboxState.PENDING.value, max_length=20)
    attempts: int = 0
    # Sends whose outcome is unknown (timed out, or in flight when the process died); each repeat may duplicate.
    uncertain: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    edit_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: datetime | None = _ts()
    telegram_message_id: int | None = Field(default=None, sa_column=sa.Column(sa.BigInteger(), nullable=True))
    # For update replies: the changes to announce ([{"field", "old", "new"}]).
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(JSON, nullable=False))
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime | None = _ts()
    sent_at: datetime | None = _ts()


class Meta(SQLModel, table=True):
    """Small key/value facts about this database (instance lock, last poll)."""

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="", max_length=1000)
    updated_at: datetime | None = _ts()
