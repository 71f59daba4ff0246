"""Scoring predictions against gold labels: pure functions, by the rules of shared/corpus/README.md.

A prediction matches a labelled incident when the base is the same gazetteer place (or neither names one and
the countries agree), the dates are within one day (when both are known), and the weapon family agrees
(rocket, missile and mortar are one family; unknown and mixed agree with anything). This module is the one
source of those rules: `rasad eval`, the dev-corpus test, the case runner and the holdout script all use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractor import Incident

FIELDS = ("country", "count", "killed", "wounded", "claimed_by")
"""The facts scored on matched incidents (how often each is right); gold reads them under these names."""

_PREDICTED_FIELDS = (
    "country", "target_kind", "date", "weapon", "count", "killed", "wounded", "intercepted", "claimed_by",
    "launch_site",
)


@dataclass(frozen=True)
class Expected:
    """One expected incident: the place id ('' for none), and the fields to check (absent = unchecked)."""

    base: str
    country: str | None
    date: date | None
    weapon: str | None
    fields: Mapping[str, object]
    cluster: str = ""


@dataclass(frozen=True)
class Predicted:
    """One predicted incident (from the extractor or from a stored alert), reduced to what scoring reads."""

    base: str
    country: str | None
    date: date | None
    weapon: str
    fields: Mapping[str, object]
    evidence: tuple[str, ...] = ()
    ref: str = ""


def predicted(inc: Incident, ref: str = "") -> Predicted:
    """An extractor Incident as the scorer sees it (enums as strings, evidence sentences kept for -v)."""
    values: dict[str, object] = {}
    for key in _PREDICTED_FIELDS:
        v = getattr(inc, key)
        values[key] = str(v) if key in ("weapon", "target_kind") else v
    return Predicted(
        base=inc.base.id if inc.base else "",
        country=inc.country,
        date=inc.date,
        weapon=str(inc.weapon),
        fields=values,
        evidence=tuple(e.text for e in inc.evidence),
        ref=ref,
    )


def matches(p: Predicted, e: Expected) -> bool:
    """Same base id (or both without base in the same country), dates within a day, weapon family agrees."""
    if p.base != e.base:
        return False
    if not p.base and e.country and p.country != e.country:
        return False
    if p.date is not None and e.date is not None and abs((p.date - e.date).days) > 1:
        return False
    return e.weapon is None or _weapons_agree(p.weapon, e.weapon)


def _weapons_agree(a: str, b: str) -> bool:
    """The extractor's own family rule. Imported when first used, not with this module, so that
    tests/extractor/holdout_score.py --code can load this scorer first and an older extractor after it."""
    from extractor.merge import weapon_compatible

    return weapon_compatible(a, b)


def same_value(got: object, want: object) -> bool:
    """Field equality; names compare without case or surrounding space ('Kataib Hezbollah' = 'kataib hezbollah')."""
    if isinstance(got, str) and isinstance(want, str):
        return got.strip().casefold() == want.strip().casefold()
    return got == want


def agreement(p: Predicted, e: Expected) -> int:
    """How many checked fields agree: used to pick among several matching candidates."""
    return sum(1 for k, v in e.fields.items() if same_value(p.fields.get(k), v))


def assign(pred: Sequence[Predicted], exp: Sequence[Expected]) -> list[tuple[int, int]]:
    """Pairs (expected index, predicted index), each used once, best field agreement first."""
    cands = [
        (agreement(p, e), ei, pi)
        for ei, e in enumerate(exp)
        for pi, p in enumerate(pred)
        if matches(p, e)
    ]
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_e: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, ei, pi in cands:
        if ei in used_e or pi in used_p:
            continue
        used_e.add(ei)
        used_p.add(pi)
        out.append((ei, pi))
    return out


# --- extraction: precision, recall, F1, field accuracy ---------------------------------------------------


def _ratio(a: int, b: int, empty: float = 1.0) -> float:
    return a / b if b else empty


@dataclass
class Tally:
    """Counts that add up across articles (micro-averaging)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    seen: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))

    @property
    def precision(self) -> float:
        """Share of counted predictions that match a labelled incident (1.0 when nothing was predicted)."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """Share of labelled incidents found (1.0 when there were none)."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, key: str) -> float | None:
        """Share of matched incidents whose `key` is right; None when no matched incident labels it."""
        return self.right[key] / self.seen[key] if self.seen[key] else None

    def add(self, other: Tally) -> None:
        """Add another tally into this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for k in FIELDS:
            self.right[k] += other.right[k]
            self.seen[k] += other.seen[k]


@dataclass
class FieldMiss:
    """A matched incident with a field wrong."""

    key: str
    want: object
    got: object


@dataclass
class ArticleScore:
    """One article: its tally, the labelled incidents missed, the predictions that are false."""

    id: str
    lang: str
    tally: Tally
    missed: list[Expected]
    false: list[Predicted]
    optional: int
    wrong_fields: list[tuple[Expected, Predicted, list[FieldMiss]]]


def score_article(
    article_id: str,
    lang: str,
    pred: Sequence[Predicted],
    incidents: Sequence[Expected],
    optional: Sequence[Expected] = (),
    fields: Sequence[str] = FIELDS,
) -> ArticleScore:
    """Match predictions to labelled incidents; a prediction matching only an optional entry counts neither way."""
    pairs = assign(pred, incidents)
    used = {pi for _, pi in pairs}
    rest = [pi for pi in range(len(pred)) if pi not in used]
    opt_pairs = assign([pred[pi] for pi in rest], optional)
    opt_used = {rest[i] for _, i in opt_pairs}
    tally = Tally(tp=len(pairs), fn=len(incidents) - len(pairs), fp=len(rest) - len(opt_used))
    wrong: list[tuple[Expected, Predicted, list[FieldMiss]]] = []
    for ei, pi in sorted(pairs):
        e, p = incidents[ei], pred[pi]
        misses: list[FieldMiss] = []
        for k in fields:
            if k not in e.fields:
                continue
            tally.seen[k] += 1
            if same_value(p.fields.get(k), e.fields[k]):
                tally.right[k] += 1
            else:
                misses.append(FieldMiss(k, e.fields[k], p.fields.get(k)))
        if misses:
            wrong.append((e, p, misses))
    matched_e = {ei for ei, _ in pairs}
    return ArticleScore(
        id=article_id,
        lang=lang,
        tally=tally,
        missed=[e for ei, e in enumerate(incidents) if ei not in matched_e],
        false=[pred[pi] for pi in rest if pi not in opt_used],
        optional=len(opt_used),
        wrong_fields=wrong,
    )


def total(scores: Iterable[ArticleScore]) -> Tally:
    """The micro-averaged tally of several articles."""
    out = Tally()
    for s in scores:
        out.add(s.tally)
    return out


def by_lang(scores: Sequence[ArticleScore]) -> dict[str, Tally]:
    """One tally per language, in first-seen order."""
    out: dict[str, Tally] = {}
    for s in scores:
        out.setdefault(s.lang, Tally()).add(s.tally)
    return out


# --- replay: what a subscriber receives --------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Gold clusters scored as one attack: one cluster, or clusters the gold lets one alert or several report."""

    name: str
    clusters: frozenset[str]
    incidents: tuple[Expected, ...]


