"""The time of day of an attack as the article gives it ("مساء الأحد", "late Sunday", "around 11 p.m.").

Pure: evidence sentences in, one phrase per language out, or None when the article says nothing
about the hour. A clock time beats a part of the day; among parts of the day the first named wins.
The phrase is shown as the article's own wording would be understood, never turned into a precise
hour it did not give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.alerts.i18n import Name

DEFAULT_TZ: Final = "Asia/Baghdad"
"""Where the attacks happen (UTC+3 all year): the time zone of a chat that chose none."""

_DAY_AR: Final = r"(?:اليوم|أمس|امس|يوم|ال(?:أحد|احد|اثنين|إثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة|سبت))"
_DAYS_EN: Final = r"(?:sunday|monday|tuesday|wednesday|thursday|friday|saturday|today|yesterday)"

_CLOCK_AR: Final = re.compile(
    r"الساعة\s+(\d{1,2})(?:[:.](\d{2}))?\s*"
    r"(صباحاً|صباحا|مساءً|مساء|فجراً|فجرا|ليلاً|ليلا|ظهراً|ظهرا)?"
)
_CLOCK_EN: Final = re.compile(r"(?i)\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?")

_PARTS: Final = (
    (re.compile(r"منتصف الليل|(?i:\bmidnight\b)"), Name("قرابة منتصف الليل", "around midnight")),
    (re.compile(rf"فجر\s+{_DAY_AR}|فجراً|فجرا|(?i:\bat dawn\b|\bdawn\b)"), Name("فجراً", "at dawn")),
    (re.compile(rf"صباح\s+{_DAY_AR}|صباحاً|صباحا|(?i:\bin the morning\b|\bmorning\b)"),
     Name("صباحاً", "in the morning")),
    (re.compile(rf"(?:ظهر|ظهيرة)\s+{_DAY_AR}|ظهراً|ظهرا|(?i:\bmidday\b|\bnoon\b)"), Name("ظهراً", "around noon")),
    (re.compile(rf"عصر\s+{_DAY_AR}|عصراً|عصرا|(?i:\bin the afternoon\b|\bafternoon\b)"),
     Name("عصراً", "in the afternoon")),
    (re.compile(rf"مساء\s+{_DAY_AR}|مساءً|مساء|(?i:\bin the evening\b|\bevening\b)"),
     Name("مساءً", "in the evening")),
    (re.compile(rf"(?i:\blate\s+(?:on\s+)?{_DAYS_EN}\b|\blate at night\b|\blate night\b)"),
     Name("في ساعة متأخرة", "late in the day")),
    (re.compile(rf"(?i:\bearly\s+(?:on\s+)?{_DAYS_EN}\b|\bearly hours\b)"),
     Name("في الساعات الأولى من اليوم", "early in the day")),
    (re.compile(rf"ليلة\s+{_DAY_AR}|ليلاً|ليلا|خلال الليل|(?i:\bovernight\b|\bat night\b|\bnight\b)"),
     Name("ليلاً", "at night")),
)

_PM_AR: Final = ("مساء", "ليل", "ظهر")


def _clock(hour: int, minute: str | None, pm: bool | None) -> Name | None:
    if not 0 <= hour <= 23 or (minute is not None and int(minute) > 59):
        return None
    mm = f":{minute}" if minute and minute != "00" else ""
    if pm is None:
        return Name(f"نحو الساعة {hour}{mm}", f"around {hour}{mm or ':00'}")
    h12 = hour % 12 or 12
    return Name(f"نحو الساعة {h12}{mm} {'مساءً' if pm else 'صباحاً'}", f"around {h12}{mm} {'p.m.' if pm else 'a.m.'}")


def time_of_day(sentences: Sequence[str]) -> Name | None:
    """The attack's time of day as the evidence sentences give it; None when they do not."""
    text = " ".join(sentences)
    m = _CLOCK_AR.search(text)
    if m:
        qualifier = m.group(3)
        pm = None if qualifier is None else qualifier.startswith(_PM_AR)
        found = _clock(int(m.group(1)), m.group(2), pm)
        if found:
            return found
    m = _CLOCK_EN.search(text)
    if m:
        found = _clock(int(m.group(1)), m.group(2), m.group(3).lower() == "p")
        if found:
            return found
    best: tuple[int, Name] | None = None
    for pattern, name in _PARTS:
        hit = pattern.search(text)
        if hit and (best is None or hit.start() < best[0]):
            best = (hit.start(), name)
    return best[1] if best else None


def local_clock(moment: datetime, tz: str = DEFAULT_TZ) -> str:
    """"21 Apr 14:05"-style digits of a moment in a time zone (naive moments are UTC)."""
    zone = ZoneInfo(tz)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).strftime("%H:%M")


TZ_NAMES: Final = {
    "Asia/Baghdad": Name("بتوقيت بغداد", "Baghdad time"),
    "Asia/Damascus": Name("بتوقيت دمشق", "Damascus time"),
    "Asia/Amman": Name("بتوقيت عمّان", "Amman time"),
    "UTC": Name("بالتوقيت العالمي", "UTC"),
    "Europe/London": Name("بتوقيت لندن", "London time"),
    "America/New_York": Name("بتوقيت نيويورك", "New York time"),
}
"""The time zones a chat can choose, named as an alert says them."""
