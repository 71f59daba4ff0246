"""Guidance instead of silence, through the stand-in: text, links, Arabic command words, channel posts,
the bot added to a group, and the bot's description."""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from bot.models import Subscription
from bot.telegram import texts
from bot.telegram.args import command_of
from bot.telegram.guidance import LINK
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import running_bot


def test_plain_text_and_a_pasted_link_in_a_private_chat_get_a_short_answer(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            hello = await bot.say(3001, 3001, "hello?")
            assert "/subscribe" in hello.text and "/help" in hello.text and "only commands" in hello.text
            link = await bot.say(3001, 3001, "https://example.com/feed.xml")
            assert "link" in link.text and "operators" in link.text and "/subscribe" in link.text
            ar = await bot.say(3002, 3002, "مرحبا", "ar")
            assert "/subscribe" in ar.text and "أنا رصد" in ar.text
            with Session(bot.engine) as s:  # answering subscribes no one
                assert s.exec(select(Subscription)).all() == []

    asyncio.run(main())


def test_an_arabic_command_word_points_at_the_command_meant(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            ar = await bot.say(3003, 3003, "/اشتراك", "ar")
            assert "بالحروف اللاتينية" in ar.text and "/subscribe" in ar.text
            en = await bot.say(3004, 3004, "/الإعدادات", "en")
            assert "Latin letters" in en.text and "/settings" in en.text

    asyncio.run(main())


def test_subscribe_posted_inside_a_channel_says_how_to_subscribe_it(standin: BotApiStandin, sqlite_url: str) -> None:
    channel = -1009876543210
    standin.register_chat(channel, "channel", title="Watch", username="watchchan", admins=[3005])

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            answer = await bot.say(channel, 3005, "/subscribe")
            assert "/subscribe @watchchan" in answer.text and "private chat" in answer.text
            assert "محادثة خاصة" in answer.text  # no user to take a language from: both

    asyncio.run(main())


def test_the_bot_added_to_a_group_introduces_itself(standin: BotApiStandin, sqlite_url: str) -> None:
    group = -4101
    standin.register_chat(group, "group", title="Ops", admins=[3006])

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            standin.add_bot_to(group, 3006)
            [hello] = await bot.wait(lambda: standin.sent(group) or None)
            assert "an admin sends /subscribe" in hello.text

    asyncio.run(main())


def test_descriptions_are_set_in_both_languages(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            await bot.wait(lambda: standin.profile("short_description", "ar"))
            assert standin.profile("description") == texts.DESCRIPTION
            assert standin.profile("short_description") == texts.SHORT_DESCRIPTION["en"]
            assert standin.profile("short_description", "ar") == texts.SHORT_DESCRIPTION["ar"]

    asyncio.run(main())


def test_description_limits() -> None:
    assert len(texts.DESCRIPTION) <= 512
    assert all(len(t) <= 120 for t in texts.SHORT_DESCRIPTION.values())
    assert "رصد" in texts.DESCRIPTION and "Rasad" in texts.DESCRIPTION


def test_link_and_arabic_command_rules() -> None:
    assert LINK.search("see https://a.example/x") and LINK.search("www.rudaw.net/arabic")
    assert LINK.search("shafaq.com") and not LINK.search("hello there")
    assert texts.ARABIC_COMMANDS[command_of("/اشتراك@rasad_bot")[0]] == "subscribe"
    assert command_of("/شيء")[0] not in texts.ARABIC_COMMANDS
    assert all(c in {"start", "subscribe", "unsubscribe", "settings", "recent", "incident", "stats", "help", "about"}
               for c in texts.ARABIC_COMMANDS.values())


def test_command_menus_are_scoped_and_in_both_languages(standin: BotApiStandin, sqlite_url: str) -> None:
    from tests.telegram.bot_harness import bot_settings

    settings = bot_settings(standin, sqlite_url)
    settings = settings.model_copy(update={"telegram": settings.telegram.model_copy(update={"admins": (4242,)})})

    async def main() -> None:
        async with running_bot(standin, sqlite_url, settings=settings):
            pass

    asyncio.run(main())
    users = {"start", "help", "subscribe", "unsubscribe", "settings", "recent", "incident", "stats", "export", "about",
             "keywords"}
    readers = {"start", "help", "recent", "incident", "stats", "export", "about"}
    operators = {"feeds", "addfeed", "removefeed", "pausefeed", "resumefeed", "reload"}
    for lang in ("", "ar"):
        assert {n for n, _ in standin.commands_for(lang)} == users
        assert {n for n, _ in standin.commands_for(lang, {"type": "all_group_chats"})} == readers
        assert {n for n, _ in standin.commands_for(lang, {"type": "all_chat_administrators"})} == users
        assert {n for n, _ in standin.commands_for(lang, {"type": "chat", "chat_id": 4242})} == users | operators
    arabic = dict(standin.commands_for("ar", {"type": "chat", "chat_id": 4242}))
    assert arabic["reload"] == "إعادة قراءة ملف الإعدادات"
