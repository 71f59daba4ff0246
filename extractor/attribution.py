"""Who stands behind a report: the kind of each cited source, and the report's stance.

The Arabic reader lists who an article cites (`Incident.sources`) and who claimed the attack
(`claimed_by`); it does not say whether an official *confirms* the attack, *denies* it, or whether the
article only relays a claim. The service's status ladder needs exactly that, so it is read here, apart
from the reader, as pure functions of the text and the report's own values (Arabic and English cues).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class SourceKind(StrEnum):
    """What sort of voice a cited source is."""

    OFFICIAL = "official"  # US, coalition, or the host state's security services, speaking on record
    AGENCY = "agency"  # a wire agency whose story other outlets copy
    MONITOR = "monitor"  # an outlet or monitor reporting in its own name
    ANONYMOUS = "anonymous"  # "a security source", "officials said" without a name or office
    CLAIMANT = "claimant"  # the group claiming the attack, or its channels


class Stance(StrEnum):
    """What a report says about the attack, as the ladder reads it."""

    CLAIM_ONLY = "claim_only"
    REPORT = "report"
    OFFICIAL_CONFIRMATION = "official_confirmation"
    OFFICIAL_DENIAL = "official_denial"


OFFICIAL_SOURCES: Final[frozenset[str]] = frozenset(
    {"CENTCOM", "Pentagon", "Coalition", "Iraqi Security Media Cell", "US official", "Iraqi security",
     "Joint Operations Command", "Iraqi Interior Ministry", "Iraqi official"}
)
AGENCIES: Final[frozenset[str]] = frozenset({"Reuters", "AFP", "AP", "Iraqi News Agency", "SANA", "Anadolu"})
CLAIMANTS: Final[frozenset[str]] = frozenset({"Sabereen News", "Islamic Resistance in Iraq"})

# Cues for an agency cited by an article, when the reader did not list it (English articles, datelines).
_AGENCY_CUES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("Reuters", re.compile(r"رويترز|\breuters\b", re.I)),
    ("AFP", re.compile(r"فرانس\s*بر[ي]?س|الصحافة\s+الفرنسية|\bAFP\b|agence france", re.I)),
    ("AP", re.compile(r"أسوشيتد\s*برس|اسوشيتد\s*برس|associated press|\(AP\)", re.I)),
    ("Anadolu", re.compile(r"الأناضول|\banadolu\b", re.I)),
)

# An official voice: US or coalition bodies and officials, or the host state's security services.
_OFFICIAL = (
    r"(?:البنتاغون|البنتاجون|وزارة\s+الدفاع\s+الأم[ير]+كية|القيادة\s+المركزية|سنتكوم|"
    r"مسؤول(?:ون|ين|ان|َين)?\s+(?:عسكري(?:ين|ون)?\s+)?(?:أمريكي|أميركي|امريكي|عراقي)(?:ون|ين|ان)?|المتحدث\s+باسم\s+(?:البنتاغون|التحالف|وزارة)|"
    r"التحالف\s+الدولي|خلية\s+ال[إا]علام\s+ال[أا]مني|قيادة\s+العمليات\s+المشتركة|وزارة\s+الداخلية|"
    r"pentagon|centcom|central\s+command|defen[cs]e\s+department|department\s+of\s+defen[cs]e|"
    r"(?:a|an|two|three)?\s*u\.?s\.?\s+(?:defen[cs]e\s+|military\s+)?officials?|coalition\s+(?:spokesm[ae]n|officials?|said)|"
    r"pentagon\s+spokes(?:man|woman|person)|iraq'?s?\s+security\s+media\s+cell|joint\s+operations\s+command)"
)
_CONFIRM_VERB = (
    r"(?:أكد|أكدت|اكد|اكدت|أعلن|أعلنت|اعلن|اعلنت|قال|قالت|ذكر|ذكرت|أفاد|أفادت|أوضح|أوضحت|أقر|أقرت|"
    r"بحسب|وفق|نقلا\s+عن|confirm(?:s|ed)?|said|says|acknowledged|told|according\s+to)"
)
_DENY_VERB = (
    r"(?:نفى|نفت|تنفي|ينفي|نفي|كذّب|كذبت|كذب|"
    r"den(?:y|ies|ied)|dismissed|rejected\s+reports?)"
)
_DENY_CONTENT = re.compile(
    r"لا\s+صحة|عار[ٍي]?\s+(?:عن|من)\s+الصحة|لم\s+(?:يتعرض|تتعرض|تتعرّض|يقع|تقع)|لم\s+يحدث|"
    r"no\s+(?:such\s+)?attack|did\s+not\s+(?:happen|take\s+place|occur)|never\s+happened|false\s+reports?|"
    r"were\s+not\s+attacked|was\s+not\s+attacked",
    re.I,
)
_OFFICIAL_RE = re.compile(_OFFICIAL, re.I)
# "no base has been hit since February" is a lull in the background, not a denial of this attack.
_LULL = re.compile(r"منذ|طوال|\bsince\b|\bfor\s+(?:weeks|months)\b", re.I)
# "denied any casualties" denies the toll, not the attack.
_CASUALTY_DENIAL = re.compile(
    _DENY_VERB + r"\s+(?:\S+\s+){0,3}?(?:وقوع\s+)?(?:أي\s+)?(?:إصابات|اصابات|خسائر|ضحايا|casualties|injuries|damage)",
    re.I,
)
_DENY_RE = re.compile(_DENY_VERB, re.I)
_CONFIRM_RE = re.compile(_CONFIRM_VERB, re.I)
_ANONYMOUS_RE = re.compile(
    r"مصدر\s+(?:أمني|امني|عسكري|مطلع|محلي)|مصادر\s+(?:أمنية|امنية|عسكرية|مطلعة|محلية)|"
    r"(?:a|two|three)\s+(?:security|military|local)\s+sources?|sources?\s+(?:said|told)|"
    r"on\s+condition\s+of\s+anonymity|طلب\s+عدم\s+(?:الكشف\s+عن|ذكر)\s+اسمه",
    re.I,
)
_CLAIM_RE = re.compile(
    r"تبن[تى]|تبنّت|أعلنت\s+المقاومة|اعلنت\s+المقاومة|المقاومة\s+الإسلامية\s+في\s+العراق|في\s+بيان\s+لها|"
    r"claimed|claims?\s+(?:of\s+)?responsibility|islamic\s+resistance\s+in\s+iraq\s+said|said\s+it\s+(?:had\s+)?targeted",
    re.I,
)
# An article only relaying a claim attributes the attack to the claimant with a reporting verb.
_RELAY_RE = re.compile(
    r"(?:بحسب|وفق|وفقا\s+ل|حسب|according\s+to)\s+(?:بيان|ما\s+(?:أعلنت|اعلنت)|the\s+group|a\s+statement|its\s+statement)",
    re.I,
)
_SENTENCE = re.compile(r"[^.!؟?\n]+[.!؟?]?")
_NEAR: Final[int] = 120  # characters between an official and the verb for them to belong together


def source_kind(name: str) -> SourceKind:
    """The kind of a source as the reader names it (its lexicon labels) or as free text."""
    if name in OFFICIAL_SOURCES or _OFFICIAL_RE.search(name):
        return SourceKind.OFFICIAL
    if name in AGENCIES:
        return SourceKind.AGENCY
    if name in CLAIMANTS or _CLAIM_RE.search(name):
        return SourceKind.CLAIMANT
    if _ANONYMOUS_RE.search(name):
        return SourceKind.ANONYMOUS
    return SourceKind.MONITOR


def agency_of(text: str, sources: Sequence[str] = ()) -> str | None:
    """The wire agency an article cites (first listed by the reader, else first cue in the text)."""
    for s in sources:
        if s in AGENCIES:
            return s
    hits = [(m.start(), name) for name, rx in _AGENCY_CUES if (m := rx.search(text))]
    return min(hits)[1] if hits else None


@dataclass(frozen=True, slots=True)
class Attribution:
    """A report's stance and who it cites, each with its kind."""

    stance: Stance
    cited: tuple[tuple[str, SourceKind], ...]
    agency: str | None


