"""Table tests for the extractor's building blocks: normalisation, numbers, dates, gazetteer, lexicon."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.dates import find_dates
from extractor.gazetteer import gazetteer
from extractor.merge import combine_weapons, weapon_compatible
from extractor.normalize import fold, normalize
from extractor.numbers import dual_forms, parse_number

# ---------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("أإآٱ", "اااا"),  # hamza seats on alef
        ("قاعدة", "قاعده"),  # taa marbuta
        ("الى", "الي"),  # alef maqsura written as yeh
        ("إلى", "الي"),
        ("مسيّرة", "مسيره"),  # shadda dropped
        ("مسيّـرة", "مسيره"),  # tatweel dropped
        ("تشرین", "تشرين"),  # Persian yeh
        ("کركوك", "كركوك"),  # Persian kaf
        ("٢٢ نيسان", "22 نيسان"),  # Arabic-Indic digits
        ("۱۲", "12"),  # Persian digits
        ("مسؤول", "مسءول"),  # hamza seats meet
        ("مسئول", "مسءول"),
        ("\u200fرميلان\u200e", "رميلان"),  # bidi marks dropped
        ("REUTERS", "reuters"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_offsets_quote_the_original() -> None:
    raw = "سقطت قذيفةٌ على قاعدةِ عين الأسد"
    n = normalize(raw)
    start = n.text.index("عين الاسد")
    assert n.quote(start, start + len("عين الاسد")) == "عين الأسد"
    start = n.text.index("قذيفه")
    assert n.quote(start, start + len("قذيفه")).startswith("قذيفة")


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("5", 5),
        ("خمسه", 5),  # feminine form with a masculine noun
        ("خمس", 5),
        ("ثماني", 8),
        ("ثمانيه", 8),
        ("بخمسه", 5),  # clitic ب
        ("اربعه عشر", 14),  # teens
        ("ثمانيه عشر", 18),
        ("خمسه وعشرين", 25),  # unit and tens
        ("عشرون", 20),
        ("مءه", 100),
        ("احد", 1),
        ("اثنين", 2),
    ],
)
def test_parse_number(words: str, value: int) -> None:
    got = parse_number(words.split(), 0)
    assert got is not None and got[0] == value


@pytest.mark.parametrize("word", ["صواريخ", "عشرات", "عده", "قاعده"])
def test_not_a_number(word: str) -> None:
    assert parse_number([word], 0) is None


@pytest.mark.parametrize(
    ("singular", "duals"),
    [("صاروخ", ("صاروخان", "صاروخين")), ("قذيفه", ("قذيفتان", "قذيفتين")), ("طاءره", ("طاءرتان", "طاءرتين"))],
)
def test_dual_forms(singular: str, duals: tuple[str, str]) -> None:
    assert dual_forms(singular) == duals


# ---------------------------------------------------------------- dates

PUB = date(2024, 4, 22)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("أمس الأحد", date(2024, 4, 21)),
        ("فجر الأربعاء", date(2024, 4, 17)),  # most recent Wednesday before publication
        ("مساء الاثنين", date(2024, 4, 22)),  # publication day itself
        ("ليلة الاثنين", date(2024, 4, 21)),  # Sunday night
        ("الأحد الماضي", date(2024, 4, 21)),
        ("اليوم", date(2024, 4, 22)),
        ("صباح اليوم", date(2024, 4, 22)),
        ("أمس", date(2024, 4, 21)),
        ("أول من أمس", date(2024, 4, 20)),
        ("22 نيسان", date(2024, 4, 22)),
        ("4 يناير 2022", date(2022, 1, 4)),
        ("28 كانون الثاني/يناير 2024", date(2024, 1, 28)),  # paired month names
        ("٢٨ كانون الثاني ٢٠٢٤", date(2024, 1, 28)),
        ("20 ديسمبر (كانون الأول) الماضي", date(2023, 12, 20)),
        ("التاسع من ديسمبر", date(2023, 12, 9)),  # ordinal day, year before publication
        ("في 2 من شباط الماضي", date(2024, 2, 2)),
        ("20 تشرين الاول 2023", date(2023, 10, 20)),  # Iraqi spelling without hamza
        ("مساء الأحد 22 من نيسان", date(2024, 4, 21)),  # weekday wins when they disagree by a day
        ("في الـ17 من الشهر الجاري", date(2024, 4, 17)),  # the article joined to the day's figures
        ("في الـ9 من نيسان", date(2024, 4, 9)),
        ("ليل الأحد", date(2024, 4, 21)),  # the night of Sunday, not the eve of Sunday
        ("ليل الجمعة السبت", date(2024, 4, 19)),  # a night joining two days: the first day's
        ("ليلة السبت/الأحد", date(2024, 4, 20)),
        ("بعد منتصف ليل الجمعة السبت", date(2024, 4, 20)),  # past its midnight: the second day
        ("في مثل هذا اليوم من عام 2020", date(2020, 4, 22)),  # an anniversary: this day of a past year
        ("في مثل هذا اليوم من العام الماضي", date(2023, 4, 22)),
        ("بعد أقل من 48 ساعة على", date(2024, 4, 20)),  # whole days back from publication
    ],
)
def test_dates(text: str, expected: date) -> None:
    found = find_dates(fold(text), PUB)
    assert found, text
    assert found[0].value == expected


def test_paired_month_names_joined_by_a_dash_are_one_date() -> None:
    # "8 حزيران - يونيو الماضي": one day, not the 8th and then a second, vaguer "June of last year"
    found = find_dates(fold("في 8 حزيران - يونيو الماضي"), PUB)
    assert [d.value for d in found] == [date(2023, 6, 8)]


def test_a_hyphen_after_the_part_of_the_day_still_names_one_night() -> None:
    # "ليل- الخميس الجمعة": one night (Thursday's), not Thursday and then Friday read apart
    found = find_dates(fold("ليل- الخميس الجمعة"), PUB)
    assert [(d.value, d.night) for d in found] == [(date(2024, 4, 18), True)]


def test_since_marks_a_bound_not_an_event() -> None:
    found = find_dates(fold("منذ مطلع شباط الماضي"), PUB)
    assert found and found[0].since and found[0].kind == "month"


def test_same_month_reference() -> None:
    found = find_dates(fold("في الثالث من كانون الثاني، ثم في الثامن من الشهر ذاته"), date(2020, 1, 27))
    assert [d.value for d in found] == [date(2020, 1, 3), date(2020, 1, 8)]


# ---------------------------------------------------------------- gazetteer


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("قاعدة عين الأسد", "IQ-ASAD"),
        ("قاعدة عين الاسد", "IQ-ASAD"),
        ("ببلدة الرميلان", "SY-RLZ"),
        ("رميلان", "SY-RLZ"),
        ("مطار أبو حجر", "SY-RLZ"),
        ("القرية الخضراء", "SY-OMAR"),  # Green Village lies inside al-Omar
        ("حقل العمر النفطي", "SY-OMAR"),
        ("حقل كونوكو", "SY-CONOCO"),
        ("معمل غاز كونيكو", "SY-CONOCO"),
        ("خراب الجير", "SY-RLZ"),  # the Rmeilan airstrip, called by either name
        ("الشدادة", "SY-SHAD"),
        ("تل البيدر", "SY-TBAYDAR"),
        ("البرج 22", "JO-T22"),
        ("قاعدة موفق السلطي", "JO-MSAB"),
        ("مطار اربيل الدولي", "IQ-EBL"),
        ("قاعدة حرير", "IQ-HARIR"),
        ("قاعدة فيكتوريا", "IQ-VBC"),
        ("السفارة الأميركية", "IQ-EMBASSY"),
        ("القنصلية الأمريكية", "IQ-CONS-EBL"),
        ("قاعدة كونيكوو", "SY-CONOCO"),  # a misspelling, caught by rapidfuzz after 'قاعدة'
        ("حقل “العمر” النفطي", "SY-OMAR"),  # a quoted part of the name is still the name
        ('قاعدة "عين الأسد"', "IQ-ASAD"),
        ("قاعدة « عين الأسد »", "IQ-ASAD"),
        ("قاعدة البرج تي 22", "JO-T22"),
    ],
)
def test_gazetteer_find(text: str, place_id: str) -> None:
    found = gazetteer().find(fold(text))
    assert found and found[0].place_id == place_id


def test_a_quoted_name_spans_its_quotes_and_keeps_offsets() -> None:
    text = fold("استهدف قصف حقل “العمر” فجرا")
    found = gazetteer().find(text)
    assert [(p.place_id, text[p.start:p.end]) for p in found] == [("SY-OMAR", fold("حقل “العمر"))]


def test_weak_names_are_marked() -> None:
    found = gazetteer().find(fold("قاعدة للتحالف ببلدة الرميلان التابعة لمحافظة الحسكة"))
    assert [(p.place_id, p.weak) for p in found] == [("SY-RLZ", False), ("SY-HSK", True)]


@pytest.mark.parametrize(
    ("name", "place_id"),
    [("Rumalan", "SY-RLZ"), ("Ain al-Asad", "IQ-ASAD"), ("Green Village", "SY-OMAR"),
     ("Baghdad Airport", "IQ-BIAP"), ("Al-Omar Oil Field", "SY-OMAR"), ("Tower 22", "JO-T22")],
)
def test_lookup_english(name: str, place_id: str) -> None:
    p = gazetteer().lookup(name)
    assert p is not None and p.id == place_id


def test_conflated_sites_are_related() -> None:
    g = gazetteer()
    assert g.related("SY-RLZ", "SY-RUBAR")
    assert g.related("IQ-HARIR", "IQ-EBL")
    assert not g.related("IQ-ASAD", "SY-RLZ")


def test_every_place_has_both_names_and_country() -> None:
    g = gazetteer()
    for pid in g.ids():
        p = g.get(pid)
        assert p is not None and p.name_en and p.name_ar and p.country in (
            "iraq", "syria", "jordan", "qatar", "kuwait", "uae", "saudi arabia", "bahrain", "turkey")


# ---------------------------------------------------------------- weapons


@pytest.mark.parametrize(
    ("kinds", "weapon"),
    [({"rocket"}, "rocket"), ({"rocket", "mortar"}, "rocket"), ({"missile", "rocket"}, "missile"),
     ({"drone", "rocket"}, "mixed"), ({"drone", "mortar"}, "mixed"), (set(), "unknown"), ({"ied"}, "ied")],
)
def test_combine_weapons(kinds: set[str], weapon: str) -> None:
    assert combine_weapons(kinds) == weapon


def test_weapon_families() -> None:
    assert weapon_compatible("rocket", "mortar")
    assert weapon_compatible("drone", "unknown")
    assert not weapon_compatible("drone", "rocket")


def test_public_api_is_pinned() -> None:
    import extractor

    assert extractor.__all__ == [
        "Evidence", "Incident", "Place", "TargetKind", "Weapon", "arabic_place_name", "explain", "extract",
        "extract_claims", "extract_strict",
    ]


def test_arabic_place_name_for_launch_sites() -> None:
    from extractor import arabic_place_name

    assert arabic_place_name("Zummar") == "زمار"
    assert arabic_place_name("al-Baghdadi") == "البغدادي"
    assert arabic_place_name("northern Iraq") == "شمال العراق"
    assert arabic_place_name("Mayadin desert") == "بادية الميادين"
    assert arabic_place_name("Syria") == "سوريا"
    assert arabic_place_name("Harir Air Base") == "قاعدة حرير"
    assert arabic_place_name("بلدة زمار") == "بلدة زمار"  # an unresolved phrase is already Arabic
    assert arabic_place_name("Atlantis") is None
    assert arabic_place_name("") is None


def test_every_english_launch_site_has_an_arabic_name() -> None:
    from extractor import arabic_place_name
    from extractor.lexicon import lexicon

    for en in lexicon().raw["places_en"].values():
        assert arabic_place_name(en), en


@pytest.mark.parametrize(
    ("text", "owned"),
    [
        # a convoy described at length, then said to belong to the coalition
        ("رتل عسكري يتألف من عشرات الشاحنات والعربات المدرعة والسيارات الرباعية التابعة لقوات التحالف", True),
        ("رتل كبير من الصهاريج والشاحنات وناقلات الجند العائدة للقوات الأمريكية", True),
        # belonging to someone else, or no owner at all
        ("رتل عسكري يتألف من عشرات الشاحنات والعربات المدرعة التابعة للجيش العراقي", False),
        ("رتل عسكري يتألف من عشرات الشاحنات والعربات المدرعة قرب قاعدة التحالف", False),
    ],
)
def test_a_convoy_owned_by_the_coalition_however_far_the_owner(text: str, owned: bool) -> None:
    from extractor.ar.article import scan
    from extractor.ar.reader import _owned_by_coalition

    art = scan(normalize(text), date(2024, 1, 1))
    first = art.tokens[0]
    assert _owned_by_coalition(art, first[1], len(art.text)) is owned
