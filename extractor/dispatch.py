"""Choose the reader for an article's language: the feed's `lang` when given, else the article's script."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from extractor import ar as arabic
from extractor.gazetteer import gazetteer
from extractor.rule_ids import RuleId
from extractor.trace import Tracer
from extractor.types import Incident

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LATIN = re.compile(r"[A-Za-z]")
_US_PEOPLE = re.compile(
    r"(?:جنود|جندي|جنديان|جنديين|عسكريين|عسكريان|عناصر|أفراد)\w*\s+(?:\S+\s+)?(?:أمريكي|أميركي|امريكي|اميركي|التحالف)"
    r"|\b(?:u\.s\.|us|american|coalition)\s+(?:troops|soldiers|service ?members|personnel|forces)\b", re.IGNORECASE)


def _letters(text: str, title: str | None) -> tuple[int, int]:
    """Arabic and Latin letters in the opening of the article (title included)."""
    sample = (title or "") + text[:4000]
    return len(_ARABIC.findall(sample)), len(_LATIN.findall(sample))


def _by_script(arabic_letters: int, latin_letters: int) -> str:
    return "ar" if arabic_letters and arabic_letters >= latin_letters / 4 else "en"


def language_of(text: str, title: str | None = None) -> str:
    """'ar' when Arabic letters are at least a quarter of the Latin ones in the article's opening, else 'en'."""
    return _by_script(*_letters(text, title))


def read_any(
    text: str,
    published: date,
    title: str | None = None,
    lang: str | None = None,
    tracer: Tracer | None = None,
    scored: bool = True,
) -> list[Incident]:
    """Dispatch on `lang` ('ar' or 'en'; a regional tag such as 'en-US' counts as its language), else on script.
    A declared language is a feed's hint, and feeds mix: when the article's script clearly says otherwise (no
    Arabic letter in an 'ar' item, an Arabic item in an 'en' feed), the script decides.
    Either reader records its rules into `tracer`.
    Then the learned scorer (extractor.scorer) keeps the incidents it believes and drops the rest; `scored=False`
    returns the rules' candidates unscored (for training the scorer)."""
    code = (lang or "").strip().lower()[:2]
    arabic_letters, latin_letters = _letters(text, title)  # counted once, for both the check and the fallback
    if code not in ("ar", "en") or (code == "ar" and not arabic_letters) or (
        code == "en" and arabic_letters > latin_letters
    ):
        code = _by_script(arabic_letters, latin_letters)
    if code == "ar":
        found = arabic.read(text, published, title, tracer)
    else:
        from extractor import en

        found = en.read(text, published, title, tracer)
    found = _hosted(found, tracer)
    return _scored(found, text, published, code, tracer) if scored else found


def _hosted(found: list[Incident], tracer: Tracer | None) -> list[Incident]:
    """An attack on a site after the day the coalition handed it over to the host state's forces ("drones hit
    radars at Camp Taji" in 2025) is an attack on those forces, not on the coalition (MG_SITE_HANDED_OVER),
    unless the text says American or coalition soldiers were hurt there."""
    gaz = gazetteer()
    dropped: set[int] = set()
    for k, inc in enumerate(found):
        until = gaz.hosted_until(inc.base.id) if inc.base is not None else None
        if until is None or inc.date is None or inc.date <= until or (
                (inc.killed or inc.wounded) and any(_US_PEOPLE.search(e.text) for e in inc.evidence)):
            continue
        dropped.add(k)
    if not dropped:
        return found
    if tracer is not None and tracer.detail:  # the clauses that made a dropped incident are rejected by the rule
        for entry in tracer.entries:
            for m in entry.mentions:
                if m.incident is None:
                    continue
                if m.incident in dropped:
                    m.incident, m.dropped = None, RuleId.MG_SITE_HANDED_OVER
                    if RuleId.MG_SITE_HANDED_OVER not in entry.rules:
                        entry.rules.append(RuleId.MG_SITE_HANDED_OVER)
                else:  # the incidents after a dropped one move up in the list
                    m.incident -= sum(1 for d in dropped if d < m.incident)
    return [inc for k, inc in enumerate(found) if k not in dropped]


def _unnamed(inc: Incident) -> Incident:
    """A base placed only by its province ("a coalition base in rural Hasakah") is reported with the province and
    no base: the gazetteer's province-wide entry lets the readers place it, but it names no site, so a later report
    naming the base merges with it instead of standing beside it. The scorer has judged it with its place first: the
    province entry is a place for reading, not for reporting."""
    place = inc.base
    if place is None or place.name_en != place.province_en:
        return inc
    return replace(inc, base=None, province_en=place.province_en, province_ar=place.province_ar)


def _scored(found: list[Incident], text: str, published: date, code: str, tracer: Tracer | None) -> list[Incident]:
    """The incidents the scorer keeps, each with the scorer's probability as its confidence."""
    if not found:
        return found
    from extractor.scorer import contributions, features, model, rescore

    m = model()
    kept: list[Incident] = []
    for inc, p, keep in rescore(found, text, published, code, m):
        shown = _unnamed(inc)
        if tracer is not None and tracer.detail:
            from extractor.trace import Scored

            why = () if m is None or inc.is_claim else tuple(
                contributions(features(inc, text, published, code, len(found)), m))
            tracer.scored.append(Scored(shown, p, keep, why))
        if keep:
            kept.append(replace(shown, confidence=round(p, 3)))
    return kept


__all__ = ["language_of", "read_any"]
