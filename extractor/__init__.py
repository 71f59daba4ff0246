"""Rasad's extractor: Arabic news text in, attacks on US and coalition bases out (pure, no I/O)."""

from __future__ import annotations

from datetime import date

from extractor.types import Evidence, Incident, Place, TargetKind, Weapon

__all__ = ["Evidence", "Incident", "Place", "TargetKind", "Weapon", "arabic_place_name", "extract", "extract_claims"]


def extract(text: str, published: date, title: str | None = None) -> list[Incident]:
    """Every attack on a US or coalition target the article reports, one Incident per attack.

    Never raises: the poller feeds it whatever a site serves, and one odd page must not stop a feed.
    """
    from extractor.dispatch import read_any

    try:
        return read_any(text if isinstance(text, str) else "", published, title)
    except Exception:  # a reading bug must cost one article, not the service
        return []


def arabic_place_name(name: str) -> str | None:
    """The Arabic spelling of an English place name the extractor produces (a launch site such as "Zummar"
    or "northern Iraq", a base, a province), for alerts written in Arabic; None when the name is unknown."""
    from extractor.place_names import arabic_place_name as lookup

    return lookup(name)


def extract_claims(text: str, published: date, group: str | None = None) -> list[Incident]:
    """The operations an armed group's claim post announces, as Incidents with `is_claim` set and
    `claimed_by` the group the post names (else `group`, the channel's). Never raises."""
    from extractor.claims import extract_claims as read_claims

    return read_claims(text, published, group)
