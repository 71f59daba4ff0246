"""Matching predicted incidents to expected ones, shared by the dev-corpus test, the case runner and the bench.

The rules follow shared/corpus/README.md: same place, dates within one day when both are known, and a
weapon family that agrees (rocket, missile and mortar are one family; unknown and mixed agree with anything).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extractor import Incident
from extractor.merge import weapon_compatible

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "corpus" / "dev"
CASES = Path(__file__).resolve().parent / "cases"
CHECKED = (
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
    fields: dict[str, object]


def matches(p: Incident, e: Expected) -> bool:
    """Same base id (or both without base in the same country), dates within a day, weapon family agrees."""
    pid = p.base.id if p.base else ""
    if pid != e.base:
        return False
    if not pid and e.country and p.country != e.country:
        return False
    if p.date is not None and e.date is not None and abs((p.date - e.date).days) > 1:
        return False
    return e.weapon is None or weapon_compatible(str(p.weapon), e.weapon)


def field_value(p: Incident, key: str) -> object:
    """A predicted field as the expectations write it (enums as strings, dates as dates)."""
    v = getattr(p, key)
    if key in ("weapon", "target_kind"):
        return str(v)
    return v


def agreement(p: Incident, e: Expected) -> int:
    """How many checked fields agree: used to pick among several matching candidates."""
    return sum(1 for k, v in e.fields.items() if field_value(p, k) == v)


def assign(pred: list[Incident], exp: list[Expected]) -> list[tuple[int, int]]:
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


@dataclass(frozen=True)
class Case:
    """One article with its expectations."""

    name: str
    published: date
    title: str | None
    text: str
    expect: list[Expected]


def _value(v: object) -> object:
    return None if v == "none" else v


def load_case(path: Path) -> Case:
    """Parse a case file (front matter + article)."""
    raw = path.read_text("utf-8")
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ValueError(f"{path.name}: must start with a '+++' line")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    meta = tomllib.loads("\n".join(lines[1:end]))
    text = "\n".join(lines[end + 1:])
    expect: list[Expected] = []
    for e in meta.get("expect", []):
        fields = {k: _value(e[k]) for k in CHECKED if k in e}
        d = e.get("date")
        expect.append(Expected(
            base=str(e.get("base", "")),
            country=str(e["country"]) if e.get("country") not in (None, "none") else None,
            date=d if isinstance(d, date) else None,
            weapon=str(e["weapon"]) if e.get("weapon") not in (None, "none") else None,
            fields=fields,
        ))
    published = meta["published"]
    assert isinstance(published, date), f"{path.name}: published must be a TOML date"
    return Case(path.name, published, meta.get("title"), text, expect)


def describe(p: Incident) -> str:
    return (f"{p.base.id if p.base else '-'} {p.country} {p.target_kind} {p.date} {p.weapon} count={p.count} "
            f"killed={p.killed} wounded={p.wounded} intercepted={p.intercepted} claim={p.claimed_by} "
            f"launch={p.launch_site}")


def compare(case: Case, pred: list[Incident]) -> list[str]:
    """Every way `pred` differs from the case's expectations: missed, unexpected, and wrong fields."""
    problems: list[str] = []
    pairs = assign(pred, case.expect)
    matched_e = {ei for ei, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for ei, e in enumerate(case.expect):
        if ei not in matched_e:
            problems.append(f"missed: base={e.base or '-'} date={e.date} weapon={e.weapon}")
    for pi, p in enumerate(pred):
        if pi not in matched_p:
            problems.append(f"unexpected: {describe(p)}")
    for ei, pi in pairs:
        e, p = case.expect[ei], pred[pi]
        for k, v in e.fields.items():
            got = field_value(p, k)
            if got != v:
                problems.append(f"{e.base or '-'} {e.date}: {k} expected {v!r}, got {got!r}")
    return problems
