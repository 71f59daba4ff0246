"""Provinces named by region words: where an attack on an unnamed base happened (issue 12 item 5).

An article that says only "a US base in Anbar" gives no site, but a subscriber should still learn the province.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from extractor.normalize import fold


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str, str]]:
    """Folded region word → (province in English, in Arabic, country)."""
    raw = json.loads(resources.files("extractor").joinpath("data/provinces.json").read_text("utf-8"))
    out: dict[str, tuple[str, str, str]] = {}
    for p in raw["provinces"]:
        for w in p["words"]:
            out.setdefault(fold(w), (p["en"], p["ar"], p["country"]))
    return out


def province_of(words: Iterable[str], country: str | None) -> tuple[str, str] | None:
    """The province (English, Arabic) of the first region word that lies in one of `country`, in the order given."""
    table = _table()
    for w in words:
        hit = table.get(fold(w))
        if hit is not None and (country is None or hit[2] == country):
            return hit[0], hit[1]
    return None


@lru_cache(maxsize=1)
def provinces() -> tuple[tuple[str, str, str], ...]:
    """Every province as (English name, Arabic name, country), in data order."""
    raw = json.loads(resources.files("extractor").joinpath("data/provinces.json").read_text("utf-8"))
    return tuple((p["en"], p["ar"], p["country"]) for p in raw["provinces"])


__all__ = ["province_of", "provinces"]
