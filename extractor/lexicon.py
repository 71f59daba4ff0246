"""Cue words for the Arabic reader, loaded from data/lexicon.json and compiled once.

Each list becomes one alternation run over the whole folded article, so a category costs one pass
however many words it holds. Words may carry the clitics و، ف، ب، ل، ك in front.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from extractor.normalize import fold, fold_pattern

_CLITICS = r"(?:[وفبلك]{0,2})(?:ال)?"


def _alternation(patterns: list[str]) -> str:
    """Longest first, so 'قذائف صاروخية' wins over 'قذائف'."""
    return "|".join(f"(?:{fold_pattern(p)})" for p in sorted(patterns, key=len, reverse=True))


def word_regex(patterns: list[str], clitics: bool = True) -> re.Pattern[str]:
    """One regex matching any of `patterns` as whole words (optionally after clitics)."""
    pre = _CLITICS if clitics else ""
    return re.compile(rf"(?<!\w){pre}(?P<w>{_alternation(patterns)})(?!\w)")


@dataclass(frozen=True, slots=True)
class Hit:
    """A cue found in folded text: its span, the matched word, and a label (weapon kind, canonical name)."""

    start: int
    end: int
    word: str
    label: str = ""


class Hits:
    """The hits of one category in one article, sorted, with range queries."""

    __slots__ = ("_starts", "items")

    def __init__(self, items: list[Hit]) -> None:
        self.items = sorted(items, key=lambda h: h.start)
        self._starts = [h.start for h in self.items]

    def within(self, start: int, end: int) -> list[Hit]:
        """Hits that start inside [start, end)."""
        i = bisect_left(self._starts, start)
        j = bisect_left(self._starts, end)
        return self.items[i:j]

    def any_within(self, start: int, end: int) -> bool:
        """Whether a hit starts inside [start, end)."""
        i = bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end


class Lexicon:
    """The compiled cue categories."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.plain: dict[str, re.Pattern[str]] = {}
        for key in (
            "trigger_strong", "trigger_weak", "trigger_plural", "target_nouns", "coalition_markers",
            "coalition_phrases", "convoy_nouns", "convoy_markers", "diplomatic_nouns", "non_coalition_targets",
            "us_agent", "threat", "foiled_prelaunch", "negation", "background", "relative_background",
            "pluperfect", "killed", "wounded", "person_nouns", "intercept", "impact", "uncertain",
            "claim_verbs", "claim_announce", "claim_negative", "claim_attack", "launch_verbs", "furniture",
        ):
            self.plain[key] = word_regex(list(raw[key]))
        self.no_casualties = [re.compile(rf"(?<!\w){_CLITICS}(?:{fold_pattern(p)})") for p in raw["no_casualties"]]
        self.labelled: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {}
        for key in ("weapons", "claimants", "sources", "regions", "count_nouns"):
            table: dict[str, list[str]] = raw[key]
            words: dict[str, str] = {}
            for label, alts in table.items():
                for a in alts:
                    words.setdefault(fold(a) if "\\" not in a else a, label)
            self.labelled[key] = (word_regex(list(words)), words)
        self.places_en: dict[str, str] = {fold(k): v for k, v in raw["places_en"].items()}
        self._label_cache: dict[str, dict[str, re.Pattern[str]]] = {}

    def find(self, key: str, text: str) -> Hits:
        """Every hit of a plain category in folded text."""
        rx = self.plain[key]
        return Hits([Hit(m.start("w"), m.end("w"), m.group("w")) for m in rx.finditer(text)])

    def find_labelled(self, key: str, text: str) -> Hits:
        """Every hit of a labelled category (weapons → kind, sources → canonical name, ...)."""
        rx, words = self.labelled[key]
        out: list[Hit] = []
        for m in rx.finditer(text):
            w = m.group("w")
            label = words.get(w)
            if label is None:
                label = self._label_of(key, w)
            out.append(Hit(m.start("w"), m.end("w"), w, label))
        return Hits(out)

    def _label_of(self, key: str, word: str) -> str:
        """The label of a word matched by a pattern entry (one with regex syntax)."""
        cache = self._label_cache.setdefault(key, {})
        if not cache:
            _, words = self.labelled[key]
            for _pat, label in words.items():
                cache.setdefault(label, re.compile(_alternation([p for p, lb in words.items() if lb == label])))
        for label, rx in cache.items():
            if rx.fullmatch(word):
                return label
        return ""


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, parsed and compiled once."""
    raw = json.loads(resources.files("extractor").joinpath("data/lexicon.json").read_text("utf-8"))
    return Lexicon(raw)


__all__ = ["Hit", "Hits", "Lexicon", "lexicon", "word_regex"]
