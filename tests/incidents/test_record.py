"""One incident record: the facts are listed once (IncidentFacts) and mapped to the table and the view from it.

A fact added to IncidentFacts without a column, or dropped by a mapper, fails here; so does a field added to
the extractor's Incident or to IncidentFacts and not to the other (or named as no fact).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from bot.alerts.render import AlertView, alert_view
from bot.incidents import store
from bot.incidents.decide import (
    COPIED_FACTS,
    FACT_FIELDS,
    NOT_FACTS,
    PLACE_FACTS,
    IncidentFacts,
    facts_from_extracted,
)
from bot.models import IncidentRow
from extractor import types as ext

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
    assert set(store.FACT_COLUMNS.values()) <= set(IncidentRow.model_fields)
    row = IncidentRow()
    store.apply_facts(row, FULL, None)
    assert store.facts_of(row) == FULL
    assert row.ref_date == FULL.date


def test_the_alert_view_shows_the_facts_it_has_fields_for() -> None:
    view = alert_view(7, 2, FULL)
    shared = {f.name for f in fields(AlertView)} & set(FACT_FIELDS)
    assert shared >= {"date", "weapon", "count", "killed", "wounded", "intercepted", "claimed_by", "launch_site"}
    assert {name: getattr(view, name) for name in shared} == {name: getattr(FULL, name) for name in shared}
    assert (view.incident_id, view.version, view.province_en) == (7, 2, "Homs")


# The extractor's record and the facts: one mapping (facts_from_extracted), generated from the fields.

EXTRACTED = ext.Incident(
    base=ext.Place("SY-TANF", "al-Tanf", "التنف", "syria", "Homs", "حمص", 33.5, 38.6),
    country="Syria",
    target_kind=ext.TargetKind.CONVOY,
    date=date(2024, 4, 24),
    weapon=ext.Weapon.DRONE,
    count=2,
    killed=1,
    wounded=3,
    intercepted=True,
    claimed_by="Islamic Resistance in Iraq",
    launch_site="Iraq",
    sources=("AFP",),
    evidence=(ext.Evidence("a drone hit a convoy", 0, 20),),
    confidence=0.9,
    province_en="Homs",
    province_ar="حمص",
    is_claim=True,
)


def test_every_field_of_the_extracted_incident_is_a_fact_or_named_as_none() -> None:
    extracted = {f.name for f in fields(ext.Incident)}
    assert extracted - set(FACT_FIELDS) == set(NOT_FACTS), "a new extractor field: make it a fact or a NOT_FACT"
    assert not NOT_FACTS & set(FACT_FIELDS)


def test_every_fact_is_the_places_or_an_extracted_field_of_the_same_name() -> None:
    extracted = {f.name for f in fields(ext.Incident)}
    assert set(FACT_FIELDS) - extracted <= set(PLACE_FACTS), "a new fact with no field on extractor.types.Incident"
    assert set(COPIED_FACTS) <= extracted


def test_the_mapping_carries_every_fact() -> None:
    blank = ext.Incident(base=None, country=None)
    assert [f.name for f in fields(ext.Incident) if getattr(EXTRACTED, f.name) == getattr(blank, f.name)] == []
    assert facts_from_extracted(EXTRACTED) == FULL
