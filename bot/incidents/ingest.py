"""One article in, one transaction out: the article, its reports, the incidents they create or
merge into, and the outbox rows owed to subscribers, committed together or not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session

import extractor
from bot.counters import record_extractor_error
from bot.feeds.parse import link_key
from bot.feeds.source_data import plausible_published
from bot.incidents import store
from bot.incidents.decide import (
    Change,
    DecisionKind,
    Reason,
    candidate_window,
    consensus_base,
    decide,
    facts_from_extracted,
    site_mates,
)
from bot.incidents.status import Status, admits, outlet_of
from bot.models import Article, IncidentReport, IncidentRow, OutboxKind, OutboxState
from bot.pipeline_locks import serialise_ingest
from bot.upsert import insert_ignore_returning
from extractor.explanation import ExtractionError
from extractor.gazetteer import gazetteer
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
    claimant: str | None = None  # the group whose channel posted it: the text is a claim, read as one
    revised: bool = False  # a post that may be edited later: new text at a stored link is read again


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
        if art.revised and existing.id is not None and storable(art.text) != existing.text:
            return _reread(session, existing, art, now=now, alert=alert, max_km=max_km)
        return IngestResult(article_id=existing.id, duplicate=True)
    title, text = storable(art.title)[:1000], storable(art.text)
    published = plausible_published(art.published, now)  # 2099 or 1970: not a date to read the text against
    serialise_ingest(session)
    # one INSERT ... ON CONFLICT: another poller may have stored this URL since the look-up above
    article_id = insert_ignore_returning(
        session,
        Article,
        {
            "feed_id": art.feed_id, "url": art.url, "url_key": key, "identity": art.identity, "title": title,
            "source": art.source, "lang": art.lang, "published": published, "text": text, "fetched_at": now,
            "alerted": alert,
        },
        ["url_key"],
        "id",
    )
    if article_id is None:
        existing = store.article_by_key(session, key)
        return IngestResult(article_id=existing.id if existing else None, duplicate=True)
    return _read_and_fold(session, int(article_id), art, text, title, now=now, alert=alert, max_km=max_km)


def _read_and_fold(
    session: Session, article_id: int, art: ArticleIn, text: str, title: str, *, now: datetime, alert: bool,
    max_km: float, reread: bool = False,
) -> IngestResult:
    pub = local_date(plausible_published(art.published, now), now)
    found = _read(article_id, art, text, title, pub)
    result = IngestResult(article_id=article_id)
    for item in found:
        result.events.append(
            _fold(session, item, article_id, pub, now=now, alert=alert, max_km=max_km, reread=reread)
        )
    return result


def _read(article_id: int, art: ArticleIn, text: str, title: str, pub: date) -> list[extractor.Incident]:
    """The reports in one article. A reader crash is a bug to see, not an empty article: it is logged once with
    the article and the place in the extractor that failed, and counted (rasad_extractor_errors); the feed and
    the other articles go on."""
    try:
        if art.claimant is not None:
            return extractor.extract_claims(text, pub, art.claimant)
        return extractor.extract_strict(text, pub, title or None, lang=art.lang)
    except ExtractionError as err:
        last = next((c.rules[-1] for c in reversed(err.trace) if c.rules), None)  # the rule read last before it
        log.error(
            "extractor failed on article %s (%s) in %s, sentence %s, after rule %s: %r",
            article_id, art.url, err.where, err.sentence, last or "none", err.__cause__,
        )
        record_extractor_error(err.where)
    except Exception as exc:  # the claim reader has no strict wrapper: the same care, without the trace
        log.error("extractor failed on article %s (%s): %r", article_id, art.url, exc)
        record_extractor_error("claims")
    return []


def _reread(
    session: Session, row: Article, art: ArticleIn, *, now: datetime, alert: bool, max_km: float
) -> IngestResult:
    """An edited channel post: keep the new text and read it again; what it adds merges into its incident, and
    the post's report there holds the new reading (figures and status read it)."""
    assert row.id is not None
    row.text = storable(art.text)
    row.title = storable(art.title)[:1000]
    session.add(row)
    session.flush()
    alert = alert and row.alerted
    return _read_and_fold(
        session, row.id, art, row.text, row.title, now=now, alert=alert, max_km=max_km, reread=True
    )


