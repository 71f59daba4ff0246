"""Every query the pipeline needs, in one place; callers own the session and the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Final

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.config import FeedSettings, Settings
from bot.incidents.decide import FACT_FIELDS, Candidate, IncidentFacts
from bot.incidents.status import Report, ladder, report_of
from bot.incidents.subscriptions import Filters, wants
from bot.models import (
    Article,
    Feed,
    FeedItem,
    IncidentReport,
    IncidentRow,
    Outbox,
    OutboxKind,
    OutboxState,
    Subscription,
)
from bot.upsert import insert_ignore
from extractor.types import Place

# --- feeds -----------------------------------------------------------------------------------------


def sync_feeds(session: Session, settings: Settings, now: datetime) -> list[Feed]:
    """Make the feed table follow the config: add, update, and mark removed feeds (their history stays)."""
    rows = {f.name: f for f in session.exec(select(Feed)).all()}
    wanted: set[str] = set()
    for fs in settings.feeds:
        wanted.add(fs.name)
        row = rows.get(fs.name)
        if row is None:
            row = Feed(name=fs.name, url=fs.url, created_at=now, next_check_at=None)
            session.add(row)
        _apply_feed_settings(row, fs, settings)
    for name, row in rows.items():
        if name not in wanted and row.in_config:
            row.in_config = False
            session.add(row)
    session.flush()
    return list(session.exec(select(Feed).where(col(Feed.in_config))).all())


def _apply_feed_settings(row: Feed, fs: FeedSettings, settings: Settings) -> None:
    if row.config_url != fs.url:
        row.config_url = row.url = fs.url
        row.etag = row.last_modified = None
        row.last_post_id = None  # another channel's post ids are not comparable
    interval = int(settings.feed_interval(fs).total_seconds())
    if row.interval_seconds is not None and row.interval_seconds != interval:
        row.next_check_at = None  # a changed interval takes effect at the next tick
    row.interval_seconds = interval
    row.lang = fs.lang
    row.full_text = fs.full_text
    row.in_config = True
    if fs.enabled and not row.enabled:
        row.next_check_at = None
    row.enabled = fs.enabled


def due_feeds(session: Session, now: datetime) -> list[Feed]:
    """Feeds to fetch now: in the config, enabled, not disabled for failures, and due."""
    stmt = select(Feed).where(
        col(Feed.in_config),
        col(Feed.enabled),
        col(Feed.disabled_reason).is_(None),
        sa.or_(col(Feed.next_check_at).is_(None), col(Feed.next_check_at) <= now),
    )
    return list(session.exec(stmt.order_by(col(Feed.next_check_at).asc().nulls_first(), col(Feed.id))).all())


# --- items -----------------------------------------------------------------------------------------


def seen_items(
    session: Session, feed_id: int, identities: Iterable[str], link_keys: Iterable[str]
) -> tuple[set[str], set[str]]:
    """Which of these identities and link keys this feed has already seen."""
    ids, links = list(identities), [k for k in link_keys if k]
    seen_ids: set[str] = set()
    seen_links: set[str] = set()
    for chunk in _chunks(ids):
        stmt = select(FeedItem.identity).where(FeedItem.feed_id == feed_id, col(FeedItem.identity).in_(chunk))
        seen_ids.update(session.exec(stmt).all())
    for chunk in _chunks(links):
        q = select(FeedItem.link_key).where(FeedItem.feed_id == feed_id, col(FeedItem.link_key).in_(chunk))
        seen_links.update(k for k in session.exec(q).all() if k)
    return seen_ids, seen_links


def touch_items(session: Session, feed_id: int, identities: Sequence[str], now: datetime) -> None:
    """Refresh last_seen_at of items still in the feed, so pruning keeps what the feed still shows."""
    for chunk in _chunks(list(identities)):
        session.execute(
            sa.update(FeedItem)
            .where(col(FeedItem.feed_id) == feed_id, col(FeedItem.identity).in_(chunk))
            .values(last_seen_at=now)
        )


def remember_item(
    session: Session, feed_id: int, identity: str, link_key: str | None, article_id: int | None, now: datetime
) -> None:
    """Record an item as seen in a feed (once: another poller may have recorded it meanwhile)."""
    insert_ignore(
        session,
        FeedItem,
        {
            "feed_id": feed_id, "identity": identity, "link_key": link_key, "article_id": article_id,
            "first_seen_at": now, "last_seen_at": now,
        },
        ["feed_id", "identity"],
    )


def prune_items(session: Session, feed_id: int, keep: int) -> int:
    """Forget the oldest identities beyond `keep`; returns how many were forgotten."""
    cutoff = session.exec(
        select(FeedItem.id)
        .where(FeedItem.feed_id == feed_id)
        .order_by(col(FeedItem.last_seen_at).desc(), col(FeedItem.id).desc())
        .offset(keep)
        .limit(1)
    ).first()
    if cutoff is None:
        return 0
    last = session.get(FeedItem, cutoff)
    assert last is not None and last.last_seen_at is not None
    result = session.execute(
        sa.delete(FeedItem).where(
            col(FeedItem.feed_id) == feed_id,
            sa.or_(
                col(FeedItem.last_seen_at) < last.last_seen_at,
                sa.and_(col(FeedItem.last_seen_at) == last.last_seen_at, col(FeedItem.id) <= cutoff),
            ),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def article_by_key(session: Session, url_key: str) -> Article | None:
    """The stored article with this URL key (one article however many feeds carry it)."""
    return session.exec(select(Article).where(Article.url_key == url_key)).first()


# --- incidents -------------------------------------------------------------------------------------


FACT_COLUMNS: Final[dict[str, str]] = {name: {"province": "province_en"}.get(name, name) for name in FACT_FIELDS}
"""Each fact's column in the incident table: the same name, except the province (stored in English)."""


