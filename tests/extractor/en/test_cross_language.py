"""An attack told in Arabic and in English reads as the same incident: same gazetteer site, the same day,
weapons of one family. That is what lets the service merge the two reports into one alert."""

from __future__ import annotations

from datetime import date

import pytest

from extractor import extract
from extractor.merge import weapon_compatible

PUB = date(2024, 1, 9)  # a Tuesday

PAIRS = [
    (
        "استهدفت طائرة مسيرة قاعدة حرير الجوية في أربيل فجر اليوم الثلاثاء، وتم إسقاطها دون وقوع إصابات.",
        "A drone targeted Harir air base in Erbil province early Tuesday and was shot down, with no injuries.",
    ),
    (
        "سقطت ثلاثة صواريخ كاتيوشا على قاعدة عين الأسد الجوية في الأنبار مساء أمس الاثنين.",
        "Three Katyusha rockets landed on Ain al-Asad air base in Anbar on Monday evening, officials said.",
    ),
    (
        "هجوم بطائرتين مسيرتين على حقل كونيكو للغاز في ريف دير الزور الشرقي يوم الأحد.",
        "Two drones attacked the Conoco gas field base in eastern Deir ez-Zor on Sunday, a war monitor said.",
    ),
]


@pytest.mark.parametrize(("arabic", "english"), PAIRS)
def test_the_same_attack_in_both_languages_agrees(arabic: str, english: str) -> None:
    [ar] = extract(arabic, PUB)
    [en] = extract(english, PUB)
    assert ar.base is not None and en.base is not None and ar.base.id == en.base.id
    assert ar.country == en.country
    assert ar.date == en.date
    assert weapon_compatible(str(ar.weapon), str(en.weapon))
    assert ar.count == en.count or None in (ar.count, en.count)
