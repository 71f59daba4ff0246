"""Upgrading a database from before the status ladder keeps every incident and computes its status."""

from __future__ import annotations

import json

import sqlalchemy as sa

from bot.database import make_engine, upgrade

SAID = "سقطت ثلاثة صواريخ على قاعدة عين الأسد مساء الثلاثاء."
OFFICIAL = "قال مسؤول أمريكي إن ثلاثة صواريخ سقطت على قاعدة عين الأسد."
# A second outlet's own words (the same text on two sites would be one story copied, one voice).
SAID_TOO = "أفاد مصدر أمني بسقوط صواريخ على قاعدة عين الأسد الجوية في الأنبار مساء الثلاثاء."


def _report(incident: int, article: int, url: str, text: str, when: str) -> list[tuple[str, dict[str, object]]]:
    extracted = json.dumps({"sources": [], "evidence": [text], "claimed_by": None}, ensure_ascii=False)
    return [
        (
            "INSERT INTO article (id, url, url_key, identity, title, lang, text, published, fetched_at, alerted) "
            "VALUES (:id, :url, :url, :identity, '', 'ar', :text, :when, :when, :alerted)",
            {"id": article, "url": url, "identity": f"i{article}", "text": text, "when": when, "alerted": True},
        ),
        (
            "INSERT INTO incident_report (incident_id, article_id, decision, reason, extracted, created_at) "
            "VALUES (:inc, :art, 'new', 'x', :ex, :when)",
            {"inc": incident, "art": article, "ex": extracted, "when": when},
        ),
    ]


def test_upgrade_keeps_incidents_and_computes_their_status(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, "0001") == ["0001"]
        inserts: list[tuple[str, dict[str, object]]] = []
        for n in (1, 2, 3):
            inserts.append((
                "INSERT INTO incident (id, ref_date, weapon, target_kind, intercepted, version, country) "
                "VALUES (:id, '2024-04-23', 'rocket', 'base', :f, 1, 'iraq')",
                {"id": n, "f": False},
            ))
        inserts += _report(1, 11, "https://a.example/1", SAID, "2024-04-23 10:00:00")
        inserts += _report(2, 21, "https://a.example/2", SAID, "2024-04-23 10:00:00")
        inserts += _report(2, 22, "https://www.b.example/2", SAID_TOO, "2024-04-23 11:00:00")
        inserts += _report(3, 31, "https://c.example/3", SAID, "2024-04-23 10:00:00")
        inserts += _report(3, 32, "https://d.example/3", OFFICIAL, "2024-04-23 12:00:00")
        with engine.begin() as conn:
            for sql, params in inserts:
                conn.execute(sa.text(sql), params)
            conn.execute(sa.text(
                "INSERT INTO chat (chat_id, type, language) VALUES (-1001, 'group', 'both')"))
            conn.execute(sa.text(
                "INSERT INTO subscription (chat_id, active, countries, include_convoy, include_diplomatic, "
                "send_updates) VALUES (-1001, :t, '[]', :t, :t, :t)"), {"t": True})
        applied = upgrade(engine)
        assert "0003_status_ladder" in applied
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, status, status_at FROM incident ORDER BY id")).all()
            sub = conn.execute(sa.text("SELECT min_status, include_claims FROM subscription")).one()
        assert [(r[0], r[1]) for r in rows] == [(1, "reported"), (2, "corroborated"), (3, "confirmed")]
        assert str(rows[2][2]).startswith("2024-04-23 12:00")
        assert (sub[0], bool(sub[1])) == ("reported", False)
    finally:
        engine.dispose()