def facts_of(row: IncidentRow) -> IncidentFacts:
    """The mergeable facts of a stored incident."""
    return IncidentFacts(**{name: getattr(row, column) for name, column in FACT_COLUMNS.items()})


def apply_facts(row: IncidentRow, facts: IncidentFacts, place: Place | None) -> None:
    """Write merged facts onto a stored incident (place names come from the gazetteer entry)."""
    if place is not None and facts.base_id == place.id:
        row.place_en, row.place_ar = place.name_en, place.name_ar
        row.province_ar = place.province_ar or row.province_ar
    for name, column in FACT_COLUMNS.items():
        setattr(row, column, getattr(facts, name))
    if facts.date is not None:
        row.ref_date = facts.date


def candidates(
    session: Session, window: tuple[date, date], country: str | None, site_mates: Sequence[str] = ()
) -> list[Candidate]:
    """Stored incidents in the date window and country (index ix_incident_ref_date_country), never a scan.

    `site_mates` are bases that are one site with the report's, possibly across a border (al-Tanf and
    Tower 22): their incidents are candidates whatever their country.
    """
    lo, hi = window
    stmt = select(IncidentRow).where(col(IncidentRow.ref_date) >= lo, col(IncidentRow.ref_date) <= hi)
    if country:
        same_country = sa.or_(col(IncidentRow.country) == country, col(IncidentRow.country).is_(None))
        mates = col(IncidentRow.base_id).in_(site_mates)
        stmt = stmt.where(sa.or_(same_country, mates) if site_mates else same_country)
    rows = session.exec(stmt.order_by(col(IncidentRow.id))).all()
    return [Candidate(id=r.id or 0, version=r.version, facts=facts_of(r)) for r in rows]


def has_report(session: Session, incident_id: int, article_id: int) -> bool:
    """Whether this article already counts as a source of this incident."""
    stmt = select(IncidentReport.id).where(
        IncidentReport.incident_id == incident_id, IncidentReport.article_id == article_id
    )
    return session.exec(stmt).first() is not None


