"""A chat's issue-17 choices reach what the sender does: keywords over the alert's words, quiet hours and
silent updates (disable_notification), the chat's time zone in the alert. Real SQLite, the Bot API stand-in."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from bot.models import Chat, OutboxState, Subscription
from tests.alerts.conftest import World, drain
from tests.support.telegram_standin import BotApiStandin

# The world's clock: 2024-05-01 12:00 UTC, 15:00 in Baghdad, 13:00 in London, 08:00 in New York.


def choose(world: World, chat_id: int, *, timezone: str | None = None, **sub: Any) -> None:
    with Session(world.engine) as s:
        row = s.exec(select(Subscription).where(Subscription.chat_id == chat_id)).one()
        for key, value in sub.items():
            setattr(row, key, value)
        s.add(row)
        chat = s.get(Chat, chat_id)
        assert chat is not None
        chat.timezone = timezone
        s.add(chat)
        s.commit()


def test_keywords_leave_out_alerts_by_their_words_in_either_language(world: World, standin: BotApiStandin) -> None:
    chats = {
        7001: {"keywords_in": ["drone"]},  # a rocket attack: no drone in it
        7002: {"keywords_out": ["rocket"]},  # excluded
        7003: {"keywords_in": ["asad"]},  # the base's name, any case
        7004: {"keywords_out": ["صاروخي"]},  # an English-only chat excluding an Arabic word still excludes
        7005: {"keywords_in": ["الأنبار"], "keywords_out": ["drone"]},  # required word present, excluded absent
        7006: {},
    }
    standin.register_chats(chats, "private")
    for chat_id, sub in chats.items():
        world.chat(chat_id, language="en" if chat_id == 7004 else "both")
        choose(world, chat_id, **sub)
    world.broadcast(world.incident(), list(chats))
    drain(world, standin)
    sent = {m.chat_id for m in standin.sent()}
    assert sent == {7003, 7005, 7006}
    states = {r.chat_id: (r.state, r.last_error) for r in world.rows()}
    assert states[7001] == (OutboxState.SKIPPED.value, "the chat's keywords leave this alert out")
    assert states[7004][0] == OutboxState.SKIPPED.value


def test_quiet_hours_in_the_chats_time_zone_send_silently(world: World, standin: BotApiStandin) -> None:
    chats = {
        7101: ({"quiet_from": 22, "quiet_to": 7}, None),  # 15:00 in Baghdad: not quiet
        7102: ({"quiet_from": 14, "quiet_to": 16}, None),  # 15:00 in Baghdad: quiet
        7103: ({"quiet_from": 14, "quiet_to": 16}, "America/New_York"),  # 08:00 there: not quiet
        7104: ({"quiet_from": 22, "quiet_to": 9}, "America/New_York"),  # 08:00 there: quiet (past midnight)
    }
    standin.register_chats(chats, "private")
    for chat_id, (sub, tz) in chats.items():
        world.chat(chat_id)
        choose(world, chat_id, timezone=tz, **sub)
    world.broadcast(world.incident(), list(chats))
    drain(world, standin)
    silent = {m.chat_id: m.disable_notification for m in standin.sent()}
    assert silent == {7101: False, 7102: True, 7103: False, 7104: True}


def test_silent_updates_send_the_reply_without_a_sound_and_the_alert_with_one(
    world: World, standin: BotApiStandin
) -> None:
    standin.register_chats([7201, 7202], "private")
    for chat_id in (7201, 7202):
        world.chat(chat_id)
    choose(world, 7201, silent_updates=True)
    inc = world.incident()
    world.broadcast(inc, [7201, 7202])
    drain(world, standin)
    for chat_id in (7201, 7202):
        world.update(inc, chat_id, 2, [{"field": "killed", "old": None, "new": 2}])
    drain(world, standin)
    got = {(m.chat_id, m.reply_to is not None): m.disable_notification for m in standin.sent()}
    assert got == {(7201, False): False, (7201, True): True, (7202, False): False, (7202, True): False}


def test_the_alert_says_when_rasad_learned_of_it_in_the_chats_time_zone(world: World, standin: BotApiStandin) -> None:
    standin.register_chats([7301, 7302], "private")
    world.chat(7301, language="en")
    world.chat(7302, language="en")
    choose(world, 7302, timezone="Europe/London")
    world.broadcast(world.incident(), [7301, 7302])
    drain(world, standin)
    text = {m.chat_id: m.text for m in standin.sent()}
    assert "first reported 15:00 Baghdad time" in text[7301]
    assert "first reported 13:00 London time" in text[7302]


def test_alerts_go_to_the_chats_topic_and_to_general_once_the_topic_is_deleted(
    world: World, standin: BotApiStandin
) -> None:
    group = -1007401
    standin.register_chat(group, "supergroup", title="Forum", admins=[1], is_forum=True)
    topic = standin.open_topic(group)
    world.chat(group, type="supergroup", language="en")
    choose(world, group, thread_id=topic)
    world.broadcast(world.incident(), [group])
    drain(world, standin)
    [first] = standin.sent(group)
    assert first.thread_id == topic

    standin.delete_topic(group, topic)
    second = world.incident((("Other", "https://other.example/1"),))
    world.broadcast(second, [group])
    drain(world, standin)  # refused: the topic is gone; the chat is told, in General
    drain(world, standin)  # the alert goes again, to General
    sent = standin.sent(group)[1:]
    assert [m.thread_id for m in sent] == [None, None]
    assert sent[0].text.startswith("حُذف الموضوع") and "now go to the General topic" in sent[0].text
    assert "Ain al-Asad" in sent[1].text
    assert world.sub(group).thread_id is None  # type: ignore[union-attr]
    assert [r.state for r in world.rows()] == [OutboxState.SENT.value, OutboxState.SENT.value]
