"""From mentions to incidents: the reports of one attack in an English article become one Incident.

Two mentions are one attack when they name the same site (or sites outlets conflate, the later, more precise
one winning over a place named only to locate it), or one names no site in the same country, on days at
most one apart. A report that names no site takes the one a statement soon after places the troops at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from extractor.en.clauses import BACKGROUND_DAYS, ON_A_ROAD, country_of
from extractor.en.lexicon import lexicon
from extractor.en.places import PlaceMention, english_places
from extractor.en.text import Sentence
from extractor.gazetteer import gazetteer
from extractor.merge import combine_weapons, weapon_compatible
from extractor.rule_ids import RuleId
from extractor.types import Evidence, Incident, Place, TargetKind, Weapon

_COUNTRY_NAMES = ("iraq", "syria", "jordan")
# "an official from the U.S. embassy confirmed ...": where the speaker works, not where the weapons were
_SPEAKER_OF = re.compile(r"\b(?:officials?|spokes(?:man|woman|person)|diplomats?)\s+(?:from|at|of|with)\s+(?:the\s+)?$")
# "it is the first attack on the base since ...", "this was the third attack on Ain al-Asad this week"
_NTH_ATTACK_ON = re.compile(r"\b(?:it|this|that) (?:is|was|marks|marked) the (?:first|second|third|fourth|fifth|latest)"
                            r" (?:[\w-]+ )?attack (?:on|against) (?:the )?")
# "the blast happened close to Qayyarah": where the attack just told happened
_TOOK_PLACE = re.compile(r"\b(?:incident|attack|strike|blast|explosion|shelling|bombardment)s? (?:took place|occurred"
                         r"|happened)\b")
# the attack just told, told again by its definite weapon, then hitting a place ("the barrage of rockets ... struck")
_RETOLD = re.compile(r"^(?:[\w,' -]+ )?(?:the|that) (?:barrage|salvo|volley|rockets|missiles|drones|projectiles)\b"
                     r"(?:[\w' -]+ )?(?:struck|hit|landed (?:on|in|at|inside)|slammed into|targeted)\b")
_BASE_IN = re.compile(r"\b(?:base|airbase|air base|airfield|camp|garrison|outpost) (?:in|at|near|of) (?:the )?$")
_SITE_STATEMENT = re.compile(
    r"\b(?:based|stationed|houses?|hosts?|hosting|housing|located|deployed|in the vicinity of)\b")


@dataclass
class Mention:
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
    many: bool = False  # "multiple drones": how many is not said, and a later "one drone was shot down" is not it
    adds: bool = False  # "three other people were injured": more casualties than those told before
    another: bool = False  # "another drone struck ...", "also on Wednesday": an attack besides the one told
    similar: bool = False  # "a similar blast hit another road": an attack of the kind just told, somewhere else
    area: str | None = None  # the town or province a convoy was hit in (a gazetteer id)


@dataclass
class Group:
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
    many: bool = False
    undated_lead: bool = False  # opened by an undated report in the body (not a heading): the day's news
    area: str | None = None  # the town or province of a convoy attack

    def weapon(self) -> str:
        return combine_weapons(self.weapons)

    def add(self, m: Mention, own: bool = True) -> None:
        """Take the facts of a mention the group does not have yet (a count stated first wins)."""
        if (own and m.weapon != "unknown") or (not self.weapons and m.weapon != "unknown"):
            self.weapons.add(m.weapon)
        self.many = self.many or (own and m.many)
        if m.count is not None and (self.count is None or (own and self.count_vague and not m.count_vague)) and (
                own or not self.many or m.count > 1):
            self.count, self.count_vague = m.count, m.count_vague
        if m.adds and not own and self.killed and m.killed:
            self.killed += m.killed
        elif m.killed is not None and (self.killed is None or m.killed > self.killed):
            self.killed = m.killed
        if m.adds and not own and self.wounded and m.wounded:
            self.wounded += m.wounded
        elif m.wounded is not None and (self.wounded is None or m.wounded > self.wounded):
            self.wounded = m.wounded
        self.intercepted = self.intercepted or m.intercepted
        self.claimed_by = self.claimed_by or m.claimed_by
        self.launch_site = self.launch_site or m.launch_site
        for s in m.sources:
            if s not in self.sources:
                self.sources.append(s)
        if m.sentence not in self.sentences:
            self.sentences.append(m.sentence)



@dataclass
class Fate:
    """What the merge made of each mention, for explain: its group, the merge rule that placed it there, and
    each group's incident (its index in the result) or the rule that dropped it."""

    group: list[int | None] = field(default_factory=list)
    joined_by: list[RuleId | None] = field(default_factory=list)
    outcome: list[int | RuleId] = field(default_factory=list)


