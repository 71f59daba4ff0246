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
from dataclasses import dataclass, field
from datetime import date, timedelta

from extractor.en import facts
from extractor.en.dates import DateMention, find_dates
from extractor.en.lexicon import lexicon
from extractor.en.places import PlaceMention, english_places
from extractor.en.text import Sentence, fold, lower, sentences
from extractor.gazetteer import gazetteer
from extractor.merge import combine_weapons, weapon_compatible
from extractor.types import Evidence, Incident, TargetKind, Weapon

BACKGROUND_DAYS = 7  # an attack dated more than a week before publication is background
_FOLLOW = 3  # how many sentences on a follow-up may still add to the attack it follows
_PREFILTER = re.compile(r"rocket|missile|drone|mortar|attack|strike|struck|bomb|uav|projectile|shell|target|fired")
# Where a sentence stops telling its own event and starts giving context.
_CUT = re.compile(
    r"(?<=[\s,])(?:in (?:the )?wake of|(?:in |as |was )?(?:apparent )?retaliation for|in response to|amid\s"
    r"|over america's|over the (?:us|u\.s\.|american) killing|following (?:the|a|an|last|u\.s\.|us)\s"
    r"|(?:weeks|days|hours|months) (?:after|before)\s|after (?:the |a |an )?(?:u\.s\.|us|american|israeli)\s|since\s"
    r"|saying it was|in what appears?\s|in the aftermath of)"
)
_CUT_AFTER_COMMA = re.compile(r"[,;]\s+(?:which (?:is|was|marked|came)|the (?:latest|first|second|third)|highlighting"
                              r"|underscoring|marking)\s|;\s")
_COUNTRY_NAMES = ("iraq", "syria", "jordan")
_INCOMING = re.compile(
    r"(?:rockets?|missiles?|drones?|mortars?|projectiles?|uavs?)\b(?:\s+[\w'-]+){0,4}?\s+(?:hit|struck|targeted|landed"
    r"|slammed|fell|were fired|was fired|were launched|was launched|impacted|exploded|crashed)"
    r"|(?:attacks?\s+(?:on|against)|attacked|targeted|struck|hit)\s+(?:a\s+|the\s+)?(?:u\.s\.|us|american|coalition)"
    r"|came under"
)
_CONVOY_US = re.compile(r"(?:coalition|u\.s\.|us|american|logistic|contractor)")


@dataclass
class _Mention:
    """One sentence's report of an attack (or its follow-up facts)."""

    sentence: int
    place: PlaceMention | None
    country: str | None
    kind: str
    date: date | None
    weapon: str
    count: int | None
    count_vague: bool
    killed: int | None
    wounded: int | None
    intercepted: bool
    claimed_by: str | None
    launch_site: str | None
    sources: list[str]
    summary: bool = False  # names no site and speaks of attacks: what follows it is true of each


@dataclass
class _Group:
    """The mentions of one attack, as they are merged."""

    place_id: str | None
    country: str | None
    kind: str
    date: date | None
    weak_place: bool = False
    weapons: set[str] = field(default_factory=set)
    count: int | None = None
    count_vague: bool = True
    killed: int | None = None
    wounded: int | None = None
    intercepted: bool = False
    claimed_by: str | None = None
    launch_site: str | None = None
    sources: list[str] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)

    def weapon(self) -> str:
        return combine_weapons(self.weapons)

    def add(self, m: _Mention, own: bool = True) -> None:
        """Take the facts of a mention the group does not have yet (a count stated first wins)."""
        if (own and m.weapon != "unknown") or (not self.weapons and m.weapon != "unknown"):
            self.weapons.add(m.weapon)
        if m.count is not None and (self.count is None or (own and self.count_vague and not m.count_vague)):
            self.count, self.count_vague = m.count, m.count_vague
        if m.killed is not None and (self.killed is None or m.killed > self.killed):
            self.killed = m.killed
        if m.wounded is not None and (self.wounded is None or m.wounded > self.wounded):
            self.wounded = m.wounded
        self.intercepted = self.intercepted or m.intercepted
        self.claimed_by = self.claimed_by or m.claimed_by
        self.launch_site = self.launch_site or m.launch_site
        for s in m.sources:
            if s not in self.sources:
                self.sources.append(s)
        if m.sentence not in self.sentences:
            self.sentences.append(m.sentence)


