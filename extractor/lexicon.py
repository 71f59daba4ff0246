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
from extractor.prefilter import gated_finditer

_CLITICS = r"(?:[وفبلك]{0,2})(?:ال)?"


_META = re.compile(r"[\\()\[\]{}?*+|.^$]")
_SUFFIX = "\\w*"
_END = ""  # trie key marking the end of a word
_END_SUFFIX = "\x00"  # ... of a word that may take any ending (pattern 'word\w*')


def _trie_regex(node: dict[str, Any]) -> str:
    """A regex from a character trie: shared prefixes are tested once, which keeps scans fast."""
    branches: list[str] = []
    ends: list[str] = []
    for ch in sorted((k for k in node if k not in (_END, _END_SUFFIX)), key=lambda c: -_depth(node[c])):
        branches.append(re.escape(ch) + _trie_regex(node[ch]))
    if _END_SUFFIX in node:
        ends.append(r"\w*")
    if _END in node:
        ends.append("")
    alts = branches + [e for e in ends if e]
    optional = "" in ends and _END_SUFFIX not in node
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if optional else body


def _depth(node: dict[str, Any]) -> int:
    return 1 + max((_depth(v) for k, v in node.items() if k not in (_END, _END_SUFFIX)), default=0)


def _alternation(patterns: list[str]) -> str:
    """Literal words go into a trie (longest match first); entries with regex syntax stay alternatives."""
    trie: dict[str, Any] = {}
    complex_: list[str] = []
    for raw in patterns:
        p = fold_pattern(raw)
        word, end = (p[: -len(_SUFFIX)], _END_SUFFIX) if p.endswith(_SUFFIX) else (p, _END)
        if _META.search(word) or not word:
            complex_.append(p)
            continue
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[end] = True
    parts = [f"(?:{p})" for p in sorted(complex_, key=len, reverse=True)]
    if trie:
        parts.append(_trie_regex(trie))
    return "|".join(parts)


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
        starts = self._starts
        if not starts or starts[-1] < start or starts[0] >= end:
            return []  # most categories have no hit in most clauses
        i = bisect_left(starts, start)
        return self.items[i:bisect_left(starts, end, i)]

    def any_within(self, start: int, end: int) -> bool:
        """Whether a hit starts inside [start, end)."""
        starts = self._starts
        if not starts or starts[-1] < start or starts[0] >= end:
            return False
        i = bisect_left(starts, start)
        return i < len(starts) and starts[i] < end


class Lexicon:
    """The compiled cue categories."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.plain: dict[str, re.Pattern[str]] = {}
        self.alternations: dict[str, str] = {}  # key → the regex of its words, for the word-start gate
        for key in (
            "trigger_strong", "trigger_weak", "trigger_plural", "target_nouns", "coalition_markers",
            "coalition_phrases", "convoy_nouns", "convoy_markers", "diplomatic_nouns", "non_coalition_targets",
            "us_agent", "threat", "drill", "foiled_prelaunch", "background", "relative_background",
            "killed", "wounded", "person_nouns", "intercept", "impact", "uncertain",
            "claim_verbs", "claim_announce", "claim_negative", "claim_attack", "launch_verbs", "furniture",
        ):
            self.plain[key] = word_regex(list(raw[key]))
            self.alternations[key] = _alternation(list(raw[key]))
        self.no_casualties = [re.compile(rf"(?<!\w){_CLITICS}(?:{fold_pattern(p)})") for p in raw["no_casualties"]]
        self.labelled: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {}
        for key in ("weapons", "claimants", "sources", "regions", "count_nouns"):
            table: dict[str, list[str]] = raw[key]
            words: dict[str, str] = {}
            for label, alts in table.items():
                for a in alts:
                    words.setdefault(fold(a) if "\\" not in a else a, label)
            self.labelled[key] = (word_regex(list(words)), words)
            self.alternations[key] = _alternation(list(words))
        self.places_en: dict[str, str] = {fold(k): v for k, v in raw["places_en"].items()}
        self._label_cache: dict[str, dict[str, re.Pattern[str]]] = {}

    def find(self, key: str, text: str, starts: list[int] | None = None) -> Hits:
        """Every hit of a plain category in folded text (trying only `starts` when the gate gives them)."""
        rx = self.plain[key]
        ms = rx.finditer(text) if starts is None else gated_finditer(rx, text, starts)
        return Hits([Hit(m.start("w"), m.end("w"), m.group("w")) for m in ms])

    def find_labelled(self, key: str, text: str, starts: list[int] | None = None) -> Hits:
        """Every hit of a labelled category (weapons → kind, sources → canonical name, ...)."""
        rx, words = self.labelled[key]
        out: list[Hit] = []
        for m in rx.finditer(text) if starts is None else gated_finditer(rx, text, starts):
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
