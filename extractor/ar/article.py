"""One Arabic article, folded and scanned once: cue hits, places, dates and words, with range queries.

Also the small word tests every Arabic rule shares (attack words, negation, definiteness).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from extractor.dates import PATTERNS as DATE_PATTERNS
from extractor.dates import DateMention, find_dates
from extractor.gazetteer import PlaceMention, gazetteer
from extractor.lexicon import Hit, Hits, lexicon
from extractor.normalize import Normalized, fold, fold_pattern
from extractor.prefilter import WordGate
from extractor.text import Sentence
from extractor.trace import Tracer
from extractor.vocabulary import words

_WORD = re.compile(r"\w+")
_DUAL_ANCHORS = words("dual_anchors")
# "حقلي كونيكو والعمر", "قاعدتي عين الأسد وحرير": one dual anchor word before two names joined by و
_DUAL_PAIR = re.compile(r"(?<!\w)[وفبل]?(?P<anc>\w+)\s+(?P<a>\w+(?:\s+\w+)?)\s+و(?P<b>\w+(?:\s+\w+)?)")


folded = lru_cache(maxsize=1024)(fold)  # folds a rule's literal word once, however often the rule runs




















































_PLAIN_KEYS = (
    "trigger_strong", "trigger_weak", "trigger_plural", "target_nouns", "coalition_markers", "coalition_phrases",
    "convoy_nouns", "convoy_markers", "diplomatic_nouns", "non_coalition_targets", "us_agent", "threat", "drill",
    "foiled_prelaunch", "background", "relative_background", "killed", "wounded",
    "intercept", "impact", "uncertain", "claim_verbs", "claim_announce", "claim_negative", "claim_attack",
    "launch_verbs", "furniture",
)


_LABELLED_KEYS = ("weapons", "claimants", "sources", "regions", "count_nouns")






_NEGATIONS = words("negations")
_ANY = words("negative_any")
_DENIAL = words("denial")
_DEMONSTRATIVES = words("demonstratives")






@dataclass
class Article:
    """Everything found in one folded article, ready for range queries."""

    norm: Normalized
    published: date
    hits: dict[str, Hits]
    places: list[PlaceMention]
    place_starts: list[int]
    dates: list[DateMention]
    date_starts: list[int]
    tok_starts: list[int]
    tokens: list[tuple[int, int, str]]
    sentences: list[Sentence] = field(default_factory=list)
    last_place: PlaceMention | None = None  # the site of the last report, for "القاعدة ذاتها"
    no_casualty_starts: list[list[int]] = field(default_factory=list)  # word starts where each may match
    shared_anchor: frozenset[int] = frozenset()  # starts of names read with a dual anchor before ("حقلي X وY")
    convoy_context: bool = False  # a convoy attack was reported: "رتل آخر" needs no marker of its own
    convoy_owner_told: bool = False  # the article ties some convoy to the coalition: its bare convoys are too
    count_tokens: list[int] | None = None  # indices of tokens that may be weapon nouns (filled on first use)
    trace: Tracer = field(default_factory=Tracer)  # the rules fired on each clause, in order

    @property
    def text(self) -> str:
        return self.norm.text

    def h(self, key: str, a: int, b: int) -> list[Hit]:
        return self.hits[key].within(a, b)

    def has(self, key: str, a: int, b: int) -> bool:
        return self.hits[key].any_within(a, b)

    def places_in(self, a: int, b: int) -> list[PlaceMention]:
        return self.places[bisect_left(self.place_starts, a):bisect_left(self.place_starts, b)]

    def dates_in(self, a: int, b: int) -> list[DateMention]:
        return self.dates[bisect_left(self.date_starts, a):bisect_left(self.date_starts, b)]

    def toks(self, a: int, b: int) -> list[tuple[int, int, str]]:
        return self.tokens[bisect_left(self.tok_starts, a):bisect_left(self.tok_starts, b)]

    def toks_before(self, pos: int, n: int) -> list[tuple[int, int, str]]:
        i = bisect_left(self.tok_starts, pos)
        return self.tokens[max(0, i - n):i]

    def toks_after(self, pos: int, n: int) -> list[tuple[int, int, str]]:
        i = bisect_left(self.tok_starts, pos)
        return self.tokens[i:i + n]


def has_attack_words(norm: Normalized) -> bool:
    """Cheap first look: an article with no attack word at all cannot report an attack (most news)."""
    lex = lexicon()
    return any(lex.plain[k].search(norm.text) for k in ("trigger_strong", "trigger_weak", "trigger_plural"))


@lru_cache(maxsize=1)
def _gate() -> WordGate:
    """One word-start gate for every cue category and the gazetteer's names, built once."""
    lex = lexicon()
    words = {k: lex.alternations[k] for k in (*_PLAIN_KEYS, *_LABELLED_KEYS)}
    words.update(gazetteer().alternations)
    words.update({k: rx.pattern for k, rx in DATE_PATTERNS.items()})
    for i, p in enumerate(lex.raw["no_casualties"]):
        words[f"@no_casualties{i}"] = fold_pattern(p)
    return WordGate(words)