# "a source in the Joint Operations Command", "sources at the Pentagon": an unnamed voice inside an official
# body is an anonymous source, not the body on record.
_INSIDE_BODY = re.compile(
    r"(?:مصدر|مصادر)(?:\s+\S+){0,2}?\s+(?:(?:في|داخل|من|لدى)\s+)?[بل]?$|"
    r"\bsources?(?:\s+\S+){0,2}?\s+(?:in|at|within|inside|from|close\s+to|familiar\s+with)\s+(?:the\s+)?$",
    re.I,
)

# The name each official voice is listed under (the first pattern that matches the cue).
_OFFICIAL_NAMES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("Pentagon", re.compile(r"البنتاغون|البنتاجون|وزارة\s+الدفاع\s+الأم|pentagon|defen[cs]e\s+department|"
                            r"department\s+of\s+defen[cs]e", re.I)),
    ("CENTCOM", re.compile(r"القيادة\s+المركزية|سنتكوم|centcom|central\s+command", re.I)),
    ("Iraqi Security Media Cell", re.compile(r"خلية\s+ال[إا]علام\s+ال[أا]مني|security\s+media\s+cell", re.I)),
    ("Joint Operations Command", re.compile(r"قيادة\s+العمليات\s+المشتركة|joint\s+operations\s+command", re.I)),
    ("Iraqi Interior Ministry", re.compile(r"وزارة\s+الداخلية", re.I)),
    ("Coalition", re.compile(r"التحالف|coalition", re.I)),
    ("Iraqi official", re.compile(r"عراقي", re.I)),
    ("US official", re.compile(r"أمريكي|أميركي|امريكي|u\.?s\.?", re.I)),
)


