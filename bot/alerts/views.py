"""Stored incidents as the renderer sees them: facts, place, and the outlets that reported them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from sqlmodel import Session

from bot.alerts.figures import Figure, Reading, is_official, reconcile
from bot.alerts.i18n import Name
from bot.alerts.render import AlertView, SourceLink, alert_view
from bot.alerts.timeofday import DEFAULT_TZ, time_of_day
from bot.incidents import store
from bot.incidents.decide import Change
from bot.incidents.ingest import outlet_name
from bot.incidents.status import attributions
from bot.models import IncidentRow
from extractor.types import Place


def place_of(row: IncidentRow) -> Place | None:
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
        name = outlet_name(article)
        out.append(SourceLink(name=name, url=article.url))
    return out


_FIGURES = ("count", "killed", "wounded")


def figures_of(session: Session, incident_id: int) -> dict[str, Figure]:
    """Each figure as every outlet's report gives it, reconciled (`figures.reconcile`)."""
    readings: dict[str, list[Reading]] = {name: [] for name in _FIGURES}
    for article, report in store.incident_sources(session, incident_id):
        x = report.extracted
        at = article.published or report.created_at or datetime.min
        if at.tzinfo is not None:
            at = at.astimezone(UTC).replace(tzinfo=None)
        cited = x.get("sources")
        official = is_official([str(c) for c in cited] if isinstance(cited, list) else [])
        for name in _FIGURES:
            value = x.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                readings[name].append(Reading(value, at, official))
    return {name: fig for name, got in readings.items() if (fig := reconcile(got)) is not None}


def with_figures(view: AlertView, figures: dict[str, Figure]) -> AlertView:
    """The view showing reconciled figures: ranges where outlets disagree, official figures as such."""
    changes: dict[str, object] = {}
    official: list[str] = []
    for name, fig in figures.items():
        changes[name] = fig.high
        if fig.official:
            official.append(name)
        elif fig.low < fig.high:
            changes[f"{name}_low"] = fig.low
    return replace(view, **changes, official=tuple(official))  # type: ignore[arg-type]


def time_of_day_of(session: Session, incident_id: int) -> Name | None:
    """The attack's time of day from the first report whose evidence gives one."""
    for _article, report in store.incident_sources(session, incident_id):
        evidence = report.extracted.get("evidence")
        if isinstance(evidence, list) and (found := time_of_day([str(e) for e in evidence])):
            return found
    return None


def view_of(session: Session, row: IncidentRow, tz: str = DEFAULT_TZ) -> AlertView:
    """The alert view of a stored incident, its figures reconciled across outlets, times in `tz`."""
    assert row.id is not None
    view = alert_view(row.id, row.version, store.facts_of(row), sources_of(session, row.id), place_of(row))
    names = tuple(name for name, _ in attributions(store.incident_reports(session, row.id)))
    view = replace(
        view,
        status=row.status,
        vouchers=names,
        time_of_day=time_of_day_of(session, row.id),
        first_seen_at=row.first_seen_at,
        tz=tz,
    )
    return with_figures(view, figures_of(session, row.id))


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
