"""Matching predicted incidents to expected ones, shared by the dev-corpus test, the case runner and the bench.

The rules live in bot/evaluation/score.py (the scorer of `rasad eval`); this module adapts the extractor's
Incident to it, so the tests and `rasad eval` cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.evaluation import score
from bot.evaluation.score import Expected

if TYPE_CHECKING:  # not at run time: holdout_score.py --code imports this before choosing the extractor
    from extractor import Incident

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "corpus" / "dev"

__all__ = ["DEV", "SHARED", "Expected", "agreement", "assign", "field_value", "matches"]


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
