"""Matching predicted incidents to expected ones, shared by the dev-corpus test, the case runner and the bench.

The rules follow shared/corpus/README.md: same place, dates within one day when both are known, and a
weapon family that agrees (rocket, missile and mortar are one family; unknown and mixed agree with anything).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from extractor import Incident
from extractor.merge import weapon_compatible

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "corpus" / "dev"


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
