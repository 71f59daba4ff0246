"""The hook for the extractor's own account of an article, printed by `rasad eval -v` under a miss or a false
report. `extractor.explain(text, published)` does not exist yet; when it appears, -v shows what it returns
without any change here. Until then this returns None and -v prints the evidence sentences alone.
"""

from __future__ import annotations

from datetime import date

import extractor


def explain(text: str, published: date) -> str | None:
    """The extractor's trace of one article, or None when the extractor offers none."""
    hook = getattr(extractor, "explain", None)
    if not callable(hook):
        return None
    try:
        result = hook(text, published)
    except Exception as exc:  # a trace is a help for the reader; its failure must not stop the scoring
        return f"(extractor.explain failed: {type(exc).__name__}: {exc})"
    return result if isinstance(result, str) else repr(result)