def _site_country(place_id: str) -> str | None:
    site = gazetteer().get(place_id)
    return site.country if site is not None else None


def _dates_agree(a: date | None, b: date | None) -> bool:
    """Days a day apart at most (reports straddle midnight and time zones), or one unknown."""
    return a is None or b is None or abs((a - b).days) <= 1


def _agrees(g: Group, m: Mention, published: date) -> bool:
    """A report's day agrees with the group's; an undated report in the body is the day's news, so a report
    dated three days or more before publication is another, earlier attack ('the second attack in a week')."""
    if g.date is None and g.undated_lead and m.date is not None and (published - m.date).days >= 3:
        return False
    return _dates_agree(g.date, m.date)


def incidents(
    mentions: list[tuple[Mention, bool]], sents: list[Sentence], text: str, low_all: str, published: date,
    plural_none: bool, prefix: int, fate: Fate | None = None,
) -> list[Incident]:
    """Mentions of one attack (same or conflated site, days a day apart at most) become one Incident;
    evidence offsets refer to the article text (a sentence of the title gets (0, 0)). `fate`, when given,
    receives what became of each mention (for explain)."""
    groups: list[Group] = []
    gaz = gazetteer()
    current: Group | None = None
    index: dict[int, int] = {}  # id(group) → its place in `groups`
    listed: list[Group] = []  # the groups of the last report sentence (several sites listed in one clause)
    listed_sentence = -1
    for m, own in mentions:
        if not own:
            spread: RuleId | None = None
            named = _group_of(groups, m.place.place_id) if m.place is not None else None
            if named is not None:  # "two soldiers were wounded at Ain al-Asad": that site's attack
                named.add(m, own=False)
                spread = RuleId.DC_EN_NAMED_SITE if named is not current else None
                if fate is not None:
                    fate.group.append(index[id(named)])
                    fate.joined_by.append(spread)
                continue
            if current is not None and current.place_id is None and m.place is not None and not m.place.weak \
                    and current.kind != "convoy" and _site_country(m.place.place_id) in (None, current.country):
                current.place_id = m.place.place_id  # "a US post in Jordan" ... "the killing of three at Tower 22"
                spread = RuleId.DC_EN_SITE_NAMED_LATER
            if current is not None and current.area is None and m.area is not None and current.kind == "convoy":
                current.area = m.area  # the headline's convoy, placed in its province by the sentence after it
            if current is not None and current.date is None and m.date is not None and m.place is None:
                current.date = m.date  # "the rocket hit the base at 8 pm Thursday": the undated attack's day
            if current is not None:
                others = [g for g in listed if g is not current and (
                    m.weapon == "unknown" or weapon_compatible(m.weapon, g.weapon()))] if current in listed else []
                if others and (m.killed == 0 or m.wounded == 0 or m.count is not None):
                    spread = RuleId.DC_EN_EACH_SITE
                    m = _each_site(m, [current, *others])
                current.add(m, own=False)
            if fate is not None:
                fate.group.append(index[id(current)] if current is not None else None)
                fate.joined_by.append(spread)
            continue
        rule: RuleId | None = None
        pid = m.place.place_id if m.place else None
        target: Group | None = None
        apart = False  # a group this report would join but says it is another attack than
        for g in sorted(groups, key=lambda g: g.date != m.date):  # the same day's attack first, then a day apart
            if m.another and pid and g.place_id and (g.place_id != pid or (
                    m.date is not None and g.date is not None and g.date != m.date)):
                apart = apart or gaz.related(g.place_id, pid)
                continue  # "another drone struck the base in Rumeilan", "also on Wednesday, drones attacked Harir"
            if pid and g.place_id and _agrees(g, m, published) and (
                    (gaz.related(g.place_id, pid) and (
                        g.place_id == pid or g.weak_place or (m.place is not None and m.place.weak)))
                    or gaz.within(g.place_id, pid) or gaz.within(pid, g.place_id)
                    or _town_and_site(g, m, pid)):
                if gaz.within(pid, g.place_id) and not (m.place is not None and m.place.weak):
                    g.place_id, g.weak_place = pid, False  # the airport told first, then the base inside it
                    rule = RuleId.MG_EN_INNER_SITE
                elif gaz.within(g.place_id, pid):
                    rule = RuleId.MG_EN_INNER_SITE  # the base told first, then the airport around it
                elif _is_province(gaz.get(g.place_id)) and g.place_id != pid:
                    g.place_id, g.weak_place = pid, False  # the site named in the province told first
                elif g.place_id != pid and g.weak_place and m.place is not None and (
                        not m.place.weak or (_airport(g.place_id) and not _airport(pid))):
                    g.place_id, g.weak_place = pid, m.place.weak
                target, rule = g, rule or RuleId.MG_EN_SAME_SITE
                break
        if target is None and pid is None and m.another and m.kind != "convoy" and m.date is not None \
                and m.date != published and current is not None and current.place_id is not None \
                and current.date != m.date:  # (a convoy is hit on a road, never at the site told before)
            # "air defences at the base downed another drone late Sunday": the same site's attack of another day
            pid, apart = current.place_id, True
            m = replace(m, place=PlaceMention(0, 0, pid, current.weak_place))
        if target is None and pid is None and m.similar:
            apart = True  # "a similar blast on another road": not the unnamed attack told before it
        elif target is None and pid is None:
            for g in reversed(groups):
                if m.area and g.area and m.kind == g.kind == "convoy" and m.area != g.area:
                    apart = True  # convoys bombed in two provinces the same day: two attacks
                    continue
                if (g.country is None or m.country is None or g.country == m.country) and _agrees(g, m, published) \
                        and (m.weapon == "unknown" or not g.weapons or weapon_compatible(m.weapon, g.weapon())):
                    target, rule = g, RuleId.MG_EN_UNNAMED_SITE
                    break
        if target is None and pid is not None:
            for g in groups:
                same_country = g.country is None or g.country == m.country
                if g.place_id is None and same_country and _agrees(g, m, published) and g.kind != "convoy":
                    g.place_id = pid  # (a convoy hit on a road is not a site named after it)
                    if m.count is not None and not m.count_vague:
                        g.count, g.count_vague = m.count, False  # the site's own count beats a headline's
                    target, rule = g, RuleId.MG_EN_UNNAMED_SITE
                    break
        if target is None:
            if apart:
                rule = RuleId.MG_EN_ANOTHER
            elif any(g.date is None and g.undated_lead for g in groups) and m.date is not None and (
                    published - m.date).days >= 3:
                rule = RuleId.MG_EN_UNDATED_LEAD  # "the second attack in a week": the earlier one, not the lead's
            target = Group(place_id=pid, country=m.country, kind=m.kind, date=m.date,
                            weak_place=bool(m.place and m.place.weak),
                            undated_lead=m.date is None and not sents[m.sentence].heading)
            index[id(target)] = len(groups)
            groups.append(target)
        if fate is not None:
            fate.group.append(index[id(target)])
            fate.joined_by.append(rule)
        if target.date is None:
            target.date = m.date
        if target.country is None:
            target.country = m.country
        if target.area is None:
            target.area = m.area
        if m.kind != "base":
            target.kind = m.kind
        target.add(m)
        current = target
        if m.sentence != listed_sentence:
            listed, listed_sentence = [], m.sentence
        if target not in listed:
            listed.append(target)
    for g in groups:  # sites one sentence lists as hit together share the claim made for any of them
        if g.claimed_by is None:
            g.claimed_by = next((h.claimed_by for h in groups if h is not g and h.claimed_by and h.date == g.date
                                 and set(h.sentences) & set(g.sentences)), None)
    out: list[Incident] = []
    for g in groups:
        inner = _inner_site_named(g, groups, sents, low_all)
        if inner is not None:
            g.place_id, g.weak_place = inner, False
            if fate is not None:
                _fire_on_first(fate, index[id(g)], RuleId.MG_EN_INNER_SITE)
        if g.place_id is None:
            g.place_id = _site_named_after(g, sents, low_all)
            if g.place_id is not None and fate is not None:
                _fire_on_first(fate, index[id(g)], RuleId.MG_EN_SITE_NAMED_AFTER)
        day = g.date or published
        if day < published - timedelta(days=BACKGROUND_DAYS) or day > published + timedelta(days=1):
            if fate is not None:
                fate.outcome.append(RuleId.MG_EN_OLD_DATE)
            continue
        place = gaz.get(g.place_id) if g.place_id else None
        country = place.country if place else g.country
        if place is None and country is None and g.kind == "convoy":
            # "IEDs targeted three coalition convoys. The first attack took place in Diwaniyah": a convoy the
            # clause does not place is on the roads of the country the article is about
            country = g.country = country_of(low_all)
            if country in _COUNTRY_NAMES and fate is not None:
                _fire_on_first(fate, index[id(g)], RuleId.FX_EN_ARTICLE_COUNTRY)
        if place is None and country not in _COUNTRY_NAMES:
            if fate is not None:
                fate.outcome.append(RuleId.MG_EN_BEYOND_REGION)
            continue
        if fate is not None:
            fate.outcome.append(len(out))
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


