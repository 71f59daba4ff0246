"""The pure delivery rules, one commented row per rule: what a Telegram answer means and what follows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.alerts.delivery import (
    Classified,
    Outcome,
    RetryPolicy,
    Step,
    backoff,
    classify,
    next_attempt,
)
from bot.alerts.delivery import verdict_for as decide  # the table's rows predate the name
from bot.alerts.pacing import Pacer, is_group

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def caused(exc: BaseException, cause: BaseException) -> BaseException:
    """PTB raises its errors `from` the httpx error; rebuild that chain."""
    exc.__cause__ = cause
    return exc


REQ = httpx.Request("POST", "http://127.0.0.1/bot/sendMessage")

CLASSIFY_ROWS: list[tuple[str, BaseException | None, Outcome]] = [
    # the call returned: sent
    ("ok", None, Outcome.SENT),
    # 429 with parameters.retry_after: wait what Telegram says
    ("flood", RetryAfter(7), Outcome.RETRY_AFTER),
    # 400 with migrate_to_chat_id: the group is a supergroup now
    ("migrated", ChatMigrated(-1001234), Outcome.MIGRATED),
    # 403: blocked by the user, kicked from the group
    ("blocked", Forbidden("Forbidden: bot was blocked by the user"), Outcome.FORBIDDEN),
    ("kicked", Forbidden("Forbidden: bot was kicked from the group chat"), Outcome.FORBIDDEN),
    # an edit that changes nothing is a success
    ("not modified", BadRequest("Message is not modified: specified new message content ..."), Outcome.NOT_MODIFIED),
    # any other 400: this message will never go; dead-letter it (BadRequest is a NetworkError: tested first)
    ("bad html", BadRequest("Can't parse entities: unsupported start tag"), Outcome.BAD_REQUEST),
    ("chat not found", BadRequest("Chat not found"), Outcome.BAD_REQUEST),
    # read timeout: Telegram may have the message already (TimedOut is a NetworkError: tested first)
    ("read timeout", caused(TimedOut(), httpx.ReadTimeout("t", request=REQ)), Outcome.AMBIGUOUS),
    ("bare timeout", TimedOut(), Outcome.AMBIGUOUS),
    # timeouts before the request left: nothing was delivered
    ("pool timeout", TimedOut("Pool timeout: All connections in the connection pool are occupied."), Outcome.TRANSIENT),
    ("connect timeout", caused(TimedOut(), httpx.ConnectTimeout("t", request=REQ)), Outcome.TRANSIENT),
    # the connection broke after the request went out: maybe delivered
    ("dropped answer", caused(NetworkError("httpx.ReadError"), httpx.RemoteProtocolError("x")), Outcome.AMBIGUOUS),
    # the connection could not be made: not delivered
    ("refused", caused(NetworkError("httpx.ConnectError"), httpx.ConnectError("x")), Outcome.TRANSIENT),
    # 5xx: PTB builds a NetworkError from the status, without an httpx cause
    ("502", NetworkError("Bad Gateway (502)"), Outcome.TRANSIENT),
    ("500", NetworkError("Internal Server Error"), Outcome.TRANSIENT),
    # the bot itself is unusable: no row is to blame
    ("bad token", InvalidToken("Unauthorized"), Outcome.FATAL),
    ("conflict", Conflict("terminated by other getUpdates request"), Outcome.FATAL),
    # anything else from Telegram or the transport: try again later
    ("odd telegram error", TelegramError("Invalid server response"), Outcome.TRANSIENT),
    ("bug in transport", RuntimeError("boom"), Outcome.TRANSIENT),
]


@pytest.mark.parametrize(("name", "exc", "outcome"), CLASSIFY_ROWS, ids=[r[0] for r in CLASSIFY_ROWS])
def test_classify(name: str, exc: BaseException | None, outcome: Outcome) -> None:
    assert classify(exc).outcome is outcome


def test_classify_keeps_what_telegram_said() -> None:
    assert classify(RetryAfter(7)).retry_after == timedelta(seconds=7)
    assert classify(ChatMigrated(-1001234)).new_chat_id == -1001234
    assert "blocked" in (classify(Forbidden("Forbidden: bot was blocked by the user")).reason or "")


POLICY = RetryPolicy(max_attempts=8, base=timedelta(seconds=5), cap=timedelta(minutes=1), max_uncertain=1)

NEXT_ROWS: list[tuple[str, int, Outcome, timedelta | None, int, datetime | None]] = [
    # (name, attempts so far incl. this one, outcome, retry_after, uncertain, expected)
    # flood control: exactly Telegram's wait, whatever the attempt count
    ("retry_after", 1, Outcome.RETRY_AFTER, 7 * S, 0, NOW + 7 * S),
    ("retry_after late", 9, Outcome.RETRY_AFTER, 30 * S, 0, NOW + 30 * S),
    # transient: base, doubling ...
    ("transient 1st", 1, Outcome.TRANSIENT, None, 0, NOW + 5 * S),
    ("transient 2nd", 2, Outcome.TRANSIENT, None, 0, NOW + 10 * S),
    ("transient 4th", 4, Outcome.TRANSIENT, None, 0, NOW + 40 * S),
    # ... up to the cap ...
    ("transient capped", 6, Outcome.TRANSIENT, None, 0, NOW + 60 * S),
    # ... and at max_attempts give up
    ("transient last", 8, Outcome.TRANSIENT, None, 0, None),
    # unknown outcome: retried once (it may repeat) ...
    ("ambiguous once", 1, Outcome.AMBIGUOUS, None, 1, NOW + 5 * S),
    # ... not twice
    ("ambiguous twice", 2, Outcome.AMBIGUOUS, None, 2, None),
    # migration: resend now, to the new id
    ("migrated", 1, Outcome.MIGRATED, None, 0, NOW),
    # final outcomes have no next attempt
    ("bad request", 1, Outcome.BAD_REQUEST, None, 0, None),
    ("forbidden", 1, Outcome.FORBIDDEN, None, 0, None),
]


@pytest.mark.parametrize(("name", "attempts", "outcome", "after", "uncertain", "expected"), NEXT_ROWS,
                         ids=[r[0] for r in NEXT_ROWS])
def test_next_attempt(
    name: str, attempts: int, outcome: Outcome, after: timedelta | None, uncertain: int, expected: datetime | None
) -> None:
    assert next_attempt(NOW, attempts, outcome, after, POLICY, uncertain=uncertain) == expected


def test_backoff_doubles_to_the_cap_and_survives_huge_counts() -> None:
    assert [backoff(n, POLICY).total_seconds() for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]
    assert backoff(10_000, POLICY) == POLICY.cap


DECIDE_ROWS: list[tuple[str, Classified, int, int, Step]] = [
    # (name, classified, attempts, uncertain, step)
    # sent, or an edit that was already in place: record it
    ("sent", Classified(Outcome.SENT), 1, 0, Step.DONE),
    ("not modified", Classified(Outcome.NOT_MODIFIED), 1, 0, Step.DONE),
    # blocked or kicked: the subscription goes
    ("forbidden", Classified(Outcome.FORBIDDEN, reason="blocked"), 1, 0, Step.DEACTIVATE),
    # the group moved: follow it
    ("migrated", Classified(Outcome.MIGRATED, new_chat_id=-100), 1, 0, Step.MIGRATE),
    # Telegram refused the message itself: dead letter, the others go on
    ("bad request", Classified(Outcome.BAD_REQUEST, reason="x"), 1, 0, Step.DEAD),
    # flood control: retry, and everything pauses
    ("flood", Classified(Outcome.RETRY_AFTER, retry_after=3 * S), 1, 0, Step.RETRY),
    # network trouble: retry with backoff until max_attempts
    ("transient", Classified(Outcome.TRANSIENT), 1, 0, Step.RETRY),
    ("transient exhausted", Classified(Outcome.TRANSIENT), 8, 0, Step.DEAD),
    # unknown outcome: one resend at most
    ("ambiguous", Classified(Outcome.AMBIGUOUS), 1, 1, Step.RETRY),
    ("ambiguous again", Classified(Outcome.AMBIGUOUS), 2, 2, Step.DEAD),
    # bad token: stop everything, blame no row
    ("fatal", Classified(Outcome.FATAL), 1, 0, Step.HALT),
]


@pytest.mark.parametrize(("name", "c", "attempts", "uncertain", "step"), DECIDE_ROWS, ids=[r[0] for r in DECIDE_ROWS])
def test_decide(name: str, c: Classified, attempts: int, uncertain: int, step: Step) -> None:
    assert decide(c, now=NOW, attempts=attempts, uncertain=uncertain, policy=POLICY).step is step


def test_only_flood_control_pauses_everyone() -> None:
    flood = decide(Classified(Outcome.RETRY_AFTER, retry_after=3 * S), now=NOW, attempts=1, uncertain=0, policy=POLICY)
    assert flood.pause_until == NOW + 3 * S == flood.at
    transient = decide(Classified(Outcome.TRANSIENT), now=NOW, attempts=1, uncertain=0, policy=POLICY)
    assert transient.pause_until is None


# --- pacing, on a fake clock ---------------------------------------------------------------------------

MS = timedelta(milliseconds=1)


def pacer() -> Pacer:
    return Pacer(rate=30, chat_interval=S, group_per_minute=20)


def send(p: Pacer, chat_id: int, chat_type: str, now: datetime, latency: timedelta) -> tuple[datetime, datetime]:
    """Wait for the Pacer, start, be answered `latency` later: (start, answer)."""
    at = p.ready_at(chat_id, chat_type, now)
    assert at is not None
    p.start(chat_id, chat_type, at)
    p.finish(chat_id, chat_type, at + latency)
    return at, at + latency


def test_starts_are_spaced_at_the_rate() -> None:
    p = pacer()
    t = NOW
    starts = []
    for chat_id in range(1, 11):
        start, t = send(p, chat_id, "private", t, timedelta(0))
        starts.append(start)
    assert starts[0] == NOW
    assert {b - a for a, b in itertools.pairwise(starts)} == {p.spacing}


def test_a_late_wake_up_does_not_push_every_later_send() -> None:
    p = pacer()
    p.start(1, "private", NOW)
    p.finish(1, "private", NOW)
    late = NOW + p.spacing + 5 * MS  # the event loop woke us 5 ms late
    p.start(2, "private", late)
    p.finish(2, "private", late)
    assert p.global_ready_at(late) == NOW + 2 * p.spacing


@pytest.mark.parametrize("latency_ms", [0, 40, 300])
def test_whatever_the_latency_no_second_holds_more_than_the_cap_at_telegram(latency_ms: int) -> None:
    # Telegram stamps a message anywhere between start and answer; take the worst case for the window:
    # each stamp is whichever end makes the densest second.
    p, t, spans = pacer(), NOW, []
    latency = latency_ms * MS
    for chat_id in range(1, 121):
        spans.append(send(p, chat_id, "private", t, latency))
        t = spans[-1][0]
    for i in range(len(spans) - p.cap):
        # the last possible stamp of send i and the first possible stamp of send i + cap are a window apart
        assert spans[i + p.cap][0] - spans[i][1] >= S


def test_sends_in_flight_hold_the_window_until_answered() -> None:
    p = Pacer(rate=3, chat_interval=S)
    for chat_id in (1, 2, 3):
        at = p.ready_at(chat_id, "private", NOW)
        assert at is not None
        p.start(chat_id, "private", at)
    assert p.ready_at(4, "private", NOW + S) is None  # three in flight: wait for an answer
    p.finish(1, "private", NOW + 2 * S)
    assert p.ready_at(4, "private", NOW + 2 * S) == NOW + 3 * S


def test_one_chat_waits_its_interval_after_the_answer_and_others_do_not_wait_for_it() -> None:
    p = pacer()
    send(p, 1, "private", NOW, 20 * MS)
    assert p.chat_ready_at(1, "private", NOW) == NOW + 20 * MS + S
    assert p.chat_ready_at(2, "private", NOW) == NOW


def test_a_group_gets_twenty_a_minute() -> None:
    p = pacer()
    t = NOW
    starts = []
    for _ in range(25):
        start, t = send(p, -100, "supergroup", t, 10 * MS)
        starts.append(start)
    assert all(b - a >= S for a, b in itertools.pairwise(starts))
    assert starts[20] >= starts[0] + timedelta(minutes=1)
    assert max(sum(1 for x in starts if w <= x < w + timedelta(minutes=1)) for w in starts) == 20


def test_a_private_chat_is_not_held_to_the_group_limit() -> None:
    p = pacer()
    t = NOW
    for _ in range(25):
        _, t = send(p, 7, "private", t, 0 * MS)
    assert p.chat_ready_at(7, "private", t) == t + S


def test_a_pause_holds_every_send() -> None:
    p = pacer()
    p.pause_until(NOW + 7 * S)
    assert p.ready_at(5, "private", NOW) == NOW + 7 * S
    assert p.chat_ready_at(5, "private", NOW) == NOW  # the chat itself is free; the hold is global


def test_a_command_reply_takes_its_place_in_the_window() -> None:
    p = Pacer(rate=2, chat_interval=S)
    p.note(1, "private", NOW)
    p.note(2, "private", NOW)
    assert p.ready_at(3, "private", NOW) == NOW + S


def test_old_history_is_forgotten() -> None:
    p = pacer()
    for chat_id in range(1000):
        p.note(chat_id, "private" if chat_id else "group", NOW)
    p.forget_before(NOW + timedelta(minutes=2))
    assert p.chat_ready_at(3, "private", NOW + timedelta(minutes=2)) == NOW + timedelta(minutes=2)
    assert not p._last and not p._groups


@pytest.mark.parametrize(
    ("chat_type", "chat_id", "group"),
    [
        ("private", 5, False),  # a user
        ("group", -5, True),  # basic group
        ("supergroup", -1005, True),
        ("channel", -1006, True),
        (None, -7, True),  # unknown type: a negative id is a group or channel
        (None, 7, False),
    ],
)
def test_is_group(chat_type: str | None, chat_id: int, group: bool) -> None:
    assert is_group(chat_type, chat_id) is group
