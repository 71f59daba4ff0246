"""The Arabic reading: from folded article text to incident mentions, then to merged incidents.

A clause reports an attack when it has an attack word (استهدف، قصف، هجوم، سقوط صواريخ ...) and a US or
coalition target (a known base, or قاعدة/قوات + أمريكية/التحالف), the US or coalition is not the one
striking, and it is told as news rather than background (no old date, no كان ... قد, no tally, no threat).
Facts written in later sentences (casualties, claim, interception) attach to the mention they follow.
Mentions of one attack (same or conflated place, same day, compatible weapon and count) become one
incident.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import pairwise

from extractor.dates import DateMention, find_dates
from extractor.gazetteer import PlaceMention, gazetteer
from extractor.lexicon import Hit, Hits, lexicon
from extractor.merge import COUNTRY_WORDS, Mention, combine_weapons, merge_mentions
from extractor.normalize import Normalized, fold, normalize
from extractor.numbers import VAGUE, dual_forms, parse_number
from extractor.text import HARD_BREAK, Sentence, classify_lines, pieces, split_sentences
from extractor.types import Evidence, Incident

_WORD = re.compile(r"\w+")
_f = lru_cache(maxsize=1024)(fold)  # folds a rule's literal word once, however often the rule runs
_SAME_PLACE = re.compile(fold(r"(?:القاعدة|المعسكر|المطار|الموقع|الحقل|المنشأة|السفارة)\s+(?:ذاته|نفسه|ذاتها|نفسها)"))
_LOOK_BACK = frozenset(fold(w) for w in ("سابقا", "في السابق", "سبق أن", "سبق وأن"))
_DRONE_WORDS = frozenset(fold(w) for w in (
    "مسيرة", "مفخخة", "من", "دون", "بدون", "طيار", "انتحارية", "مجهولة", "واحدة", "صغيرة", "مسيّرة"))
_TIME_REFERENCE = frozenset(fold(w) for w in ("على", "من", "بعد", "عقب", "إثر", "اثر", "غداة", "منذ", "وبعد"))
_TIME_WORDS = frozenset(fold(w) for w in ("فجر", "صباح", "مساء", "ظهر", "عصر", "ليلة", "اليوم", "أمس", "يوم"))
_SITE_GLUE = frozenset(fold(w) for w in (
    "على", "في", "داخل", "قرب", "قاعدة", "باتجاه", "نحو", "منها", "صواريخ", "صاروخا"))
_POSSESSIVE = frozenset(fold(w) for w in (
    "قواتها", "قواته", "قواتنا", "قواعدها", "قواعده", "قواعدنا", "جنودها", "جنوده", "عسكرييها", "منشآتها",
    "مصالحها", "قاعدتها", "قاعدته"))  # "its forces": whose, the sentence's subject says
_MAKES = frozenset(fold(w) for w in ("كاتيوشا", "كاتيوشيا", "غراد", "نوع", "طراز"))
_OTHER_TIME = re.compile(fold(r"[،,]\s*(?:و)?(?:بعد|عقب|غداة|قبل|إثر)\s"))
_DENIAL = frozenset(fold(w) for w in (
    "نفى", "نفت", "ينفي", "تنفي", "ونفى", "ونفت", "نفي", "كذب", "كذبت", "وكذبت"))
_NEAR = frozenset(fold(w) for w in ("قرب", "بالقرب", "قريبا", "مقربة", "محيط", "بمحيط", "قريب"))
_RECENT = 64  # how far back follow-up sentences look for the reports they continue
BACKGROUND_DAYS = 7  # an attack dated more than a week before publication is background
_QUALIFIERS = frozenset(fold(w) for w in (
    "ما", "لا", "يقل", "عن", "أكثر", "اكثر", "من", "نحو", "حوالي", "قرابة", "زهاء", "أقل", "على", "الأقل", "ب",
    "فيه", "فيها", "خلاله", "جراءه", "بسببه", "إلى", "الى", "الي",
    "ارتفع", "ارتفعت", "يرتفع", "بلغ", "وصل", "ليصل", "ليبلغ", "عدد",
))
_LAUNCH_STOP = frozenset(fold(w) for w in (
    "باتجاه", "نحو", "على", "الى", "إلى", "في", "صوب", "ضد", "مستهدفة", "واستهدفت", "لتسقط", "وسقطت", "الواقعة",
    "التابعة", "و", "مساء", "صباح", "فجر", "ليلة", "امس", "أمس", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء",
    "الخميس", "الجمعة", "السبت", "اليوم", "حيث", "بحسب", "وفق", "ما", "من", "الحدودية",
))
_LAUNCH_SKIP = frozenset(fold(w) for w in (
    "داخل", "بلدة", "مدينة", "منطقة", "قرية", "ناحية", "قضاء", "جهة", "محيط", "أطراف", "مناطق", "أراضي", "محافظة",
))
_DIRECTIONS = {fold("شمال"): "northern", fold("جنوب"): "southern", fold("شرق"): "eastern", fold("غرب"): "western",
               fold("شمالي"): "northern", fold("جنوبي"): "southern", fold("شرقي"): "eastern", fold("غربي"): "western"}
_RURAL = {fold("بادية"): "desert", fold("ريف"): "countryside"}
_SINCE = fold("منذ")
_LAUNCHERS = frozenset(fold(w) for w in ("منصة", "منصات", "بمنصة", "راجمة", "منصتي", "قاعدة"))
_VEHICLES = frozenset(fold(w) for w in ("آلية", "شاحنة", "منصة", "عربة", "سيارة", "عجلة", "راجمة", "الآلية", "الشاحنة"))
_UNSURE = re.compile(fold(r"يتضح|تتضح|يعرف|يعرف|معلوم|معروف|إذا|تتوفر|يتوفر|تأكيد|يتأكد"))
_ORDINAL_FIRST = frozenset(fold(w) for w in ("الأول", "أول", "الأولى", "الثاني", "الثالث", "الرابع", "الخامس"))
_RESPONSE = re.compile(fold(r"(?:رد|ردا|ردًا|انتقاما|ثأرا|ثارا)\s+(?:\w+\s+)?على\s+(?:\w+\s+){0,3}$"))
_WAS = frozenset(fold(w) for w in ("كان", "كانت", "وكان", "وكانت", "فكان", "فكانت"))


@dataclass
class _Article:
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
    convoy_context: bool = False  # a convoy attack was reported: "رتل آخر" needs no marker of its own

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


_PLAIN_KEYS = (
    "trigger_strong", "trigger_weak", "trigger_plural", "target_nouns", "coalition_markers", "coalition_phrases",
    "convoy_nouns", "convoy_markers", "diplomatic_nouns", "non_coalition_targets", "us_agent", "threat", "drill",
    "foiled_prelaunch", "negation", "background", "relative_background", "pluperfect", "killed", "wounded",
    "intercept", "impact", "uncertain", "claim_verbs", "claim_announce", "claim_negative", "claim_attack",
    "launch_verbs", "furniture",
)
_LABELLED_KEYS = ("weapons", "claimants", "sources", "regions", "count_nouns")


def _has_attack_words(norm: Normalized) -> bool:
    """Cheap first look: an article with no attack word at all cannot report an attack (most news)."""
    lex = lexicon()
    return any(lex.plain[k].search(norm.text) for k in ("trigger_strong", "trigger_weak", "trigger_plural"))


def _scan(norm: Normalized, published: date) -> _Article:
    t = norm.text
    lex = lexicon()
    hits: dict[str, Hits] = {k: lex.find(k, t) for k in _PLAIN_KEYS}
    for k in _LABELLED_KEYS:
        hits[k] = lex.find_labelled(k, t)
    places = gazetteer().find(t)
    dates = find_dates(t, published)
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(t)]
    return _Article(
        norm=norm, published=published, hits=hits, places=places, place_starts=[p.start for p in places],
        dates=dates, date_starts=[d.start for d in dates], tok_starts=[s for s, _, _ in tokens], tokens=tokens,
    )


# ---------------------------------------------------------------- clause facts


def _triggers(art: _Article, a: int, b: int) -> tuple[list[Hit], list[Hit]]:
    """Singular attack words (weak ones only with a weapon in reach) and plural (summary) ones, not negated."""
    weapon_near = art.has("weapons", a, b)
    plural_spans = {(h.start, h.end) for h in art.h("trigger_plural", a, b)}
    single: list[Hit] = []
    for h in [*art.h("trigger_strong", a, b), *(art.h("trigger_weak", a, b) if weapon_near else [])]:
        if (h.start, h.end) in plural_spans or _negated(art, h.start):
            continue
        single.append(h)
    plural = [h for h in art.h("trigger_plural", a, b) if not _negated(art, h.start)]
    single.sort(key=lambda h: h.start)
    return single, plural


def _negated(art: _Article, pos: int) -> bool:
    """A negation word among the three words before an attack word (لم تتعرض، لا تقارير عن هجمات)."""
    before = art.toks_before(pos, 4)
    negs = {fold(w) for w in ("لم", "ولم", "لن", "لا", "ولا", "ليس", "نفى", "نفت", "ينفي", "عدم", "بعدم")}
    return any(w in negs for _, _, w in before)


def _coalition_targets(art: _Article, a: int, b: int) -> list[tuple[int, str]]:
    """Positions of US/coalition targets in [a, b): (start, kind) with kind base/convoy/diplomatic."""
    out: list[tuple[int, str]] = []
    for h in art.h("coalition_phrases", a, b):
        out.append((h.start, "base"))
    markers = art.h("coalition_markers", a, b)
    marker_starts = [m.start for m in markers]
    for h in art.h("target_nouns", a, b):
        window = art.toks_after(h.end, 7)
        limit = window[-1][1] if window else h.end
        i = bisect_right(marker_starts, h.start)
        possessive = h.word in _POSSESSIVE
        if possessive:
            # "أعلنت القيادة المركزية الأمريكية أن قواتها تعرضت": the forces of the US body just named.
            back = art.toks_before(h.start, 9)
            if back and (art.has("coalition_markers", back[0][0], h.start)
                         or art.has("sources", back[0][0], h.start)):
                kind = "diplomatic" if art.has("diplomatic_nouns", h.start, h.end + 1) else "base"
                out.append((h.start, kind))
                continue
        if i < len(marker_starts) and marker_starts[i] <= limit and marker_starts[i] < b:
            kind = "diplomatic" if art.has("diplomatic_nouns", h.start, h.end + 1) else "base"
            out.append((h.start, kind))
    convoy_markers = art.h("convoy_markers", a, b)
    for h in art.h("convoy_nouns", a, b):
        window = art.toks_after(h.end, 10)
        limit = window[-1][1] if window else h.end
        if any(h.end <= m.start <= limit for m in convoy_markers) or art.convoy_context:
            out.append((h.start, "convoy"))
    out.sort()
    return out


def _choose_place(art: _Article, a: int, b: int, anchor: int) -> PlaceMention | None:
    """The site the clause is about: a specific name before a town or province, not a launch point."""
    cands = [p for p in art.places_in(a, b) if not _in_launch_phrase(art, p.start)]
    strong = [p for p in cands if not p.weak]
    pool = strong or cands
    if not pool:
        return None
    after = [p for p in pool if p.start >= anchor]
    return (after or pool)[0]


def _in_launch_phrase(art: _Article, pos: int) -> bool:
    """Whether a name follows 'أطلقت من' (it is where the attack came from, not the target)."""
    before = art.toks_before(pos, 5)
    words = [w for _, _, w in before]
    if not words:
        return False
    if _f("من") in words[-3:] or any(w.startswith(_f("من")) and len(w) > 2 and w[2:] in ("داخل",) for w in words):
        idx = max(i for i, w in enumerate(words) if w == _f("من") or w == _f("داخل")) if (
            _f("من") in words or _f("داخل") in words) else -1
        if idx >= 0:
            head = words[:idx]
            return any(art.hits["launch_verbs"].any_within(s, e) for s, e, w in before[:idx]) or any(
                w.startswith(_f("انطلق")) or w.startswith(_f("اطلق")) for w in head)
    return False


def _region_country(art: _Article, a: int, b: int, anchor: int) -> str | None:
    """The country of the target: the first region named after the target, else the last one before it."""
    regions = [h for h in art.h("regions", a, b) if not _in_launch_phrase(art, h.start)]
    after = [h for h in regions if h.start >= anchor]
    if after:
        first = after[0].label
        # "في العراق وسوريا" names two countries for one clause: the clause is a summary.
        close = [h.label for h in after if h.start - after[0].start < 25]
        return None if len(set(close)) > 1 else first
    before = [h for h in regions if h.start < anchor]
    return before[-1].label if before else None


def _weapon(art: _Article, a: int, b: int) -> str:
    kinds = {h.label for h in art.h("weapons", a, b) if not _in_us_agent(art, h.start, a, b)}
    return combine_weapons(kinds)


def _in_us_agent(art: _Article, pos: int, a: int, b: int) -> bool:
    return any(h.start <= pos < h.end + 30 for h in art.h("us_agent", a, b))


def _count(art: _Article, a: int, b: int) -> tuple[int | None, bool]:
    """The number of projectiles or drones in [a, b): (count, vague).

    The largest number written in the clause wins: 'one rocket hit ..., in an attack with five rockets'
    reports five; a vague amount (عدة، عشرات) only counts when no number is written.
    """
    counts = list(_counts(art, a, b))
    numbers = [c for c, _ in counts if c is not None]
    if numbers:
        return max(numbers), False
    return None, any(v for _, v in counts)


def _counts(art: _Article, a: int, b: int) -> Iterator[tuple[int | None, bool]]:
    """Every count phrase in [a, b): a number before a weapon noun, a dual, or a singular introduced by ب."""
    nouns, singulars, duals = _count_nouns()
    toks = art.toks(a, b)
    words = [w for _, _, w in toks]
    for i, w in enumerate(words):
        got_one = _count_at(art, toks, words, i, w, nouns, duals, singulars)
        if got_one is not None:
            yield got_one


@lru_cache(maxsize=1)
def _count_nouns() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    """Weapon nouns that take a count, their singulars, and the duals of those singulars."""
    _, nouns = lexicon().labelled["count_nouns"]
    singulars = frozenset(w for w in nouns if not w.endswith(("ات", "يخ", "ءف", "ز")))
    duals = {d: s for s in singulars for d in dual_forms(s)}
    return nouns, singulars, duals


def _count_at(
    art: _Article, toks: list[tuple[int, int, str]], words: list[str], i: int, w: str, nouns: dict[str, str],
    duals: dict[str, str], singulars: frozenset[str],
) -> tuple[int | None, bool] | None:
    """The count a weapon noun at words[i] carries, or None when words[i] is no weapon noun or has none."""
    if w.endswith("ي") and w[:-1] in singulars and i + 1 < len(words) and words[i + 1] in _MAKES:
        return 2, False  # construct dual: "صاروخي كاتيوشا" (two Katyusha rockets)
    base = _strip_clitic(w, nouns, duals)
    if base is None:
        return None
    if base in duals:
        return 2, False
    # Look back over qualifiers for a number: "أكثر من خمسة صواريخ", "ما لا يقل عن 40 صاروخا".
    j = i - 1
    while j >= 0 and words[j] in _QUALIFIERS and i - j <= 5:
        j -= 1
    if j >= 0:
        for k in range(max(0, j - 2), j + 1):
            got = parse_number(words, k)
            if got is not None and got[1] == j + 1:
                return got[0], False
        if _strip_any(words[j]) in VAGUE or words[j] in VAGUE or (
                j >= 1 and words[j] == _f("من") and _strip_any(words[j - 1]) in VAGUE):
            return None, True
    nxt = words[i + 1:i + 4]
    for n in nxt[:2]:
        if n in (_f("واحد"), _f("واحدة")):
            return 1, False
    got = parse_number(words, i + 1) if i + 1 < len(words) and words[i + 1].isdigit() else None
    if got is not None and got[0] < 100:
        return got[0], False
    j = i + 1
    while j < len(words) and j - i <= 4 and words[j] in _DRONE_WORDS:
        j += 1  # "طائرة مسيرة مفخخة", "طائرة من دون طيار" before the verb
    introduced = w.startswith(("ب", "وب")) or (i > 0 and _is_trigger_word(art, toks[i - 1][0])) or (
        j < len(toks) and _is_trigger_word(art, toks[j][0])) or _after_dated_trigger(art, toks, i)
    more = i + 1 < len(words) and words[i + 1] in (_f("وصواريخ"), _f("وقذائف"))
    if base in singulars and introduced and not more:
        return 1, False
    return None


def _after_dated_trigger(art: _Article, toks: list[tuple[int, int, str]], i: int) -> bool:
    """'أسقطت، فجر اليوم الخميس، طائرة مسيرة': the noun follows its verb with only a date in between."""
    for k in range(i - 1, max(-1, i - 6), -1):
        if _is_trigger_word(art, toks[k][0]):
            gap = art.text[toks[k][1]:toks[i][0]]
            dates = [d for d in art.dates_in(toks[k][1], toks[i][0])]
            for d in dates:
                gap = gap.replace(art.text[d.start:d.end], "")
            rest = [w for w in gap.replace("،", " ").replace(",", " ").split() if w not in _TIME_WORDS]
            return bool(dates) and not rest
    return False


def _strip_any(w: str) -> str:
    for p in ("وب", "ول", "ب", "و", "ل", "ف"):
        if w.startswith(p) and w[len(p):] in VAGUE:
            return w[len(p):]
    return w


def _strip_clitic(w: str, nouns: dict[str, str], duals: dict[str, str]) -> str | None:
    if w in nouns or w in duals:
        return w
    for p in ("وب", "ول", "فب", "ب", "و", "ل", "ف"):
        rest = w[len(p):]
        if w.startswith(p) and (rest in nouns or rest in duals):
            return rest
    return None


def _is_trigger_word(art: _Article, pos: int) -> bool:
    return any(art.hits[k].any_within(pos, pos + 1) for k in ("trigger_strong", "trigger_weak"))


_PERSON_PLURAL = frozenset(fold(w) for w in (
    "جنود", "عسكريين", "أشخاص", "متعاقدين", "مدنيين", "عناصر", "آخرين", "آخرون", "أفراد", "منهم", "بينهم",
))


def _person_value(w: str, persons: frozenset[str]) -> int | None:
    """1 for a singular person noun (جندي، متعاقد), 2 for its dual (جنديان), None otherwise."""
    for cand in (w, w[1:] if w[:1] in ("و", "ب", "ل") else w):
        if cand in persons and cand not in _PERSON_PLURAL:
            return 1
        for p in persons:
            if p not in _PERSON_PLURAL and cand in dual_forms(p):
                return 2
        if cand in (_f("أحد"), _f("احد"), _f("إحدى")):
            return 1
    return None


def _casualty_number(art: _Article, h: Hit, b: int) -> int | None:
    """The number attached to a casualty word, summing conjuncts: 'قتل جنديان أميركيان وجندية بريطانية' = 3.

    Reads after the word (مقتل ثلاثة جنود، إصابة 12) or just before it (9 جرحى); a person noun counts 1.
    """
    persons = _persons()
    after = [x for x in art.toks_after(h.end, 12) if x[0] < b]
    t = art.text
    total: int | None = None
    i = 0
    while i < len(after) and after[i][2] in _QUALIFIERS:
        i += 1
    while i < len(after):
        words = [w for _, _, w in after]
        w = words[i]
        val: int | None = None
        nxt = i + 1
        got = parse_number(words, i)
        if got is not None:
            val, nxt = got
        else:
            val = _person_value(w, persons)
        if val is None:
            break
        total = val if total is None else total + val
        # Skip the counted noun and its adjectives, then continue only on 'و' + another person or number.
        j = nxt
        while j < len(after) and j - nxt < 2 and not after[j][2].startswith("و") \
                and not re.search(r"[،,.؛:]", t[after[j - 1][1]:after[j][0]]):
            j += 1
        if j >= len(after) or re.search(r"[،,.؛:]", t[after[j - 1][1]:after[j][0]]):
            break
        w2 = after[j][2]
        if w2 in (_f("واحد"), _f("واحدة")) and j + 1 < len(after):
            j += 1
            w2 = after[j][2]
        if not w2.startswith("و") or w2 in (_f("واحد"), _f("واحدة")):
            break
        rest = w2[1:]
        if parse_number([rest], 0) is None and _person_value(rest, persons) is None:
            break
        after[j] = (after[j][0] + 1, after[j][1], rest)
        i = j
    if total is not None:
        return total
    before = art.toks_before(h.start, 4)
    while before and re.search(r"[،,.؛:]", t[before[0][1]:h.start]):
        before = before[1:]  # only words of the same clause
    if before:
        words = [w for _, _, w in before]
        # "9 جرحى", "ثلاثة من عسكرييها قتلوا", "خمسة عسكريين أمريكيين أصيبوا"
        for k in range(len(words) - 1, -1, -1):
            got = parse_number(words, k)
            if got is None:
                continue
            follows = words[got[1]] if got[1] < len(words) else None
            if follows is None or follows == _f("من") or follows in persons:
                return got[0]
            break
    return None


_PERSONS: list[frozenset[str]] = []


def _persons() -> frozenset[str]:
    if not _PERSONS:
        _PERSONS.append(frozenset(fold(p) for p in lexicon().raw["person_nouns"]))
    return _PERSONS[0]


def _casualties(art: _Article, a: int, b: int) -> tuple[int | None, int | None]:
    """(killed, wounded) stated in [a, b): numbers where given, 0 for an explicit 'no casualties'."""
    killed: int | None = None
    wounded: int | None = None
    for rx in lexicon().no_casualties:
        for m in rx.finditer(art.text, a, b):
            if _UNSURE.search(m.group()):
                continue
            groups = {k: v for k, v in m.groupdict().items() if v}
            if any(k.startswith("both") for k in groups):
                killed = 0 if killed is None else killed
                wounded = 0 if wounded is None else wounded
            if "killed" in groups:
                killed = 0 if killed is None else killed
            if "wounded" in groups:
                wounded = 0 if wounded is None else wounded
    no_spans = [(m.start(), m.end()) for rx in lexicon().no_casualties for m in rx.finditer(art.text, a, b)
                if not _UNSURE.search(m.group())]
    for key in ("killed", "wounded"):
        for h in art.h(key, a, b):
            if any(s <= h.start < e for s, e in no_spans) or _negated(art, h.start):
                continue
            n = _casualty_number(art, h, b)
            if n is None:
                continue
            if key == "killed":
                killed = n if killed is None else max(killed, n)
            else:
                wounded = n if wounded is None else max(wounded, n)
    return killed, wounded


def _claim(art: _Article, a: int, b: int) -> str | None:
    """An explicit claim by a named group in [a, b) (تبنت، أعلنت مسؤوليتها، أعلنت استهداف ...); blame is not one."""
    names = art.h("claimants", a, b)
    if not names:
        return None
    for n in names:
        # "استهدفت المقاومة الإسلامية في العراق قاعدة ..." / "كتائب حزب الله تقصف ...": the group is the
        # grammatical subject of the attack verb, which is how outlets relay a group's own claim.
        own = bisect_right(art.tok_starts, n.start) - 1
        prev = art.tokens[own - 1] if own > 0 else None
        if prev is not None and _is_trigger_word(art, prev[0]) and not _negated(art, prev[0]) \
                and not art.has("claim_negative", max(a, prev[0] - 30), n.end):
            return n.label
        before = art.toks_before(n.start, 4)
        window_end = min(b, (art.toks_after(n.end, 14) or [(b, b, "")])[-1][1])
        window_start = before[0][0] if before else n.start
        if art.has("claim_negative", window_start, window_end):
            continue
        if art.has("claim_verbs", window_start, window_end):
            return n.label
        # The group must be the one announcing ("أعلنت المقاومة ...", "المقاومة ... في بيان"), not the subject
        # of someone else's statement ("قالت واشنطن إن كتائب حزب الله ...").
        just_before = art.tokens[max(0, own - 2):own]
        after_name = art.toks_after(n.end, 4)
        announced = any(art.has("claim_announce", x[0], x[1]) for x in just_before) or any(
            art.has("claim_announce", x[0], x[1]) for x in after_name)
        if announced and art.has("claim_attack", n.end, window_end):
            return n.label
    return None


def _launch_site(art: _Article, a: int, b: int) -> str | None:
    """Where the projectiles came from: 'أطلقت من بلدة زمار' → Zummar; 'بادية الميادين، التي أطلقت منها' too."""
    t = art.text
    for h in art.h("launch_verbs", a, b):
        after = [x for x in art.toks_after(h.end, 6) if x[0] < b]
        words = [w for _, _, w in after]
        if _f("منها") in words[:1] or _f("منه") in words[:1]:
            return _site_before(art, h.start, a)
        own = bisect_right(art.tok_starts, h.start) - 1  # the word holding the hit (clitics included)
        prev = art.tokens[own - 1:own] if own > 0 else []
        if prev and prev[0][2] in _LAUNCHERS and _f("في") in words[:5]:
            k = words.index(_f("في"))
            site = [x for x in art.toks_after(after[k][1], 6) if x[0] < b]
            cut: list[tuple[int, int, str]] = []
            for tok in site:
                if tok[2] in _LAUNCH_STOP or (cut and t[cut[-1][1]:tok[0]].strip()):
                    break
                cut.append(tok)
            if cut:
                return _render_site([w for _, _, w in cut], art, cut[0][0], cut[-1][1])
        if _f("من") not in words[:4]:
            continue
        k = words.index(_f("من"))
        if k + 1 < len(words) and words[k + 1] in (_f("نار"), _f("النار")):
            continue  # إطلاق نار: gunfire, not a launch point
        start_after = after[k][1]
        ahead = art.toks_after(start_after, 8)
        if ahead and ahead[0][2] in _VEHICLES:
            # "انطلقت من شاحنة متوقفة قرب ناحية البغدادي": the place is where the vehicle stood.
            near = [x for x in ahead if x[2] in (_f("قرب"), _f("في"), _f("بمنطقة"), _f("داخل"))]
            if not near:
                continue
            start_after = near[0][1]
        site_toks: list[tuple[int, int, str]] = []
        for tok in art.toks_after(start_after, 5):
            if tok[0] >= b or tok[2] in _LAUNCH_STOP or (site_toks and t[site_toks[-1][1]:tok[0]].strip()):
                break
            site_toks.append(tok)
        if site_toks:
            return _render_site([w for _, _, w in site_toks], art, site_toks[0][0], site_toks[-1][1])
    return None


def _site_before(art: _Article, pos: int, a: int) -> str | None:
    toks = [x for x in art.toks_before(pos, 5) if x[0] >= a]
    words = [w for _, _, w in toks]
    if words and words[-1] in _VEHICLES:
        return None
    while words and words[-1] in (_f("التي"), _f("الذي")):
        words.pop()
        toks.pop()
    words = words[-3:]
    toks = toks[-3:]
    while words and (words[0].startswith(_f("باستهداف")) or words[0] in (_f("على"), _f("من"))):
        words.pop(0)
        toks.pop(0)
    if not words:
        return None
    return _render_site(words, art, toks[0][0], toks[-1][1])


def _render_site(words: list[str], art: _Article, start: int, end: int) -> str | None:
    """A launch site in English when the place is known, else the Arabic phrase as written."""
    lex = lexicon()
    if words and words[0] == _f("خارج"):
        return art.norm.quote(start, end).strip() or None  # "from outside Iraq" names no place
    ws = [w for w in words if w not in _LAUNCH_SKIP]
    modifier = ""
    if ws and ws[0] in _DIRECTIONS:
        modifier = _DIRECTIONS[ws[0]]
        ws = ws[1:]
    rural = ""
    if ws and ws[0] in _RURAL:
        rural = _RURAL[ws[0]]
        ws = [w for w in ws[1:] if w not in _LAUNCH_SKIP]
    spans = [(i, n) for n in range(len(ws), 0, -1) for i in range(0, len(ws) - n + 1)]
    for i, n in spans:  # the longest known place name anywhere in the phrase
        key = " ".join(ws[i:i + n])
        name = lex.places_en.get(key)
        if name is None and not key.startswith("ال"):
            name = lex.places_en.get("ال" + key)
        if name is not None:
            if modifier:
                return f"{modifier} {name}"
            if rural:
                return f"{name} {rural}"
            return name
    quoted = art.norm.quote(start, end).strip()
    return quoted or None


def _sources(art: _Article, a: int, b: int) -> list[str]:
    return list(dict.fromkeys(h.label for h in art.h("sources", a, b)))


def _pluperfect_or_progressive(art: _Article, a: int, b: int) -> tuple[bool, bool]:
    """(pluperfect كان ... قد, progressive كانت الصواريخ تستهدف): the first is background, the second intent."""
    toks = art.toks(a, b)
    plu = prog = False
    for i, (_, _, w) in enumerate(toks):
        if w not in _WAS:
            continue
        nxt = [x[2] for x in toks[i + 1:i + 5]]
        if _f("قد") in nxt:
            plu = True
            continue
        for x in toks[i + 1:i + 4]:
            v = x[2]
            imperfect = v[:1] in ("ت", "ي") and not v.endswith(("ت", "وا"))
            # Only an attack or a plan in progress counts ("كانت الصواريخ تستهدف"), not "كانت تحلق".
            if imperfect and len(v) > 3 and (_is_trigger_word(art, x[0]) or art.has("threat", x[0], x[1])):
                prog = True
                break
    return plu, prog


# ---------------------------------------------------------------- mentions


def _segments(art: _Article, s: Sentence) -> list[tuple[int, int]]:
    """Split a sentence into clause groups only where each side reports its own attack on its own target.

    "رداً على" always splits: a response and the attack it answers are two events.
    """
    hard = [m.start() for m in HARD_BREAK.finditer(art.text, s.start, s.end) if m.start() > s.start]
    bounds = [s.start, *hard, s.end]
    out: list[tuple[int, int]] = []
    for a, b in pairwise(bounds):
        out.extend(_clause_groups(art, a, b))
    return out


def _clause_groups(art: _Article, start: int, end: int) -> list[tuple[int, int]]:
    """Group comma pieces so that each group holds at most one attack on one target."""
    ps = pieces(art.text, start, end)
    if len(ps) == 1:
        return ps
    info = []
    for a, b in ps:
        single, _ = _triggers(art, a, b)
        target = bool(_coalition_targets(art, a, b)) or any(not p.weak for p in art.places_in(a, b))
        info.append((bool(single), target))
    groups: list[list[int]] = [[0]]
    cur_trig, cur_tgt = info[0]
    for i in range(1, len(ps)):
        starts_unit = info[i][0] and _completes(info, i)
        if starts_unit and cur_trig and cur_tgt:
            groups.append([i])
            cur_trig, cur_tgt = info[i]
        else:
            groups[-1].append(i)
            cur_trig = cur_trig or info[i][0]
            cur_tgt = cur_tgt or info[i][1]
    return [(ps[g[0]][0], ps[g[-1]][1]) for g in groups]


def _completes(info: list[tuple[bool, bool]], i: int) -> bool:
    """Whether pieces i.. reach both an attack word and a target (before another attack word starts)."""
    trig = tgt = False
    for k in range(i, min(len(info), i + 4)):  # a clause spans a few comma pieces at most
        if k > i and info[k][0] and trig and not tgt:
            return False
        trig = trig or info[k][0]
        tgt = tgt or info[k][1]
        if trig and tgt:
            return True
    return False


def _own_date(art: _Article, a: int, b: int, anchor: int) -> DateMention | None:
    """The date written in the clause nearest its attack word (bounds of periods after منذ do not count)."""
    ds = [d for d in art.dates_in(a, b) if not d.since]
    if not ds:
        return None
    precise = [d for d in ds if d.precise] or ds
    return min(precise, key=lambda d: abs(d.start - anchor))


def _is_background(
    art: _Article, a: int, b: int, d: DateMention | None, anchor: int, facts: bool = False
) -> str | None:
    """Why the clause is background, or None when it is told as news."""
    pub = art.published
    if d is not None:
        age = (pub - d.value).days
        if age > BACKGROUND_DAYS:
            return f"dated {d.value.isoformat()}, {age} days before publication"
        if age < -2:
            return None if d.kind != "month" else "future month"
        recent = True
    else:
        recent = False
    plu, prog = _pluperfect_or_progressive(art, a, b)
    if prog and not facts:
        return "progressive or intended action (كان + imperfect)"
    if recent and d is not None and (pub - d.value).days >= 5:
        # "days after the shelling that hit Erbil airport on the 15th": told as an earlier event.
        for h in art.h("relative_background", a, b):
            if h.start > anchor - 40:
                return "an earlier attack told in a relative clause"
    if recent:
        return None
    if plu:
        return "pluperfect framing (كان ... قد)"
    for h in art.h("relative_background", a, b):
        if h.start > anchor - 40:
            return "told as a known past event (الذي/التي + verb)"
    for h in art.h("background", a, b):
        if h.word.endswith(_SINCE):
            before = [w for _, _, w in art.toks_before(h.start, 4)]
            if any(w in _ORDINAL_FIRST for w in before):
                continue
        return f"background cue '{h.word}'"
    # A tally: a number of attacks ("165 هجوما").
    for tok_s, _, w in art.toks(a, b):
        if w.startswith((_f("هجوم"), _f("هجمات"), _f("اعتداء"))) and w not in (_f("هجوم"), _f("هجوما")):
            continue
        if w in (_f("هجوما"), _f("هجمات"), _f("اعتداء"), _f("استهدافا")):
            prev = art.toks_before(tok_s, 1)
            if prev and prev[0][2].isdigit() and int(prev[0][2]) > 2:
                return "tally of attacks"
    return None


def _exclusion(art: _Article, a: int, b: int, sent: Sentence, anchor: int, has_place: bool) -> str | None:
    """Why this attack is not one on the coalition, or None."""
    for h in art.h("us_agent", a, b):
        before = art.text[max(a, h.start - 40):h.start]
        if _RESPONSE.search(before):
            continue
        own = bisect_right(art.tok_starts, h.start) - 1  # the word holding the hit, clitics included
        if own > 0 and art.tokens[own - 1][2] in _TIME_REFERENCE:
            continue  # "بعد أقل من ثلاثة أيام على الضربات الأمريكية": a time reference, not the agent
        return f"US, coalition or Israel is the attacker ('{h.word}')"
    if art.has("drill", a, b):
        return "drill, exercise or accident"
    if any(w in _DENIAL for _, _, w in art.toks(a, anchor)):
        return "denied (نفى ...)"
    # A threat or plan governs the attack word when it comes first ("هددت بأنها ستستهدف"); one added after
    # a reported attack ("..., warning of more") does not undo it.
    after = art.toks_after(anchor, 3)
    limit = after[-1][1] if after else anchor
    if art.has("threat", a, limit):
        return "threat, plan or statement"
    if art.has("intercept", sent.start, sent.end) and art.has("foiled_prelaunch", sent.start, sent.end):
        return "foiled before launch"
    if has_place and art.has("non_coalition_targets", a, b):
        place = _choose_place(art, a, b, anchor)
        near = art.toks_before(place.start, 2) if place is not None else []
        if any(w in _NEAR for _, _, w in near):
            return "the target was near a coalition site, not the site"
    if not has_place:
        non = [h for h in art.h("non_coalition_targets", a, b) if h.start >= anchor]
        ours = [p for p, _ in _coalition_targets(art, a, b) if p >= anchor]
        if non and (not ours or non[0].start < ours[0]):
            return "target is not a coalition site"
    return None


def _mention(art: _Article, a: int, b: int, sent: Sentence, order: int) -> Mention | None:
    """Read one clause group; None when it is no attack report at all."""
    single, plural = _triggers(art, a, b)
    targets = _coalition_targets(art, a, b)
    place = _choose_place(art, a, b, single[0].start if single else a)
    if place is None and not targets and art.last_place is not None and _SAME_PLACE.search(art.text, a, b):
        place = art.last_place  # "استهدف المعسكر ذاته": the site of the report before
    strong_place = place is not None and not place.weak
    has_target = strong_place or bool(targets) or (place is not None and bool(targets))
    if not (single or plural) or not has_target:
        return None
    if len(_distinct_sites([p for p in art.places_in(a, b) if not p.weak])) >= 3 and plural:
        single = []  # a list of sites ("Ain al-Asad, Harir and Erbil airport were hit most"): a review
        if not plural:
            return None
    anchor_trig = single[0] if single else plural[0]
    anchor = anchor_trig.start
    if targets:
        tgt_pos = targets[0][0]
    elif place is not None:
        tgt_pos = place.start
    else:
        tgt_pos = anchor
    d = _own_date(art, a, b, anchor)
    ctx = a
    if HARD_BREAK.match(art.text, a) or art.text[a:a + 5].startswith(_f("ردا")):
        # "... عندما شنت واشنطن غارات ردا على هجوم ...": the answered attack shares the sentence's time frame.
        ctx = sent.start
        if d is None:
            d = _own_date(art, sent.start, a, a)
    reason = _is_background(art, ctx, b, d, anchor)
    if reason is None:
        reason = _exclusion(art, a, b, sent, anchor, strong_place)
    generic = place is None and bool(targets) and all(
        _plural_target(art, p) for p, _ in targets)  # "استهداف المصالح الأمريكية": attacks in general
    summary = not single or generic
    gz = gazetteer()
    if place is not None and place.weak and any(k == "convoy" for _, k in targets):
        place = None  # a convoy on a road near a town: the town is not a base
    place_id = place.place_id if place is not None else None
    kind = "base"
    if place_id is not None and gz.kind(place_id) == "diplomatic":
        kind = "diplomatic"
    elif any(k == "convoy" for _, k in targets) and not strong_place:
        kind = "convoy"
    elif any(k == "diplomatic" for _, k in targets) or art.has("diplomatic_nouns", a, b):
        kind = "diplomatic"
    if place is not None:
        p = gz.get(place.place_id)
        country = p.country if p else None
    else:
        country = _region_country(art, a, b, tgt_pos)
    # "... the airport, which had been hit by rockets before": what follows a look back is not this attack.
    looks_back = [h.start for h in art.h("relative_background", anchor, b)] + [
        h.start for h in art.h("background", anchor, b) if h.word in _LOOK_BACK]
    cut = min(looks_back) if looks_back else b
    other = _OTHER_TIME.search(art.text, anchor, cut)
    if other is not None:
        cut = other.start()  # "..., بعد ساعات من إطلاق ثمانية مقذوفات على قاعدة أخرى": another event's numbers
    count, vague = _count(art, a, cut)
    killed, wounded = _casualties(art, a, b)
    anaphoric = bool(single) and d is None and count is None and _definite(art, single[0])
    return Mention(
        anaphoric=anaphoric,
        regions=frozenset(h.word for h in art.h("regions", a, b)),
        order=order,
        sentence=sent.index,
        start=a,
        end=b,
        place_id=place_id,
        place_weak=place is not None and place.weak,
        country=country,
        target_kind=kind,
        date=d.value if d else None,
        date_own=d is not None,
        weapon=_weapon(art, a, cut),
        count=count,
        count_vague=vague,
        killed=killed,
        wounded=wounded,
        intercepted=_intercepted(art, a, b),
        claimed_by=_claim(art, sent.start, sent.end),
        launch_site=_launch_site(art, a, b),
        sources=_sources(art, sent.start, sent.end),
        heading=sent.heading,
        summary=summary,
        excluded=reason,
    )


_DEMONSTRATIVES = frozenset(fold(w) for w in ("هذا", "هذه", "ذلك", "تلك", "ذات", "نفس"))


_PLURAL_TARGETS = frozenset(fold(w) for w in (
    "قواعد", "القواعد", "مصالح", "المصالح", "مواقع", "المواقع", "منشآت", "المنشآت", "معسكرات", "مقرات"))


def _plural_target(art: _Article, pos: int) -> bool:
    """Whether the target word at `pos` is a plural of sites (bases, interests), as in reviews."""
    i = bisect_right(art.tok_starts, pos) - 1  # the word holding pos, clitics included
    if i < 0:
        return False
    w = art.tokens[i][2]
    return w in _PLURAL_TARGETS or (w[:1] in "وبل" and w[1:] in _PLURAL_TARGETS)


def _definite(art: _Article, h: Hit) -> bool:
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


def _split_by_site(art: _Article, m: Mention) -> list[Mention]:
    """'استهدفت عين الأسد وأربيل': one clause, two named sites joined by و, is one attack on each."""
    if m.excluded or m.summary or m.heading:
        return [m]
    places = [p for p in art.places_in(m.start, m.end) if not _in_launch_phrase(art, p.start)]
    if not any(not p.weak for p in places):
        return [m]
    gz = gazetteer()
    firsts = _distinct_sites(places)
    if not 2 <= len(firsts) <= 3:
        return [m]
    for left, right in pairwise(firsts):
        between = art.text[left.end:right.start]
        if len(between) > 120 or not re.search(r"(?:^|\s)و", between):
            return [m]
    out: list[Mention] = []
    for k, first in enumerate(firsts):
        p = gz.get(first.place_id)
        stop = firsts[k + 1].start if k + 1 < len(firsts) else m.end
        own = [d for d in art.dates_in(first.end, stop) if not d.since and d.precise]  # "..., وقاعدة X فجر اليوم"
        day, dated = (own[0].value, True) if own else (m.date, m.date_own)
        start = first.start if k else m.start
        out.append(replace(m, place_id=first.place_id, place_weak=False, country=p.country if p else m.country,
                           count=next((c for q in places if gz.related(q.place_id, first.place_id)
                                       if (c := _count_before_site(art, q.start)) is not None), None),
                           date=day, date_own=dated,
                           regions=frozenset(h.word for h in art.h("regions", start, stop)),
                           extra_sentences=list(m.extra_sentences)))
    return out


def _distinct_sites(places: list[PlaceMention]) -> list[PlaceMention]:
    """The first mention of each site, sites that outlets conflate (Victory base / Baghdad airport) as one."""
    gz = gazetteer()
    out: list[PlaceMention] = []
    for p in places:
        if not any(gz.related(p.place_id, q.place_id) for q in out):
            out.append(p)
    return out


def _count_before_site(art: _Article, pos: int) -> int | None:
    """'17 على عين الأسد و5 على أربيل': the number just before a site's name is that site's share."""
    before = art.toks_before(pos, 4)
    words = [w for _, _, w in before]
    for k in range(len(words) - 1, -1, -1):
        w = words[k][1:] if words[k][:1] == "و" and words[k][1:].isdigit() else words[k]
        if w.isdigit():
            between = words[k + 1:]
            if all(x in _SITE_GLUE for x in between):
                return int(w)
            return None
    return None


def _intercepted(art: _Article, a: int, b: int) -> bool | None:
    """True when the clause says the projectiles were downed or fell short; None when it does not say."""
    if not art.has("intercept", a, b) or art.has("uncertain", a, b):
        return None
    return not art.has("impact", a, b)


# ---------------------------------------------------------------- the article


def read(text: str, published: date, title: str | None = None) -> list[Incident]:
    """Incidents reported in an Arabic article (the title, when given, is read as a heading)."""
    prefix = 0
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        prefix = len(title.strip()) + 1
        text = title.strip() + "\n" + text
    norm = normalize(text)
    if not _has_attack_words(norm):
        return []
    art = _scan(norm, published)
    furniture = [(h.start, h.end) for h in art.hits["furniture"].items]
    lines = classify_lines(art.text, furniture)
    art.sentences = split_sentences(art.text, lines)
    mentions: list[Mention] = []
    last_with_mentions: list[Mention] = []
    pending_claim: tuple[str, int] | None = None
    order = 0
    for s in art.sentences:
        found: list[Mention] = []
        for a, b in _segments(art, s):
            m = _mention(art, a, b, s, order)
            if m is not None:
                for part in _split_by_site(art, m):
                    part.order = order
                    order += 1
                    found.append(part)
        mentions.extend(found)
        reports = [m for m in found if not m.summary and not m.heading]
        if pending_claim is not None and s.index - pending_claim[1] <= 4:
            for m in reports:
                if m.excluded is None and not m.claimed_by:
                    m.claimed_by = pending_claim[0]
        if any(m.target_kind == "convoy" and m.excluded is None for m in reports):
            art.convoy_context = True
        for m in reports:
            if m.place_id and not m.place_weak:
                art.last_place = PlaceMention(m.start, m.start, m.place_id, False)
        informative = [m for m in reports if m.excluded is None and (m.place_id or (m.country and not m.anaphoric))]
        if reports and not informative and last_with_mentions and all(m.excluded is None for m in reports):
            # "الهجوم لم يسفر عن إصابات بين الأفراد الأميركيين": a follow-up about the attack just told.
            for m in reports:
                _absorb(last_with_mentions[-1], m, zeros_only=False)
            continue
        if reports:
            live = [m for m in reports if m.excluded is None]
            if live:
                last_with_mentions = live
            elif all(m.excluded for m in reports):
                # The coalition striking back often names where the attack came from.
                for m in reports:
                    if m.launch_site and m.excluded and m.excluded.startswith("US"):
                        for prev in last_with_mentions:
                            prev.launch_site = prev.launch_site or m.launch_site
                last_with_mentions = []  # what follows a strike by others is about that strike
            continue
        fact = _facts(art, s, order)
        if fact is not None and fact.claimed_by:
            pending_claim = (fact.claimed_by, s.index)  # "X announced three operations": the details follow
        if not s.heading and not _about_same(art, s, last_with_mentions):
            last_with_mentions = []  # another event: its follow-ups are not about our attack either
            continue
        if fact is None:
            continue
        plural = bool(art.h("trigger_plural", s.start, s.end))
        if plural and fact.killed in (0, None) and fact.wounded in (0, None):
            # "لم تسفر الهجمات عن إصابات": the zeros hold for every attack the article reported so far.
            for m in mentions[-_RECENT:]:
                if m.excluded is None and not m.summary:
                    _absorb(m, fact, zeros_only=True)
        # A follow-up naming a town goes to the report about that town ("the attack in Nasiriyah").
        towns = fact.regions - COUNTRY_WORDS
        named = [m for m in mentions[-_RECENT:] if m.excluded is None and not m.summary and not m.heading
                 and m.regions & towns] if towns else []
        for m in named or last_with_mentions:
            if fact.claim_region and fact.claim_region not in m.regions:
                claim, fact.claimed_by = fact.claimed_by, None
                _absorb(m, fact, zeros_only=False)
                fact.claimed_by = claim
            else:
                _absorb(m, fact, zeros_only=False)
    _inherit_dates(art, mentions)
    incidents = merge_mentions(mentions, art.norm, art.sentences, published)
    return [_shift_evidence(i, prefix) for i in incidents] if prefix else incidents


def _shift_evidence(inc: Incident, prefix: int) -> Incident:
    """Evidence offsets refer to the caller's text; a quote from the separately given title gets (0, 0)."""
    ev = tuple(
        Evidence(e.text, e.start - prefix, e.end - prefix) if e.start >= prefix else Evidence(e.text, 0, 0)
        for e in inc.evidence
    )
    return replace(inc, evidence=ev)


