"""Sites named in English text: the gazetteer's English aliases (aliases_en) and town names (weak_en).

Spellings vary in hyphens and spaces ("al-Asad", "al Asad", "Al Asad"): aliases and text are both read
with hyphens as spaces (same length, so offsets hold); text is lower-cased with straight apostrophes first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A site named in the text."""

    start: int
    end: int
    place_id: str
    weak: bool


class EnglishPlaces:
    """One alternation over every English alias of the gazetteer, longest first."""

    def __init__(self, raw: dict[str, object]) -> None:
        places = raw["places"]
        assert isinstance(places, list)
        self._ids: dict[str, tuple[str, bool]] = {}
        for item in places:
            for alias in item.get("aliases_en", []):
                self._ids.setdefault(_key(alias), (item["id"], False))
        for item in places:  # a town's name is weak even where it is also listed as an alias ("Hasakah")
            for alias in item.get("weak_en", []):
                self._ids[_key(alias)] = (item["id"], True)
        names = sorted(self._ids, key=len, reverse=True)
        # Matched on text whose hyphens are spaces, so "al-Asad", "al Asad" and "alasad"-free spellings meet.
        self._al_names = [n for n in names if n.startswith("al ") and not self._ids[n][1] and len(n) >= 7]
        self._regex = re.compile(r"(?<![\w])(?:" + _trie(names) + r")(?![\w])")

    def find(self, low: str) -> list[PlaceMention]:
        """Every site named in lower-cased `low`, in text order: listed spellings, then an "al-" name spelled
        a little differently from a listed one ("al-Shadaddi" for al-Shaddadi)."""
        flat = _SEPARATORS.sub(" ", low)
        out: list[PlaceMention] = []
        for m in self._regex.finditer(flat):
            if _PERSON_BEFORE.search(flat, max(0, m.start() - 12), m.start()):
                continue  # Bashar al-Assad, a person
            if _COMPOUND_AFTER.match(low, m.end()):
                continue  # "Erbil-based", "the Tanf-FSA": the name qualifies another noun, an outlet or a group
            pid, weak = self._ids[m.group(0)]
            out.append(PlaceMention(m.start(), m.end(), pid, weak))
        taken = [(p.start, p.end) for p in out]
        for m in _AL_NAME.finditer(flat):
            if any(a < m.end() and m.start() < b for a, b in taken) or _PERSON_BEFORE.search(
                    flat, max(0, m.start() - 12), m.start()) or m.group(0) == "al assad":
                continue
            hit = process.extractOne(m.group(0), self._al_names, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            if hit is not None:
                pid, weak = self._ids[hit[0]]
                out.append(PlaceMention(m.start(), m.end(), pid, weak))
        out.sort(key=lambda p: p.start)
        return out


_SEPARATORS = re.compile(r"[-\s]")
_COMPOUND_AFTER = re.compile(r"-[a-z]")
_AL_NAME = re.compile(r"(?<![\w])al [a-z']{4,}(?![\w])")
_FUZZY_CUTOFF = 88.0
_PERSON_BEFORE = re.compile(r"(?:bashar|hafez|maher|president|asma) $")


def _trie(words: list[str]) -> str:
    """One regex alternation of `words` nested by common prefixes: the same matches, longest first, but each
    position of the text tries a handful of branches instead of every alias."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(tree)


def _key(alias: str) -> str:
    return re.sub(r"[-\s]+", " ", alias.lower().strip())


@lru_cache(maxsize=1)
def english_places() -> EnglishPlaces:
    """The packaged gazetteer's English names, compiled once."""
    raw = json.loads(resources.files("extractor").joinpath("data/gazetteer.json").read_text("utf-8"))
    return EnglishPlaces(raw)


__all__ = ["EnglishPlaces", "PlaceMention", "english_places"]