@dataclass
class AlertScore:
    """Alerts sent, and what each was: correct, duplicate, false, or matching only an optional mention."""

    alerts: int
    correct: int
    duplicate: int
    false: int
    optional: int
    groups: int
    alerted: list[str]
    missed: list[Group]
    false_alerts: list[Predicted]
    duplicate_alerts: list[Predicted]
    optional_alerts: list[Predicted] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Correct alerts over alerts sent."""
        return _ratio(self.correct, self.alerts)

    @property
    def recall(self) -> float:
        """Attacks alerted over attacks labelled."""
        return _ratio(len(self.alerted), self.groups)


def groups_of(incidents: Iterable[Expected], either_way: Iterable[frozenset[str]] = ()) -> list[Group]:
    """Clusters joined into groups where the gold accepts either grouping (union of overlapping sets)."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    members: dict[str, list[Expected]] = {}
    for e in incidents:
        members.setdefault(e.cluster, []).append(e)
        find(e.cluster)
    for pair in either_way:
        known = [c for c in sorted(pair) if c in members]
        for c in known[1:]:
            parent[find(c)] = find(known[0])
    joined: dict[str, set[str]] = {}
    for c in members:
        joined.setdefault(find(c), set()).add(c)
    out = [
        Group("+".join(sorted(cs)), frozenset(cs), tuple(e for c in sorted(cs) for e in members[c]))
        for cs in joined.values()
    ]
    return sorted(out, key=lambda g: g.name)


def score_alerts(alerts: Sequence[Predicted], groups: Sequence[Group], optional: Sequence[Expected] = ()) -> AlertScore:
    """Each group may take as many alerts as it has clusters; alerts are assigned to groups so that as many
    as possible count as correct (augmenting paths). A group is alerted when some alert matches it, so an
    accepted merge of two clusters into one alert misses neither. Alerts matching a group beyond its share are
    duplicates; alerts matching nothing labelled are false, unless they match an optional mention."""
    fits = [[gi for gi, g in enumerate(groups) if any(matches(a, e) for e in g.incidents)] for a in alerts]
    slots: list[list[int]] = [[] for _ in groups]  # alerts holding each group's places
    cap = [len(g.clusters) for g in groups]
    holder: dict[int, int] = {}

    def place(ai: int, seen: set[int]) -> bool:
        """Give alert `ai` a group, moving alerts already placed elsewhere when that frees one (Kuhn)."""
        for gi in fits[ai]:
            if gi in seen:
                continue
            seen.add(gi)
            if len(slots[gi]) < cap[gi]:
                slots[gi].append(ai)
                holder[ai] = gi
                return True
            for other in list(slots[gi]):
                if place(other, seen):
                    slots[gi].remove(other)
                    slots[gi].append(ai)
                    holder[ai] = gi
                    return True
        return False

    for ai in range(len(alerts)):
        if fits[ai]:
            place(ai, set())
    covered = {gi for f in fits for gi in f}
    false_alerts = [a for ai, a in enumerate(alerts) if not fits[ai] and not any(matches(a, o) for o in optional)]
    duplicates = [a for ai, a in enumerate(alerts) if fits[ai] and ai not in holder]
    optional_alerts = [a for ai, a in enumerate(alerts) if not fits[ai] and any(matches(a, o) for o in optional)]
    return AlertScore(
        alerts=len(alerts),
        correct=len(holder),
        duplicate=len(duplicates),
        false=len(false_alerts),
        optional=len(optional_alerts),
        groups=len(groups),
        alerted=[groups[gi].name for gi in sorted(covered)],
        missed=[g for gi, g in enumerate(groups) if gi not in covered],
        false_alerts=false_alerts,
        duplicate_alerts=duplicates,
        optional_alerts=optional_alerts,
    )
