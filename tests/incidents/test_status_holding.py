"""An incident below a chat's "alert me from" level is held for that chat and queued the moment it reaches it
(real database, the real extractor and merge)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.models import IncidentRow, OutboxKind, OutboxState
from tests.incidents.feedgen import ASAD_ROCKETS, ASAD_ROCKETS_LATER
from tests.incidents.test_ingest import art, ingest, outbox, subscribe

# Written for this test: the same three rockets on Ain al-Asad, in another outlet's own words.
ASAD_SECOND_OUTLET = "ذكرت مصادر محلية أن ثلاثة صواريخ سقطت مساء الثلاثاء على قاعدة عين الأسد في الأنبار."
ASAD_CLAIM_ONLY = (
    "أعلنت المقاومة الإسلامية في العراق في بيان لها استهداف قاعدة عين الأسد بثلاثة صواريخ مساء الثلاثاء."
)


def alerted(engine: Engine) -> list[int]:
    return sorted(r.chat_id for r in outbox(engine) if r.kind == OutboxKind.ALERT.value)


def status(engine: Engine) -> str:
    with Session(engine) as s:
        return s.exec(select(IncidentRow.status).order_by(col(IncidentRow.id))).one()


def test_chats_receive_the_incident_when_it_reaches_their_level(engine: Engine) -> None:
    subscribe(engine, 1)
    subscribe(engine, 2, min_status="corroborated")
    subscribe(engine, 3, min_status="confirmed")
    ingest(engine, art("https://a.example/1", ASAD_ROCKETS, source="A"))
    assert (status(engine), alerted(engine)) == ("reported", [1])
    ingest(engine, art("https://www.a.example/mirror", ASAD_SECOND_OUTLET, source="A mirror"))
    assert (status(engine), alerted(engine)) == ("reported", [1])  # one outlet's mirror counts once
    ingest(engine, art("https://b.example/2", ASAD_SECOND_OUTLET, source="B"))
    assert (status(engine), alerted(engine)) == ("corroborated", [1, 2])
    ingest(engine, art("https://c.example/3", ASAD_ROCKETS_LATER, source="C"))
    assert (status(engine), alerted(engine)) == ("confirmed", [1, 2, 3])
    assert len(outbox(engine)) == len([r for r in outbox(engine) if r.kind == OutboxKind.ALERT.value])


def test_claims_are_off_by_default_and_can_be_switched_on(engine: Engine) -> None:
    subscribe(engine, 1)
    subscribe(engine, 2, include_claims=True)
    ingest(engine, art("https://claims.example/1", ASAD_CLAIM_ONLY, source="Claims"))
    assert (status(engine), alerted(engine)) == ("claimed", [2])
    ingest(engine, art("https://a.example/1", ASAD_ROCKETS, source="A"))
    assert (status(engine), alerted(engine)) == ("reported", [1, 2])


def test_a_rise_edits_the_sent_alert_and_only_confirmation_or_denial_earns_a_reply(engine: Engine) -> None:
    from bot.alerts.render import Format, Lang, render_update
    from bot.alerts.views import changes_from_payload, view_of
    from bot.models import Outbox

    subscribe(engine, 1)
    ingest(engine, art("https://a.example/1", ASAD_ROCKETS, source="A"))
    with Session(engine) as s:  # as the sender leaves it once Telegram accepted the alert
        row = s.exec(select(Outbox)).one()
        row.state, row.telegram_message_id = OutboxState.SENT.value, 99
        s.add(row)
        s.commit()
    ingest(engine, art("https://b.example/2", ASAD_SECOND_OUTLET, source="B"))
    rows = outbox(engine)
    assert status(engine) == "corroborated"
    edited = (OutboxKind.ALERT.value, OutboxState.EDIT_DUE.value)
    assert [(r.kind, r.state) for r in rows] == [edited]  # edited, no reply
    ingest(engine, art("https://c.example/3", ASAD_ROCKETS_LATER, source="C"))
    rows = outbox(engine)
    assert status(engine) == "confirmed"
    assert [r.kind for r in rows] == [OutboxKind.ALERT.value, OutboxKind.UPDATE.value]
    with Session(engine) as s:
        inc = s.exec(select(IncidentRow)).one()
        text = render_update(view_of(s, inc), changes_from_payload(rows[1].payload or {}), Lang.BOTH, Format.TEXT)
    assert "مؤكد" in text and "Confirmed" in text


# Written for this test: one wire story (the agency named in it) as two outlets ran it, a word changed, and a
# third outlet's own report of the same attack.
WIRE_STORY = (
    "ذكرت وكالة رويترز نقلا عن مصدرين أمنيين أن ثلاثة صواريخ سقطت مساء الثلاثاء على قاعدة عين الأسد "
    "بمحافظة الأنبار غربي العراق."
)
WIRE_COPY = WIRE_STORY.replace("غربي العراق", "في غرب العراق")


def test_copies_of_one_wire_story_count_once_and_an_own_report_corroborates(engine: Engine) -> None:
    subscribe(engine, 1, min_status="corroborated")
    ingest(engine, art("https://outlet-a.example/wire/1", WIRE_STORY, source="A"))
    ingest(engine, art("https://outlet-b.example/world/2", WIRE_COPY, source="B"))
    assert (status(engine), alerted(engine)) == ("reported", [])  # one voice: the agency's
    ingest(engine, art("https://outlet-c.example/3", ASAD_SECOND_OUTLET, source="C"))
    assert (status(engine), alerted(engine)) == ("corroborated", [1])


def test_two_outlets_in_their_own_words_citing_one_agency_are_two_voices(engine: Engine) -> None:
    own = "قالت وكالة رويترز إن صواريخ استهدفت قاعدة عين الأسد في الأنبار مساء الثلاثاء دون إصابات بحسب شهود."
    ingest(engine, art("https://outlet-a.example/wire/1", WIRE_STORY, source="A"))
    ingest(engine, art("https://outlet-b.example/2", own, source="B"))
    assert status(engine) == "corroborated"
