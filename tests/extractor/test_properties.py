"""Property tests: extract never raises on any string, and stays linear on long adversarial input.

No timing assertions: the project's global pytest timeout bounds these runs, so catastrophic regex
backtracking shows up as a timeout failure.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import Incident, extract

PUB = date(2024, 4, 22)
ARABIC_BITS = [
    "استهدف", "قاعدة", "عين الأسد", "صواريخ", "خمسة", "طائرتين مسيرتين", "أمس الأحد", "،", ".", "\n",
    "لم يسفر عن إصابات", "التحالف", "الأمريكية", "منذ", "كان", "قد", "22 نيسان", "كانون الثاني/يناير",
    "ّ", "ـ", "\u200f", "٣", "ي", "ة", " ", "«", "»", "هجوم", "بعد", "بينما", "رتل", "عبوة ناسفة",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_never_raises_on_any_unicode(text: str, published: date) -> None:
    out = extract(text, published)
    assert isinstance(out, list) and all(isinstance(i, Incident) for i in out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ARABIC_BITS), max_size=200), st.one_of(st.none(), st.text(max_size=50)))
def test_never_raises_on_arabic_shaped_text(bits: list[str], title: str | None) -> None:
    text = " ".join(bits)
    for i in extract(text, PUB, title):
        assert i.confidence >= 0 and i.confidence <= 1
        for e in i.evidence:
            assert text[e.start:e.end] == e.text or (title is not None)


def test_one_megabyte_of_repetition_finishes() -> None:
    # A single 1 MB "sentence" of attack words with no punctuation: the worst case for clause splitting.
    chunk = "استهدفت صواريخ قاعدة عين الأسد و "
    text = chunk * (1_000_000 // len(chunk))
    out = extract(text, PUB)
    assert isinstance(out, list)


def test_one_megabyte_of_separators_and_digits_finishes() -> None:
    text = ("، ٢ " * 150_000) + ("لم " * 50_000) + ("ـ" * 100_000)
    assert isinstance(extract(text, PUB), list)


def test_long_article_of_many_paragraphs_finishes() -> None:
    para = "استهدف هجوم بطائرة مسيرة قاعدة حرير فجر اليوم دون وقوع إصابات.\n"
    out = extract(para * 5000, PUB)
    assert len(out) <= 5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(ARABIC_BITS), st.text(max_size=5)), max_size=120))
def test_reader_itself_does_not_raise(bits: list[str]) -> None:
    # extract() swallows errors to protect the service; the reader underneath should have none to swallow.
    from extractor.dispatch import read_any

    read_any(" ".join(bits), PUB, None)
