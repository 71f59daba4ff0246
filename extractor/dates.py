"""Dates in Arabic news, resolved against the article's publication date.

News gives the day of an attack as a weekday (فجر الأربعاء، ليلة الاثنين), a relative word (أمس، اليوم),
an explicit day and month in either month-name system (22 نيسان، 4 يناير، كانون الثاني/يناير), or only a
month (مطلع شباط الماضي) when it speaks of the past. All patterns run on folded text (see normalize).
dateparser reads Levantine months but not the paired form and costs milliseconds per call, so the few
forms news uses are matched here directly.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from extractor.normalize import fold
from extractor.normalize import fold_pattern as _f
from extractor.numbers import ORDINALS
from extractor.prefilter import gated_finditer

WEEKDAYS: dict[str, int] = {
    fold("الاثنين"): 0,
    fold("الثلاثاء"): 1,
    fold("الثلثاء"): 1,  # the older spelling some outlets keep
    fold("الأربعاء"): 2,
    fold("الخميس"): 3,
    fold("الجمعة"): 4,
    fold("السبت"): 5,
    fold("الأحد"): 6,
}

MONTHS: dict[str, int] = {
    fold(k): v
    for k, v in {
        "كانون الثاني": 1, "يناير": 1, "جانفي": 1,
        "شباط": 2, "فبراير": 2, "فيفري": 2,
        "آذار": 3, "مارس": 3,
        "نيسان": 4, "أبريل": 4, "إبريل": 4, "ابريل": 4, "أفريل": 4,
        "أيار": 5, "مايو": 5,
        "حزيران": 6, "يونيو": 6, "يونيه": 6, "جوان": 6,
        "تموز": 7, "يوليو": 7, "يوليه": 7, "جويلية": 7,
        "آب": 8, "أغسطس": 8, "اغسطس": 8, "أوت": 8,
        "أيلول": 9, "سبتمبر": 9,
        "تشرين الأول": 10, "أكتوبر": 10,
        "تشرين الثاني": 11, "نوفمبر": 11,
        "كانون الأول": 12, "ديسمبر": 12,
    }.items()
}


def _alt(words: list[str]) -> str:
    """A regex alternation, longest first so 'تشرين الاول' wins over shorter prefixes."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_WD = _alt(list(WEEKDAYS))
_MON = _alt(list(MONTHS))
_B = r"(?<![\w])"  # start of a word (folded text has no diacritics inside words)
_E = r"(?![\w])"
_PFX = r"(?:[وبل]|وب|ول)?"
# (a hyphen may follow the part: "ليل- الخميس الجمعة")
_PART = _f(r"(?:(?:يوم|فجر|صباح|ظهر|ظهيرة|عصر|مساء|ليلة|ليل|منتصف ليل|منتصف ليلة|امس|أمس)(?:\s*[-–]\s*|\s+))")
_MONTH_EXPR = rf"(?P<mon>{_MON})(?:\s*[/(\-–—]\s*(?P<mon2>{_MON})\s*\)?)?"  # "حزيران/يونيو", "حزيران – يونيو"
_YEAR = r"(?:\s+(?:" + _f("عام|سنة|العام") + r")?\s*(?P<year>(?:19|20)\d\d))?"
_PAST = _f(r"(?:\s+(?P<past>الماضي|المنصرم|الفائت))?")