def _facts(art: _Article, s: Sentence, order: int) -> Mention | None:
    """Casualties, claim, interception, launch site and sources stated in a sentence without its own mention."""
    if s.heading:
        return None
    single, _ = _triggers(art, s.start, s.end)
    own = _own_date(art, s.start, s.end, s.start)
    if own is not None and (art.published - own.value).days > BACKGROUND_DAYS:
        return None
    if _pluperfect_or_progressive(art, s.start, s.end)[0] and own is None:
        return None
    killed, wounded = _casualties(art, s.start, s.end)
    claim = _claim(art, s.start, s.end)
    intercepted = _intercepted(art, s.start, s.end)
    launch = _launch_site(art, s.start, s.end)
    count, vague = _count(art, s.start, s.end) if single else (None, False)
    weapon = _weapon(art, s.start, s.end) if single else "unknown"
    if killed is None and wounded is None and claim is None and intercepted is None and launch is None \
            and count is None and weapon == "unknown":
        return None
    return Mention(
        order=order, sentence=s.index, start=s.start, end=s.end, place_id=None, place_weak=False, country=None,
        target_kind="base", date=None, date_own=False, weapon=weapon, count=count, count_vague=vague,
        killed=killed, wounded=wounded, intercepted=intercepted, claimed_by=claim, launch_site=launch,
        sources=_sources(art, s.start, s.end), heading=False, summary=True, excluded=None,
        regions=frozenset(h.word for h in art.h("regions", s.start, s.end)),
        claim_region=_claim_region(art, s) if claim else None,
    )


