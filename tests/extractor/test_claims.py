"""Claim posts read by `extractor.extract_claims`, scored against what each post announces.

A found incident matches an expected one on the base (gazetteer identity) and the date within a day; the
weapon is checked on matched pairs. The corpus is `tests/extractor/claims/posts.jsonl` (our own words).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from extractor import extract_claims
from extractor.ar.claims import hijri_to_gregorian
from extractor.types import Weapon

POSTS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (Path(__file__).parent / "claims" / "posts.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]

Found = tuple[str, date, str]


HOLDOUT: list[dict[str, Any]] = [
    json.loads(line)
    for line in (Path(__file__).parent / "claims" / "holdout.jsonl").read_text("utf-8").splitlines()
    if line.strip()
]


def _score(posts: list[dict[str, Any]] | None = None) -> tuple[int, int, int, int, list[str]]:
    tp = fp = fn = weapon_ok = 0
    misses: list[str] = []
    for post in POSTS if posts is None else posts:
        got = extract_claims(post["text"], date.fromisoformat(post["published"]), post["group"])
        found: list[Found] = [(i.base.id if i.base else "", i.date or date.min, str(i.weapon)) for i in got]
        expected = [(b, date.fromisoformat(d), w) for b, d, w in post["expect"]]
        left = list(found)
        for base, day, weapon in expected:
            hit = next((f for f in left if f[0] == base and abs((f[1] - day).days) <= 1), None)
            if hit is None:
                fn += 1
                misses.append(f"{post['id']}: missed {base} {day}")
                continue
            left.remove(hit)
            tp += 1
            weapon_ok += hit[2] == weapon
            if hit[2] != weapon:
                misses.append(f"{post['id']}: {base} weapon {hit[2]} != {weapon}")
        for f in left:
            fp += 1
            misses.append(f"{post['id']}: false {f[0]} {f[1]}")
    return tp, fp, fn, weapon_ok, misses


def test_claim_corpus_f1() -> None:
    assert len(POSTS) >= 40
    tp, fp, fn, weapon_ok, misses = _score()
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"claims: {len(POSTS)} posts, tp={tp} fp={fp} fn={fn} P={precision:.3f} R={recall:.3f} F1={f1:.3f}"
        f" weapon {weapon_ok}/{tp}"
    )
    assert f1 >= 0.95, "\n".join(misses)
    assert weapon_ok >= 0.9 * tp, "\n".join(misses)


def test_claim_holdout() -> None:
    """12 posts written after the reader, scored once at first sight (F1 0.70: a weapon-less claim crashed the
    post, list items without verbs and "بضرب" were missed); after those general fixes 0.93. The two left
    misses stay: "إصابة" as an attack verb, and "التاجي" named alone, which the gazetteer does not list."""
    tp, fp, fn, _, misses = _score(HOLDOUT)
    assert (tp, fp, fn) == (13, 0, 2), "\n".join(misses)


def test_a_claim_without_a_weapon_is_read() -> None:
    got = extract_claims("نبارك عملية استهداف قاعدة البرج 22.", date(2024, 3, 7))
    assert [(i.base.id if i.base else None, i.weapon) for i in got] == [("JO-T22", Weapon.UNKNOWN)]


def test_every_claim_is_marked_and_attributed() -> None:
    got = extract_claims("استهدف مجاهدونا قاعدة التنف بطائرة مسيرة.", date(2024, 1, 20), "Some Group")
    assert [(i.base.id if i.base else None, i.is_claim, i.claimed_by) for i in got] == [("SY-TANF", True, "Some Group")]
    named = extract_claims("كتائب حزب الله\nاستهدفنا قاعدة حرير بصاروخين.", date(2024, 1, 20), "Channel")
    assert [(i.claimed_by, i.weapon, i.count) for i in named] == [("Kataib Hezbollah", Weapon.ROCKET, 2)]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("استهدفنا قاعدة حرير بثلاث طائرات مسيرة", 3),
        ("استهدفنا قاعدة حرير بـ 4 صواريخ", 4),
        ("استهدفنا قاعدة حرير بـ٥ صواريخ", 5),
        ("استهدفنا قاعدة حرير بطائرتين مسيرتين", 2),
        ("استهدفنا قاعدة حرير بطائرة مسيرة", None),
    ],
)
def test_count(text: str, count: int | None) -> None:
    assert [i.count for i in extract_claims(text, date(2024, 1, 20))] == [count]


@pytest.mark.parametrize(
    ("hijri", "gregorian"),
    [((1445, 7, 1), date(2024, 1, 12)), ((1445, 9, 1), date(2024, 3, 11)), ((1446, 1, 1), date(2024, 7, 7))],
)
def test_hijri_tabular(hijri: tuple[int, int, int], gregorian: date) -> None:
    # the tabular day; Umm al-Qura differs by at most a day or two, which matching within a day absorbs
    got = hijri_to_gregorian(*hijri)
    assert got is not None and abs((got - gregorian).days) <= 1


def test_a_hijri_only_date_dates_the_claim() -> None:
    got = extract_claims("استهدفنا قاعدة التنف بطائرة مسيرة\n٢٥ رجب ١٤٤٥ هـ", date(2024, 2, 8))
    assert len(got) == 1 and got[0].date is not None and abs((got[0].date - date(2024, 2, 6)).days) <= 1


@pytest.mark.parametrize(
    "text",
    [
        "سنستهدف قاعدة عين الأسد قريبا",
        "نحذر من استهداف قاعدة حرير",
        "استهدف مجاهدونا ميناء حيفا بطائرة مسيرة",
        "استهدف مجاهدونا قاعدة العديد بطائرة مسيرة",
        "",
        "<b>" * 1000,
    ],
)
def test_claims_that_yield_nothing(text: str) -> None:
    assert extract_claims(text, date(2024, 1, 20)) == []
