"""The alert's "who vouches" line: the incident's status and its top attributions, in Arabic and English.

("مؤكد: البنتاغون · رويترز" / "Confirmed: Pentagon · Reuters"). Names the extractor gives in English get
their Arabic form here; an outlet's domain reads the same in both.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.alerts.i18n import claimant_name
from bot.incidents.status import Status

STATUS_NAMES: Final[dict[Status, tuple[str, str]]] = {
    Status.CLAIMED: ("ادعاء", "Claimed"),
    Status.REPORTED: ("مصدر واحد", "Reported"),
    Status.CORROBORATED: ("مصادر مستقلة متعددة", "Corroborated"),
    Status.CONFIRMED: ("مؤكد", "Confirmed"),
    Status.DISPUTED: ("نفي رسمي", "Disputed"),
}
"""Every status in (Arabic, English)."""

SOURCE_NAMES_AR: Final[dict[str, str]] = {
    "Pentagon": "البنتاغون",
    "CENTCOM": "القيادة المركزية الأمريكية",
    "Coalition": "التحالف الدولي",
    "Iraqi Security Media Cell": "خلية الإعلام الأمني",
    "Reuters": "رويترز",
    "AFP": "فرانس برس",
    "AP": "أسوشيتد برس",
    "Anadolu": "الأناضول",
    "Iraqi News Agency": "وكالة الأنباء العراقية",
    "SANA": "سانا",
    "Syrian Observatory for Human Rights": "المرصد السوري",
    "Shafaq News": "شفق نيوز",
    "Rudaw": "رووداو",
    "Kurdistan24": "كردستان 24",
    "Al-Mayadeen": "الميادين",
    "Sabereen News": "صابرين نيوز",
    "Al-Watan": "الوطن",
    "Islamic Resistance in Iraq": "المقاومة الإسلامية في العراق",
    "security sources": "مصادر أمنية",
}

TOP: Final[int] = 3
"""How many attributions the alert names; /incident lists them all."""


def _arabic(name: str) -> str:
    """A source's Arabic name: the sources above, then the claimant groups of the catalogue, else as given."""
    known = claimant_name(name)
    return SOURCE_NAMES_AR.get(name) or (known.ar if known else name)


def vouch_line(status: str, names: Sequence[str], *, ar: bool) -> str:
    """"Confirmed: Pentagon · Reuters" (at most TOP names, most authoritative first), plain text."""
    label_ar, label_en = STATUS_NAMES[Status(status)]
    shown = [_arabic(n) if ar else n for n in list(dict.fromkeys(names))[:TOP]]
    label = label_ar if ar else label_en
    return f"{label}: {' · '.join(shown)}" if shown else label


__all__ = ["SOURCE_NAMES_AR", "STATUS_NAMES", "TOP", "vouch_line"]