def reread_report(session: Session, incident_id: int, article_id: int, extracted: dict[str, object]) -> None:
    """An article read again (an edited channel post): its report on this incident holds the new reading,
    which the status ladder and the alert's figures read."""
    stmt = select(IncidentReport).where(
        IncidentReport.incident_id == incident_id, IncidentReport.article_id == article_id
    )
    for row in session.exec(stmt).all():
        row.extracted = extracted
        session.add(row)


def incident_sources(session: Session, incident_id: int) -> list[tuple[Article, IncidentReport]]:
    """The articles that reported an incident, oldest report first."""
    stmt = (
        select(Article, IncidentReport)
        .join(IncidentReport, col(IncidentReport.article_id) == col(Article.id))
        .where(IncidentReport.incident_id == incident_id)
        .order_by(col(IncidentReport.id))
    )
    return [(a, r) for a, r in session.exec(stmt).all()]


def incident_reports(session: Session, incident_id: int) -> list[Report]:
    """An incident's reports as the status ladder reads them (when we learned each, from where, what it says)."""
    out: list[Report] = []
    for art, rep in incident_sources(session, incident_id):
        at = rep.created_at or art.fetched_at or art.published or datetime.min.replace(tzinfo=UTC)
        out.append(report_of(art.url, art.source, art.text, at, rep.extracted))
    return out


def restatus(session: Session, inc: IncidentRow) -> tuple[str, str]:
    """Recompute an incident's status from its stored reports (flushed); returns (before, after)."""
    before = inc.status
    rungs = ladder(incident_reports(session, inc.id or 0))
    if rungs:
        inc.status, inc.status_at = rungs[-1].status.value, rungs[-1].at
        session.add(inc)
    return before, inc.status


def recent_incidents(session: Session, limit: int, offset: int = 0) -> list[IncidentRow]:
    """Newest incidents first (by attack date, then by id), skipping the `offset` newest (a later page)."""
    stmt = (
        select(IncidentRow)
        .order_by(col(IncidentRow.ref_date).desc(), col(IncidentRow.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(stmt).all())


# --- subscriptions and outbox ----------------------------------------------------------------------


def filters_of(sub: Subscription) -> Filters:
    """A subscription row as the pure filter type."""
    return Filters(
        active=sub.active,
        countries=tuple(sub.countries or ()),
        include_convoy=sub.include_convoy,
        include_diplomatic=sub.include_diplomatic,
        bases=tuple(sub.bases or ()),
        provinces=tuple(sub.provinces or ()),
        weapons=tuple(sub.weapons or ()),
        casualties_only=bool(sub.casualties_only),
    )


def wanted(sub: Subscription, inc: IncidentRow) -> bool:
    """Whether a subscription's filters let an alert about this incident through (`subscriptions.wants`)."""
    return wants(
        filters_of(sub),
        country=inc.country,
        target_kind=inc.target_kind,
        base_id=inc.base_id,
        province=inc.province_en,
        weapon=inc.weapon,
        killed=inc.killed,
        wounded=inc.wounded,
    )


def active_subscriptions(session: Session) -> list[Subscription]:
    """Every active subscription."""
    return list(session.exec(select(Subscription).where(col(Subscription.active))).all())


def outbox_for_incident(session: Session, incident_id: int) -> list[Outbox]:
    """Every outbox row of an incident."""
    return list(session.exec(select(Outbox).where(Outbox.incident_id == incident_id)).all())


def enqueue(
    session: Session,
    *,
    incident_id: int,
    version: int,
    chat_id: int,
    kind: OutboxKind,
    now: datetime,
    payload: Mapping[str, object] | None = None,
) -> Outbox:
    """Add an outbox row (the unique key incident+version+chat keeps it once)."""
    row = Outbox(
        incident_id=incident_id,
        version=version,
        chat_id=chat_id,
        kind=kind.value,
        state=OutboxState.PENDING.value,
        next_attempt_at=now,
        created_at=now,
        payload=dict(payload or {}),
    )
    session.add(row)
    return row


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
