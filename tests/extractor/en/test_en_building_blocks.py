"""Table tests of the English reader's pure parts: dates, counts, casualties, claims, places, sentences, dispatch."""

from __future__ import annotations

from datetime import date

import pytest

from extractor import extract
from extractor.dispatch import language_of
from extractor.en import facts
from extractor.en.dates import find_dates
from extractor.en.places import english_places
from extractor.en.text import sentences

PUB = date(2024, 1, 9)  # a Tuesday


@pytest.mark.parametrize(("text", "day"), [
    ("rockets hit the base on tuesday", date(2024, 1, 9)),
    ("late sunday, drones targeted", date(2024, 1, 7)),
    ("early on monday", date(2024, 1, 8)),
    ("on monday night", date(2024, 1, 8)),
    ("last tuesday", date(2024, 1, 2)),
    ("yesterday", date(2024, 1, 8)),
    ("last night", date(2024, 1, 8)),
    ("overnight", date(2024, 1, 9)),
    ("on jan. 4", date(2024, 1, 4)),
    ("on dec. 30", date(2023, 12, 30)),
    ("on january 16, 2024, at 05:05", date(2024, 1, 16)),
    ("on 7 january", date(2024, 1, 7)),
    ("on sunday, jan. 7", date(2024, 1, 7)),
])
def test_dates(text: str, day: date) -> None:
    found = [d for d in find_dates(text, PUB) if d.precise]
    assert found and found[0].value == day


@pytest.mark.parametrize(("text", "bound", "kind"), [
    ("since oct. 17", True, "explicit"),
    ("in december", False, "month"),
    ("last week", False, "vague"),
])
def test_date_kinds(text: str, bound: bool, kind: str) -> None:
    [d] = find_dates(text, PUB)
    assert (d.bound, d.kind) == (bound, kind)


def test_may_the_verb_is_no_month() -> None:
    assert find_dates("the militias may strike again", PUB) == []


@pytest.mark.parametrize(("text", "want"), [
    ("a barrage of at least five rockets hit", [("rocket", 5, False)]),
    ("15 small rockets hit", [("rocket", 15, False)]),
    ("a one-way attack drone struck", [("drone", 1, True)]),
    ("two drones were shot down", [("drone", 2, False)]),
    ("a dozen ballistic missiles", [("missile", 12, False)]),
    ("three explosive-laden drones", [("drone", 3, False)]),
    ("two one-way drone attacks were launched", []),  # attacks counted, not drones
    ("a missile barrage struck", []),
    ("at least four rocket and drone attacks", []),
    ("about three rockets fell near the base and two other rockets hit homes", [("rocket", 5, False)]),
    ("a rocket attack hit the base", []),  # an attack with rockets: how many is not said
    ("a drone attack targeted the base", [("drone", 1, True)]),
    ("a rocket salute hit an air base", []),
    ("the drone was carrying explosives", [("drone", 1, True)]),  # branch en4: one weapon told with 'the'
    ("another drone was shot down", [("drone", 1, True)]),
    ("another drone attack hit the base", []),
    ("the drone attacks went on", []),
    ("two rockets and the drone", [("rocket", 2, False)]),
])
def test_weapon_counts(text: str, want: list[tuple[str, int, bool]]) -> None:
    assert [(f, n, v) for _, f, n, v in facts.weapon_counts(text)] == want


