"""Choose the reader for an article's language (Arabic now; English is a later issue)."""

from __future__ import annotations

import re
from datetime import date

from extractor import arabic
from extractor.trace import Tracer
from extractor.types import Incident

_ARABIC = re.compile(r"[\u0600-\u06FF]")


def read_any(text: str, published: date, title: str | None = None, tracer: Tracer | None = None) -> list[Incident]:
    """Dispatch on script: text with Arabic letters goes to the Arabic reader; other text yields nothing yet."""
    sample = (title or "") + text[:4000]
    if not _ARABIC.search(sample):
        return []
    return arabic.read(text, published, title, tracer)


__all__ = ["read_any"]
