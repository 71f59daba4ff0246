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
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise

from extractor.ar.article import (
    Article,
    attack_words,
    folded,
    has_attack_words,
    is_definite,
    is_negated,
    is_trigger_word,
    scan,
)
from extractor.ar.facts import (
    claim_region,
    count_before_site,
    militant_speaker,
    names_one_ied,
    read_casualties,
    read_claim,
    read_count,
    read_intercepted,
    read_launch_site,
    read_sources,
    read_weapon,
)
from extractor.dates import DateMention
from extractor.gazetteer import PlaceMention, gazetteer
from extractor.lexicon import Hit
from extractor.merge import COUNTRY_WORDS, Mention, merge_mentions
from extractor.normalize import fold, fold_pattern, normalize
from extractor.numbers import parse_number
from extractor.provinces import province_of
from extractor.rule_ids import RuleId, Stage
from extractor.stages import StageRules
from extractor.text import HARD_BREAK, Sentence, classify_lines, pieces, split_sentences
from extractor.trace import Tracer
from extractor.types import Evidence, Incident
from extractor.vocabulary import pattern, words

_SAME_PLACE = re.compile(pattern("same_place"))
_LOOK_BACK = words("look_back")
_TIME_REFERENCE = words("time_reference")
_POSSESSIVE = words("possessive")  # "its forces": whose, the sentence's subject says
_OTHER_TIME = re.compile(pattern("other_time"))
# "..., إضافة إلى أهداف في دبي بطائرات مسيرة": what follows is another target, with its own weapon and count.
_OTHER_TARGET = re.compile(pattern("other_target"))
_DENIAL = words("denial")
_DENIED_AFTER = re.compile(pattern("denied_after"))
_DENIAL_PHRASE = re.compile(pattern("denial_phrase"))  # a report called false: "لا صحة ل..."
_CONDEMN = words("condemn")
_AND_ONLY = re.compile(r"\s*و\s*")
_FLIGHT = words("flight")
# "على أطراف بلدة الشدادي": a checkpoint on a town's outskirts is near the site named, not the site.
_NEAR = words("near")
# "لم تتسبب الانفجارات بأي خسائر": the blasts told before, all of them (definite plurals of the blast words)
_THE_BLASTS = re.compile(fold_pattern(r"(?<!\w)[وفبل]?(?:الانفجارات|التفجيرات|العبوات)(?!\w)"))
_PATROL = fold("دورية")
_TOWN_BEFORE = re.compile(pattern("town_before"))  # "قرب ناحية الشدادي": the town, not the base
_TALLY_NOUNS = words("tally_nouns")
_DUAL_ATTACKS = words("dual_attacks")
_CAUSE = words("cause")  # "جراء"، "إثر": what follows is the cause of the toll told before it
_RECENT = 64  # how far back follow-up sentences look for the reports they continue
BACKGROUND_DAYS = 7  # an attack dated more than a week before publication is background
_SINCE = fold("منذ")
_SUBJECTED = (fold("تعرض"), fold("وتعرض"))  # "تعرضت القوات لهجوم": the subject is the target
_ORDINAL_FIRST = words("ordinal_first")
_SINCE_TODAY = words("since_today")
_SINCE_TODAY_PART = words("since_today_part")
_RESPONSE = re.compile(pattern("response"))
_WAS = words("was")
_PLURAL_TARGETS = words("plural_targets")
_LINKED_TO = words("linked_to")
_ONE_OF = words("one_of")
_EVENT_NOUNS = words("event_nouns")
# "بعد يومين من هجوم على قاعدة ...": a span of days back to an earlier event, the time frame of the news.
_TIME_SPAN = re.compile(pattern("time_span"))
_BREAK = re.compile(r"[،,;؛.!?]")
# "وجاء الحادث بعد هجوم على قاعدة ...": an event said to come after an attack, the attack the earlier one.
_COMES_AFTER = re.compile(pattern("comes_after"))
# "القوات الأمريكية المتمركزة في حقل ... أطلقت صواريخ على ...": forces stationed at a site, then their own fire.
_STATIONED_AT = re.compile(pattern("stationed_at"))
_STATIONED_FIRE = re.compile(pattern("stationed_fire"))
# "احتراق مخزن للذخيرة وتطاير القذائف منه": an ammunition store blowing up, projectiles set off by it.
_DEPOT_BLAST = re.compile(pattern("depot_blast"))
# "الفصائل ذاتها التي تقصف القاعدة": a group described by what it keeps doing, a relative clause in the present.
_HABITUAL_GROUP = re.compile(pattern("habitual_group"))
_SPAN_HEADS = (folded("بعد"), folded("عقب"))  # every time span opens on one of them


def _may_span(text: str, a: int, b: int) -> bool:
    """A cheap test before the time-span pattern: whether [a, b) holds 'بعد' or 'عقب' at all."""
    return any(text.find(w, a, b) >= 0 for w in _SPAN_HEADS)
# "والجمعة الماضية، أعلنت المقاومة استهداف ...": a sentence opening on a past weekday set off by a comma.
_LAST_DAY_LEAD = re.compile(pattern("last_day_lead"))
_CASUALTY_UPDATE = re.compile(pattern("casualty_update"))
_CONCUSSION_STEM, _DIAGNOSIS_STEM = folded("ارتجاج"), folded("تشخيص")  # every word of the pattern holds one
_BORDER_WITH = re.compile(pattern("border_with"))
_MISSED = words("missed")
_ALLEGE_WORDS = words("alleged")
_DENIAL_IN_ARTICLE = re.compile(pattern("article_denial"))
_REPORT_DENIAL = re.compile(pattern("report_denial"))
_RELAYED = re.compile(pattern("relayed"))


_NATIONALS = words("nationals_plural")
_SOME = words("nationals_counted_by")  # "عدد", "عدة": a count with no number


_OWNER_WORDS = words("convoy_owner")  # التابع، العائد ...


def _marker_after(art: Article, end: int, starts: list[int], words_: int) -> bool:
    """Whether a convoy marker (sorted `starts`) begins within `words_` words after `end` ("رتل تابع للتحالف")."""
    window = art.toks_after(end, words_)
    limit = window[-1][1] if window else end
    i = bisect_left(starts, end)
    return i < len(starts) and starts[i] <= limit


def _owned_by_coalition(art: Article, end: int, b: int) -> bool:
    """'رتلا عسكريا مؤلفا من عدد من الآليات والسيارات العائدة لقوات التحالف': a convoy described at length and then
    said to belong (التابع، العائد) to the coalition is the coalition's, however far the owner comes."""
    toks = art.toks_after(end, 16)
    for i, (s_, _, w) in enumerate(toks):
        if s_ >= b:
            break
        if w.lstrip("و") in _OWNER_WORDS and i + 1 < len(toks):
            nxt = toks[min(i + 2, len(toks) - 1)][1]
            if art.has("convoy_markers", toks[i + 1][0], min(nxt, b)) or art.has(
                    "coalition_markers", toks[i + 1][0], min(nxt, b)):
                return True
    return False


def _coalition_targets(art: Article, a: int, b: int) -> list[tuple[int, str]]:
    """Positions of US/coalition targets in [a, b): (start, kind) with kind base/convoy/diplomatic."""
    out: list[tuple[int, str]] = []
    for h in art.h("coalition_phrases", a, b):
        out.append((h.start, "base"))
    markers = art.h("coalition_markers", a, b)
    marker_starts = [m.start for m in markers]
    for m in markers:
        if m.word in _NATIONALS and _counted_nationals(art, m.start):
            art.trace.fire(RuleId.CL_NATIONALS_AS_TARGET)
            out.append((m.start, "base"))
    for h in art.h("target_nouns", a, b):
        if h.word not in _POSSESSIVE and _in_launch_phrase(art, h.start):
            continue  # "أطلقت من منطقة القاعدة الأمريكية": the base the fire came from is no target
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
    convoy_starts = sorted(m.start for m in art.h("convoy_markers", a, b))
    for h in art.h("convoy_nouns", a, b):
        marked = _marker_after(art, h.end, convoy_starts, 10) or _owned_by_coalition(art, h.end, b)
        if marked or ((art.convoy_context or art.convoy_owner_told) and _PATROL not in h.word):
            out.append((h.start, "convoy"))  # (a patrol is the coalition's only when the words after it say so)
    out.sort()
    return out


def _choose_place(art: Article, a: int, b: int, anchor: int) -> PlaceMention | None:
    """The site the clause is about: a specific name before a town or province, not a launch point."""
    cands = [p for p in art.places_in(a, b) if not _in_launch_phrase(art, p.start)]
    timed = [p for p in cands if _earlier_attack_site(art, p.start, a, b)]
    if timed:
        art.trace.fire(RuleId.CL_TIME_PHRASE_SITE)
        cands = [p for p in cands if p not in timed]
    heard = [p for p in cands if _siren_site(art, p, a, b)] if art.text.find(_SIREN_STEM, a, b) >= 0 else []
    if heard:
        art.trace.fire(RuleId.CL_SIREN_SITE)
        cands = [p for p in cands if p not in heard]
    strong = [p for p in cands if not p.weak]
    pool = strong or cands
    if not pool:
        return None
    after = [p for p in pool if p.start >= anchor]
    # with nothing after the attack word, the site nearest before it ("لم تكتمل تحقيقات مطار أربيل حتى تعرضت قاعدة
    # عين الأسد لاستهداف": the subject of the attack, not an earlier topic), unless named only as near another
    chosen = after[0] if after else ([p for p in pool if not _named_near(art, p.start)] or pool)[-1]
    # "مطار بغداد الدولي حيث قاعدة فكتوريا", "قاعدة فكتوريا قرب مطار بغداد": a site named with the larger
    # one that encloses it is the target, whichever comes first
    gz = gazetteer()
    # ("مطار أربيل القريب من القنصلية": a site named only to locate the one hit is not it)
    inner = next((p for p in strong if gz.within(p.place_id, chosen.place_id) and not _named_near(art, p.start)),
                 None)
    if inner is not None:
        art.trace.fire(RuleId.CL_ENCLOSED_SITE)
        return inner
    return chosen


_BEFORE_AFTER = words("before_after")


def _earlier_attack_site(art: Article, pos: int, a: int, b: int) -> bool:
    """CL_TIME_PHRASE_SITE: 'وقبل استهداف مطار بغداد، تعرض رتل ...': a site inside a time phrase (before or after
    the attack on X) dates the clause's own attack, told by another attack word, and is not its target."""
    before = art.toks_before(pos, 3)
    for s, _, _ in before:
        if not is_trigger_word(art, s):
            continue
        prev = art.toks_before(s, 1)
        if not prev or prev[0][2] not in _BEFORE_AFTER or prev[0][0] < a:
            continue
        others = [h for key in ("trigger_strong", "trigger_weak") for h in art.h(key, a, b)
                  if not (prev[0][0] <= h.start <= pos)]
        return any(h.start > pos for h in others)
    return False


def _named_near(art: Article, pos: int) -> bool:
    """Whether the name at `pos` follows a word of nearness ('قرب', 'القريب من') within three words."""
    return any(w in _NEAR or (w[:1] in "وب" and w[1:] in _NEAR) or w.startswith(folded("القريب"))
               for _, _, w in art.toks_before(pos, 3))


_SIREN = words("siren")
_SIREN_STEM = folded("انذار")  # every word of the list holds it: a cheap test before reading the words


def _siren_site(art: Article, p: PlaceMention, a: int, b: int) -> bool:
    """Whether the site is named where the sirens sounded ('تزامنا مع إطلاق صافرات الإنذار في القنصلية'): the
    phrase of the clause that names it speaks of the alarm, not of what was hit."""
    lo = max((m.end() for m in _BREAK.finditer(art.text, a, p.start)), default=a)
    hi_m = _BREAK.search(art.text, p.end, b)
    hi = hi_m.start() if hi_m else b
    return any(w in _SIREN for _, _, w in art.toks(lo, hi))


_LAUNCH_LOCATIVES = words("launch_locatives")


_DIRECTION = folded("اتجاه")
_IN = folded("في")


def _launch_bridge(art: Article, gap: list[tuple[int, int, str]]) -> bool:
    """CL_LAUNCH_AREA: 'أطلقت من منطقة القاعدة الأمريكية في التنف': between 'from' and the name only words of
    place, direction and the site's owner, so the name is still where the fire came from."""
    ok = all(w in _LAUNCH_LOCATIVES or w in (_DIRECTION, _IN) or art.hits["target_nouns"].any_within(s, e)
             or art.hits["coalition_markers"].any_within(s, e) for s, e, w in gap)
    if ok and len(gap) > 2:
        art.trace.fire(RuleId.CL_LAUNCH_AREA)
    return ok


def _in_launch_phrase(art: Article, pos: int) -> bool:
    """Whether a name follows 'أطلقت من' / 'انطلقت من داخل' (where the attack came from, not the target)."""
    before = art.toks_before(pos, 8)
    marks = [i for i, (_, _, w) in enumerate(before) if w in (folded("من"), folded("داخل"))]
    if not marks or marks[-1] < len(before) - 6:
        return False
    gap = before[marks[-1] + 1:]
    if gap and gap[-1][2] not in _LAUNCH_LOCATIVES and not _launch_bridge(art, gap):
        return False  # "انطلق من إيران قاعدة عين الأسد": the launch point is named first; the site is the target
    if len(gap) > 2 and not _launch_bridge(art, gap):
        return False
    head = before[:marks[-1]]
    if gap and gap[0][2] == _DIRECTION:
        art.trace.fire(RuleId.CL_LAUNCH_AREA)  # "من اتجاه منطقة التنف": where the fire came from, verb or not
        return True
    launch = [k for k, (s, e, w) in enumerate(head) if art.hits["launch_verbs"].any_within(s, e)
              or w.startswith((folded("انطلق"), folded("اطلق")))]
    # "صواريخ أطلقها مجهولون، سقطت داخل قاعدة بلد": the fall after the launch governs 'داخل', not the launch
    return bool(launch) and not any(is_trigger_word(art, s) for s, _, _ in head[launch[-1] + 1:])


