"""Many people at once: new users and groups subscribing in one getUpdates batch, presses arriving together.

Every update of a batch is queued on the stand-in while delivery is held, so the bot receives them all in
one getUpdates answer and handles them concurrently, as it would after a quiet spell on Telegram.
"""

from __future__ import annotations

import asyncio

from sqlmodel import Session, col, select

from bot.models import Chat, Subscription
from bot.telegram.texts import error_text
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import running_bot

ERRORS = (error_text("en"), error_text("ar"))


def _active_subscriptions(bot_engine: object) -> set[int]:
    from sqlalchemy.engine import Engine

    assert isinstance(bot_engine, Engine)
    with Session(bot_engine) as s:
        return set(s.exec(select(Subscription.chat_id).where(col(Subscription.active))).all())


def test_twenty_new_users_start_and_subscribe_in_one_batch(standin: BotApiStandin, db_url: str) -> None:
    users = list(range(9001, 9021))

    async def main() -> None:
        async with running_bot(standin, db_url) as bot:
            with standin.held_updates():
                for user in users:
                    standin.user_sends(user, user, "/start")
                    standin.user_sends(user, user, "/subscribe")
            await bot.wait(lambda: all(len(standin.sent(u)) >= 2 for u in users), timeout=30)
            for user in users:
                texts = [m.text for m in standin.sent(user)]
                assert not any(t in ERRORS for t in texts), (user, texts)
                assert texts[1].startswith("Subscribed"), (user, texts)  # each chat's replies come in order
            assert _active_subscriptions(bot.engine) == set(users)
            with Session(bot.engine) as s:
                assert len(s.exec(select(Chat)).all()) == len(users)

    asyncio.run(main())


def test_ten_new_groups_where_two_admins_subscribe_at_once(standin: BotApiStandin, db_url: str) -> None:
    groups = {-5000 - i: (7000 + 2 * i, 7001 + 2 * i) for i in range(10)}
    for group, admins in groups.items():
        standin.register_chat(group, "group", title=f"Base watch {group}", admins=admins)

    async def main() -> None:
        async with running_bot(standin, db_url) as bot:
            with standin.held_updates():
                for group, (first, second) in groups.items():
                    standin.user_sends(group, first, "/subscribe")
                    standin.user_sends(group, second, "/subscribe")
            await bot.wait(lambda: all(len(standin.sent(g)) >= 2 for g in groups), timeout=30)
            for group in groups:
                texts = sorted(m.text.split(".")[0] for m in standin.sent(group))
                assert texts == ["Already subscribed", "Subscribed"], (group, texts)
            assert _active_subscriptions(bot.engine) == set(groups)

    asyncio.run(main())


def test_three_settings_presses_in_one_batch_are_all_kept(standin: BotApiStandin, db_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, db_url) as bot:
            await bot.say(702, 702, "/subscribe")
            menu = await bot.say(702, 702, "/settings")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            with standin.held_updates():
                for label in ("✅ Syria", "✅ Supply convoys", "✅ Update messages"):
                    standin.user_presses(702, 702, menu.message_id, data[label])
            await bot.wait(lambda: len(standin.callback_answers()) >= 3)
            assert all(a.text and a.text not in ERRORS for a in standin.callback_answers())
            with Session(bot.engine) as s:
                sub = s.exec(select(Subscription)).one()
                assert sub.countries == ["iraq", "jordan", "other"]
                assert sub.include_convoy is False and sub.send_updates is False and sub.active

    asyncio.run(main())
