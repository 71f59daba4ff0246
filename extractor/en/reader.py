"""The English reader: sentences that report an attack on a US or coalition target become mentions,
mentions of one attack become one Incident.

A sentence reports an attack when its main clause has an attack word and a coalition target (a gazetteer
site, or words such as "U.S. forces", "a base housing American troops"). It is left out when it looks back
(tallies, "last year", a date more than a week before publication), tells of a strike by the US, Israel or
others, a threat, a drill or an accident, or a denial. Sentences without an attack of their own that follow
one ("Two service members were wounded", "A group calling itself ... claimed responsibility") add their facts
to the attack they follow.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, timedelta

from extractor.en import facts
from extractor.en.clauses import (
    BACKGROUND_DAYS,
    OFF_TOPIC,
    STORY_ENDS,
    attack_sense,
    attacked_sites,
    background_date,
    count_for,
    country_of,
    exclusion,
    main_clause,
    own_date,
    weapons,
)
from extractor.en.dates import find_dates
from extractor.en.incidents import Fate, Mention, incidents
from extractor.en.lexicon import lexicon
from extractor.en.places import PlaceMention, english_places
from extractor.en.text import fold, lower, sentences
from extractor.gazetteer import gazetteer
from extractor.merge import Mention as TraceMention
from extractor.merge import combine_weapons, weapon_compatible
from extractor.rule_ids import RuleId
from extractor.trace import Tracer
from extractor.types import Incident

_ASIDE_DAYS = 3  # an attack this many days before publication, told after a newer lead, is background
_FOLLOW = 3  # how many sentences on a follow-up may still add to the attack it follows
_ATTACK_WORDS = (  # the lexicon's trigger and weapon words, cheaply (a cue before the costly patterns run)
    r"rocket|missile|drone|mortar|attack|strike|struck|bomb|uav|projectile|shell|target|fire|launch|ambush|bombard"
    r"|pound|explo|blast|hit|land|fell|shot down|intercept|came under|crash|barrage|salvo|volley|assault|ied|katyusha"
    r"|down|engag|thwart|slam|impact"
)
_PREFILTER = re.compile(_ATTACK_WORDS)
# whole words: "us" inside "Russian" or "thus" is nobody's convoy
_CONVOY_US = re.compile(r"(?<![\w.])(?:coalition|u\.s\.|us|american|logistic\w*|contractor\w*)(?!\w)")
_ANY_CUE = re.compile(_ATTACK_WORDS + r"|kill|dead|died|death|wound|injur|hurt|harm|casualt|claim|credit|responsib")
_SITE_NOUN = re.compile(
    r"\b(?:bases?|airbases?|air bases?|airports?|camps?|garrisons?|facilit(?:y|ies)|consulate|embassy|compound"
    r"|outposts?|green zone|international zone)\b")
_ELSEWHERE = re.compile(r"\W*(?:separately|meanwhile|elsewhere|in (?:a |another )?separate|in another|in other news)\b")
_PLURAL = re.compile(r"\b(?:attacks|incidents|strikes)\b")
_FOLLOW_WORDS = re.compile(
    r"kill|dead|died|death|wound|injur|hurt|harm|casualt|losses|claim|credit|responsib|rocket|drone|missile|mortar|uav")
_MANY = re.compile(r"\b(?:multiple|several|numerous|a number of|a (?:swarm|wave|barrage|salvo|volley) of)\s+"
                   r"(?:[\w-]+\s+)?(?:rockets|missiles|drones|mortars|projectiles|uavs)\b")
_NEWEST = re.compile(r"\bthe (?:last|latest|most recent|newest) (?:(?:two|three|four|five|\d) )?(?:attacks?|strikes)\b"
                     r"(?! (?:in|of|since)\b)")
# A named place, then the site that locates it: "the Al-Rukban camp, located near Tower 22" (original case).
_LOCATES = re.compile(r"[A-Z][\w'-]+(?:\s+[\w'-]+){0,3},?\s+(?:which is\s+|that is\s+)?located\s+(?:\w+\s+)?"
                      r"(?:near|close to|next to|adjacent to|not far from|by)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
_NEAR_SITE = re.compile(r"\b(?:near|close to|next to|adjacent to|outside|not far from"
                        r"|(?:kilometers|kilometres|km|miles) (?:from|of))\s+(?:the\s+)?(?:[\w-]+\s+){0,1}$")
# "160 km north of Baghdad", "south of the capital, Baghdad": a city that locates a road, not the convoy's province
_BEARING = re.compile(r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)? of\s+(?:the\s+)?"
                      r"(?:(?:iraqi\s+)?capital,?\s+)?$")


def _convoy_area(clause: str, fallback: str | None) -> str | None:
    """The province a convoy was hit in: the first one the clause names, unless only as a bearing from a city."""
    rx, labels = lexicon().joint["provinces"]
    for m in rx.finditer(clause):
        if not _BEARING.search(clause, max(0, m.start() - 40), m.start()):
            return labels[int((m.lastgroup or "g0")[1:])]
    return fallback


# A denial of a report ("the coalition denied reports that ...", "a report ... was denied") and a clause that only
# relays a report ("reports surfaced claiming", "SANA had claimed"): in one article, the relayed report is the
# denied one.
_REPORT_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|dismissed|dismisses|rejected|rejects|refuted|refutes)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:reports?|claims?|allegations?|rumou?rs?)\b|\breports?\b(?:\s+[\w.-]+){0,8}?\s+(?:was|were)\s+denied\b"
    r"|\b(?:reports?|claims?) (?:were|was) (?:false|untrue|baseless|fabricated|unfounded)\b")
_RELAYED = re.compile(
    r"\breports? (?:surfaced|emerged|circulated|claimed|claiming|alleged|alleging|suggested)\b"
    r"|\b(?:had|has|have) claimed\b|\balleged(?:ly)?\b|\bpurported(?:ly)?\b|\bunconfirmed reports?\b")
# sources that confirm what the clause relays make it a report of fact
_CONFIRMED_BY = re.compile(r"\bconfirmed by\b"
                           r"|\b(?:sources?|officials?|spokes(?:man|woman|person)) (?:\w+ ){0,3}?confirmed\b")
_SPOKE_ON = re.compile(r"\W*on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|[a-z]{3,9}\.? \d{1,2}),\s+"
                       r"(?:[\w.'-]+\s+){0,6}?(?:said|says|tweeted|told|reported|announced|wrote|posted)\b")
_ADDS = re.compile(r"(?<!the )\b(?:other|others|more|additional|further)\s+(?:[\w-]+\s+){0,2}?"
                   r"(?:were|was|have been|had been)?\s*(?:injured|wounded|hurt|killed|victims|people|persons|civilians"
                   r"|soldiers|troops)")
# Who speaks is not the target nor whose casualties: "Major General X of the Iraqi security forces told NBC that
# ...", "..., the Iraqi military said on Sunday", "An Iraqi army statement said ...".
_SPEAKER = re.compile(r"\bof the [\w\s-]{3,40}? (?=(?:told|said|says)\b)"
                      r"|^\W*(?:an?|the)\s+(?:[\w.'-]+\s+){0,4}?(?:statement|spokesm[ae]n|spokeswoman|spokesperson"
                      r"|officials?|officers?|commanders?|sources?)\s+(?:said|says|stated|added|told)\b"
                      r"|,\s+(?:[\w.'-]+\s+){1,5}(?:said|says|told [\w.]+|reported|announced)\b[^,]{0,40}$")
# where the weapons came from ("launched from areas held by the PMF"): the force named there is no victim
_ORIGIN = re.compile(r"\b(?:launched|fired|came|originated|took off) from\b.*$")
_STRIKE_ON = re.compile(r"\b(?:strikes?|airstrikes?|attacks?|raids?) (?:on|against|at) (?:the )?$")
_ANOTHER = re.compile(r"\banother (?:[\w-]+ ){0,2}(?:drones?|rockets?|missiles?|attacks?|strikes?)\b"
                      r"|\balso on (?:\w+day|\w+ \d+)\b|\bseparate (?:\w+ )?attacks?\b")
_THIS_BASE = re.compile(r"\b(?:this|that|the same) (?:air ?base|base|site|facility|garrison|camp)\b")
_SAME_DAY = re.compile(r"\b(?:(?:earlier|later) (?:in the day|that day|on the same day)|hours (?:earlier|later)"
                       r"|the same day)\b")
_LIVE_WEEK = re.compile(r"(?<![\w-])last week(?![\w])")
# A time told only relative to the story's last event ("the following weekend", "two days later", "the next
# morning"), and an indefinite report opening a sentence ("Rockets struck ...", "A drone hit ..."): after a dated
# look back, both go on telling it.
_NEXT_TIME = re.compile(r"\b(?:the (?:following|next) (?:day|night|morning|evening|week|weekend|month)"
                        r"|(?:a|one|two|three|four|five|a few|several|\d+) (?:days?|weeks?|nights?) later"
                        r"|days later|weeks later)\b")
_INDEFINITE_OPEN = re.compile(r"\W*(?:(?:a|an|two|three|four|five|several|more|multiple|\d+) )?(?:[\w-]+ )?"
                              r"(?:rockets|missiles|drones|mortars|projectiles|rocket|missile|drone|mortar) "
                              r"(?:also )?(?:struck|hit|targeted|slammed|landed|fell|were fired|was fired)")
# "Eleven struck Ain al-Asad", "Two of them landed outside": a bare count as the subject goes on with the projectiles
# the sentence before told; it never opens a new attack.
_COUNT_GOES_ON = re.compile(r"\W*(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
                            r"|most|some|all|both|several|many|the rest|the others)"
                            r"(?: of (?:them|those|these|the [\w-]+))? (?:also )?"
                            r"(?:struck|hit|landed|fell|slammed|exploded|impacted|malfunctioned)\b")
# "trying to conduct reconnaissance", "on a surveillance flight", "a spy drone": a drone described as watching
_RECON = re.compile(r"\b(?:conduct(?:ing)? (?:\w+ )?(?:reconnaissance|surveillance)"
                    r"|(?:reconnaissance|surveillance|spy) (?:drones?|flights?|missions?|aircraft|uavs?)"
                    r"|(?:to|trying to|attempting to) (?:surveil|spy on))\b")
_DRONE = re.compile(r"\b(?:drones?|uavs?|unmanned aerial vehicles?)\b")
_HEDGED = re.compile(r"\b(?:whether|unclear|not clear|or (?:was )?(?:carrying|armed|loaded))\b")
_DAWN = re.compile(r"\b(?:at dawn|at daybreak|before dawn|in the early hours)\b(?! (?:of|on) )")
# "A similar blast", "another such attack": an attack of the kind just told (its target is that attack's kind).
_SIMILAR = re.compile(r"\b(?:a|another) (?:similar|such) (?:[\w-]+ )?(?:explosion|blast|attack|bombing|ambush)\b")
# "U.S. jets struck militia sites in retaliation for a drone attack on Erbil air base": what the strike answers.
# ("the strikes followed a drone attack on Harir air base earlier in the day": the same)
_CAUSE = re.compile(r"\b(?:(?:in|as|was) (?:an? )?(?:apparent )?(?:retaliation|response|revenge|reprisal) "
                    r"(?:for|to|over) (?:the |an? )?|(?:followed|came after) (?:an? |the )?(?=(?:[\w-]+ ){0,2}attack))")
# A toll sentence naming our side as unharmed ("the strike hurt nobody at the base"): the 'strike' it names is the
# attack on us, not a strike of ours.
_OURS_UNHARMED = re.compile(r"\b(?:the base|coalition|american|u\.s\.|us (?:forces|troops|personnel)\b)")
# "drones were launched from the US base": the coalition site named after "from" is where they took off, not a target
_FROM_BEFORE = re.compile(r"\bfrom (?:the |a |an )?$")
_THE_STRIKE = re.compile(r"\W*(?:the|this|that) strike\b")
_STRIKES = re.compile(r"\b(?:air ?strikes|strikes|raids|bombings?)\b")
# "The struck site lies in the area of <a base>": a sentence placing the target of an attack told before; the base it
# names locates that target.
_TARGETED_SITE = re.compile(
    r"\bthe (?:targeted|attacked|struck) (?:site|area|location|position|facility|building|plant|place|spot|vehicle"
    r"|post)s? (?:is|was|are|were|lies|lay) (?:\w+ )?(?:located|situated|in|near)\b")
# Another force named as a casualty, not as the target: "an Iraqi soldier was wounded", "wounding two Iraqi police".
_VICTIM_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:was|were)\s+(?:\w+\s+)?(?:wounded|injured|killed|hurt)\b")
_VICTIM_BEFORE = re.compile(r"\b(?:wounding|injuring|killing|hurting)\s+(?:[\w-]+\s+){0,3}$")
_OTHERS_CONVOY = re.compile(r"\b(?:army|military|police|iraqi|syrian|turkish|pmf|sdf|militia|security forces'?) "
                            r"(?:\w+ )?convoys?\b")
_ALSO = re.compile(r"\b(?:also|again|as well)\b")
_LOOK_BACKS = frozenset({RuleId.BG_EN_CUE, RuleId.BG_EN_OLD_DATE, RuleId.BG_EN_EARLIER_YEAR})
# A dateline opening a sentence: where the reporter files from, not where the attack was ("BAGHDAD (Reuters) -",
# "ERBIL, Kurdistan Region -", "BAGHDAD, Jan. 24 (Xinhua) --", "FALLUJAH:", "Baghdad (AFP) -", "15 Apr 2021; MEMO:",
# "Shafaq News- Baghdad/"); read on the folded text (dashes are plain), after the corpus page's own "date YYYY-MM-DD"
# field when there is one.
_DATELINE = re.compile(
    r"(?:date \d{4}-\d\d-\d\d\s+)?(?P<dl>(?!(?i:iraq|syria|jordan)\b)(?:"
    r"\d{1,2} [A-Z][a-z]{2,8} \d{4}\s*;\s*[A-Z][\w.&' -]{0,30}:"
    r"|[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+)?(?:, [A-Z][A-Za-z]+(?: [A-Z][a-z]+)?)?(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?"
    r"(?: ?\([^)]{1,40}\))?\s*(?:--|[-:])"
    r"|[A-Z][a-z]+ \([^)]{1,40}\)\s*(?:--|-)"
    r"|[A-Z]\w+ News\s*-\s*[A-Z][a-z]+/"
    r"))\s"
)


def read(text: str, published: date, title: str | None = None, tracer: Tracer | None = None) -> list[Incident]:
    """Incidents reported in an English article (the title, when given, is read as a heading).

    `tracer`, when given, receives the rules fired on every sentence with a cue word (see `extractor.explanation`);
    its entries' offsets are in the text as given (title, newline, text), which English folding keeps.
    """
    tr = tracer if tracer is not None else Tracer()
    fire = tr.fire
    detail = tr.detail
    prefix = 0
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        prefix = len(title.strip()) + 1
        text = title.strip() + "\n" + text
    tr.prefix = prefix
    tr.lang = "en"
    original = text
    text = fold(text)
    low_all = lower(text)
    if not _PREFILTER.search(low_all):
        if detail:
            tr.clause(0, 0, len(text))
            fire(RuleId.CL_EN_NO_ATTACK_WORD)
        return []
    lex = lexicon()
    sents = sentences(text)
    mentions: list[tuple[Mention, bool]] = []  # (mention, reports an attack of its own)
    entries: list[int] = []  # the trace entry of each mention
    views: list[TraceMention] = []  # what explain shows of each mention (only when the tracer keeps detail)
    last_attack = -10
    told_at = -10  # the last sentence that went on telling the attack before it (its weapons, with no new target)
    context_date: date | None = None  # the day the last attack sentence named ("last week" = background)
    contexts: list[tuple[date, str]] = []  # each day an attack sentence named, with the weapon it told
    told_day: date | None = None  # the last recent day any attack sentence named (a US strike's too)
    lead_excluded = False  # the article opens with a US strike, a threat or a look back
    lead_tally = False  # ... with a look back (a tally of attacks)
    seen_target = False
    plural_none = False
    look_back_at = -10  # the last attack sentence rejected as a dated look back ("Last Thursday, attacks ...")
    news_at = -10  # the last sentence that reported an attack of its own
    back_at = -10  # the last attack sentence rejected as a look back, dated or not
    news_sites: set[str] = set()  # the sites reported so far
    lead_day: date | None = None  # the day of the first attack reported
    all_places = english_places().find(low_all)
    report_denied = _REPORT_DENIAL.search(low_all) is not None
    place_starts = [p.start for p in all_places]
    for i, s in enumerate(sents):
        low = low_all[s.start:s.end]
        if not _ANY_CUE.search(low):
            continue  # neither an attack word nor a fact a follow-up could add
        cited_low = low
        dl = _DATELINE.match(text, s.start, s.end)
        dl_span = (dl.start("dl") - s.start, dl.end() - s.start) if dl else (0, 0)
        if dl:  # the dateline is read as blank: its city is not a place of the attack, its stamp not the day
            low = low[:dl_span[0]] + " " * (dl_span[1] - dl_span[0]) + low[dl_span[1]:]
        cause = _CAUSE.search(low)
        answered = cause is not None and (lex["us_strike"].search(low, 0, cause.start()) is not None
                                          or _STRIKES.search(low, 0, cause.start()) is not None) \
            and lex["trigger"].search(low, cause.end()) is not None \
            and (lex["coalition_target"].search(low, cause.end()) is not None or any(
                not p.weak and p.start >= s.start + cause.end()
                for p in all_places[bisect_left(place_starts, s.start):bisect_left(place_starts, s.end)])) \
            and (own_date(find_dates(low[cause.end():], published), low[cause.end():]) is not None
                 or (told_day is not None and _SAME_DAY.search(low, cause.end()) is not None))
        if cause is not None and answered:  # the US strike is read as blank: the attack it answers is the report
            low = " " * cause.end() + low[cause.end():]
        cut = main_clause(low)
        clause = low[:cut]
        c_end = s.start + len(clause)
        entry = tr.clause(i, s.start, s.end)
        if answered:
            fire(RuleId.DC_EN_CAUSE_OF_STRIKE)
        if dl:
            fire(RuleId.CL_EN_DATELINE)
        if cut < len(low):
            fire(RuleId.CL_EN_CONTEXT_CUT)
        has_trigger = lex["trigger"].search(clause) is not None
        dates = find_dates(clause, published) if has_trigger or _FOLLOW_WORDS.search(clause) else []
        found = [PlaceMention(p.start - s.start, p.end - s.start, p.place_id, p.weak)
                 for p in all_places[bisect_left(place_starts, s.start):bisect_left(place_starts, c_end)]
                 if p.end <= c_end and not (p.weak and dl_span[0] <= p.start - s.start < dl_span[1])]
        # (a base in the dateline, "AL-ASAD, Iraq (AP) -", is where the reporter is: its story, kept)
        explicit = False  # "U.S. forces", "a base housing American troops": the target is said outright
        road_country: str | None = None  # the country of the town a convoy was hit near
        road_area: str | None = None  # ... and that town or province
        if has_trigger:
            chosen = attacked_sites(clause, found)
            explicit = any(not _FROM_BEFORE.search(clause, max(0, t.start() - 20), t.start())
                           for t in lex["coalition_target"].finditer(clause))
            if chosen and not explicit and all(_LOCATES.search(text, s.start, s.start + p.start) for p in chosen):
                chosen = []  # "the Al-Rukban camp, located near Tower 22": the camp is the target
                fire(RuleId.CL_EN_LOCATOR_ONLY)
            if (chosen or explicit) and _TARGETED_SITE.search(clause) and all(
                    any(a.start() <= t.start() < a.end() for a in _TARGETED_SITE.finditer(clause))
                    for t in lex["trigger"].finditer(clause)):
                chosen, explicit = [], False  # "the struck site lies near a named base": where, not what
                fire(RuleId.CL_EN_LOCATOR_ONLY)
            # a town alone ("missiles struck Erbil") names a site only beside a word for one ("an air base near Erbil")
            site_word = any(not p.weak for p in found) or _SITE_NOUN.search(clause) is not None
            target = explicit or (bool(chosen) and site_word)
            convoy = lex["convoy"].search(clause) is not None and _CONVOY_US.search(clause) is not None
            if convoy and chosen and all(p.weak for p in chosen) and _SITE_NOUN.search(clause) is None:
                road = gazetteer().get(chosen[0].place_id)
                road_country = road.country if road else None
                road_area = chosen[0].place_id
                chosen = []  # "a coalition convoy was hit in Anbar": the province locates the road, not a base
        else:
            chosen, target, convoy = [], False, False
            fire(RuleId.CL_EN_NO_ATTACK_WORD)
        sense = attack_sense(clause)
        if has_trigger and not sense:
            fire(RuleId.CL_EN_NOT_AN_ATTACK)
        elif has_trigger and not (target or convoy):
            fire(RuleId.CL_EN_NO_TARGET)
        attack_like = has_trigger and (target or convoy) and sense
        excluded = exclusion(clause, dates, published, fire) if attack_like else None
        if excluded is RuleId.EX_EN_US_STRIKE and any(
                not p.weak and _STRIKE_ON.search(clause, max(0, p.start - 30), p.start) for p in chosen):
            excluded = None  # "a drone strike on Tower 22": a strike on a coalition site is an attack on it
            fire(RuleId.SP_EN_STRIKE_ON_SITE)
        named = any(not p.weak for p in found)
        if attack_like and excluded is None and not explicit and lex["other_forces"].search(clause) and (
                not named or (chosen and all(_NEAR_SITE.search(clause, 0, p.start) for p in chosen))) \
                and lex["other_forces"].search(_SPEAKER.sub(" ", clause)):  # not "..., the Iraqi military said"
            if convoy and not _OTHERS_CONVOY.search(clause) and all(
                    _VICTIM_AFTER.match(clause, f.end()) or _VICTIM_BEFORE.search(clause, max(0, f.start() - 40),
                                                                                   f.start())
                    for f in lex["other_forces"].finditer(clause)):
                fire(RuleId.SP_EN_OTHERS_HURT)  # "an Iraqi soldier was hurt when a bomb hit a coalition convoy"
            else:
                # "a Popular Mobilization depot near Balad air base": another force's post beside a site, not the site
                excluded = RuleId.EX_EN_OTHER_FORCES
        if attack_like and excluded is None and report_denied and _RELAYED.search(clause) \
                and not _CONFIRMED_BY.search(clause):  # "..., as confirmed by two security sources to Reuters"
            excluded = RuleId.EX_EN_RELAYED_DENIED  # "reports surfaced claiming the base was hit" ... "denied reports"
        if excluded is not None:
            fire(excluded)
            if excluded in _LOOK_BACKS:
                back_at = i
                if dates or _LIVE_WEEK.search(clause):
                    look_back_at = i
            if detail:
                p0 = chosen[0] if chosen else None
                site = gazetteer().get(p0.place_id) if p0 else None
                views.append(_view(i, s.start, c_end, p0, site.country if site else country_of(clause), "base", None,
                                   "unknown", None, None, None, None, excluded))
                tr.entries[entry].mentions.append(views[-1])
        if has_trigger and dates and own_date(dates, clause) is not None and not background_date(dates, published):
            told_day = own_date(dates, clause)
        if has_trigger and not attack_like and not seen_target and sense and lex["background"].search(clause) \
                and _THIS_BASE.search(clause):
            seen_target = lead_excluded = True  # "As CNN reported earlier, this base was attacked ..."
            fire(RuleId.BG_EN_CUE)
        if attack_like and not seen_target:
            seen_target = True
            lead_excluded = excluded in OFF_TOPIC and i <= 3
            lead_tally = lead_excluded and excluded == RuleId.BG_EN_CUE
        if has_trigger and not attack_like and not lex["us_strike"].search(clause):
            if own_date(dates, clause) is not None:
                context_date = own_date(dates, clause)
            elif _LIVE_WEEK.search(clause):
                context_date = published - timedelta(days=BACKGROUND_DAYS + 1)
            if own_date(dates, clause) is not None and context_date is not None:
                kinds_here = weapons(clause)
                contexts.append((context_date, combine_weapons(kinds_here) if kinds_here else "unknown"))
        if attack_like and excluded is None:
            own = own_date(dates, clause)
            if own is not None and _SPOKE_ON.match(clause) and _LIVE_WEEK.search(clause):
                own = None  # "On Monday, X tweeted: '... attack on a base ... last week'": Monday is the tweet's day
                fire(RuleId.DC_EN_SPEAKING_DAY)
            if own is None and _LIVE_WEEK.search(clause):
                own = published - timedelta(days=BACKGROUND_DAYS + 1)
            if own is None and told_day is not None and _SAME_DAY.search(clause):
                own = told_day  # "Earlier in the day, militants attacked Erbil air base": the day just told
                fire(RuleId.DC_EN_SAME_DAY)
            kinds = weapons(clause)
            weapon = combine_weapons(kinds) if kinds else "unknown"
            summary = mentions[-1][0] if chosen and mentions and last_attack == i - 1 and mentions[-1][1] \
                and mentions[-1][0].place is None and not _ELSEWHERE.match(clause) else None  # "... The first ..."
            if summary is not None and not kinds and summary.weapon != "unknown":
                weapon = summary.weapon
                fire(RuleId.DC_EN_SUMMARY_WEAPON)
            anaphoric = not chosen and not kinds and not convoy
            if own is not None and own == own_date(dates, clause) and lead_day is not None \
                    and (published - own).days >= _ASIDE_DAYS \
                    and (lead_day - own).days >= 2 and not any(p.place_id in news_sites for p in chosen) \
                    and (back_at > news_at or _ALSO.search(clause)):
                # "Rockets hit the airport at dawn today. ... On June 13, Taji was also targeted": an older attack
                # told after the story's newer lead is its background
                fire(RuleId.BG_EN_EARLIER_ASIDE)
                look_back_at, last_attack, told_at = i, -10, -10  # the facts told next are the older attack's
                if detail:
                    views.append(_view(i, s.start, c_end, chosen[0] if chosen else None, None, "base", own, weapon,
                                       None, None, None, None, RuleId.BG_EN_EARLIER_ASIDE))
                    tr.entries[entry].mentions.append(views[-1])
                continue
            if own is not None:
                context_date = own
                contexts.append((own, weapon))
                fire(RuleId.FX_EN_DATE)
            day = own if own is not None else context_date
            if own is None and weapon != "unknown" and contexts and contexts[-1][1] != "unknown" \
                    and not weapon_compatible(weapon, contexts[-1][1]):
                # "a rocket attack on Euphrates on Saturday ... [drone attack]": the day of the last attack told
                # with this weapon (or none), not of another weapon's attack
                fitting = [d for d, w in contexts if w == "unknown" or weapon_compatible(weapon, w)]
                if fitting and fitting[-1] != day:
                    day = fitting[-1]
                    fire(RuleId.DC_EN_SAME_WEAPON_DATE)
            if own is None and look_back_at > news_at and (_NEXT_TIME.search(clause) or (
                    look_back_at == i - 1 and (_INDEFINITE_OPEN.match(clause) or _COUNT_GOES_ON.match(clause))
                    and not any(p.place_id in news_sites for p in chosen))):
                # "In March, rockets hit Taji. ... The following weekend, rockets slammed into it again": the
                # undated report goes on with the dated look back before it
                fire(RuleId.DC_EN_LOOK_BACK_GOES_ON)
                look_back_at, last_attack, told_at = i, -10, -10  # the facts told next are the look back's
                if detail:
                    views.append(_view(i, s.start, c_end, chosen[0] if chosen else None, None, "base", None, weapon,
                                       None, None, None, None, RuleId.DC_EN_LOOK_BACK_GOES_ON))
                    tr.entries[entry].mentions.append(views[-1])
                continue
            if own is None and lead_tally and chosen and _NEWEST.search(clause):
                fire(RuleId.SP_EN_NEWEST_OF_TALLY)  # "the last three attacks targeted ...": the tally's news
            elif own is None and lead_excluded and _SAME_DAY.search(clause):
                fire(RuleId.SP_EN_SAME_DAY_AS_STORY)  # "earlier in the day, militias targeted Erbil": the day's news
            elif own is None and lead_excluded:
                fire(RuleId.BG_EN_OTHER_STORY)  # an undated attack in a story about something else is background
                if detail:
                    views.append(_view(i, s.start, c_end, chosen[0] if chosen else None, None, "base", None, weapon,
                                       None, None, None, None, RuleId.BG_EN_OTHER_STORY))
                    tr.entries[entry].mentions.append(views[-1])
                continue
            if own is None and day is not None:
                fire(RuleId.DC_EN_CONTEXT_DATE)
            counts = facts.weapon_counts(clause)
            killed, wounded = facts.casualties(clause)
            tm = lex["coalition_target"].search(clause)
            region = (country_of(clause[tm.start():]) if tm else None) or road_country or (
                mentions[-1][0].country if mentions else None) or country_of(clause) or country_of(low)
            kind = "convoy" if convoy and not chosen else "base"
            sites: list[PlaceMention | None] = list(chosen) or [None]
            if len(sites) > 1:
                fire(RuleId.CL_EN_SEVERAL_SITES)
            if kinds:
                fire(RuleId.FX_EN_WEAPON)
            if not chosen and region is not None:
                fire(RuleId.FX_EN_COUNTRY)
            if killed is not None or wounded is not None:
                fire(RuleId.FX_EN_CASUALTIES)
            intercepted = lex["intercept"].search(clause) is not None
            if intercepted:
                fire(RuleId.FX_EN_INTERCEPT)
            claimed = facts.claimant(low)
            if claimed is not None:
                fire(RuleId.FX_EN_CLAIM)
            elif summary is not None and summary.claimed_by is not None:
                claimed = summary.claimed_by  # the group that claimed the attacks names the sites next
                fire(RuleId.DC_EN_SUMMARY_WEAPON)
            launch = facts.launch_site(text[s.start:s.end])
            if launch is not None:
                fire(RuleId.FX_EN_LAUNCH_SITE)
            cited = facts.sources(cited_low)
            if cited:
                fire(RuleId.FX_EN_SOURCES)
            summary_rule = False
            prev_weapon, seg_start = weapon, 0
            for p in sites:
                pid = p.place_id if p else None
                place = gazetteer().get(pid) if pid else None
                if p is not None and len(sites) > 1:
                    # several sites in one clause: each takes the weapon and count told just before it
                    seg = clause[seg_start:p.end]
                    seg_start = p.end
                    sw = weapons(seg)
                    site_weapon = combine_weapons(sw) if sw else prev_weapon
                    prev_weapon = site_weapon
                    count, vague = count_for(facts.weapon_counts(seg), site_weapon)
                else:
                    site_weapon = weapon
                    count, vague = count_for(counts, weapon)
                m_kind = "diplomatic" if pid and gazetteer().kind(pid) == "diplomatic" else kind
                if m_kind != "base":
                    fire(RuleId.FX_EN_TARGET_KIND)
                if count is not None:
                    fire(RuleId.FX_EN_COUNT)
                many = count is None and _MANY.search(clause) is not None
                if many:
                    fire(RuleId.FX_EN_MANY)
                m = Mention(
                    sentence=i, place=p, country=place.country if place else region,
                    kind=m_kind,
                    date=day, weapon=site_weapon, count=count, count_vague=vague,
                    killed=killed if len(sites) == 1 else None, wounded=wounded if len(sites) == 1 else None,
                    intercepted=intercepted,
                    claimed_by=claimed, launch_site=launch,
                    sources=cited, summary=p is None and _PLURAL.search(clause) is not None, many=many,
                    another=_ANOTHER.search(clause) is not None or _SIMILAR.search(clause) is not None
                    or (convoy and _SAME_DAY.search(clause) is not None),
                    area=_convoy_area(clause, road_area) if m_kind == "convoy" else None,
                )
                if m.summary and not summary_rule:
                    summary_rule = True
                    fire(RuleId.CL_EN_SUMMARY)
                opens = not anaphoric or (not lead_excluded and not any(own for _, own in mentions)
                                          and not _PLURAL.search(clause))  # "attacks on US forces": a topic
                if not opens:
                    fire(RuleId.MG_EN_ANAPHORIC)
                mentions.append((m, opens))
                entries.append(entry)
                if detail:
                    views.append(_mention_view(m, s.start, c_end, own is not None))
                    tr.entries[entry].mentions.append(views[-1])
            last_attack = news_at = i
            if lead_day is None and (day is not None or _DAWN.search(clause)):
                lead_day = day or published  # the day of the story's first reported attack ("at dawn": today)
            news_sites.update(p.place_id for p in chosen)
            continue
        if excluded in STORY_ENDS:
            continue
        like = _SIMILAR.search(clause) if has_trigger and sense and not attack_like and mentions else None
        own_like = own_date(dates, clause) if like else None
        prev_open = next((m for m, opened in reversed(mentions) if opened), None)
        if like and own_like is not None and prev_open is not None and prev_open.date is not None \
                and abs((own_like - prev_open.date).days) <= 1 and i - last_attack <= _FOLLOW \
                and not lex["background"].search(clause[:like.start()] + clause[like.end():]):
            # "A convoy was bombed on the Diwaniyah road. A similar blast hit the Nasiriyah road earlier today": an
            # attack of the kind just told, on the same day, somewhere else
            fire(RuleId.DC_EN_SIMILAR_ATTACK)
            towns = [gazetteer().get(p.place_id) for p in found]
            country = next((t.country for t in towns if t is not None), None) or prev_open.country
            kinds = weapons(clause)
            m = Mention(
                sentence=i, place=None, country=country, kind=prev_open.kind, date=own_like,
                weapon=combine_weapons(kinds) if kinds else next(
                    (pm.weapon for pm, opened in reversed(mentions) if opened and pm.weapon != "unknown"), "unknown"),
                count=None, count_vague=True,
                killed=None, wounded=None, intercepted=False, claimed_by=None, launch_site=None,
                sources=facts.sources(cited_low), another=True, similar=True,
                area=_convoy_area(clause, None) if prev_open.kind == "convoy" else None,
            )
            mentions.append((m, True))
            entries.append(entry)
            if detail:
                views.append(_mention_view(m, s.start, c_end, True))
                tr.entries[entry].mentions.append(views[-1])
            last_attack = news_at = i
            continue
        if not _FOLLOW_WORDS.search(clause):
            continue
        if excluded is None and _PLURAL.search(clause) and lex["no_casualties"].search(clause) and not (
                lex["background"].search(clause) or background_date(dates, published)):
            plural_none = True  # "no injuries from the four attacks": true of each of them
            fire(RuleId.DC_EN_PLURAL_ZEROS)
        if _ELSEWHERE.match(clause):
            last_attack = told_at = -10  # "Separately, ...": what follows belongs to another story
            fire(RuleId.DC_EN_ELSEWHERE)
        if not mentions or i - last_attack > 6:
            continue
        if lex["background"].search(clause) or background_date(dates, published) or lex["us_strike"].search(clause):
            continue
        claimed = facts.claimant(low)
        near = min(i - last_attack, i - told_at) <= _FOLLOW and excluded is None
        told = _ORIGIN.sub(" ", _SPEAKER.sub(" ", clause))
        someone_elses = (re.search(r"\bstrikes?\b", clause) is not None and not re.search(r"\battack", clause)
                         ) or (lex["other_forces"].search(clause) is not None and lex["other_forces"].search(
                             told) is not None and not (not has_trigger and all(
                                 _VICTIM_AFTER.match(told, f.end()) for f in lex["other_forces"].finditer(told))))
        # casualties of others; but "An Iraqi soldier was wounded." after the attack is that attack's toll
        if someone_elses and near and _THE_STRIKE.match(clause) and _OURS_UNHARMED.search(clause) \
                and not lex["other_forces"].search(clause) and facts.casualties(clause) == (0, 0):
            someone_elses = False  # "The strike hurt nobody at the base": the attack just told
            fire(RuleId.DC_EN_STRIKE_HARMED_NONE)
        killed, wounded = facts.casualties(clause) if near and not someone_elses else (None, None)
        counts = facts.weapon_counts(clause) if near and has_trigger and not found else []
        if killed is None and wounded is None and claimed is None and not counts:
            if near and has_trigger and not found and not someone_elses:
                told_at = i  # "Several rockets landed inside the zone": the same attack told on; its toll may follow
                fire(RuleId.DC_EN_TOLD_ON)
            continue
        prev = mentions[-1][0]
        if prev.summary and killed == 0 and wounded == 0:
            plural_none = True
            fire(RuleId.DC_EN_PLURAL_ZEROS)
        count, vague = count_for(counts, prev.weapon)
        fw = combine_weapons(weapons(clause)) if weapons(clause) else "unknown"
        m = Mention(
            sentence=i, place=_one_site(found), country=prev.country, kind=prev.kind,
            date=prev.date if prev.date is not None or not has_trigger else own_date(dates, clause), weapon=fw,
            count=count if fw == "unknown" or weapon_compatible(fw, prev.weapon) else None, count_vague=vague,
            killed=killed, wounded=wounded, intercepted=lex["intercept"].search(clause) is not None,
            claimed_by=claimed, launch_site=facts.launch_site(text[s.start:s.end]), sources=facts.sources(cited_low),
            adds=(killed or wounded) is not None and _ADDS.search(clause) is not None,
            area=_convoy_area(clause, None) if prev.kind == "convoy" else None,
        )
        if m.adds:
            fire(RuleId.DC_EN_MORE_CASUALTIES)
        fire(RuleId.DC_EN_FOLLOW_UP)
        mentions.append((m, False))
        entries.append(entry)
        if detail:
            views.append(_mention_view(m, s.start, c_end, False))
            tr.entries[entry].mentions.append(views[-1])
    reported = [m for m, opens in mentions if opens]
    if reported and look_back_at > 0 and all(m.sentence == 0 and m.place is None and m.date is None for m in reported):
        # "Soldiers recount Iran's missile attack on U.S. base" over a body that only looks back at January 2020:
        # the headline names the attack the body dates, not a new one
        tr.clause(0, sents[0].start, sents[0].end)
        fire(RuleId.BG_EN_HEADLINE_LOOK_BACK)
        mentions, entries, views = _keep(mentions, entries, views, [m.sentence != 0 for m, _ in mentions],
                                         RuleId.BG_EN_HEADLINE_LOOK_BACK)
    recon = [k for k, s in enumerate(sents) if _RECON.search(low_all, s.start, s.end)
             and not _HEDGED.search(low_all, s.start, s.end)]
    if recon:
        # "the drone was trying to conduct surveillance of the base": it watched, it did not strike
        keep = [m.weapon not in ("drone", "unknown") or (m.killed or 0) > 0 or (m.wounded or 0) > 0
                or not _DRONE.search(low_all, sents[m.sentence].start, sents[m.sentence].end)
                or all(abs(k - m.sentence) > 3 for k in recon) for m, _ in mentions]
        if not all(keep):
            for k, e in zip(keep, entries, strict=True):
                if not k and detail and 0 <= e < len(tr.entries):
                    tr.entries[e].rules.append(RuleId.DC_EN_RECON_DRONE)
            mentions, entries, views = _keep(mentions, entries, views, keep, RuleId.DC_EN_RECON_DRONE)
    fate = Fate() if detail else None
    found_incidents = incidents(mentions, sents, original, low_all, published, plural_none, prefix, fate)
    if fate is not None:
        _trace_fate(tr, fate, mentions, entries, [v for v in views if v.excluded is None])
    return found_incidents


def _keep(mentions: list[tuple[Mention, bool]], entries: list[int], views: list[TraceMention], keep: list[bool],
          rule: RuleId) -> tuple[list[tuple[Mention, bool]], list[int], list[TraceMention]]:
    """The mentions (with their trace entries and views) a discourse rule keeps; explain shows the others as
    dropped by `rule`."""
    live = [v for v in views if v.excluded is None]  # one per mention, in order (only when keeping detail)
    dropped = {id(v) for v, k in zip(live, keep, strict=False) if not k}
    for v in live:
        if id(v) in dropped:
            v.dropped = rule
    return ([x for x, k in zip(mentions, keep, strict=True) if k],
            [e for e, k in zip(entries, keep, strict=True) if k],
            [v for v in views if id(v) not in dropped])


def _one_site(found: list[PlaceMention]) -> PlaceMention | None:
    """The one site a follow-up names by a strong name ('two soldiers were wounded at Ain al-Asad'), if one."""
    strong = {p.place_id: p for p in found if not p.weak}
    return next(iter(strong.values())) if len(strong) == 1 else None


def _view(
    sentence: int, start: int, end: int, place: PlaceMention | None, country: str | None, kind: str, day: date | None,
    weapon: str, count: int | None, killed: int | None, wounded: int | None, claimed_by: str | None,
    excluded: RuleId | None, launch_site: str | None = None, summary: bool = False, date_own: bool = False,
) -> TraceMention:
    """A clause's report as explain shows it (the record the Arabic reader keeps, filled from English facts)."""
    return TraceMention(
        order=0, sentence=sentence, start=start, end=end, place_id=place.place_id if place else None,
        place_weak=bool(place and place.weak), country=country, target_kind=kind, date=day, date_own=date_own,
        weapon=weapon, count=count, count_vague=False, killed=killed, wounded=wounded, intercepted=None,
        claimed_by=claimed_by, launch_site=launch_site, sources=[], heading=False, summary=summary,
        excluded=excluded,
    )


