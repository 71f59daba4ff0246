"""Whether a freshly extracted report is a new attack, a known one, or news about a known one.

Everything here is pure: the store fetches candidates (by the keys and window defined below) and
saves what `decide` returns; the clock never enters. Rules, in the order they are checked:

1. A report with neither a base nor a country is IGNOREd (NO_PLACE): it can be neither merged
   nor alerted usefully ("an attack somewhere").
2. A report with no base and no date is IGNOREd (TOO_VAGUE): an area-level report can only be
   matched by date, so without one every outlet repeating it would raise a fresh alert.
3. No candidates → NEW (NO_CANDIDATES).
4. A candidate matches when, in this order: the place agrees (same base id; bases of one known
   site, as the gazetteer links them; bases within `max_km`, polling.merge_distance_km; or, when
   one side names no base, the same province, else the same country); the dates are within one
   day when both are known (an area-level match needs both dates); the weapon families agree
   (rocket, missile and mortar are one family; unknown and mixed agree with anything); the target
   kinds agree. When nothing matches, NEW carries the reason of the candidate that passed the
   most checks.
5. A report without a base that matches several incidents is IGNOREd (AMBIGUOUS_AREA): it is most
   likely a round-up, and joining it to one of them at random would misattribute its facts.
6. Otherwise the best candidate (same base, then same site, then nearest, then closest date, then
   same weapon, then lowest id) absorbs the report: UPDATE when a material fact is added
   (NEW_MATERIAL_FACTS), else SAME (SAME_ATTACK_NO_NEW_FACTS).

Casualty figures never rule a match out: first reports often say "no casualties" and later ones
count the wounded, which is the very UPDATE subscribers want.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import IntEnum, StrEnum
from typing import Any, Final

from bot.config import PollingSettings
from extractor import types as ext
from extractor.gazetteer import gazetteer

FactValue = str | int | float | bool | date | None
"""Anything a fact field can hold; the type of `Change.old` and `Change.new`."""



def _gazetteer_same_sites() -> tuple[frozenset[str], ...]:
    """Pairs of bases the gazetteer links (`related`): one site, or sites outlets conflate."""
    gz = gazetteer()
    ids = gz.ids()
    pairs = {frozenset({a, b}) for a in ids for b in ids if a < b and gz.related(a, b)}
    return tuple(sorted(pairs, key=sorted))


SHIPPED_MAX_KM: Final[float] = PollingSettings().merge_distance_km
"""The default of polling.merge_distance_km; the running service passes the configured value."""

SAME_SITES: Final[tuple[frozenset[str], ...]] = _gazetteer_same_sites()
"""Bases that are one site for merging: exactly the sites the extractor treats as one (the gazetteer)."""


_NON_ALNUM = re.compile(r"[^0-9a-z\u0600-\u06ff]+")
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"})


def name_key(text: str) -> str:
    """A spelling-tolerant lookup key: case, accents, hyphens, hamza forms and tashkeel folded."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c) and c != "\u0640")
    folded = stripped.translate(_AR_FOLD)
    return _NON_ALNUM.sub("-", folded).strip("-")


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """The facts of one attack that reports can agree on, refine or contradict."""

    base_id: str | None = None
    lat: float | None = None
    lon: float | None = None
    province: str | None = None
    country: str | None = None
    target_kind: str = ext.TargetKind.BASE.value
    date: date | None = None
    weapon: str = ext.Weapon.UNKNOWN.value
    count: int | None = None
    killed: int | None = None
    wounded: int | None = None
    intercepted: bool = False
    claimed_by: str | None = None
    launch_site: str | None = None


FACT_FIELDS: Final[tuple[str, ...]] = tuple(f.name for f in fields(IncidentFacts))
"""The incident record's facts, in one place: the store's columns and the alert view are mapped from it."""


PLACE_FACTS: Final[tuple[str, ...]] = ("base_id", "lat", "lon", "province", "country")
"""Facts read from the gazetteer entry (`Incident.base`) when the report names one; the rest are copied by name."""