def official_name(cue: str) -> str:
    """The name an official voice is listed under ("Pentagon", "US official" …) from the words that named it."""
    for name, rx in _OFFICIAL_NAMES:
        if rx.search(cue):
            return name
    return "official"


# "قوات التحالف الدولي", "مستشارين من التحالف": the coalition as the forces at the base, not a voice. So too
# the coalition as what is attacked or owned: its bases, air defences, aircraft, convoys, contractors
# ("قواعد التحالف", "مضادات التحالف", "رتل ... متعاقدة مع التحالف", "تضم قوات أمريكية ومن التحالف").
_AS_FORCES = re.compile(
    r"(?:قوات|القوات|جنود|مستشار\S*|عناصر|قاعدة|قواعد|القاعدة|مقر\S*|مضادات|دفاعات|طائر\S*|مروحي\S*|"
    r"رتل|أرتال|مركبات|عجلات|شركات?|متعاقد\S*|تابع\S*|لصالح)"
    r"(?:\s+(?!و?" + _CONFIRM_VERB + r")\S+)?(?:\s+(?:و?من|مع|لل?|لـ|تابعة\s+لل?))?\s*[\"“«]?\s*(?:قوات\s+)?$"
)


def _on_record(sentence: str) -> list[re.Match[str]]:
    """The official voices of a sentence that speak on record (not "a source in" an official body, nor the
    coalition named as the forces a base hosts)."""
    out = []
    for off in _OFFICIAL_RE.finditer(sentence):
        before = sentence[: off.start()][-40:]
        if not _INSIDE_BODY.search(before) and not _AS_FORCES.search(before):
            out.append(off)
    return out


def _official_near(sentence: str, verb: re.Pattern[str]) -> bool:
    return _confirming(sentence, verb) is not None


def _confirming(sentence: str, verb: re.Pattern[str]) -> str | None:
    """The words naming an on-record official with `verb` near them in the sentence, else None."""
    for off in _on_record(sentence):
        for v in verb.finditer(sentence):
            if abs(v.start() - off.start()) <= _NEAR:
                return off.group(0)
    return None


# A count of attacks over weeks ("at least 40 attacks since mid-October", "55 هجوماً خلال شهر") is a tally, and an
# official explaining the US's own strikes in answer to attacks speaks of those strikes: neither confirms the
# attack this report is about.
_TALLY = re.compile(
    r"\d+\s*(?:هجوما|هجوماً|هجمات|هجوم)|منذ\s+(?:منتصف|مطلع|بداية|أواسط|أوائل|أواخر|\d)|"
    r"\b\d+\s+(?:attacks|strikes)\b|\bsince\s+(?:mid-?|early\s+|late\s+)?(?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|the\s+start|\d)",
    re.I,
)
_OWN_STRIKE = re.compile(
    r"غارة|غارات|ضرب(?:ة|ات)\s+جوية|رد[اًا]?\s+على\s+(?:هجمات|الهجمات)|\bair\s*strikes?\b|\bretaliat", re.I
)


