"""One-sentence reports in wire, DoD and regional styles (our own words): each positive yields exactly one
incident at the expected site; each negative (US or other strikes, attacks on other forces, tallies, a town
hit with no US site) yields nothing."""

from __future__ import annotations

from datetime import date

import pytest

from extractor import extract

PUB = date(2024, 1, 18)  # a Thursday

POSITIVE = [
    ('On Tuesday two rockets struck near the Anbar province airbase of Ain al-Asad, causing no '
     'casualties, the Iraqi military said.',
     'IQ-ASAD'),
    ('The U.S.-led coalition said a drone attack targeted its forces at Erbil airport late '
     'Monday, causing no injuries.',
     'IQ-EBL'),
    ("Kurdistan Region's counter-terrorism agency said a drone laden with explosives was shot "
     "down near Erbil International Airport before dawn on Thursday.",
     'IQ-EBL'),
    ('At least three mortar rounds landed inside the Green Village base in eastern Syria on '
     'Saturday, the Syrian Observatory said.',
     'SY-OMAR'),
    ('Rockets hit the Victory base near Baghdad airport overnight, security sources said.',
     'IQ-VBC'),
    ('A roadside bomb targeted a convoy transporting equipment for the international coalition '
     'in Babil province on Wednesday.',
     None),
    ("Islamic Resistance in Iraq claims a drone attack on the US base at Syria's Shaddadi",
     'SY-SHAD'),
    ('US troops at al-Tanf repelled a drone attack on Friday, a spokesman said.',
     'SY-TANF'),
    ('A drone attack on the Conoco gas field, which hosts US forces, was thwarted on Wednesday, the SDF said.',
     'SY-CONOCO'),
    ('The U.S. Embassy in Baghdad was targeted by three rockets on Thursday night.',
     'IQ-EMBASSY'),
]

NEGATIVE = [
    'The United States carried out airstrikes on Kataib Hezbollah positions in Jurf al-Sakhar on Wednesday.',
    'A Turkish drone struck PKK targets near Sinjar on Tuesday.',
    'U.S. and Iraqi forces conducted a joint raid against ISIS in Anbar on Monday.',
    'An Iraqi soldier was killed in an ISIS attack near Kirkuk on Tuesday.',
    'Israeli strikes hit Iran-backed groups near Albu Kamal on Monday.',
    "Iraq's Kurdistan region said Iranian missiles struck Erbil late Monday, killing a businessman and his family.",
    'ISIS militants attacked an Iraqi army post near Tarmiyah on Wednesday, killing two soldiers.',
    'Jordanian border guards killed drug smugglers in a clash on the Syrian border on Thursday.',
    'The Houthis said they fired missiles at a U.S. warship in the Red Sea on Tuesday.',
    'Pentagon: more than 130 attacks since Oct. 17 on US troops stationed in Iraq and Syria.',
]


@pytest.mark.parametrize(("text", "site"), POSITIVE)
def test_one_sentence_reports(text: str, site: str | None) -> None:
    [inc] = extract(text, PUB)
    assert (inc.base.id if inc.base else None) == site
    assert inc.date is not None and (PUB - inc.date).days <= 6


@pytest.mark.parametrize("text", NEGATIVE)
def test_one_sentence_non_reports(text: str) -> None:
    assert extract(text, PUB) == []


# Short articles: (text, expected (site, killed, wounded, claimed_by) or None for nothing at all).
ARTICLES = [
    ("Reports of a rocket attack on Ain al-Asad on Monday were false, a coalition spokesman said.", None),
    ("The coalition denied that any attack had targeted Harir base on Tuesday.", None),
    ("A month after the drone attack on Tower 22 that killed three U.S. soldiers, the Pentagon released "
     "its findings.", None),
    ("Last week's attack on al-Asad injured four U.S. troops, officials said on Thursday.", None),
    ("Rockets hit Ain al-Asad on Monday, causing no casualties. Separately, ISIS militants killed three "
     "Iraqi soldiers in Kirkuk.", ("IQ-ASAD", 0, 0, None)),
    ("Rockets hit Ain al-Asad on Monday, causing no casualties.\nIn Kirkuk, militants killed three Iraqi "
     "policemen on Tuesday.", ("IQ-ASAD", 0, 0, None)),
    ("Drones targeted Erbil air base on Wednesday. The Islamic Resistance in Iraq later claimed "
     "responsibility.", ("IQ-EBL", None, None, "Islamic Resistance in Iraq")),
    ("Drones targeted Erbil air base on Wednesday. U.S. officials blamed Kataib Hezbollah for the attack.",
     ("IQ-EBL", None, None, None)),
    ("A drone struck al-Tanf garrison on Wednesday. Three U.S. troops suffered minor injuries, the Pentagon "
     "said.", ("SY-TANF", None, 3, None)),
]


@pytest.mark.parametrize(("text", "want"), ARTICLES)
def test_short_articles(text: str, want: tuple[str, int | None, int | None, str | None] | None) -> None:
    got = [(i.base.id if i.base else "", i.killed, i.wounded, i.claimed_by) for i in extract(text, PUB)]
    assert got == ([want] if want else [])
