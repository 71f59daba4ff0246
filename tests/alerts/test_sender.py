"""The outbox sender against the Bot API stand-in over loopback, with a real SQLite file and a real PTB Bot."""

from __future__ import annotations

import re
from datetime import timedelta

from prometheus_client import CollectorRegistry

from bot.counters import SENDS
from bot.models import OutboxKind, OutboxState
from tests.alerts.conftest import NOW, POLICY, World, drain
from tests.support.telegram_standin import (
    BAD_REQUEST,
    RETRY_AFTER,
    SERVER_ERROR,
    BotApiStandin,
    ChatType,
    utf16_len,
)

ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_alert_goes_out_in_each_chats_language_as_valid_html_without_preview(
    world: World, standin: BotApiStandin
) -> None:
    inc = world.incident()
    chats = {101: "ar", 102: "en", 103: "both", -1000200: "both"}
    for chat_id, lang in chats.items():
        kind: ChatType = "supergroup" if chat_id < 0 else "private"
        standin.register_chat(chat_id, kind)
        world.chat(chat_id, type=kind, language=lang)
        world.alert(inc, chat_id)

    assert drain(world, standin) == 4

    for chat_id, lang in chats.items():
        [msg] = standin.sent(chat_id)
        assert msg.parse_mode is not None and msg.parse_mode.lower() == "html"
        assert msg.link_preview_disabled
        assert f"#{inc}" in msg.text
        assert "https://www.rudaw.net/a/1" in msg.links
        assert any("openstreetmap.org" in url for url in msg.links)
        assert "Rudaw <b>&amp;" in msg.text  # feed text shown literally: it was escaped, not interpreted
        has_ar, has_en = bool(ARABIC.search(msg.text)), "Rasad #" in msg.text
        assert (has_ar, has_en) == {"ar": (True, False), "en": (False, True), "both": (True, True)}[lang]
    for row in world.rows():
        assert row.state == OutboxState.SENT.value and row.attempts == 1 and row.last_error is None
        assert row.telegram_message_id == standin.sent(row.chat_id)[0].message_id
        assert row.sent_at is not None


def _private(world: World, standin: BotApiStandin, *chat_ids: int, language: str = "both") -> None:
    for chat_id in chat_ids:
        standin.register_chat(chat_id, "private")
        world.chat(chat_id, language=language)


def test_retry_after_waits_what_telegram_says_and_holds_every_send(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101, 102, 103)
    first = world.alert(inc, 101)
    others = [world.alert(inc, 102), world.alert(inc, 103)]
    standin.fail_next("sendMessage", 101, kind=RETRY_AFTER(7))

    assert drain(world, standin, max_in_flight=1) == 4  # the refused attempt, then all three sent

    assert len(standin.sent(101)) == 1 and standin.count_429 == 1
    row = world.row(first)
    assert row.state == OutboxState.SENT.value and row.attempts == 2
    assert row.sent_at is not None and row.sent_at >= NOW + timedelta(seconds=7)
    for other in others:  # the flood wait held the other chats too
        sent_at = world.row(other).sent_at
        assert sent_at is not None and sent_at >= NOW + timedelta(seconds=7)


def test_forbidden_deactivates_the_subscription_and_sets_its_rows_aside(world: World, standin: BotApiStandin) -> None:
    a, b = world.incident(), world.incident()
    _private(world, standin, 101, 102)
    standin.block(102)
    rows = {(inc, chat): world.alert(inc, chat) for inc in (a, b) for chat in (101, 102)}

    drain(world, standin)

    sub = world.sub(102)
    assert sub is not None and not sub.active and "blocked" in (sub.deactivated_reason or "")
    assert [world.row(rows[(i, 102)]).state for i in (a, b)] == [OutboxState.DEAD.value, OutboxState.SKIPPED.value]
    assert len([c for c in standin.calls("sendMessage") if c.params.get("chat_id") in (102, "102")]) == 1
    assert len(standin.sent(101)) == 2
    assert world.sub(101) is not None and world.sub(101).active  # type: ignore[union-attr]


def test_a_migrated_group_moves_and_gets_the_alert_at_its_new_id(world: World, standin: BotApiStandin) -> None:
    old, new = -300, -1000000000300
    inc = world.incident()
    standin.register_chat(old, "group", title="Watchers")
    world.chat(old, type="group", language="en")
    row_id = world.alert(inc, old)
    standin.migrate_chat(old, new, notify=False)

    drain(world, standin)

    [msg] = standin.sent(new)
    assert "Rasad #" in msg.text and not standin.sent(old)
    row = world.row(row_id)
    assert (row.chat_id, row.state, row.telegram_message_id) == (new, OutboxState.SENT.value, msg.message_id)
    moved = world.chat_row(new)
    assert moved is not None and moved.language == "en" and moved.type == "supergroup"
    assert world.chat_row(old) is None
    sub = world.sub(new)
    assert sub is not None and sub.active


