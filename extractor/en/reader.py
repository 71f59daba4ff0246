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
from extractor.en.incidents import Mention, incidents
from extractor.en.lexicon import lexicon
from extractor.en.places import PlaceMention, english_places
from extractor.en.text import fold, lower, sentences
from extractor.gazetteer import gazetteer
from extractor.merge import combine_weapons, weapon_compatible
from extractor.types import Incident

_FOLLOW = 3  # how many sentences on a follow-up may still add to the attack it follows
_ATTACK_WORDS = (  # the lexicon's trigger and weapon words, cheaply (a cue before the costly patterns run)
    r"rocket|missile|drone|mortar|attack|strike|struck|bomb|uav|projectile|shell|target|fire|launch|ambush|bombard"
    r"|pound|explo|blast|hit|land|fell|shot down|intercept|came under|crash|barrage|salvo|volley|assault|ied|katyusha"
    r"|down|engag|thwart|slam|impact"
)
_PREFILTER = re.compile(_ATTACK_WORDS)
_CONVOY_US = re.compile(r"(?:coalition|u\.s\.|us|american|logistic|contractor)")
_ANY_CUE = re.compile(_ATTACK_WORDS + r"|kill|dead|died|death|wound|injur|hurt|harm|casualt|claim|credit|responsib")
_SITE_NOUN = re.compile(
    r"\b(?:bases?|airbases?|air bases?|airports?|camps?|garrisons?|facilit(?:y|ies)|consulate|embassy|compound"
    r"|outposts?)\b")
_ELSEWHERE = re.compile(r"\W*(?:separately|meanwhile|elsewhere|in (?:a |another )?separate|in another|in other news)\b")
_PLURAL = re.compile(r"\b(?:attacks|incidents|strikes)\b")
_FOLLOW_WORDS = re.compile(
    r"kill|dead|died|death|wound|injur|hurt|harm|casualt|claim|credit|responsib|rocket|drone|missile|mortar|uav")
_LIVE_WEEK = re.compile(r"(?<![\w-])last week(?![\w])")


