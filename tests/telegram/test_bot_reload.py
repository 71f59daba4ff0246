"""A running bot's sender follows a reloaded telegram.global_rate (it used to keep the rate it started with).

The real run_bot with a config file; an admin's /reload lowers the rate from 30 to 1 message a second,
then a feed item alerts six subscribers: the sends are spread a second apart, not bunched.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from bot.config import load_settings
from bot.models import Chat, Subscription
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import fresh_engine, running_bot
from tests.telegram.test_bot_end_to_end import ITEM_A, alerts, write_feed

pytest.importorskip("bot.alerts.sender")

ADMIN = 9001
CHATS = range(3001, 3007)
CONFIG = """\
[telegram]
api_base_url = "{api}"
admins = [{admin}]
global_rate = {rate}

[database]
url = "{db}"

[polling]
tick = "1s"
interval = "1s"

[admin]
watch_config = false

[[feeds]]
name = "Outlet A"
url = "{feed}"
max_age = "0s"
"""


def test_a_reload_slows_the_running_senders_broadcast(standin: BotApiStandin, sqlite_url: str, tmp_path: Path) -> None:
    feed, config = tmp_path / "a.xml", tmp_path / "rasad.toml"
    write_feed(feed, "Outlet A")

    def write_config(rate: float) -> None:
        config.write_text(
            CONFIG.format(api=standin.base_url, admin=ADMIN, rate=rate, db=sqlite_url, feed=feed.as_uri()),
            encoding="utf-8",
        )

    write_config(30)
    engine = fresh_engine(sqlite_url)
    now = datetime.now(UTC)
    with Session(engine) as s:
        for chat_id in CHATS:
            s.add(Chat(chat_id=chat_id, language="en", created_at=now, updated_at=now))
            s.flush()
            s.add(Subscription(chat_id=chat_id, created_at=now))
        s.commit()
    engine.dispose()
    standin.register_chats(CHATS, "private")
    standin.register_chat(ADMIN)

    async def main() -> None:
        async with running_bot(standin, sqlite_url, settings=load_settings(config), config_path=config) as bot:
            write_config(1)
            answer = await bot.say(ADMIN, ADMIN, "/reload")
            assert "global_rate" in answer.text, answer.text
            write_feed(feed, "Outlet A", ITEM_A)
            await bot.wait(lambda: all(alerts(standin, c) for c in CHATS) or None, timeout=30)

    asyncio.run(main())
    starts = sorted(
        c.at for c in standin.calls("sendMessage") if c.status == 200 and int(str(c.params.get("chat_id"))) in CHATS
    )
    assert len(starts) == len(CHATS)
    assert starts[-1] - starts[0] >= 4.0  # 1 a second after the reload: five gaps; at 30 a second, ~0.2 s
