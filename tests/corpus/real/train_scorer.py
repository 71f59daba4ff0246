#!/usr/bin/env python3
"""Train the extractor's learned scorer (extractor/scorer.py) on the labelled real articles.

Usage: train_scorer.py [--splits dev,blind,blind2,blind3] [--texts DIR] [--write]

Each incident the rules find in a training article (scorer off) is labelled by the scoring rules of `rasad eval`:
1 when it matches a labelled incident, 0 when it matches nothing, left out when it matches only an `optional` one.
Features are extractor.scorer.features, so training and the shipped scorer read an incident the same way. Cue and
date-form features seen in fewer than MIN_GROUPS attack groups are dropped, so no one article's framing becomes a rule.

It prints out-of-fold figures from a cross-validation grouped by attack group (reports of one attack never sit on
both sides of a fold), the extraction P/R/F1 before and after the scorer at the chosen cut, and with --write
saves extractor/data/scorer.json. Needs scikit-learn (`pip install -e '.[train]'`); the extractor itself does not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from build import groups, read_jsonl  # noqa: E402

from bot.evaluation.extraction import load_texts  # noqa: E402
from bot.evaluation.gold import load_gold  # noqa: E402
from bot.evaluation.score import assign, predicted  # noqa: E402
from extractor.dispatch import language_of, read_any  # noqa: E402
from extractor.scorer import _SHORT, features  # noqa: E402

MIN_GROUPS = 3
C_GRID = (0.03, 0.1, 0.3, 1.0)


LANGS: list[str] = []  # each candidate's language, for the per-language figures
SHORT: list[bool] = []  # a candidate of a short article, which the shipped scorer never drops
GOLD_BY_LANG: Counter[str] = Counter()


def candidates(splits: set[str], texts: Path, exclude: tuple[str, ...] = ()) -> tuple[
        list[dict[str, float]], list[int], list[str], int]:
    """Features, labels and group keys of every candidate in the chosen splits, and the labelled incidents' count."""
    rows = read_jsonl(HERE / "ar" / "gold.jsonl") + read_jsonl(HERE / "en" / "gold.jsonl")
    group_of = groups(rows)
    X: list[dict[str, float]] = []
    y: list[int] = []
    g: list[str] = []
    n_gold = 0
    missing = 0
    for lang in ("ar", "en"):
        gold = load_gold(HERE / lang / "gold.jsonl")
        arts = [a for a in gold.articles if a.split in splits and not (exclude and a.id.startswith(exclude))]
        found, miss = load_texts(arts, texts)
        missing += len(miss)
        for art, text in found:
            exp = [i.expected() for i in art.incidents]
            opt = [i.expected() for i in art.optional]
            n_gold += len(exp)
            GOLD_BY_LANG[lang] += len(exp)
            cands = read_any(text, art.published, None, None, None, scored=False)
            preds = [predicted(c) for c in cands]
            pos = {pi for _, pi in assign(preds, exp)}
            rest = [pi for pi in range(len(preds)) if pi not in pos]
            opt_hit = {rest[i] for _, i in assign([preds[pi] for pi in rest], opt)}
            code = language_of(text)
            for pi, c in enumerate(cands):
                if pi in opt_hit:
                    continue
                X.append(features(c, text, art.published, code, len(cands)))
                y.append(1 if pi in pos else 0)
                g.append(group_of[art.id])
                LANGS.append(lang)
                SHORT.append(len(text) < _SHORT)
    if missing:
        print(f"note: {missing} articles without a cached text were left out (check_cache.py lists them)")
    return X, y, g, n_gold


def prune(X: list[dict[str, float]], g: list[str]) -> set[str]:
    """Feature names seen in at least MIN_GROUPS groups (the fixed facts-features always stay)."""
    seen: dict[str, set[str]] = {}
    for feats, grp in zip(X, g, strict=True):
        for k in feats:
            seen.setdefault(k, set()).add(grp)
    return {k for k, gs in seen.items() if len(gs) >= MIN_GROUPS or ":" not in k}