def _is_province(place: Place | None) -> bool:
    """The gazetteer's entry for a whole province ("Hasakah"), not a site in it."""
    return place is not None and place.name_en == place.province_en


def _town_and_site(g: Group, m: Mention, pid: str) -> bool:
    """A province named as the place ("a base in Hasakah") and a site in that province named elsewhere, the same
    day with the same kind of weapon: one attack, told first vaguely (often in the headline), then precisely."""
    gaz = gazetteer()
    a, b = (gaz.get(g.place_id) if g.place_id else None), gaz.get(pid)
    if a is None or b is None or a.id == b.id or a.province_en != b.province_en:
        return False
    if not (_is_province(a) or _is_province(b)):
        return False  # two sites of one province: nothing says they are one
    return m.weapon == "unknown" or not g.weapons or weapon_compatible(m.weapon, g.weapon())


def _group_of(groups: list[Group], place_id: str) -> Group | None:
    """The group told at this site (or, failing that, at a site outlets conflate with it)."""
    gaz = gazetteer()
    return next((g for g in groups if g.place_id == place_id), None) or next(
        (g for g in groups if g.place_id and gaz.related(g.place_id, place_id)), None)


def _each_site(m: Mention, listed: list[Group]) -> Mention:
    """A follow-up to one clause that listed several sites: 'no casualties' holds for each site, and a count
    as large as the list ('both drones were shot down') is one each; any other count names no site, so it is
    dropped. The rest of the follow-up goes to the last site, as before (returned)."""
    per_site = m.count == len(listed) and not m.count_vague
    for g in listed[1:]:
        if m.killed == 0 and g.killed is None:
            g.killed = 0
        if m.wounded == 0 and g.wounded is None:
            g.wounded = 0
        if per_site and g.count is None and not g.many:
            g.count, g.count_vague = 1, False
        if m.sentence not in g.sentences:
            g.sentences.append(m.sentence)
    if m.count is None:
        return m
    return replace(m, count=1 if per_site else None, count_vague=not per_site)


