"""The reader's small word lists and patterns, loaded from data/words.json (one place for vocabulary).

The lexicon (data/lexicon.json) holds the cue categories scanned over the whole article; this file holds the
lists a rule checks a word against (the words before an attack word, a verb of occurrence, ...) and the few
patterns a rule searches with. Words are written as in Arabic text and folded here. Which rule reads which
list is declared in `extractor.rules`; tests/extractor/test_vocabulary.py checks both directions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from extractor.normalize import fold

_LOADED: set[str] = set()  # names asked for so far (module constants ask at import)


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("extractor").joinpath("data/words.json").read_text("utf-8"))
    return data


def words(name: str) -> frozenset[str]:
    """The folded words of list `name`."""
    _LOADED.add(f"words:{name}")
    return frozenset(fold(w) for w in _data()["words"][name])


def pattern(name: str) -> str:
    """The folded regex source of pattern `name` (compile it where it is used)."""
    _LOADED.add(f"patterns:{name}")
    return fold(_data()["patterns"][name])


def names() -> frozenset[str]:
    """Every list and pattern the file holds, as 'words:NAME' and 'patterns:NAME'."""
    d = _data()
    return frozenset([*(f"words:{k}" for k in d["words"]), *(f"patterns:{k}" for k in d["patterns"])])


def loaded() -> frozenset[str]:
    """The names the code has asked for."""
    return frozenset(_LOADED)


__all__ = ["loaded", "names", "pattern", "words"]
