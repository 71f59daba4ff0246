"""The status ladder: a pure function of an incident's reports (table tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.status import (
    VOUCH_CONFIDENCE,
    Report,
    Rung,
    Status,
    admits,
    attributions,
    ladder,
    outlet_of,
    reached,
    report_of,
    status_of,
)
from extractor.attribution import Attribution, SourceKind, Stance

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
WIRE = "Two rockets struck the base at dawn, two security sources told the agency, without casualties."


def rep(
    outlet: str,
    minutes: int,
    stance: Stance = Stance.REPORT,
    agency: str | None = None,
    wording: str = "",
    cited: tuple[tuple[str, SourceKind], ...] = (),
    confidence: float = 0.9,
) -> Report:
    at = T0 + timedelta(minutes=minutes)
    return Report(outlet, at, Attribution(stance, cited, agency), wording, confidence=confidence)


# Written for these tests: one agency story, and a re-post of it that dropped the agency's name.
COPY = WIRE.replace("told the agency", "told it")
OWN = "Sirens sounded at the base overnight; a drone was downed over the airport, police said on Tuesday."
DOUBT = 0.4  # the extractor's confidence in a background mention or a half-read bulletin


@pytest.mark.parametrize(
    ("case", "reports", "want"),
    [
        ("one outlet", [rep("a.com", 0)], Status.REPORTED),
        ("two outlets", [rep("a.com", 0), rep("b.net", 5)], Status.CORROBORATED),
        ("one outlet, two feeds", [rep("a.com", 0), rep("a.com", 5)], Status.REPORTED),
        (
            "wire copies count once",
            [rep("a.com", 0, agency="Reuters", wording=WIRE), rep("b.net", 5, agency="Reuters", wording=WIRE + " ")],
            Status.REPORTED,
        ),
        (
            "same agency, own wording: independent",
            [
                rep("a.com", 0, agency="Reuters", wording=WIRE),
                rep("b.net", 5, agency="Reuters", wording="A drone was shot down over the airport, police said."),
            ],
            Status.CORROBORATED,
        ),
        (
            "near-identical text, different agencies: independent",
            [rep("a.com", 0, agency="Reuters", wording=WIRE), rep("b.net", 5, agency="AFP", wording=WIRE)],
            Status.CORROBORATED,
        ),
        ("claim only", [rep("claim.tg", 0, Stance.CLAIM_ONLY)], Status.CLAIMED),
        (
            "claims from two places are still claims",
            [rep("claim.tg", 0, Stance.CLAIM_ONLY), rep("b.net", 3, Stance.CLAIM_ONLY)],
            Status.CLAIMED,
        ),
        ("claim then one report", [rep("claim.tg", 0, Stance.CLAIM_ONLY), rep("b.net", 3)], Status.REPORTED),
        (
            "official confirmation",
            [rep("a.com", 0), rep("b.net", 3, Stance.OFFICIAL_CONFIRMATION)],
            Status.CONFIRMED,
        ),
        ("confirmation stays after more reports", [rep("a.com", 0, Stance.OFFICIAL_CONFIRMATION), rep("b.net", 3)],
         Status.CONFIRMED),
        ("denial after a report", [rep("a.com", 0), rep("b.net", 9, Stance.OFFICIAL_DENIAL)], Status.DISPUTED),
        (
            "denial after corroboration",
            [rep("a.com", 0), rep("b.net", 3), rep("c.org", 9, Stance.OFFICIAL_DENIAL)],
            Status.DISPUTED,
        ),
        (
            "confirmation after a denial lifts it",
            [rep("a.com", 0), rep("b.net", 3, Stance.OFFICIAL_DENIAL), rep("c.org", 9, Stance.OFFICIAL_CONFIRMATION)],
            Status.CONFIRMED,
        ),
        ("no reports", [], Status.REPORTED),
        # a copy of one story that dropped the agency's credit is still that story
        (
            "a copy without the agency's name counts once",
            [rep("a.com", 0, agency="Reuters", wording=WIRE), rep("b.net", 5, wording=COPY)],
            Status.REPORTED,
        ),
        ("a copy with no credit on either side counts once",
         [rep("a.com", 0, wording=WIRE), rep("b.net", 5, wording=COPY)], Status.REPORTED),
        ("own words, no agency named: independent",
         [rep("a.com", 0, wording=WIRE), rep("b.net", 5, wording=OWN)], Status.CORROBORATED),
        # only a report told as news, read with confidence, vouches for the attack
        ("a background mention does not corroborate", [rep("a.com", 0), rep("b.net", 5, confidence=DOUBT)],
         Status.REPORTED),
        ("nor does it when it comes first", [rep("b.net", 0, confidence=DOUBT), rep("a.com", 5)], Status.REPORTED),
        ("two doubtful readings in two outlets are still one report's worth",
         [rep("a.com", 0, confidence=DOUBT), rep("b.net", 5, confidence=DOUBT)], Status.REPORTED),
        ("a doubtful reading still reports", [rep("a.com", 0, confidence=DOUBT)], Status.REPORTED),
        ("an official quoted in a doubtful reading does not confirm",
         [rep("a.com", 0), rep("b.net", 5, Stance.OFFICIAL_CONFIRMATION, confidence=DOUBT)], Status.REPORTED),
        ("a doubtful reading's official on its own: reported",
         [rep("b.net", 0, Stance.OFFICIAL_CONFIRMATION, confidence=DOUBT)], Status.REPORTED),
        ("at the line, a reading vouches", [rep("a.com", 0), rep("b.net", 5, confidence=VOUCH_CONFIDENCE)],
         Status.CORROBORATED),
        ("a denial is heard whatever the reading's confidence",
         [rep("a.com", 0), rep("b.net", 9, Stance.OFFICIAL_DENIAL, confidence=DOUBT)], Status.DISPUTED),
    ],
)
def test_status_of(case: str, reports: list[Report], want: Status) -> None:
    assert status_of(reports) is want, case


def test_ladder_times_and_order_independent_of_input_order() -> None:
    reports = [rep("c.org", 20, Stance.OFFICIAL_CONFIRMATION), rep("a.com", 0), rep("b.net", 10)]
    assert ladder(reports) == [
        Rung(Status.REPORTED, T0),
        Rung(Status.CORROBORATED, T0 + timedelta(minutes=10)),
        Rung(Status.CONFIRMED, T0 + timedelta(minutes=20)),
    ]


def test_reached_gives_when_a_chat_at_a_level_gets_it() -> None:
    steps = ladder([rep("claim.tg", 0, Stance.CLAIM_ONLY), rep("a.com", 5), rep("b.net", 10)])
    assert reached(steps, Status.CLAIMED) == T0
    assert reached(steps, Status.REPORTED) == T0 + timedelta(minutes=5)
    assert reached(steps, Status.CORROBORATED) == T0 + timedelta(minutes=10)
    assert reached(steps, Status.CONFIRMED) is None


@pytest.mark.parametrize(
    ("url", "source", "want"),
    [
        ("https://www.aljazeera.net/news/1", None, "aljazeera.net"),
        ("https://ar.shafaq.com/x", None, "shafaq.com"),
        ("https://shafaq.com/feed", None, "shafaq.com"),
        ("https://news.bbc.co.uk/arabic", None, "bbc.co.uk"),
        ("urn:rasad:eval:x1", "Rudaw", "rudaw"),
        ("https://www.a.example/1", None, "a.example"),
        ("https://feeds.a.example/rss", None, "a.example"),
        ("http://127.0.0.1:8080/feed", None, "127.0.0.1"),
        ("http://[::1]:8080/feed", None, "::1"),
        ("https://t.me/SomeChannel/812", "Some channel", "t.me/somechannel"),
        ("https://t.me/s/SomeChannel", None, "t.me/somechannel"),
        ("https://t.me/other_channel/5", None, "t.me/other_channel"),
        ("https://telegram.me/", None, "t.me"),
    ],
)
def test_outlet_is_registered_domain(url: str, source: str | None, want: str) -> None:
    assert outlet_of(url, source) == want


def test_two_telegram_channels_are_two_outlets_and_one_channel_is_one() -> None:
    two = [rep(outlet_of("https://t.me/one/1"), 0), rep(outlet_of("https://t.me/two/7"), 5)]
    same = [rep(outlet_of("https://t.me/one/1"), 0), rep(outlet_of("https://t.me/s/One"), 5)]
    assert (status_of(two), status_of(same)) == (Status.CORROBORATED, Status.REPORTED)


# Written for this test, in the style of a group's channel post: no "claim" or "statement" word in it.
CLAIM_POST = "استهدف مجاهدونا صباح اليوم قاعدة الاحتلال في عين الأسد بطائرة مسيّرة."


@pytest.mark.parametrize(("is_claim", "want"), [(True, Stance.CLAIM_ONLY), (False, Stance.REPORT)])
def test_a_claimant_channels_post_is_a_claim_whatever_its_wording(is_claim: bool, want: Stance) -> None:
    extracted = {"evidence": [CLAIM_POST], "sources": [], "claimed_by": "Islamic Resistance in Iraq",
                 "is_claim": is_claim}
    got = report_of("https://t.me/group/10", "Group", CLAIM_POST, T0, extracted)
    assert got.attribution.stance is want
    assert status_of([got]) is (Status.CLAIMED if is_claim else Status.REPORTED)


def test_attributions_most_authoritative_first() -> None:
    reports = [
        rep("a.com", 0, cited=(("Islamic Resistance in Iraq", SourceKind.CLAIMANT), ("Reuters", SourceKind.AGENCY))),
        rep("b.net", 5, Stance.OFFICIAL_CONFIRMATION, cited=(("Pentagon", SourceKind.OFFICIAL),)),
    ]
    names = [n for n, _ in attributions(reports)]
    assert names == ["Pentagon", "Reuters", "a.com", "b.net", "Islamic Resistance in Iraq"]


@pytest.mark.parametrize(
    ("status", "min_status", "claims", "want"),
    [
        ("claimed", "reported", False, False),
        ("claimed", "reported", True, True),
        ("claimed", "corroborated", True, False),
        ("reported", "reported", False, True),
        ("reported", "corroborated", False, False),
        ("corroborated", "corroborated", False, True),
        ("corroborated", "confirmed", False, False),
        ("confirmed", "confirmed", False, True),
        ("confirmed", "reported", False, True),
        ("disputed", "reported", False, True),
        ("disputed", "corroborated", False, False),
    ],
)
def test_admits_holds_an_incident_below_the_chats_level(status: str, min_status: str, claims: bool, want: bool) -> None:
    assert admits(status, min_status, claims) is want


NEWS = "سقطت ثلاثة صواريخ على قاعدة عين الأسد مساء اليوم دون إصابات."


@pytest.mark.parametrize(
    ("case", "text", "extracted", "want"),
    [
        (
            "a denial quoted in a claim post is the group's word",
            CLAIM_POST + " ونفى البنتاغون وقوع الهجوم.",
            {"evidence": [CLAIM_POST], "claimed_by": "Kataib Hezbollah", "is_claim": True},
            Stance.CLAIM_ONLY,
        ),
        ("a news report naming the group is a report", NEWS, {"evidence": [NEWS], "claimed_by": "Kataib Hezbollah"},
         Stance.REPORT),
    ],
)
def test_report_of_reads_claim_posts_as_claims(
    case: str, text: str, extracted: dict[str, object], want: Stance
) -> None:
    r = report_of("https://t.me/kh_chan/3", "KH channel", text, T0, extracted)
    assert r.attribution.stance is want, case


@pytest.mark.parametrize(
    ("extracted", "want"),
    [
        ({"evidence": [NEWS], "confidence": 0.42}, 0.42),
        ({"evidence": [NEWS], "confidence": 1}, 1.0),
        ({"evidence": [NEWS]}, 1.0),  # stored before the scorer gave a confidence: it vouches
        ({"evidence": [NEWS], "confidence": "high"}, 1.0),
        ({"evidence": [NEWS], "confidence": True}, 1.0),
    ],
)
def test_report_of_keeps_the_extractors_confidence(extracted: dict[str, object], want: float) -> None:
    r = report_of("https://a.example/1", None, NEWS, T0, extracted)
    assert r.confidence == want and r.vouches is (want >= VOUCH_CONFIDENCE)
