"""From mentions to incidents: one incident per attack, however often the article mentions it.

Language-neutral: it works on Mention records whatever reader produced them.
Two mentions are one attack when their places agree (same site, sites outlets conflate, or one names no
site in the same country), their days agree (a day apart only when weapon and count also agree), their
weapons are of one family and their counts do not contradict each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from datetime import date as Day

from extractor.gazetteer import gazetteer
from extractor.normalize import Normalized
from extractor.provinces import province_of
from extractor.rule_ids import RuleId
from extractor.text import Sentence
from extractor.types import Evidence, Incident, TargetKind, Weapon
from extractor.vocabulary import words

_FAMILY = {"rocket": "indirect", "missile": "indirect", "mortar": "indirect"}


@dataclass
class Mention:
    """One clause that reports (or recalls) an attack, with the facts read from it."""

    order: int
    sentence: int
    start: int
    end: int
    place_id: str | None
    place_weak: bool
    country: str | None
    target_kind: str
    date: date | None
    date_own: bool
    weapon: str
    count: int | None
    count_vague: bool
    killed: int | None
    wounded: int | None
    intercepted: bool | None
    claimed_by: str | None
    launch_site: str | None
    sources: list[str]
    heading: bool
    summary: bool
    excluded: RuleId | None  # the rule that left it out (background, exclusion, nothing asserted)
    regions: frozenset[str] = frozenset()  # town and province words named in the clause
    claim_region: str | None = None  # the town a claim names ("the attack in Nasiriyah")
    apart_from: frozenset[str] = frozenset()  # sites the same clause names beside this one ("X وY"): not X
    claim_inherited: bool = False  # the claim came from an earlier announcement, not this clause
    anaphoric: bool = False  # "الهجوم"، "هذا الهجوم": refers back, never opens an incident of its own
    also_announced: bool = False  # "ومساء الاثنين، أعلنت أيضا استهداف ...": a further announcement with its day
    second_within: bool = False  # "الهجوم الثاني خلال ساعات": counts itself after another attack
    extra_sentences: list[int] = field(default_factory=list)
    sums_up: bool = False  # a headline naming several sites or two targets: its weapon and count may be others'
    occurred: Day | None = None  # a follow-up's "الهجوم وقع في ...": the day of the attack it continues
    night: bool = False  # its day is a night's ("الليلة الماضية"): the attack may run into the next day
    clause: int = -1  # the trace entry of the clause it was read from
    incident: int | None = None  # the incident it joined (index into merge_mentions' result)
    merged_by: RuleId | None = None  # the merge rule that folded its report into another one's incident
    kept_apart: RuleId | None = None  # the merge rule that kept its report from another one's incident
    dropped: RuleId | None = None  # the merge rule that turned a live mention into no incident
    absorbed_into: int | None = None  # the trace entry of the mention that took this one's facts


COUNTRY_WORDS = words("country_words")  # a region word naming a country, not a town


def _towns(m: Mention) -> frozenset[str]:
    return frozenset(r for r in m.regions if r not in COUNTRY_WORDS)


_COUNTRY_NAMES = frozenset({"Iraq", "Iran", "Syria", "Jordan"})


class _Group:
    """Mentions of one attack, with the summary fields kept up to date as mentions join (linear merging)."""

    def __init__(self, first: Mention) -> None:
        self.mentions: list[Mention] = []
        self._strong: str | None = None
        self._weak: str | None = None
        self.all_weak = True
        self.country: str | None = None
        self._own_date: date | None = None
        self.own_night = False  # the group's own day is a night's
        self._any_date: date | None = None
        self.date_own = False
        self.weapons: set[str] = set()
        self.count: int | None = None
        self.towns: set[str] = set()
        self.also_announced = False  # one of its reports is a further announcement with its own day
        self.second_within = False  # one of its reports counts itself the second attack within hours
        self.add(first)

    def add(self, m: Mention) -> None:
        self.mentions.append(m)
        if m.place_id:
            if not m.place_weak:
                self.all_weak = False
                if self._strong and gazetteer().within(m.place_id, self._strong):
                    self._strong = m.place_id  # the smaller site inside the one first named (a base on an airport)
                self._strong = self._strong or m.place_id
            self._weak = self._weak or m.place_id
        self.country = self.country or m.country
        if m.date is not None:
            self._any_date = self._any_date or m.date
            if m.date_own and self._own_date is None:
                self._own_date, self.own_night = m.date, m.night
        self.date_own = self.date_own or m.date_own
        if m.weapon != "unknown":
            self.weapons.add(m.weapon)
        if self.count is None and not m.sums_up:  # a headline summing up two attacks counts both
            self.count = m.count
        self.towns |= _towns(m)
        self.also_announced = self.also_announced or (m.also_announced and m.date is not None)
        self.second_within = self.second_within or m.second_within

    @property
    def place_id(self) -> str | None:
        return self._strong or self._weak

    def prefer(self, place_id: str) -> None:
        """Place the attack at this site (a smaller site inside the one first named)."""
        self._strong = place_id
        self.all_weak = False

    @property
    def date(self) -> date | None:
        return self._own_date or self._any_date


def combine_weapons(kinds: set[str]) -> str:
    """Several weapon words → one kind: ballistic beats rocket, shells go with rockets, drones + fire = mixed."""
    kinds = {k for k in kinds if k and k not in ("unknown",)}
    if not kinds:
        return "unknown"
    if "mixed" in kinds:
        return "mixed"
    if len(kinds) == 1:
        return next(iter(kinds))
    indirect = kinds & {"rocket", "missile", "mortar"}
    others = kinds - {"rocket", "missile", "mortar", "gunfire"}
    if indirect and others:
        return "mixed"
    if indirect:
        if "missile" in indirect:
            return "missile"
        return "rocket" if "rocket" in indirect else "mortar"
    if len(others) == 1:
        return next(iter(others))
    return "mixed"


def weapon_compatible(a: str, b: str) -> bool:
    """Rocket, missile and mortar are one family; unknown and mixed agree with anything."""
    if a in ("unknown", "mixed") or b in ("unknown", "mixed"):
        return True
    return a == b or (_FAMILY.get(a) is not None and _FAMILY.get(a) == _FAMILY.get(b))


def _places_agree(g: _Group, m: Mention, apart: frozenset[tuple[str, str]] = frozenset()) -> bool:
    gp = g.place_id
    if gp is None or m.place_id is None:
        gc = g.country
        return gc is None or m.country is None or gc == m.country
    if gp != m.place_id and (gp, m.place_id) in apart:
        return False  # the article names both sites side by side: two attacks, however outlets conflate them
    if gazetteer().related(gp, m.place_id):
        return True
    # A town or province name (الحسكة) is compatible with a base inside it.
    gz = gazetteer()
    if m.place_weak or g.all_weak:
        pa, pb = gz.get(gp), gz.get(m.place_id)
        return bool(pa and pb and pa.province_en == pb.province_en)
    return False


def _fits(g: _Group, m: Mention, apart: frozenset[tuple[str, str]] = frozenset()) -> bool:
    if not _places_agree(g, m, apart):
        return False
    if g.place_id is None and m.place_id is None:
        mine = _towns(m)
        if mine and g.towns and not (mine & g.towns):
            return False  # two unnamed sites in different towns
    gw = g.weapons
    if m.weapon != "unknown" and any(not weapon_compatible(w, m.weapon) for w in gw):
        return False
    gd = g.date
    if gd is not None and m.date is not None:
        gap = abs((gd - m.date).days)
        if gap > 1:
            return False
        if gap == 1 and (m.also_announced or g.also_announced):
            m.kept_apart = RuleId.MG_ALSO_ANNOUNCED
            return False  # "ومساء الاثنين، أعلنت أيضا استهداف القاعدة": a further announcement, another day
        if gap == 1 and (m.second_within or g.second_within):
            m.kept_apart = RuleId.MG_SECOND_WITHIN_HOURS
            return False  # "مسيرة هي الثانية خلال ساعات" and "مساء أمس": the first attack and the second
        if gap == 1 and (m.place_weak or g.all_weak) and g.place_id and m.place_id and g.place_id != m.place_id:
            return False  # a town and a base in it, on different days: two attacks
        if gap == 1 and g.date_own and m.date_own and (g.place_id is None or m.place_id is None):
            return False
        if gap == 1 and g.date_own and m.date_own:
            same_weapon = bool(gw) and m.weapon != "unknown" and all(weapon_compatible(w, m.weapon) for w in gw)
            if not (same_weapon and g.count is not None and g.count == m.count):
                return False
    gc = g.count
    return not (gc is not None and m.count is not None and gc != m.count)


def _score(g: _Group, m: Mention) -> int:
    s = 0
    if g.place_id and m.place_id and g.place_id == m.place_id:
        s += 4
    if g.count is not None and g.count == m.count:
        s += 3
    if g.date is not None and g.date == m.date:
        s += 2
    if m.weapon != "unknown" and m.weapon in g.weapons:
        s += 1
    return s


def _best(groups: list[_Group], m: Mention, apart: frozenset[tuple[str, str]] = frozenset()) -> _Group | None:
    fits = [g for g in groups if _fits(g, m, apart)]
    if not fits:
        return None
    return max(fits, key=lambda g: _score(g, m))


def merge_mentions(
    mentions: list[Mention], norm: Normalized, sentences: list[Sentence], published: date
) -> list[Incident]:
    """Group current mentions into incidents; background, excluded and summary mentions only inform."""
    live = [m for m in mentions if m.excluded is None]
    apart = frozenset((m.place_id, o) for m in live if m.place_id for o in m.apart_from)
    body = [m for m in live if not m.heading and not m.summary]
    groups: list[_Group] = []
    for m in [x for x in body if x.place_id and not x.place_weak]:
        g = _best(groups, m, apart)
        if g is None:
            groups.append(_Group(m))
        else:
            g.add(m)
    for m in [x for x in body if not (x.place_id and not x.place_weak)]:
        if m.place_id is None and m.country is None:
            m.dropped = RuleId.MG_NO_PLACE
            continue  # no place and no country: nothing to tie it to
        g = _best(groups, m, apart)
        if g is None:
            if (m.place_id is None and m.country is None) or m.anaphoric:
                m.dropped = RuleId.MG_ANAPHORIC
                continue
            groups.append(_Group(m))
        else:
            g.add(m)
    groups = _one_attack_per_site(groups)
    # "البنتاغون يرفع عدد مصابي هجوم البرج 22" over a body dating that attack weeks back: the headline's attack
    # is the one the body leaves out, not a new one.
    told_apart = {m.place_id for m in mentions if m.excluded is not None and not m.heading and m.place_id}
    for m in [x for x in live if x.heading and not x.summary and (x.place_id or x.country)]:
        g = _best(groups, m, apart)
        if g is not None:
            g.add(m)
        elif not groups and m.place_id and not m.place_weak and m.place_id not in told_apart:
            groups.append(_Group(m))
        else:
            m.dropped = RuleId.MG_HEADING_UNMATCHED
    groups.sort(key=lambda g: min(x.order for x in g.mentions))
    for k, g in enumerate(groups):
        for x in g.mentions:
            x.incident = k
    out = [_incident(g, norm, sentences) for g in groups]
    # A headline with no date of its own reports the day's news.
    return [replace(i, date=published) if i.date is None else i for i in out]


def _same_site(a: _Group, b: _Group) -> bool:
    """One site; or a site and the larger one it lies in (Victory base on Baghdad airport); or a site and the
    town it is named by (أربيل). Two distinct sites that outlets conflate (Harir, the Erbil base) are not one:
    they are attacked on the same night often enough."""
    pa, pb = a.place_id, b.place_id
    if not (pa and pb):
        return False
    if pa == pb:
        return True
    gz = gazetteer()
    if (a.all_weak and not a.date_own and _province_of_site(pa, pb)) or (
            b.all_weak and not b.date_own and _province_of_site(pb, pa)):
        # an undated "القاعدة الأميركية جنوب الحسكة" and the Shaddadi base in Hasakah: the province names the site
        # (a base in the province told with a day of its own may be another attack)
        return True
    if not gz.related(pa, pb):
        return False
    return gz.within(pa, pb) or gz.within(pb, pa) or a.all_weak or b.all_weak


def _province_of_site(area: str, site: str) -> bool:
    """Whether `area` is the gazetteer's entry for a province (its name is the province's) holding `site`."""
    gz = gazetteer()
    pa, ps = gz.get(area), gz.get(site)
    return (pa is not None and ps is not None and pa.id != ps.id and bool(pa.province_en)
            and pa.name_en == pa.province_en and ps.province_en == pa.province_en)


def _close_in_time(a: _Group, b: _Group) -> bool:
    """Within a day; but two days each read from its own report ("on Tuesday ... on Wednesday") are two."""
    if a.date is None or b.date is None:
        return True
    gap = abs((a.date - b.date).days)
    return gap == 0 or (gap == 1 and not (a.date_own and b.date_own))


def _other_day_other_weapon(a: _Group, b: _Group) -> bool:
    """'فقد استهدفت عين الأسد الثلاثاء بطائرتين مسيرتين' beside Wednesday's rockets on the same base: a day apart,
    one of them told with its own day, and weapons of different kinds are two attacks (outlets disagree on the
    weapon of one attack, not on its day as well)."""
    if a.date is None or b.date is None or abs((a.date - b.date).days) != 1 or not (a.date_own or b.date_own):
        return False
    if not a.weapons or not b.weapons:
        return False
    return any(not weapon_compatible(x, y) for x in a.weapons for y in b.weapons)


def _night_and_dawn(a: _Group, b: _Group) -> bool:
    """'شن الليلة الماضية هجوم على المجمع' and 'تعرض المجمع لهجوم فجر الثلاثاء': a night's attack runs into the
    next day, so the night and the day after it are one time."""
    if a.date is None or b.date is None or abs((a.date - b.date).days) != 1:
        return False
    earlier = a if a.date < b.date else b
    return earlier.own_night


def _one_salvo(a: _Group, b: _Group) -> bool:
    """Outlets round a salvo differently (10 or 11, 14 or 24); one count more than twice the other, of the same
    kind of weapon, is another salvo (a count of drones says nothing against a count of rockets)."""
    if a.count is None or b.count is None:
        return True
    if any(not weapon_compatible(x, y) for x in a.weapons for y in b.weapons):
        return True
    lo, hi = sorted((a.count, b.count))
    return hi <= 2 * lo


def _other_day(a: _Group, b: _Group) -> bool:
    return a.date is not None and b.date is not None and a.date != b.date


def _also_another_day(a: _Group, b: _Group) -> bool:
    """'أعلنت المقاومة فجر الثلاثاء استهداف القاعدة ... ومساء الاثنين، أعلنت أيضا استهداف القاعدة': a further
    announcement (announced also) told with a day other than the first one's is another attack on the site,
    even when both days are only the statements' (MG_ALSO_ANNOUNCED)."""
    return (a.also_announced or b.also_announced) and _other_day(a, b)