def _region_country(art: Article, a: int, b: int, anchor: int) -> str | None:
    """The country of the target: the first region named after the target, else the last one before it."""
    regions = [h for h in art.h("regions", a, b) if not _in_launch_phrase(art, h.start)]
    # "قاعدة في أقصى شمال شرقي الأردن قرب الحدود مع سوريا": the country over the border is the neighbour, not
    # where the target is, when the clause names another
    inside = [h for h in regions if not _BORDER_WITH.search(art.text, max(a, h.start - 16), h.start)]
    if len(inside) < len(regions):  # (only the neighbour named: the clause leaves its own country unsaid)
        art.trace.fire(RuleId.FX_BORDER_NEIGHBOUR)
        regions = inside
    after = [h for h in regions if h.start >= anchor]
    if after:
        first = after[0].label
        # "في العراق وسوريا" names two countries for one clause: the clause is a summary.
        close = [h.label for h in after if h.start - after[0].start < 25]
        return None if len(set(close)) > 1 else first
    before = [h for h in regions if h.start < anchor]
    return before[-1].label if before else None


def _pluperfect_or_progressive(art: Article, a: int, b: int) -> tuple[bool, bool]:
    """(pluperfect كان ... قد, progressive كانت الصواريخ تستهدف): the first is background, the second intent."""
    toks = art.toks(a, b)
    plu = prog = False
    for i, (_, _, w) in enumerate(toks):
        if w not in _WAS:
            continue
        nxt = [x[2] for x in toks[i + 1:i + 5]]
        if folded("قد") in nxt:
            plu = True
            continue
        for x in toks[i + 1:i + 4]:
            v = x[2]
            imperfect = v[:1] in ("ت", "ي") and not v.endswith(("ت", "وا"))
            # Only an attack or a plan in progress counts ("كانت الصواريخ تستهدف"), not "كانت تحلق".
            if imperfect and len(v) > 3 and (is_trigger_word(art, x[0]) or art.has("threat", x[0], x[1])):
                prog = True
                break
    return plu, prog


def _pluperfect_start(art: Article, a: int, b: int, reach: int = 4) -> int:
    """Where the first كان ... قد of [a, b) begins (b when there is none); قد within `reach` words."""
    toks = art.toks(a, b)
    for i, (start, _, w) in enumerate(toks):
        if w in _WAS and folded("قد") in [x[2] for x in toks[i + 1:i + 1 + reach]]:
            return start
    return b


def _no_claim(art: Article, s: Sentence) -> bool:
    """Whether the sentence says nobody claimed the attack ("ولا تبني للهجوم"، "لم تتبن أي جهة")."""
    return any(folded("تبن") in h.word or folded("تعلن") in h.word or folded("يعلن") in h.word
               or h.word == folded("أي جهة") for h in art.h("claim_negative", s.start, s.end))


def _any_attack_word(art: Article, s: Sentence) -> bool:
    """Whether the sentence holds any attack word at all (without one, no clause of it reports an attack)."""
    return any(art.hits[k].any_within(s.start, s.end) for k in ("trigger_strong", "trigger_weak", "trigger_plural"))


def _any_target(art: Article, s: Sentence) -> bool:
    """Whether the sentence names anything a clause could report as attacked: a place, a US or coalition target
    word, or 'the same base' (without one, no clause of it reports an attack, so it need not be split)."""
    return bool(art.places_in(s.start, s.end)) or any(
        art.hits[k].any_within(s.start, s.end) for k in ("coalition_phrases", "target_nouns", "convoy_nouns")) or (
        _SAME_PLACE.search(art.text, s.start, s.end) is not None) or any(
        m.word in _NATIONALS for m in art.h("coalition_markers", s.start, s.end))


def _segments(art: Article, s: Sentence) -> list[tuple[int, int]]:
    """Split a sentence into clause groups only where each side reports its own attack on its own target.

    "رداً على" always splits: a response and the attack it answers are two events.
    """
    hard = [m.start() for m in HARD_BREAK.finditer(art.text, s.start, s.end) if m.start() > s.start]
    bounds = [s.start, *hard, s.end]
    out: list[tuple[int, int]] = []
    for a, b in pairwise(bounds):
        out.extend(_clause_groups(art, a, b))
    return out


def _clause_groups(art: Article, start: int, end: int) -> list[tuple[int, int]]:
    """Group comma pieces so that each group holds at most one attack on one target."""
    ps = pieces(art.text, start, end)
    if len(ps) == 1:
        return ps
    info: list[tuple[bool, bool]] = []
    for a, b in ps:
        single, _ = attack_words(art, a, b)
        # "ما أدى إلى إصابة خمسة جنود أميركيين": soldiers counted as casualties are not a new target.
        targets = [(p, k) for p, k in _coalition_targets(art, a, b) if not _counted_casualties(art, p)]
        strong = any(not p.weak for p in art.places_in(a, b))
        # "..., بصاروخي كاتيوشا سقطا داخل القاعدة": 'the base' points back to the site named before it.
        back = bool(targets) and not strong and all(_refers_back(art, p) for p, _ in targets)
        target = strong or (bool(targets) and not (back and any(t for _, t in info)))
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


_SITE_NOUNS = words("site_nouns")


def _counted_casualties(art: Article, pos: int) -> bool:
    """Whether the target word at `pos` follows a casualty word within three words (إصابة خمسة جنود)."""
    before = art.toks_before(pos, 3)
    return bool(before) and (art.has("killed", before[0][0], pos) or art.has("wounded", before[0][0], pos))


def _counted_nationals(art: Article, pos: int) -> bool:
    """CL_NATIONALS_AS_TARGET: "مقتل أربعة أميركيين", "إصابة أمريكيين اثنين": nationals counted (a number, or a
    casualty word just before them) are the people attacked, though no troops noun names them."""
    before = art.toks_before(pos, 2)
    if not before:
        return False
    last = before[-1][2]
    return (parse_number([last], 0) is not None or last in _SOME
            or art.has("killed", before[0][0], pos) or art.has("wounded", before[0][0], pos))


def _refers_back(art: Article, pos: int) -> bool:
    """Whether the target word at `pos` is a bare definite site noun ('القاعدة'), which names no new site."""
    i = bisect_right(art.tok_starts, pos) - 1
    if i < 0:
        return False
    w = art.tokens[i][2]
    return w in _SITE_NOUNS or (w[:1] in "وبل" and w[1:] in _SITE_NOUNS) or (
        w[:1] == "ل" and "ال" + w[2:] in _SITE_NOUNS)


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


_OCCURRED = words("occurred")


def _after_occurred(art: Article, pos: int) -> bool:
    """Whether a date follows 'وقع' / 'جرى' (took place) within two words, as in 'الذي وقع فجر ...'."""
    return any(w in _OCCURRED for _, _, w in art.toks_before(pos, 3)[-3:])


_REPORTING = words("reporting")
_ALSO = words("also_words")


# "الثانية من نوعها خلال ساعات", "ثاني هجوم في غضون يوم": the report counts itself after another attack
_SECOND_WITHIN = re.compile(fold_pattern(
    r"(?:الثاني|الثانية|الثالث|الثالثة|ثاني|ثالث)\s+(?:\S+\s+){0,3}?(?:خلال|في غضون|في اقل من)\s+"
    r"(?:\S+\s+)?(?:ساعات|ساعة|ساعتين|يوم|يومين|24 ساعة|اليوم|الليلة)"))


def _second_within(art: Article, a: int, b: int) -> bool:
    """'مسيرة ثانية خلال ساعات', 'الهجوم الثاني في غضون يوم': an attack counted as the second within hours is not the
    one before it, though both hit one site a day apart."""
    return _SECOND_WITHIN.search(art.text, a, b) is not None


def _also_announced(art: Article, a: int, anchor: int) -> bool:
    """'ومساء الاثنين، أعلنت أيضا استهداف ...': an announcing verb, then 'also', before the attack word."""
    toks = art.toks(a, anchor)
    return any(w in _REPORTING and n in _ALSO for (_, _, w), (_, _, n) in pairwise(toks))
_SAID_PLURAL = words("said_plural")  # "قد قالوا": the plural and other verbs of saying after كان ... قد


def _occurrence_date(art: Article, a: int, b: int) -> DateMention | None:
    """'وقالت إن التفجير جرى في الثالث من كانون الثاني': a definite attack word, then a verb of occurrence and a
    day, dates the attack already told (a statement's own day is often the day it was made)."""
    for d in art.dates_in(a, b):
        if d.since or not d.precise or not _after_occurred(art, d.start):
            continue
        words = [h for k in ("trigger_strong", "trigger_weak") for h in art.h(k, a, d.start)]
        if words and all(is_definite(art, h) for h in words):
            return d
    return None


# "بغداد 21 نيسان (أبريل) (يو بي آي) --": a wire's dateline, a city and the day of the dispatch before a dash.
_DATELINE_AFTER = re.compile(r"(?:\s*\([^()\n]{1,30}\))*\s*(?:--|-|–|—|:)")
_LINE_HEAD = re.compile(r"(?:^|\n)[^\n]*$")


def _dateline(art: Article, d: DateMention) -> bool:
    """Whether the date is a dispatch's dateline (the day it was filed, not of the attack it tells)."""
    if _DATELINE_AFTER.match(art.text, d.end) is None:
        return False
    head = _LINE_HEAD.search(art.text, max(0, d.start - 40), d.start)
    return head is not None and len(art.text[head.start():d.start].split()) <= 3


_THAT = words("that")


def _opens_statement(art: Article, d: DateMention, anchor: int) -> bool:
    """'قالت المتحدثة باسم الوزارة، فلانة، الثلاثاء، إن ...': a date just before 'إن/أن' dates the statement
    that begins there, however long the speaker's title."""
    if d.start >= anchor:
        return False
    nxt = art.toks_after(d.end, 1)
    return bool(nxt) and nxt[0][2] in _THAT and not art.text[d.end:nxt[0][0]].strip(" ،,")


def _report_date(art: Article, pos: int, anchor: int) -> bool:
    """Whether the date at `pos` dates a statement: it follows a reporting verb within eight words and comes
    before the attack word, with no attack word between the verb and the date."""
    if pos >= anchor:
        return False
    before = art.toks_before(pos, 8)
    for k in range(len(before) - 1, -1, -1):
        w = before[k][2]
        if w in _REPORTING:
            return not any(is_trigger_word(art, x[0]) for x in before[k + 1:])
    return False


def _own_date(art: Article, a: int, b: int, anchor: int) -> DateMention | None:
    """The date written in the clause nearest its attack word (bounds of periods after منذ do not count)."""
    ds = [d for d in art.dates_in(a, b) if not d.since]
    if not ds:
        return None
    recalled = [d for d in ds if d.anniversary]
    if recalled:
        return recalled[0]  # "استعرض اليوم صواريخ ضرب بها القاعدة في مثل هذا اليوم من عام 2020": the recalled day
    span = _TIME_SPAN.search(art.text, anchor, b) if _may_span(art.text, anchor, b) else None
    if span is not None:
        # "..., وبعد يومين على الانفجار الذي وقع ليل الجمعة": a day after the span dates the earlier event
        ds = [d for d in ds if d.start < span.start()]
        if not ds:
            return None
    precise = [d for d in ds if d.precise] or ds
    occurred = [d for d in precise if _after_occurred(art, d.start)]
    if occurred:
        return occurred[0]  # "الهجوم الذي وقع فجر 28 كانون الثاني": the verb of occurrence dates the attack
    # "أعلنت الخلية، اليوم الاثنين، تفاصيل استهداف القاعدة مساء أمس الأحد": the day the statement was made is
    # not the day of the attack when the clause gives another.
    told = [d for d in precise if not _report_date(art, d.start, anchor) and not _dateline(art, d)
            and not _opens_statement(art, d, anchor)]
    precise = told or precise
    return min(precise, key=lambda d: abs(d.start - anchor))


_ANNIVERSARY = words("anniversary")


def _anniversary_of(art: Article, a: int, anchor: int) -> bool:
    """'الذكرى الأولى للهجوم': the attack word is the object of an anniversary (not 'في ذكرى اغتيال فلان،
    استهدفت ...', an attack made on an anniversary)."""
    own = bisect_right(art.tok_starts, anchor) - 1
    if own < 1 or not art.tokens[own][2].startswith(folded("ل")):
        return False
    for st, _, w in art.tokens[max(0, own - 3):own]:
        if st >= a and (w in _ANNIVERSARY or w[1:] in _ANNIVERSARY):
            return not re.search(r"[،,.؛:]", art.text[st:anchor])
    return False


@dataclass(slots=True)
class Clause:
    """A clause group being judged: where it is, its attack word (`anchor`), its date, and whether it names a
    site; `ctx` is where its time frame starts (the sentence, for the attack a 'رداً على' answers)."""

    art: Article
    a: int
    ctx: int
    b: int
    sent: Sentence
    anchor: int
    d: DateMention | None
    has_place: bool
    tgt: int  # where its target is named
    _tense: tuple[bool, bool] | None = None
    stated: bool = False  # its only day is a statement's (FX_STATEMENT_DATE, FX_QUOTED_DAY), not the attack's

    def tense(self) -> tuple[bool, bool]:
        """(pluperfect, progressive) of the clause's time frame, read once."""
        if self._tense is None:
            self._tense = _pluperfect_or_progressive(self.art, self.ctx, self.b)
        return self._tense

    def age(self) -> int | None:
        """Days from the clause's date to publication (None when undated)."""
        return None if self.d is None else (self.art.published - self.d.value).days


ASSERT: StageRules[tuple[Article, Sentence]] = StageRules(Stage.ASSERT)
BACKGROUND: StageRules[Clause] = StageRules(Stage.BACKGROUND)
EXCLUSION: StageRules[Clause] = StageRules(Stage.EXCLUSION)


