"""/export (two documents: CSV and GeoJSON) and /stats (a photo) through the stand-in, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import struct
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.models import Subscription
from bot.ops.charts import HEIGHT_PX, WIDTH_PX
from bot.telegram.export_texts import ExportProblem, ExportRange, parse_export
from tests.support.telegram_standin import BotApiStandin, SentFile
from tests.telegram.bot_harness import add_incident, fresh_engine, running_bot

NOW = datetime(2024, 4, 21, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], ExportRange(date(2024, 1, 23), TODAY)),  # 90 days, today included
        (["30"], ExportRange(date(2024, 3, 23), TODAY)),
        (["٧"], ExportRange(date(2024, 4, 15), TODAY)),  # Arabic-Indic digits
        (["2024-01-01"], ExportRange(date(2024, 1, 1), TODAY)),
        (["2024-01-01", "2024-02-01"], ExportRange(date(2024, 1, 1), date(2024, 2, 1))),
        (["0"], ExportProblem("days", "0")),
        (["3651"], ExportProblem("days", "3651")),
        (["yesterday"], ExportProblem("date", "yesterday")),
        (["2024-02-30"], ExportProblem("date", "2024-02-30")),
        (["2024-02-01", "2024-01-01"], ExportProblem("order")),
        (["1", "2", "3"], ExportProblem("too_many")),
    ],
)
def test_parse_export(args: list[str], expected: ExportRange | ExportProblem) -> None:
    assert parse_export(args, TODAY) == expected


def _two_files(standin: BotApiStandin, chat_id: int) -> list[SentFile] | None:
    files = standin.files(chat_id)
    return files if len(files) >= 2 else None


def test_export_sends_the_chats_incidents_as_csv_and_geojson(standin: BotApiStandin, db_url: str) -> None:
    engine = fresh_engine(db_url)
    recent = add_incident(engine, day=TODAY - timedelta(days=2), weapon="drone")
    syria = add_incident(
        engine, day=TODAY - timedelta(days=5), country="syria", place=("al-tanf", "Al-Tanf Garrison", "قاعدة التنف"),
        province=("Homs", "حمص"), lat=33.5, lon=38.6,
    )
    nowhere = add_incident(engine, day=TODAY - timedelta(days=9), place=None)
    add_incident(engine, day=TODAY - timedelta(days=120))  # older than the default 90 days
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, db_url, clock=lambda: NOW) as bot:
            await bot.say(2001, 2001, "/export")
            csv_doc, geo_doc = await bot.wait(lambda: _two_files(standin, 2001))
            assert csv_doc.method == geo_doc.method == "sendDocument"
            assert csv_doc.filename == "rasad-2024-01-23-2024-04-21.csv"
            assert geo_doc.filename == "rasad-2024-01-23-2024-04-21.geojson"
            rows = list(csv.DictReader(io.StringIO(csv_doc.content.decode("utf-8-sig"), newline="")))
            assert [int(r["id"]) for r in rows] == [recent, syria, nowhere]
            assert rows[1]["base_ar"] == "قاعدة التنف"
            geo = json.loads(geo_doc.content)
            assert [f["id"] for f in geo["features"]] == [recent, syria]
            assert geo["rasad"]["without_coordinates"] == 1
            assert csv_doc.caption.startswith("CSV for spreadsheets (UTF-8): 3 incidents, 2024-01-23 to 2024-04-21")
            assert geo_doc.caption == (
                "GeoJSON for maps: 2 incidents, 2024-01-23 to 2024-04-21 (1 without coordinates left out)"
            )

            # The chat's own filters: subscribed to Syria only.
            await bot.say(2002, 2002, "/subscribe", "ar")
            with bot.engine.begin() as conn:
                conn.execute(sa.update(Subscription).where(Subscription.chat_id == 2002).values(countries=["syria"]))
            await bot.say(2002, 2002, "/export 7", "ar")
            csv_ar, geo_ar = await bot.wait(lambda: _two_files(standin, 2002))
            assert [f["id"] for f in json.loads(geo_ar.content)["features"]] == [syria]
            assert csv_ar.caption.startswith("CSV لجداول البيانات (UTF-8): 1 هجوماً من 2024-04-15 إلى 2024-04-21")

            empty = await bot.say(2003, 2003, "/export 2023-01-01 2023-02-01")
            assert empty.text.startswith("No incidents recorded from 2023-01-01 to 2023-02-01")
            bad = await bot.say(2003, 2003, "/export soon")
            assert bad.text.startswith("“soon” is not a date as YYYY-MM-DD.")
            assert standin.files(2003) == []

    asyncio.run(main())


def test_stats_answers_with_a_chart_photo_and_the_counts_as_caption(standin: BotApiStandin, db_url: str) -> None:
    engine = fresh_engine(db_url)
    for days, weapon, country in [(0, "rocket", "iraq"), (3, "drone", "syria"), (40, "drone", "iraq"),
                                  (100, "mortar", "jordan"), (200, "rocket", "iraq")]:
        add_incident(engine, day=TODAY - timedelta(days=days), weapon=weapon, country=country)
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, db_url, clock=lambda: NOW) as bot:
            msg = await bot.say(2010, 2010, "/stats")
            assert msg.method == "sendPhoto"
            assert msg.text.splitlines()[0] == "Incidents: 2 in the last 7 days · 2 in the last 30 days"
            assert msg.text.endswith("Chart: attacks per week over 26 weeks by country, then by weapon")
            assert "الرسم: الهجمات أسبوعياً" in msg.text
            (photo,) = standin.files(2010)
            assert (photo.width, photo.height) == (WIDTH_PX, HEIGHT_PX)
            assert struct.unpack(">II", photo.content[16:24]) == (WIDTH_PX, HEIGHT_PX)
            assert len(photo.content) > 15_000
            ar = await bot.say(2011, 2011, "/stats", "ar")
            assert ar.method == "sendPhoto" and ar.text.startswith("الهجمات: 2 خلال 7 أيام")

    asyncio.run(main())
