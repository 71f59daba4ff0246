"""Why the reader read an article the way it did: each clause, the rules fired on it in order, the outcome.

`explain` reads the article exactly as `extract` does (same reader, same result) with a detailed tracer, and
turns the tracer's entries into ClauseTrace values; `format_traces` prints them for `rasad extract --explain`.
A crash is not hidden: `ExtractionError` says where it happened and carries the trace up to that point.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from extractor.merge import Mention
from extractor.normalize import normalize
from extractor.rule_ids import RuleId
from extractor.rules import RULES
from extractor.trace import ClauseTrace, Entry, MentionView, Outcome, Scored, Tracer
from extractor.types import Incident

_PACKAGE = os.path.dirname(__file__)

OUTCOME_AR = {
    Outcome.REPORTED: "بلاغ عن هجوم",
    Outcome.REJECTED: "مستبعد",
    Outcome.SUMMARY: "ملخص أو حصيلة",
    Outcome.HEADING: "عنوان لم ينضم إلى حادث",
    Outcome.FOLLOW_UP: "متابعة لهجوم سابق",
    Outcome.FACTS: "وقائع لهجوم سابق",
    Outcome.DROPPED: "أسقط عند الدمج",
    Outcome.NOT_A_REPORT: "ليس بلاغا",
}


class ExtractionError(Exception):
    """The reader crashed on an article. `where` names the extractor function (file:function:line) that
    raised, `sentence` the sentence being read, `trace` the clauses read before it."""

    def __init__(self, cause: BaseException, sentence: int | None, trace: list[ClauseTrace]) -> None:
        self.where = _where(cause)
        self.sentence = sentence
        self.trace = trace
        super().__init__(f"{type(cause).__name__} in {self.where} (sentence {sentence}): {cause}")


def _where(exc: BaseException) -> str:
    """The innermost frame of the extractor package (its language packages included) in the exception's
    traceback, as its path inside the package: "dates.py:find_dates:120", "ar/reader.py:read:990"."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if os.path.dirname(f.filename) == _PACKAGE or f.filename.startswith(_PACKAGE + os.sep)]
    if not frames:
        return "?"
    f = frames[-1]
    where = os.path.relpath(f.filename, _PACKAGE).replace(os.sep, "/")
    return f"{where}:{f.name}:{f.lineno}"


@dataclass(frozen=True, slots=True)
class Explanation:
    """The incidents of an article and the clause traces that led to them."""

    incidents: list[Incident]
    clauses: list[ClauseTrace]
    # the scorer's verdict on each incident the rules found; clause traces number incidents in this order
    scored: list[Scored] = field(default_factory=list)


def read_traced(
    text: str, published: date, title: str | None, tracer: Tracer, lang: str | None = None
) -> list[Incident]:
    """The reader for the article's script, recording into `tracer`; raises ExtractionError on a crash."""
    from extractor.dispatch import read_any

    try:
        return read_any(text if isinstance(text, str) else "", published, title, lang, tracer)
    except Exception as exc:
        sentence = tracer.sentence
        try:
            partial = clause_traces(text, title, tracer)
        except Exception:  # the trace of a crashed reading is a courtesy; the crash itself is the news
            partial = []
        raise ExtractionError(exc, sentence, partial) from exc


def explain_all(text: str, published: date, title: str | None = None, *, lang: str | None = None) -> Explanation:
    """Incidents and clause traces of one reading (raises ExtractionError when the reader crashes)."""
    tracer = Tracer(detail=True)
    incidents = read_traced(text, published, title, tracer, lang)
    return Explanation(incidents, clause_traces(text, title, tracer), list(tracer.scored))


def clause_traces(text: str, title: str | None, tracer: Tracer) -> list[ClauseTrace]:
    """The tracer's entries as ClauseTrace values, quoting the caller's text."""
    if not tracer.entries:
        return []
    full = text
    if tracer.prefix and title:
        full = title.strip() + "\n" + text
    norm = normalize(full) if tracer.lang == "ar" else None  # the English reader keeps the text's offsets
    out: list[ClauseTrace] = []
    for e in tracer.entries:
        a, b = norm.span(e.start, e.end) if norm is not None else (e.start, e.end)
        start, end = (a - tracer.prefix, b - tracer.prefix) if a >= tracer.prefix else (0, 0)
        outcome, decided, incidents = _outcome(e, tracer.entries)
        out.append(ClauseTrace(
            sentence=e.sentence, start=start, end=end, quote=full[a:b].strip(), rules=tuple(e.rules),
            outcome=outcome, decided_by=decided, mentions=tuple(_view(m) for m in e.mentions), incidents=incidents,
        ))
    return out


def _view(m: Mention) -> MentionView:
    return MentionView(
        place_id=m.place_id, country=m.country, target_kind=m.target_kind, date=m.date, weapon=m.weapon,
        count=m.count, killed=m.killed, wounded=m.wounded, claimed_by=m.claimed_by, launch_site=m.launch_site,
        excluded=m.excluded, incident=m.incident,
    )


