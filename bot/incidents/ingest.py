"""One article in, one transaction out: the article, its reports, the incidents they create or
merge into, and the outbox rows owed to subscribers, committed together or not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session

import extractor
from bot.feeds.parse import link_key
from bot.incidents import store
from bot.incidents.decide import (
    Change,
    DecisionKind,
    Reason,
    candidate_window,
    decide,
    facts_from_extracted,
    site_mates,
)
from bot.incidents.subscriptions import wants
from bot.models import Article, Incident, IncidentReport, OutboxKind, OutboxState
from extractor.serialize import incident_to_dict

log = logging.getLogger(__name__)

# Iraq, Syria and Jordan keep UTC+3 all year: an article's "today" is its date there.
NEWS_TZ = timezone(timedelta(hours=3))


@dataclass(frozen=True)
class ArticleIn:
    """An article as the pipeline receives it, from a feed or from a replay file."""

    url: str
    title: str
    text: str
    published: datetime | None
    identity: str
    lang: str = "ar"
    source: str | None = None
    feed_id: int | None = None


@dataclass(frozen=True)
class Event:
    """What happened to one extracted report: the decision and the incident it concerns."""

    kind: DecisionKind
    reason: Reason
    incident_id: int | None
    version: int | None = None
    changes: tuple[Change, ...] = ()


@dataclass
class IngestResult:
    """The article's id (None when it was already stored) and the events its reports caused."""

    article_id: int | None
    duplicate: bool = False
    events: list[Event] = field(default_factory=list)


def local_date(published: datetime | None, fallback: datetime) -> date:
    """The publication date as readers in the region saw it."""
    moment = published or fallback
    return moment.astimezone(NEWS_TZ).date()


def storable(text: str) -> str:
    """Text both databases accept: no NUL (PostgreSQL refuses it) and no lone surrogates."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def article_key(url: str, identity: str) -> str:
    """The key that makes the same URL in two feeds one article."""
    return link_key(url) or f"item:{identity}"


def ingest_article(session: Session, art: ArticleIn, *, now: datetime, alert: bool, max_km: float) -> IngestResult:
    """Store an article and fold what it reports into incidents; the caller commits."""
    key = article_key(art.url, art.identity)
    existing = store.article_by_key(session, key)
    if existing is not None:
        return IngestResult(article_id=existing.id, duplicate=True)
    title, text = storable(art.title)[:1000], storable(art.text)
    row = Article(
        feed_id=art.feed_id,
        url=art.url,
        url_key=key,
        identity=art.identity,
        title=title,
        source=art.source,
        lang=art.lang,
        published=art.published,
        text=text,
        fetched_at=now,
        alerted=alert,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    pub = local_date(art.published, now)
    try:
        found = extractor.extract(text, pub, title or None)
    except Exception:  # the extractor promises not to raise; never let one article stop a feed
        log.exception("extractor failed on %s", art.url)
        found = []
    result = IngestResult(article_id=row.id)
    for item in found:
        result.events.append(_fold(session, item, row.id, pub, now=now, alert=alert, max_km=max_km))
    return result


def _fold(
    session: Session, item: extractor.Incident, article_id: int, pub: date, *, now: datetime, alert: bool, max_km: float
) -> Event:
    facts = facts_from_extracted(item)
    window = candidate_window(facts, fallback_date=pub)
    mates = site_mates(facts.base_id) if facts.base_id else ()
    cands = store.candidates(session, window, facts.country, mates) if window else []
    decision = decide(facts, cands, max_km=max_km)
    extracted = incident_to_dict(item)

    if decision.kind is DecisionKind.IGNORE:
        log.info("report ignored (%s): %s", decision.reason, item.base.name_en if item.base else item.country)
        return Event(decision.kind, decision.reason, None)

    if decision.kind is DecisionKind.NEW:
        inc = Incident(first_seen_at=now, updated_at=now, ref_date=facts.date or pub, version=1)
        store.apply_facts(inc, facts, item.base)
        session.add(inc)
        session.flush()
        assert inc.id is not None
        session.add(
            IncidentReport(
                incident_id=inc.id,
                article_id=article_id,
                decision=decision.kind.value,
                reason=decision.reason.value,
                extracted=extracted,
                created_at=now,
            )
        )
        if alert:
            for sub in store.active_subscriptions(session):
                if wants(store.filters_of(sub), country=inc.country, target_kind=inc.target_kind):
                    store.enqueue(
                        session, incident_id=inc.id, version=1, chat_id=sub.chat_id, kind=OutboxKind.ALERT, now=now
                    )
        return Event(decision.kind, decision.reason, inc.id, 1)

    assert decision.incident_id is not None and decision.merged is not None
    inc_row = session.get(Incident, decision.incident_id)
    assert inc_row is not None
    new_source = not store.has_report(session, inc_row.id or 0, article_id)
    store.apply_facts(inc_row, decision.merged, item.base)
    kind = decision.kind
    if kind is DecisionKind.UPDATE:
        inc_row.version = decision.version or inc_row.version + 1
    inc_row.updated_at = now
    session.add(inc_row)
    if new_source:
        session.add(
            IncidentReport(
                incident_id=decision.incident_id,
                article_id=article_id,
                decision=kind.value,
                reason=decision.reason.value,
                extracted=extracted,
                created_at=now,
            )
        )
    if alert:
        _notify_changes(
            session, inc_row, decision.changes if kind is DecisionKind.UPDATE else (), now=now,
            article=session.get(Article, article_id),
        )
    return Event(kind, decision.reason, inc_row.id, inc_row.version, decision.changes)


def _notify_changes(
    session: Session, inc: Incident, changes: tuple[Change, ...], *, now: datetime, article: Article | None = None
) -> None:
    """Sent alerts get edited (a new source or fact); material changes also earn a reply where wanted.

    The reply names the outlet whose article brought the change, so a reader can weigh it.
    """
    assert inc.id is not None
    rows = store.outbox_for_incident(session, inc.id)
    sent_alerts = [r for r in rows if r.kind == OutboxKind.ALERT.value and r.state == OutboxState.SENT.value]
    for r in sent_alerts:
        r.needs_edit = True
        session.add(r)
    material = [c for c in changes if c.material]
    if not material:
        return
    subs = {s.chat_id: s for s in store.active_subscriptions(session)}
    have = {(r.chat_id, r.version) for r in rows}
    payload: dict[str, object] = {
        "changes": [{"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in material]
    }
    if article is not None:
        payload["source"] = outlet_name(article)
        payload["url"] = article.url
    for r in sent_alerts:
        sub = subs.get(r.chat_id)
        if sub is None or not sub.send_updates or (r.chat_id, inc.version) in have:
            continue
        store.enqueue(
            session,
            incident_id=inc.id,
            version=inc.version,
            chat_id=r.chat_id,
            kind=OutboxKind.UPDATE,
            now=now,
            payload=payload,
        )


def outlet_name(article: Article) -> str:
    """The outlet an article is credited to: its source, else its title's start, else "source"."""
    return article.source or (article.title[:60] if article.title else "source")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