@pytest.mark.parametrize(("text", "killed", "wounded"), [
    ("three service members were killed and 34 were wounded", 3, 34),
    ("two american troops and one british service member are now dead", 3, None),
    ("a coalition contractor was killed", 1, None),
    ("one civilian contractor was killed and at least five others were hurt", 1, 5),
    ("about a dozen personnel had also been injured", None, 12),
    ("eleven personnel were treated for traumatic brain injuries", None, 11),
    ("left 20 troops with minor injuries", None, 20),
    ("resulting in minor injuries to coalition forces", None, None),
    ("no injuries were reported", 0, 0),
    ("no u.s. personnel were injured", 0, 0),
    ("there were no casualties", 0, 0),
    # branch en4: more denials, deaths-only denials, tolls as nouns, denied death claims
    ("the strike did not result in any reported casualties", 0, 0),
    ("officials were not aware of any injuries among the troops", 0, 0),
    ("there are no current reports of servicemember injuries", 0, 0),
    ("the blast went off without causing any causalities", 0, 0),
    ("the ministry said there were no losses at the base", 0, 0),
    ("the salvo failed to hit u.s. or coalition troops", 0, 0),
    ("the attack hurt nobody", 0, 0),
    ("no deaths were recorded", 0, None),
    ("the bomb went off without causing any death", 0, None),
    ("the attack led to the death of a guard", 1, None),
    ("a contractor had a heart attack and died while sheltering", 1, None),
    ("four fighters of the partner force were hurt, but no u.s. troops were hurt", None, 4),
    ("the command denied claims that the attack caused the deaths of two soldiers", 0, None),
])
def test_casualties(text: str, killed: int | None, wounded: int | None) -> None:
    assert facts.casualties(text) == (killed, wounded)


@pytest.mark.parametrize(("text", "claimant"), [
    ("on its channel the islamic resistance in iraq claimed the attack", "Islamic Resistance in Iraq"),
    ("a group named tashkil al-waritheen took credit for that attack", "Tashkil al-Waritheen"),
    ("iran's revolutionary guards claimed responsibility for the missiles", "Islamic Revolutionary Guard Corps"),
    ("washington blamed kataib hezbollah for the attack", None),  # blame is not a claim
    ("no group has claimed responsibility", None),
    ("u.s. officials believe kataib hezbollah was responsible", None),
])
def test_claims(text: str, claimant: str | None) -> None:
    assert facts.claimant(text) == claimant


@pytest.mark.parametrize(("text", "ids"), [
    ("ain al-asad air base", ["IQ-ASAD"]),
    ("the al asad airbase", ["IQ-ASAD"]),
    ("at tanf garrison", ["SY-TANF"]),
    ("rmeilan and kharab al-jir", ["SY-RLZ", "SY-RLZ"]),  # one site, called by either name
    ("mission support site euphrates", ["SY-EUPH"]),
    ("mission support site green village", ["SY-OMAR"]),
    ("tower 22 in jordan", ["JO-T22"]),
    ("victory base complex", ["IQ-VBC"]),
    ("union iii", ["IQ-UNION3"]),
    ("the al-shadaddi base", ["SY-SHAD"]),  # a spelling nobody listed
    ("bashar al-assad", []),  # a person
])
def test_places(text: str, ids: list[str]) -> None:
    assert [p.place_id for p in english_places().find(text)] == ids


def test_erbil_alone_is_a_weak_name() -> None:
    [p] = english_places().find("rockets fell on erbil")
    assert (p.place_id, p.weak) == ("IQ-EBL", True)


def test_sentences_keep_abbreviations_and_skip_read_more_lists() -> None:
    text = ("U.S. officials said Brig. Gen. Pat Ryder spoke on Oct. 19. Two drones hit the base.\n"
            "Read more:\nRockets land near US embassy\nAnother headline here\n"
            "The last sentence of the article is long enough to end the list of links above it.")
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == [
        "U.S. officials said Brig. Gen. Pat Ryder spoke on Oct. 19.",
        "Two drones hit the base.",
        "The last sentence of the article is long enough to end the list of links above it.",
    ]


@pytest.mark.parametrize(("text", "lang"), [
    ("Rockets hit Ain al-Asad.", "en"),
    ("استهدفت طائرة مسيرة قاعدة حرير", "ar"),
    ("قصف قاعدة عين الأسد (Ain al-Asad) صباح اليوم", "ar"),
])
def test_language_of(text: str, lang: str) -> None:
    assert language_of(text) == lang


