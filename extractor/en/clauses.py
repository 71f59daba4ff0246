"""One English sentence read as a possible report: where its own clause ends, which sites it names as hit,
in which country, on which day, and why it is not a new attack (a look back, a US strike, a threat, a drill,
a denial, another force as the target). Pure functions over lower-cased text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from extractor.en.dates import DateMention
from extractor.en.lexicon import lexicon
from extractor.en.places import PlaceMention
from extractor.gazetteer import gazetteer
from extractor.merge import weapon_compatible
from extractor.rule_ids import RuleId, Stage
from extractor.stages import StageRules

BACKGROUND_DAYS = 7  # an attack dated more than a week before publication is background
# Where a sentence stops telling its own event and starts giving context.
_CUT = re.compile(
    r"(?<=[\s,])(?:in (?:the )?wake of|(?:in |as |was )?(?:apparent )?retaliation for|in response to|amid\s"
    r"|over america's|over the (?:us|u\.s\.|american) killing|following (?:the|a|an|last|u\.s\.|us)\s"
    r"|(?:followed|follows) (?:the |a |an |last |u\.s\. |us |american |israeli )?(?:\S+ )?"
    r"(?:strikes?|air ?strikes?|attacks?|raids?)\s"
    r"|(?:weeks|days|hours|months) (?:after|before)\s|after (?:the |a |an )?(?:u\.s\.|us|american|israeli)\s|since\s"
    r"|saying it was|in what appears?\s|in the aftermath of|(?:came|comes|come) as\s(?!close|near|far))"
)
_CUT_AFTER_COMMA = re.compile(r"[,;]\s+(?:which (?:is|was|marked|came)|the (?:latest|first|second|third)|highlighting"
                              r"|underscoring|marking|sparking|raising|fuell?ing|stoking|heightening)\s|;\s")
_INCOMING = re.compile(
    r"(?:rockets?|missiles?|drones?|mortars?|projectiles?|uavs?)\b(?:\s+[\w'-]+){0,4}?\s+(?:hit|struck|targeted|landed"
    r"|slammed|fell|were fired|was fired|were launched|was launched|impacted|exploded|crashed)"
    r"|(?:(?:attacks?|strikes?)\s+(?:on|against)|attacked|targeted|targets|struck|strikes|hit|hits)\s+"
    r"(?:a\s+|the\s+|(?:two|three|four|five|several|multiple|\d+)\s+)?"
    r"(?:u\.s\.|us|american|coalition)"
    r"|came under"
)
_LOCATING = re.compile(
    r"(?:near|outside|close to|vicinity of|city of|capital|province|areas? (?:near|around)|outskirts of|north of"
    r"|south of|east of|west of|in|over|from|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
)
_NOT_AN_ATTACK = re.compile(r"\b(?:attack helicopters?|attack aircraft|heart attack"
                            r"|hit (?:by|with) a (?:truck|car|train|bus|brick|hammer|wall)(?! bomb))\b")
_WEAPON_NOUN = re.compile(r"\b(?:rockets?|missiles?|drones?|mortars?)\b")
_SPEAKING = re.compile(
    r"\b(?:said|says|told|telling|speaking|statement|announced|reported|tweeted|posted|briefing|added|confirmed"
    r"|confirms|stated|acknowledged|noted)\b"
    r"(?:(?!\bthat\b)[^,.;]){0,25}$")
_LISTED = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+(?:the\s+|a\s+)?(?:[\w.-]+\s+){0,2}")




def weapons(low: str) -> set[str]:
    """The weapon kinds a text names."""
    return set(lexicon().names("weapons", low))


def background_date(dates: list[DateMention], published: date) -> bool:
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


_POSSESSIVE_DAY = re.compile(r"['’]s\b")


def own_date(dates: list[DateMention], clause: str = "") -> date | None:
    """The first day the clause names for its event (not the day somebody spoke of it)."""
    usable = [d for d in dates
              if d.precise and not d.bound and not _SPEAKING.search(clause[max(0, d.start - 40):d.start])]
    # "Sunday's strike is the second this week, after drones hit Harir late on Friday": a day in the possessive
    # names the attack the clause compares with; the clause's own day is the other one
    plain = [d for d in usable if not _POSSESSIVE_DAY.match(clause, d.end)] if clause else usable
    return (plain or usable)[0].value if usable else None


@dataclass(frozen=True, slots=True)
class Clause:
    """A sentence's own clause (lower case), the dates it names and the article's publication day."""

    text: str
    dates: list[DateMention]
    published: date
    cues: tuple[re.Match[str], ...] = ()  # the look-back words of the text, found once for every rule


# The exclusion is tried in three runs of one order: what the clause says of itself (a denial, a drill, a threat),
# whether it looks back, then who the attacker or the target is. The first rule that fires decides.
SAYS = StageRules[Clause](Stage.EXCLUSION)
LOOKS_BACK = StageRules[Clause](Stage.BACKGROUND)
WHO = StageRules[Clause](Stage.EXCLUSION)


@SAYS.rule(RuleId.EX_EN_FOUND_WEAPON)
def _found_weapon(c: Clause) -> RuleId | None:
    """The find is the clause's event only when it comes before any attack word ('police found a missile meant to
    attack ...'), not after one ('rockets hit the base and police later found the launcher')."""
    found = lexicon()["found_weapon"].search(c.text)
    if found is None:
        return None
    hit = lexicon()["trigger"].search(c.text, 0, found.start())
    return RuleId.EX_EN_FOUND_WEAPON if hit is None else None


