"""Facts read from Arabic clauses: weapon, count, casualties, claim, launch site, sources, interception.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

from extractor.ar.article import (
    Article,
    folded,
    is_negated,
    is_trigger_word,
)
from extractor.lexicon import Hit, lexicon
from extractor.merge import combine_weapons
from extractor.normalize import fold, fold_pattern
from extractor.numbers import VAGUE, dual_forms, parse_number
from extractor.rule_ids import RuleId
from extractor.text import Sentence
from extractor.vocabulary import pattern, words

# "طائرة مسيرة ثالثة سقطت": an ordinal or 'another' still counts one
_DRONE_WORDS = words("drone_words")
_TIME_WORDS = words("time_words")
# "و5 على مقر قوات التحالف في مطار أربيل": the target's own words
_SITE_GLUE = words("site_glue")
_MAKES = words("makes")
_DAMAGE = words("damage_nouns")  # "ألحق أضرارا بطائرة": what follows ب is the thing damaged
_OUT_OF = words("out_of")  # "من أصل", "من مجموع": the number after is the whole salvo, not the part told
_QUALIFIERS = words("qualifiers")
_LAUNCH_STOP = words("launch_stop")
_LAUNCH_SKIP = words("launch_skip")
_DIRECTIONS = {fold("شمال"): "northern", fold("جنوب"): "southern", fold("شرق"): "eastern", fold("غرب"): "western",
               fold("شمالي"): "northern", fold("جنوبي"): "southern", fold("شرقي"): "eastern", fold("غربي"): "western"}
_RURAL = {fold("بادية"): "desert", fold("ريف"): "countryside"}
_LAUNCHERS = words("launchers")
_VEHICLES = words("vehicles")
# "تبحث القوات عن منصة الإطلاق في ...": looking for where it came from states no launch site.
_SEARCHING = re.compile(pattern("searching"))
_UNSURE = re.compile(pattern("unsure"))
# "دون خسائر تذكر": losses denied only as 'worth mentioning' leave the toll unknown (the house rule).
# Only the bare word for losses (material or human): "no injuries worth mentioning" still says none were hurt.
_LOSSES = fold("خسائر")
_WORTH_MENTIONING = re.compile(rf"\W+(?:{pattern('worth_mentioning')})(?!\w)")
# "طلب عدم الكشف عن هويته، وفاة ...": a source asking not to be named negates no casualty word after it.
_ANONYMOUS = re.compile(fold_pattern(
    r"(?:الكشف|الإفصاح|نشر|ذكر)\W+(?:عن\W+)?(?:هويته|هويتها|اسمه|اسمها|هويتهم|أسمائهم)"))
_PERSON_PLURAL = words("person_plural")


def read_weapon(art: Article, a: int, b: int) -> str:
    kinds = {h.label for h in art.h("weapons", a, b) if not _in_us_agent(art, h.start, a, b)}
    return combine_weapons(kinds)


def _in_us_agent(art: Article, pos: int, a: int, b: int) -> bool:
    return any(h.start <= pos < h.end + 30 and not _claimed_strike(art, h, a) for h in art.h("us_agent", a, b))


_MILITANTS = words("militants")


def militant_speaker(art: Article, a: int, pos: int) -> bool:
    """Whether a militant group (a claimant, المقاومة، الفصائل ...) is named in [a, pos), i.e. is the speaker."""
    if art.has("claimants", a, pos):
        return True
    return any(w in _MILITANTS or (w[:1] in "وفل" and w[1:] in _MILITANTS) for _, _, w in art.toks(a, pos))


def _claimed_strike(art: Article, h: Hit, a: int) -> bool:
    """'قالت المقاومة إنها ضربت ...': 'it struck' said by a militant group is its claim, not a US strike."""
    return h.word.startswith((folded("انها"), folded("إنها"))) and militant_speaker(art, a, h.start)


def read_count(art: Article, a: int, b: int) -> tuple[int | None, bool]:
    """The number of projectiles or drones in [a, b): (count, vague).

    The largest number written in the clause wins: 'one rocket hit ..., in an attack with five rockets'
    reports five; a vague amount (عدة، عشرات) only counts when no number is written.
    """
    counts = list(_counts(art, a, b))
    numbers = [c for c, _ in counts if c is not None]
    if numbers:
        return max(numbers), False
    return None, any(v for _, v in counts)


def names_one_ied(art: Article, a: int, b: int) -> bool:
    """Whether [a, b) names a roadside bomb in the indefinite singular ("عبوة ناسفة"): one new device, no look
    back, though FX_IED_NO_COUNT gives it no count."""
    nouns, singulars, _ = _count_nouns()
    for _, _, w in art.tokens[bisect_left(art.tok_starts, a):bisect_left(art.tok_starts, b)]:
        bare = w[1:] if w[:1] in ("ب", "و") and w[1:] in singulars else w
        if bare in singulars and nouns.get(bare) == "ied":
            return True
    return False


def _counts(art: Article, a: int, b: int) -> Iterator[tuple[int | None, bool]]:
    """Every count phrase in [a, b): a number before a weapon noun, a dual, or a singular introduced by ب."""
    nouns, singulars, duals = _count_nouns()
    if art.count_tokens is None:  # most words are no weapon noun: find the few that may be, once
        known = _MAY_COUNT
        found: list[int] = []
        for k, (_, _, w) in enumerate(art.tokens):
            may = known.get(w)
            if may is None:
                may = _may_count(w, nouns, duals, singulars)
                if len(known) < 200_000:
                    known[w] = may
            if may:
                found.append(k)
        art.count_tokens = found
    first = bisect_left(art.tok_starts, a)
    last = bisect_left(art.tok_starts, b)
    cands = art.count_tokens[bisect_left(art.count_tokens, first):bisect_left(art.count_tokens, last)]
    if not cands:
        return
    toks = art.tokens[first:last]
    words = [w for _, _, w in toks]
    for k in cands:
        i = k - first
        got_one = _count_at(art, toks, words, i, words[i], nouns, duals, singulars)
        if got_one is not None:
            yield got_one


_MAY_COUNT: dict[str, bool] = {}  # word → whether it may carry a count (the lexicon is fixed per process)


def _may_count(w: str, nouns: dict[str, str], duals: dict[str, str], singulars: frozenset[str]) -> bool:
    """Whether `w` could carry a count: a weapon noun or dual (clitics allowed), or a construct dual."""
    if _strip_clitic(w, nouns, duals) is not None:
        return True
    bare = w[1:] if w[:1] in ("ب", "و") and _construct_dual(w[1:], singulars) else w
    return _construct_dual(bare, singulars)


_TA_MARBUTA = fold("ة")


def _construct_dual(w: str, singulars: frozenset[str]) -> bool:
    """Whether `w` is the construct dual of a weapon noun: صاروخي (صاروخ), قذيفتي (قذيفة, its ة written ت)."""
    if not w.endswith("ي"):
        return False
    return w[:-1] in singulars or (w.endswith("تي") and w[:-2] + _TA_MARBUTA in singulars)


@lru_cache(maxsize=1)
def _count_nouns() -> tuple[dict[str, str], frozenset[str], dict[str, str]]:
    """Weapon nouns that take a count, their singulars, and the duals of those singulars."""
    _, nouns = lexicon().labelled["count_nouns"]
    singulars = frozenset(w for w in nouns if not w.endswith(("ات", "يخ", "ءف", "ز")))
    duals = {d: s for s in singulars for d in dual_forms(s)}
    return nouns, singulars, duals


_SET_OFF = re.compile(r"[,،؛:]")


def _count_at(
    art: Article, toks: list[tuple[int, int, str]], words: list[str], i: int, w: str, nouns: dict[str, str],
    duals: dict[str, str], singulars: frozenset[str],
) -> tuple[int | None, bool] | None:
    """The count a weapon noun at words[i] carries, or None when words[i] is no weapon noun or has none."""
    bare = w[1:] if w[:1] in ("ب", "و") and _construct_dual(w[1:], singulars) else w  # "بصاروخي كاتيوشا"
    if _construct_dual(bare, singulars) and i + 1 < len(words) and words[i + 1] in _MAKES:
        return 2, False  # construct dual: "صاروخي كاتيوشا", "قذيفتي هاون" (two Katyusha rockets, two mortar shells)
    base = _strip_clitic(w, nouns, duals)
    if base is None:
        return None
    if w.startswith("ب") and i > 0 and words[i - 1] in _DAMAGE:
        art.trace.fire(RuleId.FX_DAMAGED_OBJECT)  # "أضرار بطائرة مدنية": an aircraft hit, not one drone fired
        return None
    if base in duals:
        return 2, False
    if base in singulars and i > 0 and _plural_noun(words[i - 1], nouns, duals, singulars):
        art.trace.fire(RuleId.FX_PLURAL_QUALIFIED)  # "طائرات مسيرة": the singular qualifies the plural before it
        return None
    # Look back over qualifiers for a number: "أكثر من خمسة صواريخ", "ما لا يقل عن 40 صاروخا".
    j = i - 1
    while j >= 0 and words[j] in _QUALIFIERS and i - j <= 5:
        j -= 1
    if j >= 0:
        for k in range(max(0, j - 2), j + 1):
            got = parse_number(words, k)
            # "الخميس 5 أغسطس 2021، عبوة ...": a number set off by a comma is a date's, not the noun's count
            if got is not None and got[1] == j + 1 and not _SET_OFF.search(art.text, toks[j][1], toks[j + 1][0]):
                if k >= 2 and words[k - 2] == folded("من") and words[k - 1] in _OUT_OF:
                    art.trace.fire(RuleId.FX_OUT_OF_TOTAL)  # "ستة صواريخ من أصل تسعة": the nine were fired, six hit
                    return None
                return got[0], False
        if _strip_any(words[j]) in VAGUE or words[j] in VAGUE or (
                j >= 1 and words[j] == folded("من") and _strip_any(words[j - 1]) in VAGUE):
            return None, True
    nxt = words[i + 1:i + 4]
    # "صاروخا واحدا" (accusative) counts one, but not after the plural it is one of ("اعتراض الصواريخ ... وأن
    # صاروخا واحدا سقط": the one that got through).
    subset = any(_plural_noun(x, nouns, duals, singulars) for x in words[:i])
    for n in nxt[:2]:
        if n in (folded("واحد"), folded("واحدة"), folded("واحدا")) and not subset:
            return 1, False
    if nouns.get(base) == "ied":
        # FX_IED_NO_COUNT: a roadside bomb is no salvo; "عبوة ناسفة" alone says no number (a year or a
        # road's number after it is none either): only a written one ("عبوتين"، "عبوة واحدة") counts.
        if base in singulars:
            art.trace.fire(RuleId.FX_IED_NO_COUNT)
        return None
    got = parse_number(words, i + 1) if i + 1 < len(words) and words[i + 1].isdecimal() else None
    if got is not None and got[0] < 100:
        return got[0], False
    j = i + 1
    while j < len(words) and j - i <= 4 and (words[j] in _DRONE_WORDS or words[j] in _MAKES):
        j += 1  # "طائرة مسيرة مفخخة", "طائرة من دون طيار", "قذيفة هاون" before the verb
    introduced = w.startswith(("ب", "وب")) or (i > 0 and is_trigger_word(art, toks[i - 1][0])) or (
        j < len(toks) and is_trigger_word(art, toks[j][0])) or _after_dated_trigger(art, toks, i) or (
        _object_after_subject(art, toks, words, i))
    more = i + 1 < len(words) and words[i + 1] in (folded("وصواريخ"), folded("وقذائف"))
    if base in singulars and introduced and not more:
        return 1, False
    return None


def _plural_noun(w: str, nouns: dict[str, str], duals: dict[str, str], singulars: frozenset[str]) -> bool:
    """Whether `w` is a plural weapon noun, with or without the article (صواريخ، الصواريخ، بالقذائف)."""
    for p in ("", "ال", "وال", "بال", "فال", "لل"):
        if w.startswith(p):
            base = _strip_clitic(w[len(p):], nouns, duals)
            if base is not None and base not in singulars and base not in duals:
                return True
    return False


def _object_after_subject(art: Article, toks: list[tuple[int, int, str]], words: list[str], i: int) -> bool:
    """'أسقطت الدفاعات الجوية طائرة مسيرة': verb, subject, then the noun as object (Arabic's verb-first order)."""
    for k in range(i - 2, max(-1, i - 5), -1):
        if is_trigger_word(art, toks[k][0]):
            gap = art.text[toks[k][1]:toks[i][0]]
            between = words[k + 1:i]
            return not re.search(r"[،,.؛:\d]", gap) and not any(
                _strip_any(w) in VAGUE or parse_number([w], 0) is not None for w in between)
    return False


def _after_dated_trigger(art: Article, toks: list[tuple[int, int, str]], i: int) -> bool:
    """'أسقطت، فجر اليوم الخميس، طائرة مسيرة': the noun follows its verb with only a date in between."""
    for k in range(i - 1, max(-1, i - 6), -1):
        if is_trigger_word(art, toks[k][0]):
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
    """The weapon noun inside `w` (clitics dropped), or None; words repeat, so answers are kept."""
    got = _STRIPPED.get(w, _MISSING)
    if got is _MISSING:
        got = _strip_clitic_uncached(w, nouns, duals)
        if len(_STRIPPED) < 100_000:
            _STRIPPED[w] = got
    return got if isinstance(got, str) else None


_MISSING = object()
_STRIPPED: dict[str, object] = {}  # nouns and duals come from the packaged lexicon, fixed per process


def _strip_clitic_uncached(w: str, nouns: dict[str, str], duals: dict[str, str]) -> str | None:
    if w in nouns or w in duals:
        return w
    for p in ("وب", "ول", "فب", "ب", "و", "ل", "ف"):
        rest = w[len(p):]
        if w.startswith(p) and (rest in nouns or rest in duals):
            return rest
    return None


def _person_value(w: str, persons: frozenset[str]) -> int | None:
    """1 for a singular person noun (جندي، متعاقد), 2 for its dual (جنديان), None otherwise."""
    if persons is _persons():
        return _person_value_cached(w)
    return _person_value_uncached(w, persons)


@lru_cache(maxsize=8192)
def _person_value_cached(w: str) -> int | None:
    return _person_value_uncached(w, _persons())


def _person_value_uncached(w: str, persons: frozenset[str]) -> int | None:
    for cand in (w, w[1:] if w[:1] in ("و", "ب", "ل") else w):
        if cand in persons and cand not in _PERSON_PLURAL:
            return 1
        for p in persons:
            if p not in _PERSON_PLURAL and cand in dual_forms(p):
                return 2
        if cand in (folded("أحد"), folded("احد"), folded("إحدى")):
            return 1
    return None


_MET = words("met")


def _met_death(art: Article, h: Hit) -> int | None:
    """'لقي عنصر من الحراس حتفه' (met his end): the subject between the verb and 'حتفه' is who died."""
    if not h.word.startswith(folded("حتف")):
        return None
    before = art.toks_before(h.start, 9)
    k = max((i for i, (_, _, w) in enumerate(before) if w in _MET), default=None)
    if k is None or k + 1 >= len(before):
        return None
    words = [w for _, _, w in before[k + 1:]]
    got = parse_number(words, 0)
    if got is not None:
        return got[0]
    return _person_value(words[0], _persons())


def _casualty_number(art: Article, h: Hit, b: int) -> int | None:
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
        if w2 in (folded("واحد"), folded("واحدة")) and j + 1 < len(after):
            j += 1
            w2 = after[j][2]
        if not w2.startswith("و") or w2 in (folded("واحد"), folded("واحدة")):
            break
        rest = w2[1:]
        if parse_number([rest], 0) is None and _person_value(rest, persons) is None:
            break
        after[j] = (after[j][0] + 1, after[j][1], rest)
        i = j
    if total is not None:
        return total
    met = _met_death(art, h)
    if met is not None:
        return met
    before = art.toks_before(h.start, 6)
    while before and re.search(r"[،,.؛:]", t[before[0][1]:h.start]):
        before = before[1:]  # only words of the same clause
    if before:
        words = [w for _, _, w in before]
        # "9 جرحى", "ثلاثة من عسكرييها قتلوا", "خمسة عسكريين أمريكيين أصيبوا",
        # "ثلاثة من أفراد الخدمة الأمريكيين أصيبوا" (a partitive 'N من' reaches further back)
        for k in range(len(words) - 1, -1, -1):
            got = parse_number(words, k)
            if got is None:
                continue
            follows = words[got[1]] if got[1] < len(words) else None
            near = len(words) - k <= 4
            if follows == folded("من") or (near and (follows is None or follows in persons)):
                return got[0]
            break
    return None


@lru_cache(maxsize=1)
def _persons() -> frozenset[str]:
    """Nouns for people (جندي، متعاقد ...): a casualty word followed by one counts that person."""
    return frozenset(fold(p) for p in lexicon().raw["person_nouns"])


def _finditer_between(rx: re.Pattern[str], text: str, starts: list[int], a: int, b: int) -> list[re.Match[str]]:
    """`rx.finditer(text, a, b)`, trying only the word starts in `starts` (every place a match can begin)."""
    out: list[re.Match[str]] = []
    last = a
    for p in starts[bisect_left(starts, a):bisect_left(starts, b)]:
        if p < last:
            continue
        m = rx.match(text, p, b)
        if m is not None:
            out.append(m)
            last = m.end() if m.end() > p else p + 1
    return out


def read_casualties(art: Article, a: int, b: int) -> tuple[int | None, int | None]:
    """(killed, wounded) stated in [a, b): numbers where given, 0 for an explicit 'no casualties'."""
    killed: int | None = None
    wounded: int | None = None
    no_matches: list[re.Match[str]] = []
    for rx, starts in zip(lexicon().no_casualties, art.no_casualty_starts, strict=True):
        for m in _finditer_between(rx, art.text, starts, a, b):
            anon = _ANONYMOUS.search(art.text, m.start(), m.end())
            if anon is not None:  # the negation of the source's name: read what follows it instead
                later = rx.search(art.text, anon.end(), b)
                if later is None or later.start() >= m.end():
                    continue
                m = later
            no_matches.append(m)
    for m in no_matches:
        if _UNSURE.search(m.group()):
            continue
        if m.groupdict().get("both") == _LOSSES and _WORTH_MENTIONING.match(art.text, m.end(), b):
            art.trace.fire(RuleId.FX_TOLL_WORTH_MENTIONING)
            continue
        groups = {k: v for k, v in m.groupdict().items() if v}
        if any(k.startswith("both") for k in groups):
            killed = 0 if killed is None else killed
            wounded = 0 if wounded is None else wounded
        if any(k.startswith("killed") for k in groups):
            killed = 0 if killed is None else killed
        if any(k.startswith("wounded") for k in groups):
            wounded = 0 if wounded is None else wounded
    no_spans = [(m.start(), m.end()) for m in no_matches if not _UNSURE.search(m.group())]
    for key in ("killed", "wounded"):
        for h in art.h(key, a, b):
            if any(s <= h.start < e for s, e in no_spans) or (
                    is_negated(art, h.start) and not _ANONYMOUS.search(art.text, max(a, h.start - 30), h.start)):
                continue
            n = _casualty_number(art, h, b)
            if n is None or _attackers(art, h, b):
                continue
            if key == "killed":
                killed = n if killed is None else max(killed, n)
            else:
                wounded = n if wounded is None else max(wounded, n)
    return killed, wounded


_ATTACKERS = words("attackers")


def _attackers(art: Article, h: Hit, b: int) -> bool:
    """'ما أدى إلى مقتل ثلاثة من المهاجمين': the toll is the attackers' (a strike back), not the target's."""
    return any(w in _ATTACKERS for s, _, w in art.toks_after(h.end, 4) if s < b)


def read_claim(art: Article, a: int, b: int) -> str | None:
    """An explicit claim by a named group in [a, b) (تبنت، أعلنت مسؤوليتها، أعلنت استهداف ...); blame is not one."""
    names = art.h("claimants", a, b)
    if not names:
        return _short_claim(art, a, b)
    for n in names:
        # "استهدفت المقاومة الإسلامية في العراق قاعدة ..." / "كتائب حزب الله تقصف ...": the group is the
        # grammatical subject of the attack verb, which is how outlets relay a group's own claim.
        own = bisect_right(art.tok_starts, n.start) - 1
        prev = art.tokens[own - 1] if own > 0 else None
        if prev is not None and is_trigger_word(art, prev[0]) and not is_negated(art, prev[0]) \
                and not art.has("claim_negative", max(a, prev[0] - 30), n.end):
            return n.label
        before = art.toks_before(n.start, 7)  # "تبنت جماعة تطلق على نفسها اسم المقاومة ..."
        window_end = min(b, (art.toks_after(n.end, 14) or [(b, b, "")])[-1][1])
        # the window stays in the sentence: "يعتقد", "المدعومة" in the sentence before blame nobody here
        window_start = max(a, before[0][0]) if before else n.start
        if art.has("claim_negative", window_start, window_end):
            continue
        if art.has("claim_verbs", window_start, window_end):
            return n.label
        # The group must be the one announcing ("أعلنت المقاومة ...", "المقاومة ... في بيان"), not the subject
        # of someone else's statement ("قالت واشنطن إن كتائب حزب الله ...").
        # "أعلنت ما تسمي نفسها المقاومة ...", "أعلن ما يعرف بـ...": the announcing verb stands before the
        # words the outlet uses to keep its distance from the name
        lead = own
        while lead > 0 and own - lead < 5 and art.tokens[lead - 1][2] in _SELF_NAMING:
            lead -= 1
        if lead < own:
            art.trace.fire(RuleId.FX_CLAIM_SELF_NAMED)
        just_before = art.tokens[max(0, lead - 2):lead]
        after_name = art.toks_after(n.end, 4)
        announced = any(art.has("claim_announce", x[0], x[1]) for x in just_before) or any(
            art.has("claim_announce", x[0], x[1]) for x in after_name)
        if announced and art.has("claim_attack", n.end, window_end):
            return n.label
    return None


_SHORT_CLAIMANTS = words("short_claimants")
_SELF_NAMING = words("self_naming")  # "ما تسمي نفسها", "ما يعرف بـ", "التي تطلق على نفسها اسم"


def _short_claim(art: Article, a: int, b: int) -> str | None:
    """'أكدت المقاومة أنها هاجمت ...': a group's short name, once its full name was given, still claims.

    The short name must be announcing ('أكدت المقاومة', 'المقاومة ... في بيان') an attack, as for full names.
    """
    for s, e, w in art.toks(a, b):
        bare = w[1:] if w[:1] in "وف" and w[1:] in _SHORT_CLAIMANTS else w
        if bare not in _SHORT_CLAIMANTS:
            continue
        earlier = [h for h in art.hits["claimants"].within(0, s) if h.word.startswith(bare)]
        if not earlier:
            continue
        own = bisect_right(art.tok_starts, s) - 1
        just_before = art.tokens[max(0, own - 2):own]
        after = art.toks_after(e, 4)
        announced = any(art.has("claim_announce", x[0], x[1]) for x in [*just_before, *after])
        window_end = min(b, (art.toks_after(e, 14) or [(b, b, "")])[-1][1])
        if art.has("claim_negative", s, window_end):
            continue
        if art.has("claim_verbs", s, window_end) or (announced and art.has("claim_attack", e, window_end)):
            return earlier[-1].label
    return None


def read_launch_site(art: Article, a: int, b: int) -> str | None:
    """Where the projectiles came from: 'أطلقت من بلدة زمار' → Zummar; 'بادية الميادين، التي أطلقت منها' too."""
    for h in art.h("launch_verbs", a, b):
        if _searched_for(art, h.start, a):
            continue
        after = [x for x in art.toks_after(h.end, 6) if x[0] < b]
        words = [w for _, _, w in after]
        if folded("منها") in words[:1] or folded("منه") in words[:1]:
            return _site_before(art, h.start, a)
        own = bisect_right(art.tok_starts, h.start) - 1  # the word holding the hit (clitics included)
        prev = art.tokens[own - 1:own] if own > 0 else []
        if prev and prev[0][2] in _LAUNCHERS and folded("في") in words[:5]:
            k = words.index(folded("في"))
            cut = _site_phrase(art, after[k][1], b, 6)
            if cut:
                return _render_site([w for _, _, w in cut], art, cut[0][0], cut[-1][1])
        if folded("من") not in words[:4]:
            continue
        k = words.index(folded("من"))
        if k + 1 < len(words) and words[k + 1] in (folded("نار"), folded("النار")):
            continue  # إطلاق نار: gunfire, not a launch point
        start_after = after[k][1]
        ahead = art.toks_after(start_after, 8)
        if ahead and ahead[0][2] in _VEHICLES:
            # "انطلقت من شاحنة متوقفة قرب ناحية البغدادي": the place is where the vehicle stood.
            near = [x for x in ahead if x[2] in (folded("قرب"), folded("في"), folded("بمنطقة"), folded("داخل"))]
            if not near:
                continue
            start_after = near[0][1]
        site_toks = _site_phrase(art, start_after, b, 5)
        if site_toks:
            return _render_site([w for _, _, w in site_toks], art, site_toks[0][0], site_toks[-1][1])
    return None


_NEAR_ADJ = words("near_adj")


def _site_phrase(art: Article, pos: int, b: int, limit: int) -> list[tuple[int, int, str]]:
    """The words naming a launch point after `pos`, up to a stop word or punctuation; 'أرض زراعية قريبة من ناحية
    البغدادي' reads on past 'قريبة من' to the place it is near (three more words)."""
    out: list[tuple[int, int, str]] = []
    t = art.text
    for tok in art.toks_after(pos, limit + 3):
        if tok[0] >= b or (out and t[out[-1][1]:tok[0]].strip()):
            break
        near = bool(out) and out[-1][2] in _NEAR_ADJ and tok[2] == folded("من")
        if tok[2] in _LAUNCH_STOP and not near:
            break
        if len(out) >= limit and not any(w in _NEAR_ADJ for _, _, w in out):
            break
        out.append(tok)
    return out


def _searched_for(art: Article, pos: int, a: int) -> bool:
    """Whether the launch word at `pos` is what someone is looking for (بحثا عن منصة الإطلاق، لتحديد مصدر)."""
    before = [x for x in art.toks_before(pos, 5) if x[0] >= a]  # the word holding pos may be among them
    return bool(before) and _SEARCHING.search(art.text, before[0][0], pos) is not None


def _site_before(art: Article, pos: int, a: int) -> str | None:
    toks = [x for x in art.toks_before(pos, 5) if x[0] >= a]
    words = [w for _, _, w in toks]
    if words and words[-1] in _VEHICLES:
        return None
    while words and words[-1] in (folded("التي"), folded("الذي")):
        words.pop()
        toks.pop()
    words = words[-3:]
    toks = toks[-3:]
    while words and (words[0].startswith(folded("باستهداف")) or words[0] in (folded("على"), folded("من"))):
        words.pop(0)
        toks.pop(0)
    if not words:
        return None
    return _render_site(words, art, toks[0][0], toks[-1][1])


def _render_site(words: list[str], art: Article, start: int, end: int) -> str | None:
    """A launch site in English when the place is known, else the Arabic phrase as written."""
    lex = lexicon()
    if words and words[0] == folded("خارج"):
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


def read_sources(art: Article, a: int, b: int) -> list[str]:
    return list(dict.fromkeys(h.label for h in art.h("sources", a, b)))


def count_before_site(art: Article, pos: int) -> int | None:
    """'17 على عين الأسد و5 على أربيل': the number just before a site's name is that site's share."""
    before = art.toks_before(pos, 7)
    words = [w for _, _, w in before]
    for k in range(len(words) - 1, -1, -1):
        w = words[k][1:] if words[k][:1] == "و" and words[k][1:].isdecimal() else words[k]
        if w.isdecimal():
            between = words[k + 1:]
            if all(x in _SITE_GLUE for x in between):
                return int(w)
            return None
    return None


def read_intercepted(art: Article, a: int, b: int) -> bool | None:
    """True when the clause says the projectiles were downed or fell short; None when it does not say."""
    if not art.has("intercept", a, b) or art.has("uncertain", a, b):
        return None
    return not art.has("impact", a, b)


def claim_region(art: Article, s: Sentence) -> str | None:
    """The first town named after the claimant in a claim sentence."""
    names = art.h("claimants", s.start, s.end)
    if not names:
        return None
    after = [h.word for h in art.h("regions", names[0].end, s.end)]
    return after[0] if after else None