def _fire_on_first(fate: Fate, group: int, rule: RuleId) -> None:
    """Record a merge rule on the first report of a group (the site a later statement names)."""
    for k, g in enumerate(fate.group):
        if g == group and fate.joined_by[k] is None:
            fate.joined_by[k] = rule
            return


def _airport(place_id: str) -> bool:
    """An airport that hosts a base: when the base itself is named, the base is the target."""
    place = gazetteer().get(place_id)
    return place is not None and "airport" in place.name_en.lower()


def _inner_site_named(g: Group, groups: list[Group], sents: list[Sentence], low_all: str) -> str | None:
    """The one base inside the group's site (Victory base on Baghdad airport) that a sentence after the report
    names without an attack word of its own (sirens or smoke at the base, the base 'located around the airport'):
    the attack told at the airport was at that base. A sentence telling an attack of its own (a look back at
    earlier fire on both) names the base for that attack only."""
    if not g.place_id or not g.sentences:
        return None
    gaz = gazetteer()
    if any(h is not g and h.place_id and gaz.within(h.place_id, g.place_id) for h in groups):
        return None
    found: set[str] = set()
    for s in sents[min(g.sentences) + 1:]:
        low = low_all[s.start:s.end]
        inner = {p.place_id for p in english_places().find(low) if not p.weak and gaz.within(p.place_id, g.place_id)}
        if inner and not lexicon()["trigger"].search(low):
            found |= inner
    return next(iter(found)) if len(found) == 1 else None