@ASSERT.rule(RuleId.AS_QUESTION)
def _as_question(c: tuple[Article, Sentence]) -> RuleId | None:
    """An explainer's question ('لماذا لم تعترضها الدفاعات؟') reports nothing."""
    art, s = c
    return RuleId.AS_QUESTION if art.text[s.end - 1:s.end] in ("?", "؟") else None


@ASSERT.rule(RuleId.AS_RETRACTED)
def _as_retracted(c: tuple[Article, Sentence]) -> RuleId | None:
    """A correction's account of what an earlier version said ('ذكرت نسخة سابقة من هذا الخبر أن ...')."""
    art, s = c
    return RuleId.AS_RETRACTED if _RETRACTED.search(art.text, s.start, s.end) else None


def _unasserted(art: Article, s: Sentence) -> RuleId | None:
    """The rule that finds a sentence asserts nothing as news; None when it is told as fact."""
    return ASSERT.run((art, s), art.trace.fire)


@BACKGROUND.rule(RuleId.BG_ANNIVERSARY)
def _bg_anniversary(c: Clause) -> RuleId | None:
    """'الذكرى الأولى للهجوم': the attack is the object of an anniversary."""
    return RuleId.BG_ANNIVERSARY if _anniversary_of(c.art, c.ctx, c.anchor) else None


@BACKGROUND.rule(RuleId.BG_OLD_DATE, RuleId.BG_FUTURE_MONTH, RuleId.SP_FUTURE_DAY)
def _bg_date(c: Clause) -> RuleId | None:
    """Dated over a week before publication: background; a month still to come: not news; a day still to
    come: no other background rule applies (a wrong day in the source, not an old event)."""
    age = c.age()
    if age is None or -2 <= age <= BACKGROUND_DAYS:
        return None
    if age > BACKGROUND_DAYS:
        return RuleId.BG_OLD_DATE
    return RuleId.BG_FUTURE_MONTH if c.d is not None and c.d.kind == "month" else RuleId.SP_FUTURE_DAY


@BACKGROUND.rule(RuleId.BG_PROGRESSIVE)
def _bg_progressive(c: Clause) -> RuleId | None:
    """'كانت الصواريخ تستهدف': an attack in progress or intended, not one that happened."""
    if not c.tense()[1]:
        return None
    art = c.art
    was = next((st for st, _, w in art.toks(c.ctx, c.b) if w in _WAS), c.b)
    if any(h.word not in _MISSED for h in art.h("intercept", c.ctx, was)):
        # "أسقطت الدفاعات طائرة مسيرة كانت تستهدف قاعدة حرير": the attack was under way when it was downed;
        # but "أخطأ الهجوم هدفه لأنه كان يستهدف مطار بغداد": the site it missed was only its aim
        art.trace.fire(RuleId.SP_DOWNED_ON_WAY)
        return None
    return RuleId.BG_PROGRESSIVE


@BACKGROUND.rule(RuleId.BG_RELATIVE_EARLIER)
def _bg_relative_earlier(c: Clause) -> RuleId | None:
    """'days after the shelling that hit Erbil airport on the 15th': an attack of 5-7 days ago told in a
    relative clause is an earlier event."""
    age = c.age()
    if age is None or age < 5:
        return None
    near = any(h.start > c.anchor - 40 for h in c.art.h("relative_background", c.ctx, c.b))
    return RuleId.BG_RELATIVE_EARLIER if near else None


@BACKGROUND.rule(RuleId.BG_TIME_SPAN)
def _bg_time_span(c: Clause) -> RuleId | None:
    """'وتأتي الضربات بعد يومين من هجوم على قاعدة في كركوك': the target is named inside a span of days reaching
    back from the news (بعد يومين من، بعد نحو أسبوع على): the attack on it is the earlier event."""
    art = c.art
    if not _may_span(art.text, c.ctx, c.tgt):
        return None
    for m in _TIME_SPAN.finditer(art.text, c.ctx, c.tgt):
        if not _BREAK.search(art.text, m.end(), c.tgt):
            return RuleId.BG_TIME_SPAN
        words = [h.start for k in ("trigger_strong", "trigger_weak") for h in art.h(k, m.end(), c.tgt)]
        if words and not _BREAK.search(art.text, m.end(), max(words)):
            return RuleId.BG_TIME_SPAN  # "بعد أيام من استهداف طائرة مسيرة، القاعدة ..."
    return None


@BACKGROUND.rule(RuleId.BG_MONTH_ONLY)
def _bg_month_only(c: Clause) -> RuleId | None:
    """'وفي نهاية أبريل، تعرض مطار بغداد للاستهداف': news gives its attack a day; an attack placed only in a part
    of a month is an earlier one recalled, even when that part of the month is recent."""
    return RuleId.BG_MONTH_ONLY if c.d is not None and c.d.kind == "month" else None


@BACKGROUND.rule(RuleId.BG_LAST_DAY_LEAD)
def _bg_last_day_lead(c: Clause) -> RuleId | None:
    """'والأحد الماضي، استهدفت صواريخ المنطقة الخضراء': a sentence that opens on 'last Sunday' set off by a comma
    recalls an earlier event beside the news (a day told inside the report, 'مساء الأحد الماضي', does not)."""
    return RuleId.BG_LAST_DAY_LEAD if _LAST_DAY_LEAD.match(c.art.text, c.sent.start) else None


@BACKGROUND.rule(RuleId.BG_CASUALTY_UPDATE)
def _bg_casualty_update(c: Clause) -> RuleId | None:
    """'تم تشخيص 109 جنود بإصابات في الدماغ نتيجة الهجوم': a later count of the wounded (diagnoses, concussions,
    brain injuries) tells how an earlier attack's toll grew, not the attack, even when the statement is dated
    today; a clause that gives the attack its own day ('أطلقوا عصر السبت صواريخ ... واحتمال إصابة عدد منهم
    بارتجاج') is the news itself."""
    if c.d is not None and not c.stated:
        return None
    text = c.art.text
    if text.find(_CONCUSSION_STEM, c.ctx, c.b) < 0 and text.find(_DIAGNOSIS_STEM, c.ctx, c.b) < 0:
        return None  # most clauses: neither stem, no regex search
    return RuleId.BG_CASUALTY_UPDATE if _CASUALTY_UPDATE.search(text, c.ctx, c.b) else None


@BACKGROUND.rule(RuleId.SP_RECENT_DATE)
def _sp_recent_date(c: Clause) -> RuleId | None:
    """A date within the week makes the clause news: the undated cues below do not apply."""
    return RuleId.SP_RECENT_DATE if c.d is not None else None


@BACKGROUND.rule(RuleId.BG_PLUPERFECT)
def _bg_pluperfect(c: Clause) -> RuleId | None:
    """'وكانت القاعدة قد تعرضت': told as past."""
    if not c.tense()[0]:
        return None
    if _said_before(c.art, c.ctx, c.b):
        # "وكان مسؤولون كرد قد قالوا إن 12 صاروخا استهدفت القنصلية": the saying is past, the attack is the news
        c.art.trace.fire(RuleId.SP_SAID_BEFORE)
        return None
    return RuleId.BG_PLUPERFECT


def _said_before(art: Article, a: int, b: int) -> bool:
    """Whether the first كان ... قد of [a, b) governs a verb of saying ('قد قالوا إن', 'قد أعلنت أن'), with the
    attack told after it."""
    toks = art.toks(a, b)
    for i, (_, _, w) in enumerate(toks):
        if w not in _WAS:
            continue
        after = [x[2] for x in toks[i + 1:i + 6]]
        if folded("قد") not in after:
            continue
        k = after.index(folded("قد"))
        verb = after[k + 1] if k + 1 < len(after) else ""
        return verb in _REPORTING or verb in _SAID_PLURAL
    return False


@BACKGROUND.rule(RuleId.BG_RELATIVE_TIME)
def _bg_relative_time(c: Clause) -> RuleId | None:
    """'الهجوم الذي استهدف ...' near the attack word: told as a known past event."""
    near = any(h.start > c.anchor - 40 for h in c.art.h("relative_background", c.ctx, c.b))
    return RuleId.BG_RELATIVE_TIME if near else None


@BACKGROUND.rule(RuleId.BG_COMES_AFTER)
def _bg_comes_after(c: Clause) -> RuleId | None:
    """'وجاء الحريق عقب قصف طال قاعدة ...': a sentence saying that something came after (بعد، عقب) an attack on the
    target places that attack before its own subject, a reference point recalled, not the news; with no day of its
    own (a dated clause is settled above) it is an earlier event. The site must follow the time word in the same
    stretch of words (no comma or stop between them). Not when the subject is itself an attack (a new attack a
    day after another: both news), nor for 'بعد أن' + a verb or a span of hours or minutes (the same day)."""
    art = c.art
    if not _may_span(art.text, c.ctx, c.tgt):
        return None
    for m in _COMES_AFTER.finditer(art.text, c.ctx, c.tgt):
        if _BREAK.search(art.text, m.start(), c.tgt):
            continue
        if any(h.start < m.end() for h in art.h("trigger_strong", m.start(), m.end())):
            continue  # "ويأتي الهجوم الجديد بعد يوم من هجوم على ...": an attack after an attack, both told as news
        return RuleId.BG_COMES_AFTER
    return None


@BACKGROUND.rule(RuleId.BG_HABITUAL_GROUP)
def _bg_habitual_group(c: Clause) -> RuleId | None:
    """'تصعيد من الفصائل ذاتها التي تستهدف قاعدة حرير': armed groups described by a relative clause in the present
    tense (التي/الذين + an imperfect attack verb) name what they keep doing, not an attack; the target must
    follow that verb with no comma or stop between. Undated clauses only (a dated one is settled above)."""
    art = c.art
    for m in _HABITUAL_GROUP.finditer(art.text, c.ctx, c.tgt):
        if not _BREAK.search(art.text, m.end(), c.tgt) and len(art.text[m.end():c.tgt].split()) <= 2:
            return RuleId.BG_HABITUAL_GROUP
    return None


@BACKGROUND.rule(RuleId.BG_CUE)
def _bg_cue(c: Clause) -> RuleId | None:
    """A background cue (منذ، سابقا، الشهر الماضي ...), except منذ after 'the first' (SP_SINCE_ORDINAL)."""
    art = c.art
    for h in art.h("background", c.ctx, c.b):
        if h.word.endswith(_SINCE):
            before = [w for _, _, w in art.toks_before(h.start, 7)]
            # "الهجوم هو الثامن من نوعه على القاعدة منذ ...": the count includes this attack
            if any(w in _ORDINAL_FIRST for w in before[-4:]) or (
                    any(w in _ORDINAL_FIRST for w in before) and folded("نوعه") in before):
                art.trace.fire(RuleId.SP_SINCE_ORDINAL)
                continue
            after = [w for _, _, w in art.toks_after(h.end, 3)]
            # "منذ فجر اليوم", "منذ ساعات": the hours of today's news, not a time long past
            if after and (after[0] in _SINCE_TODAY or (
                    after[0] in _SINCE_TODAY_PART and any(w in _SINCE_TODAY for w in after[1:]))):
                art.trace.fire(RuleId.SP_SINCE_TODAY)
                continue
        return RuleId.BG_CUE
    return None


@BACKGROUND.rule(RuleId.BG_TALLY)
def _bg_tally(c: Clause) -> RuleId | None:
    """A number of attacks ('165 هجوما'): a tally."""
    art = c.art
    for tok_s, _, w in art.toks(c.ctx, c.b):
        if w in _TALLY_NOUNS:
            prev = art.toks_before(tok_s, 1)
            if prev and prev[0][2].isdecimal() and int(prev[0][2]) > 2:
                return RuleId.BG_TALLY
    return None


@EXCLUSION.rule(RuleId.EX_US_STRIKE)
def _ex_us_strike(c: Clause) -> RuleId | None:
    """The US, the coalition or Israel is the attacker, unless the agent is named in a response, a time
    reference, flying over, a strike told after the attack, or a group's own 'إنها ضربت' (each a traced spare)."""
    art, a, b, anchor = c.art, c.a, c.b, c.anchor
    tr = art.trace
    for h in art.h("us_agent", a, b):
        before = art.text[max(a, h.start - 40):h.start]
        if any(w.startswith(_SUBJECTED) for w in h.word.split()):
            tr.fire(RuleId.SP_SUBJECTED)
            continue  # "القوات الأمريكية تعرضت لهجوم نفذ بطائرات": the forces named are the ones attacked
        if _RESPONSE.search(before):
            tr.fire(RuleId.SP_RESPONSE)
            continue
        own = bisect_right(art.tok_starts, h.start) - 1  # the word holding the hit, clitics included
        if own > 0 and art.tokens[own - 1][2] in _TIME_REFERENCE:
            tr.fire(RuleId.SP_TIME_REFERENCE)
            continue  # "بعد أقل من ثلاثة أيام على الضربات الأمريكية": a time reference, not the agent
        if _flying(art, h.start):
            tr.fire(RuleId.SP_FLYING)
            continue  # "تبعه تحليق لطائرات التحالف": coalition aircraft flying over after the blast attack no one
        if _later_strike(art, a, b, anchor, h.start) or _later_time_aside(art, a, b, anchor, h.start) is not None:
            tr.fire(RuleId.SP_LATER_STRIKE)
            continue  # "..., رسالة بأن الغارة الأمريكية التي طالت مقرا ...": a strike told after, another event
        if h.word.startswith((folded("انها"), folded("إنها"))) and militant_speaker(art, c.sent.start, h.start):
            tr.fire(RuleId.SP_GROUP_SPEAKS)
            continue  # "قالت المقاومة إنها ضربت قاعدة حرير": 'it struck' is the group's own claim
        return RuleId.EX_US_STRIKE
    return None


