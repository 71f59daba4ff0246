"""The English cue words (data/lexicon_en.json), compiled once into word-bounded regexes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def _alt(words: list[str], joined: bool = False) -> re.Pattern[str]:
    """One word-bounded alternation, longest fragment first so 'ballistic missiles' wins over 'missiles'.
    A hyphen before a word ends it only for `joined` lists ("multi-rocket" is a rocket, "U.S.-led" is not "led")."""
    body = "|".join(sorted(words, key=len, reverse=True))
    before = r"(?<![\w])" if joined else r"(?<![\w-])"
    return re.compile(rf"{before}(?:{body})(?![\w])")


@dataclass(frozen=True)
class Lexicon:
    """Compiled cue lists; `named` maps a canonical name (weapon, claimant, source, country) to its regex."""

    simple: dict[str, re.Pattern[str]]
    named: dict[str, dict[str, re.Pattern[str]]]
    joint: dict[str, tuple[re.Pattern[str], list[str]]]

    def __getitem__(self, key: str) -> re.Pattern[str]:
        return self.simple[key]

    def names(self, key: str, text: str) -> list[str]:
        """The canonical names of a `named` list found in `text`, in order of first appearance (one scan)."""
        rx, labels = self.joint[key]
        out: list[str] = []
        for m in rx.finditer(text):
            name = labels[int((m.lastgroup or "g0")[1:])]
            if name not in out:
                out.append(name)
        return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged English lexicon, compiled once per process."""
    raw = json.loads(resources.files("extractor").joinpath("data/lexicon_en.json").read_text("utf-8"))
    simple: dict[str, re.Pattern[str]] = {}
    named: dict[str, dict[str, re.Pattern[str]]] = {}
    joint: dict[str, tuple[re.Pattern[str], list[str]]] = {}
    for key, value in raw.items():
        if key.startswith("_"):
            continue
        if isinstance(value, dict):
            joined = key in ("weapons", "claimants", "sources")
            named[key] = {name: _alt(words, joined) for name, words in value.items()}
            labels = list(value)
            before = r"(?<![\w])" if joined else r"(?<![\w-])"
            body = "|".join(
                f"(?P<g{i}>" + "|".join(sorted(value[name], key=len, reverse=True)) + ")"
                for i, name in enumerate(labels)
            )
            joint[key] = (re.compile(rf"{before}(?:{body})(?![\w])"), labels)
        else:
            simple[key] = _alt(value)
    return Lexicon(simple, named, joint)


__all__ = ["Lexicon", "lexicon"]