# An official's word on a convoy speaks of a convoy: it confirms no attack on a base unless it names one too.
_CONVOY = re.compile(r"رتل|أرتال|الرتل|قافلة|\bconvoys?\b", re.I)
_SITE = re.compile(
    r"قاعدة|القاعدة|قواعد|مطار|معسكر|السفارة|\bbases?\b|\bairport\b|\bcamp\b|\bgarrison\b|\bembassy\b", re.I
)


def _confirms(sentence: str, target_kind: str | None = None) -> str | None:
    """The on-record official confirming in `sentence`, unless the sentence is a tally, about our strikes, or
    about a convoy when the report's attack is on a site."""
    if _TALLY.search(sentence) or _OWN_STRIKE.search(sentence):
        return None
    if target_kind not in (None, "convoy") and _CONVOY.search(sentence) and not _SITE.search(sentence):
        return None
    return _confirming(sentence, _CONFIRM_RE)


def stance(
    text: str, evidence: Sequence[str], sources: Sequence[str], claimed_by: str | None, target_kind: str | None = None
) -> Stance:
    """How the report stands: an official's denial, an official's confirmation, a relayed claim, or a report.

    Denial is read in the whole text (it often comes in a later paragraph than the attack); confirmation
    needs an official voice with a confirming verb in an evidence sentence (an official cited elsewhere in
    the article may be speaking of something else: measured on the real dev corpus, that cost precision),
    and not one that tallies attacks over weeks or explains the US's own strikes, nor, for an attack on a site
    (`target_kind`, the reader's), one that speaks of a convoy and names no site;
    an article is claim-only when every evidence sentence carries the claim and nothing but the
    claimant is cited.
    """
    for sent in _SENTENCE.findall(text):
        if not _on_record(sent) or _CASUALTY_DENIAL.search(sent) or _LULL.search(sent):
            continue
        if _official_near(sent, _DENY_RE) or _DENY_CONTENT.search(sent):
            return Stance.OFFICIAL_DENIAL
    kinds = [source_kind(s) for s in sources]
    if any(_confirms(e, target_kind) for e in evidence):
        return Stance.OFFICIAL_CONFIRMATION
    voices = [k for k in kinds if k is not SourceKind.CLAIMANT]
    relayed = all(_CLAIM_RE.search(e) or _RELAY_RE.search(e) for e in evidence)
    if claimed_by and not voices and evidence and relayed:
        return Stance.CLAIM_ONLY
    return Stance.REPORT


def attribute(
    text: str, evidence: Sequence[str], sources: Sequence[str], claimed_by: str | None, target_kind: str | None = None
) -> Attribution:
    """The stance, every cited source with its kind (the claimant last), and the wire agency if any."""
    cited = [(s, source_kind(s)) for s in dict.fromkeys(sources)]
    the_stance = stance(text, evidence, sources, claimed_by, target_kind)
    if the_stance is Stance.OFFICIAL_CONFIRMATION and not any(k is SourceKind.OFFICIAL for _, k in cited):
        # the official who confirms it is who vouches first ("Confirmed: Pentagon · Reuters")
        cue = next((c for e in evidence if (c := _confirms(e, target_kind))), None)
        if cue:
            cited.insert(0, (official_name(cue), SourceKind.OFFICIAL))
    if _ANONYMOUS_RE.search(" ".join(evidence)) and not any(k is SourceKind.ANONYMOUS for _, k in cited):
        cited.append(("security sources", SourceKind.ANONYMOUS))
    if claimed_by and claimed_by not in dict(cited):
        cited.append((claimed_by, SourceKind.CLAIMANT))
    return Attribution(
        stance=the_stance,
        cited=tuple(cited),
        agency=agency_of(text, sources),
    )


__all__ = [
    "AGENCIES",
    "Attribution",
    "SourceKind",
    "Stance",
    "agency_of",
    "attribute",
    "official_name",
    "source_kind",
    "stance",
]
