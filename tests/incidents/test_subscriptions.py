"""Which chats want an incident: one commented row per rule of `wants`."""

from __future__ import annotations

import pytest

from bot.incidents.subscriptions import Filters, wants

ALL = Filters()


@pytest.mark.parametrize(
    ("filters", "country", "kind", "expected"),
    [
        (ALL, "iraq", "base", True),  # no filter: every incident
        (ALL, None, "base", True),  # no filter: even one whose country is unknown
        (Filters(active=False), "iraq", "base", False),  # an inactive subscription gets nothing
        (Filters(countries=("syria",)), "iraq", "base", False),  # another country than the ones chosen
        (Filters(countries=("syria",)), "syria", "base", True),  # one of the chosen countries
        (Filters(countries=("syria",)), None, "base", False),  # unknown country does not pass a country filter
        (Filters(countries=("other",)), "qatar", "base", True),  # "elsewhere" covers countries outside the main three
        (Filters(countries=("other",)), "iraq", "base", False),  # ... but not the main three
        (Filters(countries=("iraq", "other")), "kuwait", "base", True),  # a main country plus elsewhere
        (Filters(include_convoy=False), "iraq", "convoy", False),  # convoys switched off
        (Filters(include_convoy=False), "iraq", "base", True),  # ... bases still come
        (Filters(include_diplomatic=False), "iraq", "diplomatic", False),  # embassies switched off
        (Filters(include_diplomatic=False), "iraq", "convoy", True),  # ... convoys still come
    ],
)
def test_wants(filters: Filters, country: str | None, kind: str, expected: bool) -> None:
    assert wants(filters, country=country, target_kind=kind) is expected