def _site_named_after(g: Group, sents: list[Sentence], low_all: str) -> str | None:
    """The one site a statement soon after an unnamed attack places the troops at
    ("an outpost in Syria's south came under attack ... the al-Tanf garrison, where American troops are stationed")."""
    if not g.sentences or g.kind == "convoy":
        return None  # (a convoy is hit on a road: a site named after it locates the road, it was not hit)
    first = min(g.sentences)
    for s in sents[first + 1:max(g.sentences) + 7]:
        low = low_all[s.start:s.end]
        nth = _NTH_ATTACK_ON.search(low)
        took = _TOOK_PLACE.search(low)
        if nth is not None:  # "the first attack on K1 since the winter": this attack's site
            ids = {p.place_id for p in english_places().find(low) if not p.weak and p.start == nth.end()}
        elif took is not None:  # "the blast happened close to Qayyarah": its town's site
            ids = {p.place_id for p in english_places().find(low)
                   if p.start > took.end() and not ON_A_ROAD.search(low[max(0, p.start - 50):p.start])}
        elif (retold := _RETOLD.search(low)) is not None:
            # "the barrage of rockets ... struck the Iraqi army base in Qayyara": the attack told again, placed
            ids = {p.place_id for p in english_places().find(low)
                   if p.start > retold.end() and (not p.weak or _BASE_IN.search(low[max(0, p.start - 25):p.start]))}
        elif not _SITE_STATEMENT.search(low) or lexicon()["trigger"].search(low):
            continue
        else:
            ids = {p.place_id for p in english_places().find(low)
                   if not p.weak and not _SPEAKER_OF.search(low[max(0, p.start - 30):p.start])}
        if len(ids) == 1:
            pid = next(iter(ids))
            place = gazetteer().get(pid)
            if place is not None and (g.country is None or place.country == g.country):
                return pid
    return None



__all__ = ["Fate", "Group", "Mention", "incidents"]