@SAYS.rule(RuleId.EX_EN_DENIED)
def _denied(c: Clause) -> RuleId | None:
    return RuleId.EX_EN_DENIED if lexicon()["negation"].search(c.text) else None


@SAYS.rule(RuleId.EX_EN_DRILL)
def _drill(c: Clause) -> RuleId | None:
    lex = lexicon()
    hits = list(lex["drill"].finditer(c.text))
    if not hits:
        return None
    if all(_HEART_ATTACK.fullmatch(h.group(0)) for h in hits) and lex["trigger"].search(
            _HEART_ATTACK.sub(lambda h: " " * len(h.group(0)), c.text)):
        return None  # "died of a heart attack as rockets fell on the base": the attack's toll, not an accident
    return RuleId.EX_EN_DRILL


_HEART_ATTACK = re.compile(r"heart attacks?", re.IGNORECASE)


_RESPOND = re.compile(r"\b(?:vow(?:s|ed)?|pledg(?:es|ed)|promis(?:es|ed)|warn(?:s|ed)?|threaten(?:s|ed)?)\s+"
                      r"(?:[\w.]+\s+){0,2}?to\s+(?:respond|retaliate|hit back|avenge|answer|hold)\b"
                      r"(?:[^,;]{0,60}?)\s(?P<after>after|following|over)\s")


@SAYS.rule(RuleId.SP_EN_VOW_TO_RESPOND)
def _vow_to_respond(c: Clause) -> RuleId | None:
    """'The president vowed to respond after a drone attack killed three soldiers': the vow answers an attack the
    clause tells; it threatens no attack on the coalition (when no other threat word is in the clause)."""
    m = _RESPOND.search(c.text)
    if m is None or not lexicon()["trigger"].search(c.text, m.end("after")):
        return None
    if any(not (m.start() <= t.start() < m.end()) for t in lexicon()["threat"].finditer(c.text)):
        return None
    return RuleId.SP_EN_VOW_TO_RESPOND


@SAYS.rule(RuleId.EX_EN_THREAT)
def _threat(c: Clause) -> RuleId | None:
    return RuleId.EX_EN_THREAT if lexicon()["threat"].search(c.text) else None


_PLUPERFECT = re.compile(r"\bhad (?:been )?(?:\S+ )?(?:attacked|targeted|hit|fired|launched)\b")
_SPEECH = re.compile(r"\b(?:said|says|reported|announced|stated|claimed|confirmed|added|told|informed|explained"
                     r"|revealed|noted|indicated)\b")


@LOOKS_BACK.rule(RuleId.SP_EN_BACKSHIFT)
def _backshift(c: Clause) -> RuleId | None:
    """'X said rockets had hit the base': the pluperfect of reported speech, not a look back (when nothing else in
    the clause looks back)."""
    m = _PLUPERFECT.search(c.text)
    if m is None or not _SPEECH.search(c.text, 0, m.start()):
        return None
    if any(b.group(0) != m.group(0) and not (m.start() <= b.start() < m.end()) for b in c.cues):
        return None
    if background_date(c.dates, c.published) or _earlier_year(c.text, c.dates, c.published):
        return None
    return RuleId.SP_EN_BACKSHIFT