@EXCLUSION.rule(RuleId.EX_STATIONED_FIRER)
def _ex_stationed_firer(c: Clause) -> RuleId | None:
    """'قوات التحالف المنتشرة في القاعدة قصفت بالمدفعية مواقع ...': the site is named only as where US or coalition
    forces are stationed (a participle of being stationed, then في), and the clause's attack word is the verb
    right after the site: the forces fire from the site, it is no target. The forces must be marked as US or
    coalition just before the participle."""
    art = c.art
    for m in _STATIONED_AT.finditer(art.text, c.a, c.b):
        back = art.toks_before(m.start(), 4)
        if not back or not art.has("coalition_markers", back[0][0], m.start()):
            continue
        for p in art.places_in(m.end(), min(c.b, m.end() + 40)):
            if _BREAK.search(art.text, m.end(), p.start) or len(art.text[m.end():p.start].split()) > 3:
                continue
            fire = _STATIONED_FIRE.match(art.text[p.end:min(c.b, p.end + 120)])
            if fire is not None and p.end + fire.start() <= c.anchor < p.end + fire.end():
                return RuleId.EX_STATIONED_FIRER
    return None


_FAULT = re.compile(fold_pattern(r"(?:خلل|عطل) (?:فني|تقني)"))


@EXCLUSION.rule(RuleId.EX_DRILL)
def _ex_drill(c: Clause) -> RuleId | None:
    """A drill, an exercise or an accident; not a technical fault told after the attack word ('مسيرتان هاجمتا
    القاعدة ... الثانية سقطت بسبب خلل فني': the fault is the weapon's, the attack stands)."""
    hits = c.art.h("drill", c.a, c.b)
    if not hits:
        return None
    if all(_FAULT.fullmatch(c.art.text, h.start, h.end) and h.start > c.anchor for h in hits) \
            and c.art.has("trigger_strong", c.a, c.anchor + 1):
        return None
    return RuleId.EX_DRILL


@EXCLUSION.rule(RuleId.EX_DEPOT_BLAST)
def _ex_depot_blast(c: Clause) -> RuleId | None:
    """'نتج الانفجار عن احتراق مخزن للعتاد، ما أدى إلى تطاير قذائف سقط بعضها قرب السفارة': an ammunition store
    (a dump, a depot of munitions) blowing up or burning is an accident, and the shells it throws are no attack;
    not when an attack word comes first in the clause ('أدى القصف إلى انفجار مخزن للذخيرة في القاعدة': the
    store blew up because it was hit)."""
    art = c.art
    m = _DEPOT_BLAST.search(art.text, c.a, c.b)
    if m is None:
        return None
    if any(h.start < m.start() for h in art.h("trigger_strong", c.a, m.start())):
        return None
    return RuleId.EX_DEPOT_BLAST


@EXCLUSION.rule(RuleId.EX_ALLEGED_DENIED)
def _ex_alleged_denied(c: Clause) -> RuleId | None:
    """'زعمت وكالة سبوتنيك أن هجوما طال قاعدة كونيكو' in an article that also carries a denial (نفى، نفت،
    'هجوم دعائي'): an allegation the article sets against a denial is not reported as fact."""
    art = c.art
    toks = art.toks(c.ctx, c.anchor)
    if not any(w in _ALLEGE_WORDS or (w[:1] in "وف" and w[1:] in _ALLEGE_WORDS) for _, _, w in toks):
        return None
    return RuleId.EX_ALLEGED_DENIED if _DENIAL_IN_ARTICLE.search(art.text) else None


@EXCLUSION.rule(RuleId.EX_CONDEMNATION)
def _ex_condemnation(c: Clause) -> RuleId | None:
    """'دانت السفارة الأمريكية الهجوم على الحقل': the site before the attack word condemns it; the target is
    whatever follows the attack word."""
    art, a, b, anchor = c.art, c.a, c.b, c.anchor
    if not any(w in _CONDEMN or (w[:1] in "وف" and w[1:] in _CONDEMN) for _, _, w in art.toks(a, anchor)):
        return None
    place = _choose_place(art, a, b, anchor)
    if (place is None or place.start < anchor) and not any(p >= anchor for p, _ in _coalition_targets(art, a, b)):
        return RuleId.EX_CONDEMNATION
    return None


@EXCLUSION.rule(RuleId.EX_DENIED)
def _ex_denied(c: Clause) -> RuleId | None:
    """A denial before the attack word ('نفت الوزارة تعرض القاعدة لأي هجوم'), or a report called false
    before it ('لا صحة لما تداولته المنصات عن قصف القاعدة', 'عار عن الصحة'): what is denied is no fact."""
    if any(w in _DENIAL for _, _, w in c.art.toks(c.a, c.anchor)):
        return RuleId.EX_DENIED
    return RuleId.EX_DENIED if _DENIAL_PHRASE.search(c.art.text, c.a, c.anchor) else None


@EXCLUSION.rule(RuleId.EX_DENIED_AFTER)
def _ex_denied_after(c: Clause) -> RuleId | None:
    """'..., غير أن مسؤولا نفى وقوع أي هجوم': denied later in the sentence."""
    return RuleId.EX_DENIED_AFTER if _DENIED_AFTER.search(c.art.text, c.anchor, c.sent.end) else None


@EXCLUSION.rule(RuleId.EX_RELAYED_DENIED)
def _ex_relayed_denied(c: Clause) -> RuleId | None:
    """'نفى المتحدث صحة التقارير ...، ونقلت مواقع أن صواريخ سقطت في الحقل': a report the clause only relays from
    sites, platforms or an agency's claim ('مدعية') is the very report the article denies, not fact."""
    if not _RELAYED.search(c.art.text, c.a, c.sent.end):
        return None
    return RuleId.EX_RELAYED_DENIED if _REPORT_DENIAL.search(c.art.text) else None


@EXCLUSION.rule(RuleId.EX_THREAT)
def _ex_threat(c: Clause) -> RuleId | None:
    """A threat or plan governs the attack word when it comes first ("هددت بأنها ستستهدف"); one added after a
    reported attack ("..., warning of more") does not undo it; a truce word in a time phrase and 'a missile
    threat' shot down are spares."""
    art = c.art
    after = art.toks_after(c.anchor, 3)
    limit = after[-1][1] if after else c.anchor
    for h in art.h("threat", c.a, limit):
        if _threat_noun(h.word) and _in_time_phrase(art, h.start):
            art.trace.fire(RuleId.SP_THREAT_IN_TIME_PHRASE)
        elif _incoming(art, h):
            art.trace.fire(RuleId.SP_INCOMING_THREAT)
        else:
            return RuleId.EX_THREAT
    return None


@EXCLUSION.rule(RuleId.EX_FOILED)
def _ex_foiled(c: Clause) -> RuleId | None:
    """Foiled before launch: an interception word and a pre-launch cue in the sentence."""
    art, s = c.art, c.sent
    return RuleId.EX_FOILED if art.has("intercept", s.start, s.end) and art.has(
        "foiled_prelaunch", s.start, s.end) else None


@EXCLUSION.rule(RuleId.EX_SHOT_FROM_SITE)
def _ex_shot_from_site(c: Clause) -> RuleId | None:
    """'إسقاط الطائرة تم بصاروخ من قاعدة التحالف في تل بيدر': when the only attack word is a downing and the site
    is where the interceptor was fired from, the site is the defender, not the target."""
    art = c.art
    if not c.has_place or not art.has("intercept", c.a, c.b):
        return None
    single, _ = attack_words(art, c.a, c.b)
    if not single or not all(art.has("intercept", h.start, h.end) for h in single):
        return None
    place = _choose_place(art, c.a, c.b, c.anchor)
    if place is None:
        return None
    toks = art.toks(c.anchor, place.start)
    for k in range(1, len(toks)):
        if toks[k][2] == folded("من") and art.has("weapons", toks[k - 1][0], toks[k - 1][1]):
            return RuleId.EX_SHOT_FROM_SITE
    return None


@EXCLUSION.rule(RuleId.EX_NEAR_SITE)
def _ex_near_site(c: Clause) -> RuleId | None:
    """Another force's post near a coalition site ('مقرهم قرب قاعدة عين الأسد') is not the site."""
    if not c.has_place or not _other_targets(c.art, c.a, c.b):
        return None
    place = _choose_place(c.art, c.a, c.b, c.anchor)
    near = c.art.toks_before(place.start, 2) if place is not None else []
    return RuleId.EX_NEAR_SITE if any(w in _NEAR for _, _, w in near) else None


@EXCLUSION.rule(RuleId.EX_OTHER_TARGET)
def _ex_other_target(c: Clause) -> RuleId | None:
    """No site named, and another force comes before any coalition target after the attack word."""
    if c.has_place:
        return None
    non = [h for h in _other_targets(c.art, c.a, c.b) if h.start >= c.anchor]
    ours = [p for p, _ in _coalition_targets(c.art, c.a, c.b) if p >= c.anchor]
    return RuleId.EX_OTHER_TARGET if non and (not ours or non[0].start < ours[0]) else None


def _later_strike(art: Article, a: int, b: int, anchor: int, pos: int) -> bool:
    """Whether the US agent at `pos` is a definite strike ('الغارة الأمريكية') told after the clause's attack word
    and its coalition target, past a comma: the strike already known, not the attacker of this target."""
    own = bisect_right(art.tok_starts, pos) - 1
    if own < 0 or not art.tokens[own][2].startswith(folded("ال")) or pos < anchor:
        return False
    place = _choose_place(art, a, b, anchor)
    firsts = [p for p, _ in _coalition_targets(art, a, b)] + ([place.start] if place is not None else [])
    first = min(firsts, default=None)
    return first is not None and anchor < first < pos and _CLAUSE_MARK.search(art.text, first, pos) is not None


def _later_time_aside(art: Article, a: int, b: int, anchor: int, pos: int) -> int | None:
    """'استهدفت مسيرة القاعدة، وذلك غداة غارات شنتها طائرات إسرائيلية': the US or Israeli agent at `pos` sits in
    a time aside (a comma, then the day after / after / before) told after the clause's attack word and its
    coalition target: the strike it names is the earlier event the attack follows, definite or not. Returns where
    the aside opens (its toll, 'غداة مقتل 25 مسلحا', is the strike's), or None."""
    if pos < anchor:
        return None
    place = _choose_place(art, a, b, anchor)
    firsts = [p for p, _ in _coalition_targets(art, a, b)] + ([place.start] if place is not None else [])
    first = min(firsts, default=None)
    if first is None or not anchor < first < pos:
        return None
    aside = None
    for m in _OTHER_TIME.finditer(art.text, first, pos):
        aside = m
    return aside.start() if aside is not None and not _BREAK.search(art.text, aside.end(), pos) else None


_SPEECH = words("speech")


_WAGED = words("waged_nouns")


def _other_targets(art: Article, a: int, b: int) -> list[Hit]:
    """Non-coalition forces named in [a, b) as possible targets: not as the speaker ('قال الجيش العراقي إن'), nor
    as the side waging a war or a campaign ('مع استمرار الحرب الإسرائيلية على غزة')."""
    out = []
    for h in art.h("non_coalition_targets", a, b):
        prev = art.toks_before(h.start, 1)
        w = prev[0][2] if prev and prev[0][1] <= h.start else ""
        if w in _SPEECH or (w[:1] in "وف" and w[1:] in _SPEECH):
            continue
        if w in _WAGED or (w[:1] in "وبل" and w[1:] in _WAGED):
            continue
        out.append(h)
    return out


_TIME_PREPOSITIONS = words("time_prepositions")


_THREAT_NOUNS = words("threat_nouns")


def _threat_noun(word: str) -> bool:
    """A threat or truce noun (الهدنة، تهديدات), as against a future or planning verb (ستستهدف، تخطط)."""
    return word in _THREAT_NOUNS or word.startswith((fold("ال"), fold("تهديد")))


_INCOMING = tuple(sorted(words("incoming")))  # prefixes of a weapon adjective


def _incoming(art: Article, h: Hit) -> bool:
    """'تصدت لتهديدين صاروخيين': a threat noun with a weapon adjective is the incoming projectile itself."""
    if not h.word.startswith(folded("تهديد")):
        return False
    nxt = art.toks_after(h.end, 1)
    return bool(nxt) and nxt[0][2].startswith(_INCOMING)


def _in_time_phrase(art: Article, pos: int) -> bool:
    """'قبل ساعات من دخول الهدنة', 'بعد تهديدات': a word inside a time phrase dates the attack, it does
    not govern it."""
    own = bisect_right(art.tok_starts, pos) - 1  # the word holding pos, clitics included
    return any(w in _TIME_PREPOSITIONS for _, _, w in art.tokens[max(0, own - 4):max(0, own)])


def _flying(art: Article, pos: int) -> bool:
    """Whether the aircraft named at `pos` are flying over ('تحليق لطائرات التحالف'), not striking."""
    own = bisect_right(art.tok_starts, pos) - 1  # the word holding pos, clitics included
    return own > 0 and art.tokens[own - 1][2] in _FLIGHT


# "ذكرت نسخة سابقة من هذا الخبر أن ...": a correction retells what an earlier version wrongly said.
_RETRACTED = re.compile(pattern("retracted"))


def _no_attack_word(art: Article, a: int, b: int) -> RuleId:
    """Why a clause has no attack word that counts: every one is negated (لم تتعرض لأي هجوم), the only ones are
    weak (سقط، انفجار، أطلق) with no weapon in reach, or there is none."""
    strong = [*art.h("trigger_strong", a, b), *art.h("trigger_plural", a, b)]
    if strong and all(is_negated(art, h.start) for h in strong):
        return RuleId.CL_NEGATED
    if not strong and art.has("trigger_weak", a, b):
        return RuleId.CL_WEAK_NO_WEAPON
    return RuleId.CL_NO_ATTACK_WORD


_BARE_BASE = words("bare_base")


# "القاعدة الأمريكية": the American base, definite, that the reader already knows from the sentence before
_THE_US_BASE = re.compile(fold_pattern(r"(?:^|\s)[وبل]?(?:القاعدة|للقاعدة) (?:الأمريكية|الأميركية|العسكرية الأمريكية"
                                       r"|العسكرية الأميركية)(?!\s+(?:في|ب|قرب))"))


