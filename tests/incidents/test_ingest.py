"""One article, one transaction: incidents created and merged, and the outbox rows subscribers are owed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.incidents.decide import DecisionKind
from bot.incidents.ingest import ArticleIn, IngestResult, ingest_article, local_date
from bot.models import Article, Chat, IncidentReport, IncidentRow, Outbox, OutboxKind, OutboxState, Subscription
from tests.incidents.feedgen import ASAD_ROCKETS, ASAD_ROCKETS_LATER, NOTHING, TANF_DRONES, TOWER22_DRONES

NOW = datetime(2024, 4, 24, 9, 0, tzinfo=UTC)


def art(url: str, text: str, *, hours_ago: float = 1, source: str = "Outlet") -> ArticleIn:
    return ArticleIn(
        url=url,
        title="",
        text=text,
        published=NOW - timedelta(hours=hours_ago),
        identity=hashlib.sha256(url.encode()).hexdigest(),
        source=source,
    )


def ingest(engine: Engine, a: ArticleIn, *, alert: bool = True) -> IngestResult:
    with Session(engine) as s:
        res = ingest_article(s, a, now=NOW, alert=alert, max_km=10)
        s.commit()
        return res


def subscribe(engine: Engine, chat_id: int, **filters: object) -> None:
    with Session(engine) as s:
        s.add(Chat(chat_id=chat_id, created_at=NOW))
        s.flush()
        s.add(Subscription(chat_id=chat_id, created_at=NOW, **filters))
        s.commit()


def outbox(engine: Engine) -> list[Outbox]:
    with Session(engine) as s:
        return list(s.exec(select(Outbox).order_by(col(Outbox.id))).all())


def test_local_date_is_the_regions_date() -> None:
    assert local_date(datetime(2024, 4, 21, 22, 30, tzinfo=UTC), NOW).isoformat() == "2024-04-22"
    assert local_date(None, datetime(2024, 4, 21, 20, 0, tzinfo=UTC)).isoformat() == "2024-04-21"


def test_new_incident_queues_an_alert_for_each_matching_subscription(engine: Engine) -> None:
    subscribe(engine, 1)
    subscribe(engine, 2, countries=["syria"])  # filters Iraq out
    subscribe(engine, 3, active=False)
    res = ingest(engine, art("https://a.example/1", ASAD_ROCKETS))
    assert [e.kind for e in res.events] == [DecisionKind.NEW]
    rows = outbox(engine)
    assert [(r.chat_id, r.kind, r.state, r.version) for r in rows] == [(1, "alert", "pending", 1)]


def test_article_without_attack_is_stored_without_incident(engine: Engine) -> None:
    res = ingest(engine, art("https://a.example/n", NOTHING))
    assert res.events == [] and res.article_id is not None
    with Session(engine) as s:
        assert s.exec(select(IncidentRow)).all() == []


def test_same_url_twice_is_one_article(engine: Engine) -> None:
    first = ingest(engine, art("https://a.example/1?utm_source=x", ASAD_ROCKETS))
    second = ingest(engine, art("https://a.example/1", ASAD_ROCKETS))
    assert second.duplicate and second.article_id == first.article_id and second.events == []


def test_second_outlet_merges_and_marks_sent_alert_for_edit(engine: Engine) -> None:
    subscribe(engine, 1)
    ingest(engine, art("https://a.example/1", ASAD_ROCKETS, source="A"))
    with Session(engine) as s:
        row = s.exec(select(Outbox)).one()
        row.state, row.telegram_message_id = OutboxState.SENT.value, 77
        s.add(row)
        s.commit()
    res = ingest(engine, art("https://b.example/1", ASAD_ROCKETS.replace("مصدر أمني", "مسؤول"), source="B"))
    assert [e.kind for e in res.events] in ([DecisionKind.SAME], [DecisionKind.UPDATE])
    with Session(engine) as s:
        assert len(s.exec(select(IncidentRow)).all()) == 1
        assert len(s.exec(select(IncidentReport)).all()) == 2
    assert outbox(engine)[0].state == OutboxState.EDIT_DUE.value


def test_al_tanf_and_tower_22_are_one_incident_as_for_the_extractor(engine: Engine) -> None:
    """One site in the gazetteer, across a border: the Jordanian report finds the Syrian incident."""
    subscribe(engine, 1)
    first = ingest(engine, art("https://a.example/tanf", TANF_DRONES))
    second = ingest(engine, art("https://b.example/t22", TOWER22_DRONES, source="Other"))
    assert [e.kind for e in first.events] == [DecisionKind.NEW]
    assert [(e.kind, e.incident_id) for e in second.events] == [(DecisionKind.SAME, first.events[0].incident_id)]
    with Session(engine) as s:
        assert len(s.exec(select(IncidentRow)).all()) == 1
        assert len(s.exec(select(IncidentReport)).all()) == 2
    assert len(outbox(engine)) == 1


def test_material_update_bumps_version_and_queues_a_reply(engine: Engine) -> None:
    subscribe(engine, 1)
    subscribe(engine, 2, send_updates=False)
    ingest(engine, art("https://a.example/1", ASAD_ROCKETS))
    with Session(engine) as s:
        for row in s.exec(select(Outbox)).all():
            row.state, row.telegram_message_id = OutboxState.SENT.value, 10 + row.chat_id
            s.add(row)
        s.commit()
    res = ingest(engine, art("https://b.example/2", ASAD_ROCKETS_LATER))
    assert [e.kind for e in res.events] == [DecisionKind.UPDATE]
    with Session(engine) as s:
        inc = s.exec(select(IncidentRow)).one()
    assert inc.version == 2 and inc.claimed_by == "Islamic Resistance in Iraq"
    updates = [r for r in outbox(engine) if r.kind == OutboxKind.UPDATE.value]
    assert [(r.chat_id, r.version) for r in updates] == [(1, 2)]
    assert updates[0].payload["changes"] and updates[0].payload["changes"][0]["field"] == "claimed_by"
    # The reply will name the outlet whose article brought the change, with its link.
    assert updates[0].payload["url"] == "https://b.example/2"
    assert updates[0].payload["source"] == "Outlet"


def test_old_articles_are_stored_and_merged_but_never_alerted(engine: Engine) -> None:
    subscribe(engine, 1)
    res = ingest(engine, art("https://a.example/old", TANF_DRONES), alert=False)
    assert [e.kind for e in res.events] == [DecisionKind.NEW]
    assert outbox(engine) == []
    with Session(engine) as s:
        assert s.exec(select(Article.alerted)).one() is False


def test_a_failure_inside_the_transaction_leaves_nothing_half_written(engine: Engine) -> None:
    subscribe(engine, 1)
    with Session(engine) as s:
        ingest_article(s, art("https://a.example/1", ASAD_ROCKETS), now=NOW, alert=True, max_km=10)
        s.rollback()  # as if the process died before commit
    with Session(engine) as s:
        assert s.exec(select(Article)).all() == []
        assert s.exec(select(IncidentRow)).all() == []
        assert s.exec(select(Outbox)).all() == []


@pytest.mark.parametrize("text", ["", "   ", "\x00\ud800", "<script>alert(1)</script>" * 100])
def test_hostile_or_empty_text_is_stored_quietly(engine: Engine, text: str) -> None:
    res = ingest(engine, art("https://a.example/x", text.encode("utf-8", "replace").decode("utf-8")))
    assert res.article_id is not None


HARIR_DRONE = "A drone struck Harir air base, which hosts US troops, on Wednesday, a security source said."
ERBIL_DRONE = "A drone attack hit the US-led coalition's base at Erbil airport on Wednesday, officials said."


def test_the_alert_follows_the_base_most_outlets_name(engine: Engine) -> None:
    ingest(engine, art("https://first.example/1", HARIR_DRONE, hours_ago=3))
    ingest(engine, art("https://second.example/1", ERBIL_DRONE, hours_ago=2))
    with Session(engine) as s:
        assert [r.base_id for r in s.exec(select(IncidentRow)).all()] == ["IQ-HARIR"]  # a tie keeps the first
    ingest(engine, art("https://second.example/2", ERBIL_DRONE + " More follows.", hours_ago=1.5))
    with Session(engine) as s:
        assert [r.base_id for r in s.exec(select(IncidentRow)).all()] == ["IQ-HARIR"]  # one outlet counts once
    ingest(engine, art("https://third.example/1", ERBIL_DRONE.replace("officials", "a spokesman"), hours_ago=1))
    with Session(engine) as s:
        rows = s.exec(select(IncidentRow)).all()
        assert [(r.base_id, r.place_en, r.province_en) for r in rows] == [
            ("IQ-EBL", "Erbil Air Base", "Erbil")
        ]
        assert len(s.exec(select(IncidentReport)).all()) == 4