def _second_another_day(a: _Group, b: _Group) -> bool:
    """'الهجوم الثاني خلال ساعات' and 'مساء أمس الأحد' at one site: a report that counts itself the
    second attack within hours, a day apart from the other, is not the attack it counts after
    (MG_SECOND_WITHIN_HOURS)."""
    return (a.second_within or b.second_within) and _other_day(a, b)


# Marks that make two reports of one site on different days two attacks, with the rule each records.
_APART_ON_ANOTHER_DAY = ((_also_another_day, RuleId.MG_ALSO_ANNOUNCED),
                         (_second_another_day, RuleId.MG_SECOND_WITHIN_HOURS))


def _fold(into: _Group, other: _Group, rule: RuleId) -> None:
    smaller = other.place_id if into.place_id and other.place_id and gazetteer().within(
        other.place_id, into.place_id) else None
    for m in other.mentions:
        into.add(m)
        m.merged_by = rule
    if smaller:
        into.prefer(smaller)  # a town's name (أربيل, weak) then the consulate in it


def _one_attack_per_site(groups: list[_Group]) -> list[_Group]:
    """One article tells one attack per site and day: outlets quoted side by side disagree on the weapon
    (rockets or drones), the count (10 or 11) or which of two sites they conflate (the airport or the
    consulate, Harir or the Erbil base) far more often than a site is hit twice on one day. So reports of
    one site, or of sites the gazetteer links, within a day of each other are one incident (MG_SAME_SITE);
    and a report that names no site ("a US base in Syria") is the attack the article names elsewhere in that
    country on that day, when there is one (MG_UNNAMED_SITE; convoys on roads are not bases)."""
    out: list[_Group] = []
    for g in groups:
        near = [h for h in out if _same_site(h, g) and _close_in_time(h, g) and _one_salvo(h, g)]
        for apart, rule in _APART_ON_ANOTHER_DAY:
            if any(apart(h, g) for h in near):
                near = [h for h in near if not apart(h, g)]
                for m in g.mentions:
                    m.kept_apart = rule
        host = next((h for h in near if not _other_day_other_weapon(h, g)), None)
        if host is None and near:
            for m in g.mentions:
                m.kept_apart = RuleId.MG_OTHER_DAY_WEAPON
        night = None if host is not None else next(
            (h for h in out if _same_site(h, g) and _night_and_dawn(h, g) and _one_salvo(h, g)
             and not _second_another_day(h, g)), None)
        if host is not None:
            _fold(host, g, RuleId.MG_SAME_SITE)
        elif night is not None:
            _fold(night, g, RuleId.MG_NIGHT_AND_DAWN)
        else:
            out.append(g)
    named = [g for g in out if g.place_id]
    kept: list[_Group] = []
    for g in out:
        convoy = any(m.target_kind == "convoy" for m in g.mentions)
        if g.place_id is None and not convoy and g.country:
            hosts = [h for h in named if h.country == g.country and _close_in_time(h, g)
                     and (not g.weapons or not h.weapons
                          or all(weapon_compatible(a, b) for a in g.weapons for b in h.weapons))]
            if hosts:
                _fold(hosts[0], g, RuleId.MG_UNNAMED_SITE)
                continue
        kept.append(g)
    return kept


