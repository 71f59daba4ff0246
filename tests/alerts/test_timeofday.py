"""The attack's time of day from the article's words, and the time Rasad first learned of it (table tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.alerts.i18n import Name
from bot.alerts.render import Format, Lang, render_alert
from bot.alerts.timeofday import local_clock, time_of_day
from tests.alerts.test_render import RUMALAN

TIMES: list[object] = [
    pytest.param(["استهدف هجوم القاعدة مساء الأحد"], Name("مساءً", "in the evening"), id="masa-day"),
    pytest.param(["سقطت صواريخ فجر اليوم على القاعدة"], Name("فجراً", "at dawn"), id="fajr-today"),
    pytest.param(["هجوم بطائرة مسيرة ليلة الاثنين"], Name("ليلاً", "at night"), id="night-of"),
    pytest.param(["دوى انفجار عند الساعة 11 مساءً"], Name("نحو الساعة 11 مساءً", "around 11 p.m."), id="clock-ar-pm"),
    pytest.param(["الساعة 6:30 صباحاً"], Name("نحو الساعة 6:30 صباحاً", "around 6:30 a.m."), id="clock-ar-am"),
    pytest.param(["قرابة الساعة 23"], Name("نحو الساعة 23", "around 23:00"), id="clock-ar-24h"),
    pytest.param(["The base was hit around 11 p.m. local time"], Name("نحو الساعة 11 مساءً", "around 11 p.m."),
                 id="clock-en"),
    pytest.param(["Rockets struck late Sunday, officials said"], Name("في ساعة متأخرة", "late in the day"),
                 id="late-sunday"),
    pytest.param(["A drone attack overnight"], Name("ليلاً", "at night"), id="overnight"),
    # The clock beats a part of the day; the first part named beats a later one.
    pytest.param(["صباح اليوم، وعند الساعة 9 مساء"], Name("نحو الساعة 9 مساءً", "around 9 p.m."), id="clock-first"),
    pytest.param(["مساء السبت ثم فجر الأحد"], Name("مساءً", "in the evening"), id="first-part"),
    # Nothing about the hour, or an impossible hour: nothing said.
    pytest.param(["هجوم صاروخي على قاعدة عين الأسد"], None, id="none"),
    pytest.param(["الساعة 77"], None, id="bad-hour"),
    pytest.param([], None, id="no-evidence"),
]


@pytest.mark.parametrize(("sentences", "expected"), TIMES)
def test_time_of_day(sentences: list[str], expected: Name | None) -> None:
    assert time_of_day(sentences) == expected


@pytest.mark.parametrize(
    ("tz", "expected"),
    [("Asia/Baghdad", "14:05"), ("UTC", "11:05"), ("America/New_York", "07:05")],
)
def test_local_clock(tz: str, expected: str) -> None:
    assert local_clock(datetime(2024, 4, 21, 11, 5, tzinfo=UTC), tz) == expected
    assert local_clock(datetime(2024, 4, 21, 11, 5), tz) == expected  # naive is UTC


def test_alert_says_the_time_of_day_and_when_rasad_learned_of_it() -> None:
    view = replace(RUMALAN, time_of_day=Name("مساءً", "in the evening"),
                   first_seen_at=datetime(2024, 4, 21, 19, 40, tzinfo=UTC))
    en = render_alert(view, Lang.EN, Format.TEXT)
    assert "Sun 21 Apr 2024, in the evening" in en or "21 Apr 2024, in the evening" in en
    assert "first reported 22:40 Baghdad time" in en
    ar = render_alert(view, Lang.AR, Format.TEXT)
    assert "2024 مساءً" in ar and "أول نبأ 22:40 بتوقيت بغداد" in ar
    ny = render_alert(replace(view, tz="America/New_York"), Lang.EN, Format.TEXT)
    assert "first reported 15:40 New York time" in ny
