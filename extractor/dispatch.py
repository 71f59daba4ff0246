"""Choose the reader for an article's language: the feed's `lang` when given, else the article's script."""

from __future__ import annotations

import re
from datetime import date

from extractor import arabic
from extractor.trace import Tracer
from extractor.types import Incident

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")


def language_of(text: str, title: str | None = None) -> str:
    """'ar' when Arabic letters outnumber Latin ones in the opening of the article, else 'en'."""
    sample = (title or "") + text[:4000]
    ar = len(_ARABIC.findall(sample))
    la = len(_LATIN.findall(sample))
    return "ar" if ar and ar >= la / 4 else "en"


def read_any(
    text: str, published: date, title: str | None = None, lang: str | None = None, tracer: Tracer | None = None
) -> list[Incident]:
    """Dispatch on `lang` ('ar' or 'en'; a regional tag such as 'en-US' counts as its language), else on script.
    A declared language is a feed's hint, and feeds mix: when the article's script clearly says otherwise (no
    Arabic letter in an 'ar' item, an Arabic item in an 'en' feed), the script decides.
    The Arabic reader records its rules into `tracer`; the English one has no trace yet."""
    code = (lang or "").strip().lower()[:2]
    sample = (title or "") + text[:4000]
    arabic_letters, latin_letters = len(_ARABIC.findall(sample)), len(_LATIN.findall(sample))
    if code not in ("ar", "en") or (code == "ar" and not arabic_letters) or (
        code == "en" and arabic_letters > latin_letters
    ):
        code = language_of(text, title)
    if code == "ar":
        return arabic.read(text, published, title, tracer)
    from extractor import en

    return en.read(text, published, title)


__all__ = ["language_of", "read_any"]