def _base_told_before(art: Article, a: int, b: int, sent: Sentence, trig: int, targets: list[tuple[int, str]]
                      ) -> PlaceMention | None:
    """CL_BASE_TOLD_BEFORE: 'سمع دوي انفجارين في قاعدة حرير. وقال المصدر إن القاعدة تعرضت لهجوم': the bare
    'the base' right before or after the attack word, or 'the American base' anywhere in the clause with no place of
    its own ('... وصلت إلى عمق القاعدة الأمريكية'), is the one site the sentence before named, even when that
    sentence was no report of its own."""
    us_base = _THE_US_BASE.search(art.text, a, b) is not None
    if targets and not us_base:
        return None  # a target of its own and no 'the American base': nothing to look back for
    near = [*art.toks_before(trig, 1), *art.toks_after(trig, 1)]
    bare = any(w in _BARE_BASE for _, _, w in near)
    if not (bare or us_base) or sent.index == 0:
        return None
    prev = art.sentences[sent.index - 1]
    if prev.heading:
        return None
    if not bare and any(art.has(k, prev.start, prev.end) for k in ("us_agent", "background", "relative_background")):
        return None  # the sentence before tells a US strike or a look back: its site is not this attack's
    named = _distinct_sites([p for p in art.places_in(prev.start, prev.end) if not p.weak])
    if len(named) != 1:
        return None
    art.trace.fire(RuleId.CL_BASE_TOLD_BEFORE)
    return PlaceMention(a, a, named[0].place_id, False)


def _mention(art: Article, a: int, b: int, sent: Sentence, order: int) -> Mention | None:
    """Read one clause group; None when it is no attack report at all."""
    tr = art.trace
    single, plural = attack_words(art, a, b)
    if not (single or plural):
        tr.fire(_no_attack_word(art, a, b))
        return None  # most clauses: no attack word, nothing more to read
    targets = _coalition_targets(art, a, b)
    place = _choose_place(art, a, b, single[0].start if single else a)
    if place is None and not targets and art.last_place is not None and _SAME_PLACE.search(art.text, a, b):
        place = art.last_place  # "استهدف المعسكر ذاته": the site of the report before
        tr.fire(RuleId.CL_SAME_PLACE)
    if place is None and single:
        place = _base_told_before(art, a, b, sent, single[0].start, targets)
    strong_place = place is not None and not place.weak
    has_target = strong_place or bool(targets) or (place is not None and bool(targets))
    if not (single or plural) or not has_target:
        tr.fire(RuleId.CL_NO_TARGET)
        return None
    sites = _distinct_sites([p for p in art.places_in(a, b) if not p.weak])
    if len(sites) >= 3 and plural:
        single = []  # a list of sites ("Ain al-Asad, Harir and Erbil airport were hit most"): a review
        tr.fire(RuleId.CL_SITE_LIST)
    elif not single and len(sites) == 1 and all(h.word in _DUAL_ATTACKS for h in plural):
        single = plural  # "تعرضت قاعدة الشدادي إلى هجومين منفصلين": attacks on the one site named, not a review
        tr.fire(RuleId.CL_TWO_ON_ONE_SITE)
    anchor_trig = single[0] if single else plural[0]
    anchor = anchor_trig.start
    if targets:
        tgt_pos = targets[0][0]
    elif place is not None:
        tgt_pos = place.start
    else:
        tgt_pos = anchor
    d, ctx = _clause_date(art, a, b, sent, anchor)
    if d is not None and d.night:
        tr.fire(RuleId.FX_NIGHT)
    if not single and 1 <= len(sites) <= 2 and d is not None and d.precise and (
            0 <= (art.published - d.value).days <= BACKGROUND_DAYS):
        single = plural  # "الهجمات على قاعدة عين الأسد وقاعدة حرير يوم أمس": the named sites' news of that day
        tr.fire(RuleId.CL_DATED_ATTACKS)
    # "أقرت القوات الأمريكية اليوم السبت بأن هجوما استهدف قاعدتها": the only day is the statement's; the attack
    # may be of the night before, so the day is not the attack's own (a report dated by it joins the same site
    # reported a day earlier).
    stated = d is not None and (_report_date(art, d.start, anchor) or _opens_statement(art, d, anchor))
    if stated:
        tr.fire(RuleId.FX_STATEMENT_DATE)
    elif d is not None and d.kind == "relative" and _quoted(art, sent, d.start):
        stated = True  # 'قولهم إن القاعدة "استهدفت بعدة صواريخ اليوم"': the speaker's today, maybe not the outlet's
        tr.fire(RuleId.FX_QUOTED_DAY)
    if sent.heading:
        tr.fire(RuleId.CL_HEADING)
    clause = Clause(art, a, ctx, b, sent, anchor, d, strong_place, tgt_pos, stated=stated)
    reason = _unasserted(art, sent) or BACKGROUND.run(clause, tr.fire) or EXCLUSION.run(clause, tr.fire)
    if reason is not None:
        tr.fire(reason)
    generic = (place is None or place.weak) and bool(targets) and all(
        _plural_target(art, p) for p, _ in targets)  # "استهداف المصالح الأمريكية": attacks in general
    summary = not single or generic
    if not single:
        tr.fire(RuleId.CL_PLURAL_ONLY)
    elif generic:
        tr.fire(RuleId.CL_GENERIC_TARGETS)
    gz = gazetteer()
    if place is not None and (place.weak or _TOWN_BEFORE.search(art.text, max(0, place.start - 20), place.start)) \
            and any(k == "convoy" for _, k in targets):
        place, strong_place = None, False  # a convoy on a road near a town: the town is not a base
        tr.fire(RuleId.CL_CONVOY_TOWN)
    place_id = place.place_id if place is not None else None
    kind = _target_kind(art, a, b, place_id, targets, strong_place)
    if place is not None:
        p = gz.get(place.place_id)
        country = p.country if p else None
    else:
        country = _region_country(art, a, b, tgt_pos)
    if reason is not None:
        # Left out: only where it was launched from is ever used (a strike back names the launch site).
        return _facts_traced(art, Mention(
            regions=frozenset(h.word for h in art.h("regions", a, b)), order=order, sentence=sent.index, start=a,
            end=b, place_id=place_id, place_weak=place is not None and place.weak, country=country,
            target_kind=kind, date=d.value if d else None, date_own=d is not None, weapon="unknown", count=None,
            count_vague=False, killed=None, wounded=None, intercepted=None, claimed_by=None,
            launch_site=read_launch_site(art, a, b), sources=[], heading=sent.heading, summary=summary,
            excluded=reason,
        ), place is None)
    cut = _facts_end(art, anchor_trig, b)
    count, vague = read_count(art, a, cut)
    # "..., رسالة بأن الغارة الأمريكية التي ... أودت بحياة أحد قادتها": the strike's toll is not the attack's.
    strikes = [h.start for h in art.h("us_agent", anchor, b) if _later_strike(art, a, b, anchor, h.start)]
    # "..., وذلك غداة مقتل 25 مسلحا في غارات شنتها طائرات ...": the toll in the aside is the strikes'.
    strikes += [x for h in art.h("us_agent", anchor, b)
                if (x := _later_time_aside(art, a, b, anchor, h.start)) is not None]
    killed, wounded = read_casualties(art, a, min(strikes, default=b))
    anaphoric = bool(single) and d is None and count is None and is_definite(art, single[0]) and not (
        names_one_ied(art, a, cut))
    return _facts_traced(art, Mention(
        anaphoric=anaphoric,
        also_announced=d is not None and _also_announced(art, a, anchor),
        second_within=_second_within(art, a, b),
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
        date_own=d is not None and not stated,
        night=d is not None and d.night,
        weapon=_by_range(art, a, cut, read_weapon(art, a, cut), country),
        count=count,
        count_vague=vague,
        killed=killed,
        wounded=wounded,
        intercepted=read_intercepted(art, a, b),
        claimed_by=read_claim(art, sent.start, sent.end),
        launch_site=read_launch_site(art, a, b),
        sources=read_sources(art, sent.start, sent.end),
        heading=sent.heading,
        summary=summary,
        excluded=reason,
    ), place is None)


_QUOTES = re.compile(r"[\"«»“”]")


def _quoted(art: Article, sent: Sentence, pos: int) -> bool:
    """Whether `pos` lies inside a quotation that opened in its sentence (an odd number of quote marks
    before it, or an opening guillemet not yet closed)."""
    marks = [m.group() for m in _QUOTES.finditer(art.text, sent.start, pos)]
    if not marks:
        return False
    opened = sum(1 for m in marks if m in "«“") - sum(1 for m in marks if m in "»”")
    return opened > 0 or marks.count('"') % 2 == 1


def _clause_date(art: Article, a: int, b: int, sent: Sentence, anchor: int) -> tuple[DateMention | None, int]:
    """The clause's own date (else a time phrase set off just before it), and where its time frame starts:
    "... عندما شنت واشنطن غارات ردا على هجوم ...": the answered attack shares the sentence's time frame."""
    d = _own_date(art, a, b, anchor)
    if d is None:
        d = _lead_in_date(art, a, sent)
    if d is None:
        d = _where_date(art, a, sent)
    if HARD_BREAK.match(art.text, a) or art.text[a:a + 5].startswith(folded("ردا")):
        if d is None:
            d = _own_date(art, sent.start, a, a)
        return d, sent.start
    return d, a


def _target_kind(art: Article, a: int, b: int, place_id: str | None, targets: list[tuple[int, str]],
                 strong_place: bool) -> str:
    """base, convoy or diplomatic: the site decides, then the target words, then a diplomatic noun."""
    if place_id is not None and gazetteer().kind(place_id) == "diplomatic":
        return "diplomatic"
    if any(k == "convoy" for _, k in targets) and not strong_place:
        return "convoy"
    if any(k == "diplomatic" for _, k in targets) or art.has("diplomatic_nouns", a, b):
        return "diplomatic"
    return "base"


def _facts_end(art: Article, trigger: Hit, b: int) -> int:
    """Where the clause's own numbers end: before a look back ("... the airport, which had been hit before")
    or another time or target ("..., بعد ساعات من إطلاق ثمانية مقذوفات على قاعدة أخرى"). A relative clause right
    after the attack word ("الهجوم الذي استهدف القاعدة") describes this attack and does not end it."""
    anchor = trigger.start
    looks_back = [h.start for h in art.h("relative_background", anchor, b)
                  if art.text[trigger.end:h.start].strip()] + [
        h.start for h in art.h("background", anchor, b) if h.word in _LOOK_BACK]
    cut = min(looks_back) if looks_back else b
    other = _OTHER_TIME.search(art.text, anchor, cut) or _OTHER_TARGET.search(art.text, anchor, cut)
    return other.start() if other is not None else cut


def _facts_traced(art: Article, m: Mention, country_from_region: bool) -> Mention:
    """Record the fact rules that gave the mention a value (which clause gave the toll, the claim ...)."""
    fire = art.trace.fire
    if m.date_own or m.occurred is not None:
        fire(RuleId.FX_DATE)
    if country_from_region and m.country is not None:
        fire(RuleId.FX_COUNTRY)
        if province_of(sorted(m.regions), m.country) is not None:
            fire(RuleId.FX_PROVINCE)
    if m.target_kind != "base":
        fire(RuleId.FX_TARGET_KIND)
    if m.weapon != "unknown":
        fire(RuleId.FX_WEAPON)
    if m.count is not None:
        fire(RuleId.FX_COUNT)
    if m.killed is not None or m.wounded is not None:
        fire(RuleId.FX_CASUALTIES)
    if m.intercepted is not None:
        fire(RuleId.FX_INTERCEPT)
    if m.claimed_by:
        fire(RuleId.FX_CLAIM)
    if m.launch_site:
        fire(RuleId.FX_LAUNCH_SITE)
    if m.sources:
        fire(RuleId.FX_SOURCES)
    return m


_NEAR_COUNTRIES = frozenset({"iraq", "syria", "jordan"})
_SHORT_RANGE = words("short_range")
# "صواريخ إيرانية" fired by Iran, not "صواريخ إيرانية الصنع" fired by a militia
_STATE_LAUNCHER = re.compile(pattern("state_launcher"))


def _by_range(art: Article, a: int, b: int, weapon: str, country: str | None) -> str:
    """'صواريخ' is both rocket and missile: what reaches a base beyond Iraq, Syria and Jordan, or what a state
    (Iran, its Revolutionary Guard) fires, is a missile, unless the clause names a short-range make."""
    if weapon != "rocket":
        return weapon
    far = country is not None and country not in _NEAR_COUNTRIES
    if not far and _STATE_LAUNCHER.search(art.text, a, b) is None:
        return weapon
    if any(w in _SHORT_RANGE or w[1:] in _SHORT_RANGE for _, _, w in art.toks(a, b)):
        return weapon
    art.trace.fire(RuleId.FX_MISSILE_BY_RANGE)
    return "missile"


def _lead_in_date(art: Article, a: int, sent: Sentence) -> DateMention | None:
    """'مضيفا أنه في اليوم التالي، الخميس، استهدفت ...': a time phrase set off by commas just before the clause."""
    before = art.toks_before(a, 8)
    if not before or before[0][0] < sent.start:
        before = [x for x in before if x[0] >= sent.start]
    if not before:
        return None
    ds = [d for d in art.dates_in(before[0][0], a) if not d.since and d.precise]
    if not ds:
        return None
    d = ds[-1]
    gap = art.text[d.end:a]
    # only punctuation between the date and the clause, and nothing but time words after the last attack word
    if gap.strip(" ،,") or any(is_trigger_word(art, x[0]) for x in art.toks(d.start, a)):
        return None
    # "بتعرض السفارة لهجوم منتصف ليل السبت، أعقبه بساعات قصف على المطار": a date closing a piece that tells its
    # own attack dates that attack, not the clause after it.
    mark = max((m.end() for m in _CLAUSE_MARK.finditer(art.text, sent.start, d.start)), default=sent.start)
    if art.has("trigger_strong", mark, d.start) or art.has("trigger_weak", mark, d.start):
        return None
    return d


