"""A chat's filters decide who gets an alert when the pipeline queues it (real database, the real extractor and
merge); an update that brings what a filter waits for (casualties) releases the alert to that chat."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bot.models import OutboxKind
from tests.incidents.feedgen import ASAD_ROCKETS
from tests.incidents.test_ingest import art, ingest, outbox, subscribe

# Written for this test: the same attack, now with two wounded.
ASAD_WOUNDED = "أصيب جنديان أمريكيان بجروح طفيفة في الهجوم بثلاثة صواريخ على قاعدة عين الأسد مساء الثلاثاء."


def alerted(engine: Engine) -> list[int]:
    return sorted(r.chat_id for r in outbox(engine) if r.kind == OutboxKind.ALERT.value)


def test_filters_choose_the_chats_and_casualties_release_a_held_alert(engine: Engine) -> None:
    subscribe(engine, 1)  # no filters
    subscribe(engine, 2, bases=["IQ-ASAD"])  # the base attacked
    subscribe(engine, 3, bases=["JO-T22"])  # another base
    subscribe(engine, 4, provinces=["Anbar"])  # the province of the base attacked
    subscribe(engine, 5, weapons=["drone"])  # another weapon
    subscribe(engine, 6, weapons=["rocket"])
    subscribe(engine, 7, casualties_only=True)  # the first report says nobody was hurt
    ingest(engine, art("https://a.example/1", ASAD_ROCKETS, source="A"))
    assert alerted(engine) == [1, 2, 4, 6]
    # the same outlet again (its mirror): the status stays, only the facts change
    ingest(engine, art("https://www.a.example/2", ASAD_WOUNDED, source="A mirror"))
    assert alerted(engine) == [1, 2, 4, 6, 7]


# Written for this test: an attack whose weapon the first report does not name, and a later one that does.
ASAD_SOME_ATTACK = "تعرضت قاعدة عين الأسد الجوية في الأنبار لهجوم مساء الثلاثاء."
ASAD_BY_DRONE = "استهدفت طائرة مسيرة قاعدة عين الأسد الجوية في الأنبار مساء الثلاثاء."


def test_a_weapon_named_later_releases_the_alert_to_a_chat_filtering_on_it(engine: Engine) -> None:
    subscribe(engine, 1, weapons=["drone"])
    subscribe(engine, 2, weapons=["rocket"])
    ingest(engine, art("https://a.example/1", ASAD_SOME_ATTACK, source="A"))
    assert alerted(engine) == []  # the weapon is not known yet
    ingest(engine, art("https://www.a.example/2", ASAD_BY_DRONE, source="A mirror"))
    assert alerted(engine) == [1]
