"""The weekly chart: what the bars are (a pure function, table-tested) and the PNG it becomes."""

from __future__ import annotations

import struct
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.database import make_engine, upgrade
from bot.ops.charts import HEIGHT_PX, WIDTH_PX, DayCount, caption, chart_data, render_png, window_start
from tests.support.sample_incidents import samples, store_samples

TODAY = date(2024, 6, 12)  # a Wednesday; its week starts on Monday 10 June


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2024, 6, 12), date(2023, 12, 18)),  # Wednesday: this week's Monday minus 25 weeks
        (date(2024, 6, 10), date(2023, 12, 18)),  # Monday itself
        (date(2024, 6, 16), date(2023, 12, 18)),  # Sunday ends the same ISO week
        (date(2024, 6, 17), date(2023, 12, 25)),  # the next Monday moves the window by a week
    ],
)
def test_window_start(today: date, first: date) -> None:
    assert window_start(today) == first


@pytest.mark.parametrize(
    ("rows", "weeks_with", "weapons"),
    [
        ([], {}, ()),
        # this week, in Iraq: the last bar
        ([DayCount(date(2024, 6, 10), "iraq", "drone", 2)], {("iraq", 25): 2}, (("drone", 2),)),
        # the first day of the window is the first bar; the day before is outside
        (
            [DayCount(date(2023, 12, 18), "syria", "rocket", 1), DayCount(date(2023, 12, 17), "syria", "rocket", 5)],
            {("syria", 0): 1},
            (("rocket", 1),),
        ),
        # a future date (a wrong report) is not counted
        ([DayCount(date(2024, 6, 13), "iraq", "drone", 1)], {}, ()),
        # Kuwait, unknown country: "other"; an unknown weapon string: "unknown"
        (
            [DayCount(date(2024, 6, 3), "kuwait", "drone", 1), DayCount(date(2024, 6, 4), None, "laser", 2)],
            {("other", 24): 3},
            (("unknown", 2), ("drone", 1)),
        ),
        # same week, two countries, weapons ranked by count then name
        (
            [
                DayCount(date(2024, 5, 27), "iraq", "rocket", 2),
                DayCount(date(2024, 6, 2), "jordan", "drone", 2),
                DayCount(date(2024, 5, 28), "iraq", "mortar", 3),
            ],
            {("iraq", 23): 5, ("jordan", 23): 2},
            (("mortar", 3), ("drone", 2), ("rocket", 2)),
        ),
    ],
)
def test_chart_data(
    rows: list[DayCount], weeks_with: dict[tuple[str, int], int], weapons: tuple[tuple[str, int], ...]
) -> None:
    data = chart_data(rows, TODAY)
    assert len(data.weeks) == 26 and data.weeks[-1] == date(2024, 6, 10) and data.weeks[0] == date(2023, 12, 18)
    got = {(c, i): n for c, series in data.by_country.items() for i, n in enumerate(series) if n}
    assert got == weeks_with
    assert data.by_weapon == weapons
    assert data.total == sum(weeks_with.values())


def test_caption_is_in_both_languages() -> None:
    data = chart_data([DayCount(date(2024, 6, 3), "iraq", "drone", 4), DayCount(date(2024, 6, 4), "syria", "ied", 1)],
                      TODAY)
    ar, en = caption(data).splitlines()
    assert en == "Attacks per week, last 26 weeks: 5 (Iraq 4 · Syria 1). Most used: drones (4)."
    assert ar.startswith("الهجمات أسبوعياً خلال آخر 26 أسبوعاً: 5 (العراق 4 · سوريا 1)")
    assert caption(chart_data([], TODAY)).splitlines()[1] == "Attacks per week, last 26 weeks: 0."


@pytest.mark.parametrize("n", [0, 400])
def test_the_png_is_phone_sized_and_not_empty(n: int) -> None:
    data = chart_data(
        [DayCount(s.day, "iraq" if i % 3 else "syria", s.weapon, 1) for i, s in enumerate(samples(n, today=TODAY))],
        TODAY,
    )
    png = render_png(data, today=TODAY)
    assert png_size(png) == (WIDTH_PX, HEIGHT_PX)
    assert 15_000 < len(png) < 1_000_000  # drawn (text and bars), and small enough to send quickly


def test_rasad_stats_writes_the_chart_from_the_database(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    from bot.clock import utc_now

    store_samples(engine, samples(200, today=utc_now().date(), days=120))
    engine.dispose()
    out = tmp_path / "stats.png"
    assert main(["stats", "--db", db_url, "--png", str(out)]) == 0
    assert png_size(out.read_bytes()) == (WIDTH_PX, HEIGHT_PX)
    ar, en = capsys.readouterr().out.splitlines()
    assert en.startswith("Attacks per week, last 26 weeks: ") and ar.startswith("الهجمات أسبوعياً")
    assert en.split(": ")[1].split(" ")[0] == "200"  # 200 incidents over the last 120 days: all in the 26 weeks