_WHERE = words("where")
_WHERE_STEM = folded("حيث")


def _where_date(art: Article, a: int, sent: Sentence) -> DateMention | None:
    """FX_WHERE_DATE: '..., كان آخرها في الـ17 من هذا الشهر، حيث أعلنت القوات أن هجوما استهدف ...': a clause
    opening on 'حيث' tells the event of the piece before it, so it shares that piece's day."""
    if art.text.find(_WHERE_STEM, a, a + 8) < 0:
        return None  # most clauses: no 'حيث' at their start
    first = art.toks(a, min(sent.end, a + 12))[:1]
    if not first or first[0][2] not in _WHERE:
        return None
    ds = [d for d in art.dates_in(sent.start, a) if not d.since]
    if not ds:
        return None
    art.trace.fire(RuleId.FX_WHERE_DATE)
    return ds[-1]


def _plural_target(art: Article, pos: int) -> bool:
    """Whether the target word at `pos` is a plural of sites (bases, interests), as in reviews."""
    i = bisect_right(art.tok_starts, pos) - 1  # the word holding pos, clitics included
    if i < 0:
        return False
    w = art.tokens[i][2]
    if w in _PLURAL_TARGETS or (w[:1] in "وبل" and w[1:] in _PLURAL_TARGETS):
        # "إحدى أهم القواعد الأمريكية": one of the bases is one site, not bases in general
        return not any(x[2] in _ONE_OF for x in art.tokens[max(0, i - 2):i])
    # "أهدافا مرتبطة بالقوات الأمريكية", "مواقع تابعة للتحالف": the forces named are whose the sites are
    if i >= 2 and art.tokens[i - 1][2] in _LINKED_TO:
        v = art.tokens[i - 2][2]
        return v in _PLURAL_TARGETS or (v[:1] in "وبل" and v[1:] in _PLURAL_TARGETS)
    return False


_APPOSITION = re.compile(pattern("site_apposition"))


def _split_by_site(art: Article, m: Mention) -> list[Mention]:
    """'استهدفت عين الأسد وأربيل': one clause, two named sites joined by و, is one attack on each."""
    if m.excluded or m.summary or m.heading:
        return [m]
    places = [p for p in art.places_in(m.start, m.end)
              if not _in_launch_phrase(art, p.start) and not _locating(art, p.start)]
    if len(places) > 1 and art.text.find(_SIREN_STEM, m.start, m.end) >= 0:
        # "استهدفت مسيرة قاعدة الحرير، وذلك بعدما دوت صفارات الإنذار في السفارة": where the sirens sounded
        # is no second target (CL_SIREN_SITE)
        places = [p for p in places if not _siren_site(art, p, m.start, m.end)]
    if not any(not p.weak for p in places):
        return [m]
    gz = gazetteer()
    # A province or town named around a site of its own ("مراسلنا في الحسكة ... قاعدة خراب الجير بريف الحسكة")
    # locates that site or the speaker: it is no second target.
    strong_provinces = {pl.province_en for q in places if not q.weak and (pl := gz.get(q.place_id)) is not None}
    places = [p for p in places
              if not (p.weak and (pl := gz.get(p.place_id)) is not None and pl.province_en in strong_provinces)]
    firsts = _distinct_sites(places, art.text)
    # A town named in passing ("محافظ أربيل") stands for its site only when the clause names it no better.
    firsts = [p if not p.weak else next((q for q in places if q.place_id == p.place_id and not q.weak), p)
              for p in firsts]
    if not 2 <= len(firsts) <= 3:
        return [m]
    for left, right in pairwise(firsts):
        between = art.text[left.end:right.start]
        if len(between) > 120 or not re.search(r"(?:^|\s)و", between) or _APPOSITION.search(between):
            return [m]  # ("مركز الدعم الدبلوماسي، وهو موقع دبلوماسي وجزء من السفارة": the second names the first)
    out: list[Mention] = []
    art.trace.fire(RuleId.CL_SPLIT_BY_SITE)
    if any(p.start in art.shared_anchor for p in firsts):
        art.trace.fire(RuleId.CL_DUAL_ANCHOR)
    for k, first in enumerate(firsts):
        p = gz.get(first.place_id)
        stop = firsts[k + 1].start if k + 1 < len(firsts) else m.end
        own = [d for d in art.dates_in(first.end, stop) if not d.since and d.precise]  # "..., وقاعدة X فجر اليوم"
        day, dated = (own[0].value, True) if own else (m.date, m.date_own)
        start = first.start if k else m.start
        others = frozenset(f.place_id for f in firsts if f.place_id != first.place_id)
        out.append(replace(m, place_id=first.place_id, place_weak=False, country=p.country if p else m.country,
                           apart_from=others,
                           count=next((c for q in places if gz.related(q.place_id, first.place_id)
                                       if (c := count_before_site(art, q.start)) is not None), None),
                           date=day, date_own=dated,
                           regions=frozenset(h.word for h in art.h("regions", start, stop)),
                           extra_sentences=list(m.extra_sentences)))
    return out


_MANY_CONVOYS = re.compile(fold_pattern(
    r"(?:^|\s)(?:[وب]?(?:رتلين|رتلان|رتلي|ارتال|أرتال|قافلتين|قافلتان)|ورتل"
    r"|[وبل]?(?:رتل|رتلا|قافلة)\s+(?:آخر|اخر|أخرى))(?:\s|$)"))


def _split_convoys(art: Article, m: Mention) -> list[Mention]:
    """'استهداف رتلين في محافظتي ذي قار والمثنى': two convoys, each in its own province, told in one clause, are
    two attacks; each keeps the town and province words of its own stretch of the clause."""
    if m.excluded or m.summary or m.heading or m.place_id is not None or m.target_kind != "convoy":
        return [m]
    if not _MANY_CONVOYS.search(art.text, m.start, m.end):
        return [m]
    stops: list[tuple[int, str]] = []  # where each province is first named in the clause
    for h in art.h("regions", m.start, m.end):
        if _in_launch_phrase(art, h.start) or _locating(art, h.start):
            continue  # (the ends of a road, "الطريق بين الناصرية والبصرة", are one convoy's road)
        prov = province_of([h.word], m.country)
        if prov is not None and all(prov[0] != p for _, p in stops):
            stops.append((h.start, prov[0]))
    if not 2 <= len(stops) <= 3:
        return [m]
    art.trace.fire(RuleId.CL_SPLIT_CONVOYS)
    out: list[Mention] = []
    for k, (start, _prov) in enumerate(stops):
        stop = stops[k + 1][0] if k + 1 < len(stops) else m.end
        words_here = frozenset(h.word for h in art.h("regions", start, stop))
        out.append(replace(m, regions=words_here, count=None, extra_sentences=list(m.extra_sentences)))
    return out


_BETWEEN = words("between")
_COUNTRYSIDE = words("countryside")


def _locating(art: Article, pos: int) -> bool:
    """Whether the name at `pos` only says where a site lies: 'على الطريق بين تل تمر والقامشلي', 'في ريف الحسكة'
    (the road's ends and the countryside are not sites attacked)."""
    own = bisect_right(art.tok_starts, pos) - 1
    if own < 1:
        return False
    before = art.tokens[max(0, own - 3):own]
    if re.search(r"[،,.؛:]", art.text[before[0][0]:pos]):
        before = [x for x in before if not re.search(r"[،,.؛:]", art.text[x[0]:pos])]
    if before and before[-1][2] in _COUNTRYSIDE:
        return True
    return any(w in _BETWEEN for _, _, w in before)


def _distinct_sites(places: list[PlaceMention], text: str | None = None) -> list[PlaceMention]:
    """The first mention of each site, sites that outlets conflate (Victory base / Baghdad airport) as one.

    Two conflated sites joined by a bare و ("مطار أربيل وقاعدة حرير") are named as two, and stay two.
    """
    gz = gazetteer()
    out: list[PlaceMention] = []
    prev: PlaceMention | None = None
    for p in places:
        same = [q for q in out if gz.related(p.place_id, q.place_id)]
        coordinated = (text is not None and prev is not None and prev.place_id != p.place_id
                       and _AND_ONLY.fullmatch(text[prev.end:p.start]) is not None)
        if not same or (coordinated and all(q.place_id != p.place_id for q in same)):
            out.append(p)
        prev = p
    return out


def _convoys_are_the_coalitions(art: Article) -> bool:
    """'انفجرت عبوتان مستهدفة رتلين في بابل والديوانية ... ويشهد العراق استهداف الأرتال التي تنقل معدات لصالح
    التحالف': Iraqi security statements name no convoy's owner and outlets say it once, anywhere in the story; a
    convoy noun the article ties to the coalition (or its contractors) makes its bare convoys the coalition's."""
    starts = sorted(m.start for m in art.h("convoy_markers", 0, len(art.text)))
    return bool(starts) and any(_marker_after(art, h.end, starts, 8)
                                for h in art.h("convoy_nouns", 0, len(art.text)) if _PATROL not in h.word)


def read(text: str, published: date, title: str | None = None, tracer: Tracer | None = None) -> list[Incident]:
    """Incidents reported in an Arabic article (the title, when given, is read as a heading).

    `tracer`, when given, receives the rules fired on every clause (see `extractor.explanation`).
    """
    prefix = 0
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        prefix = len(title.strip()) + 1
        text = title.strip() + "\n" + text
    norm = normalize(text)
    if tracer is not None:
        tracer.prefix = prefix
    if not has_attack_words(norm):
        if tracer is not None and tracer.detail:
            tracer.clause(0, 0, len(norm.text))
            tracer.fire(RuleId.CL_NO_ATTACK_WORD)
        return []
    art = scan(norm, published)
    if tracer is not None:
        art.trace = tracer
    furniture = [(h.start, h.end) for h in art.hits["furniture"].items]
    lines = classify_lines(art.text, furniture)
    art.sentences = split_sentences(art.text, lines)
    if tracer is not None and tracer.detail:
        for line in lines:
            if line.kind == "furniture" and _any_attack_word(art, Sentence(line.start, line.end, False, -1)):
                tracer.clause(-1, line.start, line.end)  # page furniture holding an attack word: not read
                tracer.fire(RuleId.CL_FURNITURE)
    art.convoy_owner_told = _convoys_are_the_coalitions(art)
    story = Discourse(art)
    for s in art.sentences:
        story.read_sentence(s)
    mentions = story.mentions
    _inherit_dates(art, mentions)
    _recon_drones(art, mentions)
    incidents = merge_mentions(mentions, art.norm, art.sentences, published)
    for m in mentions:
        if m.dropped is not None:
            art.trace.fire_on(m, m.dropped)
        if m.merged_by is not None:
            art.trace.fire_on(m, m.merged_by)
        if m.kept_apart is not None:
            art.trace.fire_on(m, m.kept_apart)
    # Beyond Iraq, Syria and Jordan only a named base hosting US forces makes an incident (issue 3).
    kept = [k for k, i in enumerate(incidents)
            if i.base is not None or i.country is None or i.country in _NEAR_COUNTRIES]
    if len(kept) < len(incidents):
        renumber = {k: n for n, k in enumerate(kept)}
        for m in mentions:
            if m.incident is not None:
                m.incident = renumber.get(m.incident)
                if m.incident is None:
                    m.dropped = RuleId.MG_BEYOND_REGION
                    art.trace.fire_on(m, RuleId.MG_BEYOND_REGION)
        incidents = [incidents[k] for k in kept]
    return [_shift_evidence(i, prefix) for i in incidents] if prefix else incidents


