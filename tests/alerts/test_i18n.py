"""Table tests for the Arabic/English names and Arabic number agreement."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.alerts import i18n
from bot.alerts.i18n import ArNoun, Name
from extractor.types import TargetKind, Weapon

AGREEMENT: list[object] = [
    # One: the noun, then "one" agreeing in gender.
    pytest.param(1, i18n.ROCKET, "صاروخ واحد", id="1-rocket"),
    pytest.param(1, i18n.DRONE, "طائرة مسيّرة واحدة", id="1-drone-fem"),
    pytest.param(1, i18n.SHELL, "قذيفة هاون واحدة", id="1-shell-fem"),
    # Two: the dual alone, no number word.
    pytest.param(2, i18n.ROCKET, "صاروخان", id="2-rocket"),
    pytest.param(2, i18n.DRONE, "طائرتان مسيّرتان", id="2-drone"),
    pytest.param(2, i18n.MISSILE, "صاروخان باليستيان", id="2-missile"),
    # Two in a construct (قذيفتا هاون) drops the nun.
    pytest.param(2, i18n.SHELL, "قذيفتا هاون", id="2-shell"),
    # Three to ten: plural.
    pytest.param(3, i18n.ROCKET, "3 صواريخ", id="3-rocket"),
    pytest.param(10, i18n.SHELL, "10 قذائف هاون", id="10-shell"),
    pytest.param(4, i18n.DRONE, "4 طائرات مسيّرة", id="4-drone"),
    # Eleven to ninety-nine: accusative singular (tanween alif on masculine nouns).
    pytest.param(11, i18n.ROCKET, "11 صاروخاً", id="11-rocket"),
    pytest.param(99, i18n.ROCKET, "99 صاروخاً", id="99-rocket"),
    pytest.param(15, i18n.DRONE, "15 طائرة مسيّرة", id="15-drone"),
    # Hundreds follow the last two digits; 100–102 take the genitive singular.
    pytest.param(100, i18n.ROCKET, "100 صاروخ", id="100"),
    pytest.param(102, i18n.ROCKET, "102 صاروخ", id="102"),
    pytest.param(103, i18n.ROCKET, "103 صواريخ", id="103"),
    pytest.param(111, i18n.ROCKET, "111 صاروخاً", id="111"),
    # Casualty nouns follow the same rules.
    pytest.param(3, i18n.KILLED, "3 قتلى", id="3-killed"),
    pytest.param(40, i18n.WOUNDED, "40 جريحاً", id="40-wounded"),
    pytest.param(2, i18n.WOUNDED, "جريحان", id="2-wounded"),
]


@pytest.mark.parametrize(("n", "noun", "expected"), AGREEMENT)
def test_ar_count(n: int, noun: ArNoun, expected: str) -> None:
    assert i18n.ar_count(n, noun) == expected


def test_ar_count_rejects_negative() -> None:
    with pytest.raises(ValueError):
        i18n.ar_count(-1, i18n.ROCKET)


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        # English picks the plural by number.
        (1, i18n.ROCKET, "1 rocket"),
        (5, i18n.ROCKET, "5 rockets"),
        (2, i18n.SHELL, "2 mortar shells"),
        # Casualty words do not change.
        (1, i18n.KILLED, "1 killed"),
    ],
)
def test_en_count(n: int, noun: ArNoun, expected: str) -> None:
    assert i18n.en_count(n, noun) == expected


@pytest.mark.parametrize(
    ("n", "noun", "suffix"),
    [
        (1, i18n.ROCKET, "ه"),  # one masculine thing
        (1, i18n.DRONE, "ها"),  # one feminine thing
        (2, i18n.ROCKET, "هما"),  # dual
        (5, i18n.ROCKET, "ها"),  # non-human plural takes the feminine singular
        (None, i18n.ROCKET, "ها"),  # unknown count: treated as a plural
    ],
)
def test_ar_object_suffix(n: int | None, noun: ArNoun, suffix: str) -> None:
    assert i18n.ar_object_suffix(n, noun) == suffix


@pytest.mark.parametrize(
    ("d", "ar", "en"),
    [
        # The Rumalan attack: a Sunday in April (Levantine نيسان).
        (date(2024, 4, 21), "الأحد 21 نيسان 2024", "Sun 21 Apr 2024"),
        # January is كانون الثاني, not كانون الأول.
        (date(2022, 1, 5), "الأربعاء 5 كانون الثاني 2022", "Wed 5 Jan 2022"),
        # October and December.
        (date(2023, 10, 17), "الثلاثاء 17 تشرين الأول 2023", "Tue 17 Oct 2023"),
        (date(2023, 12, 25), "الاثنين 25 كانون الأول 2023", "Mon 25 Dec 2023"),
    ],
)
def test_dates(d: date, ar: str, en: str) -> None:
    assert (i18n.format_date_ar(d), i18n.format_date_en(d)) == (ar, en)


Lookup = Callable[[str | None], Name | None]

CLAIMANTS = [
    ("Islamic Resistance in Iraq", "المقاومة الإسلامية في العراق"),
    ("Kataib Hezbollah", "كتائب حزب الله"),
    ("Harakat al-Nujaba", "حركة النجباء"),
    ("Kataib Sayyid al-Shuhada", "كتائب سيد الشهداء"),
    ("Asaib Ahl al-Haq", "عصائب أهل الحق"),
    ("Saraya Awliya al-Dam", "سرايا أولياء الدم"),
    ("Ashab al-Kahf", "أصحاب الكهف"),
    ("Tashkil al-Waritheen", "تشكيل الوارثين"),
    ("Harakat Ansar Allah al-Awfiya", "حركة أنصار الله الأوفياء"),
    ("Kataib al-Imam Ali", "كتائب الإمام علي"),
]


@pytest.mark.parametrize(("en", "ar"), CLAIMANTS)
def test_claimants_both_ways(en: str, ar: str) -> None:
    assert i18n.claimant_name(en) == i18n.Name(ar, en)
    assert i18n.claimant_name(ar) == i18n.Name(ar, en)


@pytest.mark.parametrize(
    ("lookup", "key", "expected"),
    [
        # Claimant spellings fold case, hyphens and hamza forms.
        (i18n.claimant_name, "kataib  HEZBOLLAH", "كتائب حزب الله"),
        (i18n.claimant_name, "اصحاب الكهف", "أصحاب الكهف"),
        # Countries by the extractor's lower-case key, by Arabic variant, by ISO code.
        (i18n.country_name, "syria", "سوريا"),
        (i18n.country_name, "سورية", "سوريا"),
        (i18n.country_name, "JO", "الأردن"),
        # Provinces by spelling variant and by Arabic.
        (i18n.province_name, "Deir ez-Zour", "دير الزور"),
        (i18n.province_name, "Al-Anbar", "الأنبار"),
        (i18n.province_name, "اربيل", "أربيل"),
    ],
)
def test_lookups(lookup: Lookup, key: str, expected: str) -> None:
    found = lookup(key)
    assert found is not None and found.ar == expected


@pytest.mark.parametrize("lookup", [i18n.claimant_name, i18n.country_name, i18n.province_name])
def test_unknown_names_are_none(lookup: Lookup) -> None:
    # Unknown names are shown as given by the caller, never guessed.
    assert lookup("Nowhere Brigade") is None
    assert lookup(None) is None


def test_every_weapon_and_target_kind_has_names() -> None:
    for w in Weapon:
        assert i18n.WEAPON_ATTACK[w].ar and i18n.WEAPON_NAME[w].en and i18n.WEAPON_NOUN[w]
    for k in TargetKind:
        assert i18n.TARGET_KIND[k].ar and i18n.TARGET_KIND[k].en


@pytest.mark.parametrize(
    ("text", "weapon"),
    [("rocket", Weapon.ROCKET), (" Drone ", Weapon.DRONE), ("laser", Weapon.UNKNOWN)],
)
def test_weapon_of(text: str, weapon: Weapon) -> None:
    # Stored strings are read leniently: an unknown one is UNKNOWN, not an error.
    assert i18n.weapon_of(text) is weapon


def test_calendar_tables() -> None:
    assert len(i18n.MONTHS_AR) == len(i18n.MONTHS_EN) == len(i18n.MONTHS_AR_EGYPTIAN) == 12
    assert i18n.WEEKDAYS_AR[date(2024, 4, 21).weekday()] == "الأحد"
