"""Which subscribed chats want an incident: a pure decision, table-tested."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

MAIN_COUNTRIES: Final = ("iraq", "syria", "jordan")
"""Where most attacks happen; a chat filters on these one by one."""
ELSEWHERE: Final = "other"
"""The filter key for every other country (a named US base in Qatar, Kuwait, the UAE, ...)."""


@dataclass(frozen=True, slots=True)
class Filters:
    """A chat's choices: countries (empty = all), and whether convoy and diplomatic targets count."""

    active: bool = True
    countries: tuple[str, ...] = ()
    include_convoy: bool = True
    include_diplomatic: bool = True


def wants(filters: Filters, *, country: str | None, target_kind: str) -> bool:
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
        return country in filters.countries or (ELSEWHERE in filters.countries and country not in MAIN_COUNTRIES)
    return True

