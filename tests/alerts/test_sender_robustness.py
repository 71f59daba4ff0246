"""Crash safety, uncertain sends, pacing under Telegram's limits, and the service loop.

Crash tests cancel a drain mid-broadcast (in process) and kill -9 a sender process mid-broadcast; the
pacing tests run with the stand-in enforcing the limits and count its 429 answers.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
import telegram

from bot.alerts.sender import OutboxSender
from bot.models import OutboxState
from tests.alerts.conftest import World, drain, with_sender
from tests.support.telegram_standin import DROP_RESPONSE, UNAUTHORIZED, BotApiStandin

REPO = Path(__file__).resolve().parents[2]


def _subscribers(world: World, standin: BotApiStandin, chat_ids: range) -> None:
    standin.register_chats(chat_ids, "private")
    for chat_id in chat_ids:
        world.chat(chat_id, language="en")


def test_cancelled_mid_broadcast_every_alert_still_goes_out_exactly_once(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    chats = range(1000, 1060)
    _subscribers(world, standin, chats)
    world.broadcast(inc, list(chats))

    async def cancel_midway(sender: OutboxSender) -> int:
        task = asyncio.create_task(sender.drain_once())
        await standin.async_wait_for(lambda: standin.total_sends >= 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return standin.total_sends

    sent_before = with_sender(world, standin, cancel_midway, fake=False)
    states = Counter(r.state for r in world.rows())
    assert states[OutboxState.SENT.value] == sent_before < len(chats)  # what went out was recorded, no more

    drain(world, standin, fake=False)

    assert Counter(m.chat_id for m in standin.sent()) == Counter(dict.fromkeys(chats, 1))
    assert {r.state for r in world.rows()} == {OutboxState.SENT.value}


def _child_sender(url: str, base_url: str, token: str) -> None:
    """Run in a child process: drain the outbox at Telegram's pace until killed."""
    from bot.config import TelegramSettings
    from bot.database import make_engine

    async def main() -> None:
        async with telegram.Bot(token, base_url=base_url) as bot:
            await OutboxSender(make_engine(url), bot, TelegramSettings()).drain_once()

    asyncio.run(main())


def test_kill_minus_nine_mid_broadcast_loses_nothing_and_repeats_only_logged_sends(
    world: World, standin: BotApiStandin, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    inc = world.incident()
    chats = range(2000, 2060)
    _subscribers(world, standin, chats)
    world.broadcast(inc, list(chats))
    code = "import sys; from tests.alerts.test_sender_robustness import _child_sender as c; c(*sys.argv[1:])"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, sqlite_url, standin.base_url, standin.token], cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        standin.wait_for(lambda: standin.total_sends >= 15, timeout=60)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert standin.total_sends < len(chats)
    in_flight = {r.chat_id for r in world.rows() if (r.last_error or "").startswith("in flight")}

    with caplog.at_level(logging.WARNING, logger="bot.alerts.outbox"):
        drain(world, standin, fake=False)

    per_chat = Counter(m.chat_id for m in standin.sent())
    assert set(per_chat) == set(chats)  # every pending alert went out
    repeated = {c for c, n in per_chat.items() if n > 1}
    assert max(per_chat.values()) <= 2
    assert repeated <= in_flight  # a repeat only where a send was under way at the kill ...
    logged = {int(r.args[1]) for r in caplog.records if "may see it twice" in r.getMessage()}  # type: ignore[index, arg-type]
    assert repeated <= logged and logged == in_flight  # ... and each such resend is logged
    assert {r.state for r in world.rows()} == {OutboxState.SENT.value}


def test_an_answer_lost_after_telegram_took_the_message_is_resent_once_and_logged(
    world: World, standin: BotApiStandin, caplog: pytest.LogCaptureFixture
) -> None:
    inc = world.incident()
    _subscribers(world, standin, range(101, 102))
    row_id = world.alert(inc, 101)
    standin.fail_next("sendMessage", 101, kind=DROP_RESPONSE)  # processed, then the connection is dropped

    with caplog.at_level(logging.WARNING, logger="bot.alerts.sender"):
        drain(world, standin)
        row = world.row(row_id)
        assert row.state == OutboxState.PENDING.value and len(standin.sent(101)) == 1
        world.clock.advance(timedelta(seconds=5))
        drain(world, standin)

    assert world.row(row_id).state == OutboxState.SENT.value
    assert len(standin.sent(101)) == 2  # the documented repeat
    assert any("may repeat" in r.getMessage() for r in caplog.records)


