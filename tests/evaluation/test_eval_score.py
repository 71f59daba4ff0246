"""Table tests of the pure scorer (bot/evaluation/score.py) and the gold base resolver, on small labelled cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.evaluation.places import resolve_base
from bot.evaluation.score import (
    Expected,
    Group,
    Predicted,
    Tally,
    assign,
    groups_of,
    matches,
    score_alerts,
    score_article,
    total,
)

D = date(2023, 11, 14)


def exp(base: str = "IQ-ASAD", day: date | None = D, weapon: str | None = "rocket", country: str | None = "iraq",
        cluster: str = "c", **fields: object) -> Expected:
    return Expected(base, country, day, weapon, fields, cluster)


def pred(base: str = "IQ-ASAD", day: date | None = D, weapon: str = "rocket", country: str | None = "iraq",
         **fields: object) -> Predicted:
    return Predicted(base, country, day, weapon, {"country": country, **fields}, ("evidence sentence",))


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("Ain al-Asad", "IQ-ASAD"),
        ("Al Asad Airbase", "IQ-ASAD"),
        ("the Ain al-Asad Air Base", "IQ-ASAD"),
        ("AIN AL-ASAD", "IQ-ASAD"),
        ("عين الأسد", "IQ-ASAD"),
        ("عين الاسد", "IQ-ASAD"),
        ("Green Village", "SY-OMAR"),
        ("Al-Omar Oil Field", "SY-OMAR"),
        ("حقل العمر", "SY-OMAR"),
        ("Tanf", "SY-TANF"),
        ("Erbil Airport", "IQ-EBL"),
        ("Harir", "IQ-HARIR"),
        ("IQ-HARIR", "IQ-HARIR"),
        ("Victoria Base", resolve_base("Victory Base Complex")),
        ("Camp Nowhere", None),
        ("Asad Lake", None),  # no fuzzy guessing: near is not the same place
    ],
)
def test_gold_base_by_gazetteer_identity(name: str, base: str | None) -> None:
    assert resolve_base(name) == base


@pytest.mark.parametrize(
    ("case", "p", "e", "expected"),
    [
        ("same base, day, weapon", pred(), exp(), True),
        ("other base", pred(base="IQ-HARIR"), exp(), False),
        ("conflated but distinct bases do not match", pred(base="IQ-HARIR"), exp(base="IQ-EBL"), False),
        ("a day later", pred(day=date(2023, 11, 15)), exp(), True),
        ("a day earlier", pred(day=date(2023, 11, 13)), exp(), True),
        ("two days later", pred(day=date(2023, 11, 16)), exp(), False),
        ("predicted without date", pred(day=None), exp(), True),
        ("gold without date", pred(), exp(day=None), True),
        ("rocket vs mortar: one family", pred(weapon="rocket"), exp(weapon="mortar"), True),
        ("missile vs rocket: one family", pred(weapon="missile"), exp(weapon="rocket"), True),
        ("drone vs rocket", pred(weapon="drone"), exp(weapon="rocket"), False),
        ("ied vs gunfire", pred(weapon="ied"), exp(weapon="gunfire"), False),
        ("unknown agrees with anything", pred(weapon="unknown"), exp(weapon="drone"), True),
        ("mixed agrees with anything", pred(weapon="drone"), exp(weapon="mixed"), True),
        ("gold weapon not given", pred(weapon="drone"), exp(weapon=None), True),
        ("both without base, same country", pred(base=""), exp(base=""), True),
        ("both without base, other country", pred(base="", country="syria"), exp(base=""), False),
        ("no base vs a base", pred(base=""), exp(), False),
        ("a base vs no base", pred(), exp(base=""), False),
        ("unknown gold base matches nothing", pred(), exp(base="?camp nowhere"), False),
    ],
)
def test_matching_rules(case: str, p: Predicted, e: Expected, expected: bool) -> None:
    assert matches(p, e) is expected, case


def test_several_incidents_in_one_article_pair_by_field_agreement() -> None:
    # Two rocket attacks on the same base the same day, told apart by their counts.
    gold = [exp(cluster="eight", count=8), exp(cluster="three", count=3)]
    predictions = [pred(count=3), pred(count=8)]
    assert sorted(assign(predictions, gold)) == [(0, 1), (1, 0)]
    s = score_article("a", "ar", predictions, gold)
    assert (s.tally.tp, s.tally.fp, s.tally.fn) == (2, 0, 0)
    assert s.tally.seen["count"] == 2 and s.tally.right["count"] == 2


@pytest.mark.parametrize(
    ("case", "predictions", "incidents", "optional", "tp_fp_fn", "n_optional"),
    [
        ("perfect", [pred()], [exp()], [], (1, 0, 0), 0),
        ("nothing found", [], [exp()], [], (0, 0, 1), 0),
        ("false report", [pred(base="SY-TANF", country="syria")], [], [], (0, 1, 0), 0),
        ("optional found: neither way", [pred(base="IQ-BIAP")], [exp()], [exp(base="IQ-BIAP")], (0, 0, 1), 1),
        ("optional not found: neither way", [pred()], [exp()], [exp(base="IQ-BIAP")], (1, 0, 0), 0),
        ("one prediction cannot match two incidents", [pred()], [exp(cluster="a"), exp(cluster="b")], [], (1, 0, 1), 0),
        ("a duplicate report in one article is false", [pred(), pred()], [exp()], [], (1, 1, 0), 0),
        (
            "several incidents, one missed, one false",
            [pred(), pred(base="SY-TANF", weapon="drone", country="syria"), pred(base="IQ-HARIR", weapon="drone")],
            [exp(), exp(base="SY-TANF", weapon="drone", country="syria"), exp(base="SY-OMAR", country="syria")],
            [],
            (2, 1, 1),
            0,
        ),
    ],
)
def test_counts_per_article(
    case: str,
    predictions: list[Predicted],
    incidents: list[Expected],
    optional: list[Expected],
    tp_fp_fn: tuple[int, int, int],
    n_optional: int,
) -> None:
    s = score_article("a", "ar", predictions, incidents, optional)
    assert (s.tally.tp, s.tally.fp, s.tally.fn) == tp_fp_fn, case
    assert s.optional == n_optional
    assert len(s.missed) == tp_fp_fn[2] and len(s.false) == tp_fp_fn[1]


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "precision", "recall", "f1"),
    [
        (4, 1, 1, 0.8, 0.8, 0.8),
        (3, 1, 0, 0.75, 1.0, 6 / 7),
        (0, 0, 0, 1.0, 1.0, 1.0),  # nothing to find and nothing found
        (0, 2, 0, 0.0, 1.0, 0.0),
        (0, 0, 3, 1.0, 0.0, 0.0),
        (81, 19, 19, 0.81, 0.81, 0.81),
    ],
)
def test_precision_recall_f1(tp: int, fp: int, fn: int, precision: float, recall: float, f1: float) -> None:
    t = Tally(tp=tp, fp=fp, fn=fn)
    assert t.precision == pytest.approx(precision)
    assert t.recall == pytest.approx(recall)
    assert t.f1 == pytest.approx(f1)


def test_totals_are_micro_averaged() -> None:
    a = score_article("a", "ar", [pred()], [exp()])  # 1 / 0 / 0
    b = score_article("b", "ar", [pred(base="IQ-HARIR")], [exp(), exp(base="SY-TANF", country="syria")])  # 0 / 1 / 2
    t = total([a, b])
    assert (t.tp, t.fp, t.fn) == (1, 1, 2)
    assert t.precision == pytest.approx(0.5) and t.recall == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("case", "gold_fields", "got", "right"),
    [
        ("all right", {"count": 3, "killed": 0, "wounded": 0}, {"count": 3, "killed": 0, "wounded": 0}, 3),
        ("null is a label: not said", {"killed": None}, {"killed": None}, 1),
        ("0 is not null", {"killed": 0}, {"killed": None}, 0),
        ("count wrong", {"count": 5, "wounded": 2}, {"count": 3, "wounded": 2}, 1),
        ("claim names compare without case", {"claimed_by": "Kataib Hezbollah"}, {"claimed_by": "kataib hezbollah"}, 1),
        ("claim missing", {"claimed_by": "Islamic Resistance in Iraq"}, {"claimed_by": None}, 0),
        ("country wrong", {"country": "syria"}, {}, 0),
        ("an unlabelled field is not scored", {}, {"count": 7}, 0),
    ],
)
def test_field_accuracy(case: str, gold_fields: dict[str, object], got: dict[str, Any], right: int) -> None:
    labelled = Expected("IQ-ASAD", "iraq", D, "rocket", gold_fields, "c")
    s = score_article("a", "ar", [pred(**got)], [labelled])
    assert s.tally.tp == 1
    assert sum(s.tally.seen.values()) == len(gold_fields), case
    assert sum(s.tally.right.values()) == right, case
    assert sum(len(m) for _, _, m in s.wrong_fields) == len(gold_fields) - right


def _groups(either: list[frozenset[str]] | None = None) -> list[Group]:
    gold = [
        exp(cluster="asad"),
        exp(cluster="asad"),  # a second outlet's label of the same attack
        exp(base="SY-OMAR", country="syria", cluster="omar"),
        exp(base="SY-RLZ", country="syria", cluster="rumalan"),
        exp(base="SY-RUBAR", country="syria", cluster="malikiyah"),
    ]
    return groups_of(gold, either or [])


@pytest.mark.parametrize(
    ("case", "alerts", "either", "figures"),
    [
        # figures: alerts, correct, duplicate, false, alerted, missed
        ("one alert per attack", [pred(), pred(base="SY-OMAR", country="syria"), pred(base="SY-RLZ", country="syria"),
                                  pred(base="SY-RUBAR", country="syria")], None, (4, 4, 0, 0, 4, 0)),
        ("an attack alerted twice", [pred(), pred(day=date(2023, 11, 15))], None, (2, 1, 1, 0, 1, 3)),
        ("a false alert", [pred(base="IQ-HARIR")], None, (1, 0, 0, 1, 0, 4)),
        ("nothing alerted", [], None, (0, 0, 0, 0, 0, 4)),
        # Rumalan and al-Malikiyah told as one attack or two: both accepted when the gold says so.
        ("accepted grouping, merged", [pred(base="SY-RLZ", country="syria")],
         [frozenset({"rumalan", "malikiyah"})], (1, 1, 0, 0, 1, 2)),
        ("accepted grouping, apart", [pred(base="SY-RLZ", country="syria"), pred(base="SY-RUBAR", country="syria")],
         [frozenset({"rumalan", "malikiyah"})], (2, 2, 0, 0, 1, 2)),
        ("without the grouping, the merged one misses the other", [pred(base="SY-RLZ", country="syria")], None,
         (1, 1, 0, 0, 1, 3)),
    ],
)
def test_alert_scoring(
    case: str, alerts: list[Predicted], either: list[frozenset[str]] | None, figures: tuple[int, ...]
) -> None:
    r = score_alerts(alerts, _groups(either))
    got = (r.alerts, r.correct, r.duplicate, r.false, len(r.alerted), len(r.missed))
    assert got == figures, case
    assert r.alerts == r.correct + r.duplicate + r.false + r.optional


def test_one_alert_matching_two_clusters_at_one_place_alerts_both() -> None:
    """Green Village is an alias of the al-Omar field: one merged alert covers both labelled attacks."""
    groups = groups_of([exp(base="SY-OMAR", country="syria", cluster="gv", count=8),
                        exp(base="SY-OMAR", country="syria", cluster="omar", count=3)])
    r = score_alerts([pred(base="SY-OMAR", country="syria")], groups)
    assert (r.correct, r.duplicate, r.false, len(r.alerted), len(r.missed)) == (1, 0, 0, 2, 0)
    r = score_alerts([pred(base="SY-OMAR", country="syria"), pred(base="SY-OMAR", country="syria")], groups)
    assert (r.correct, r.duplicate, len(r.missed)) == (2, 0, 0)


def test_alerts_are_placed_to_count_as_many_correct_as_possible() -> None:
    # The first alert fits both attacks, the second only the first: both must count as correct.
    groups = groups_of([exp(cluster="mon", day=date(2023, 11, 13)), exp(cluster="wed", day=date(2023, 11, 15))])
    r = score_alerts([pred(day=date(2023, 11, 14)), pred(day=date(2023, 11, 13))], groups)
    assert (r.correct, r.duplicate, len(r.missed)) == (2, 0, 0)


def test_an_alert_matching_only_an_optional_mention_is_neither() -> None:
    r = score_alerts([pred(base="IQ-BIAP")], _groups(), optional=[exp(base="IQ-BIAP")])
    assert (r.alerts, r.correct, r.false, r.optional) == (1, 0, 0, 1)
    assert [a.base for a in r.optional_alerts] == ["IQ-BIAP"]  # listed, so that a reader can see which it was
