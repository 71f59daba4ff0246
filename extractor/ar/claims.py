"""Reading armed groups' claim posts (the claim genre), apart from the news reader.

A claim post is formulaic: an opening (a verse, "بيان", the group's name), one or more operations
("استهدف مجاهدونا ... قاعدة الاحتلال في ... بالطيران المسير"), often the Gregorian and Hijri dates, sometimes
a numbered list of the day's operations. It is read by operation blocks (a line with an attack verb and
the lines that continue it), one report per named base. Only bases the gazetteer knows in the countries
we cover count: a claim against anything else yields nothing (the bot stores the post and alerts no one).
Word lists live in `extractor/data/claims.json`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from extractor.dates import find_dates
from extractor.gazetteer import gazetteer
from extractor.normalize import Normalized, fold, fold_pattern, normalize
from extractor.numbers import parse_number
from extractor.types import Evidence, Incident, Place, TargetKind, Weapon

__all__ = ["extract_claims", "hijri_to_gregorian"]

# Tabular Islamic calendar: 1 Muharram 1 AH is 19 July 622 in the proleptic Gregorian calendar. Claim
# posts follow the Umm al-Qura or local sighting, which differs from the tabular day by at most one or two,
# so a Hijri date is used only when the post gives no Gregorian one.
_HIJRI_EPOCH = date(622, 7, 19).toordinal()


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of a Hijri date by the tabular calendar; None when it is not a date."""
    if not (1 <= month <= 12 and 1 <= day <= 30 and 1 <= year <= 2000):
        return None
    days = (day - 1) + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30
    return date.fromordinal(_HIJRI_EPOCH + days)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Words:
    groups: list[tuple[str, re.Pattern[str]]]
    verb: re.Pattern[str]
    masdar: frozenset[str]
    threat: re.Pattern[str]
    footage: re.Pattern[str]
    weapon: re.Pattern[str]
    weapon_kind: dict[str, Weapon]
    count_noun: re.Pattern[str]
    dual: re.Pattern[str]
    hijri: re.Pattern[str]
    hijri_month: dict[str, int]
    countries: frozenset[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    raw = json.loads(resources.files("extractor").joinpath("data/claims.json").read_text("utf-8"))
    groups = [
        (g["name"], re.compile(rf"(?<!\w)[وبل]?(?:{_alternation([fold(a) for a in g['ar']])})(?!\w)"))
        for g in raw["groups"]
    ]
    verbs = [fold(v) for v in raw["attack_verbs"]]
    kinds: dict[str, Weapon] = {}
    for kind, words in raw["weapons"].items():
        for w in words:
            kinds[fold(w)] = Weapon(kind)
    months = {fold(k): int(v) for k, v in raw["hijri_months"].items()}
    masdar_starts = tuple(fold(w) for w in raw["masdar_starts"])
    return _Words(
        groups=groups,
        verb=re.compile(rf"(?<!\w)(?:[وف]?ب|[وف])?(?P<v>{_alternation(verbs)})(?:ه|ها|هم|وا)?(?!\w)"),
        masdar=frozenset(v for v in verbs if v.endswith("اف") or v.startswith(masdar_starts)),
        threat=re.compile(rf"(?<!\w)(?:{_alternation([fold(t) for t in raw['threat_words']])})(?!\w)"),
        footage=re.compile(rf"(?<!\w)[وف]?(?:{_alternation([fold(t) for t in raw['footage_words']])})(?!\w)"),
        weapon=re.compile(rf"(?<!\w)(?:وب|ب|و|ال|بال|وبال)?(?P<w>{_alternation(list(kinds))})(?!\w)"),
        weapon_kind=kinds,
        count_noun=re.compile(rf"(?<!\w)(?:{_alternation([fold(n) for n in raw['count_nouns']])})(?!\w)"),
        dual=re.compile(rf"(?<!\w)(?:ب|و|وب)?(?:{_alternation([fold(n) for n in raw['dual_counts']])})(?!\w)"),
        hijri=re.compile(
            rf"(?<!\w)(?P<d>\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?(?P<m>{_alternation(list(months))})"
            rf"\s*(?:لعام|لسنه|عام|سنه)?\s*(?P<y>1[34]\d\d)?\s*(?:هـ|ه)?(?!\w)"
        ),
        hijri_month=months,
        countries=frozenset(raw["countries"]),
    )


@dataclass
class _Block:
    """One operation: the line with its attack verb and the lines that continue it (folded offsets)."""

    start: int
    end: int
    past: bool


# A numbered or bulleted line ("١- ...", "2. ...", "- ...", "✅ ..." after folding); in a post that lists
# operations each item is one operation even when it has no verb of its own.
_LIST_ITEM = re.compile(r"^\s*(?:\(?\d{1,2}\s*[-–.)]|[-•*▪◾●✅🔸🔹]\s*)")
_TALLY = re.compile(fold_pattern(r"(?<!\w)(?:عمليات|حصاد|حصيله|حصيلة)(?!\w)"))


def _lines(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _blocks(n: Normalized, w: _Words) -> list[_Block]:
    """Operation blocks: a line with an attack verb opens one (each item of a list of the day's operations
    has its own verb); other lines continue the open block (a base named on the line after the verb belongs
    to it), except a threat, which belongs to no operation."""
    blocks: list[_Block] = []
    pending: int | None = None  # a line before any verb that may name the target (rare)
    for a, b in _lines(n.text):
        line = n.text[a:b]
        verbs = [m.group("v") for m in w.verb.finditer(line)]
        if verbs or (_LIST_ITEM.match(line) and (blocks or pending is not None or _TALLY.search(n.text))):
            past = any(v not in w.masdar for v in verbs)
            if verbs and w.threat.search(line) and not past:
                continue  # "نحذر من استهداف ..." is a threat, not an operation
            blocks.append(_Block(pending if pending is not None and not blocks else a, b, past))
            pending = None
        elif blocks:
            if not w.threat.search(line):
                blocks[-1].end = b
        elif pending is None:
            pending = a
    return blocks


def _hijri_spans(text: str, w: _Words) -> list[tuple[int, int, date | None]]:
    out: list[tuple[int, int, date | None]] = []
    for m in w.hijri.finditer(text):
        year = m.group("y")
        value = hijri_to_gregorian(int(year), w.hijri_month[m.group("m")], int(m.group("d"))) if year else None
        out.append((m.start(), m.end(), value))
    return out


def _blank(text: str, spans: list[tuple[int, int, date | None]]) -> str:
    chars = list(text)
    for a, b, _ in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _date_in(text: str, a: int, b: int, published: date, hijri: list[tuple[int, int, date | None]]) -> date | None:
    """The day of the operation: a Gregorian date in the span, else a Hijri one (Hijri text is blanked
    first so its day number is not read as a Gregorian day of the current month)."""
    for d in find_dates(text[a:b], published):
        if d.precise and not d.since and d.value <= published:
            return d.value
    for ha, _, value in hijri:
        if a <= ha < b and value is not None and abs((value - published).days) <= 7:
            return value
    return None


def _weapon(text: str, w: _Words) -> Weapon:
    kinds = {w.weapon_kind[m.group("w")] for m in w.weapon.finditer(text)}
    if not kinds:
        return Weapon.UNKNOWN
    if kinds == {Weapon.ROCKET, Weapon.MISSILE}:
        return Weapon.MISSILE
    return next(iter(kinds)) if len(kinds) == 1 else Weapon.MIXED


def _count(text: str, w: _Words) -> int | None:
    if w.dual.search(text):
        return 2
    for m in w.count_noun.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()].replace("ـ", " ").replace("(", " ").replace(")", " ")
        tokens = before.split()
        for i in range(max(0, len(tokens) - 3), len(tokens)):
            got = parse_number(tokens, i)
            if got is not None and got[1] == len(tokens) and 0 < got[0] < 1000:
                return got[0]
    return None


def _group(text: str, w: _Words) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in w.groups:
        m = pattern.search(text)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def _places(text: str, a: int, b: int, w: _Words) -> list[tuple[Place, int, int]]:
    gz = gazetteer()
    out: list[tuple[Place, int, int]] = []
    mentions = gz.find(text[a:b])
    strong = any(not pm.weak for pm in mentions)
    for pm in mentions:
        if pm.weak and strong:
            continue  # "بريف الحسكة" beside a named base is where the base is, not a second target
        place = gz.get(pm.place_id)
        if place is None or place.country not in w.countries:
            continue
        if any(gz.related(place.id, p.id) for p, _, _ in out):
            continue
        out.append((place, a + pm.start, a + pm.end))
    return out


def _kind(place: Place) -> TargetKind:
    return TargetKind.DIPLOMATIC if gazetteer().kind(place.id) == "diplomatic" else TargetKind.BASE


def extract_claims(text: str, published: date, group: str | None = None) -> list[Incident]:
    """Every operation a claim post announces against a base we cover, one Incident per base and day.

    `group` is the channel's group, used when the post does not name one. Never raises.
    """
    try:
        return _read(text if isinstance(text, str) else "", published, group)
    except Exception:  # a reading bug must cost one post, not the service
        return []


def _read(text: str, published: date, group: str | None) -> list[Incident]:
    w = _words()
    n = normalize(text)
    hijri = _hijri_spans(n.text, w)
    plain = _blank(n.text, hijri)
    claimed_by = _group(plain, w) or group
    post_date = _date_in(plain, 0, len(plain), published, hijri)
    post_weapon = _weapon(plain, w)
    seen: set[tuple[str, date | None]] = set()
    out: list[Incident] = []
    for block in _blocks(n, w):
        places = _places(plain, block.start, block.end, w)
        if not places:
            continue
        segment = plain[block.start : block.end]
        weapon = _weapon(segment, w)
        day = _date_in(plain, block.start, block.end, published, hijri) or post_date
        if day is None and w.footage.search(segment):
            continue  # footage of an earlier, undated operation: not news of an attack today
        day = day or published
        a, b = n.span(block.start, block.end)
        evidence = (Evidence(text[a:b], a, b),)
        for place, start, _ in places:
            line_start = plain.rfind("\n", block.start, start) + 1 or block.start
            line_end = plain.find("\n", start, block.end)
            own = _weapon(plain[max(line_start, block.start) : line_end if line_end >= 0 else block.end], w)
            key = (place.id, day)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                Incident(
                    base=place,
                    country=place.country,
                    target_kind=_kind(place),
                    date=day,
                    weapon=next((x for x in (own, weapon, post_weapon) if x is not Weapon.UNKNOWN), Weapon.UNKNOWN),
                    count=_count(segment, w) if len(places) == 1 else None,
                    claimed_by=claimed_by,
                    evidence=evidence,
                    confidence=0.7 if block.past else 0.6,
                    is_claim=True,
                )
            )
    return out