def _weapons(low: str) -> set[str]:
    return set(lexicon().names("weapons", low))


def _background_date(dates: list[DateMention], published: date) -> bool:
    """A day (or month) named in the clause that lies well before publication."""
    for d in dates:
        if d.value is None or d.bound:
            continue
        if d.kind == "month":
            if (published.year, published.month) != (d.value.year, d.value.month):
                return True  # a recent attack is dated by its day; a month before this one is history
            continue
        if d.value < published - timedelta(days=BACKGROUND_DAYS):
            return True
    return False


_AT_ISRAEL = re.compile(r"\b(?:toward|towards|at|against|on|into|over) (?:northern |southern |central )?israel\b")
_YEAR = re.compile(r"(?<![\w-])(?:19|20)\d\d(?![\w-])")


def _earlier_year(clause: str, dates: list[DateMention], published: date) -> bool:
    """A year before publication's named outside a full date ("the 2021 attack on Erbil airport")."""
    for m in _YEAR.finditer(clause):
        if int(m.group(0)) < published.year and not any(d.start <= m.start() < d.end for d in dates):
            return True
    return False


def _own_date(dates: list[DateMention], clause: str = "") -> date | None:
    """The first day the clause names for its event (not the day somebody spoke of it)."""
    for d in dates:
        if d.precise and not d.bound and not _SPEAKING.search(clause[max(0, d.start - 40):d.start]):
            return d.value
    return None


def _exclusion(clause: str, dates: list[DateMention], published: date) -> str | None:
    """Why a clause with an attack word and a target is not a new attack, or None."""
    lex = lexicon()
    if lex["negation"].search(clause):
        return "denial"
    if lex["drill"].search(clause):
        return "drill"
    if lex["threat"].search(clause):
        return "threat"
    if (lex["background"].search(clause) or _background_date(dates, published)
            or _earlier_year(clause, dates, published)):
        return "background"
    if lex["us_strike"].search(clause) and not _INCOMING.search(clause):
        return "us_strike"
    if re.search(r"\b(?:ships?|vessels?|tankers?|warships?|destroyers?|red sea|gulf of aden|carrier)\b", clause):
        return "at_sea"
    if _AT_ISRAEL.search(clause):
        return "other_target"
    return None


def _main_clause(low: str) -> int:
    """Where the sentence's own report ends and its context begins."""
    ends = [m.start() for m in (_CUT.search(low), _CUT_AFTER_COMMA.search(low)) if m]
    if not ends:
        return len(low)
    end = min(ends)
    while end > 0 and low[end - 1] in " ,\t":
        end -= 1
    return end


_LOCATING = re.compile(
    r"(?:near|outside|close to|vicinity of|city of|capital|province|areas? (?:near|around)|outskirts of|north of"
    r"|south of|east of|west of|in|over|from|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
)
_NOT_AN_ATTACK = re.compile(r"\b(?:attack helicopters?|attack aircraft|heart attack)\b")
_WEAPON_NOUN = re.compile(r"\b(?:rockets?|missiles?|drones?|mortars?)\b")
_ANY_CUE = re.compile(
    r"attack|target|hit|struck|strike|slam|land|fell|fire|launch|came under|barrage|salvo|volley|shot down|intercept"
    r"|down|engag|thwart|explo|bomb|blast|assault|shell|rocket|kill|dead|died|death|wound|injur|hurt|harm|casualt"
    r"|claim|credit|responsib|drone|missile|mortar|uav|impact")
_PLURAL = re.compile(r"\b(?:attacks|incidents|strikes)\b")
_FOLLOW_WORDS = re.compile(
    r"kill|dead|died|death|wound|injur|hurt|harm|casualt|claim|credit|responsib|rocket|drone|missile|mortar|uav")
_SPEAKING = re.compile(
    r"\b(?:said|says|told|telling|speaking|statement|announced|reported|tweeted|posted|briefing|added)\b"
    r"(?:(?!\bthat\b)[^,.;]){0,25}$")
