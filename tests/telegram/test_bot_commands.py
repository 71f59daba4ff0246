"""User commands through the stand-in, driving the real Application that run_bot starts."""

from __future__ import annotations

import asyncio
import json

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
                langs = {c.chat_id: (c.language, c.menu_language) for c in s.exec(select(Chat)).all()}
            # Alerts in both languages whatever the user's; menus follow each user until someone chooses.
            assert langs == {501: ("both", None), 502: ("both", None)}

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


def test_settings_keyboard_toggles_language_and_countries_and_the_database_follows(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            await bot.say(701, 701, "/subscribe")
            menu = await bot.say(701, 701, "/settings")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            assert "✅ Both" in data and "✅ Iraq" in data and "✅ 💬 Auto" in data  # defaults; no countries = all
            assert "Alerts in Arabic and English · all countries" in menu.text

            before = len(standin.edits(701))
            standin.user_presses(701, 701, menu.message_id, data["⬜ English"])
            await bot.wait(lambda: len(standin.edits(701)) > before)
            standin.user_presses(701, 701, menu.message_id, data["✅ Syria"])
            await bot.wait(lambda: len(standin.edits(701)) > before + 1)
            standin.user_presses(701, 701, menu.message_id, data["✅ Supply convoys"])
            await bot.wait(lambda: len(standin.edits(701)) > before + 2)

            with Session(bot.engine) as s:
                chat = s.get(Chat, 701)
                sub = s.exec(select(Subscription)).one()
                assert chat is not None and chat.language == "en"
                assert sub.countries == ["iraq", "jordan", "other"] and sub.include_convoy is False and sub.active
            shown = {b["text"] for b in standin.edits(701)[-1].buttons}
            assert {"✅ English", "⬜ Syria", "✅ Iraq", "⬜ Supply convoys"} <= shown
            assert all(a.text for a in standin.callback_answers())  # every press was answered

            standin.user_presses(701, 701, menu.message_id, data["⬜ 💬 Arabic"])
            await bot.wait(lambda: len(standin.edits(701)) > before + 3)
            assert "إعدادات التنبيهات" in standin.edits(701)[-1].text  # the menu now speaks Arabic
            with Session(bot.engine) as s:
                chat = s.get(Chat, 701)
                assert chat is not None and (chat.language, chat.menu_language) == ("en", "ar")
            assert "الاشتراك مفعّل بالفعل" in (await bot.say(701, 701, "/subscribe", "en")).text  # whoever asks

            # A row's title explains its choice and changes nothing.
            n = len(standin.callback_answers())
            standin.user_presses(701, 701, menu.message_id, data["ℹ️ Alert language"])
            [explained] = await bot.wait(lambda: standin.callback_answers()[n:])
            assert explained.show_alert and "العربية أو الإنجليزية" in (explained.text or "")

            # Done: the menu gives way to what was saved.
            edits = len(standin.edits(701))
            standin.user_presses(701, 701, menu.message_id, data["Done"])
            await bot.wait(lambda: len(standin.edits(701)) > edits)
            done = standin.edits(701)[-1]
            assert "تم حفظ الإعدادات" in done.text and "بالإنجليزية" in done.text and not done.buttons

    asyncio.run(main())


def test_unticking_the_last_country_is_refused_with_a_reason(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            menu = await bot.say(702, 702, "/settings")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            for i, label in enumerate(("✅ Iraq", "✅ Syria", "✅ Elsewhere"), 1):
                standin.user_presses(702, 702, menu.message_id, data[label])
                await bot.wait(lambda i=i: len(standin.callback_answers()) >= i)  # type: ignore[misc]
            n = len(standin.callback_answers())
            standin.user_presses(702, 702, menu.message_id, data["✅ Jordan"])
            answers = await bot.wait(lambda: standin.callback_answers()[n:])
            assert "at least one country" in (answers[0].text or "")
            with Session(bot.engine) as s:
                assert s.exec(select(Subscription)).one().countries == ["jordan"]

    asyncio.run(main())


def test_in_a_group_only_admins_change_the_subscription_and_settings(standin: BotApiStandin, sqlite_url: str) -> None:
    group = -4001
    standin.register_chat(group, "group", title="Ops <room>", admins=[801])
    standin.register_user(802, "Member")

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            refused = await bot.say(group, 802, "/subscribe")
            assert "Only the group's admins" in refused.text
            with Session(bot.engine) as s:
                assert s.exec(select(Subscription)).all() == []
            ok = await bot.say(group, 801, "/subscribe")
            assert ok.text.startswith("Subscribed")
            assert ok.reply_to is not None  # in groups the answer quotes the command

            menu = await bot.say(group, 801, "/settings")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            n = len(standin.callback_answers())
            standin.user_presses(group, 802, menu.message_id, data["⬜ Arabic"])
            answers = await bot.wait(lambda: standin.callback_answers()[n:])
            assert answers[0].show_alert and "Only admins" in (answers[0].text or "")
            assert (await bot.say(group, 802, "/settings")).text.startswith("Only the group's admins")
            with Session(bot.engine) as s:
                chat = s.get(Chat, group)
                assert chat is not None and chat.language == "both" and chat.type == "group"
                assert chat.title == "Ops <room>"
                assert s.exec(select(Subscription)).one().active
            # reading is for everyone
            assert "No incidents" in (await bot.say(group, 802, "/recent")).text
            # The admins choose the group's menu language; then everyone is answered in it.
            # Until they do, each member is answered in their own language, not the first speaker's.
            assert "لم يُسجَّل" in (await bot.say(group, 801, "/recent", "ar")).text
            edits = len(standin.edits(group))
            standin.user_presses(group, 801, menu.message_id, data["⬜ 💬 Arabic"])
            await bot.wait(lambda: len(standin.edits(group)) > edits)
            assert "لم يُسجَّل" in (await bot.say(group, 802, "/recent", "en")).text

    asyncio.run(main())


def test_a_channel_is_subscribed_from_a_private_chat_by_its_admin_only(standin: BotApiStandin, sqlite_url: str) -> None:
    channel = -1001234567890
    standin.register_chat(channel, "channel", title="Base Watch", username="basewatch", admins=[901])
    standin.register_user(902, "Someone")

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            refused = await bot.say(902, 902, "/subscribe @basewatch")
            assert "You are not an admin of @basewatch" in refused.text
            missing = await bot.say(902, 902, "/subscribe @nosuchchannel")
            assert "cannot find the channel" in missing.text
            bad = await bot.say(902, 902, "/subscribe @x!")
            assert "is not a channel name" in bad.text
            with Session(bot.engine) as s:
                assert s.exec(select(Subscription)).all() == []

            ok = await bot.say(901, 901, "/subscribe @basewatch", "ar")
            assert "تم اشتراك القناة Base Watch" in ok.text and "/settings @basewatch" in ok.text
            assert "ما سيصل: التنبيهات بالعربية والإنجليزية" in ok.text
            with Session(bot.engine) as s:
                sub = s.exec(select(Subscription)).one()
                chat = s.get(Chat, channel)
                assert sub.chat_id == channel and sub.active
                assert chat is not None and chat.type == "channel" and chat.language == "both"
            assert standin.sent(channel) == []  # nothing is posted in the channel itself

            menu = await bot.say(901, 901, "/settings @basewatch", "ar")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            n = len(standin.edits(901))
            standin.user_presses(901, 901, menu.message_id, data["⬜ العربية"])
            await bot.wait(lambda: len(standin.edits(901)) > n)
            with Session(bot.engine) as s:
                chat = s.get(Chat, channel)
                assert chat is not None and chat.language == "ar"
            off = await bot.say(901, 901, "/unsubscribe @basewatch", "ar")
            assert "تم إيقاف تنبيهات القناة Base Watch" in off.text

    asyncio.run(main())


def test_a_group_cannot_subscribe_a_channel_from_inside_the_group(standin: BotApiStandin, sqlite_url: str) -> None:
    group = -4002
    standin.register_chat(group, "supergroup", admins=[811])

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            reply = await bot.say(group, 811, "/subscribe @basewatch")
            assert "private chat" in reply.text

    asyncio.run(main())


def test_unknown_commands_get_an_answer_and_other_bots_commands_in_groups_do_not(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    group = -4003
    standin.register_chat(group, "group", admins=[821])

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            reply = await bot.say(821, 821, "/frobnicate now")
            assert "I don't know /frobnicate" in reply.text and "/help" in reply.text
            ar = await bot.say(822, 822, "/شيء", "ar")
            assert "لا أعرف الأمر /شيء" in ar.text
            standin.user_sends(group, 821, "/otherbotcommand")
            named = await bot.say(group, 821, f"/nothing@{standin.bot_username}")
            assert "I don't know /nothing" in named.text
            assert len(standin.sent(group)) == 1  # the un-addressed unknown command was left alone
            help_ = await bot.say(821, 821, "/help")
            assert "/recent" in help_.text and "/incident" in help_.text

    asyncio.run(main())


def test_commands_are_registered_in_arabic_and_as_the_english_default(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url):
            pass

    asyncio.run(main())
    default = dict(standin.commands_for(""))
    arabic = dict(standin.commands_for("ar"))
    expected = {"start", "help", "subscribe", "unsubscribe", "settings", "recent", "incident", "stats", "export"}
    expected |= {"about", "keywords"}
    assert set(default) == expected and set(arabic) == expected
    assert default["subscribe"] == "Subscribe this chat to alerts"
    assert arabic["subscribe"] == "الاشتراك في التنبيهات"


def test_a_group_upgraded_to_a_supergroup_keeps_its_subscription(standin: BotApiStandin, sqlite_url: str) -> None:
    group, supergroup = -4101, -1004101
    standin.register_chat(group, "group", title="Ops", admins=[811])

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            assert (await bot.say(group, 811, "/subscribe")).text.startswith("Subscribed")
            standin.migrate_chat(group, supergroup)  # Telegram's migrate_to_chat_id service message

            def moved() -> bool:
                with Session(bot.engine) as s:
                    sub = s.exec(select(Subscription)).one()
                    return sub.chat_id == supergroup and sub.active

            await bot.wait(moved)
            with Session(bot.engine) as s:
                assert s.get(Chat, supergroup) is not None

    asyncio.run(main())


def test_replies_are_html_without_preview_by_the_applications_defaults(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    """PTB's Defaults carry parse_mode and link_preview_options; no handler passes them itself."""

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            await bot.say(701, 701, "/help", "en")
            sends = [c.params for c in standin.calls("sendMessage") if str(c.params.get("chat_id")) == "701"]
            assert sends, "no reply recorded"
            for params in sends:
                assert params.get("parse_mode") == "HTML"
                preview = params.get("link_preview_options")
                preview = json.loads(preview) if isinstance(preview, str) else preview
                assert isinstance(preview, dict) and preview.get("is_disabled") is True

    asyncio.run(main())


def test_settings_filters_bases_page_weapons_casualties_quiet_hours_and_silent_updates(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            await bot.say(711, 711, "/subscribe")
            menu = await bot.say(711, 711, "/settings")
            assert all(len(b["callback_data"].encode()) <= 64 for b in menu.buttons)

            async def press(label: str) -> list[dict[str, str]]:
                current = standin.message(711, menu.message_id)
                assert current is not None
                data = {b["text"]: b["callback_data"] for row in current["reply_markup"]["inline_keyboard"]
                        for b in row}
                count = len(standin.callback_answers())
                standin.user_presses(711, 711, menu.message_id, data[label])
                await bot.wait(lambda: len(standin.callback_answers()) > count)
                await bot.wait(lambda: standin.message(711, menu.message_id) != current)
                after = standin.message(711, menu.message_id)
                assert after is not None
                return [b for row in after["reply_markup"]["inline_keyboard"] for b in row]

            page = await press("📍 Bases (all)")  # the bases page, in the same message
            assert "⬜ Ain al-Asad Air Base" in {b["text"] for b in page}
            assert all(len(b["callback_data"].encode()) <= 64 for b in page)
            page = await press("⬜ Tower 22")
            assert "✅ Tower 22" in {b["text"] for b in page}
            main_page = {b["text"] for b in await press("Back")}
            assert "📍 Bases (1)" in main_page and "✅ Drones" in main_page
            await press("✅ Drones")
            await press("⬜ Only attacks with casualties")
            await press("⬜ Silent updates")
            final = {b["text"] for b in await press("⬜ 22:00–07:00")}
            assert {"⬜ Drones", "✅ Only attacks with casualties", "✅ Silent updates", "✅ 22:00–07:00"} <= final

            with Session(bot.engine) as s:
                sub = s.exec(select(Subscription).where(Subscription.chat_id == 711)).one()
                assert sub.bases == ["JO-T22"] and sub.casualties_only and sub.silent_updates
                assert sub.weapons == ["rocket", "missile", "mortar", "ied", "gunfire"]
                assert (sub.quiet_from, sub.quiet_to) == (22, 7)
            text = standin.message(711, menu.message_id)
            assert text is not None
            assert ("bases: Tower 22 · weapons: rockets, ballistic missiles, mortars, ieds, gunfire · only attacks "
                    "with casualties · quiet hours 22:00–07:00 (no sound) · silent updates") in text["text"]

            ar = await bot.say(711, 711, "/settings", "ar")
            assert "القواعد: البرج 22" in ar.text and "ساعات الهدوء 22:00–07:00 (دون صوت)" in ar.text

    asyncio.run(main())


def test_keywords_command_sets_shows_and_clears_plain_words(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            empty = await bot.say(721, 721, "/keywords")
            assert empty.text.startswith("Keywords\nNo keywords")
            saved = await bot.say(721, 721, "/keywords +drone -exercise Asad")
            assert saved.text.splitlines()[:3] == [
                "Keywords saved.",
                "Only alerts containing one of these words arrive: drone, Asad",
                "Alerts containing any of these words do not arrive: exercise",
            ]
            moved = await bot.say(721, 721, "/keywords -drone", "ar")  # a word moves from one list to the other
            assert "لا تصل التنبيهات التي فيها أيٌّ من هذه الكلمات: exercise، drone" in moved.text
            with Session(bot.engine) as s:
                sub = s.exec(select(Subscription).where(Subscription.chat_id == 721)).one()
                assert (sub.keywords_in, sub.keywords_out, sub.active) == (["Asad"], ["exercise", "drone"], False)
            bad = await bot.say(721, 721, "/keywords +x")
            assert bad.text.startswith("“+x” is not a usable keyword: 2 to 40 characters.")
            many = await bot.say(721, 721, "/keywords " + " ".join(f"w{i}x" for i in range(11)))
            assert many.text.startswith("At most 10 words per list.")
            cleared = await bot.say(721, 721, "/keywords clear")
            assert "No keywords: every alert your /settings allow arrives." in cleared.text

            group = -100721
            standin.register_chat(group, "supergroup", title="G", admins=[723])
            assert (await bot.say(group, 722, "/keywords")).text.startswith("Keywords\n")  # anyone may look
            refused = await bot.say(group, 722, "/keywords +drone")
            assert refused.text.startswith("Only the group's admins")  # only admins change them
            assert (await bot.say(group, 723, "/keywords +drone")).text.startswith("Keywords saved.")

    asyncio.run(main())


def test_subscribe_inside_a_forum_topic_delivers_there(standin: BotApiStandin, sqlite_url: str) -> None:
    group = -100731
    standin.register_chat(group, "supergroup", title="Forum", admins=[731], is_forum=True)
    news, other = standin.open_topic(group), standin.open_topic(group)

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            seen = len(standin.sent(group))
            standin.user_sends(group, 731, "/subscribe", thread_id=news)
            ok = await bot.wait(lambda: standin.sent(group)[seen:])
            assert ok[0].thread_id == news  # the answer is in the topic too
            assert "Alerts will be posted in this topic" in ok[0].text
            with Session(bot.engine) as s:
                assert s.exec(select(Subscription.thread_id)).one() == news
            seen = len(standin.sent(group))
            standin.user_sends(group, 731, "/subscribe", thread_id=other)  # moved to another topic
            await bot.wait(lambda: standin.sent(group)[seen:])
            with Session(bot.engine) as s:
                assert s.exec(select(Subscription.thread_id)).one() == other
            seen = len(standin.sent(group))
            standin.user_sends(group, 731, "/subscribe")  # in General: the chat itself
            general = await bot.wait(lambda: standin.sent(group)[seen:])
            assert general[0].thread_id is None and "this topic" not in general[0].text
            with Session(bot.engine) as s:
                assert s.exec(select(Subscription.thread_id)).one() is None

    asyncio.run(main())
