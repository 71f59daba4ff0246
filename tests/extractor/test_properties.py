"""Property tests: the reader never raises on any string, and stays linear on long adversarial input.

Every test calls `extract_strict`, so a crash fails it (the forgiving `extract` would turn it into [] and the
test could not fail). No timing assertions: the project's global pytest timeout bounds these runs, so
catastrophic regex backtracking shows up as a timeout failure.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import Incident, extract, extract_strict

PUB = date(2024, 4, 22)
ARABIC_BITS = [
    "استهدف", "قاعدة", "عين الأسد", "صواريخ", "خمسة", "طائرتين مسيرتين", "أمس الأحد", "،", ".", "\n",
    "لم يسفر عن إصابات", "التحالف", "الأمريكية", "منذ", "كان", "قد", "22 نيسان", "كانون الثاني/يناير",
    "ّ", "ـ", "\u200f", "٣", "ي", "ة", " ", "«", "»", "هجوم", "بعد", "بينما", "رتل", "عبوة ناسفة",
]
# Digits of every kind beside attack nouns and base names: '²' once crashed the tally rule (isdigit, then int).
NUMBER_BITS = [
    "هجوما", "هجمات", "صاروخا", "قذائف", "مسيرات", "قاعدة حرير", "التنف", "²", "³", "¹²", "①", "⑴", "٣", "۴",
    "12", "1٢", "0", "٫", "٬", "%", "½", "𝟙", "7th", "x²", "-", "/", "(", ")", ":", "؛", "؟", "!", "...", "—",
    "ـ", "\u200c", "\u200d", "\ufeff", "ﻻ", "Ⅻ", "١٩٧٠", "2024-03-05", "05/03/2024",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_never_raises_on_any_unicode(text: str, published: date) -> None:
    out = extract_strict(text, published)
    assert isinstance(out, list) and all(isinstance(i, Incident) for i in out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ARABIC_BITS), max_size=200), st.one_of(st.none(), st.text(max_size=50)))
def test_never_raises_on_arabic_shaped_text(bits: list[str], title: str | None) -> None:
    text = " ".join(bits)
    for i in extract_strict(text, PUB, title):
        assert 0 <= i.confidence <= 1
        for e in i.evidence:
            if (e.start, e.end) == (0, 0):
                assert title is not None  # only a quote from the separately given title has no offsets
            else:
                assert text[e.start:e.end] == e.text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(ARABIC_BITS + NUMBER_BITS), st.text(max_size=4)), max_size=80),
       st.sampled_from([" ", "", "، ", "\n"]))
def test_strict_reader_never_raises_on_mixed_scripts_digits_and_punctuation(bits: list[str], sep: str) -> None:
    text = sep.join(bits)
    for i in extract_strict(text, PUB):
        assert all(text[e.start:e.end] == e.text for e in i.evidence)


# A sentence shaped like a report, with any number-like character (Unicode Nd, No, Nl) or number-like token
# where a count, a tally or a day goes, and any punctuation between the parts.
_NUMBERISH = st.one_of(st.characters(categories=["Nd", "No", "Nl"]),
                       st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=3))
_PUNCT = st.sampled_from(["", " ", "، ", ". ", "؛ ", ": ", " (", ") ", " - ", "\n", "؟ ", " «", "» "])
_SENTENCE = st.tuples(
    st.sampled_from(["استهدفت", "تعرضت", "سقطت", "قصفت", "أطلقت", "هاجمت", "قتل", "أصيب"]), _PUNCT,
    st.sampled_from(["قاعدة عين الأسد", "قاعدة حرير", "التنف", "القوات الأمريكية في سوريا", "مطار أربيل"]), _PUNCT,
    st.sampled_from(["إلى", "لـ", "بـ", "", "نحو", "أكثر من"]), _NUMBERISH, _PUNCT,
    st.sampled_from(["هجوما", "هجمات", "صواريخ", "صاروخا", "مسيرات", "جنود", "أيار", "أيام", "قذيفة", "اعتداء"]),
    _PUNCT, st.sampled_from(["اليوم", "أمس", "منذ", "", "في", "الماضي"]), _NUMBERISH, _PUNCT,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SENTENCE, min_size=1, max_size=4), st.sampled_from([" ", "\n", ". "]))
def test_strict_reader_never_raises_on_numbers_of_any_script_in_report_shaped_text(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    for i in extract_strict(text, PUB):
        assert i.count is None or i.count >= 0


def test_a_superscript_digit_beside_a_base_is_no_number() -> None:
    # It crashed the tally rule; it is not a count either.
    got = extract_strict("تعرضت قاعدة عين الأسد إلى ² هجوما اليوم.", PUB)
    assert [(i.base.id if i.base else None, i.count) for i in got] == [("IQ-ASAD", None)]


def test_the_forgiving_entry_point_reads_as_the_strict_one() -> None:
    text = "استهدفت طائرتان مسيرتان قاعدة عين الأسد مساء أمس."
    assert extract(text, PUB) == extract_strict(text, PUB) != []


def test_one_megabyte_of_repetition_finishes() -> None:
    # A single 1 MB "sentence" of attack words with no punctuation: the worst case for clause splitting.
    chunk = "استهدفت صواريخ قاعدة عين الأسد و "
    text = chunk * (1_000_000 // len(chunk))
    out = extract_strict(text, PUB)
    assert isinstance(out, list)


def test_one_megabyte_of_separators_and_digits_finishes() -> None:
    text = ("، ٢ " * 150_000) + ("لم " * 50_000) + ("ـ" * 100_000)
    assert isinstance(extract_strict(text, PUB), list)


def test_long_article_of_many_paragraphs_finishes() -> None:
    para = "استهدف هجوم بطائرة مسيرة قاعدة حرير فجر اليوم دون وقوع إصابات.\n"
    out = extract_strict(para * 5000, PUB)
    assert len(out) <= 5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(ARABIC_BITS), st.text(max_size=5)), max_size=120))
def test_reader_itself_does_not_raise(bits: list[str]) -> None:
    extract_strict(" ".join(bits), PUB, None)