def _outcome(e: Entry, entries: list[Entry]) -> tuple[Outcome, RuleId | None, tuple[int, ...]]:
    """What came of a clause, the rule that settled it, and the incidents it joined or gave its facts to."""
    if not e.mentions:
        return Outcome.NOT_A_REPORT, _why_not(e), ()
    ms = e.mentions
    joined = tuple(sorted({m.incident for m in ms if m.incident is not None}))
    if joined:
        return Outcome.REPORTED, None, joined
    excluded = next((m.excluded for m in ms if m.excluded is not None), None)
    if excluded is not None:
        return Outcome.REJECTED, excluded, ()
    into = next((m.absorbed_into for m in ms if m.absorbed_into is not None), None)
    if into is not None:
        target = tuple(sorted({m.incident for m in entries[into].mentions if m.incident is not None}))
        if RuleId.DC_EN_FOLLOW_UP in e.rules:  # the English reader's follow-up
            return Outcome.FACTS, RuleId.DC_EN_FOLLOW_UP, target
        if RuleId.MG_EN_ANAPHORIC in e.rules:
            return Outcome.FOLLOW_UP, RuleId.MG_EN_ANAPHORIC, target
        if all(_is_fact(m, e) for m in ms):
            return Outcome.FACTS, RuleId.DC_FACTS, target
        return Outcome.FOLLOW_UP, RuleId.DC_FOLLOW_UP, target
    dropped = next((m.dropped for m in ms if m.dropped is not None), None)
    if dropped is not None:
        return Outcome.DROPPED, dropped, ()
    if all(_is_fact(m, e) for m in ms):
        return Outcome.FACTS, _why_not(e), ()  # facts read, but no attack told before them took them
    if any(m.summary for m in ms):
        rule = next((r for r in e.rules if r in (RuleId.CL_PLURAL_ONLY, RuleId.CL_GENERIC_TARGETS)), None)
        return Outcome.SUMMARY, rule, ()
    if any(m.heading for m in ms):
        return Outcome.HEADING, RuleId.CL_HEADING, ()
    return Outcome.DROPPED, None, ()


_STORY_ENDS = (RuleId.FX_OLD_FACTS, RuleId.DC_NOT_ABOUT_SAME)


def _why_not(e: Entry) -> RuleId | None:
    """Why a clause made no report of its own and gave nothing to one: the first rejecting rule fired on it,
    else the rule that found it tells another or an old event; None when nothing was before it to take it."""
    return next((r for r in e.rules if RULES[r].rejects), None) or next(
        (r for r in e.rules if r in _STORY_ENDS), None)


def _is_fact(m: Mention, e: Entry) -> bool:
    """A sentence's facts (read by `_facts`), as against a summary clause (plural or generic targets)."""
    return m.summary and RuleId.CL_PLURAL_ONLY not in e.rules and RuleId.CL_GENERIC_TARGETS not in e.rules


def format_traces(
    clauses: list[ClauseTrace], incidents: list[Incident], all_sentences: bool = False, scored: Sequence[Scored] = ()
) -> str:
    """Readable trace in both scripts: the Arabic quote, then each rule (id, English and Arabic gloss) and the
    outcome. Sentences with no attack word are left out unless `all_sentences`."""
    lines: list[str] = []
    for c in clauses:
        if not all_sentences and c.outcome is Outcome.NOT_A_REPORT and c.rules == (RuleId.CL_NO_ATTACK_WORD,):
            continue
        span = f"[{c.start}:{c.end}]" if c.end else "[title]"
        where = f"§{c.sentence}" if c.sentence >= 0 else "§page"  # page furniture is no sentence
        lines.append(f"{where} {span} {c.quote}")
        for r in c.rules:
            rule = RULES[r]
            lines.append(f"    {r.value:<24} {rule.stage.value:<10} {rule.summary_en} | {rule.summary_ar}")
        for m in c.mentions:
            facts = ", ".join(f"{k}={v}" for k, v in (
                ("site", m.place_id), ("country", m.country), ("kind", m.target_kind), ("date", m.date),
                ("weapon", m.weapon), ("count", m.count), ("killed", m.killed), ("wounded", m.wounded),
                ("claim", m.claimed_by), ("launch", m.launch_site)) if v not in (None, "unknown"))
            lines.append(f"    mention: {facts or '-'}")
        verdict = f"{c.outcome.value} | {OUTCOME_AR[c.outcome]}"
        if c.decided_by is not None:
            verdict += f"  by {c.decided_by.value}"
        if c.incidents:
            verdict += "  → incident " + ", ".join(f"#{k + 1}" for k in c.incidents)
        lines.append(f"  => {verdict}")
    if scored:
        lines.append(f"found by the rules | ما وجدته القواعد: {len(scored)}")
        for k, sc in enumerate(scored, 1):
            i = sc.incident
            base = i.base.name_en if i.base else (i.country or "?")
            verdict = "kept | أبقي" if sc.kept else "dropped | أسقط"
            lines.append(f"  #{k} {base} {i.date} {i.weapon}: scorer {sc.probability:.2f} {verdict}")
            if sc.reasons:
                lines.append("      " + ", ".join(f"{name} {w:+.2f}" for name, w in sc.reasons))
    lines.append(f"incidents | الحوادث: {len(incidents)}")
    for k, i in enumerate(incidents, 1):
        base = i.base.name_en + " | " + i.base.name_ar if i.base else (i.country or "?")
        lines.append(f"  #{k} {base} {i.date} {i.weapon} count={i.count} killed={i.killed} wounded={i.wounded}")
    return "\n".join(lines)


__all__ = ["Explanation", "ExtractionError", "clause_traces", "explain_all", "format_traces", "read_traced"]