def _claim_region(art: _Article, s: Sentence) -> str | None:
    """The first town named after the claimant in a claim sentence."""
    names = art.h("claimants", s.start, s.end)
    if not names:
        return None
    after = [h.word for h in art.h("regions", names[0].end, s.end)]
    return after[0] if after else None


def _about_same(art: _Article, s: Sentence, previous: list[Mention]) -> bool:
    """Whether a sentence without its own report still speaks of the attack before it.

    It does not when it names a non-coalition target (an Iraqi unit, the SDF) or a day other than the
    attack's: then its casualties belong to another event.
    """
    if not previous:
        return False
    if art.has("us_agent", s.start, s.end) and (
            art.has("trigger_strong", s.start, s.end) or art.has("trigger_weak", s.start, s.end)):
        return False  # a strike by someone else, with its own toll
    others = art.h("non_coalition_targets", s.start, s.end)
    if others and _new_event(art, s.start, s.end):
        # "a Turkish soldier was killed when rockets fell on a camp": a new, other event
        return False
    days = {m.date for m in previous if m.date is not None}
    own = [d for d in art.dates_in(s.start, s.end) if not d.since and d.precise]
    if not (own and days) or any(d.value in days for d in own):
        return True
    # A later report time ("in an update this evening") still speaks of the attack; an earlier day does not.
    return all(d.kind == "relative" and d.value > max(days) for d in own)


