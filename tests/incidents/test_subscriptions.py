"""Which chats want an incident: one commented row per rule of `wants`."""

from __future__ import annotations

import pytest

from bot.incidents.subscriptions import Filters, in_quiet_hours, keywords_admit, silent, wants

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



AT_ASAD = {"country": "iraq", "target_kind": "base", "base_id": "ain-al-asad", "province": "Anbar"}


@pytest.mark.parametrize(
    ("filters", "facts", "expected"),
    [
        (Filters(bases=("ain-al-asad",)), {}, True),  # one of the chosen bases
        (Filters(bases=("tower-22",)), {}, False),  # another base
        (Filters(bases=("tower-22",)), {"base_id": None}, False),  # no named base does not pass a base filter
        (Filters(provinces=("Anbar",)), {"base_id": None}, True),  # an unnamed site in a chosen province
        (Filters(provinces=("Erbil",)), {}, False),
        (Filters(bases=("tower-22",), provinces=("Anbar",)), {}, True),  # bases and provinces: either place passes
        (Filters(bases=("ain-al-asad",), countries=("syria",)), {}, False),  # ... and countries still apply
        (Filters(weapons=("drone",)), {"weapon": "drone"}, True),
        (Filters(weapons=("drone",)), {"weapon": "rocket"}, False),
        (Filters(weapons=("drone",)), {"weapon": "mixed"}, True),  # several weapons: one may be the chosen one
        (Filters(weapons=("drone",)), {"weapon": "unknown"}, False),  # not known yet: held until an update says
        (Filters(casualties_only=True), {}, False),  # nobody reported hurt
        (Filters(casualties_only=True), {"killed": 0, "wounded": 0}, False),  # "no casualties" is not casualties
        (Filters(casualties_only=True), {"wounded": 2}, True),
        (Filters(casualties_only=True), {"killed": 1}, True),
        (Filters(casualties_only=True, weapons=("rocket",)), {"weapon": "drone", "killed": 3}, False),  # all apply
    ],
)
def test_place_weapon_and_casualty_filters(filters: Filters, facts: dict[str, object], expected: bool) -> None:
    assert wants(filters, **{**AT_ASAD, **facts}) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("include", "exclude", "text", "expected"),
    [
        ((), (), "anything", True),  # no keywords: everything
        (("drone",), (), "Two drones hit the base", True),  # part of a word counts ("drone" in "drones")
        (("Drone",), (), "DRONE attack", True),  # case does not matter
        (("drone",), (), "Rocket attack", False),  # an include list needs one of its words
        (("drone", "rocket"), (), "Rocket attack", True),  # any one of them
        ((), ("exercise",), "A planned exercise at the base", False),  # an exclude word blocks
        (("rocket",), ("exercise",), "rocket exercise", False),  # exclude wins over include
        (("مسيرة",), (), "هجوم بطائرة مسيّرة على القاعدة", True),  # diacritics are folded
        (("الأسد",), (), "قاعدة عين الاسد", True),  # hamza forms are folded
        (("ain  al-asad",), (), "Ain al-Asad Air Base", True),  # spaces are one space
        (("a.b",), (), "axb", False),  # plain words: a dot is a dot, not a pattern
    ],
)
def test_keywords_admit(include: tuple[str, ...], exclude: tuple[str, ...], text: str, expected: bool) -> None:
    assert keywords_admit(include, exclude, text) is expected


@pytest.mark.parametrize(
    ("start", "end", "hour", "expected"),
    [
        (None, None, 3, False),  # no quiet hours
        (22, 7, 23, True),  # past midnight: late evening
        (22, 7, 3, True),  # ... and small hours
        (22, 7, 7, False),  # the end hour is no longer quiet
        (22, 7, 21, False),
        (0, 6, 0, True),  # within one day
        (0, 6, 6, False),
        (5, 5, 5, False),  # an empty span
    ],
)
def test_in_quiet_hours(start: int | None, end: int | None, hour: int, expected: bool) -> None:
    assert in_quiet_hours(start, end, hour) is expected


@pytest.mark.parametrize(
    ("is_update", "silent_updates", "quiet", "expected"),
    [
        (False, False, False, False),  # an alert by day rings
        (False, True, False, False),  # "silent updates" leaves first alerts ringing
        (True, True, False, True),  # ... and silences the update replies
        (True, False, False, False),
        (False, False, True, True),  # quiet hours silence everything
        (True, False, True, True),
    ],
)
def test_silent(is_update: bool, silent_updates: bool, quiet: bool, expected: bool) -> None:
    assert silent(is_update=is_update, silent_updates=silent_updates, quiet=quiet) is expected