def _incident(g: _Group, norm: Normalized, sentences: list[Sentence]) -> Incident:
    ms = sorted(g.mentions, key=lambda m: m.order)
    gz = gazetteer()
    place = gz.get(g.place_id) if g.place_id else None
    kinds = [m.target_kind for m in ms]
    if place is not None:  # the site decides: an embassy is diplomatic, a base that hosts a mission is not
        kind = TargetKind.DIPLOMATIC if gz.kind(place.id) == "diplomatic" else TargetKind.BASE
    elif "diplomatic" in kinds:
        kind = TargetKind.DIPLOMATIC
    elif "convoy" in kinds and place is None:
        kind = TargetKind.CONVOY
    else:
        kind = TargetKind.BASE
    # A headline naming several sites sums up several events ("مسيرات على عين الأسد والتنف ومدمرة تعترض
    # صواريخ"): its weapon words are not all this attack's.
    weapon = combine_weapons({m.weapon for m in ms if not m.sums_up} or {m.weapon for m in ms})
    killed = _max_opt(m.killed for m in ms)
    wounded = _max_opt(m.wounded for m in ms)
    inter = [m.intercepted for m in ms if m.intercepted is not None]
    intercepted = bool(inter) and all(inter)
    claimed = next((m.claimed_by for m in ms if m.claimed_by), None)
    sites = [m.launch_site for m in ms if m.launch_site]
    known = [x for x in sites if x.isascii()]
    specific = [x for x in known if x not in _COUNTRY_NAMES]
    ranked = specific or known or sites
    launch = ranked[0] if ranked else None  # a named town before a country, before a phrase
    sources = tuple(dict.fromkeys(s for m in ms for s in m.sources))
    idx = sorted({m.sentence for m in ms} | {i for m in ms for i in m.extra_sentences})
    evidence: list[Evidence] = []
    for i in idx:
        s = sentences[i]
        a, b = norm.span(s.start, s.end)
        evidence.append(Evidence(norm.original[a:b], a, b))
    country = place.country if place else g.country
    if place is not None:
        province: tuple[str, str] | None = (place.province_en, place.province_ar)
    else:  # FX_PROVINCE: "قاعدة أمريكية في الأنبار" names no base, but the province
        province = province_of([w for m in ms for w in sorted(m.regions)], country)
    conf = 0.35
    if place is not None:
        conf += 0.2
    elif country:
        conf += 0.05
    if g.date_own:
        conf += 0.15
    if weapon != "unknown":
        conf += 0.1
    if g.count is not None:
        conf += 0.05
    if sources:
        conf += 0.05
    if len({m.sentence for m in ms}) > 1:
        conf += 0.05
    if all(m.heading for m in ms):
        conf = min(conf, 0.4)
    return Incident(
        base=place,
        country=country,
        target_kind=kind,
        date=g.date,
        weapon=Weapon(weapon),
        count=g.count,
        killed=killed,
        wounded=wounded,
        intercepted=intercepted,
        claimed_by=claimed,
        launch_site=launch,
        sources=sources,
        evidence=tuple(evidence),
        confidence=round(min(conf, 0.95), 2),
        province_en=province[0] if province else None,
        province_ar=province[1] if province else None,
    )


def _max_opt(values: object) -> int | None:
    vs = [v for v in values if isinstance(v, int)]  # type: ignore[attr-defined]
    return max(vs) if vs else None


__all__ = ["COUNTRY_WORDS", "Mention", "combine_weapons", "merge_mentions", "weapon_compatible"]