_EVENT_NOUNS = frozenset(fold(w) for w in (
    "هجوم", "قصف", "انفجار", "استهداف", "هجوما", "قصفا", "انفجارا", "اعتداء", "غارة", "غارات", "ضربة"))


def _new_event(art: _Article, a: int, b: int) -> bool:
    """Whether [a, b) introduces an event of its own: an indefinite attack noun or weapon ('سقوط صواريخ').

    Definite words ('الهجوم', 'القذائف') refer back to the attack already told.
    """
    for _, _, w in art.toks(a, b):
        bare = w[1:] if w[:1] in "وبلف" and w[1:] in _EVENT_NOUNS else w
        if bare in _EVENT_NOUNS:
            return True  # "بغارة نسبت إلى إسرائيل", "هجوم على": an indefinite attack noun opens a new event
    if not _triggers(art, a, b)[0]:
        return False
    for h in [*art.h("weapons", a, b), *art.h("trigger_strong", a, b)]:
        if h.label == "" and h.word not in _EVENT_NOUNS:
            continue
        if not _definite(art, h):
            return True
    return False


def _better_site(new: str, old: str | None) -> bool:
    """A named town beats a country, which beats a phrase we could not resolve."""
    def rank(x: str) -> int:
        return 0 if not x.isascii() else (1 if x in ("Iraq", "Iran", "Syria", "Jordan") else 2)
    return old is None or rank(new) > rank(old)


