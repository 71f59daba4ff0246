"""The extractor's own account of an article, printed by `rasad eval -v` under a miss or a false report:
each clause read, the rules fired on it in order, and what came of it (`extractor.explanation`)."""

from __future__ import annotations

from datetime import date

from extractor.explanation import explain_all, format_traces


def article_trace(text: str, published: date) -> str | None:
    """The extractor's trace of one article (None when it read no clause worth showing)."""
    try:
        ex = explain_all(text, published)
    except Exception as exc:  # a trace is a help for the reader; its failure must not stop the scoring
        return f"(extractor.explain failed: {type(exc).__name__}: {exc})"
    return format_traces(ex.clauses, ex.incidents, scored=ex.scored) or None
