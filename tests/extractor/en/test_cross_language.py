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
        "Three Katyusha rockets hit the Ain al-Asad air base in Anbar on Monday evening, officials said.",
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


def test_a_declared_language_gives_way_to_a_clear_script() -> None:
    """A feed's lang is a hint: an English item in an 'ar' feed and an Arabic item in an 'en' feed are read."""
    from extractor import extract_strict

    en_text = "Two rockets hit Ain al-Asad air base on Tuesday, the Iraqi military said."
    ar_text = "سقط صاروخان على قاعدة عين الأسد الجوية يوم الثلاثاء بحسب خلية الإعلام الأمني."
    for text, lang in ((en_text, "ar"), (ar_text, "en"), (en_text, "en"), (ar_text, "ar")):
        [inc] = extract_strict(text, date(2024, 1, 18), lang=lang)
        assert inc.base is not None and inc.base.id == "IQ-ASAD", (lang, text)