_LISTED = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+(?:the\s+|a\s+)?(?:[\w.-]+\s+){0,2}")
_LIVE_WEEK = re.compile(r"(?<![\w-])last week(?![\w])")
_SITE_STATEMENT = re.compile(r"\b(?:based|stationed|houses?|hosts?|hosting|housing|located|deployed)\b")


def _sites(clause: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """The sites a clause reports attacked: strong names first; a town or a site named only to locate
    another ("near Erbil International Airport", "a base near Hasaka") when nothing else is named."""
    gaz = gazetteer()
    located: list[PlaceMention] = []
    direct: list[PlaceMention] = []
    last: PlaceMention | None = None
    for p in places:
        if p.weak:
            continue
        listed = last is not None and last in located and _LISTED.fullmatch(clause[last.end:p.start]) is not None
        if listed or _LOCATING.search(clause[max(0, p.start - 40):p.start]):
            located.append(p)
        else:
            direct.append(p)
        last = p
    towns = [p for p in places if p.weak]
    out = list(direct)
    first_direct = direct[0].start if direct else len(clause)
    for p in located + towns:
        if any(gaz.related(p.place_id, q.place_id) for q in out):
            continue
        if out and (p.weak and _LOCATING.search(clause[max(0, p.start - 40):p.start])):
            continue
        if direct and p in located and p.start > first_direct:
            continue  # "RLZ [a base near Hasaka]": where the named site is, not a second target
        out.append(p if p.weak or p not in located else PlaceMention(p.start, p.end, p.place_id, True))
    return _distinct(sorted(out, key=lambda p: p.start))


def _country_of(text: str) -> str | None:
    """The country a clause places its target in (not the one rockets came from)."""
    best: tuple[int, str] | None = None
    for name, rx in lexicon().named["regions"].items():
        for m in rx.finditer(text):
            if re.search(r"from\s+(?:inside\s+|the\s+)?(?:[\w-]+\s+){0,2}$", text[max(0, m.start() - 30):m.start()]):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), name)
            break
    return best[1] if best else None


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
    mentions: list[tuple[_Mention, bool]] = []  # (mention, reports an attack of its own)
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
        clause = low[:_main_clause(low)]
        c_end = s.start + len(clause)
        has_trigger = lex["trigger"].search(clause) is not None
        dates = find_dates(clause, published) if has_trigger or _FOLLOW_WORDS.search(clause) else []
        found = [PlaceMention(p.start - s.start, p.end - s.start, p.place_id, p.weak)
                 for p in all_places[bisect_left(place_starts, s.start):bisect_left(place_starts, c_end)]
                 if p.end <= c_end]
        explicit = False  # "U.S. forces", "a base housing American troops": the target is said outright
        if has_trigger:
            chosen = _sites(clause, found)
            explicit = lex["coalition_target"].search(clause) is not None
            target = bool(chosen) or explicit
            convoy = lex["convoy"].search(clause) is not None and _CONVOY_US.search(clause) is not None
        else:
            chosen, target, convoy = [], False, False
        attack_like = has_trigger and (target or convoy) and _attack_sense(clause)
        excluded = _exclusion(clause, dates, published) if attack_like else None
        named = any(not p.weak for p in found)
        if attack_like and excluded is None and not named and not explicit and lex["other_forces"].search(clause):
            excluded = "other_target"
        if attack_like and not seen_target:
            seen_target = True
            lead_excluded = excluded in ("us_strike", "threat", "background", "denial") and i <= 3
        if has_trigger and not attack_like and not lex["us_strike"].search(clause):
            if _own_date(dates, clause) is not None:
                context_date = _own_date(dates, clause)
            elif _LIVE_WEEK.search(clause):
                context_date = published - timedelta(days=BACKGROUND_DAYS + 1)
        if attack_like and excluded is None:
            own = _own_date(dates, clause)
            if own is None and _LIVE_WEEK.search(clause):
                own = published - timedelta(days=BACKGROUND_DAYS + 1)
            weapons = _weapons(clause)
            weapon = combine_weapons(weapons) if weapons else "unknown"
            anaphoric = not chosen and not weapons and not convoy
            if own is not None:
                context_date = own
            day = own if own is not None else context_date
            if own is None and lead_excluded:
                continue  # an undated attack in a story about something else is background
            counts = facts.weapon_counts(clause)
            killed, wounded = facts.casualties(clause)
            tm = lex["coalition_target"].search(clause)
            region = (_country_of(clause[tm.start():]) if tm else None) or (
                mentions[-1][0].country if mentions else None) or _country_of(clause) or _country_of(low)
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
                    sw = _weapons(seg)
                    site_weapon = combine_weapons(sw) if sw else prev_weapon
                    prev_weapon = site_weapon
                    count, vague = _count_for(facts.weapon_counts(seg), site_weapon)
                else:
                    site_weapon = weapon
                    count, vague = _count_for(counts, weapon)
                m = _Mention(
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
                lex["background"].search(clause) or _background_date(dates, published)):
            plural_none = True  # "no injuries from the four attacks": true of each of them
        if not mentions or i - last_attack > 6:
            continue
        if lex["background"].search(clause) or _background_date(dates, published) or lex["us_strike"].search(clause):
            continue
        claimed = facts.claimant(low)
        near = i - last_attack <= _FOLLOW and excluded is None
        someone_elses = re.search(r"\bstrikes?\b", clause) is not None and not re.search(r"\battack", clause)
        killed, wounded = facts.casualties(clause) if near and not someone_elses else (None, None)
        counts = facts.weapon_counts(clause) if near and has_trigger and not found else []
        if killed is None and wounded is None and claimed is None and not counts:
            continue
        prev = mentions[-1][0]
        if prev.summary and killed == 0 and wounded == 0:
            plural_none = True
        count, vague = _count_for(counts, prev.weapon)
        fw = combine_weapons(_weapons(clause)) if _weapons(clause) else "unknown"
        m = _Mention(
            sentence=i, place=None, country=prev.country, kind=prev.kind, date=prev.date, weapon=fw,
            count=count if fw == "unknown" or weapon_compatible(fw, prev.weapon) else None, count_vague=vague,
            killed=killed, wounded=wounded, intercepted=lex["intercept"].search(clause) is not None,
            claimed_by=claimed, launch_site=facts.launch_site(text[s.start:s.end]), sources=facts.sources(low),
        )
        mentions.append((m, False))
    return _incidents(mentions, sents, original, low_all, published, plural_none, prefix)


