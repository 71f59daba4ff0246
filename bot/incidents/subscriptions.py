"""Which subscribed chats want an incident: pure decisions, table-tested.

`wants` decides on the incident's stored facts when the pipeline queues alerts; `keywords_admit`
decides on the alert's own words when the sender has rendered them; `in_quiet_hours` and `silent`
decide whether a message goes out without a notification sound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from extractor.normalize import fold

MAIN_COUNTRIES: Final = ("iraq", "syria", "jordan")
"""Where most attacks happen; a chat filters on these one by one."""
ELSEWHERE: Final = "other"
"""The filter key for every other country (a named US base in Qatar, Kuwait, the UAE, ...)."""
WEAPON_KEYS: Final = ("rocket", "missile", "drone", "mortar", "ied", "gunfire")
"""The weapons a chat can filter on (stored weapon keys). "mixed" passes any weapon filter; "unknown" none."""
KEYWORDS_MAX: Final = 10
"""Words per list (include, exclude)."""
KEYWORD_MIN, KEYWORD_MAX_CHARS = 2, 40


@dataclass(frozen=True, slots=True)
class Filters:
    """A chat's choices; an empty tuple lets everything through.

    countries: country keys (ELSEWHERE for the rest); bases: gazetteer ids; provinces: English names as
    incidents store them; weapons: WEAPON_KEYS. Bases and provinces both say where: an incident passes
    when it is at one of the bases or in one of the provinces.
    """

    active: bool = True
    countries: tuple[str, ...] = ()
    include_convoy: bool = True
    include_diplomatic: bool = True
    bases: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    casualties_only: bool = False


def wants(
    filters: Filters,
    *,
    country: str | None,
    target_kind: str,
    base_id: str | None = None,
    province: str | None = None,
    weapon: str | None = None,
    killed: int | None = None,
    wounded: int | None = None,
) -> bool:
    """True when a chat with these filters should receive an alert about this incident."""
    if not filters.active:
        return False
    if target_kind == "convoy" and not filters.include_convoy:
        return False
    if target_kind == "diplomatic" and not filters.include_diplomatic:
        return False
    if filters.countries:
        if country is None:
            return False
        if not (country in filters.countries or (ELSEWHERE in filters.countries and country not in MAIN_COUNTRIES)):
            return False
    if filters.bases or filters.provinces:
        at_base = base_id is not None and base_id in filters.bases
        in_province = province is not None and province in filters.provinces
        if not (at_base or in_province):
            return False
    if filters.weapons and weapon != "mixed" and weapon not in filters.weapons:
        return False
    return not (filters.casualties_only and not ((killed or 0) > 0 or (wounded or 0) > 0))


def keyword_key(word: str) -> str:
    """A keyword or a text as compared: Arabic letter variants and diacritics folded, lower case, one space."""
    return " ".join(fold(word).split())


def keywords_admit(include: Sequence[str], exclude: Sequence[str], text: str) -> bool:
    """Whether an alert's text passes a chat's keywords: plain words, no patterns.

    With include words, one of them must occur in the text; no exclude word may occur. A word occurs
    when it is part of the text after folding ("drone" occurs in "drones", "مسيرة" in "المسيّرة").
    """
    hay = keyword_key(text)
    if any(k and keyword_key(k) in hay for k in exclude):
        return False
    return not include or any(k and keyword_key(k) in hay for k in include)


def in_quiet_hours(quiet_from: int | None, quiet_to: int | None, hour: int) -> bool:
    """Whether a local hour (0–23) lies in the quiet hours [from, to); they may run past midnight (22 → 7)."""
    if quiet_from is None or quiet_to is None or quiet_from == quiet_to:
        return False
    if quiet_from < quiet_to:
        return quiet_from <= hour < quiet_to
    return hour >= quiet_from or hour < quiet_to


def silent(*, is_update: bool, silent_updates: bool, quiet: bool) -> bool:
    """Whether a message goes out without a sound: during quiet hours, and update replies when chosen."""
    return quiet or (is_update and silent_updates)