_DAYS_COUNT = re.compile(r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten) times")
# "within hours", "in the past 24 hours": a span that ends now, which anchors a count of attacks as well as a day does
_LIVE_SPAN = re.compile(r"\b(?:within (?:hours|a few hours|24 hours|a day)|in (?:the )?(?:past|last) (?:24|48) hours"
                        r"|over the past (?:day|24 hours)|in a single day)\b")


@LOOKS_BACK.rule(RuleId.SP_EN_DAYS_COUNT)
def _days_count(c: Clause) -> RuleId | None:
    """'U.S. forces were attacked four times on Thursday', '... four times within hours': a few attacks counted on
    one named recent day, or in a span that ends now, are that day's news (a summary of it), not a tally looking
    back, when nothing else in the clause looks back."""
    cues = c.cues
    if not cues or not all(_DAYS_COUNT.fullmatch(b.group(0)) for b in cues):
        return None
    if (own_date(c.dates, c.text) is None and not _LIVE_SPAN.search(c.text)) \
            or background_date(c.dates, c.published) or _earlier_year(c.text, c.dates, c.published):
        return None
    return RuleId.SP_EN_DAYS_COUNT


_SIMILAR_CUE = re.compile(r"(?:a )?similar (?:\S+ ){0,2}(?:attacks?|strikes?|assaults?|incidents?)")


@LOOKS_BACK.rule(RuleId.SP_EN_SIMILAR_TODAY)
def _similar_today(c: Clause) -> RuleId | None:
    """'Earlier today, a similar attack hit a coalition convoy in Muthanna': 'similar' compares the attack with the
    one just told; dated today or yesterday, it is more of the day's news, not a look back (when nothing else in
    the clause looks back)."""
    cues = c.cues
    if not cues or not all(_SIMILAR_CUE.fullmatch(b.group(0)) for b in cues):
        return None
    day = own_date(c.dates, c.text)
    if day is None or not 0 <= (c.published - day).days <= 1 or background_date(c.dates, c.published) \
            or _earlier_year(c.text, c.dates, c.published):
        return None
    return RuleId.SP_EN_SIMILAR_TODAY


_RELATIVE = re.compile(r", (?:where|who|whom|whose) ")


@LOOKS_BACK.rule(RuleId.SP_EN_RELATIVE_CUE)
def _relative_cue(c: Clause) -> RuleId | None:
    """'... at the garrison in al-Tanf, where U.S. forces have long been stationed beside fighters who previously
    fought ...': a look-back word inside a relative clause on a place or people, after the attack is told,
    describes them, not the attack (when no look-back word comes before it)."""
    cues = c.cues
    if not cues:
        return None
    rel = _RELATIVE.search(c.text)
    if rel is None or cues[0].start() < rel.end() or not lexicon()["trigger"].search(c.text, 0, rel.start()):
        return None
    head = c.text[:rel.start()]
    if background_date(c.dates, c.published) or _earlier_year(head, [d for d in c.dates if d.end <= rel.start()],
                                                                c.published):
        return None
    return RuleId.SP_EN_RELATIVE_CUE


@LOOKS_BACK.rule(RuleId.BG_EN_CUE)
def _background_cue(c: Clause) -> RuleId | None:
    return RuleId.BG_EN_CUE if c.cues else None


@LOOKS_BACK.rule(RuleId.BG_EN_OLD_DATE)
def _old_date(c: Clause) -> RuleId | None:
    return RuleId.BG_EN_OLD_DATE if background_date(c.dates, c.published) else None


@LOOKS_BACK.rule(RuleId.BG_EN_EARLIER_YEAR)
def _earlier(c: Clause) -> RuleId | None:
    return RuleId.BG_EN_EARLIER_YEAR if _earlier_year(c.text, c.dates, c.published) else None


@WHO.rule(RuleId.EX_EN_US_STRIKE)
def _us_strike(c: Clause) -> RuleId | None:
    return RuleId.EX_EN_US_STRIKE if lexicon()["us_strike"].search(c.text) and not _INCOMING.search(c.text) else None


_AT_SEA = re.compile(r"\b(?:ships?|vessels?|tankers?|warships?|destroyers?|red sea|gulf of aden|carrier)\b")


@WHO.rule(RuleId.EX_EN_AT_SEA)
def _at_sea(c: Clause) -> RuleId | None:
    return RuleId.EX_EN_AT_SEA if _AT_SEA.search(c.text) else None