def _fold(
    session: Session, item: extractor.Incident, article_id: int, pub: date, *, now: datetime, alert: bool,
    max_km: float, reread: bool = False,
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
        inc = IncidentRow(first_seen_at=now, updated_at=now, ref_date=facts.date or pub, version=1)
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
        session.flush()
        store.restatus(session, inc)
        if alert:
            for sub in store.active_subscriptions(session):
                if store.wanted(sub, inc) and admits(inc.status, sub.min_status, sub.include_claims):
                    store.enqueue(
                        session, incident_id=inc.id, version=1, chat_id=sub.chat_id, kind=OutboxKind.ALERT, now=now
                    )
        return Event(decision.kind, decision.reason, inc.id, 1)

    assert decision.incident_id is not None and decision.merged is not None
    inc_row = session.get(IncidentRow, decision.incident_id)
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
    elif reread:  # the same article read again (an edited post): its report says what the new text says
        store.reread_report(session, decision.incident_id, article_id, extracted)
    session.flush()
    if new_source and inc_row.base_id is not None:
        _follow_consensus(session, inc_row)
    before, after = store.restatus(session, inc_row)
    changes = decision.changes if kind is DecisionKind.UPDATE else ()
    if after != before and after in REPLY_STATUSES:
        # a rise to confirmed, or a denial, earns a reply; reported -> corroborated is only an edit
        changes = (*changes, Change(field="status", old=before, new=after, material=True))
        if kind is not DecisionKind.UPDATE:
            inc_row.version += 1
            session.add(inc_row)
    if alert:
        _notify_changes(session, inc_row, changes, now=now, article=session.get(Article, article_id))
        if after != before:
            _release_held(session, inc_row, now=now)
        elif decision.changes:
            # a fact a chat's filters wait for (casualties, a weapon, a base) may have arrived
            _release_held(session, inc_row, now=now, subscribed_before=inc_row.first_seen_at)
    return Event(kind, decision.reason, inc_row.id, inc_row.version, decision.changes)


def _follow_consensus(session: Session, inc: IncidentRow) -> None:
    """Move the incident to the base most of its outlets name (`consensus_base`); the next edit shows it."""
    assert inc.id is not None
    named: list[tuple[str, str | None]] = []
    for art, rep in store.incident_sources(session, inc.id):
        base = rep.extracted.get("base") if isinstance(rep.extracted, dict) else None
        # (al-Tanf and Tower 22 are one site across a border: the country an alert names stays put)
        same = isinstance(base, dict) and bool(base.get("id")) and base.get("country") == inc.country
        named.append((outlet_of(art.url, art.source), str(base["id"]) if same and isinstance(base, dict) else None))
    chosen = consensus_base(named, inc.base_id)
    place = gazetteer().get(chosen) if chosen is not None and chosen != inc.base_id else None
    if place is None:
        return
    log.info("incident %s: most outlets name %s, not %s", inc.id, place.id, inc.base_id)
    moved = replace(store.facts_of(inc), base_id=place.id, lat=place.lat, lon=place.lon,
                    province=place.province_en or None, country=place.country)
    store.apply_facts(inc, moved, place)
    session.add(inc)


def _notify_changes(
    session: Session, inc: IncidentRow, changes: tuple[Change, ...], *, now: datetime, article: Article | None = None
) -> None:
    """Sent alerts get edited (a new source or fact); material changes also earn a reply where wanted.

    The reply names the outlet whose article brought the change, so a reader can weigh it.
    """
    assert inc.id is not None
    rows = store.outbox_for_incident(session, inc.id)
    shown = (OutboxState.SENT.value, OutboxState.EDIT_DUE.value)
    sent_alerts = [r for r in rows if r.kind == OutboxKind.ALERT.value and r.state in shown]
    for r in sent_alerts:
        r.state = OutboxState.EDIT_DUE.value  # delivery.TRANSITIONS: SENT/EDIT_DUE + INCIDENT_CHANGED
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


REPLY_STATUSES = frozenset({Status.CONFIRMED.value, Status.DISPUTED.value})
"""Status changes that also send a short reply to the sent alert (others only edit it)."""


def _release_held(
    session: Session, inc: IncidentRow, *, now: datetime, subscribed_before: datetime | None = None
) -> None:
    """An incident held back from a chat is sent the moment it qualifies: its status reaches the chat's
    "alert me from" level, or an update brings what the chat's filters wait for (casualties, say).

    `subscribed_before`: only chats subscribed by then (a filter release never sends an old incident to a
    chat that subscribed after it was first seen).
    """
    assert inc.id is not None
    have = {r.chat_id for r in store.outbox_for_incident(session, inc.id) if r.kind == OutboxKind.ALERT.value}
    for sub in store.active_subscriptions(session):
        if sub.chat_id in have or not admits(inc.status, sub.min_status, sub.include_claims):
            continue
        if subscribed_before is not None and (sub.created_at is None or sub.created_at > subscribed_before):
            continue
        if store.wanted(sub, inc):
            store.enqueue(
                session, incident_id=inc.id, version=inc.version, chat_id=sub.chat_id, kind=OutboxKind.ALERT, now=now
            )


def outlet_name(article: Article) -> str:
    """The outlet an article is credited to: its source, else its title's start, else "source"."""
    return article.source or (article.title[:60] if article.title else "source")


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
