"""The alert's "who vouches" line: the incident's status and its top attributions, in Arabic and English.

("مؤكد: البنتاغون · رويترز" / "Confirmed: Pentagon · Reuters"). Names the extractor gives in English get
their Arabic form (from the catalogue, `bot.alerts.i18n`); an outlet's domain reads the same in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.alerts.i18n import SOURCE_NAMES_AR, STATUS_NAMES, claimant_name
from bot.incidents.status import Status

TOP: Final[int] = 3
"""How many attributions the alert names; /incident lists them all."""


def _arabic(name: str) -> str:
    """A source's Arabic name: the catalogue's sources, then its claimant groups, else as given."""
    known = claimant_name(name)
    return SOURCE_NAMES_AR.get(name) or (known.ar if known else name)


def vouch_line(status: str, names: Sequence[str], *, ar: bool) -> str:
    """"Confirmed: Pentagon · Reuters" (at most TOP names, most authoritative first), plain text."""
    label_ar, label_en = STATUS_NAMES[Status(status)]
    shown = [_arabic(n) if ar else n for n in list(dict.fromkeys(names))[:TOP]]
    label = label_ar if ar else label_en
    return f"{label}: {' · '.join(shown)}" if shown else label


__all__ = ["SOURCE_NAMES_AR", "STATUS_NAMES", "TOP", "vouch_line"]
