"""The learned scorer: its features, its decision, the shipped weights, and how explain shows it."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from extractor import explain, extract
from extractor.dispatch import read_any
from extractor.explanation import explain_all, format_traces
from extractor.gazetteer import gazetteer
from extractor.scorer import Model, _days_bucket, contributions, features, model, probability, rescore
from extractor.types import Evidence, Incident, Weapon

PUB = date(2024, 2, 5)
AIN = "IQ-ASAD"


def _incident(**kw: object) -> Incident:
    base = gazetteer().get(AIN)
    inc = Incident(base=base, country="iraq", date=PUB, weapon=Weapon.DRONE,
                   evidence=(Evidence("A drone hit the base on Monday.", 40, 71),))
    return replace(inc, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("when", "bucket"),
    [(None, "none"), (date(2024, 2, 6), "future"), (PUB, "0"), (date(2024, 2, 4), "1"), (date(2024, 2, 2), "2-3"),
     (date(2024, 1, 30), "4-7"), (date(2024, 1, 10), "8-31"), (date(2023, 10, 1), "older")],
)
def test_days_between_attack_and_publication_are_bucketed(when: date | None, bucket: str) -> None:
    assert _days_bucket(PUB, when) == bucket


def test_features_read_the_evidence_the_text_before_it_and_the_facts() -> None:
    text = "x" * 10 + " US forces struck militia positions overnight. " + "A drone hit the base on Monday."
    inc = _incident(evidence=(Evidence("A drone hit the base on Monday.", text.index("A drone"), len(text)),),
                    killed=0, count=2)
    f = features(inc, text, PUB, "en", 1)
    assert f["cue:us_strike@before"] == 1.0  # a US strike told just before the evidence
    assert "cue:us_strike@evidence" not in f
    assert f["dated:weekday@evidence"] == 1.0
    assert f["days=0"] == 1.0 and f["count=3"] == 1.0 and f["base=named"] == 1.0


def test_no_feature_names_a_word_a_place_or_a_toll() -> None:
    """Words, the country and the casualties say nothing about whether an attack is new (see the module)."""
    text = "Three rockets hit Ain al-Asad air base in Anbar on Monday, killing two soldiers and wounding nine."
    inc = _incident(evidence=(Evidence(text, 0, len(text)),), killed=2, wounded=9, count=3)
    f = features(inc, text, PUB, "en", 1)
    assert not [k for k in f if ":w:" in k or ":b:" in k or ":p:" in k]
    assert not [k for k in f if k.startswith(("country=", "killed=", "wounded="))]
    arabic = "سقطت ثلاثة صواريخ على قاعدة عين الأسد في الأنبار يوم الاثنين"
    f_ar = features(replace(inc, evidence=(Evidence(arabic, 0, len(arabic)),)), arabic, PUB, "ar", 1)
    assert not [k for k in f_ar if k.startswith("ar:")]


def test_the_cut_decides_and_claim_posts_and_short_texts_are_not_scored() -> None:
    m = Model(weights={"days=older": -5.0, "days=0": 2.0}, bias=0.0, threshold=0.5, version="t")
    fresh, old = _incident(), _incident(date=date(2023, 1, 1))
    claim = _incident(date=date(2023, 1, 1), is_claim=True, confidence=0.6)
    article = "word " * 200
    out = rescore([fresh, old, claim], article, PUB, "en", m)
    assert [keep for _, _, keep in out] == [True, False, True]
    assert out[0][1] == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert out[2][1] == 0.6
    # a bulletin is not the kind of text the scorer learned from: the rules' reading stands
    assert [keep for _, _, keep in rescore([old], "short", PUB, "en", m)] == [True]


def test_contributions_name_the_features_that_moved_the_decision() -> None:
    m = Model(weights={"days=older": -5.0, "weapon=drone": 0.5}, bias=0.0, threshold=0.5, version="t")
    f = features(_incident(date=date(2023, 1, 1)), "text", PUB, "en", 1)
    assert contributions(f, m)[0] == ("days=older", -5.0)
    assert 0 < probability(f, m) < 0.5


def test_the_shipped_model_is_sane() -> None:
    m = model()
    assert m is not None, "extractor/data/scorer.json ships with the package"
    assert 0.0 < m.threshold < 1.0
    assert m.weights and all(math.isfinite(w) for w in m.weights.values())
    assert "splits=" in m.version  # says what it was trained on


def test_extract_keeps_only_what_the_scorer_keeps_and_gives_its_probability() -> None:
    m = model()
    assert m is not None
    text = "Rockets struck Ain al-Asad, the Anbar air base, on Monday, a US official said."
    raw = read_any(text, PUB, scored=False)
    kept = extract(text, PUB)
    verdicts = rescore(raw, text, PUB, "en", m)
    assert len(kept) == sum(1 for _, _, k in verdicts if k)
    for inc in kept:
        assert 0.0 <= inc.confidence <= 1.0


def test_explain_shows_each_candidate_with_the_scorer_verdict() -> None:
    text = "Rockets struck Ain al-Asad, the Anbar air base, on Monday, a US official said."
    ex = explain_all(text, PUB)
    assert len(ex.scored) == len(read_any(text, PUB, scored=False))
    out = format_traces(ex.clauses, ex.incidents, scored=ex.scored)
    if ex.scored:
        assert "scorer" in out
    assert explain(text, PUB) == ex.clauses