@WHO.rule(RuleId.EX_EN_AT_ISRAEL)
def _at_israel(c: Clause) -> RuleId | None:
    return RuleId.EX_EN_AT_ISRAEL if _AT_ISRAEL.search(c.text) else None


_DEPOT = re.compile(
    r"\b(?:ammunition|munitions?|arms|weapons?|explosives?|ordnance)\s+(?:depots?|warehouses?|stores?|storage"
    r"|dumps?|caches?|stockpiles?)\b|\b(?:depots?|warehouses?|stockpiles?) of (?:ammunition|munitions|arms|weapons)\b")
_STORED_IN = re.compile(r"\b(?:stored|kept|stockpiled|housed) (?:in|at|inside) (?:the |a |an |its |their )?"
                        r"(?:[\w-]+ ){0,3}(?:depots?|warehouses?|stores?|storage|dumps?|caches?|stockpiles?|arsenal)\b")
_BLAST_WORDS = frozenset({"exploded", "explosion", "explosions", "blast"})


@WHO.rule(RuleId.EX_EN_DEPOT_BLAST)
def _depot_blast(c: Clause) -> RuleId | None:
    """'An ammunition warehouse exploded next to the air base': a store of arms blowing up, with nothing in the
    clause that attacks (no weapon fired, no 'struck' or 'targeted'), is an explosion with no attacker."""
    if _STORED_IN.search(c.text):
        return RuleId.EX_EN_DEPOT_BLAST  # "the blast sent rockets kept in the depot into the base": its own stock
    if _DEPOT.search(c.text) is None or _WEAPON_NOUN.search(c.text) or _INCOMING.search(c.text):
        return None
    words = {m.group(0) for m in lexicon()["trigger"].finditer(c.text)}
    return RuleId.EX_EN_DEPOT_BLAST if words and words <= _BLAST_WORDS else None


# Exclusions after which a sentence adds nothing to the attack before it either (an attack on others does).
STORY_ENDS = frozenset({
    RuleId.EX_EN_DENIED, RuleId.EX_EN_DRILL, RuleId.EX_EN_THREAT, RuleId.BG_EN_CUE, RuleId.BG_EN_OLD_DATE,
    RuleId.BG_EN_EARLIER_YEAR, RuleId.EX_EN_US_STRIKE, RuleId.EX_EN_AT_SEA, RuleId.EX_EN_DEPOT_BLAST,
    RuleId.EX_EN_RELAYED_DENIED,
})
# Exclusions that, on an article's first attack sentence, make it a story about something else.
OFF_TOPIC = frozenset({
    RuleId.EX_EN_US_STRIKE, RuleId.EX_EN_THREAT, RuleId.BG_EN_CUE, RuleId.BG_EN_OLD_DATE, RuleId.BG_EN_EARLIER_YEAR,
    RuleId.EX_EN_DENIED,
})


def _no_spare(_rule: RuleId) -> None:
    """A spare (SP_EN_BACKSHIFT) fired with no tracer listening: nothing to record."""


def exclusion(
    clause: str, dates: list[DateMention], published: date, fire: Callable[[RuleId], None] = _no_spare
) -> RuleId | None:
    """The rule by which a clause with an attack word and a target is not a new attack, or None."""
    c = Clause(clause, dates, published, tuple(lexicon()["background"].finditer(clause)))
    return SAYS.run(c, fire) or LOOKS_BACK.run(c, fire) or WHO.run(c, fire)


def main_clause(low: str) -> int:
    """Where the sentence's own report ends and its context begins."""
    after_comma = _CUT_AFTER_COMMA.search(low)
    if after_comma is not None and not lexicon()["trigger"].search(low, 0, after_comma.start()):
        after_comma = None  # "As per the statement, the latest attack struck ...": an opening phrase, not a report
    ends = [m.start() for m in (_CUT.search(low), after_comma) if m]
    if not ends:
        return len(low)
    end = min(ends)
    while end > 0 and low[end - 1] in " ,\t":
        end -= 1
    return end




# "the outlet el Balad reported": a news outlet named after a town or site is a source, not a place
_OUTLET_BEFORE = re.compile(r"\b(?:outlet|newspaper|news (?:site|website|agency|channel)|website|broadcaster|daily)"
                            r"\s+(?:(?:el|al)[\s-])?$")


# "a U.S. embassy spokesperson", "the coalition's Ain al-Asad press office": a site named as a speaker's post
_SPEAKER_AFTER = re.compile(r"(?:\s+|['’]s\s+)(?:spokes(?:person|man|woman)|officials?|press (?:office|officer)|"
                            r"statement|spokespeople|representative)\b")