# "ليلة الاثنين على الثلاثاء", "ليل الجمعة السبت", "ليلة السبت/الأحد", "ليل الأحد – الاثنين": the night between two
# days (the separator is kept to tell a pair of consecutive days from two days named one after the other).
_WEEKDAY_RE = re.compile(
    rf"{_B}{_PFX}(?P<parts>{_PART}{{0,3}})(?P<wd>{_WD}){_E}"
    rf"(?:(?P<sep>\s+(?:{_f('على|إلى|الى')})\s+|\s*[/\-–—]\s*|\s+)(?P<wd2>{_WD}){_E})?{_PAST}"
)
_NIGHT_OF = fold("ليل")  # "ليل السبت": Saturday night (the night of Saturday), not "ليلة السبت", the eve of Saturday
_EVE = fold("ليلة")
_MIDNIGHT = fold("منتصف")
_RELATIVE_RE = re.compile(
    _B
    + _PFX
    + _f(
        r"(?P<rel>أول من أمس|أول أمس|أمس الأول|البارحة|ليلة أمس|ليل أمس|مساء أمس|صباح أمس|فجر أمس|أمس"
        r"|صباح هذا اليوم|هذا اليوم|فجر اليوم|صباح اليوم|ظهر اليوم|عصر اليوم|مساء اليوم|اليوم|الليلة الماضية)"
    )
    + _E
    + _f(r"(?!\s+(?:نفسه|ذاته|التالي|السابق|الثاني|الأول))")
)
# "قبل يومين" or "منذ يومين" (two days ago), "قبل ثلاثة أيام": a count of days back from publication. Not "قبل يومين من
# الهجوم" (two days before another event), nor the vague "قبل أيام" (a background cue of the lexicon).
_AGO_RE = re.compile(
    _B
    + _PFX
    + _f(r"(?:(?P<before>قبل)|منذ)\s+(?:نحو\s+|حوالي\s+)?"
         r"(?P<n>يوم|يومين|(?P<k>ثلاثة|ثلاث|أربعة|أربع|خمسة|خمس|ستة|ست|[2-6])\s+أيام|أسبوع)")
    + _E
    + _f(r"(?(before)(?!\s+(?:من|على|فقط)))")
)
_AGO_DAYS = {fold(k): v for k, v in {
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6}.items()}
# "بعد أقل من 48 ساعة على تعرض القاعدة للاستهداف": the event after "على" lies that many whole days back (a span of
# hours under a day is the same day, and gives no date).
_HOURS_BEFORE_RE = re.compile(
    _B + _PFX + _f(r"(?:بعد|عقب)\s+(?:(?:نحو|حوالي|حوالى|قرابة|أقل من|أكثر من|ما يقرب من)\s+)?(?P<h>\d+)\s+ساعة"
                   r"\s+(?:من|على)") + _E
)
_DAY_WORD = _alt(list(ORDINALS))
_ART_DIGIT = _f(r"(?:ال(?=\d))?")  # "في الـ17 من الشهر الجاري": the article joined to the day's figures
_EXPLICIT_RE = re.compile(
    rf"{_B}{_PFX}{_ART_DIGIT}(?P<day>\d{{1,2}}|(?:{_DAY_WORD})(?:\s+{_f('عشر')})?(?:\s+(?:{_f('والعشرين|والثلاثين')}))?)"
    rf"\s*(?:{_f('من')}\s+)?(?:{_f('شهر')}\s+)?{_MONTH_EXPR}{_E}{_PAST}{_YEAR}"
)
_MONTH_ONLY_RE = re.compile(
    rf"{_B}{_PFX}(?P<q>{_f('مطلع|أوائل|بداية|مستهل|منتصف|أواسط|أواخر|نهاية|آخر|خلال|في|منذ|شهر')})"
    rf"\s+(?:{_f('شهر')}\s+)?{_MONTH_EXPR}{_E}{_PAST}{_YEAR}"
)
_MONTH_BARE_RE = re.compile(
    rf"{_B}{_PFX}{_MONTH_EXPR}{_E}(?:\s+(?P<past>{_f('الماضي|المنصرم|الفائت')})|\s+(?P<year>(?:19|20)\d\d))"
)
_SAME_MONTH_RE = re.compile(
    rf"{_B}{_PFX}{_ART_DIGIT}(?P<day>\d{{1,2}}|(?:{_DAY_WORD})(?:\s+{_f('عشر')})?(?:\s+(?:{_f('والعشرين|والثلاثين')}))?)"
    rf"\s+{_f('من')}\s+(?:{_f('الشهر ذاته|الشهر نفسه|ذات الشهر|نفس الشهر|الشهر الجاري|الشهر الحالي|هذا الشهر')}){_E}"
)
_LAST_MONTH_RE = re.compile(
    rf"{_B}{_PFX}(?:(?P<q>{_f('مطلع|أوائل|بداية|مستهل|منتصف|أواسط|أواخر|نهاية|آخر|خلال|في|منذ')})\s+)?"
    rf"{_f('الشهر')}\s+(?:{_f('الماضي|المنصرم|الفائت|السابق')}){_E}"
)
# "بتاريخ 2024/1/20", "في 20/1/2024": a day written in figures, year first or last (day before month).
_NUMERIC_RE = re.compile(
    rf"{_B}(?:(?P<y1>(?:19|20)\d\d)(?P<s1>[/.-])(?P<m1>\d{{1,2}})(?P=s1)(?P<d1>\d{{1,2}})"
    rf"|(?P<d2>\d{{1,2}})(?P<s2>[/.-])(?P<m2>\d{{1,2}})(?P=s2)(?P<y2>(?:19|20)\d\d)){_E}(?![/.-]\d)"
)
# "في مثل هذا اليوم من عام 2020", "في مثل هذا اليوم من العام الماضي": this day and month in a past year, the way an
# anniversary is told; the "اليوم" inside it is not today.
_ANNIVERSARY_RE = re.compile(
    _B + _f(r"مثل\s+(?:هذا|ذلك)\s+اليوم\s+(?:من\s+)?(?:(?:عام|سنة|العام)\s*(?P<year>(?:19|20)\d\d)"
            r"|(?P<last>العام الماضي|العام المنصرم|السنة الماضية))") + _E
)
_TODAY = fold("اليوم")
_MASTHEAD_BEFORE = re.compile(r"(?:[(«\"]|(?<!\w)ل\s*\(?)\s*\w+\s+$")
_NEGATED_BEFORE = re.compile(_f(r"(?:منذ|حتى|لغاية|قبل)\s*$"))