def _mention_view(m: Mention, start: int, end: int, date_own: bool) -> TraceMention:
    return _view(m.sentence, start, end, m.place, m.country, m.kind, m.date, m.weapon, m.count, m.killed, m.wounded,
                 m.claimed_by, None, m.launch_site, m.summary, date_own)


def _trace_fate(tr: Tracer, fate: Fate, mentions: list[tuple[Mention, bool]], entries: list[int],
                views: list[TraceMention]) -> None:
    """Record what the merge made of each mention: the incident it joined, the rule that joined or dropped it,
    and for a follow-up the report whose facts it completed."""
    first_entry: dict[int, int] = {}  # group → the trace entry of its first report
    for k, (_, own) in enumerate(mentions):
        g = fate.group[k]
        if own and g is not None:
            first_entry.setdefault(g, entries[k])
    for k, ((_, own), view) in enumerate(zip(mentions, views, strict=True)):
        view.clause = entries[k]
        g = fate.group[k]
        rule = fate.joined_by[k]
        if rule is not None:
            tr.entries[entries[k]].rules.append(rule)
        if not own:
            view.summary = True  # facts for the attack before, not a report of its own
            view.absorbed_into = first_entry.get(g) if g is not None else None
            continue
        if g is None:
            continue
        outcome = fate.outcome[g]
        if isinstance(outcome, int):
            view.incident = outcome
        else:
            view.dropped = outcome
            if outcome not in tr.entries[entries[k]].rules:
                tr.entries[entries[k]].rules.append(outcome)


__all__ = ["read"]
