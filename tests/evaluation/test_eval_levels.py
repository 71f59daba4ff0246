"""`rasad eval --replay` per level: which subscribers an incident's ladder reaches (the service's rule)."""

from __future__ import annotations

import pytest

from bot.evaluation.replay import levels_reached


@pytest.mark.parametrize(
    ("ladder", "want"),
    [
        # "claimed" is "any report, claims switched on": it receives all a "reported" chat does
        (["reported"], ("claimed", "reported")),
        (["claimed"], ("claimed",)),
        (["claimed", "reported", "corroborated"], ("claimed", "reported", "corroborated")),
        (["reported", "confirmed"], ("claimed", "reported", "corroborated", "confirmed")),
        (["disputed"], ("claimed", "reported")),
        (["reported", "corroborated", "disputed"], ("claimed", "reported", "corroborated")),
        ([], ()),
    ],
)
def test_levels_reached(ladder: list[str], want: tuple[str, ...]) -> None:
    assert levels_reached([{"status": s, "at": "2024-01-01T00:00:00+00:00"} for s in ladder]) == want