def read(text: str, published: date, title: str | None = None) -> list[Incident]:
    """Incidents reported in an English article (the title, when given, is read as a heading)."""
    prefix = 0
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        prefix = len(title.strip()) + 1
        text = title.strip() + "\n" + text
    original = text
    text = fold(text)
    low_all = lower(text)
    if not _PREFILTER.search(low_all):
        return []
    lex = lexicon()
    sents = sentences(text)
    mentions: list[tuple[Mention, bool]] = []  # (mention, reports an attack of its own)
    last_attack = -10
    context_date: date | None = None  # the day the last attack sentence named ("last week" = background)
    lead_excluded = False  # the article opens with a US strike, a threat or a look back
    seen_target = False
    plural_none = False
    all_places = english_places().find(low_all)
    place_starts = [p.start for p in all_places]
    for i, s in enumerate(sents):
        low = low_all[s.start:s.end]
        if not _ANY_CUE.search(low):
            continue  # neither an attack word nor a fact a follow-up could add
        clause = low[:main_clause(low)]
        c_end = s.start + len(clause)
        has_trigger = lex["trigger"].search(clause) is not None
        dates = find_dates(clause, published) if has_trigger or _FOLLOW_WORDS.search(clause) else []
        found = [PlaceMention(p.start - s.start, p.end - s.start, p.place_id, p.weak)
                 for p in all_places[bisect_left(place_starts, s.start):bisect_left(place_starts, c_end)]
                 if p.end <= c_end]
        explicit = False  # "U.S. forces", "a base housing American troops": the target is said outright
        if has_trigger:
            chosen = attacked_sites(clause, found)
            explicit = lex["coalition_target"].search(clause) is not None
            # a town alone ("missiles struck Erbil") names a site only beside a word for one ("an air base near Erbil")
            site_word = any(not p.weak for p in found) or _SITE_NOUN.search(clause) is not None
            target = explicit or (bool(chosen) and site_word)
            convoy = lex["convoy"].search(clause) is not None and _CONVOY_US.search(clause) is not None
        else:
            chosen, target, convoy = [], False, False
        attack_like = has_trigger and (target or convoy) and attack_sense(clause)
        excluded = exclusion(clause, dates, published) if attack_like else None
        named = any(not p.weak for p in found)
        if attack_like and excluded is None and not named and not explicit and lex["other_forces"].search(clause):
            excluded = "other_target"
        if attack_like and not seen_target:
            seen_target = True
            lead_excluded = excluded in ("us_strike", "threat", "background", "denial") and i <= 3
        if has_trigger and not attack_like and not lex["us_strike"].search(clause):
            if own_date(dates, clause) is not None:
                context_date = own_date(dates, clause)
            elif _LIVE_WEEK.search(clause):
                context_date = published - timedelta(days=BACKGROUND_DAYS + 1)
        if attack_like and excluded is None:
            own = own_date(dates, clause)
            if own is None and _LIVE_WEEK.search(clause):
                own = published - timedelta(days=BACKGROUND_DAYS + 1)
            kinds = weapons(clause)
            weapon = combine_weapons(kinds) if kinds else "unknown"
            anaphoric = not chosen and not kinds and not convoy
            if own is not None:
                context_date = own
            day = own if own is not None else context_date
            if own is None and lead_excluded:
                continue  # an undated attack in a story about something else is background
            counts = facts.weapon_counts(clause)
            killed, wounded = facts.casualties(clause)
            tm = lex["coalition_target"].search(clause)
            region = (country_of(clause[tm.start():]) if tm else None) or (
                mentions[-1][0].country if mentions else None) or country_of(clause) or country_of(low)
            kind = "convoy" if convoy and not chosen else "base"
            sites: list[PlaceMention | None] = list(chosen) or [None]
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
                m = Mention(
                    sentence=i, place=p, country=place.country if place else region,
                    kind="diplomatic" if pid and gazetteer().kind(pid) == "diplomatic" else kind,
                    date=day, weapon=site_weapon, count=count, count_vague=vague,
                    killed=killed if len(sites) == 1 else None, wounded=wounded if len(sites) == 1 else None,
                    intercepted=lex["intercept"].search(clause) is not None,
                    claimed_by=facts.claimant(low), launch_site=facts.launch_site(text[s.start:s.end]),
                    sources=facts.sources(low), summary=p is None and _PLURAL.search(clause) is not None,
                )
                opens = not anaphoric or (not lead_excluded and not any(own for _, own in mentions)
                                          and not _PLURAL.search(clause))  # "attacks on US forces": a topic
                mentions.append((m, opens))
            last_attack = i
            continue
        if excluded in ("background", "us_strike", "threat", "drill", "denial", "at_sea"):
            continue
        if not _FOLLOW_WORDS.search(clause):
            continue
        if excluded is None and _PLURAL.search(clause) and lex["no_casualties"].search(clause) and not (
                lex["background"].search(clause) or background_date(dates, published)):
            plural_none = True  # "no injuries from the four attacks": true of each of them
        if _ELSEWHERE.match(clause):
            last_attack = -10  # "Separately, ...": what follows belongs to another story
        if not mentions or i - last_attack > 6:
            continue
        if lex["background"].search(clause) or background_date(dates, published) or lex["us_strike"].search(clause):
            continue
        claimed = facts.claimant(low)
        near = i - last_attack <= _FOLLOW and excluded is None
        someone_elses = (re.search(r"\bstrikes?\b", clause) is not None and not re.search(r"\battack", clause)
                         ) or lex["other_forces"].search(clause) is not None  # casualties of others
        killed, wounded = facts.casualties(clause) if near and not someone_elses else (None, None)
        counts = facts.weapon_counts(clause) if near and has_trigger and not found else []
        if killed is None and wounded is None and claimed is None and not counts:
            continue
        prev = mentions[-1][0]
        if prev.summary and killed == 0 and wounded == 0:
            plural_none = True
        count, vague = count_for(counts, prev.weapon)
        fw = combine_weapons(weapons(clause)) if weapons(clause) else "unknown"
        m = Mention(
            sentence=i, place=None, country=prev.country, kind=prev.kind, date=prev.date, weapon=fw,
            count=count if fw == "unknown" or weapon_compatible(fw, prev.weapon) else None, count_vague=vague,
            killed=killed, wounded=wounded, intercepted=lex["intercept"].search(clause) is not None,
            claimed_by=claimed, launch_site=facts.launch_site(text[s.start:s.end]), sources=facts.sources(low),
        )
        mentions.append((m, False))
    return incidents(mentions, sents, original, low_all, published, plural_none, prefix)



__all__ = ["read"]