def test_a_bad_request_is_dead_lettered_with_its_reason_and_the_others_go_on(
    world: World, standin: BotApiStandin
) -> None:
    inc = world.incident()
    _private(world, standin, 101, 102, 103)
    ids = [world.alert(inc, c) for c in (101, 102, 103)]
    standin.fail_next("sendMessage", 102, kind=BAD_REQUEST("Bad Request: message is too long"))

    registry = CollectorRegistry()
    registry.register(SENDS)
    before = {
        o: registry.get_sample_value("rasad_telegram_sends_total", {"outcome": o}) or 0 for o in ("sent", "bad_request")
    }
    drain(world, standin)

    states = [world.row(i).state for i in ids]
    assert states == [OutboxState.SENT.value, OutboxState.DEAD.value, OutboxState.SENT.value]
    assert "message is too long" in (world.row(ids[1]).last_error or "").lower()
    sub = world.sub(102)
    assert sub is not None and sub.active  # the message was at fault, not the chat
    after = {o: registry.get_sample_value("rasad_telegram_sends_total", {"outcome": o}) or 0 for o in before}
    assert (after["sent"] - before["sent"], after["bad_request"] - before["bad_request"]) == (2, 1)  # /metrics


def test_chat_not_found_deactivates_the_subscription_and_sets_its_rows_aside(
    world: World, standin: BotApiStandin
) -> None:
    a, b = world.incident(), world.incident()
    _private(world, standin, 101)
    world.chat(102)  # subscribed in our database, unknown to Telegram: "chat not found"
    rows = {(inc, chat): world.alert(inc, chat) for inc in (a, b) for chat in (101, 102)}

    drain(world, standin)

    sub = world.sub(102)
    assert sub is not None and not sub.active and "chat not found" in (sub.deactivated_reason or "").lower()
    assert [world.row(rows[(i, 102)]).state for i in (a, b)] == [OutboxState.DEAD.value, OutboxState.SKIPPED.value]
    assert "chat not found" in (world.row(rows[(a, 102)]).last_error or "").lower()
    assert len(standin.sent(101)) == 2


def test_server_errors_back_off_exponentially_then_succeed(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101)
    row_id = world.alert(inc, 101)
    standin.fail_next("sendMessage", 101, kind=SERVER_ERROR(502, html=True))
    standin.fail_next("sendMessage", 101, kind=SERVER_ERROR(500))
    clock = world.clock

    drain(world, standin)
    row = world.row(row_id)
    assert (row.state, row.attempts) == ("pending", 1) and row.next_attempt_at is not None
    first_wait = row.next_attempt_at - clock.now
    assert first_wait == timedelta(seconds=5) and (row.last_error or "").startswith("transient")

    assert drain(world, standin) == 0  # not due yet: nothing is sent early
    clock.advance(first_wait)
    drain(world, standin)
    row = world.row(row_id)
    assert (row.state, row.attempts) == ("pending", 2)
    assert row.next_attempt_at is not None and row.next_attempt_at - clock.now == timedelta(seconds=10)

    clock.advance(timedelta(seconds=10))
    drain(world, standin)
    row = world.row(row_id)
    assert (row.state, row.attempts) == ("sent", 3) and len(standin.sent(101)) == 1


def test_a_failing_row_is_retried_until_too_old_then_dead(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101)
    row_id = world.alert(inc, 101)
    standin.fail_next("sendMessage", 101, kind=SERVER_ERROR(503), times=50)
    drains = 0
    while world.row(row_id).state == OutboxState.PENDING.value and drains < 20:
        drain(world, standin)
        world.clock.advance(POLICY.cap)
        drains += 1
    row = world.row(row_id)
    assert row.state == OutboxState.DEAD.value and row.attempts > 4  # a count no longer ends a row ...
    assert "too old to send" in (row.last_error or "")  # ... its age does (POLICY.max_age: 4 minutes)
    assert len(standin.calls("sendMessage")) == row.attempts