def test_lang_argument_gives_way_to_a_clear_script() -> None:
    text = "Rockets hit Ain al-Asad air base on Tuesday."
    assert len(extract(text, PUB, lang="ar")) == 1  # an English item in an 'ar' feed is read in English
    assert len(extract(text, PUB, lang="en")) == 1
    assert len(extract(text, PUB, lang="en-US")) == 1


def test_evidence_offsets_refer_to_the_text_when_a_title_is_given() -> None:
    title = "Drone attack on Harir air base"
    text = "A drone targeted Harir air base in Erbil province on Tuesday, officials said."
    [inc] = extract(text, PUB, title)
    assert any(e.end > 0 and text[e.start:e.end] == e.text for e in inc.evidence)
    assert all((e.start, e.end) == (0, 0) or text[e.start:e.end] == e.text for e in inc.evidence)


def test_a_run_of_headlines_after_the_body_is_dropped() -> None:
    text = ("A heading\nThe first paragraph of the story ends here.\nThe second paragraph ends here too.\n"
            "Rockets hit a base\nDrone downed near an airport\nThe closing paragraph is a sentence.")
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["A heading", "The first paragraph of the story ends here.", "The second paragraph ends here too.",
                   "The closing paragraph is a sentence."]


@pytest.mark.parametrize(("text", "site"), [
    ("Five rockets flew toward a US base after being launched from Zummar in Iraq.", "Zummar"),
    ("On Sunday rockets were launched from Zummar, an Iraqi town.", "Zummar"),
    ("Ballistic missiles were launched from inside Iran at the base.", "Iran"),
    ("The drones were launched from Albu Kamal, officials said.", "Albu Kamal"),
    ("The rockets were fired from The outskirts, police said.", None),  # not a known place
])
def test_launch_site_is_a_place_with_an_arabic_name(text: str, site: str | None) -> None:
    assert facts.launch_site(text) == site


@pytest.mark.parametrize(("text", "killed", "wounded"), [
    ("a drone struck the base, killing three u.s. service members and wounding 34, officials said", 3, 34),
    ("the blast killed two and injured five others", 2, 5),
])
def test_bare_numbers_after_killing_and_wounding(text: str, killed: int | None, wounded: int | None) -> None:
    assert facts.casualties(text) == (killed, wounded)


@pytest.mark.parametrize(("text", "dateline"), [
    ("ERBIL (Kurdistan 24) - Two rockets hit a base in Syria.", "ERBIL (Kurdistan 24) -"),
    ("BAGHDAD, Jan. 24 (Xinhua) -- A group claimed the attack.", "BAGHDAD, Jan. 24 (Xinhua) --"),
    ("ERBIL, Kurdistan Region - Rockets landed near a base in Anbar.", "ERBIL, Kurdistan Region -"),
    ("15 Apr 2021; MEMO: A drone targeted the coalition.", "15 Apr 2021; MEMO:"),
    ("Baghdad (AFP) - Rockets hit the base.", "Baghdad (AFP) -"),
    ("IRAQ - Rockets hit a base housing U.S. troops.", None),  # a country, not where the report was filed
    ("Erbil: rockets hit the airport base.", None),  # a headline's place, not a dateline
    ("ERBIL AIRPORT ATTACKED: drones hit the base.", None),
])
def test_dateline_opening_a_sentence(text: str, dateline: str | None) -> None:
    from extractor.en.reader import _DATELINE

    m = _DATELINE.match(text)
    assert (m.group("dl") if m else None) == dateline


@pytest.mark.parametrize(("text", "killed", "wounded"), [
    ("no one was hurt in the attack", 0, 0),
    ("rockets hit the base, killing contractor", 1, None),
    ("the shelling resulted in the killing of one guard and injured six others", 1, 6),
    ("two rockets hit a us base without causing human or material losses", 0, 0),
])
def test_casualty_wordings(text: str, killed: int | None, wounded: int | None) -> None:
    assert facts.casualties(text) == (killed, wounded)
