"""The places Rasad knows, loaded from data/gazetteer.json, and how they are found in text.

Names are matched on folded text: first exactly (one alternation of every alias, longest first),
then, after a word that introduces a site (قاعدة، حقل، مطار، معسكر), with rapidfuzz for spellings
nobody listed. Town and province names are 'weak': they name a site only when nothing more specific does.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process

from extractor.normalize import fold
from extractor.prefilter import gated_finditer
from extractor.types import Place

_FUZZY_CUTOFF = 88.0


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A site named in folded text."""

    start: int
    end: int
    place_id: str
    weak: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    place: Place
    kind: str
    related: frozenset[str]
    within: str | None = None
    hosted_until: date | None = None  # the day the coalition handed the site over to the host state's forces


_QUOTE = "[\"'“”«»‘’]"
_NAME_GAP = rf"(?:\s*{_QUOTE}\s*|\s+)"  # between two words of a name: spaces, or a quote with optional spaces
_GAPS = re.compile(_NAME_GAP)


def _name_key(matched: str) -> str:
    """The alias a match spells, its quotes and runs of spaces between words read as one space."""
    return _GAPS.sub(" ", matched)


class Gazetteer:
    """Sites, their aliases and the compiled matchers; built once per process."""

    def __init__(self, raw: dict[str, object]) -> None:
        places = raw["places"]
        assert isinstance(places, list)
        self._entries: dict[str, _Entry] = {}
        self._alias_to_id: dict[str, tuple[str, bool]] = {}
        self._english: dict[str, str] = {}
        for item in places:
            p = Place(
                id=item["id"], name_en=item["name_en"], name_ar=item["name_ar"], country=item["country"],
                province_en=item["province_en"], province_ar=item["province_ar"],
                lat=item.get("lat"), lon=item.get("lon"),
            )
            until = item.get("hosted_until")
            self._entries[p.id] = _Entry(
                p, item.get("kind", "base"), frozenset(item.get("related", [])), item.get("within"),
                date.fromisoformat(until) if isinstance(until, str) else None)
            for alias in item.get("aliases", []):
                self._alias_to_id.setdefault(fold(alias), (p.id, False))
            for alias in item.get("weak", []):
                self._alias_to_id.setdefault(fold(alias), (p.id, True))
            for alias in [*item.get("aliases_en", []), p.name_en, p.id]:
                self._english.setdefault(fold(alias), p.id)
            self._english.setdefault(fold(p.name_ar), p.id)
        names = sorted(self._alias_to_id, key=len, reverse=True)
        # Words of a name may stand apart by quotes as well as spaces: outlets quote the distinctive part
        # (حقل "العمر"، قاعدة “عين الأسد”), and the quoted name is the same site.
        alternation = "|".join(re.escape(n).replace(r"\ ", _NAME_GAP) for n in names)
        anchors = fold("قاعدة|قاعدتي|حقل|مطار|معسكر|منشأة|مطاري|قاعده")
        self.alternations = {"@names": alternation, "@anchors": anchors}  # for the word-start gate
        # Optional clitics (و، ب، ل، ف) and a joined article (بال، لل، وال) before a name.
        self._regex = re.compile(rf"(?<!\w)(?:[وفبلك]{{0,2}})(?P<name>{alternation})(?!\w)")
        self._strong = [n for n, (_, weak) in self._alias_to_id.items() if not weak]
        self._anchor = re.compile(
            rf"(?<!\w)[وفبل]?(?:{anchors})\s+{_QUOTE}?(?P<rest>\w+(?:\s+\w+)?)"
        )
        # "قاعدة «بلد» الجوية": a name set in quotes after its anchor word, read as the anchor and the name together
        self._quoted = re.compile(
            rf"(?<!\w)[وفبل]?(?P<anc>{anchors})\s*[«\"“]\s*(?P<q>[^«»\"“”\n]{{2,30}}?)\s*[»\"”]"
        )

    def get(self, place_id: str) -> Place | None:
        """The place with this id."""
        e = self._entries.get(place_id)
        return e.place if e else None

    def kind(self, place_id: str) -> str:
        """'base' or 'diplomatic'."""
        e = self._entries.get(place_id)
        return e.kind if e else "base"

    def hosted_until(self, place_id: str) -> date | None:
        """The day the coalition left the site, handing it over to the host state's forces (None: still there, or
        not known): an attack on it after that day is an attack on those forces."""
        e = self._entries.get(place_id)
        return e.hosted_until if e else None

    def names(self) -> list[str]:
        """Every folded name the gazetteer knows a site by, Arabic and English aliases alike."""
        return [*self._alias_to_id, *self._english]

    def ids(self) -> list[str]:
        """Every place id, in data order."""
        return list(self._entries)

    def related(self, a: str, b: str) -> bool:
        """Same site, or sites outlets conflate (Rmeilan / Kharab al-Jir, Harir / Erbil airport)."""
        if a == b:
            return True
        ea, eb = self._entries.get(a), self._entries.get(b)
        return bool(ea and b in ea.related) or bool(eb and a in eb.related)

    def within(self, a: str, b: str) -> bool:
        """Site a lies inside site b (Victory base on Baghdad airport): one attack told at both was at a."""
        e = self._entries.get(a)
        return bool(e and e.within == b)

    def find(self, text: str, gate: dict[str, list[int]] | None = None) -> list[PlaceMention]:
        """Every site named in folded `text`, exact aliases first, then fuzzy spellings after an anchor word.

        `gate` (from the word-start gate over `alternations`) limits the regexes to word starts that may match.
        """
        found: list[PlaceMention] = []
        taken: list[tuple[int, int]] = []
        names = self._regex.finditer(text) if gate is None else gated_finditer(self._regex, text, gate["@names"])
        for m in names:
            pid, weak = self._alias_to_id[_name_key(m.group("name"))]
            found.append(PlaceMention(m.start("name"), m.end("name"), pid, weak))
            taken.append((m.start(), m.end()))
        quoted = self._quoted.finditer(text) if gate is None else gated_finditer(self._quoted, text, gate["@anchors"])
        for m in quoted:
            hit_id = self._alias_to_id.get(m.group("anc") + " " + m.group("q"))
            if hit_id is not None and not any(a <= m.start("q") < b for a, b in taken):
                found.append(PlaceMention(m.start("anc"), m.end("q"), hit_id[0], hit_id[1]))
                taken.append((m.start(), m.end()))
        taken.sort()
        taken_starts = [a for a, _ in taken]
        anchored = self._anchor.finditer(text) if gate is None else gated_finditer(self._anchor, text, gate["@anchors"])
        for m in anchored:
            start = m.start("rest")
            k = bisect_right(taken_starts, start) - 1
            if k >= 0 and taken[k][0] <= start < taken[k][1]:
                continue
            rest = m.group("rest")
            hit = self._fuzzy(rest)
            if hit is not None:
                found.append(PlaceMention(start, m.end("rest"), hit, False))
        found.sort(key=lambda p: p.start)
        return found

    def _fuzzy(self, phrase: str) -> str | None:
        """A strong alias spelled a little differently (two words, then the first word alone)."""
        words = phrase.split()
        candidates = [phrase] if len(words) < 2 else [phrase, words[0]]
        for cand in candidates:
            if len(cand) < 4:
                continue
            res = process.extractOne(cand, self._strong, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            if res is not None:
                return self._alias_to_id[res[0]][0]
        return None

    def lookup(self, name: str) -> Place | None:
        """A place by id, English or Arabic name or alias, tolerant of spelling (for tools and tests)."""
        key = fold(name.strip())
        pid = self._english.get(key) or (self._alias_to_id.get(key) or (None, False))[0]
        if pid is None:
            for m in self._regex.finditer(key):
                pid = self._alias_to_id[_name_key(m.group("name"))][0]
                break
        if pid is None:
            pool = {**{k: v for k, v in self._english.items()}, **{k: v[0] for k, v in self._alias_to_id.items()}}
            res = process.extractOne(key, list(pool), scorer=fuzz.WRatio, score_cutoff=85.0)
            if res is not None:
                pid = pool[res[0]]
        return self.get(pid) if pid else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, parsed once."""
    raw = json.loads(resources.files("extractor").joinpath("data/gazetteer.json").read_text("utf-8"))
    return Gazetteer(raw)


__all__ = ["Gazetteer", "PlaceMention", "gazetteer"]
