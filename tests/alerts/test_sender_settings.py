"""A reload of the [telegram] rates reaches the running sender (it used to keep the section it started with)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import telegram

from bot.alerts.sender import OutboxSender
from bot.config import LiveSettings, load_settings
from bot.ops.operators import ConfigWatcher
from tests.alerts.conftest import World
from tests.support.telegram_standin import BotApiStandin

CONFIG = """\
[telegram]
global_rate = {rate}
chat_interval = "1s"
group_per_minute = 20
max_attempts = {attempts}
"""


def _write(path: Path, *, rate: float, attempts: int) -> None:
    path.write_text(CONFIG.format(rate=rate, attempts=attempts), encoding="utf-8")


async def _noop(*_args: object) -> None:
    return None


def _spread(world: World, chat_ids: range) -> timedelta:
    times = sorted(r.sent_at for r in world.rows() if r.chat_id in chat_ids and r.sent_at)
    assert len(times) == len(chat_ids)
    return times[-1] - times[0]


def test_a_reloaded_global_rate_and_max_attempts_reach_the_running_sender(
    world: World, standin: BotApiStandin, tmp_path: Path
) -> None:
    config = tmp_path / "rasad.toml"
    _write(config, rate=30, attempts=8)
    first, second = range(6000, 6010), range(6100, 6110)
    standin.register_chats([*first, *second], "private")
    for chat_id in [*first, *second]:
        world.chat(chat_id, language="en")

    async def main() -> None:
        watcher = ConfigWatcher(config, load_settings(config), apply=_noop, notify_admins=_noop)
        async with telegram.Bot(standin.token, base_url=standin.base_url) as bot:
            sender = OutboxSender(world.engine, bot, watcher.live, clock=world.clock, sleep=world.clock.sleep)
            try:
                world.broadcast(world.incident(), list(first))
                await sender.drain_once()
                _write(config, rate=2, attempts=3)
                outcome = await watcher.reload("test")
                assert outcome.ok and any("global_rate" in c for c in outcome.changes), outcome
                world.broadcast(world.incident(), list(second))
                await sender.drain_once()
                assert sender.policy.max_attempts == 3
            finally:
                sender.close()

    asyncio.run(main())
    assert _spread(world, first) < timedelta(seconds=1)  # 30 a second: ten sends within a third of a second
    assert _spread(world, second) >= timedelta(seconds=4.5)  # 2 a second after the reload: nine gaps of 0.5 s


def test_a_fixed_section_still_works_and_a_live_source_is_read_at_each_pass(
    world: World, standin: BotApiStandin
) -> None:
    chats = range(6200, 6204)
    standin.register_chats(chats, "private")
    for chat_id in chats:
        world.chat(chat_id, language="en")
    live = LiveSettings(load_settings(None))

    async def main() -> None:
        async with telegram.Bot(standin.token, base_url=standin.base_url) as bot:
            sender = OutboxSender(world.engine, bot, live, clock=world.clock, sleep=world.clock.sleep)
            try:
                assert sender.pacer.rate == live().telegram.global_rate
                slow = live().telegram.model_copy(update={"global_rate": 1.0})
                live.swap(live().model_copy(update={"telegram": slow}))
                world.broadcast(world.incident(), list(chats))
                await sender.drain_once()
                assert sender.pacer.rate == 1.0
            finally:
                sender.close()

    asyncio.run(main())
    assert _spread(world, chats) >= timedelta(seconds=3)
