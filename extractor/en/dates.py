"""Dates in English news ("on Tuesday", "late Sunday", "Oct. 18", "March 13, 2022", "overnight"),
resolved against the publication date. Patterns run on lower-cased text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MON = (r"(?P<mon>jan(?:uary|\.)?|feb(?:ruary|\.)?|march|mar\.|april|apr\.|may|june|jun\.|july|jul\.|"
        r"aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)")
_BOUND = r"(?P<bound>since|until|till|before|after|from)\s+"
_WEEKDAY_RE = re.compile(
    rf"(?<![\w-])(?:{_BOUND})?(?P<q>(?:(?:last|this past|late|early|late on|early on|on)\s+)?)"
    rf"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![\w])"
)
_MONTH_DAY_RE = re.compile(
    rf"(?<![\w-])(?:{_BOUND})?(?:{_MON}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON.replace('mon>', 'mon2>')}"
    r"(?:,?\s+(?P<year2>(?:19|20)\d\d))?)"
    r"(?![\w])"
)
_MONTH_ONLY_RE = re.compile(
    rf"(?<![\w-])(?:(?P<bound>since|until|in|early|late|mid|last|through|by|from|during)(?:-|\s+))?"
    rf"(?:{_MON})(?:\s+(?P<year>(?:19|20)\d\d))?(?![\w])"
)
_RELATIVE_RE = re.compile(
    r"(?<![\w-])(?P<rel>the day before yesterday|yesterday|today|tonight|this morning|this evening|earlier today"
    r"|last night|overnight|late last night|early this morning|earlier this week|last week|this week)(?![\w])"
)
_DATE_WORD = re.compile(
    r"day|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|yesterday|tonight|night|morning|evening|week|overnight")
_RELATIVE_DAYS = {
    "the day before yesterday": 2, "yesterday": 1, "today": 0, "tonight": 0, "this morning": 0,
    "this evening": 0, "earlier today": 0, "last night": 1, "late last night": 1, "overnight": 0,
    "early this morning": 0,
}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in lower-cased text: its span, the day it names (None when vague), how it was written."""

    start: int
    end: int
    value: date | None
    kind: str  # "weekday", "explicit", "relative", "month" or "vague"
    bound: bool = False  # "since Oct. 17", "until Monday": the edge of a period, not an event's day

    @property
    def precise(self) -> bool:
        """A day, not a month or a week."""
        return self.value is not None and self.kind not in ("month", "vague")


def _weekday(published: date, wd: int, past: bool) -> date:
    """The latest such weekday on or before publication ('last Monday' never means publication day)."""
    delta = (published.weekday() - wd) % 7
    if past and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _complete(published: date, month: int, day: int, year: int | None) -> date | None:
    """A day and month with the year that puts it at or just before publication."""
    try:
        if year is not None:
            return date(year, month, day)
        guess = date(published.year, month, day)
        if guess > published + timedelta(days=2):
            guess = date(published.year - 1, month, day)
        return guess
    except ValueError:
        return None


def _month(token: str) -> int:
    return MONTHS[token[:3]]


def find_dates(low: str, published: date) -> list[DateMention]:
    """Every date expression in lower-cased `low`, resolved against `published`, in text order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    if not _DATE_WORD.search(low):
        return found
    for m in _MONTH_DAY_RE.finditer(low):
        mon = m.group("mon") or m.group("mon2")
        day = int(m.group("day") or m.group("day2"))
        year_s = m.group("year") or m.group("year2")
        value = _complete(published, _month(mon), day, int(year_s) if year_s else None)
        if value is None:
            continue
        found.append(DateMention(m.start(), m.end(), value, "explicit", bool(m.group("bound"))))
        taken.append((m.start(), m.end()))
    for m in _WEEKDAY_RE.finditer(low):
        if any(a <= m.start("wd") < b for a, b in taken):
            continue
        past = m.group("q").strip() in ("last", "this past")
        value = _weekday(published, WEEKDAYS[m.group("wd")], past)
        near = [d for d in found if d.kind == "explicit" and 0 <= d.start - m.end() <= 3]
        if near:
            continue  # "Sunday, March 13": the explicit day is already read
        found.append(DateMention(m.start(), m.end(), value, "weekday", bool(m.group("bound"))))
        taken.append((m.start(), m.end()))
    for m in _RELATIVE_RE.finditer(low):
        if any(a <= m.start() < b for a, b in taken):
            continue
        rel = m.group("rel")
        days = _RELATIVE_DAYS.get(rel)
        value = published - timedelta(days=days) if days is not None else None
        found.append(DateMention(m.start(), m.end(), value, "relative" if value else "vague"))
        taken.append((m.start(), m.end()))
    for m in _MONTH_ONLY_RE.finditer(low):
        if any(a <= m.start("mon") < b for a, b in taken):
            continue
        mon = m.group("mon")
        bound = m.group("bound")
        if mon == "may" and not bound and not m.group("year"):
            continue  # the verb "may"
        if mon in ("mar.", "march") and not bound and not m.group("year"):
            continue
        month = _month(mon)
        year = int(m.group("year")) if m.group("year") else (
            published.year if month <= published.month else published.year - 1)
        found.append(DateMention(m.start(), m.end(), date(year, month, 1), "month", bound in ("since", "until")))
    found.sort(key=lambda d: d.start)
    return found


__all__ = ["DateMention", "find_dates"]
