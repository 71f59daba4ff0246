"""Arabic spellings for the English place names the extractor writes (launch sites, bases, provinces).

The reader renders a launch site in English when it knows the place ('أطلقت من بلدة زمار' → "Zummar",
'شمال العراق' → "northern Iraq", 'بادية الميادين' → "Mayadin desert"); an Arabic alert must print the
Arabic name instead. The spellings come from the lexicon's `places_en` and the gazetteer, nothing else.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.gazetteer import gazetteer
from extractor.lexicon import lexicon

# The English words the reader puts around a known place (ar/facts.py, _render_site), and their Arabic.
DIRECTIONS_AR = {"northern": "شمال", "southern": "جنوب", "eastern": "شرق", "western": "غرب"}
RURAL_AR = {"desert": "بادية", "countryside": "ريف"}
_ARABIC = re.compile(r"[\u0600-\u06FF]")


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """English name (lower case) → Arabic; the first Arabic spelling listed for a name wins."""
    out: dict[str, str] = {}
    places_en: dict[str, str] = lexicon().raw["places_en"]
    for ar, en in places_en.items():
        out.setdefault(_key(en), ar)
    gz = gazetteer()
    for pid in gz.ids():
        p = gz.get(pid)
        if p is None:
            continue
        out.setdefault(_key(p.name_en), p.name_ar)
        if p.province_en and p.province_ar:
            out.setdefault(_key(p.province_en), p.province_ar)
    return out


def arabic_place_name(name: str) -> str | None:
    """The Arabic spelling of a place name the extractor produces, or None when it is not known.

    "Zummar" → "زمار", "al-Baghdadi" → "البغدادي", "northern Iraq" → "شمال العراق",
    "Mayadin desert" → "بادية الميادين". A name already written in Arabic is returned as it is.
    """
    if not isinstance(name, str) or not name.strip():
        return None
    if _ARABIC.search(name):
        return name.strip()
    table = _table()
    key = _key(name)
    if key in table:
        return table[key]
    head, _, rest = key.partition(" ")
    if head in DIRECTIONS_AR and rest in table:
        return f"{DIRECTIONS_AR[head]} {table[rest]}"
    stem, _, tail = key.rpartition(" ")
    if tail in RURAL_AR and stem in table:
        return f"{RURAL_AR[tail]} {table[stem]}"
    return None


__all__ = ["arabic_place_name"]