_QUARTER_DAY = {fold(k): v for k, v in {
    "مطلع": 3, "أوائل": 5, "بداية": 3, "مستهل": 3, "منتصف": 15, "أواسط": 15, "أواخر": 26, "نهاية": 28,
    "آخر": 28,
}.items()}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in folded text: its span, resolved day, and how it was written."""

    start: int
    end: int
    value: date
    kind: str  # "weekday", "relative", "explicit" or "month"
    since: bool = False  # preceded by منذ/حتى: a bound of a period, not the day of an event
    night: bool = False  # a night named by its day ("ليل السبت") or by the two days it joins ("ليل الجمعة السبت")
    anniversary: bool = False  # "في مثل هذا اليوم من عام 2020": the event an anniversary recalls

    @property
    def precise(self) -> bool:
        """A day, not just a month."""
        return self.kind != "month"


def _weekday_date(published: date, wd: int, past: bool) -> date:
    """The most recent such weekday on or before publication ('الماضي' excludes publication day)."""
    delta = (published.weekday() - wd) % 7
    if past and delta == 0:
        delta = 7
    return published - timedelta(days=delta)


def _infer_year(published: date, month: int, day: int, year: int | None, past: bool) -> date | None:
    """Complete a day and month with the year that puts it at or just before publication."""
    try:
        if year is not None:
            return date(year, month, day)
        guess = date(published.year, month, day)
        if guess > published + timedelta(days=2) or (past and month >= published.month and guess > published):
            guess = date(published.year - 1, month, day)
        return guess
    except ValueError:
        return None


def _day_value(text: str) -> int | None:
    """'22' → 22; 'التاسع' → 9; 'الحادي عشر' → 11; 'الخامس والعشرين' → 25."""
    if text.isdecimal():
        return int(text)
    parts = text.split()
    value = ORDINALS.get(parts[0])
    if value is None:
        return None
    for p in parts[1:]:
        if p == fold("عشر"):
            value += 10
        elif p == fold("والعشرين"):
            value += 20
        elif p == fold("والثلاثين"):
            value += 30
    return value


def _weekday_mentions(m: re.Match[str], text: str, published: date) -> list[DateMention]:
    """A weekday, with the part of the day before it; a night between two days is dated by the first.

    ليلة الاثنين (the eve of Monday) is Sunday night, but ليل الاثنين (the night of Monday) is Monday night;
    منتصف ليل السبت, the midnight that opens Saturday, is Saturday. A night joining two days in a row
    ("ليل الجمعة السبت", "ليلة السبت/الأحد") is the first day's night, and its midnight opens the second day.
    """
    parts = m.group("parts") or ""
    wd, wd2, sep = WEEKDAYS[m.group("wd")], m.group("wd2"), m.group("sep") or ""
    past = bool(m.group("past"))
    since = _since(text, m.start())
    value = _weekday_date(published, wd, past)
    night = _NIGHT_OF in parts
    if wd2 is None:
        if _EVE in parts and _MIDNIGHT not in parts:
            value -= timedelta(days=1)
        return [DateMention(m.start(), m.end(), value, "weekday", since, night)]
    linked = sep.strip() != ""  # "على", "/" or a dash
    if WEEKDAYS[wd2] == (wd + 1) % 7 and (linked or night):
        if _MIDNIGHT in parts:
            value += timedelta(days=1)
        return [DateMention(m.start(), m.end(), value, "weekday", since, night or linked)]
    if linked and sep.strip() not in "/-–—":
        return [DateMention(m.start(), m.end(), value, "weekday", since, night)]  # "ليلة الاثنين على الأربعاء"
    # two days named one after the other, not a night between them: each is its own day
    first_end = m.start("sep")
    if _EVE in parts and _MIDNIGHT not in parts:
        value -= timedelta(days=1)
    second = _weekday_date(published, WEEKDAYS[wd2], past)
    return [DateMention(m.start(), first_end, value, "weekday", since, night),
            DateMention(m.start("wd2"), m.end(), second, "weekday", _since(text, m.start("wd2")))]


def _since(text: str, start: int) -> bool:
    return _NEGATED_BEFORE.search(text[max(0, start - 8):start]) is not None


# The scanning regexes, by the key the word-start gate knows them by (each matches only at a word start).
PATTERNS: dict[str, re.Pattern[str]] = {
    "@date_weekday": _WEEKDAY_RE, "@date_relative": _RELATIVE_RE, "@date_explicit": _EXPLICIT_RE,
    "@date_ago": _AGO_RE, "@date_month_only": _MONTH_ONLY_RE, "@date_month_bare": _MONTH_BARE_RE,
    "@date_same_month": _SAME_MONTH_RE, "@date_last_month": _LAST_MONTH_RE, "@date_numeric": _NUMERIC_RE,
    "@date_anniversary": _ANNIVERSARY_RE, "@date_hours_before": _HOURS_BEFORE_RE,
}


def _matches(key: str, text: str, gate: dict[str, list[int]] | None) -> Iterable[re.Match[str]]:
    rx = PATTERNS[key]
    return rx.finditer(text) if gate is None else gated_finditer(rx, text, gate[key])


def find_dates(text: str, published: date, gate: dict[str, list[int]] | None = None) -> list[DateMention]:
    """Every date expression in folded `text`, resolved against `published`, in text order.

    A weekday written next to an explicit day that disagrees with it (outlets get one of them wrong)
    keeps the weekday's reading when the two are within three days, since the weekday is what reporters
    copy from the wire; the explicit day wins when they are far apart.
    """
    found: list[DateMention] = []
    for m in _matches("@date_anniversary", text, gate):
        back = int(m.group("year")) if m.group("year") else published.year - 1
        try:
            value = published.replace(year=back)
        except ValueError:  # 29 February
            value = date(back, 2, 28)
        if value < published:
            found.append(DateMention(m.start(), m.end(), value, "explicit", anniversary=True))
    anniversaries = [(d.start, d.end) for d in found]  # the only mentions found so far
    for m in _matches("@date_weekday", text, gate):
        found.extend(_weekday_mentions(m, text, published))
    weekday_starts = [d.start for d in found]
    for m in _matches("@date_relative", text, gate):
        rel = m.group("rel")
        if rel == _TODAY and _MASTHEAD_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue  # "(بغداد اليوم)", "لـ بغداد اليوم": an outlet's name, not a day
        if any(a <= m.start() < b for a, b in anniversaries):
            continue  # "في مثل هذا اليوم من عام 2020": the day of a past year, not today
        k = bisect_left(weekday_starts, m.start() - 40)
        near = found[k:k + 4]
        if any(d.start <= m.end() + 2 and m.end() <= d.start + 2 for d in near):
            continue  # "أمس الأحد": the weekday already says it
        if any(d.start <= m.start() < d.end for d in near):
            continue
        if rel.startswith(fold("أول")) or rel == fold("أمس الأول"):
            delta = 2
        elif fold("أمس") in rel or rel in (fold("البارحة"), fold("الليلة الماضية")):
            delta = 1
        else:
            delta = 0
        night = _NIGHT_OF in rel  # ليلة أمس، ليل أمس، الليلة الماضية
        found.append(DateMention(m.start(), m.end(), published - timedelta(days=delta), "relative",
                                 _since(text, m.start()), night))
    for m in _matches("@date_hours_before", text, gate):
        if int(m.group("h")) >= 24:
            found.append(DateMention(m.start(), m.end(), published - timedelta(days=int(m.group("h")) // 24),
                                     "relative"))
    for m in _matches("@date_ago", text, gate):
        unit, many = str(m.group("n")), str(m.group("k") or "")
        days = 1 if unit == fold("يوم") else 2 if unit == fold("يومين") else 7 if unit == fold("أسبوع") else (
            int(many) if many.isdecimal() else _AGO_DAYS[many])
        found.append(DateMention(m.start(), m.end(), published - timedelta(days=days), "relative"))
    found.sort(key=lambda d: d.start)
    starts = [d.start for d in found]
    explicit_found: list[DateMention] = []
    for m in _matches("@date_explicit", text, gate):
        day = _day_value(m.group("day"))
        if day is None or not 1 <= day <= 31:
            continue
        year = int(m.group("year")) if m.group("year") else None
        exact = _infer_year(published, MONTHS[m.group("mon")], day, year, bool(m.group("past")))
        if exact is None:
            continue
        mention = DateMention(m.start(), m.end(), exact, "explicit", _since(text, m.start()))
        merged = _reconcile(found, starts, mention, text)
        if merged is None:
            explicit_found.append(mention)
        else:
            found[merged[0]] = merged[1]
    for m in _matches("@date_numeric", text, gate):
        y, mo, d = (m.group("y1"), m.group("m1"), m.group("d1")) if m.group("y1") else (
            m.group("y2"), m.group("m2"), m.group("d2"))
        try:
            exact = date(int(y), int(mo), int(d))
        except ValueError:
            continue
        mention = DateMention(m.start(), m.end(), exact, "explicit", _since(text, m.start()))
        merged = _reconcile(found, starts, mention, text)
        if merged is None:
            explicit_found.append(mention)
        else:
            found[merged[0]] = merged[1]
    found.extend(explicit_found)
    month_spans = [(d.start, d.end) for d in found]
    for key in ("@date_month_only", "@date_month_bare"):
        for m in _matches(key, text, gate):
            if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in month_spans):
                continue
            groups = m.groupdict()
            q = groups.get("q") or ""
            day = _QUARTER_DAY.get(q, 15)
            year_s = groups.get("year")
            approx = _infer_year(published, MONTHS[m.group("mon")], day, int(year_s) if year_s else None,
                                 bool(groups.get("past")))
            if approx is None:
                continue
            since = q == fold("منذ") or _since(text, m.start())
            found.append(DateMention(m.start(), m.end(), approx, "month", since))
            month_spans.append((m.start(), m.end()))
    # "أواخر الشهر الماضي": a part of the month before publication's.
    for m in _matches("@date_last_month", text, gate):
        q = m.group("q") or ""
        prev = published.replace(day=1) - timedelta(days=1)
        approx = prev.replace(day=min(_QUARTER_DAY.get(q, 15), prev.day))
        found.append(DateMention(m.start(), m.end(), approx, "month", q == fold("منذ") or _since(text, m.start())))
    found.sort(key=lambda d: d.start)
    # "في الثامن من الشهر ذاته": the month of the last month named before it (else publication's month).
    extra: list[DateMention] = []
    for m in _matches("@date_same_month", text, gate):
        day = _day_value(m.group("day"))
        if day is None:
            continue
        prior = [d for d in found if d.start < m.start() and d.kind in ("explicit", "month")]
        ref = prior[-1].value if prior else published
        try:
            value = date(ref.year, ref.month, day)
        except ValueError:
            continue
        extra.append(DateMention(m.start(), m.end(), value, "explicit", _since(text, m.start())))
    if extra:
        found = sorted([*found, *extra], key=lambda d: d.start)
    return found


def _reconcile(
    found: list[DateMention], starts: list[int], explicit: DateMention, text: str
) -> tuple[int, DateMention] | None:
    """Fold an explicit date into a weekday written just before it ('الأحد 22 نيسان'): (index, merged)."""
    k = bisect_left(starts, explicit.start)
    for i in range(k - 1, max(-1, k - 3), -1):
        d = found[i]
        if d.kind != "weekday" or d.end > explicit.start:
            continue
        gap = text[d.end:explicit.start]
        if len(gap) > 4 or gap.strip(" ،,") != "":
            continue
        if d.value == explicit.value:
            return i, DateMention(d.start, explicit.end, d.value, "explicit", d.since)
        if abs((d.value - explicit.value).days) <= 3:
            return i, DateMention(d.start, explicit.end, d.value, "weekday", d.since)
        return i, DateMention(d.start, explicit.end, explicit.value, "explicit", d.since)
    return None


__all__ = ["MONTHS", "PATTERNS", "WEEKDAYS", "DateMention", "find_dates"]
