"""Attribution: the kind of each cited source and the report's stance, Arabic and English cues (table)."""

from __future__ import annotations

import pytest

from extractor.attribution import SourceKind, Stance, agency_of, attribute, source_kind, stance

CLAIM = "Islamic Resistance in Iraq"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("CENTCOM", SourceKind.OFFICIAL),
        ("Pentagon", SourceKind.OFFICIAL),
        ("Iraqi Security Media Cell", SourceKind.OFFICIAL),
        ("Reuters", SourceKind.AGENCY),
        ("AFP", SourceKind.AGENCY),
        ("Shafaq News", SourceKind.MONITOR),
        ("Sabereen News", SourceKind.CLAIMANT),
        ("مصدر أمني", SourceKind.ANONYMOUS),
        ("a US defense official", SourceKind.OFFICIAL),
    ],
)
def test_source_kind(name: str, kind: SourceKind) -> None:
    assert source_kind(name) is kind


@pytest.mark.parametrize(
    ("case", "text", "evidence", "sources", "claimed_by", "want"),
    [
        (
            "ar official confirms",
            "أكد مسؤول أمريكي تعرض قاعدة عين الأسد لهجوم بطائرة مسيرة.",
            ["أكد مسؤول أمريكي تعرض قاعدة عين الأسد لهجوم بطائرة مسيرة."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
        (
            "en official confirms",
            "A U.S. official confirmed that a drone struck the base overnight.",
            ["A U.S. official confirmed that a drone struck the base overnight."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
        (
            "an official cited elsewhere in the article does not confirm this attack",
            "هاجمت طائرة مسيرة القاعدة.",
            ["هاجمت طائرة مسيرة القاعدة."],
            ["CENTCOM"],
            None,
            Stance.REPORT,
        ),
        (
            "ar official denies",
            "قصفت صواريخ قاعدة حرير. ونفت القيادة المركزية الأمريكية تعرض القاعدة لأي هجوم.",
            ["قصفت صواريخ قاعدة حرير."],
            [],
            None,
            Stance.OFFICIAL_DENIAL,
        ),
        (
            "en official denies",
            "Rockets were said to hit the base. The Pentagon denied that any attack took place.",
            ["Rockets were said to hit the base."],
            [],
            None,
            Stance.OFFICIAL_DENIAL,
        ),
        (
            "denying casualties is not denying the attack",
            "سقطت صواريخ قرب القاعدة، ونفى التحالف الدولي وقوع إصابات.",
            ["سقطت صواريخ قرب القاعدة، ونفى التحالف الدولي وقوع إصابات."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "a lull in the background is not a denial",
            "سقطت صواريخ على القاعدة. وكان البنتاغون قد قال إن القوات لم تتعرض لأي هجوم منذ شهرين.",
            ["سقطت صواريخ على القاعدة."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "ar officials, plural genitive",
            "سقطت خمسة صواريخ على القاعدة، بحسب مسؤولين أميركيين.",
            ["سقطت خمسة صواريخ على القاعدة، بحسب مسؤولين أميركيين."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
        (
            "ar claim relayed only",
            "أعلنت المقاومة الإسلامية في العراق في بيان لها استهداف قاعدة التنف بطائرة مسيرة.",
            ["أعلنت المقاومة الإسلامية في العراق في بيان لها استهداف قاعدة التنف بطائرة مسيرة."],
            [],
            CLAIM,
            Stance.CLAIM_ONLY,
        ),
        (
            "en claim relayed only",
            "The Islamic Resistance in Iraq said it targeted the base with a drone.",
            ["The Islamic Resistance in Iraq said it targeted the base with a drone."],
            ["Sabereen News"],
            CLAIM,
            Stance.CLAIM_ONLY,
        ),
        (
            "a claim with an anonymous source reporting is a report",
            "قال مصدر أمني إن صاروخين سقطا في القاعدة، وتبنت المقاومة الإسلامية الهجوم.",
            ["قال مصدر أمني إن صاروخين سقطا في القاعدة، وتبنت المقاومة الإسلامية الهجوم.", "سقط صاروخان."],
            [],
            CLAIM,
            Stance.REPORT,
        ),
        (
            "a wire report",
            "ذكرت وكالة رويترز نقلا عن مصدرين أمنيين أن صواريخ سقطت في القاعدة.",
            ["ذكرت وكالة رويترز نقلا عن مصدرين أمنيين أن صواريخ سقطت في القاعدة."],
            ["Reuters"],
            None,
            Stance.REPORT,
        ),
        (
            "ar a source inside an official body is anonymous, not the body confirming",
            "قال مصدر في قيادة العمليات المشتركة إن صاروخين سقطا داخل القاعدة.",
            ["قال مصدر في قيادة العمليات المشتركة إن صاروخين سقطا داخل القاعدة."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "ar a source with the body's name joined to it",
            "قال مصدر بالتحالف الدولي إن صاروخين سقطا داخل القاعدة.",
            ["قال مصدر بالتحالف الدولي إن صاروخين سقطا داخل القاعدة."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "en sources at the Pentagon are anonymous",
            "Two rockets hit the base, sources at the Pentagon said.",
            ["Two rockets hit the base, sources at the Pentagon said."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "an anonymous source's denial is not an official denial",
            "Rockets hit the base. A source in the Pentagon denied that any attack took place.",
            ["Rockets hit the base."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "the coalition named as the forces a base hosts is not a voice",
            "أفاد مصدر أمني بأن ثلاثة صواريخ سقطت على القاعدة التي تتمركز فيها قوات التحالف الدولي.",
            ["أفاد مصدر أمني بأن ثلاثة صواريخ سقطت على القاعدة التي تتمركز فيها قوات التحالف الدولي."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "advisers from the coalition are not a voice either",
            "قال شهود إن صاروخين سقطا في القاعدة التي تضم مستشارين من التحالف الدولي.",
            ["قال شهود إن صاروخين سقطا في القاعدة التي تضم مستشارين من التحالف الدولي."],
            [],
            None,
            Stance.REPORT,
        ),
        # Written for these tests: the coalition as what is attacked, owned or served is not a voice.
        (
            "a base of the coalition is not a voice",
            "ذكرت صفحات محلية أن المسيرة كانت متجهة نحو إحدى قواعد \"التحالف الدولي\" قرب البلدة.",
            ["ذكرت صفحات محلية أن المسيرة كانت متجهة نحو إحدى قواعد \"التحالف الدولي\" قرب البلدة."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "a convoy of the coalition's contractors is not a voice",
            "أفاد مصدر أمني بانفجار عبوة على رتل لشركة متعاقدة مع التحالف الدولي جنوب بغداد.",
            ["أفاد مصدر أمني بانفجار عبوة على رتل لشركة متعاقدة مع التحالف الدولي جنوب بغداد."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "the coalition's air defences are not a voice",
            "قال شهود إن مضادات التحالف الدولي تصدت لصاروخين فوق المطار.",
            ["قال شهود إن مضادات التحالف الدولي تصدت لصاروخين فوق المطار."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "a base named, then the coalition announcing: a voice",
            "سقط صاروخان على القاعدة وأعلن التحالف الدولي عدم وقوع إصابات.",
            ["سقط صاروخان على القاعدة وأعلن التحالف الدولي عدم وقوع إصابات."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
        # An official's tally of attacks over weeks, or words on the US's own strikes, confirm no one attack.
        (
            "ar tally",
            "قال مسؤول أمريكي إن القوات الأمريكية تعرضت إلى 30 هجوما منذ منتصف الشهر.",
            ["قال مسؤول أمريكي إن القوات الأمريكية تعرضت إلى 30 هجوما منذ منتصف الشهر."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "en tally",
            "A U.S. official said there have been at least 40 attacks on U.S. forces since mid-October.",
            ["A U.S. official said there have been at least 40 attacks on U.S. forces since mid-October."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "ar the US's own strike",
            "قالت وزارة الدفاع الأمريكية إن الغارة جاءت رداً على هجمات استهدفت قواتها.",
            ["قالت وزارة الدفاع الأمريكية إن الغارة جاءت رداً على هجمات استهدفت قواتها."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "en the US's own strikes",
            "The Pentagon said the airstrikes were in retaliation for attacks on its troops.",
            ["The Pentagon said the airstrikes were in retaliation for attacks on its troops."],
            [],
            None,
            Stance.REPORT,
        ),
        (
            "a confirmation beside a tally sentence still confirms",
            "x",
            ["A U.S. official said two rockets hit the base on Monday.",
             "There have been 40 attacks since October, officials said."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
        (
            "the coalition announcing it is",
            "أعلن التحالف الدولي سقوط صاروخين على القاعدة.",
            ["أعلن التحالف الدولي سقوط صاروخين على القاعدة."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
        (
            "an official of the body on record still confirms",
            "قال مسؤول في التحالف الدولي إن صاروخين سقطا داخل القاعدة.",
            ["قال مسؤول في التحالف الدولي إن صاروخين سقطا داخل القاعدة."],
            [],
            None,
            Stance.OFFICIAL_CONFIRMATION,
        ),
    ],
)
def test_stance(
    case: str, text: str, evidence: list[str], sources: list[str], claimed_by: str | None, want: Stance
) -> None:
    assert stance(text, evidence, sources, claimed_by) is want, case


# Written for this test: the Security Media Cell on a convoy bomb, read by an article whose attack is on a site.
CONVOY_WORD = "أفادت خلية الإعلام الأمني بانفجار عبوة ناسفة على رتل لشركة متعاقدة جنوب البلاد."
SITE_WORD = "أفادت خلية الإعلام الأمني بانفجار عبوة ناسفة على رتل قرب قاعدة بلد الجوية."


@pytest.mark.parametrize(
    ("evidence", "target_kind", "want"),
    [
        (CONVOY_WORD, "convoy", Stance.OFFICIAL_CONFIRMATION),
        (CONVOY_WORD, None, Stance.OFFICIAL_CONFIRMATION),  # the target unknown: as before
        (CONVOY_WORD, "base", Stance.REPORT),  # about a convoy: it confirms no attack on the base
        (SITE_WORD, "base", Stance.OFFICIAL_CONFIRMATION),  # names the base too
        ("The Pentagon said a convoy was struck near the border.", "base", Stance.REPORT),
    ],
)
def test_an_official_on_a_convoy_confirms_a_convoy(evidence: str, target_kind: str | None, want: Stance) -> None:
    assert stance(evidence, [evidence], [], None, target_kind) is want
    assert attribute(evidence, [evidence], [], None, target_kind).stance is want


def test_agency_from_text_and_sources() -> None:
    assert agency_of("WASHINGTON (Reuters) - rockets hit", ()) == "Reuters"
    assert agency_of("نقلت وكالة فرانس برس", ()) == "AFP"
    assert agency_of("no wire here", ()) is None
    assert agency_of("", ["Shafaq News", "AP"]) == "AP"


def test_attribute_lists_claimant_last_and_anonymous() -> None:
    a = attribute("x", ["قال مصدر أمني إن صاروخا سقط."], ["Reuters"], CLAIM)
    assert a.cited == (("Reuters", SourceKind.AGENCY), ("security sources", SourceKind.ANONYMOUS),
                       (CLAIM, SourceKind.CLAIMANT))
    assert a.agency == "Reuters"


@pytest.mark.parametrize(
    ("evidence", "first"),
    [
        ("أكدت وزارة الدفاع الأمريكية أن طائرة مسيرة استهدفت القاعدة.", "Pentagon"),
        ("The Pentagon confirmed a drone struck the base.", "Pentagon"),
        ("قالت القيادة المركزية الأمريكية إن صاروخين سقطا في القاعدة.", "CENTCOM"),
        ("قال مسؤول في التحالف الدولي إن صاروخين سقطا في القاعدة.", "Coalition"),
        ("A U.S. official said two rockets hit the base.", "US official"),
        ("أكد مسؤول عراقي سقوط صاروخين في القاعدة.", "Iraqi official"),
        ("أفادت خلية الإعلام الأمني بسقوط صاروخين في القاعدة.", "Iraqi Security Media Cell"),
        ("أفادت خلية الاعلام الامني بسقوط صاروخين في القاعدة.", "Iraqi Security Media Cell"),  # without hamza
    ],
)
def test_the_confirming_official_is_named_first(evidence: str, first: str) -> None:
    a = attribute(evidence, [evidence], [], None)
    assert a.stance is Stance.OFFICIAL_CONFIRMATION
    assert a.cited[0] == (first, SourceKind.OFFICIAL)


def test_an_official_the_reader_listed_is_not_named_twice() -> None:
    evidence = "The Pentagon confirmed a drone struck the base."
    assert attribute(evidence, [evidence], ["Pentagon"], None).cited == (("Pentagon", SourceKind.OFFICIAL),)
