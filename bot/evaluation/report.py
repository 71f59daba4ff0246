"""What `rasad eval` prints: a short text summary for people (-v adds every miss and false report with its
evidence), and a stable JSON document for scripts (keys sorted, figures rounded to four places)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.evaluation.extraction import Missing
from bot.evaluation.score import (
    FIELDS,
    AlertScore,
    ArticleScore,
    Expected,
    Predicted,
    Tally,
    by_lang,
    total,
)

JSON_VERSION = 1


@dataclass
class Result:
    """Everything one run of `rasad eval` measured."""

    articles: list[ArticleScore]
    missing: list[Missing]
    warnings: list[str] = field(default_factory=list)
    replay: AlertScore | None = None
    levels: dict[str, AlertScore] = field(default_factory=dict)
    split: str | None = None


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def tally_json(t: Tally) -> dict[str, Any]:
    """Counts, precision, recall, F1 and field accuracy of one tally."""
    return {
        "tp": t.tp,
        "fp": t.fp,
        "fn": t.fn,
        "precision": _r(t.precision),
        "recall": _r(t.recall),
        "f1": _r(t.f1),
        "fields": {k: {"right": t.right[k], "of": t.seen[k], "accuracy": _r(t.accuracy(k))} for k in FIELDS},
    }


def expected_json(e: Expected) -> dict[str, Any]:
    """A labelled incident as the JSON names it."""
    return {
        "cluster": e.cluster,
        "base": e.base or None,
        "country": e.country,
        "date": e.date.isoformat() if e.date else None,
        "weapon": e.weapon,
    }


def predicted_json(p: Predicted) -> dict[str, Any]:
    """A prediction or alert with its evidence sentences."""
    return {
        "ref": p.ref,
        "base": p.base or None,
        "country": p.country,
        "date": p.date.isoformat() if p.date else None,
        "weapon": p.weapon,
        "evidence": list(p.evidence),
        **({"levels": list(lv)} if isinstance(lv := p.fields.get("levels"), tuple) else {}),
    }


def result_json(res: Result) -> dict[str, Any]:
    """The whole result; keys are only ever added (version bumps when one changes meaning)."""
    langs = by_lang(res.articles)
    out: dict[str, Any] = {
        "version": JSON_VERSION,
        "articles": len(res.articles),
        "split": res.split,
        "missing_texts": [{"id": m.id, "reason": m.reason} for m in res.missing],
        "warnings": list(res.warnings),
        "extract": tally_json(total(res.articles)),
        "by_lang": {lang: tally_json(t) for lang, t in sorted(langs.items())} if len(langs) > 1 else {},
        "per_article": [
            {
                "id": s.id,
                "lang": s.lang,
                **{k: v for k, v in tally_json(s.tally).items() if k != "fields"},
                "optional": s.optional,
                "missed": [expected_json(e) for e in s.missed],
                "false": [predicted_json(p) for p in s.false],
                "wrong_fields": [
                    {"cluster": e.cluster, "field": m.key, "want": m.want, "got": m.got}
                    for e, _, misses in s.wrong_fields
                    for m in misses
                ],
            }
            for s in res.articles
        ],
        "replay": None,
    }
    if res.replay is not None:
        r = res.replay
        out["replay"] = {
            "alerts": r.alerts,
            "correct": r.correct,
            "duplicate": r.duplicate,
            "false": r.false,
            "optional": r.optional,
            "attacks": r.groups,
            "alerted": len(r.alerted),
            "missed": len(r.missed),
            "precision": _r(r.precision),
            "recall": _r(r.recall),
            "missed_attacks": [g.name for g in r.missed],
            "false_alerts": [predicted_json(p) for p in r.false_alerts],
            "duplicate_alerts": [predicted_json(p) for p in r.duplicate_alerts],
            "optional_alerts": [predicted_json(p) for p in r.optional_alerts],
            "levels": {
                level: {
                    "alerts": sc.alerts,
                    "correct": sc.correct,
                    "duplicate": sc.duplicate,
                    "false": sc.false,
                    "optional": sc.optional,
                    "alerted": len(sc.alerted),
                    "precision": _r(sc.precision),
                    "recall": _r(sc.recall),
                }
                for level, sc in res.levels.items()
            },
        }
    return out


def _fields_line(t: Tally) -> str:
    parts = []
    for k in FIELDS:
        acc = t.accuracy(k)
        parts.append(f"{k} {acc:.1%} ({t.right[k]}/{t.seen[k]})" if acc is not None else f"{k} -")
    return "  ".join(parts)


def _prf(t: Tally) -> str:
    return f"precision {t.precision:.3f}  recall {t.recall:.3f}  F1 {t.f1:.3f}  (tp {t.tp}, fp {t.fp}, fn {t.fn})"


def _describe_expected(e: Expected) -> str:
    day = e.date.isoformat() if e.date else "no date"
    return f"{e.base or 'no base'} ({e.country or '?'}) {day} {e.weapon or 'any weapon'} [cluster {e.cluster}]"


def _describe_predicted(p: Predicted) -> str:
    day = p.date.isoformat() if p.date else "no date"
    levels = p.fields.get("levels")
    top = f"; reached {levels[-1]}" if isinstance(levels, tuple) and levels else ""
    return f"{p.base or 'no base'} ({p.country or '?'}) {day} {p.weapon}{top}"


def _evidence_lines(p: Predicted) -> list[str]:
    if not p.evidence:
        return ["      evidence: (none quoted)"]
    return [f"      evidence: {q}" for q in p.evidence]


def result_text(res: Result, verbose: bool = False, explain: Callable[[str], str | None] | None = None) -> str:
    """The summary for a terminal; `explain(article id)` adds the extractor's trace under -v when it has one."""
    t = total(res.articles)
    lines = [
        f"{len(res.articles)} article(s) scored" + (f" (split {res.split})" if res.split else "")
        + f", {len(res.missing)} text(s) missing",
        f"extraction: {_prf(t)}",
        f"  fields of {t.tp} matched: {_fields_line(t)}",
    ]
    langs = by_lang(res.articles)
    if len(langs) > 1:
        for lang, lt in sorted(langs.items()):
            lines.append(f"  {lang}: {_prf(lt)}")
            lines.append(f"      fields: {_fields_line(lt)}")
    if res.replay is not None:
        r = res.replay
        lines.append(
            f"replay: {r.alerts} alert(s): {r.correct} correct, {r.duplicate} duplicate, {r.false} false"
            + (f", {r.optional} optional" if r.optional else "")
            + f"; {len(r.alerted)} of {r.groups} attack(s) alerted, {len(r.missed)} missed"
            + f"; alert precision {r.precision:.3f}"
        )
        for level, sc in res.levels.items():
            lines.append(
                f"  subscriber at {level}: {sc.alerts} alert(s), {sc.correct} correct, {sc.duplicate} duplicate,"
                f" {sc.false} false" + (f", {sc.optional} optional" if sc.optional else "")
                + f"; precision {sc.precision:.3f}, recall {sc.recall:.3f}"
            )
    for m in res.missing:
        lines.append(f"missing text: {m.id}: {m.reason}")
    for w in res.warnings:
        lines.append(f"warning: {w}")
    if verbose:
        lines.extend(_details(res.articles, explain))
        if res.replay is not None:
            for g in res.replay.missed:
                lines.append(f"replay missed: {g.name}")
            for p in res.replay.false_alerts:
                lines.append(f"replay false: {p.ref}: {_describe_predicted(p)}")
                lines.extend(_evidence_lines(p))
            for p in res.replay.duplicate_alerts:
                lines.append(f"replay duplicate: {p.ref}: {_describe_predicted(p)}")
                lines.extend(_evidence_lines(p))
    return "\n".join(lines)


def _details(scores: Sequence[ArticleScore], explain: Callable[[str], str | None] | None) -> list[str]:
    lines: list[str] = []
    for s in scores:
        if not (s.missed or s.false or s.wrong_fields):
            continue
        lines.append(f"{s.id} [{s.lang}]: tp {s.tally.tp}, fp {s.tally.fp}, fn {s.tally.fn}")
        for e in s.missed:
            lines.append(f"  missed: {_describe_expected(e)}")
        for p in s.false:
            lines.append(f"  false: {_describe_predicted(p)}")
            lines.extend(_evidence_lines(p))
        for e, _p, misses in s.wrong_fields:
            wrong = ", ".join(f"{m.key} {m.want!r} read as {m.got!r}" for m in misses)
            lines.append(f"  field: {_describe_expected(e)}: {wrong}")
        trace = explain(s.id) if explain and (s.missed or s.false) else None
        if trace:
            lines.append("  extractor.explain:")
            lines.extend(f"    {line}" for line in trace.splitlines())
    return lines
