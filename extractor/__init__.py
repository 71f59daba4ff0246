"""Rasad's extractor: Arabic news text in, attacks on US and coalition bases out (pure, no I/O)."""

from __future__ import annotations

from datetime import date

from extractor.types import Evidence, Incident, Place, TargetKind, Weapon

__all__ = ["Evidence", "Incident", "Place", "TargetKind", "Weapon", "extract"]


def extract(text: str, published: date, title: str | None = None) -> list[Incident]:
    """Placeholder until the Arabic reader lands."""
    return []
