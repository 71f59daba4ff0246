"""A gold label's base name to a gazetteer id, by identity: the English name, English aliases, id, or an
Arabic name or alias, compared folded. No fuzzy guessing: a misspelt label must be reported, not resolved
to whichever base happens to be nearest.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from extractor.normalize import fold

_FRAME = re.compile(r"^(?:the\s+)?(.*?)(?:\s+(?:air\s*base|airbase|base|military base))?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    raw = json.loads(resources.files("extractor").joinpath("data/gazetteer.json").read_text("utf-8"))
    names: dict[str, str] = {}
    for item in raw["places"]:
        pid = str(item["id"])
        strong = [pid, item["name_en"], item["name_ar"], *item.get("aliases_en", []), *item.get("aliases", [])]
        for alias in strong:
            names.setdefault(_key(str(alias)), pid)
        for alias in item.get("weak", []):  # towns and provinces: only when no site is called so
            names.setdefault(_key(str(alias)), pid)
    return names


def _key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").replace("'", "").replace("\u2019", "").split())


def resolve_base(name: str) -> str | None:
    """The gazetteer id of a base named in a gold label, or None when the gazetteer does not know it."""
    names = _names()
    key = _key(name)
    if key in names:
        return names[key]
    m = _FRAME.match(key)
    stripped = m.group(1) if m else key
    return names.get(stripped)