class Discourse:
    """What `read` carries from sentence to sentence; each method is one named, traced discourse rule.

    State: the reports the next follow-up speaks of (`told`), the last sentence with an informative report
    (`last_live`), a claim announced before its operations are told (`pending_claim`), and the group whose
    claim was read last (`last_claimant`).
    """

    def __init__(self, art: Article) -> None:
        self.art = art
        self.tr = art.trace
        self.mentions: list[Mention] = []
        self.told: list[Mention] = []
        self.last_live: tuple[int, list[Mention]] | None = None
        self.pending_claim: tuple[str, int] | None = None
        self.last_claimant: tuple[str, int] | None = None
        self.order = 0

    def read_sentence(self, s: Sentence) -> None:
        """Read one sentence: its clauses' reports, then what it adds to the reports before it."""
        art = self.art
        found = self.clauses(s)
        self.mentions.extend(found)
        if s.heading and not any(not m.heading for m in self.mentions):
            self.headline_lead(found)
        reports = [m for m in found if not m.summary and not m.heading]
        _share_zeros(art, [m for m in reports if m.excluded is None])
        if self.last_claimant is not None and s.index - self.last_claimant[1] <= 4 and _subjectless_claim(art, s):
            self.subjectless_claim(reports, self.last_claimant[0])
        for m in found:
            if m.claimed_by and not m.claim_inherited and m.excluded is None:
                self.last_claimant = (m.claimed_by, s.index)
        if self.pending_claim is not None and s.index - self.pending_claim[1] <= 4 and not _no_claim(art, s):
            self.inherit_pending_claim(reports, self.pending_claim[0])
        if any(m.target_kind == "convoy" and m.excluded is None for m in reports):
            if not art.convoy_context:
                self.tr.fire(RuleId.DC_CONVOY_CONTEXT)
            art.convoy_context = True
        for m in reports:
            if m.place_id and not m.place_weak:
                art.last_place = PlaceMention(m.start, m.start, m.place_id, False)
        if reports:
            self.after_reports(s, reports)
        else:
            self.follow_up_facts(s)

    def clauses(self, s: Sentence) -> list[Mention]:
        """The mentions of the sentence's clause groups (sentences with no attack word or no target are not
        split: no clause of them reports an attack)."""
        art, tr = self.art, self.tr
        if not _any_attack_word(art, s):
            if tr.detail:
                tr.clause(s.index, s.start, s.end)
                tr.fire(RuleId.CL_NO_ATTACK_WORD)
            return []
        if not _any_target(art, s):
            if tr.detail:
                tr.clause(s.index, s.start, s.end)
                tr.fire(RuleId.CL_NO_TARGET)
            return []
        found: list[Mention] = []
        segments = _segments(art, s)
        for a, b in segments:
            entry = tr.clause(s.index, a, b)
            if len(segments) > 1:
                tr.fire(RuleId.CL_SPLIT_SENTENCE)
            m = _mention(art, a, b, s, self.order)
            if m is None:
                continue
            if m.heading:
                m.sums_up = len(_distinct_sites([p for p in art.places_in(a, b) if not p.weak])) >= 2
                span = art.tokens[bisect_left(art.tok_starts, a):bisect_left(art.tok_starts, b)]
                if not m.sums_up and any(w in _DUAL_TARGETS for _, _, w in span):
                    m.sums_up = True  # "عبوتان تستهدفان رتلين": two attacks, its count is theirs together
                    tr.fire(RuleId.CL_HEADING_TWO_TARGETS)
            for part in (q for p in _split_by_site(art, m) for q in _split_convoys(art, p)):
                part.order = self.order
                part.clause = entry
                self.order += 1
                found.append(part)
                if entry >= 0:
                    tr.entries[entry].mentions.append(part)
        return found

    def headline_lead(self, found: list[Mention]) -> None:
        """DC_HEADLINE_LEAD: until the body reports an attack, the lead's facts (toll, count) speak of the
        headline's."""
        heads = [m for m in found if m.excluded is None and not m.summary and not m.sums_up]
        if heads:
            self.told = heads
            for m in heads:
                self.tr.fire_on(m, RuleId.DC_HEADLINE_LEAD)

    def subjectless_claim(self, reports: list[Mention], group: str) -> None:
        """DC_SUBJECTLESS_CLAIM: "كما أعلنت في بيان ثالث استهداف قاعدة ...": the group announcing is the one
        named before."""
        for m in reports:
            if m.excluded is None and not m.claimed_by:
                m.claimed_by = group
                self.tr.fire_on(m, RuleId.DC_SUBJECTLESS_CLAIM)

    def inherit_pending_claim(self, reports: list[Mention], group: str) -> None:
        """DC_PENDING_CLAIM: "X announced three operations", then the operations: each is X's claim."""
        for m in reports:
            if m.excluded is None and not m.claimed_by:
                m.claimed_by = group
                m.claim_inherited = True
                self.tr.fire_on(m, RuleId.DC_PENDING_CLAIM)

    def after_reports(self, s: Sentence, reports: list[Mention]) -> None:
        """A sentence with reports of its own: a follow-up of the attack just told, a new attack, or a strike
        by others that ends the story told so far."""
        informative = [m for m in reports if m.excluded is None and (m.place_id or (m.country and not m.anaphoric))]
        recent = self.last_live is not None and s.index - self.last_live[0] <= 3
        told = self.told or (self.last_live[1] if self.last_live is not None and recent
                             and all(m.anaphoric for m in reports) else [])
        if not informative and told and all(m.excluded is None for m in reports):
            self.follow_up(s, reports, told)
            return
        if informative:
            self.same_sentence(reports, informative)
        live = [m for m in reports if m.excluded is None]
        if live:
            self.told = live
            if informative:
                self.last_live = (s.index, live)
        else:
            self.strike_by_others(reports)

    def same_sentence(self, reports: list[Mention], informative: list[Mention]) -> None:
        """DC_SAME_SENTENCE: "وعن هجوم عين الأسد، قال المسؤول: رصدنا إطلاق خمس مقذوفات سقطت بعيدا": a clause naming
        no site or country after one that does, in the same sentence, tells that attack's facts."""
        for m in reports:
            if m.excluded is not None or m.place_id or m.country or m.absorbed_into is not None:
                continue
            before = [r for r in informative if r.start < m.start]
            if not before:
                continue
            target = before[-1]
            _absorb(target, m, zeros_only=False)
            m.absorbed_into = target.clause
            self.tr.fire_on(m, RuleId.DC_SAME_SENTENCE)
            self.tr.fire_on(target, RuleId.DC_SAME_SENTENCE)

    def follow_up(self, s: Sentence, reports: list[Mention], told: list[Mention]) -> None:
        """DC_FOLLOW_UP: "الهجوم لم يسفر عن إصابات بين الأفراد الأميركيين": a report naming no site is a follow-up
        about the attack just told, even after a sentence on the response to it."""
        for m in reports:
            cands = _site_named(self.art, s, told)
            target = cands[-1]
            # "قصف حقلي كونيكو والعمر" then "تم القصف بثمانية صواريخ": after one clause told as an attack on each
            # of two sites, a follow-up naming none speaks of the first named, the story's main target
            split = [t for t in cands if t.clause == target.clause and t.apart_from]
            if len(split) > 1 and target.apart_from:
                target = split[0]
            _absorb(target, m, zeros_only=False)
            if m.date_own and m.date is not None and not target.date_own and not target.heading:
                # "... في هجوم على قاعدة في رميلان" then "الهجوم الذي وقع أول أمس الجمعة": the follow-up's own
                # day is the day of the attack the lead left undated
                target.date, target.date_own = m.date, True
                self.tr.fire_on(target, RuleId.DC_FOLLOW_UP_DATE)
            m.absorbed_into = target.clause
            self.tr.fire_on(m, RuleId.DC_FOLLOW_UP)
            self.tr.fire_on(target, RuleId.DC_FOLLOW_UP)

    def strike_by_others(self, reports: list[Mention]) -> None:
        """DC_STRIKE_LAUNCH_SITE and DC_OTHER_EVENT: the coalition striking back often names where the attack
        came from; and what follows a strike by others is about that strike, not the attack before."""
        for m in reports:
            if m.launch_site and m.excluded is RuleId.EX_US_STRIKE:
                for prev in self.told:
                    if prev.launch_site is None:
                        self.tr.fire_on(prev, RuleId.DC_STRIKE_LAUNCH_SITE)
                    prev.launch_site = prev.launch_site or m.launch_site
        if self.told:
            self.tr.fire(RuleId.DC_OTHER_EVENT)
        self.told = []

    def follow_up_facts(self, s: Sentence) -> None:
        """A sentence with no report of its own: the facts it states (toll, claim, count ...) go to the attack
        it continues, or it tells another event and ends the story."""
        art, tr = self.art, self.tr
        entry = tr.sentence_entry(s.index, s.start, s.end)
        fact = _facts(art, s, self.order)
        if fact is not None and entry >= 0:
            fact.clause = entry
            tr.entries[entry].mentions.append(fact)
        self.story_after(s, fact)
        if entry >= 0 and entry == len(tr.entries) - 1 and not tr.entries[entry].rules and fact is None:
            tr.entries.pop()  # a sentence with nothing to say: no line in the trace

    def story_after(self, s: Sentence, fact: Mention | None) -> None:
        """What a sentence with no report of its own does to the story told: a claim announced for
        operations to follow, 'no one claimed it', another event, or facts for the attack it continues."""
        art, tr = self.art, self.tr
        if fact is not None and fact.claimed_by:
            if _claims_told_attack(art, s):
                tr.fire(RuleId.DC_CLAIM_TOLD_ATTACK)
            else:
                tr.fire(RuleId.DC_ANNOUNCED_CLAIM)
                self.pending_claim = (fact.claimed_by, s.index)  # "X announced three operations": details follow
        if not s.heading and self.told and _no_claim(art, s) and _about_same(art, s, self.told):
            self.no_claim()
        if not s.heading and not _about_same(art, s, self.told):
            if self.told:
                tr.fire(RuleId.DC_NOT_ABOUT_SAME)
            self.told = []  # another event: its follow-ups are not about our attack either
            return
        if fact is not None:
            self.give_facts(s, fact)

    def no_claim(self) -> None:
        """DC_NO_CLAIM: "... ولا تبني للهجوم" after the report: a claim carried over from an earlier
        announcement does not hold."""
        for m in self.told:
            if m.claim_inherited:
                m.claimed_by, m.claim_inherited = None, False
                self.tr.fire_on(m, RuleId.DC_NO_CLAIM)

    def give_facts(self, s: Sentence, fact: Mention) -> None:
        """DC_PLURAL_ZEROS, DC_CLAIM_BY_SITE, DC_CLAIM_TWO, DC_FACTS: a follow-up's facts go to the reports it
        speaks of."""
        art, tr, mentions = self.art, self.tr, self.mentions
        plural = bool(art.h("trigger_plural", s.start, s.end)) \
            or _THE_BLASTS.search(art.text, s.start, s.end) is not None
        if plural and fact.killed in (0, None) and fact.wounded in (0, None):
            # "لم تسفر الهجمات عن إصابات": the zeros hold for every attack the article reported so far.
            for m in mentions[-_RECENT:]:
                if m.excluded is None and not m.summary:
                    _absorb(m, fact, zeros_only=True)
                    tr.fire_on(m, RuleId.DC_PLURAL_ZEROS)
        # A follow-up naming a town goes to the report about that town ("the attack in Nasiriyah").
        towns = fact.regions - COUNTRY_WORDS
        named = [m for m in mentions[-_RECENT:] if m.excluded is None and not m.summary and not m.heading
                 and m.regions & towns] if towns else []
        if fact.claimed_by:
            # "تبنت المقاومة الهجومين على عين الأسد والتنف": a claim naming the sites goes to the reports of
            # those sites (a tally naming them is a summary, so only the claim travels this way).
            sites = {p.place_id for p in art.places_in(s.start, s.end) if not p.weak}
            for m in mentions[-_RECENT:]:
                if m.excluded is None and not m.summary and not m.heading and m.place_id in sites \
                        and not m.claimed_by:
                    m.claimed_by = fact.claimed_by
                    tr.fire_on(m, RuleId.DC_CLAIM_BY_SITE)
        if fact.claimed_by and _claims_two(art, s):
            # "وتبنت المقاومة الهجومين في بيان": a claim of 'the two attacks' is a claim of the last two told.
            for m in [m for m in mentions if m.excluded is None and not m.summary and not m.heading][-2:]:
                if not m.claimed_by:
                    m.claimed_by = fact.claimed_by
                    tr.fire_on(m, RuleId.DC_CLAIM_TWO)
        for m in _site_named(art, s, named or self.told):
            if fact.occurred is None and _earlier_day(art, s, m):
                # "ويأتي هجوم اليوم بعد سقوط 3 صواريخ على القاعدة يوم الاثنين": the toll and count of a day
                # before the attack's are that earlier attack's
                tr.fire_on(m, RuleId.DC_FACTS_EARLIER_DAY)
                continue
            if fact.claim_region and fact.claim_region not in m.regions:
                claim, fact.claimed_by = fact.claimed_by, None
                _absorb(m, fact, zeros_only=False)
                fact.claimed_by = claim
            else:
                _absorb(m, fact, zeros_only=False)
            fact.absorbed_into = m.clause
            tr.fire_on(m, RuleId.DC_FACTS)


def _earlier_day(art: Article, s: Sentence, m: Mention) -> bool:
    """The sentence's last day (not a bound after منذ) is before the day of the attack it would continue."""
    days = [d for d in art.dates_in(s.start, s.end) if d.precise and not d.since]
    return bool(days) and m.date is not None and days[-1].value < m.date


_ANNOUNCED = words("announced")
_CONTINUES = words("continues")
_CLAIM_OBJECT = words("claim_object")


def _claims_told_attack(art: Article, s: Sentence) -> bool:
    """'وتبنت المقاومة الهجوم في بيان': a claim of 'the attack' (definite, singular) speaks of the one just told,
    and announces none to follow."""
    words = [h for k in ("trigger_strong", "trigger_weak") for h in art.h(k, s.start, s.end)]
    return bool(words) and not art.has("trigger_plural", s.start, s.end) and all(
        is_definite(art, h) for h in words)


_TWO_ATTACKS = words("two_attacks")
_DUAL_TARGETS = words("dual_targets")


def _claims_two(art: Article, s: Sentence) -> bool:
    """Whether the sentence speaks of 'the two attacks' (a definite dual: الهجومين، العمليتين)."""
    return any(w in _TWO_ATTACKS or (w[:1] in "وبل" and w[1:] in _TWO_ATTACKS) for _, _, w in art.toks(s.start, s.end))


def _subjectless_claim(art: Article, s: Sentence) -> bool:
    """'كما أعلنت في بيان ثالث استهداف ...': a claim verb opening the sentence with no subject of its own
    (the group is the one named before), followed by the statement or the attack."""
    toks = art.toks(s.start, s.end)[:4]
    words = [w for _, _, w in toks]
    while words and words[0] in _CONTINUES:
        words = words[1:]
    return len(words) >= 2 and words[0] in _ANNOUNCED and words[1] in _CLAIM_OBJECT and not art.has(
        "claimants", s.start, s.end)


def _site_named(art: Article, s: Sentence, reports: list[Mention]) -> list[Mention]:
    """Of several attacks just told, those a follow-up names ('أطلقا باتجاه السفارة' after a sentence on the
    embassy and the airport): its count and toll are theirs. All of them when it names none or every one."""
    if len(reports) < 2:
        return reports
    sites = {p.place_id for p in art.places_in(s.start, s.end) if not p.weak}
    diplomatic = art.has("diplomatic_nouns", s.start, s.end)
    picked = [m for m in reports if (m.place_id is not None and m.place_id in sites)
              or (diplomatic and m.target_kind == "diplomatic")]
    return picked or reports