def test_an_answer_lost_twice_is_not_resent_a_third_time(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _subscribers(world, standin, range(101, 102))
    row_id = world.alert(inc, 101)
    standin.fail_next("sendMessage", 101, kind=DROP_RESPONSE, times=2)
    drain(world, standin)
    world.clock.advance(timedelta(seconds=5))
    drain(world, standin)
    row = world.row(row_id)
    assert row.state == OutboxState.DEAD.value and "outcome unknown again" in (row.last_error or "")
    assert len(standin.sent(101)) == 2


def test_a_hundred_chats_and_busy_groups_at_full_speed_get_no_429(sqlite_url: str, world: World) -> None:
    with BotApiStandin(enforce_rate_limits=True) as standin:
        chats = range(3000, 3100)
        _subscribers(world, standin, chats)
        groups = [-1001000000001, -1001000000002]
        for g in groups:
            standin.register_chat(g, "supergroup")
            world.chat(g, type="supergroup")
        incidents = [world.incident() for _ in range(3)]
        world.broadcast(incidents[0], list(chats))
        for inc in incidents:
            world.broadcast(inc, groups)

        drain(world, standin, fake=False)

        assert standin.count_429 == 0
        assert {r.state for r in world.rows()} == {OutboxState.SENT.value}
        assert standin.total_sends == 100 + 3 * len(groups)


def test_a_group_gets_twenty_a_minute_and_private_chats_do_not_wait_for_it(world: World) -> None:
    clock = world.clock
    with BotApiStandin(enforce_rate_limits=True, clock=clock.monotonic) as standin:
        group = -1001000000009
        standin.register_chat(group, "supergroup")
        world.chat(group, type="supergroup")
        for _ in range(25):
            world.alert(world.incident(), group)
        _subscribers(world, standin, range(4000, 4005))
        late = world.incident()
        world.broadcast(late, list(range(4000, 4005)))

        drain(world, standin)

        assert standin.count_429 == 0
        rows = world.rows()
        group_times = sorted(r.sent_at for r in rows if r.chat_id == group and r.sent_at)
        private_times = [r.sent_at for r in rows if r.chat_id != group and r.sent_at]
        assert len(group_times) == 25 and len(private_times) == 5
        assert group_times[20] - group_times[0] >= timedelta(minutes=1)
        assert max(private_times) < group_times[20]  # the group's wait did not hold the private chats


def test_a_command_reply_does_not_wait_behind_a_broadcast(world: World) -> None:
    with BotApiStandin(enforce_rate_limits=True) as standin:
        chats = range(5000, 5060)
        _subscribers(world, standin, chats)
        world.broadcast(world.incident(), list(chats))
        standin.register_chat(77)

        async def broadcast_and_reply(sender: OutboxSender) -> None:
            task = asyncio.create_task(sender.drain_once())
            await standin.async_wait_for(lambda: standin.total_sends >= 5)
            async with telegram.Bot(standin.token, base_url=standin.base_url) as replies:  # the app's own Bot
                await replies.send_message(77, "pong")
            sender.note_reply(77, "private")
            await task

        with_sender(world, standin, broadcast_and_reply, fake=False)
        order = [m.chat_id for m in standin.sent()]
        assert order.index(77) < len(order) - 30  # answered mid-broadcast, not after it
        assert standin.count_429 == 0


def test_run_sends_what_arrives_and_stops_when_told(world: World, standin: BotApiStandin) -> None:
    _subscribers(world, standin, range(101, 103))

    async def service(sender: OutboxSender) -> int:
        stop = asyncio.Event()
        runner = asyncio.create_task(sender.run(stop))
        inc = await asyncio.to_thread(world.incident)
        await asyncio.to_thread(world.broadcast, inc, [101, 102])
        sender.wake()
        await standin.async_wait_for(lambda: standin.total_sends == 2)
        stop.set()
        await asyncio.wait_for(runner, timeout=30)
        return sender.stats.sent

    assert with_sender(world, standin, service, fake=False, idle=timedelta(minutes=10)) == 2
    assert {r.state for r in world.rows()} == {OutboxState.SENT.value}


def test_a_refused_token_halts_the_sender_and_blames_no_row(world: World, standin: BotApiStandin) -> None:
    inc = world.incident()
    _subscribers(world, standin, range(101, 104))
    world.broadcast(inc, [101, 102, 103])
    standin.fail_next("sendMessage", kind=UNAUTHORIZED)

    assert drain(world, standin, max_in_flight=1) == 0

    rows = world.rows()
    assert {r.state for r in rows} == {OutboxState.PENDING.value}
    assert all(r.attempts == 0 for r in rows) and standin.total_sends == 0
    assert len(standin.calls("sendMessage")) == 1  # it stopped at the first refusal