def scan(norm: Normalized, published: date) -> Article:
    """Tokenise once, find which word starts may hold a cue, then let each category's regex read only those."""
    t = norm.text
    lex = lexicon()
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(t)]
    tok_starts = [s for s, _, _ in tokens]
    gate = _gate().candidates(t, tok_starts)
    hits: dict[str, Hits] = {k: lex.find(k, t, gate[k]) for k in _PLAIN_KEYS}
    for k in _LABELLED_KEYS:
        hits[k] = lex.find_labelled(k, t, gate[k])
    places = gazetteer().find(t, gate)
    places, shared = _dual_anchor_sites(t, places)
    dates = find_dates(t, published, gate)
    return Article(
        norm=norm, published=published, hits=hits, places=places, place_starts=[p.start for p in places],
        dates=dates, date_starts=[d.start for d in dates], tok_starts=tok_starts, tokens=tokens,
        no_casualty_starts=[gate[f"@no_casualties{i}"] for i in range(len(lex.no_casualties))],
        shared_anchor=shared,
    )


def _dual_anchor_sites(t: str, places: list[PlaceMention]) -> tuple[list[PlaceMention], frozenset[int]]:
    """Sites named after one dual anchor word ("حقلي كونيكو والعمر"): the anchor, singular, goes with each name,
    so the second name is read as "حقل العمر" when the gazetteer knows it so. Returns the places and the starts
    of the names found this way."""
    gz = gazetteer()
    added: list[PlaceMention] = []
    for w in _DUAL_ANCHORS:
        k = t.find(w)
        while k >= 0:
            m = _DUAL_PAIR.match(t, max(0, k - 1) if k and t[k - 1] in "وفبل" else k)
            k = t.find(w, k + 1)
            if m is None or m.group("anc") != w:
                continue
            single = w[:-2] + fold("ة") if w.endswith(fold("تي")) else w[:-1]
            for g in ("a", "b"):
                for name in dict.fromkeys((m.group(g), m.group(g).split()[0])):
                    if any(m.start(g) <= p.start < m.end(g) for p in places):
                        break
                    got = [p for p in gz.find(single + " " + name) if p.start == 0 and not p.weak]
                    if got:
                        added.append(PlaceMention(m.start(g), m.start(g) + len(name), got[0].place_id, False))
                        break
    if not added:
        return places, frozenset()
    return sorted([*places, *added], key=lambda p: p.start), frozenset(p.start for p in added)


def attack_words(art: Article, a: int, b: int) -> tuple[list[Hit], list[Hit]]:
    """Singular attack words (weak ones only with a weapon in reach) and plural (summary) ones, not negated."""
    weapon_near = art.has("weapons", a, b)
    plural_spans = {(h.start, h.end) for h in art.h("trigger_plural", a, b)}
    single: list[Hit] = []
    for h in [*art.h("trigger_strong", a, b), *(art.h("trigger_weak", a, b) if weapon_near else [])]:
        if (h.start, h.end) in plural_spans or is_negated(art, h.start):
            continue
        single.append(h)
    plural = [h for h in art.h("trigger_plural", a, b) if not is_negated(art, h.start)]
    single.sort(key=lambda h: h.start)
    return single, plural


def is_negated(art: Article, pos: int) -> bool:
    """A negation word among the three words before an attack word (لم تتعرض، لا تقارير عن هجمات), or farther
    back when "any" marks the attack word: "لم تتعرض قاعدة حرير أمس لأي هجوم"، "عدم تعرض المعسكر لأي قصف"
    (a denial verb, نفى، stays EX_DENIED's)."""
    before = art.toks_before(pos, 4)
    if any(w in _NEGATIONS for _, _, w in before):
        return True
    if not (before and before[-1][2] in _ANY):
        return False
    return any(w in _NEGATIONS and w not in _DENIAL for _, _, w in art.toks_before(pos, 10))


def is_trigger_word(art: Article, pos: int) -> bool:
    return any(art.hits[k].any_within(pos, pos + 1) for k in ("trigger_strong", "trigger_weak"))


def is_definite(art: Article, h: Hit) -> bool:
    """'الهجوم' or 'هذا الهجوم': a reference back to an attack already told."""
    t = art.text
    i = h.start
    while i > 0 and t[i - 1].isalnum():
        i -= 1
    prefix = t[i:h.start]
    if prefix.endswith(("ال", "لل")) or h.word.startswith("ال"):
        return True
    prev = art.toks_before(i, 1)
    return bool(prev and prev[0][2] in _DEMONSTRATIVES)