def _attack_sense(clause: str) -> bool:
    """'attack' used of an event, not of a policy ('attack helicopters', 'heart attack')."""
    return not _NOT_AN_ATTACK.search(clause) or _WEAPON_NOUN.search(clause) is not None


def _count_for(counts: list[tuple[int, str, int, bool]], weapon: str) -> tuple[int | None, bool]:
    """The first count of the clause's weapon; a definite number beats 'a drone'."""
    fitting = [c for c in counts if weapon in ("unknown", "mixed") or weapon_compatible(c[1], weapon)]
    definite = [c for c in fitting if not c[3]]
    if definite:
        return definite[0][2], False
    if fitting:
        return fitting[0][2], True
    return None, True


def _distinct(found: list[PlaceMention]) -> list[PlaceMention]:
    """One mention per site (the first), in text order."""
    out: list[PlaceMention] = []
    for p in found:
        if any(q.place_id == p.place_id for q in out):
            continue
        out.append(p)
    return out


def _dates_agree(a: date | None, b: date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= 1


def _incidents(
    mentions: list[tuple[_Mention, bool]], sents: list[Sentence], text: str, low_all: str, published: date,
    plural_none: bool, prefix: int,
) -> list[Incident]:
    """Mentions of one attack (same or conflated site, days a day apart at most) become one Incident;
    evidence offsets refer to the article text (a sentence of the title gets (0, 0))."""
    groups: list[_Group] = []
    gaz = gazetteer()
    current: _Group | None = None
    for m, own in mentions:
        if not own:
            if current is not None:
                current.add(m, own=False)
            continue
        pid = m.place.place_id if m.place else None
        target: _Group | None = None
        for g in groups:
            if pid and g.place_id and gaz.related(g.place_id, pid) and _dates_agree(g.date, m.date) and (
                    g.place_id == pid or g.weak_place or (m.place is not None and m.place.weak)):
                if g.place_id != pid and g.weak_place and m.place is not None and (
                        not m.place.weak or (_airport(g.place_id) and not _airport(pid))):
                    g.place_id, g.weak_place = pid, m.place.weak
                target = g
                break
        if target is None and pid is None:
            for g in reversed(groups):
                if (g.country is None or m.country is None or g.country == m.country) and _dates_agree(g.date, m.date) \
                        and (m.weapon == "unknown" or not g.weapons or weapon_compatible(m.weapon, g.weapon())):
                    target = g
                    break
        if target is None and pid is not None:
            for g in groups:
                same_country = g.country is None or g.country == m.country
                if g.place_id is None and same_country and _dates_agree(g.date, m.date):
                    g.place_id = pid
                    if m.count is not None and not m.count_vague:
                        g.count, g.count_vague = m.count, False  # the site's own count beats a headline's
                    target = g
                    break
        if target is None:
            target = _Group(place_id=pid, country=m.country, kind=m.kind, date=m.date,
                            weak_place=bool(m.place and m.place.weak))
            groups.append(target)
        if target.date is None:
            target.date = m.date
        if target.country is None:
            target.country = m.country
        if m.kind != "base":
            target.kind = m.kind
        target.add(m)
        current = target
    for g in groups:  # sites one sentence lists as hit together share the claim made for any of them
        if g.claimed_by is None:
            g.claimed_by = next((h.claimed_by for h in groups if h is not g and h.claimed_by and h.date == g.date
                                 and set(h.sentences) & set(g.sentences)), None)
    out: list[Incident] = []
    for g in groups:
        if g.place_id is None:
            g.place_id = _site_named_after(g, sents, low_all)
        day = g.date or published
        if day < published - timedelta(days=BACKGROUND_DAYS) or day > published + timedelta(days=1):
            continue
        place = gaz.get(g.place_id) if g.place_id else None
        country = place.country if place else g.country
        if place is None and country not in _COUNTRY_NAMES:
            continue
        if place is not None:
            kind = TargetKind.DIPLOMATIC if gaz.kind(place.id) == "diplomatic" else TargetKind.BASE
        else:
            kind = TargetKind(g.kind)
        killed, wounded = g.killed, g.wounded
        if plural_none and killed is None and wounded is None:
            killed, wounded = 0, 0
        evidence = tuple(
            Evidence(text[sents[i].start:sents[i].end], *(
                (sents[i].start - prefix, sents[i].end - prefix) if sents[i].start >= prefix else (0, 0)))
            for i in sorted(g.sentences)
        )
        out.append(Incident(
            base=place, country=country, target_kind=kind, date=day, weapon=Weapon(g.weapon()), count=g.count,
            killed=killed, wounded=wounded, intercepted=g.intercepted, claimed_by=g.claimed_by,
            launch_site=g.launch_site, sources=tuple(g.sources), evidence=evidence,
            confidence=0.7 if place else 0.5,
        ))
    return out


def _airport(place_id: str) -> bool:
    """An airport that hosts a base: when the base itself is named, the base is the target."""
    place = gazetteer().get(place_id)
    return place is not None and "airport" in place.name_en.lower()


def _site_named_after(g: _Group, sents: list[Sentence], low_all: str) -> str | None:
    """The one site a statement soon after an unnamed attack places the troops at
    ("A military outpost in southern Syria was hit ... U.S. troops are based at the al-Tanf garrison")."""
    if not g.sentences:
        return None
    first = min(g.sentences)
    for s in sents[first + 1:first + 7]:
        low = low_all[s.start:s.end]
        if not _SITE_STATEMENT.search(low) or lexicon()["trigger"].search(low):
            continue
        ids = {p.place_id for p in english_places().find(low) if not p.weak}
        if len(ids) == 1:
            pid = next(iter(ids))
            place = gazetteer().get(pid)
            if place is not None and (g.country is None or place.country == g.country):
                return pid
    return None


__all__ = ["read"]
