"""User commands through the stand-in, driving the real Application that run_bot starts."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from bot.models import Chat, Subscription
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import running_bot


def test_start_answers_in_arabic_for_an_arabic_user_and_english_otherwise(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            ar = await bot.say(501, 501, "/start", "ar")
            en = await bot.say(502, 502, "/start", "en-GB")
            assert "رصد" in ar.text and "/subscribe" in ar.text
            assert "Rasad watches Arabic news" in en.text
            with Session(bot.engine) as s:
                langs = {c.chat_id: c.language for c in s.exec(select(Chat)).all()}
            assert langs == {501: "ar", 502: "en"}

    asyncio.run(main())


def test_subscribe_creates_one_subscription_and_unsubscribe_deactivates_it(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            first = await bot.say(601, 601, "/subscribe")
            again = await bot.say(601, 601, "/subscribe")
            assert first.text.startswith("Subscribed") and again.text.startswith("Already subscribed")
            with Session(bot.engine) as s:
                subs = s.exec(select(Subscription)).all()
                assert [(x.chat_id, x.active) for x in subs] == [(601, True)]
            off = await bot.say(601, 601, "/unsubscribe")
            assert off.text.startswith("Alerts stopped")
            with Session(bot.engine) as s:
                assert [x.active for x in s.exec(select(Subscription)).all()] == [False]

    asyncio.run(main())