NOT_FACTS: Final[frozenset[str]] = frozenset(
    {"base", "sources", "evidence", "confidence", "province_en", "province_ar", "is_claim"}
)
"""Fields of the extracted incident that are no merge fact: the place (read through PLACE_FACTS), what one
article says about itself (sources, evidence, confidence), the province names (the place's own are used) and
the claim flag (read from the stored report, `incident_to_dict`'s shape)."""

COPIED_FACTS: Final[tuple[str, ...]] = tuple(name for name in FACT_FIELDS if name not in PLACE_FACTS)
"""Facts with the same name and meaning on both records: `facts_from_extracted` copies them as they are."""

_AS_VALUE: Final[dict[str, type[StrEnum]]] = {"target_kind": ext.TargetKind, "weapon": ext.Weapon}
"""Copied facts the extractor holds as an enum: the fact is the enum's plain string value."""


def facts_from_extracted(i: ext.Incident) -> IncidentFacts:
    """Take the mergeable facts of an extracted incident; the place's data wins over loose fields.

    The one mapping between the two records: every fact but the place's is copied by name (COPIED_FACTS), so
    a field added to both records needs no edit here; tests/incidents/test_record.py fails when a field is
    added to one of them only.
    """
    place = i.base
    country = (place.country if place and place.country else i.country) or None
    copied: dict[str, Any] = {}  # each checked against its field by the tests of the record
    for name in COPIED_FACTS:
        value = getattr(i, name)
        copied[name] = _AS_VALUE[name](value).value if name in _AS_VALUE else value
    located = IncidentFacts(
        base_id=place.id if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        province=(place.province_en or None) if place else None,
        country=country.strip().lower() if country else None,
    )
    return replace(located, **copied)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored incident the store found near the report in date and place."""

    id: int
    version: int
    facts: IncidentFacts


class DecisionKind(StrEnum):
    """What the store does with the report."""

    NEW = "new"  # store a new incident and alert it
    SAME = "same"  # add the report as a further source (edit the sent alert)
    UPDATE = "update"  # as SAME, plus bump the version and reply with the changes
    IGNORE = "ignore"  # keep nothing


class Reason(StrEnum):
    """Why; one member per rule, so logs and tests name the rule that fired."""

    NO_PLACE = "no_place"
    TOO_VAGUE = "too_vague"
    NO_CANDIDATES = "no_candidates"
    DIFFERENT_PLACE = "different_place"
    DATE_TOO_FAR = "date_too_far"
    DATE_UNKNOWN = "date_unknown"
    WEAPON_FAMILY_DIFFERS = "weapon_family_differs"
    TARGET_KIND_DIFFERS = "target_kind_differs"
    AMBIGUOUS_AREA = "ambiguous_area"
    SAME_ATTACK_NO_NEW_FACTS = "same_attack_no_new_facts"
    NEW_MATERIAL_FACTS = "new_material_facts"


@dataclass(frozen=True, slots=True)
class Change:
    """One field that merging changed; material changes bump the version and earn a reply."""

    field: str
    old: FactValue
    new: FactValue
    material: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one report.

    For SAME and UPDATE, `merged` is what the incident becomes and `version` its new version
    (unchanged for SAME, +1 for UPDATE); for NEW, `merged` is the report itself.
    """

    kind: DecisionKind
    reason: Reason
    incident_id: int | None = None
    changes: tuple[Change, ...] = ()
    merged: IncidentFacts | None = None
    version: int | None = None


# --- place ----------------------------------------------------------------------------------------