def test_a_new_source_is_added_to_the_sent_alert_by_an_edit(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101, 102)
    world.chat(103)  # will not be reached (unknown to Telegram): nothing to edit there
    ids = [world.alert(inc, c) for c in (101, 102, 103)]
    drain(world, standin)
    world.add_source(inc, "Shafaq News", "https://shafaq.com/en/a/9")

    drain(world, standin)

    for chat_id, row_id in zip((101, 102), ids, strict=False):
        [edit] = standin.edits(chat_id)
        [msg] = standin.sent(chat_id)
        assert edit.message_id == msg.message_id
        assert "https://shafaq.com/en/a/9" in edit.links and "https://www.rudaw.net/a/1" in edit.links
        assert edit.link_preview_disabled and edit.parse_mode is not None
        assert world.row(row_id).state == OutboxState.SENT.value
    assert world.row(ids[2]).state == OutboxState.DEAD.value and not standin.edits(103)


def test_an_edit_that_changes_nothing_counts_as_done(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101)
    row_id = world.alert(inc, 101)
    drain(world, standin)
    world.add_source(inc, "Rudaw <b>&amp;", "https://www.rudaw.net/a/1")  # the same outlet again: same text
    drain(world, standin)
    row = world.row(row_id)
    assert row.state == OutboxState.SENT.value and row.last_error is None
    assert not standin.edits(101)
    assert (standin.calls("editMessageText")[0].description or "").startswith("Bad Request: message is not")


def test_an_update_replies_to_the_original_alert(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101)
    _private(world, standin, 102, language="ar")
    for chat_id in (101, 102):
        world.alert(inc, chat_id)
    drain(world, standin)
    for chat_id in (101, 102):
        world.update(inc, chat_id, 2, [{"field": "killed", "old": None, "new": 2}])

    drain(world, standin)

    for chat_id in (101, 102):
        alert, reply = standin.sent(chat_id)
        assert reply.reply_to == alert.message_id
        assert f"#{inc}" in reply.text and reply.parse_mode is not None
    assert "Update" in standin.sent(101)[1].text
    assert "تحديث" in standin.sent(102)[1].text and "Update" not in standin.sent(102)[1].text


def test_an_update_waits_for_its_alert(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101)
    world.alert(inc, 101)
    standin.fail_next("sendMessage", 101, kind=SERVER_ERROR(500))
    drain(world, standin)  # the alert failed once and waits 5 s
    update = world.update(inc, 101, 2, [{"field": "killed", "old": None, "new": 2}])
    drain(world, standin)
    assert not standin.sent(101) and world.row(update).state == OutboxState.PENDING.value

    world.clock.advance(timedelta(seconds=5))
    drain(world, standin)  # the alert goes; its update was loaded before the alert was sent, so it waits a little
    world.clock.advance(timedelta(seconds=5))
    drain(world, standin)
    alert, reply = standin.sent(101)
    assert reply.reply_to == alert.message_id


def test_an_update_for_an_undelivered_alert_is_skipped(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    world.chat(102)
    world.alert(inc, 102)
    drain(world, standin)  # chat not found: dead
    update = world.update(inc, 102, 2, [{"field": "killed", "old": None, "new": 2}])
    drain(world, standin)
    assert world.row(update).state == OutboxState.SKIPPED.value


def test_an_inactive_subscription_gets_nothing(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    standin.register_chat(101)
    world.chat(101, active=False)
    row_id = world.alert(inc, 101)
    drain(world, standin)
    assert not standin.sent(101) and world.row(row_id).state == OutboxState.SKIPPED.value


def test_a_hostile_many_source_alert_stays_within_telegrams_limit(world: World, standin: BotApiStandin) -> None:
    sources = [
        (f"<i>وكالة 😀 {'ب' * 80} {i}</i> & \u202e", f"https://news{i}.example/a?x=<{i}>&y=1") for i in range(60)
    ]
    inc = world.incident(sources, lat=None, lon=None)
    _private(world, standin, 101)
    world.alert(inc, 101)

    drain(world, standin)

    [msg] = standin.sent(101)
    assert utf16_len(msg.text) <= 4096 and utf16_len(msg.raw_text) <= 4096
    assert msg.links and all("openstreetmap" not in url for url in msg.links)  # no coordinates, no map
    assert "\u202e" not in msg.text


def test_an_update_names_the_outlet_that_brought_the_change(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _private(world, standin, 101)
    world.alert(inc, 101)
    drain(world, standin)
    world._row(inc, 101, 2, OutboxKind.UPDATE, {
        "changes": [{"field": "count", "old": 3, "new": 8}, {"field": "intercepted", "old": False, "new": True}],
        "source": "Shafaq News", "url": "https://shafaq.com/en/a/9",
    })

    drain(world, standin)

    _alert, reply = standin.sent(101)
    assert "according to Shafaq News" in reply.text and "بحسب Shafaq News" in reply.text
    assert "https://shafaq.com/en/a/9" in reply.links
    assert "count now 8 rockets" in reply.text and "intercepted" in reply.text
