"""The bar from the issue: on shared/corpus/dev, F1 ≥ 0.95 and country/count/killed/wounded right on ≥ 90 %."""

from __future__ import annotations

import pytest
from ex_scoring import DEV

from bot.evaluation.extraction import load_texts, score_extraction
from bot.evaluation.gold import load_gold
from bot.evaluation.score import total

FIELDS = ("country", "count", "killed", "wounded")


def score_dev() -> dict[str, float]:
    """Micro-averaged precision, recall, F1 and per-field accuracy over the dev articles (the scorer of
    `rasad eval`: every gold base must be a gazetteer place)."""
    gold = load_gold(DEV / "gold.jsonl")
    assert not gold.warnings, gold.warnings
    articles, missing = load_texts(gold.articles, DEV)
    assert not missing, missing
    t = total(score_extraction(articles))
    out = {"precision": t.precision, "recall": t.recall, "f1": t.f1, "matched": float(t.tp)}
    for k in FIELDS:
        out[k] = t.accuracy(k) or 0.0
    return out


def test_dev_corpus_meets_the_bar() -> None:
    if not (DEV / "gold.jsonl").exists():
        pytest.skip(f"shared dev corpus not found at {DEV}")
    s = score_dev()
    print(
        f"\ndev corpus: precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}  "
        f"matched {int(s['matched'])}\n"
        + "  ".join(f"{k} {s[k]:.0%}" for k in FIELDS)
    )
    assert s["f1"] >= 0.95
    for k in FIELDS:
        assert s[k] >= 0.90, f"{k} right on only {s[k]:.0%} of matched incidents"