EARTH_RADIUS_KM: Final = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance; accurate to well under a kilometre at our scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def facts_distance_km(a: IncidentFacts, b: IncidentFacts) -> float | None:
    """Distance between two located reports, or None when either lacks coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return distance_km(a.lat, a.lon, b.lat, b.lon)


class PlaceMatch(IntEnum):
    """How two places agree; lower is a stronger reason to merge."""

    SAME_BASE = 0
    SAME_SITE = 1
    NEARBY = 2
    AREA = 3


def _key(text: str | None) -> str | None:
    return name_key(text) or None if text else None


def same_site(a: str, b: str, same_sites: Sequence[frozenset[str]] = SAME_SITES) -> bool:
    """Whether two base ids are listed as names of one site."""
    return any(a in group and b in group for group in same_sites)


def site_mates(base_id: str, same_sites: Sequence[frozenset[str]] = SAME_SITES) -> tuple[str, ...]:
    """The other bases listed as one site with `base_id` (the store fetches their incidents too)."""
    return tuple(sorted({m for g in same_sites if base_id in g for m in g} - {base_id}))


def match_place(
    a: IncidentFacts,
    b: IncidentFacts,
    *,
    max_km: float = SHIPPED_MAX_KM,
    same_sites: Sequence[frozenset[str]] = SAME_SITES,
) -> tuple[PlaceMatch, float] | None:
    """How the places of `a` and `b` agree (with the distance when known), or None if they don't.

    With a base on both sides the bases decide; otherwise the province when both name one,
    else the country: "a base in Syria" agrees with Rumalan, "a base in Anbar" does not.
    """
    km = facts_distance_km(a, b)
    dist = km if km is not None else math.inf
    if a.base_id and b.base_id:
        if a.base_id == b.base_id:
            return PlaceMatch.SAME_BASE, 0.0
        if same_site(a.base_id, b.base_id, same_sites):
            return PlaceMatch.SAME_SITE, dist
        if km is not None and km <= max_km:
            return PlaceMatch.NEARBY, km
        return None
    ca, cb = _key(a.country), _key(b.country)
    if ca and cb and ca != cb:
        return None
    pa, pb = _key(a.province), _key(b.province)
    if pa and pb:
        return (PlaceMatch.AREA, dist) if pa == pb else None
    if ca and cb:
        return PlaceMatch.AREA, dist
    return None


# --- weapons --------------------------------------------------------------------------------------

_INDIRECT_FIRE: Final = frozenset({ext.Weapon.ROCKET, ext.Weapon.MISSILE, ext.Weapon.MORTAR})
_WILDCARDS: Final = frozenset({ext.Weapon.UNKNOWN, ext.Weapon.MIXED})


def _weapon(value: str) -> ext.Weapon:
    try:
        return ext.Weapon(value)
    except ValueError:
        return ext.Weapon.UNKNOWN


def weapon_family(value: str) -> str | None:
    """The family a weapon matches within; None for unknown and mixed, which match anything."""
    w = _weapon(value)
    if w in _WILDCARDS:
        return None
    return "indirect_fire" if w in _INDIRECT_FIRE else w.value


def weapons_agree(a: str, b: str) -> bool:
    """Rocket, missile and mortar are one family (outlets mix the words); unknown and mixed agree."""
    fa, fb = weapon_family(a), weapon_family(b)
    return fa is None or fb is None or fa == fb


# --- candidate lookup -----------------------------------------------------------------------------


def candidate_window(report: IncidentFacts, fallback_date: date | None = None) -> tuple[date, date] | None:
    """The inclusive range of incident dates the store should fetch candidates from.

    A dated report looks one day either side. An undated one falls back to the article's
    publication date, looking two days back (attacks are reported after they happen) and one
    ahead (time zones). None means "do not query": there is no date to look around. Stored
    incidents without a date should be indexed under their first report's publication date.
    """
    if report.date is not None:
        return report.date - timedelta(days=1), report.date + timedelta(days=1)
    if fallback_date is not None:
        return fallback_date - timedelta(days=2), fallback_date + timedelta(days=1)
    return None


def place_keys(
    report: IncidentFacts, same_sites: Sequence[frozenset[str]] = SAME_SITES
) -> tuple[str, ...]:
    """Index keys from most to least precise: bases (with same-site ids), province, country.

    An incident is a candidate when it lies in the window and shares the report's country key
    (area-level rules need every incident of the country; `decide` does the fine matching).
    """
    keys: list[str] = []
    if report.base_id:
        keys.append(f"base:{report.base_id}")
        keys.extend(f"base:{m}" for m in site_mates(report.base_id, same_sites))
    country = _key(report.country)
    province = _key(report.province)
    if country and province:
        keys.append(f"prov:{country}:{province}")
    if country:
        keys.append(f"country:{country}")
    return tuple(keys)


# --- merge ----------------------------------------------------------------------------------------


def merge(existing: IncidentFacts, report: IncidentFacts) -> tuple[IncidentFacts, tuple[Change, ...]]:
    """Fold a report of the same attack into the stored facts, listing what changed.

    Unknowns are filled and casualties take the higher figure (a lower one is not a change).
    Material, worth a version and a reply: killed or wounded become known or rise, a claim
    appears, a count becomes known or rises, an interception is reported, a base becomes known
    where only the area was (a reader who saw "5 rockets" must hear of "8 rockets, intercepted").
    Informational, saved quietly and shown when the alert is next edited: weapon or date becoming
    known (or widening to mixed), launch site, province or country filled in. Known values are never
    overwritten by a different known value: the first outlet's base, date, weapon and claim stand.
    """
    changes: list[Change] = []
    updates: dict[str, FactValue] = {}

    def note(name: str, new: FactValue, material: bool) -> None:
        changes.append(Change(name, getattr(existing, name), new, material))
        updates[name] = new

    if existing.base_id is None and report.base_id is not None:
        note("base_id", report.base_id, True)
        for name in ("lat", "lon", "province", "country"):
            value = getattr(report, name)
            if value is not None and value != getattr(existing, name):
                note(name, value, False)
    else:
        for name in ("province", "country"):
            if getattr(existing, name) is None and getattr(report, name) is not None:
                note(name, getattr(report, name), False)
    if existing.date is None and report.date is not None:
        note("date", report.date, False)
    if _weapon(existing.weapon) is ext.Weapon.UNKNOWN and _weapon(report.weapon) is not ext.Weapon.UNKNOWN:
        note("weapon", report.weapon, False)
    elif _weapon(report.weapon) is ext.Weapon.MIXED and _weapon(existing.weapon) is not ext.Weapon.MIXED:
        # "drones and rockets": the fuller account of the weapons, so that a later outlet that names only the
        # rockets still finds the attack
        note("weapon", report.weapon, False)
    if report.count is not None and (existing.count is None or report.count > existing.count):
        note("count", report.count, True)
    for name in ("killed", "wounded"):
        old, new = getattr(existing, name), getattr(report, name)
        if new is not None and (old is None or new > old):
            note(name, new, True)
    if report.intercepted and not existing.intercepted:
        note("intercepted", True, True)
    if existing.claimed_by is None and report.claimed_by:
        note("claimed_by", report.claimed_by, True)
    if existing.launch_site is None and report.launch_site:
        note("launch_site", report.launch_site, False)
    merged = replace(existing, **updates)  # type: ignore[arg-type]
    return merged, tuple(changes)


def consensus_base(named: Sequence[tuple[str, str | None]], current: str | None) -> str | None:
    """The base the most outlets name, from (outlet, base id) per report; the stored one keeps a tie.

    Reports only merge when their bases are one site or near (Harir air base and Erbil's airport, the Victory
    base and Baghdad's airport), and the first outlet's name is often the loose one: when more outlets name
    the other base, the alert follows them. One outlet's several reports count once."""
    outlets: dict[str, set[str]] = {}
    for outlet, base in named:
        if base is not None:
            outlets.setdefault(base, set()).add(outlet)
    if not outlets:
        return current
    held = len(outlets.get(current, ())) if current is not None else 0
    best = max(outlets, key=lambda b: (len(outlets[b]), b == current))
    return best if len(outlets[best]) > held else current


# --- decide ---------------------------------------------------------------------------------------

_STAGES: Final = (
    Reason.DIFFERENT_PLACE,
    Reason.DATE_UNKNOWN,
    Reason.DATE_TOO_FAR,
    Reason.WEAPON_FAMILY_DIFFERS,
    Reason.TARGET_KIND_DIFFERS,
)
"""Rejection reasons in check order; a later one means the candidate came closer."""


@dataclass(frozen=True, slots=True)
class _Match:
    rank: tuple[int, float, int, int, int]
    candidate: Candidate


def _check(
    report: IncidentFacts,
    cand: Candidate,
    max_km: float,
    same_sites: Sequence[frozenset[str]],
) -> _Match | Reason:
    """Match one candidate, or say which rule rejects it."""
    facts = cand.facts
    place = match_place(report, facts, max_km=max_km, same_sites=same_sites)
    if place is None:
        return Reason.DIFFERENT_PLACE
    how, km = place
    if report.date is not None and facts.date is not None:
        gap = abs((report.date - facts.date).days)
        if gap > 1:
            return Reason.DATE_TOO_FAR
    elif how is PlaceMatch.AREA:
        return Reason.DATE_UNKNOWN
    else:
        gap = 2  # an unknown date ranks after every known one
    if not weapons_agree(report.weapon, facts.weapon):
        return Reason.WEAPON_FAMILY_DIFFERS
    if report.target_kind != facts.target_kind and not _one_unplaced_attack(report, facts):
        return Reason.TARGET_KIND_DIFFERS
    same_weapon = 0 if report.weapon == facts.weapon else 1
    return _Match((int(how), km, gap, same_weapon, cand.id), cand)


def _one_unplaced_attack(a: IncidentFacts, b: IncidentFacts) -> bool:
    """Neither names a base and both name the same weapon (a suicide bomber, a roadside bomb): outlets call the
    troops hit a patrol, a convoy or a post, and the kind they chose does not make two attacks."""
    kinds = {a.target_kind, b.target_kind}
    return (a.base_id is None and b.base_id is None and kinds <= {"base", "convoy", "force"}
            and weapon_family(a.weapon) is not None and weapon_family(a.weapon) == weapon_family(b.weapon))


def decide(
    report: IncidentFacts,
    candidates: Sequence[Candidate],
    *,
    max_km: float = SHIPPED_MAX_KM,
    same_sites: Sequence[frozenset[str]] = SAME_SITES,
) -> Decision:
    """Decide a report against the stored incidents the store found near it (see module rules)."""
    if report.base_id is None and report.country is None:
        return Decision(DecisionKind.IGNORE, Reason.NO_PLACE)
    if report.base_id is None and report.date is None:
        return Decision(DecisionKind.IGNORE, Reason.TOO_VAGUE)
    if not candidates:
        return Decision(DecisionKind.NEW, Reason.NO_CANDIDATES, merged=report)

    matches: list[_Match] = []
    closest = Reason.DIFFERENT_PLACE
    for cand in candidates:
        result = _check(report, cand, max_km, same_sites)
        if isinstance(result, _Match):
            matches.append(result)
        elif _STAGES.index(result) > _STAGES.index(closest):
            closest = result
    if not matches:
        return Decision(DecisionKind.NEW, closest, merged=report)
    if report.base_id is None and len({m.candidate.id for m in matches}) > 1:
        return Decision(DecisionKind.IGNORE, Reason.AMBIGUOUS_AREA)

    best = min(matches, key=lambda m: m.rank).candidate
    merged, changes = merge(best.facts, report)
    if any(c.material for c in changes):
        return Decision(
            DecisionKind.UPDATE, Reason.NEW_MATERIAL_FACTS, best.id, changes, merged, best.version + 1
        )
    return Decision(DecisionKind.SAME, Reason.SAME_ATTACK_NO_NEW_FACTS, best.id, changes, merged, best.version)
