"""The extractor's public value types: frozen, hashable, free of I/O.

They are the contract between the extractor and the service (`bot/`), and the shape of
`rasad extract --json`, so fields are only ever added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Weapon(StrEnum):
    """What was fired; rocket, missile and mortar form one family for matching."""

    ROCKET = "rocket"
    MISSILE = "missile"
    MORTAR = "mortar"
    DRONE = "drone"
    IED = "ied"
    GUNFIRE = "gunfire"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class TargetKind(StrEnum):
    """What kind of target; subscribers filter on it."""

    BASE = "base"
    CONVOY = "convoy"
    DIPLOMATIC = "diplomatic"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a site that hosts (or hosted) US or coalition forces."""

    id: str
    name_en: str
    name_ar: str
    country: str
    province_en: str
    province_ar: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence quoted from the original text, with its offsets in that text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Incident:
    """One attack on a US or coalition target, as one article reports it."""

    base: Place | None
    country: str | None
    target_kind: TargetKind = TargetKind.BASE
    date: date | None = None
    weapon: Weapon = Weapon.UNKNOWN
    count: int | None = None
    killed: int | None = None
    wounded: int | None = None
    intercepted: bool = False
    claimed_by: str | None = None
    launch_site: str | None = None
    sources: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = field(default=())
    confidence: float = 0.5
    # The province of the base, or, when no base is named ("a US base in Anbar"), the one the article names.
    province_en: str | None = None
    province_ar: str | None = None
    is_claim: bool = False  # read from an armed group's own claim post (extractor.ar.claims), not from news
