"""What /export and /stats say, in Arabic and English, and how /export reads its arguments (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from bot.telegram.texts import ReplyLang, esc

EXPORT_DEFAULT_DAYS: Final = 90
EXPORT_MAX_DAYS: Final = 3650
_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ExportRange:
    """The days /export covers, both included."""

    since: date
    until: date


@dataclass(frozen=True, slots=True)
class ExportProblem:
    """Why /export's arguments cannot be used (a code for `export_usage_text`) and the argument at fault."""

    code: str
    arg: str | None = None


def parse_export(args: Sequence[str], today: date) -> ExportRange | ExportProblem:
    """/export: the last 90 days; /export N: the last N days; /export FROM [TO]: dates as YYYY-MM-DD."""
    words = [a.strip().translate(_DIGITS) for a in args if a.strip()]
    if not words:
        return ExportRange(today - timedelta(days=EXPORT_DEFAULT_DAYS - 1), today)
    if len(words) > 2:
        return ExportProblem("too_many")
    if len(words) == 1 and words[0].isdigit():
        days = int(words[0]) if len(words[0]) <= 6 else 0
        if not 1 <= days <= EXPORT_MAX_DAYS:
            return ExportProblem("days", words[0])
        return ExportRange(today - timedelta(days=days - 1), today)
    dates: list[date] = []
    for word in words:
        if not _DATE.fullmatch(word):
            return ExportProblem("date", word)
        try:
            dates.append(date.fromisoformat(word))
        except ValueError:
            return ExportProblem("date", word)
    since, until = dates[0], dates[1] if len(dates) == 2 else today
    if since > until:
        return ExportProblem("order")
    return ExportRange(since, until)


def export_usage_text(lang: ReplyLang, problem: ExportProblem) -> str:
    """The answer to unusable /export arguments, with the forms that work."""
    arg = esc(problem.arg[:40]) if problem.arg else ""
    if lang == "ar":
        why = {
            "too_many": "يأخذ هذا الأمر تاريخين على الأكثر.",
            "days": f"«{arg}» ليس عدد أيام بين 1 و{EXPORT_MAX_DAYS}.",
            "date": f"«{arg}» ليس تاريخاً بالشكل YYYY-MM-DD.",
            "order": "تاريخ البداية بعد تاريخ النهاية.",
        }[problem.code]
        return f"{why}\n‎/export: آخر 90 يوماً · ‎/export 30: آخر 30 يوماً · ‎/export 2024-01-01 2024-02-01"
    why = {
        "too_many": "This command takes two dates at most.",
        "days": f"“{arg}” is not a number of days from 1 to {EXPORT_MAX_DAYS}.",
        "date": f"“{arg}” is not a date as YYYY-MM-DD.",
        "order": "The first date is after the second.",
    }[problem.code]
    return f"{why}\n/export: last 90 days · /export 30: last 30 days · /export 2024-01-01 2024-02-01"


def export_caption(lang: ReplyLang, fmt: str, period: ExportRange, count: int, without_coordinates: int) -> str:
    """The caption of one exported file: what it holds."""
    a, b = period.since.isoformat(), period.until.isoformat()
    if fmt == "geojson":
        if lang == "ar":
            return f"GeoJSON للخرائط: {count} هجوماً من {a} إلى {b}" + (
                f" (باستثناء {without_coordinates} بلا إحداثيات)" if without_coordinates else ""
            )
        return f"GeoJSON for maps: {count} incidents, {a} to {b}" + (
            f" ({without_coordinates} without coordinates left out)" if without_coordinates else ""
        )
    if lang == "ar":
        return f"CSV لجداول البيانات (UTF-8): {count} هجوماً من {a} إلى {b}، حسب إعدادات هذه المحادثة"
    return f"CSV for spreadsheets (UTF-8): {count} incidents, {a} to {b}, as this chat's settings filter them"


def export_empty_text(lang: ReplyLang, period: ExportRange) -> str:
    """/export found nothing in the period."""
    a, b = period.since.isoformat(), period.until.isoformat()
    if lang == "ar":
        return f"لا هجمات مسجّلة من {a} إلى {b} حسب إعدادات هذه المحادثة، فلا ملف لإرساله."
    return f"No incidents recorded from {a} to {b} for this chat's settings, so there is no file to send."


def export_too_big_text(lang: ReplyLang) -> str:
    """/export would exceed what a bot may upload."""
    if lang == "ar":
        return "الملف أكبر مما يسمح به تيليغرام. اختر فترة أقصر، مثل ‎/export 30، أو استخدم rasad export على الخادم."
    return "The file is larger than Telegram allows. Choose a shorter period, e.g. /export 30, or use rasad export."


CHART_NOTE: Final = (
    "الرسم: الهجمات أسبوعياً خلال 26 أسبوعاً حسب الدولة، ثم حسب السلاح\n"
    "Chart: attacks per week over 26 weeks by country, then by weapon"
)
"""Closes the /stats caption in both languages: the chart's own labels are English (bot/ops/charts.py says why)."""
