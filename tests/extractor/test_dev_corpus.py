"""The bar from the issue: on shared/corpus/dev, F1 ≥ 0.95 and country/count/killed/wounded right on ≥ 90 %."""

from __future__ import annotations

import json
from datetime import date

import pytest
from ex_scoring import DEV, Expected, assign, field_value

from extractor import extract_strict
from extractor.gazetteer import gazetteer

FIELDS = ("country", "count", "killed", "wounded")


def _expected(item: dict[str, object]) -> Expected:
    name = item.get("base")
    place = gazetteer().lookup(str(name)) if name else None
    assert name is None or place is not None, f"gold base {name!r} is not in the gazetteer"
    d = item.get("date")
    return Expected(
        base=place.id if place else "",
        country=str(item["country"]) if item.get("country") else None,
        date=date.fromisoformat(str(d)) if d else None,
        weapon=str(item["weapon"]) if item.get("weapon") else None,
        fields={k: item[k] for k in FIELDS if k in item},
    )


def score_dev() -> dict[str, float]:
    """Micro-averaged precision, recall, F1 and per-field accuracy over the dev articles."""
    tp = fp = fn = 0
    right = dict.fromkeys(FIELDS, 0)
    matched = 0
    for line in (DEV / "gold.jsonl").read_text("utf-8").splitlines():
        gold = json.loads(line)
        text = (DEV / f"{gold['id']}.txt").read_text("utf-8")
        pred = extract_strict(text, date.fromisoformat(gold["published"]))
        exp = [_expected(x) for x in gold["incidents"]]
        opt = [_expected(x) for x in gold.get("optional", [])]
        pairs = assign(pred, exp)
        used = {pi for _, pi in pairs}
        rest = [p for i, p in enumerate(pred) if i not in used]
        opt_pairs = assign(rest, opt)
        opt_used = {pi for _, pi in opt_pairs}
        tp += len(pairs)
        fn += len(exp) - len(pairs)
        fp += len(rest) - len(opt_used)
        for ei, pi in pairs:
            matched += 1
            for k in FIELDS:
                if k in exp[ei].fields and field_value(pred[pi], k) == exp[ei].fields[k]:
                    right[k] += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {"precision": precision, "recall": recall, "f1": f1, "matched": float(matched)}
    for k in FIELDS:
        out[k] = right[k] / matched if matched else 0.0
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
