"""Stored incidents as the renderer sees them: facts, place, and the outlets that reported them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from sqlmodel import Session

from bot.alerts.render import AlertView, SourceLink, alert_view
from bot.incidents import store
from bot.incidents.decide import Change
from bot.incidents.status import attributions
from bot.models import Incident
from extractor.types import Place


def place_of(row: Incident) -> Place | None:
    """The gazetteer entry stored with an incident, rebuilt for the renderer."""
    if not row.base_id:
        return None
    return Place(
        id=row.base_id,
        name_en=row.place_en or row.base_id,
        name_ar=row.place_ar or row.place_en or "",
        country=row.country or "",
        province_en=row.province_en or "",
        province_ar=row.province_ar or "",
        lat=row.lat,
        lon=row.lon,
    )


def sources_of(session: Session, incident_id: int) -> list[SourceLink]:
    """One link per reporting article, named by its outlet (the feed's name when the item gives none)."""
    out: list[SourceLink] = []
    for article, _report in store.incident_sources(session, incident_id):
        name = article.source or (article.title[:60] if article.title else "source")
        out.append(SourceLink(name=name, url=article.url))
    return out


def view_of(session: Session, row: Incident) -> AlertView:
    """The alert view of a stored incident."""
    assert row.id is not None
    view = alert_view(row.id, row.version, store.facts_of(row), sources_of(session, row.id), place_of(row))
    names = tuple(name for name, _ in attributions(store.incident_reports(session, row.id)))
    view = replace(view, status=row.status, vouchers=names)
    return replace(view, claim_only=True) if claim_only(session, row.id) else view


def claim_only(session: Session, incident_id: int) -> bool:
    """Whether every report of the incident came from a claim post (no news report confirms it yet)."""
    reports = [r for _a, r in store.incident_sources(session, incident_id)]
    return bool(reports) and all(isinstance(r.extracted, dict) and r.extracted.get("is_claim") for r in reports)


def changes_from_payload(payload: dict[str, object]) -> list[Change]:
    """Rebuild the changes an update row announces (stored as plain JSON)."""
    raw = payload.get("changes")
    items: Sequence[object] = raw if isinstance(raw, list) else []
    out: list[Change] = []
    for c in items:
        if isinstance(c, dict) and isinstance(c.get("field"), str):
            out.append(
                Change(
                    field=str(c["field"]),
                    old=_fact(c.get("old"), c["field"]),
                    new=_fact(c.get("new"), c["field"]),
                    material=True,
                )
            )
    return out


def _fact(value: object, field: object) -> str | int | float | bool | date | None:
    if field == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
