"""Rasad's extractor: Arabic or English news text in, attacks on US and coalition bases out (pure, no I/O)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from extractor.types import Evidence, Incident, Place, TargetKind, Weapon

if TYPE_CHECKING:
    from extractor.trace import ClauseTrace

__all__ = [
    "Evidence", "Incident", "Place", "TargetKind", "Weapon", "arabic_place_name", "explain", "extract",
    "extract_claims", "extract_strict",
]


def extract_strict(
    text: str, published: date, title: str | None = None, *, lang: str | None = None
) -> list[Incident]:
    """Every attack on a US or coalition target the article reports, one Incident per attack.

    `lang` ('ar' or 'en', as a feed declares it) picks the reader; without it the article's script does.

    Raises `extractor.explanation.ExtractionError` (naming the function that failed and the sentence) when the
    reader crashes: the service catches it, logs it once per article and counts it; tests see it.
    """
    from extractor.explanation import read_traced
    from extractor.trace import Tracer

    return read_traced(text, published, title, Tracer(), lang)


def extract(
    text: str, published: date, title: str | None = None, *, lang: str | None = None
) -> list[Incident]:
    """`extract_strict`, forgiving: a crash returns [] (for callers with no way to report one, such as a
    script over a corpus). The service calls `extract_strict` so that a crash is logged and counted."""
    from extractor.explanation import ExtractionError

    try:
        return extract_strict(text, published, title, lang=lang)
    except ExtractionError:
        return []


def explain(
    text: str, published: date, title: str | None = None, *, lang: str | None = None
) -> list[ClauseTrace]:
    """Why the article was read as it was: each clause with the rules fired on it in order and its outcome
    (reported in incident N, rejected by rule R, a follow-up, ...). Reads exactly as `extract` does; raises
    ExtractionError where `extract_strict` would."""
    from extractor.explanation import explain_all

    return explain_all(text, published, title, lang=lang).clauses


def arabic_place_name(name: str) -> str | None:
    """The Arabic spelling of an English place name the extractor produces (a launch site such as "Zummar"
    or "northern Iraq", a base, a province), for alerts written in Arabic; None when the name is unknown."""
    from extractor.place_names import arabic_place_name as lookup

    return lookup(name)


def extract_claims(text: str, published: date, group: str | None = None) -> list[Incident]:
    """The operations an armed group's claim post announces, as Incidents with `is_claim` set and
    `claimed_by` the group the post names (else `group`, the channel's). Never raises."""
    from extractor.ar.claims import extract_claims as read_claims

    return read_claims(text, published, group)
