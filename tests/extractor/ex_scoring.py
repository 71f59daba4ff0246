"""Matching predicted incidents to expected ones, shared by the dev-corpus test, the case runner and the bench.

The rules live in bot/evaluation/score.py (the scorer of `rasad eval`); this module adapts the extractor's
Incident to it, so the tests and `rasad eval` cannot drift apart.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.evaluation import score
from bot.evaluation.score import Expected

if TYPE_CHECKING:  # not at run time: holdout_score.py --code imports this before choosing the extractor
    from extractor import Incident

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "corpus" / "dev"
CASES = Path(__file__).resolve().parent / "cases"
CHECKED = (
    "country", "target_kind", "date", "weapon", "count", "killed", "wounded", "intercepted", "claimed_by",
    "launch_site",
)

__all__ = [
    "CASES", "DEV", "SHARED", "Case", "Expected", "agreement", "assign", "compare", "field_value", "load_case",
    "matches",
]


def matches(p: Incident, e: Expected) -> bool:
    """Same base id (or both without base in the same country), dates within a day, weapon family agrees."""
    return score.matches(score.predicted(p), e)


def field_value(p: Incident, key: str) -> object:
    """A predicted field as the expectations write it (enums as strings, dates as dates)."""
    values = score.predicted(p).fields
    return values[key] if key in values else getattr(p, key)


def agreement(p: Incident, e: Expected) -> int:
    """How many checked fields agree: used to pick among several matching candidates."""
    return score.agreement(score.predicted(p), e)


def assign(pred: list[Incident], exp: list[Expected]) -> list[tuple[int, int]]:
    """Pairs (expected index, predicted index), each used once, best field agreement first."""
    return score.assign([score.predicted(p) for p in pred], exp)


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