def prf(tp: int, fp: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / n_gold if n_gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def sweep(prob: list[float], y: list[int], n_gold: int) -> list[tuple[float, float, float, float]]:
    """(cut, P, R, F1) for cuts 0.05..0.95 on out-of-fold probabilities."""
    out = []
    for k in range(1, 20):
        cut = k / 20
        tp = sum(1 for p, t in zip(prob, y, strict=True) if p >= cut and t)
        fp = sum(1 for p, t in zip(prob, y, strict=True) if p >= cut and not t)
        out.append((cut, *prf(tp, fp, n_gold)))
    return out


def fit(X: list[dict[str, float]], y: list[int], C: float) -> Any:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(DictVectorizer(), LogisticRegression(C=C, max_iter=5000))
    model.fit(X, y)
    return model


def out_of_fold(X: list[dict[str, float]], y: list[int], g: list[str], C: float) -> list[float]:
    from sklearn.model_selection import GroupKFold

    prob = [1.0 if short else 0.0 for short in SHORT]  # short articles: kept whatever the model says
    for train, test in GroupKFold(n_splits=5).split(X, y, g):
        tr_x = [X[i] for i in train]
        keep = prune(tr_x, [g[i] for i in train])
        m = fit([{k: v for k, v in x.items() if k in keep} for x in tr_x], [y[i] for i in train], C)
        ps = m.predict_proba([{k: v for k, v in X[i].items() if k in keep} for i in test])[:, 1]
        for i, p in zip(test, ps, strict=True):
            if not SHORT[i]:
                prob[i] = float(p)
    return prob


def by_part(splits: set[str], texts: Path, C: float, cut: float, drops: list[str]) -> None:
    """Each later part held out in turn, the scorer trained on the others: how it fares on a part collected after
    the ones it learned from (the cross-validation above mixes parts, so it flatters what parts share)."""
    totals = [0, 0, 0, 0, 0]  # tp and fp with the scorer, tp and fp of the rules, gold

    def dropped(X: list[dict[str, float]]) -> list[dict[str, float]]:
        return [{k: v for k, v in x.items() if not any(d in k for d in drops)} for x in X]

    parts = {}  # split -> (features, labels, groups, labelled incidents, short flags): each part read once
    for split in sorted(splits):
        SHORT.clear()
        X, y, g, n = candidates({split}, texts)
        parts[split] = (dropped(X), y, g, n, list(SHORT))
    for held in sorted(splits - {"dev"}):
        train = [parts[s] for s in sorted(splits - {held})]
        X_tr = [x for part in train for x in part[0]]
        y_tr = [t for part in train for t in part[1]]
        g_tr = [grp for part in train for grp in part[2]]
        X_te, y_te, _g, n_gold, short = parts[held]
        keep = prune(X_tr, g_tr)
        m = fit([{k: v for k, v in x.items() if k in keep} for x in X_tr], y_tr, C)
        ps = m.predict_proba([{k: v for k, v in x.items() if k in keep} for x in X_te])[:, 1]
        kept = [p >= cut or sh for p, sh in zip(ps, short, strict=True)]
        tp = sum(1 for k, t in zip(kept, y_te, strict=True) if k and t)
        fp = sum(1 for k, t in zip(kept, y_te, strict=True) if k and not t)
        tp0 = sum(y_te)
        fp0 = len(y_te) - tp0
        figures = "rules P {:.3f} R {:.3f} F1 {:.3f}; with the scorer P {:.3f} R {:.3f} F1 {:.3f}".format(
            *prf(tp0, fp0, n_gold), *prf(tp, fp, n_gold))
        print(f"held out {held}: {figures}")
        for i, v in enumerate((tp, fp, tp0, fp0, n_gold)):
            totals[i] += v
    print("held out, pooled: rules P {:.3f} R {:.3f} F1 {:.3f}; with the scorer P {:.3f} R {:.3f} F1 {:.3f}".format(
        *prf(totals[2], totals[3], totals[4]), *prf(totals[0], totals[1], totals[4])))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--splits", default="dev,blind,blind2,blind3")
    ap.add_argument("--texts", type=Path, default=ROOT / ".cache" / "corpus" / "texts")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--drop", default="", help="ablation: leave out features whose name holds any of these")
    ap.add_argument("--c", type=float, default=None, help="fix C instead of choosing it by cross-validation")
    ap.add_argument("--by-part", action="store_true", help="also hold out each later part in turn (slow)")
    ap.add_argument("--exclude", default="", help="leave out articles whose id starts with any of these (a blind "
                    "collection whose articles joined other splits, e.g. arb14-,enb14-)")
    args = ap.parse_args()
    splits = set(args.splits.split(","))
    exclude = tuple(x for x in args.exclude.split(",") if x)
    X, y, g, n_gold = candidates(splits, args.texts, exclude)
    drops = [d for d in args.drop.split(",") if d]
    if drops:
        X = [{k: v for k, v in x.items() if not any(d in k for d in drops)} for x in X]
    tp0, fp0 = sum(y), len(y) - sum(y)
    print(f"{len(y)} candidates ({tp0} true, {fp0} false) in {len(set(g))} groups; {n_gold} labelled incidents")
    print("rules alone: P {:.3f} R {:.3f} F1 {:.3f}".format(*prf(tp0, fp0, n_gold)))
    best: tuple[float, float, float] | None = None  # (F1, C, cut)
    for C in ([args.c] if args.c else C_GRID):
        table = sweep(out_of_fold(X, y, g, C), y, n_gold)
        cut, p, r, f = max(table, key=lambda t: t[3])
        print(f"C={C}: best out-of-fold cut {cut:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
        if best is None or f > best[0]:
            best = (f, C, cut)
    assert best is not None
    _, C, cut = best
    prob = out_of_fold(X, y, g, C)
    # The cut is the F1-best one out of fold, the higher cut on a tie: a false alert costs a subscriber's trust
    # more than a late one. (Until December 2026 it was the highest cut costing at most 0.3 points of recall; with
    # more text that rule chose cuts near 0.05, where the scorer drops almost nothing.)
    table = sweep(prob, y, n_gold)
    top_f1 = max(f for _c, _p, _r, f in table)
    cut = max(c for c, _p, _r, f in table if f >= top_f1 - 1e-9)
    print(f"chosen C={C}, cut {cut:.2f}; out-of-fold sweep:")
    for c, p, r, f in sweep(prob, y, n_gold):
        print(f"  cut {c:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    for lang in ("ar", "en"):
        idx = [i for i, x in enumerate(LANGS) if x == lang]
        t0 = sum(y[i] for i in idx)
        t1 = sum(1 for i in idx if y[i] and prob[i] >= cut)
        f1_ = sum(1 for i in idx if not y[i] and prob[i] >= cut)
        print(f"{lang}: rules alone P %.3f R %.3f F1 %.3f; with the scorer (out-of-fold) P %.3f R %.3f F1 %.3f" % (
            *prf(t0, len(idx) - t0, GOLD_BY_LANG[lang]), *prf(t1, f1_, GOLD_BY_LANG[lang])))
    if args.by_part:
        by_part(splits, args.texts, C, cut, drops)
    keep = prune(X, g)
    model = fit([{k: v for k, v in x.items() if k in keep} for x in X], y, C)
    vec, lr = model.steps[0][1], model.steps[1][1]
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), lr.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    top = Counter(weights).most_common(12)
    low = sorted(weights.items(), key=lambda kv: kv[1])[:12]
    print("largest weights for:", ", ".join(f"{k} {v:+.2f}" for k, v in top))
    print("largest weights against:", ", ".join(f"{k} {v:+.2f}" for k, v in low))
    if args.write:
        out = {
            "version": f"splits={','.join(sorted(splits))}; candidates={len(y)}; C={C}; min_groups={MIN_GROUPS}"
                       + (f"; excluded ids {','.join(exclude)}" if exclude else ""),
            "bias": round(float(lr.intercept_[0]), 4),
            "threshold": cut,
            "weights": dict(sorted(weights.items())),
        }
        path = ROOT / "extractor" / "data" / "scorer.json"
        path.write_text(json.dumps(out, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {path} ({len(weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
