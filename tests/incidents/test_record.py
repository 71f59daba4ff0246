"""One incident record: the facts are listed once (IncidentFacts) and mapped to the table and the view from it.

A fact added to IncidentFacts without a column, or dropped by a mapper, fails here.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from bot.alerts.render import AlertView, alert_view
from bot.incidents import store
from bot.incidents.decide import FACT_FIELDS, IncidentFacts
from bot.models import Incident

# Every fact set, each to something other than its default.
FULL = IncidentFacts(
    base_id="SY-TANF",
    lat=33.5,
    lon=38.6,
    province="Homs",
    country="syria",
    target_kind="convoy",
    date=date(2024, 4, 24),
    weapon="drone",
    count=2,
    killed=1,
    wounded=3,
    intercepted=True,
    claimed_by="Islamic Resistance in Iraq",
    launch_site="Iraq",
)


def test_the_example_sets_every_fact() -> None:
    blank = IncidentFacts()
    assert [f for f in FACT_FIELDS if getattr(FULL, f) == getattr(blank, f)] == []


def test_every_fact_has_a_column_and_survives_the_table() -> None:
    assert set(store.FACT_COLUMNS) == set(FACT_FIELDS)
    assert set(store.FACT_COLUMNS.values()) <= set(Incident.model_fields)
    row = Incident()
    store.apply_facts(row, FULL, None)
    assert store.facts_of(row) == FULL
    assert row.ref_date == FULL.date


def test_the_alert_view_shows_the_facts_it_has_fields_for() -> None:
    view = alert_view(7, 2, FULL)
    shared = {f.name for f in fields(AlertView)} & set(FACT_FIELDS)
    assert shared >= {"date", "weapon", "count", "killed", "wounded", "intercepted", "claimed_by", "launch_site"}
    assert {name: getattr(view, name) for name in shared} == {name: getattr(FULL, name) for name in shared}
    assert (view.incident_id, view.version, view.province_en) == (7, 2, "Homs")
