"""Table tests for the merge decision: one commented row per rule."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config import load_settings
from bot.incidents.decide import (
    SAME_SITES,
    SHIPPED_MAX_KM,
    Candidate,
    Change,
    DecisionKind,
    IncidentFacts,
    Reason,
    candidate_window,
    consensus_base,
    decide,
    distance_km,
    facts_from_extracted,
    merge,
    place_keys,
    same_site,
)
from extractor.gazetteer import gazetteer
from extractor.types import Incident, Place, TargetKind, Weapon

D = date(2024, 4, 21)

# Places (coordinates from the domain reference; the nearby ones are deliberately 12 and 80 km off).
RLZ = IncidentFacts(base_id="SY-RLZ", lat=36.8978, lon=41.9975, province="Hasakah", country="syria")
RUBAR = IncidentFacts(base_id="SY-RUBAR", province="Hasakah", country="syria")  # its coordinates left out
RMELAN_TOWN = IncidentFacts(base_id="SY-RMELAN", lat=37.0, lon=41.95, province="Hasakah", country="syria")
NEAR_RLZ = IncidentFacts(base_id="SY-X", lat=36.94, lon=41.99, province="Hasakah", country="syria")  # ~4.7 km
SHADDADI = IncidentFacts(base_id="SY-SHAD", lat=36.0561, lon=40.7303, province="Hasakah", country="syria")
OMAR = IncidentFacts(base_id="SY-OMAR", lat=35.1517, lon=40.5758, province="Deir ez-Zor", country="syria")
ASAD = IncidentFacts(base_id="IQ-ASAD", lat=33.7857, lon=42.4412, province="Anbar", country="iraq")
TANF = IncidentFacts(base_id="SY-TANF", lat=33.5058, lon=38.6178, province="Homs", country="syria")
T22 = IncidentFacts(base_id="JO-T22", lat=33.3142, lon=38.7033, province="Mafraq", country="jordan")
HASAKAH = IncidentFacts(province="Hasakah", country="syria")  # "a base in Hasakah"
SYRIA = IncidentFacts(country="syria")  # "a base in Syria"
NOWHERE = IncidentFacts()

# The Rumalan attack as the first outlet stored it.
STORED = replace(RLZ, date=D, weapon="rocket", count=5, killed=0, wounded=0, launch_site="Zummar")


def at(place: IncidentFacts, **kw: object) -> IncidentFacts:
    """A report at `place` on D with rockets unless told otherwise."""
    base: dict[str, object] = {"date": D, "weapon": "rocket"}
    base.update(kw)
    return replace(place, **base)  # type: ignore[arg-type]


def cand(id_: int, facts: IncidentFacts, version: int = 1) -> Candidate:
    return Candidate(id=id_, version=version, facts=facts)



ROWS: list[object] = [
    # A report naming neither a base nor a country can be neither merged nor alerted.
    pytest.param(at(NOWHERE), [cand(1, STORED)], DecisionKind.IGNORE, Reason.NO_PLACE, None, id="no-place"),
    # No base and no date: only dates could tie an area report to an incident, so drop it.
    pytest.param(
        at(SYRIA, date=None), [cand(1, STORED)], DecisionKind.IGNORE, Reason.TOO_VAGUE, None, id="too-vague"
    ),
    # Nothing stored nearby: a new attack.
    pytest.param(at(RLZ), [], DecisionKind.NEW, Reason.NO_CANDIDATES, None, id="no-candidates"),
    # Same base, same day, nothing the store lacks: the outlet joins as a further source.
    pytest.param(
        at(RLZ, count=5, killed=0, wounded=0), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="same-base-same-facts",
    ),
    # Same attack, and the wounded rise from 0 to 8: material, so UPDATE.
    pytest.param(
        at(RLZ, wounded=8), [cand(1, STORED)],
        DecisionKind.UPDATE, Reason.NEW_MATERIAL_FACTS, 1, id="casualties-rise",
    ),
    # Another base far away (Ain al-Asad, Iraq): a different attack.
    pytest.param(at(ASAD), [cand(1, STORED)], DecisionKind.NEW, Reason.DIFFERENT_PLACE, None, id="other-base"),
    # A base 5 km away (within the shipped 10 km): outlets name nearby sites for one attack.
    pytest.param(
        at(NEAR_RLZ), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="nearby-base",
    ),
    # A base 12 km away is beyond the shipped 10 km: another attack. (This row said SAME while the
    # table ran at a 25 km default of its own, which the service never used.)
    pytest.param(
        at(RMELAN_TOWN), [cand(1, STORED)], DecisionKind.NEW, Reason.DIFFERENT_PLACE, None, id="base-12-km-away"
    ),
    # Rubar, its coordinates left out, is listed as related to RLZ.
    pytest.param(
        at(RUBAR), [cand(1, STORED)], DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="same-site-alias"
    ),
    # Shaddadi is ~130 km from RLZ in the same province: two bases, two attacks.
    pytest.param(
        at(SHADDADI), [cand(1, STORED)], DecisionKind.NEW, Reason.DIFFERENT_PLACE, None, id="far-base-same-prov"
    ),
    # Two days apart at the same base: separate attacks.
    pytest.param(
        at(RLZ, date=date(2024, 4, 23)), [cand(1, STORED)],
        DecisionKind.NEW, Reason.DATE_TOO_FAR, None, id="date-two-days",
    ),
    # One day apart (night attacks straddle midnight, outlets disagree): same attack.
    pytest.param(
        at(RLZ, date=date(2024, 4, 22)), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="date-one-day",
    ),
    # Undated report at the same base: the base suffices (the store's window bounds the dates).
    pytest.param(
        at(RLZ, date=None), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="undated-same-base",
    ),
    # "A base in Hasakah" on the same day as the Rumalan attack: the same attack.
    pytest.param(
        at(HASAKAH), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="area-same-province",
    ),
    # "A base in Syria" with no province: the country decides.
    pytest.param(
        at(SYRIA), [cand(1, STORED)], DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="area-same-country"
    ),
    # "A base in Deir ez-Zor" does not match an attack in Hasakah.
    pytest.param(
        at(IncidentFacts(province="Deir ez-Zor", country="syria")), [cand(1, STORED)],
        DecisionKind.NEW, Reason.DIFFERENT_PLACE, None, id="area-other-province",
    ),
    # "A base in Iraq" does not match an attack in Syria.
    pytest.param(
        at(IncidentFacts(country="iraq")), [cand(1, STORED)],
        DecisionKind.NEW, Reason.DIFFERENT_PLACE, None, id="area-other-country",
    ),
    # Reverse: the stored incident named only the province; a report names the base → place refined.
    pytest.param(
        at(RLZ), [cand(1, at(HASAKAH))], DecisionKind.UPDATE, Reason.NEW_MATERIAL_FACTS, 1, id="base-becomes-known"
    ),
    # An area-level match needs both dates: an undated stored area incident cannot be matched.
    pytest.param(
        at(RLZ), [cand(1, at(HASAKAH, date=None))],
        DecisionKind.NEW, Reason.DATE_UNKNOWN, None, id="area-date-unknown",
    ),
    # Rocket, missile and mortar are one family: outlets use the words loosely.
    pytest.param(
        at(RLZ, weapon="mortar"), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="rocket-vs-mortar",
    ),
    # Drones and rockets at one base on one day are two attacks.
    pytest.param(
        at(RLZ, weapon="drone"), [cand(1, STORED)],
        DecisionKind.NEW, Reason.WEAPON_FAMILY_DIFFERS, None, id="rocket-vs-drone",
    ),
    # An unknown weapon agrees with anything.
    pytest.param(
        at(RLZ, weapon="unknown"), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="unknown-weapon",
    ),
    # "Mixed" (rockets and drones) agrees with anything too.
    pytest.param(
        at(RLZ, weapon="drone"), [cand(1, replace(STORED, weapon="mixed"))],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="mixed-weapon",
    ),
    # A convoy hit near a base is not the attack on the base itself.
    pytest.param(
        at(RLZ, target_kind="convoy"), [cand(1, STORED)],
        DecisionKind.NEW, Reason.TARGET_KIND_DIFFERS, None, id="target-kind-differs",
    ),
    # With no base on either side and one weapon (a suicide bomber in a town), outlets calling the troops hit a
    # patrol, a convoy or a post tell one attack ...
    pytest.param(
        at(SYRIA, weapon="ied", target_kind="convoy"), [cand(1, at(SYRIA, weapon="ied", target_kind="base"))],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="unplaced-kinds-one-weapon",
    ),
    # ... but not with different weapons (a roadside bomb on a convoy, rockets on a post),
    pytest.param(
        at(SYRIA, weapon="ied", target_kind="convoy"), [cand(1, at(SYRIA, weapon="rocket", target_kind="base"))],
        DecisionKind.NEW, Reason.WEAPON_FAMILY_DIFFERS, None, id="unplaced-kinds-two-weapons",
    ),
    # ... nor with a weapon unknown on one side,
    pytest.param(
        at(SYRIA, weapon="unknown", target_kind="convoy"), [cand(1, at(SYRIA, weapon="ied", target_kind="base"))],
        DecisionKind.NEW, Reason.TARGET_KIND_DIFFERS, None, id="unplaced-kinds-weapon-unknown",
    ),
    # ... nor when the stored attack names its base.
    pytest.param(
        at(HASAKAH, weapon="ied", target_kind="convoy"), [cand(1, at(SHADDADI, weapon="ied", target_kind="base"))],
        DecisionKind.NEW, Reason.TARGET_KIND_DIFFERS, None, id="unplaced-kind-vs-named-base",
    ),
    # Casualty figures never rule a match out: "no casualties" first, wounded later is one attack.
    pytest.param(
        at(RLZ, killed=2, wounded=8), [cand(1, STORED)],
        DecisionKind.UPDATE, Reason.NEW_MATERIAL_FACTS, 1, id="casualties-no-contradiction",
    ),
    # A lower figure from a later outlet changes nothing.
    pytest.param(
        at(RLZ, count=3), [cand(1, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="lower-count",
    ),
    # A claim appearing is material.
    pytest.param(
        at(RLZ, claimed_by="Islamic Resistance in Iraq"), [cand(1, STORED)],
        DecisionKind.UPDATE, Reason.NEW_MATERIAL_FACTS, 1, id="claim-appears",
    ),
    # A count becoming known is material.
    pytest.param(
        at(RLZ, count=5), [cand(1, replace(STORED, count=None))],
        DecisionKind.UPDATE, Reason.NEW_MATERIAL_FACTS, 1, id="count-becomes-known",
    ),
    # An area report that fits two stored attacks is a round-up: joining one would misattribute.
    pytest.param(
        at(SYRIA), [cand(1, STORED), cand(2, at(OMAR))],
        DecisionKind.IGNORE, Reason.AMBIGUOUS_AREA, None, id="area-ambiguous",
    ),
    # The same base wins over a nearby one.
    pytest.param(
        at(RMELAN_TOWN), [cand(1, STORED), cand(2, at(RMELAN_TOWN))],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 2, id="prefer-same-base",
    ),
    # Among nearby bases the nearest wins: the report's base is 1 km from one, 4 km from the other.
    pytest.param(
        at(replace(NEAR_RLZ, base_id="SY-Y", lat=36.93, lon=41.99)),
        [cand(1, STORED), cand(2, at(NEAR_RLZ))],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 2, id="prefer-nearest",
    ),
    # Same base and place: the closer date wins.
    pytest.param(
        at(RLZ, date=date(2024, 4, 22)), [cand(1, STORED), cand(2, at(RLZ, date=date(2024, 4, 22)))],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 2, id="prefer-same-date",
    ),
    # A full tie goes to the oldest incident (lowest id), whatever order the store returns.
    pytest.param(
        at(RLZ), [cand(7, STORED), cand(3, STORED)],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 3, id="tie-lowest-id",
    ),
    # NEW reports the rule of the candidate that came closest (here: right place, wrong weapon).
    pytest.param(
        at(RLZ, weapon="drone"), [cand(1, at(ASAD, weapon="drone")), cand(2, STORED)],
        DecisionKind.NEW, Reason.WEAPON_FAMILY_DIFFERS, None, id="closest-reason",
    ),
    # Tanf and Tower 22 (23 km apart across a border; early reports confused them) are one site in the
    # gazetteer, for the extractor and the merge alike.
    pytest.param(
        at(T22, weapon="drone"), [cand(1, at(TANF, weapon="drone"))],
        DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, 1, id="nearby-across-border",
    ),
]


@pytest.mark.parametrize(("report", "candidates", "kind", "reason", "incident_id"), ROWS)
def test_decide(
    report: IncidentFacts,
    candidates: list[Candidate],
    kind: DecisionKind,
    reason: Reason,
    incident_id: int | None,
) -> None:
    got = decide(report, candidates)
    assert (got.kind, got.reason, got.incident_id) == (kind, reason, incident_id)


def test_max_km_is_configurable() -> None:
    # 12 km apart: one attack at 25 km, two at 5 km.
    assert decide(at(RMELAN_TOWN), [cand(1, STORED)], max_km=5).reason is Reason.DIFFERENT_PLACE
    assert decide(at(RMELAN_TOWN), [cand(1, STORED)], max_km=25).kind is DecisionKind.SAME


def test_same_sites_is_configurable() -> None:
    # Without the alias table Rubar (no coordinates) is another place.
    assert decide(at(RUBAR), [cand(1, STORED)], same_sites=()).reason is Reason.DIFFERENT_PLACE


def test_update_bumps_version_and_returns_merged_facts() -> None:
    got = decide(at(RLZ, wounded=8), [cand(1, STORED, version=3)])
    assert got.version == 4
    assert got.merged == replace(STORED, wounded=8)
    assert got.changes == (Change("wounded", 0, 8, True),)


def test_same_keeps_version_but_saves_informational_changes() -> None:
    got = decide(at(RLZ, launch_site="Zummar"), [cand(1, replace(STORED, launch_site=None), version=3)])
    assert (got.kind, got.version) == (DecisionKind.SAME, 3)
    assert got.changes == (Change("launch_site", None, "Zummar", False),)


def test_interception_reported_is_an_update() -> None:
    got = decide(at(RLZ, intercepted=True), [cand(1, STORED, version=3)])
    assert (got.kind, got.version) == (DecisionKind.UPDATE, 4)
    assert got.changes == (Change("intercepted", False, True, True),)


def test_new_carries_the_report() -> None:
    report = at(RLZ)
    assert decide(report, []).merged == report


# --- merge ----------------------------------------------------------------------------------------

MERGE_ROWS: list[object] = [
    # Nothing new: no changes.
    pytest.param(STORED, STORED, (), id="identical"),
    # Casualties become known: material.
    pytest.param(
        replace(STORED, killed=None), replace(STORED, killed=1), (Change("killed", None, 1, True),),
        id="killed-known",
    ),
    # "No casualties" becoming known is news too.
    pytest.param(
        replace(STORED, wounded=None), STORED, (Change("wounded", None, 0, True),), id="no-casualties-known"
    ),
    # A lower casualty figure is not a change.
    pytest.param(replace(STORED, killed=3), replace(STORED, killed=1), (), id="killed-lower"),
    # A count becoming known or rising is material: the reader was told the lower figure.
    pytest.param(
        replace(STORED, count=None), STORED, (Change("count", None, 5, True),), id="count-known"
    ),
    pytest.param(STORED, replace(STORED, count=8), (Change("count", 5, 8, True),), id="count-higher"),
    # A claim appearing is material; a second, different claim does not overwrite the first.
    pytest.param(STORED, replace(STORED, claimed_by="X"), (Change("claimed_by", None, "X", True),), id="claim"),
    pytest.param(replace(STORED, claimed_by="X"), replace(STORED, claimed_by="Y"), (), id="claim-kept"),
    # The weapon becoming known is informational.
    pytest.param(
        replace(STORED, weapon="unknown"), STORED, (Change("weapon", "unknown", "rocket", False),),
        id="weapon-known",
    ),
    # A known weapon is not replaced by another of its family.
    pytest.param(STORED, replace(STORED, weapon="mortar"), (), id="weapon-kept"),
    # ... nor by another family; but "drones and rockets" widens it to mixed, so that an outlet naming only one
    # of the two still finds the attack (informational), and mixed stays mixed.
    pytest.param(STORED, replace(STORED, weapon="drone"), (), id="weapon-other-family-kept"),
    pytest.param(
        STORED, replace(STORED, weapon="mixed"), (Change("weapon", "rocket", "mixed", False),), id="weapon-widened"
    ),
    pytest.param(replace(STORED, weapon="mixed"), STORED, (), id="weapon-mixed-kept"),
    # The date becoming known is informational.
    pytest.param(replace(STORED, date=None), STORED, (Change("date", None, D, False),), id="date-known"),
    # Launch site and interception are informational.
    pytest.param(
        replace(STORED, launch_site=None), STORED, (Change("launch_site", None, "Zummar", False),), id="launch"
    ),
    # The base becoming known refines the place: material; its coordinates come along.
    pytest.param(
        at(HASAKAH), at(RLZ),
        (
            Change("base_id", None, "SY-RLZ", True),
            Change("lat", None, 36.8978, False),
            Change("lon", None, 41.9975, False),
        ),
        id="base-known",
    ),
    # A known base is never replaced by a nearby one.
    pytest.param(STORED, replace(STORED, base_id="SY-RUBAR", lat=None, lon=None), (), id="base-kept"),
]


@pytest.mark.parametrize(("existing", "report", "changes"), MERGE_ROWS)
def test_merge(existing: IncidentFacts, report: IncidentFacts, changes: tuple[Change, ...]) -> None:
    merged, got = merge(existing, report)
    assert got == changes
    for c in got:
        assert getattr(merged, c.field) == c.new


# --- candidate lookup -----------------------------------------------------------------------------

WINDOW_ROWS: list[object] = [
    # A dated report looks one day either side.
    pytest.param(at(RLZ), None, (date(2024, 4, 20), date(2024, 4, 22)), id="dated"),
    # The report's own date wins over the article's.
    pytest.param(at(RLZ), date(2024, 5, 1), (date(2024, 4, 20), date(2024, 4, 22)), id="dated-ignores-fallback"),
    # Undated: two days before the article, one after.
    pytest.param(at(RLZ, date=None), D, (date(2024, 4, 19), date(2024, 4, 22)), id="fallback"),
    # No date at all: do not query.
    pytest.param(at(RLZ, date=None), None, None, id="none"),
]


@pytest.mark.parametrize(("report", "fallback", "window"), WINDOW_ROWS)
def test_candidate_window(report: IncidentFacts, fallback: date | None, window: tuple[date, date] | None) -> None:
    assert candidate_window(report, fallback) == window


KEY_ROWS: list[object] = [
    # A base brings its same-site mates, its province and its country.
    pytest.param(
        RLZ, ("base:SY-RLZ", "base:SY-RUBAR", "prov:syria:hasakah", "country:syria"), id="base"
    ),
    # Province keys are spelling-folded.
    pytest.param(OMAR, ("base:SY-OMAR", "prov:syria:deir-ez-zor", "country:syria"), id="folded"),
    # An area report has only the area keys.
    pytest.param(SYRIA, ("country:syria",), id="country-only"),
    # Nowhere: no keys.
    pytest.param(NOWHERE, (), id="nowhere"),
]


@pytest.mark.parametrize(("report", "keys"), KEY_ROWS)
def test_place_keys(report: IncidentFacts, keys: tuple[str, ...]) -> None:
    assert place_keys(report) == keys


def test_distance_km() -> None:
    # Rumalan airstrip to Rmelan town, and a point to itself.
    assert 11 < distance_km(36.8978, 41.9975, 37.0, 41.95) < 13
    assert distance_km(33.0, 44.0, 33.0, 44.0) == 0.0


def test_facts_from_extracted() -> None:
    place = Place("SY-RLZ", "Rumalan", "الرميلان", "Syria", "Hasakah", "الحسكة", 36.8978, 41.9975)
    got = facts_from_extracted(
        Incident(base=place, country=None, date=D, weapon=Weapon.ROCKET, count=5, target_kind=TargetKind.BASE)
    )
    assert got == replace(RLZ, date=D, count=5, weapon="rocket")
    assert facts_from_extracted(Incident(base=None, country="Iraq")).country == "iraq"


_places = st.sampled_from([RLZ, RUBAR, RMELAN_TOWN, SHADDADI, OMAR, HASAKAH, SYRIA])
_facts = st.builds(
    at,
    _places,
    date=st.sampled_from([None, D, date(2024, 4, 22), date(2024, 4, 23)]),
    weapon=st.sampled_from([w.value for w in Weapon]),
    wounded=st.sampled_from([None, 0, 3]),
)


@given(_facts, st.lists(st.tuples(st.integers(1, 50), _facts), max_size=6, unique_by=lambda t: t[0]), st.randoms())
def test_decide_ignores_candidate_order(
    report: IncidentFacts, rows: list[tuple[int, IncidentFacts]], rnd: random.Random
) -> None:
    # The store's row order must never change the verdict.
    cands = [cand(i, f) for i, f in rows]
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert decide(report, cands) == decide(report, shuffled)


def test_every_rule_has_a_row() -> None:
    # One commented row per rule: a new Reason without a row fails here.
    rows = [p.values[3] for p in ROWS]  # type: ignore[attr-defined]
    assert set(rows) == set(Reason)


def _fold(reports: list[IncidentFacts]) -> tuple[list[IncidentFacts], list[DecisionKind]]:
    """A tiny in-memory store: every stored incident is a candidate (the real store filters by index)."""
    stored: list[IncidentFacts] = []
    kinds: list[DecisionKind] = []
    for r in reports:
        got = decide(r, [cand(i + 1, f) for i, f in enumerate(stored)])
        kinds.append(got.kind)
        if got.kind is DecisionKind.NEW:
            stored.append(r)
        elif got.incident_id is not None and got.merged is not None:
            stored[got.incident_id - 1] = got.merged
    return stored, kinds


def test_scenario_three_outlets_one_rumalan_attack() -> None:
    # The dev corpus: three outlets report the 21 April 2024 launch; one misdates it by a day and
    # one names the launch site differently. One incident, one alert.
    reports = [
        at(RLZ, count=5, killed=0, wounded=0, launch_site="Zummar"),
        at(RUBAR, date=date(2024, 4, 22), count=5, launch_site="Zummar"),
        at(ASAD, date=date(2024, 4, 22), weapon="drone", count=2, killed=0, wounded=0),
        at(RLZ, count=5, killed=0, wounded=0, launch_site="northern Iraq"),
    ]
    stored, kinds = _fold(reports)
    assert kinds == [DecisionKind.NEW, DecisionKind.SAME, DecisionKind.NEW, DecisionKind.SAME]
    assert len(stored) == 2 and stored[0].launch_site == "Zummar"


def test_scenario_green_village_inside_al_omar() -> None:
    # Green Village resolves to al-Omar; 8 projectiles and 3 shells the same day are one incident
    # (the gold accepts either grouping), and the higher count is kept.
    d = date(2022, 1, 5)
    stored, kinds = _fold([at(OMAR, date=d, count=8), at(OMAR, date=d, weapon="mortar", count=3)])
    assert kinds == [DecisionKind.NEW, DecisionKind.SAME]
    assert stored[0].count == 8


# --- the shipped values ---------------------------------------------------------------------------


def test_the_table_runs_at_the_shipped_distance_and_the_gazetteers_sites() -> None:
    """decide's defaults are the shipped config's distance and the sites the extractor treats as one."""
    shipped = load_settings(Path(__file__).resolve().parents[2] / "config.example.toml")
    assert decide.__kwdefaults__ == {"max_km": shipped.polling.merge_distance_km, "same_sites": SAME_SITES}
    assert SHIPPED_MAX_KM == shipped.polling.merge_distance_km == 10.0
    gz = gazetteer()
    linked = {(a, b) for a in gz.ids() for b in gz.ids() if a != b and gz.related(a, b)}
    assert {(a, b) for a in gz.ids() for b in gz.ids() if a != b and same_site(a, b)} == linked
    assert ("SY-TANF", "JO-T22") in linked and len(linked) >= 14


@pytest.mark.parametrize(
    ("named", "current", "want"),
    [
        # more outlets name the other base: the alert follows them
        ([("a", "IQ-HARIR"), ("b", "IQ-EBL"), ("c", "IQ-EBL")], "IQ-HARIR", "IQ-EBL"),
        # a tie keeps the base the alert already shows
        ([("a", "IQ-HARIR"), ("b", "IQ-EBL")], "IQ-HARIR", "IQ-HARIR"),
        # one outlet's several reports count once
        ([("a", "IQ-HARIR"), ("b", "IQ-EBL"), ("b", "IQ-EBL")], "IQ-HARIR", "IQ-HARIR"),
        # reports naming no base do not vote
        ([("a", "IQ-HARIR"), ("b", None), ("c", None)], "IQ-HARIR", "IQ-HARIR"),
        ([], None, None),
    ],
)
def test_consensus_base(named: list[tuple[str, str | None]], current: str | None, want: str | None) -> None:
    assert consensus_base(named, current) == want
