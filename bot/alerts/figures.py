"""When outlets disagree on a figure: the latest official one, else the range they span.

Merging keeps the highest casualty figure and the first count, which is right for deciding
whether to send an update but wrong to show as the fact: a reader must see "3–5 killed" when
outlets disagree, or the figure an official body gave last, never silently one outlet's number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

OFFICIAL_SOURCES: Final = frozenset({"CENTCOM", "Pentagon", "Coalition", "Iraqi Security Media Cell"})
"""Cited sources (the extractor's lexicon labels) whose figures are official statements."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One outlet's figure for one fact, when it was reported, and whether it cites an official body."""

    value: int
    at: datetime
    official: bool = False


@dataclass(frozen=True, slots=True)
class Figure:
    """What to show: one figure when low == high, else a range; `official` when an official body gave it."""

    low: int
    high: int
    official: bool = False


def reconcile(readings: Sequence[Reading]) -> Figure | None:
    """The figure to show for one fact from every outlet's reading of it (None when nobody gave one).

    An official reading wins, the latest one (officials revise their counts); otherwise outlets
    that agree give one figure and outlets that disagree give the range from lowest to highest.
    """
    if not readings:
        return None
    official = [r for r in readings if r.official]
    if official:
        latest = max(official, key=lambda r: r.at)
        return Figure(latest.value, latest.value, official=True)
    values = [r.value for r in readings]
    return Figure(min(values), max(values))


def is_official(cited: Sequence[str]) -> bool:
    """Whether a report cites an official body for its facts."""
    return any(c in OFFICIAL_SOURCES for c in cited)