def _share_zeros(art: Article, reports: list[Mention]) -> None:
    """'..., بينما سقط صاروخان على ...، دون أن يسفر أي من الهجومين عن قتلى': no casualties said of the attacks
    (plural or dual) holds for every attack the sentence told."""
    if len(reports) < 2:
        return
    for m in reports:
        if (m.killed == 0 or m.wounded == 0) and art.has("trigger_plural", m.start, m.end):
            for other in reports:
                if other is not m:
                    art.trace.fire_on(other, RuleId.DC_SHARE_ZEROS)
                    other.killed = 0 if other.killed is None and m.killed == 0 else other.killed
                    other.wounded = 0 if other.wounded is None and m.wounded == 0 else other.wounded


def _shift_evidence(inc: Incident, prefix: int) -> Incident:
    """Evidence offsets refer to the caller's text; a quote from the separately given title gets (0, 0)."""
    ev = tuple(
        Evidence(e.text, e.start - prefix, e.end - prefix) if e.start >= prefix else Evidence(e.text, 0, 0)
        for e in inc.evidence
    )
    return replace(inc, evidence=ev)


def _facts(art: Article, s: Sentence, order: int) -> Mention | None:
    """Casualties, claim, interception, launch site and sources stated in a sentence without its own mention."""
    if s.heading or not _may_state_facts(art, s):
        return None
    unasserted = _unasserted(art, s)
    if unasserted is not None:
        art.trace.fire(unasserted)
        return None
    single, _ = attack_words(art, s.start, s.end)
    own = _own_date(art, s.start, s.end, s.start)
    if own is not None and (art.published - own.value).days > BACKGROUND_DAYS:
        art.trace.fire(RuleId.FX_OLD_FACTS)
        return None
    end = s.end
    if own is None and _pluperfect_or_progressive(art, s.start, s.end)[0]:
        # "..., وأن القاعدة كانت قد أخليت": what the sentence says before it turns to the past perfect holds.
        end = _pluperfect_start(art, s.start, s.end)
        if not art.toks(s.start, end):
            return None
        s = replace(s, end=end)
    killed, wounded = read_casualties(art, s.start, s.end)
    claim = read_claim(art, s.start, s.end)
    intercepted = read_intercepted(art, s.start, s.end)
    launch = read_launch_site(art, s.start, s.end)
    count, vague = read_count(art, s.start, s.end) if single else (None, False)
    weapon = read_weapon(art, s.start, s.end) if single else "unknown"
    occurred = _occurrence_date(art, s.start, s.end)
    if killed is None and wounded is None and claim is None and intercepted is None and launch is None \
            and count is None and weapon == "unknown" and occurred is None:
        return None
    return _facts_traced(art, Mention(
        order=order, sentence=s.index, start=s.start, end=s.end, place_id=None, place_weak=False, country=None,
        target_kind="base", date=None, date_own=False, weapon=weapon, count=count, count_vague=vague,
        killed=killed, wounded=wounded, intercepted=intercepted, claimed_by=claim, launch_site=launch,
        sources=read_sources(art, s.start, s.end), heading=False, summary=True, excluded=None,
        regions=frozenset(h.word for h in art.h("regions", s.start, s.end)),
        claim_region=claim_region(art, s) if claim else None,
        occurred=occurred.value if occurred is not None else None,
    ), False)


_FACT_CUES = ("killed", "wounded", "intercept", "launch_verbs", "claimants", "claim_verbs", "claim_attack",
              "trigger_strong", "trigger_weak")


def _may_state_facts(art: Article, s: Sentence) -> bool:
    """Whether the sentence holds any cue a fact is read from (most sentences hold none): a casualty, claim,
    interception, launch or attack word, or a place where a 'no casualties' phrase may start."""
    if any(art.hits[k].any_within(s.start, s.end) for k in _FACT_CUES):
        return True
    for starts in art.no_casualty_starts:
        i = bisect_left(starts, s.start)
        if i < len(starts) and starts[i] < s.end:
            return True
    return False


def _about_same(art: Article, s: Sentence, previous: list[Mention]) -> bool:
    """Whether a sentence without its own report still speaks of the attack before it.

    It does not when it names a non-coalition target (an Iraqi unit, the SDF) or a day other than the
    attack's: then its casualties belong to another event.
    """
    if not previous:
        return False
    for h in art.h("us_agent", s.start, s.end):
        if _flying(art, h.start):
            continue
        # "ألقتها الطائرات الأميركية على المنشآت، مؤكدا أن الهجوم ...": the strike's verb is in its own clause.
        ca, cb = _clause_around(art, h.start, h.end, s.start, s.end)
        # 'شنت مقاتلات من طراز "إف-15" ليل الخميس غارات': a quoted name does not end the strike's own words.
        fb = _clause_around(art, h.start, h.end, s.start, s.end, _PHRASE_MARK)[1]
        if any(_tells_event(art, x, y) for x, y in ((ca, cb), (h.start, fb))):
            return False  # a strike by someone else, with its own toll
    past = _pluperfect_start(art, s.start, s.end, reach=8)
    if past < s.end and _new_event(art, past, s.end):
        return False  # "وكان هجوم حوثي قد استهدف في 17 يناير ...": an earlier attack recalled, with its own toll
    others = _other_targets(art, s.start, s.end)
    if others and _new_event(art, s.start, s.end):
        # "a Turkish soldier was killed when rockets fell on a camp": a new, other event
        return False
    if _occurrence_date(art, s.start, s.end) is not None:
        return True  # "وقالت إن الهجوم جرى في ...": it dates the attack told before
    days = {m.date for m in previous if m.date is not None}
    own = [d for d in art.dates_in(s.start, s.end) if not d.since and d.precise]
    if not (own and days) or any(d.value in days for d in own):
        return True
    # A later report time ("in an update this evening") still speaks of the attack; an earlier day does not.
    return all(d.kind == "relative" and d.value > max(days) for d in own)


_CLAUSE_MARK = re.compile(r"[،,;؛:.!?()\"«»]")
# A quoted name inside a clause ('شنت مقاتلات من طراز "إف-15" غارات') does not end it.
_PHRASE_MARK = re.compile(r"[،,;؛:.!?()]")


def _clause_around(art: Article, a: int, b: int, lo: int, hi: int,
                   marks: re.Pattern[str] = _CLAUSE_MARK) -> tuple[int, int]:
    """The stretch of [lo, hi) around [a, b) between punctuation marks."""
    left = max((m.end() for m in marks.finditer(art.text, lo, a)), default=lo)
    right = marks.search(art.text, b, hi)
    return left, right.start() if right else hi


def _tells_event(art: Article, a: int, b: int) -> bool:
    """Whether [a, b) holds an attack word or an event noun."""
    return art.has("trigger_strong", a, b) or art.has("trigger_weak", a, b) or any(
        w in _EVENT_NOUNS or w[1:] in _EVENT_NOUNS for _, _, w in art.toks(a, b))


def _new_event(art: Article, a: int, b: int) -> bool:
    """Whether [a, b) introduces an event of its own: an indefinite attack noun or weapon ('سقوط صواريخ').

    Definite words ('الهجوم', 'القذائف') refer back to the attack already told.
    """
    for _, _, w in art.toks(a, b):
        bare = w[1:] if w[:1] in "وبلف" and w[1:] in _EVENT_NOUNS else w
        if bare in _EVENT_NOUNS:
            return True  # "بغارة نسبت إلى إسرائيل", "هجوم على": an indefinite attack noun opens a new event
    if not attack_words(art, a, b)[0]:
        return False
    for h in [*art.h("weapons", a, b), *art.h("trigger_strong", a, b)]:
        if h.label == "" and h.word not in _EVENT_NOUNS:
            continue
        if not is_definite(art, h):
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
    if fact.occurred is not None:
        m.date, m.date_own = fact.occurred, True
    m.sources = list(dict.fromkeys([*m.sources, *fact.sources]))
    m.extra_sentences.append(fact.sentence)


def _aside(art: Article, m: Mention) -> bool:
    """DC_ASIDE_DATE: a sentence opening on كان/كانت ('وكانت القاعدة X تعرضت يوم الاثنين') is a backstory aside
    told in the past perfect; once the story has a day, the aside's own day does not date what follows it."""
    first = art.toks(art.sentences[m.sentence].start, art.sentences[m.sentence].end)[:1]
    if first and first[0][2] in _WAS:
        art.trace.fire_on(m, RuleId.DC_ASIDE_DATE)
        return True
    return False


# "التحديث الأخير بتاريخ | السبت ...": a page's update stamp, the day the page last changed, not the news's day
_UPDATE_STAMP = re.compile(fold_pattern(r"(?:اخر|آخر) تحديث|التحديث (?:الاخير|الأخير)|تاريخ التحديث|تم التحديث"))


def _in_update_stamp(art: Article, pos: int) -> bool:
    """Whether the date at `pos` stands on a line that gives the page's update stamp."""
    start = art.text.rfind("\n", 0, pos) + 1
    return _UPDATE_STAMP.search(art.text, start, pos) is not None


# "كانت تحاول عمل استطلاع لقاعدة", "في مهمة تجسس": a drone described as watching, not striking
_RECON = re.compile(fold_pattern(
    r"(?:تحاول|حاولت|بهدف|لغرض|لأغراض|في مهمة|بمهمة|تقوم ب|كانت تقوم ب|تنفذ)\s+(?:\S+\s+){0,2}?"
    r"(?:استطلاع|الاستطلاع|تجسس|التجسس|رصد|مراقبة|المراقبة)"))


_DRONE_STEM = fold("مسير")
# "لم يتضح ما إذا كانت في مهمة استطلاع أم محملة بالمتفجرات": the watching is only one of two readings
_HEDGED = re.compile(fold_pattern(r"ما اذا|ما إذا|لم يتضح|غير واضح|أم محملة|ام محملة|أم مفخخة|ام مفخخة"))


def _recon_drones(art: Article, mentions: list[Mention]) -> None:
    """DC_RECON_DRONE: a drone shot down that the article says was reconnoitring or spying on a base ('كانت تحاول
    عمل استطلاع لقاعدة') watched the base; no attack is told, unless it hurt someone or another weapon was used."""
    spans = [r.start() for r in _RECON.finditer(art.text)
             if not _HEDGED.search(art.text, max(0, r.start() - 60), r.end() + 60)]
    if not spans:
        return
    near = [k for k, s in enumerate(art.sentences) if any(s.start <= p < s.end for p in spans)]
    for m in mentions:
        if m.excluded is not None or m.weapon not in ("drone", "unknown") or (m.killed or 0) > 0 \
                or (m.wounded or 0) > 0:
            continue
        sent = art.sentences[m.sentence] if 0 <= m.sentence < len(art.sentences) else None
        if sent is None or _DRONE_STEM not in art.text[sent.start:sent.end]:
            continue
        if any(abs(k - m.sentence) <= 3 for k in near):
            m.excluded = RuleId.DC_RECON_DRONE
            art.trace.fire_on(m, RuleId.DC_RECON_DRONE)


def _inherit_dates(art: Article, mentions: list[Mention]) -> None:
    """An undated report takes the day of the news it continues: the last dated report before it, else a
    recent date written earlier in the article (the dateline, 'الاثنين' of the wire), else publication."""
    pub = art.published
    last: date | None = None
    for i, m in enumerate(mentions):
        if m.heading:
            continue
        if m.date_own and m.excluded is None:
            if last is None or not _aside(art, m):
                last = m.date
            continue
        if m.date is not None:
            continue
        # "استهدفت مسيرتان القاعدة X، بينما سقطت ثالثة في Y، مساء الأحد": one date at the end of the sentence
        # dates every attack it tells.
        later = next((n for n in mentions[i + 1:i + 4] if n.sentence == m.sentence and n.date_own
                      and n.excluded is None and not n.heading and n.start > m.start), None)
        art.trace.fire_on(m, RuleId.DC_INHERIT_DATE)
        prev = mentions[i - 1] if i > 0 else None
        if later is None and prev is not None and prev.sentence == m.sentence and prev.date_own \
                and prev.date is not None and prev.excluded is RuleId.BG_OLD_DATE and m.excluded is None:
            # "وفي الثامن من حزيران ضرب صاروخان مجمع المطار، بينما سقط صاروخ قرب السفارة": the clause the
            # sentence goes on with is of the same old day
            m.date, m.excluded = prev.date, RuleId.BG_OLD_DATE
            art.trace.fire_on(m, RuleId.BG_OLD_DATE)
            continue
        if later is not None:
            m.date = later.date
            continue
        if last is not None:
            m.date = last
            continue
        k = bisect_left(art.date_starts, m.start)
        m.date = None
        for d in reversed(art.dates[max(0, k - _RECENT):k]):
            if not d.since and d.precise and 0 <= (pub - d.value).days <= BACKGROUND_DAYS \
                    and not _in_update_stamp(art, d.start):
                m.date = d.value
                break
        if m.date is None:
            m.date = pub
            _old_site_date(art, m, mentions)


def _old_site_date(art: Article, m: Mention, mentions: list[Mention]) -> None:
    """DC_OLD_SITE_DATE: a report with no day of its own nor any recent day before it, of a site whose attack the
    article dates weeks back ('ارتفاع عدد جرحى ... في الهجوم على قاعدة عين الأسد' over 'الهجوم ... في 8 كانون
    الثاني'), is that old attack retold: it takes its day and is background."""
    if m.excluded is not None or m.heading or m.summary or m.place_id is None or m.place_weak:
        return
    if any(n.excluded is None and n.date_own and n.place_id == m.place_id for n in mentions):
        return
    single, _ = attack_words(art, m.start, m.end)
    before = art.toks_before(single[0].start, 1) if single else []
    if not (before and before[0][2] in _CAUSE):
        return  # only a toll told 'as a result of the attack' ('جراء استهداف ...'), not the attack itself
    old = next((n for n in mentions if n.excluded is RuleId.BG_OLD_DATE and n.date_own and n.date is not None
                and n.place_id == m.place_id), None)
    if old is not None:
        m.date, m.excluded = old.date, RuleId.DC_OLD_SITE_DATE
        art.trace.fire_on(m, RuleId.DC_OLD_SITE_DATE)


__all__ = ["read"]