def _absorb(m: Mention, fact: Mention, zeros_only: bool) -> None:
    """Carry a later sentence's facts into the mention it follows."""
    if zeros_only:
        if fact.killed == 0 and m.killed is None:
            m.killed = 0
        if fact.wounded == 0 and m.wounded is None:
            m.wounded = 0
        return
    if fact.killed is not None:
        m.killed = fact.killed if m.killed is None else max(m.killed, fact.killed)
    if fact.wounded is not None:
        m.wounded = fact.wounded if m.wounded is None else max(m.wounded, fact.wounded)
    if fact.claimed_by and not m.claimed_by:
        m.claimed_by = fact.claimed_by
    if fact.intercepted is not None and m.intercepted is None:
        m.intercepted = fact.intercepted
    if fact.launch_site and _better_site(fact.launch_site, m.launch_site):
        m.launch_site = fact.launch_site  # a named place beats a phrase we could not resolve
    if fact.count is not None and m.count is None and not m.count_vague:
        m.count = fact.count
    if fact.weapon != "unknown" and m.weapon == "unknown":
        m.weapon = fact.weapon
    m.sources = list(dict.fromkeys([*m.sources, *fact.sources]))
    m.extra_sentences.append(fact.sentence)


def _inherit_dates(art: _Article, mentions: list[Mention]) -> None:
    """An undated report takes the day of the news it continues: the last dated report before it, else a
    recent date written earlier in the article (the dateline, 'الاثنين' of the wire), else publication."""
    pub = art.published
    last: date | None = None
    for m in mentions:
        if m.heading:
            continue
        if m.date_own and m.excluded is None:
            last = m.date
            continue
        if m.date is not None:
            continue
        if last is not None:
            m.date = last
            continue
        k = bisect_left(art.date_starts, m.start)
        m.date = pub
        for d in reversed(art.dates[max(0, k - _RECENT):k]):
            if not d.since and d.precise and 0 <= (pub - d.value).days <= BACKGROUND_DAYS:
                m.date = d.value
                break


__all__ = ["read"]
