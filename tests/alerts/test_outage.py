"""A 10-minute Bot API outage (refused, then 502s, then 429s) loses nothing: every alert arrives, in order.

The sender runs as in service (`run(stop)`) against the stand-in on loopback; the clock is fake and its sleep
moves time at once, so ten minutes of outage take a few real seconds. The outage's phases follow the fake
clock: the stand-in is stopped (connections refused), then answers 502, then 429, then recovers.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections import defaultdict
from datetime import timedelta

import telegram

from bot.alerts.delivery import RetryPolicy
from bot.alerts.sender import OutboxSender
from bot.config import TelegramSettings
from bot.models import OutboxState
from tests.alerts.conftest import NOW, FakeTime, World
from tests.support.telegram_standin import RETRY_AFTER, SERVER_ERROR, BotApiStandin

REFUSED_UNTIL = timedelta(minutes=4)
BAD_GATEWAY_UNTIL = timedelta(minutes=7)
FLOOD_UNTIL = timedelta(minutes=10)
POLICY = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(minutes=1), max_age=timedelta(hours=24))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Outage:
    """Moves the stand-in through the outage's phases as the fake clock passes each boundary."""

    def __init__(self, standin: BotApiStandin, clock: FakeTime) -> None:
        self.standin, self.clock, self.phase = standin, clock, "refused"
        standin.stop()

    async def sleep(self, seconds: float) -> None:
        await self.clock.sleep(seconds)
        self.follow()

    def follow(self) -> None:
        t = self.clock.now - NOW
        if self.phase == "refused" and t >= REFUSED_UNTIL:
            self.standin.start()
            self.standin.fail_next(None, kind=SERVER_ERROR(502, html=True), times=100_000)
            self.phase = "502"
        if self.phase == "502" and t >= BAD_GATEWAY_UNTIL:
            self.standin.clear_faults()
            self.standin.fail_next(None, kind=RETRY_AFTER(20), times=100_000)
            self.phase = "429"
        if self.phase == "429" and t >= FLOOD_UNTIL:
            self.standin.clear_faults()
            self.phase = "up"


def test_a_ten_minute_outage_then_every_alert_arrives_in_order_and_operators_hear_twice(
    world: World, sqlite_url: str
) -> None:
    chats = list(range(7000, 7012))
    with BotApiStandin(port=_free_port()) as standin:
        standin.register_chats(chats, "private")
        for chat_id in chats:
            world.chat(chat_id, language="en")
        incidents = [world.incident() for _ in range(3)]
        for inc in incidents:
            world.broadcast(inc, chats)
        told: list[tuple[bool, str, timedelta]] = []

        async def tell(resumed: bool, detail: str) -> None:
            told.append((resumed, detail, world.clock.now - NOW))

        async def main() -> OutboxSender:
            async with telegram.Bot(standin.token, base_url=standin.base_url) as bot:
                outage = Outage(standin, world.clock)  # the bot knows itself (getMe) before Telegram goes away
                sender = OutboxSender(
                    world.engine, bot, TelegramSettings(), clock=world.clock, sleep=outage.sleep, policy=POLICY,
                    jitter=lambda: 0.0, on_delivery=tell,
                )
                stop = asyncio.Event()
                task = asyncio.create_task(sender.run(stop))
                try:
                    for _ in range(1200):
                        await asyncio.sleep(0.05)
                        outage.follow()
                        if {r.state for r in world.rows()} == {OutboxState.SENT.value}:
                            break
                        if world.clock.now - NOW > timedelta(hours=1):
                            break
                finally:
                    stop.set()
                    sender.wake()
                    await asyncio.wait_for(task, 30)
                    sender.close()
                return sender

        sender = asyncio.run(main())
        rows = world.rows()
        assert {r.state for r in rows} == {OutboxState.SENT.value}, [(r.id, r.state, r.last_error) for r in rows]
        assert all(r.sent_at is not None and r.sent_at - NOW >= FLOOD_UNTIL for r in rows)  # nothing early
        per_chat: dict[int, list[int]] = defaultdict(list)
        for m in standin.sent():
            found = re.search(r"Rasad #(\d+)", m.text)
            assert found is not None
            per_chat[m.chat_id].append(int(found.group(1)))
        assert per_chat == {c: incidents for c in chats}  # each alert once, in the order they were queued
        assert max(r.sent_at for r in rows if r.sent_at) - NOW < FLOOD_UNTIL + timedelta(minutes=2)
        # operators: told once when delivery stopped (at the first refusal) and once when it resumed
        assert [(resumed, at < timedelta(seconds=1) if not resumed else at >= FLOOD_UNTIL)
                for resumed, _, at in told] == [(False, True), (True, True)]
        assert sender.stalled_since is None and sender.stats.outages == 1
        assert standin.count_429 > 0 and len(standin.calls("sendMessage")) > len(rows)