# "drones flew at one named base, and one more flew at a base hosting coalition troops near an airport": after
# "and", a second site of its own, placed by the name that follows it
_SECOND_SITE = re.compile(r"\band\b(?:\s+[\w'.-]+){0,8}?\s+(?:a|another|one)\s+(?:[\w-]+\s+){0,2}?"
                          r"(?:base|air ?base|facility|garrison|outpost|camp)\b")


# "on a road near Al-Shaddadi", "on the highway linking Erbil and ...": the place locates the road the patrol or convoy
# was hit on; it was not attacked
ON_A_ROAD = re.compile(r"\b(?:road|highway|motorway|route|roadside)s?\s+(?:[\w-]+\s+){0,2}?(?:near|outside"
                       r"|close to|between|linking|connecting|leading to|towards?|from|to|in)\s+(?:the\s+)?"
                       r"(?:(?:town|city|area)\s+of\s+)?$")


def attacked_sites(clause: str, places: list[PlaceMention]) -> list[PlaceMention]:
    """The sites a clause reports attacked: strong names first; a town or a site named only to locate
    another ("near Erbil International Airport", "a base near Hasaka") when nothing else is named."""
    gaz = gazetteer()
    located: list[PlaceMention] = []
    direct: list[PlaceMention] = []
    last: PlaceMention | None = None
    places = [p for p in places if not _OUTLET_BEFORE.search(clause[max(0, p.start - 30):p.start])
              and not _SPEAKER_AFTER.match(clause, p.end)
              and not ON_A_ROAD.search(clause[max(0, p.start - 50):p.start])]
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
        if direct and p in located and p.start > first_direct and not _SECOND_SITE.search(
                clause, first_direct, p.start):
            continue  # "RLZ [a base near Hasaka]": where the named site is, not a second target
        out.append(p if p.weak or p not in located else PlaceMention(p.start, p.end, p.place_id, True))
    # "Victoria Base at Baghdad International Airport": a site named with the one that encloses it is the target
    out = [p for p in out if not any(gaz.within(q.place_id, p.place_id) for q in out)]
    return distinct(sorted(out, key=lambda p: p.start))


@lru_cache(maxsize=1)
def _country_words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each country's words, then every Iraqi province and town the convoy reader knows ("near Hilla", "in
    Samawah"), which are in Iraq."""
    named = lexicon().named
    return (*named["regions"].items(), *(("iraq", rx) for rx in named["provinces"].values()))


def country_of(text: str) -> str | None:
    """The country a clause places its target in (not the one rockets came from)."""
    best: tuple[int, str] | None = None
    for name, rx in _country_words():
        for m in rx.finditer(text):
            if re.search(r"from\s+(?:inside\s+|the\s+)?(?:[\w-]+\s+){0,2}$", text[max(0, m.start() - 30):m.start()]):
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), name)
            break
    return best[1] if best else None




def attack_sense(clause: str) -> bool:
    """'attack' used of an event, not of a policy ('attack helicopters', 'heart attack')."""
    return not _NOT_AN_ATTACK.search(clause) or _WEAPON_NOUN.search(clause) is not None


def count_for(counts: list[tuple[int, str, int, bool]], weapon: str) -> tuple[int | None, bool]:
    """The first count of the clause's weapon; a definite number beats 'a drone'."""
    fitting = [c for c in counts if weapon in ("unknown", "mixed") or weapon_compatible(c[1], weapon)]
    definite = [c for c in fitting if not c[3]]
    if definite:
        return definite[0][2], False
    if fitting:
        return fitting[0][2], True
    return None, True


def distinct(found: list[PlaceMention]) -> list[PlaceMention]:
    """One mention per site (the first), in text order."""
    out: list[PlaceMention] = []
    for p in found:
        if any(q.place_id == p.place_id for q in out):
            continue
        out.append(p)
    return out




__all__ = [
    "BACKGROUND_DAYS",
    "LOOKS_BACK",
    "OFF_TOPIC",
    "ON_A_ROAD",
    "SAYS",
    "STORY_ENDS",
    "WHO",
    "Clause",
    "attack_sense",
    "attacked_sites",
    "background_date",
    "count_for",
    "country_of",
    "distinct",
    "exclusion",
    "main_clause",
    "own_date",
    "weapons",
]
