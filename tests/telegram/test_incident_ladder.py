"""/incident shows the status ladder: each level with the time Rasad reached it (in the chat's time zone), who
vouches, and every outlet with its link (real SQLite file, the real extractor, merge and ladder; texts.py renders).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.incidents.ingest import ArticleIn, ingest_article
from bot.telegram import queries
from bot.telegram.texts import incident_text
from tests.incidents.feedgen import ASAD_ROCKETS, ASAD_ROCKETS_LATER
from tests.telegram.bot_harness import fresh_engine

T0 = datetime(2024, 4, 24, 6, 0, tzinfo=UTC)  # 09:00 in Baghdad
# Written for this test: the same three rockets on Ain al-Asad, in another outlet's own words.
SECOND = "ذكرت مصادر محلية أن ثلاثة صواريخ سقطت مساء الثلاثاء على قاعدة عين الأسد في الأنبار."


def _ingest(url: str, text: str, source: str, minutes: int, sqlite_url: str) -> None:
    engine = fresh_engine(sqlite_url)
    now = T0 + timedelta(minutes=minutes)
    art = ArticleIn(url=url, title="", text=text, published=now - timedelta(minutes=5),
                    identity=hashlib.sha256(url.encode()).hexdigest(), source=source)
    with Session(engine) as s:
        ingest_article(s, art, now=now, alert=False, max_km=10)
        s.commit()
    engine.dispose()


def _detail(sqlite_url: str, tz: str) -> queries.IncidentDetail:
    engine = fresh_engine(sqlite_url)
    with Session(engine) as s:
        detail = queries.incident(s, 1, tz)
    engine.dispose()
    assert detail is not None
    return detail


def test_incident_shows_each_level_with_the_time_it_was_reached_and_every_source(sqlite_url: str) -> None:
    _ingest("https://www.outlet-a.example/1", ASAD_ROCKETS, "Outlet A", 0, sqlite_url)
    _ingest("https://feeds.outlet-a.example/mirror", SECOND, "Outlet A (feed 2)", 20, sqlite_url)  # same outlet
    _ingest("https://outlet-b.example/2", SECOND, "Outlet B", 35, sqlite_url)
    _ingest("https://outlet-c.example/3", ASAD_ROCKETS_LATER, "Outlet C", 90, sqlite_url)

    en = incident_text(_detail(sqlite_url, "Asia/Baghdad"), "en")
    lines = en.splitlines()
    start = lines.index("<b>How sure</b> (Baghdad time):")
    assert lines[start + 1: start + 4] == [
        "• Reported: Wed 24 Apr 2024 09:00",
        "• Corroborated: Wed 24 Apr 2024 09:35",  # the second feed of outlet A at 09:20 did not count
        "• Confirmed: Wed 24 Apr 2024 10:30",
    ]
    who = lines[start + 4]
    assert who.startswith("<b>Who says so:</b> Coalition (official)")
    assert "outlet-a.example (outlet)" in who and "outlet-b.example (outlet)" in who
    assert "Sources (4):" in en
    for url in ("https://www.outlet-a.example/1", "https://feeds.outlet-a.example/mirror",
                "https://outlet-b.example/2", "https://outlet-c.example/3"):
        assert f'href="{url}"' in en

    utc = incident_text(_detail(sqlite_url, "UTC"), "en")  # the chat's time zone
    assert "• Reported: Wed 24 Apr 2024 06:00" in utc and "<b>How sure</b> (UTC):" in utc

    ar = incident_text(_detail(sqlite_url, "Asia/Baghdad"), "ar")
    assert "<b>درجة التأكد</b> (بتوقيت بغداد):" in ar
    assert "• مصدر واحد: " in ar and "• مصادر مستقلة متعددة: " in ar and "• مؤكد: " in ar
    assert "<b>من يقول ذلك:</b> التحالف الدولي (جهة رسمية)" in ar
