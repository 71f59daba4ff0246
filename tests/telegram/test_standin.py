"""The Bot API stand-in behaves like Telegram as far as PTB can tell, so end-to-end tests through it mean something.

Every test talks to the stand-in over real HTTP, mostly through PTB itself (``telegram.Bot`` and an
``Application``), and checks both what PTB sees (objects, exceptions) and what the stand-in recorded.
Rate-limit tests freeze the stand-in's clock instead of racing the wall clock.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import socket
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters, Update
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
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.support.telegram_standin import (
    BAD_REQUEST,
    CONFLICT,
    DROP_CONNECTION,
    DROP_RESPONSE,
    FORBIDDEN,
    KICKED,
    MIGRATE,
    RETRY_AFTER,
    SERVER_ERROR,
    SLOW,
    UNAUTHORIZED,
    BotApiStandin,
    Fault,
    HtmlParseError,
    parse_html,
)

T = TypeVar("T")
USER = 42
GROUP = -1001
CHANNEL = -100777


def make_bot(standin: BotApiStandin, token: str | None = None) -> telegram.Bot:
    """A real PTB Bot aimed at the stand-in."""
    return telegram.Bot(token or standin.token, base_url=standin.base_url, base_file_url=standin.base_file_url)


def with_bot(standin: BotApiStandin, body: Callable[[telegram.Bot], Awaitable[T]]) -> T:
    """Run ``body(bot)`` in a fresh event loop (the project has no pytest-asyncio)."""

    async def main() -> T:
        async with make_bot(standin) as bot:
            return await body(bot)

    return asyncio.run(main())


def seconds(value: int | dtm.timedelta) -> int:
    """PTB 22 gives ``retry_after`` as int or timedelta depending on PTB_TIMEDELTA."""
    return int(value.total_seconds()) if isinstance(value, dtm.timedelta) else value


class FrozenClock:
    """Stands still until told to move, so rate-limit windows do not depend on machine speed."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


# ------------------------------------------------------------------------------------------ basics


def test_get_me_answers_the_bot_of_the_token(standin: BotApiStandin) -> None:
    me = with_bot(standin, lambda bot: bot.get_me())
    assert me.id == standin.bot_id and me.is_bot and me.username == standin.bot_username


def test_a_wrong_token_is_unauthorized_and_a_malformed_one_not_found(standin: BotApiStandin) -> None:
    async def main() -> None:
        with pytest.raises(InvalidToken, match="Unauthorized"):
            await make_bot(standin, "123:" + "x" * 35).get_me()
        with pytest.raises(InvalidToken, match="Not Found"):
            await make_bot(standin, "not-a-token").get_me()

    asyncio.run(main())


def test_unknown_method_is_telegrams_404_envelope(standin: BotApiStandin) -> None:
    response = httpx.post(standin.api_url("sendTelepathy"), data={"chat_id": "1"})
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


def test_connections_are_kept_alive_and_reused(standin: BotApiStandin) -> None:
    with httpx.Client() as client:
        for _ in range(20):
            assert client.post(standin.api_url("getMe")).json()["ok"] is True
    assert standin.connections_accepted == 1


def test_parameters_arrive_as_form_json_query_or_multipart(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]}
    with httpx.Client() as client:
        as_json = client.post(
            standin.api_url("sendMessage"), json={"chat_id": USER, "text": "j", "reply_markup": markup}
        )
        as_query = client.get(standin.api_url("sendMessage"), params={"chat_id": str(USER), "text": "q"})
        as_multipart = client.post(
            standin.api_url("sendMessage"), data={"chat_id": str(USER), "text": "m"}, files={"f": ("a.txt", b"x")}
        )
    assert [r.json()["ok"] for r in (as_json, as_query, as_multipart)] == [True, True, True]
    assert [m.text for m in standin.sent(USER)] == ["j", "q", "m"]
    assert standin.sent(USER)[0].buttons == [{"text": "More", "callback_data": "more:1"}]


# ------------------------------------------------------------------------------------------ sendMessage


def test_send_message_html_is_accepted_and_recorded(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    html = '<b>Attack</b> on Ain al-Asad &amp; Erbil — <a href="https://example.org/a?x=1&amp;y=2">source</a>'
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("عربي", callback_data="lang:ar")]])

    async def body(bot: telegram.Bot) -> telegram.Message:
        return await bot.send_message(
            USER,
            html,
            parse_mode="HTML",
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_markup=keyboard,
        )

    message = with_bot(standin, body)
    assert message.text == "Attack on Ain al-Asad & Erbil — source"
    assert message.chat.id == USER and message.from_user is not None and message.from_user.is_bot
    assert message.entities[0].type == "bold" and message.entities[1].url == "https://example.org/a?x=1&y=2"
    [record] = standin.sent(USER)
    assert record.message_id == message.message_id
    assert record.raw_text == html and record.parse_mode == "HTML"
    assert record.links == ["https://example.org/a?x=1&y=2"]
    assert record.link_preview_disabled is True
    assert record.buttons == [{"text": "عربي", "callback_data": "lang:ar"}]
    assert standin.total_sends == 1


def test_message_ids_grow_per_chat_and_replies_point_back(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    standin.register_chat(USER + 1)

    async def body(bot: telegram.Bot) -> list[telegram.Message]:
        first = await bot.send_message(USER, "one")
        other = await bot.send_message(USER + 1, "elsewhere")
        second = await bot.send_message(USER, "two", reply_parameters=ReplyParameters(first.message_id))
        legacy = await bot.send_message(USER, "three", api_kwargs={"reply_to_message_id": second.message_id})
        return [first, other, second, legacy]

    first, other, second, legacy = with_bot(standin, body)
    assert (first.message_id, other.message_id, second.message_id, legacy.message_id) == (1, 1, 2, 3)
    assert second.reply_to_message is not None and second.reply_to_message.text == "one"
    assert [m.reply_to for m in standin.sent(USER)] == [None, 1, 2]


def test_a_reply_to_a_missing_message_is_refused_unless_allowed(standin: BotApiStandin) -> None:
    standin.register_chat(USER)

    async def body(bot: telegram.Bot) -> telegram.Message:
        with pytest.raises(BadRequest, match="Message to be replied not found"):
            await bot.send_message(USER, "x", reply_parameters=ReplyParameters(99))
        return await bot.send_message(USER, "x", reply_parameters=ReplyParameters(99, allow_sending_without_reply=True))

    assert with_bot(standin, body).reply_to_message is None


@pytest.mark.parametrize(
    ("html", "why"),
    [
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag"),
        ("1 < 2", 'Unsupported start tag ""'),
        ("AT&T", 'Character "&" must be escaped'),
        ("a -> b", 'Character ">" must be escaped'),
        ("&nbsp;", 'Character "&" must be escaped'),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ('<a href="https://x.org/?a=1&b=2">x</a>', 'Character "&" must be escaped'),
        ("<br>", 'Unsupported start tag "br"'),
        ("<b", "Unclosed start tag"),
    ],
)
def test_bad_html_is_refused_like_telegram(standin: BotApiStandin, html: str, why: str) -> None:
    standin.register_chat(USER)

    async def body(bot: telegram.Bot) -> None:
        with pytest.raises(BadRequest, match="parse entities") as caught:
            await bot.send_message(USER, html, parse_mode="HTML")
        assert why.lower() in str(caught.value).lower()

    with_bot(standin, body)
    assert standin.sent() == [] and standin.calls("sendMessage")[0].status == 400


def test_the_same_text_without_parse_mode_is_plain_and_fine(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    message = with_bot(standin, lambda bot: bot.send_message(USER, "1 < 2 & <p>"))
    assert message.text == "1 < 2 & <p>" and message.entities == ()


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("<b>a<i>b</i></b>", "ab", [("bold", 0, 2), ("italic", 1, 1)]),
        (
            "<strong>s</strong><em>e</em><ins>u</ins><del>d</del>",
            "seud",
            [("bold", 0, 1), ("italic", 1, 1), ("underline", 2, 1), ("strikethrough", 3, 1)],
        ),
        ("😀<b>x</b>", "😀x", [("bold", 2, 1)]),
        ("&lt;&gt;&quot;&amp;&#39;&#x41;", "<>\"&'A", []),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", [("pre", 0, 5)]),
        ("<code>c</code> <tg-spoiler>s</tg-spoiler>", "c s", [("code", 0, 1), ("spoiler", 2, 1)]),
        ('<span class="tg-spoiler">s</span>', "s", [("spoiler", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
        ("  <b> padded </b>\n", "padded", [("bold", 0, 6)]),
        ("<B>upper</B>", "upper", [("bold", 0, 5)]),
        ('"quotes" need no escaping', '"quotes" need no escaping', []),
    ],
)
def test_good_html_parses_to_telegrams_text_and_entities(
    standin: BotApiStandin, html: str, text: str, entities: list[tuple[str, int, int]]
) -> None:
    standin.register_chat(USER)
    message = with_bot(standin, lambda bot: bot.send_message(USER, html, parse_mode="HTML"))
    assert message.text == text
    assert [(e.type, e.offset, e.length) for e in message.entities] == entities


def test_pre_language_and_bare_urls_become_entities() -> None:
    assert parse_html('<pre><code class="language-py">x</code></pre>')[1] == [
        {"type": "pre", "offset": 0, "length": 1, "language": "py"}
    ]
    with pytest.raises(HtmlParseError):
        parse_html("a & b")
    assert parse_html("a & b", strict=False)[0] == "a & b"


def test_bare_urls_in_sent_text_are_detected_as_links(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    with_bot(standin, lambda bot: bot.send_message(USER, "Read https://example.org/x. Now"))
    assert standin.sent(USER)[0].links == ["https://example.org/x"]


@pytest.mark.parametrize(
    ("text", "parse_mode", "ok"),
    [
        ("a" * 4096, None, True),
        ("a" * 4097, None, False),
        ("<b>" + "a" * 4096 + "</b>", "HTML", True),
        ("&amp;" * 4096, "HTML", True),
        ("&amp;" * 4097, "HTML", False),
        ("😀" * 2048, None, True),
        ("😀" * 2049, None, False),
    ],
)
def test_length_is_counted_in_utf16_after_parsing(
    standin: BotApiStandin, text: str, parse_mode: str | None, ok: bool
) -> None:
    standin.register_chat(USER)

    async def body(bot: telegram.Bot) -> None:
        if ok:
            await bot.send_message(USER, text, parse_mode=parse_mode)
        else:
            with pytest.raises(BadRequest, match="Message is too long"):
                await bot.send_message(USER, text, parse_mode=parse_mode)

    with_bot(standin, body)


@pytest.mark.parametrize("text", ["", "   \n", "<b></b>"])
def test_empty_text_is_refused(standin: BotApiStandin, text: str) -> None:
    standin.register_chat(USER)

    async def body(bot: telegram.Bot) -> None:
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(USER, text, parse_mode="HTML")

    with_bot(standin, body)


def test_unknown_chat_is_not_found(standin: BotApiStandin) -> None:
    async def body(bot: telegram.Bot) -> None:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(999, "x")

    with_bot(standin, body)


def test_oversized_callback_data_is_refused(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])

    async def body(bot: telegram.Bot) -> None:
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(USER, "x", reply_markup=keyboard)

    with_bot(standin, body)


# ------------------------------------------------------------------------------------------ faults


@pytest.mark.parametrize(
    ("fault", "exception", "check"),
    [
        (RETRY_AFTER(7), RetryAfter, lambda e: seconds(e.retry_after) == 7),
        (FORBIDDEN, Forbidden, lambda e: "blocked by the user" in e.message),
        (KICKED, Forbidden, lambda e: "kicked" in e.message),
        (MIGRATE(-100500), ChatMigrated, lambda e: e.new_chat_id == -100500),
        (BAD_REQUEST("Bad Request: something odd"), BadRequest, lambda e: "Something odd" in e.message),
        (SERVER_ERROR(500), NetworkError, lambda e: type(e) is NetworkError),
        (SERVER_ERROR(502), NetworkError, lambda e: type(e) is NetworkError),
        (SERVER_ERROR(502, html=True), NetworkError, lambda e: "Bad Gateway" in e.message),
        (DROP_CONNECTION, NetworkError, lambda e: "disconnected" in e.message),
        (UNAUTHORIZED, InvalidToken, lambda e: True),
        (CONFLICT, Conflict, lambda e: True),
    ],
)
def test_each_fault_maps_to_the_ptb_exception(
    standin: BotApiStandin, fault: Fault, exception: type[TelegramError], check: Callable[[Any], bool]
) -> None:
    standin.register_chat(USER)
    standin.fail_next("sendMessage", USER, kind=fault)

    async def body(bot: telegram.Bot) -> telegram.Message:
        with pytest.raises(exception) as caught:
            await bot.send_message(USER, "x")
        assert check(caught.value), caught.value
        return await bot.send_message(USER, "after")

    assert with_bot(standin, body).text == "after"
    assert [m.text for m in standin.sent(USER)] == ["after"]
    assert standin.pending_faults == 0


def test_faults_count_down_and_only_hit_their_method_and_chat(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    standin.register_chat(USER + 1)
    standin.fail_next("sendMessage", USER, kind=RETRY_AFTER(1), times=2)

    async def body(bot: telegram.Bot) -> None:
        await bot.send_message(USER + 1, "other chat is fine")
        await bot.get_me()
        for _ in range(2):
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "x")
        await bot.send_message(USER, "third try")

    with_bot(standin, body)
    assert standin.count_429 == 2 and [m.text for m in standin.sent()] == ["other chat is fine", "third try"]


def test_a_slow_answer_times_out_but_the_message_was_sent(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    standin.fail_next("sendMessage", kind=SLOW(0.5))

    async def body(bot: telegram.Bot) -> None:
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "late", read_timeout=0.05)

    with_bot(standin, body)
    assert standin.wait_for(lambda: standin.sent(USER))[0].text == "late"


def test_a_lost_response_still_sent_the_message(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    standin.fail_next("sendMessage", kind=DROP_RESPONSE)

    async def body(bot: telegram.Bot) -> None:
        with pytest.raises(NetworkError):
            await bot.send_message(USER, "sent anyway")

    with_bot(standin, body)
    assert [m.text for m in standin.sent(USER)] == ["sent anyway"]


def test_a_blocked_user_stays_forbidden_until_unblocked(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    standin.register_chat(GROUP, "group", title="Watchers")
    standin.block(USER)
    standin.kick(GROUP)

    async def body(bot: telegram.Bot) -> None:
        for _ in range(2):
            with pytest.raises(Forbidden, match="blocked by the user"):
                await bot.send_message(USER, "x")
        with pytest.raises(Forbidden, match="kicked from the group chat"):
            await bot.send_message(GROUP, "x")
        standin.unblock(USER)
        await bot.send_message(USER, "welcome back")

    with_bot(standin, body)
    assert [m.text for m in standin.sent()] == ["welcome back"]


def test_a_migrated_group_answers_chat_migrated_and_tells_the_bot(standin: BotApiStandin) -> None:
    standin.register_chat(GROUP, "group", title="Watchers", admins=[USER])
    standin.migrate_chat(GROUP, -1009999)

    async def body(bot: telegram.Bot) -> tuple[Update, ...]:
        with pytest.raises(ChatMigrated) as caught:
            await bot.send_message(GROUP, "x")
        assert caught.value.new_chat_id == -1009999
        moved = await bot.send_message(caught.value.new_chat_id, "moved")
        assert moved.chat.type == "supergroup" and moved.chat.title == "Watchers"
        return await bot.get_updates()

    updates = with_bot(standin, body)
    assert [(u.effective_chat.id if u.effective_chat else 0) for u in updates] == [GROUP, -1009999]
    assert updates[0].message is not None and updates[0].message.migrate_to_chat_id == -1009999
    assert updates[1].message is not None and updates[1].message.migrate_from_chat_id == GROUP


# ------------------------------------------------------------------------------------------ rate limits


def test_blasting_40_messages_in_one_second_gets_429s(standin: BotApiStandin) -> None:
    clock = FrozenClock()
    standin.clock, standin.enforce_rate_limits = clock, True
    standin.register_chats(range(1, 41))

    async def blast() -> list[httpx.Response]:
        async with httpx.AsyncClient() as client:
            sends = [
                client.post(standin.api_url("sendMessage"), data={"chat_id": i, "text": "alert"}) for i in range(1, 41)
            ]
            return await asyncio.gather(*sends)

    responses = asyncio.run(blast())
    assert sorted(r.status_code for r in responses) == [200] * 30 + [429] * 10
    refused = [r.json() for r in responses if r.status_code == 429]
    assert all(body["parameters"]["retry_after"] == 1 for body in refused)
    assert refused[0]["description"] == "Too Many Requests: retry after 1"
    assert standin.count_429 == 10 and standin.total_sends == 30

    clock.now += 1.0
    with httpx.Client() as client:
        assert client.post(standin.api_url("sendMessage"), data={"chat_id": 40, "text": "again"}).status_code == 200


def test_per_chat_limits_one_a_second_private_twenty_a_minute_groups(standin: BotApiStandin) -> None:
    clock = FrozenClock()
    standin.clock, standin.enforce_rate_limits = clock, True
    standin.register_chat(USER)
    standin.register_chat(GROUP, "supergroup")

    async def body(bot: telegram.Bot) -> None:
        await bot.send_message(USER, "1")
        with pytest.raises(RetryAfter) as private:
            await bot.send_message(USER, "2")
        assert seconds(private.value.retry_after) == 1
        for i in range(20):
            await bot.send_message(GROUP, str(i))
            clock.now += 1.0
        with pytest.raises(RetryAfter) as group:
            await bot.send_message(GROUP, "21st")
        assert seconds(group.value.retry_after) == 40
        clock.now += 40.0
        await bot.send_message(GROUP, "21st")
        await bot.send_message(USER, "2")

    with_bot(standin, body)
    assert standin.count_429 == 2 and standin.total_sends == 23


# ------------------------------------------------------------------------------------------ edits and friends


def test_edit_message_text_and_its_refusals(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    standin.user_sends(USER, USER, "hello")

    async def body(bot: telegram.Bot) -> telegram.Message:
        sent = await bot.send_message(USER, "<b>1 report</b>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("<b>1 report</b>", USER, sent.message_id, parse_mode="HTML")
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", USER, 999)
        with pytest.raises(BadRequest, match="Message can't be edited"):
            await bot.edit_message_text("x", USER, 1)
        edited = await bot.edit_message_text("<b>2 reports</b>", USER, sent.message_id, parse_mode="HTML")
        assert isinstance(edited, telegram.Message)
        return edited

    edited = with_bot(standin, body)
    assert edited.text == "2 reports" and edited.edit_date is not None
    [edit] = standin.edits(USER)
    assert (edit.message_id, edit.text, edit.raw_text) == (edited.message_id, "2 reports", "<b>2 reports</b>")
    assert len(standin.sent(USER)) == 1
    current = standin.message(USER, edited.message_id)
    assert current is not None and current["text"] == "2 reports"


def test_edit_reply_markup_and_delete(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])

    async def body(bot: telegram.Bot) -> None:
        sent = await bot.send_message(USER, "x", reply_markup=keyboard)
        await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
        assert await bot.delete_message(USER, sent.message_id)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(USER, sent.message_id)

    with_bot(standin, body)
    assert standin.edits(USER)[0].reply_markup is None
    assert standin.deleted(USER) == [(USER, 1)]


def test_set_my_commands_per_language_and_scope(standin: BotApiStandin) -> None:
    async def body(bot: telegram.Bot) -> tuple[Any, ...]:
        await bot.set_my_commands([("recent", "Recent alerts")])
        await bot.set_my_commands([("recent", "آخر التنبيهات"), ("start", "ابدأ")], language_code="ar")
        await bot.set_my_commands([("stats", "Stats")], scope=telegram.BotCommandScopeChat(USER))
        with pytest.raises(BadRequest, match="Bot_command_invalid"):
            await bot.set_my_commands([("Bad-Command", "x")])
        return (
            await bot.get_my_commands(language_code="ar"),
            await bot.get_my_commands(language_code="fr"),
            await bot.delete_my_commands(scope=telegram.BotCommandScopeChat(USER)),
        )

    arabic, french, deleted = with_bot(standin, body)
    assert [(c.command, c.description) for c in arabic] == [("recent", "آخر التنبيهات"), ("start", "ابدأ")]
    assert french == () and deleted is True
    assert standin.commands_for("ar") == [("recent", "آخر التنبيهات"), ("start", "ابدأ")]
    assert standin.commands == {
        ("default", ""): [("recent", "Recent alerts")],
        ("default", "ar"): [("recent", "آخر التنبيهات"), ("start", "ابدأ")],
    }


def test_get_chat_by_username_and_admins(standin: BotApiStandin) -> None:
    standin.register_user(7, "Admin", language_code="ar")
    standin.register_chat(CHANNEL, "channel", title="Rasad Alerts", username="rasad_alerts", admins=[7])

    async def body(bot: telegram.Bot) -> None:
        chat = await bot.get_chat("@rasad_alerts")
        assert (chat.id, chat.type, chat.title) == (CHANNEL, "channel", "Rasad Alerts")
        assert (await bot.get_chat_member(CHANNEL, 7)).status == "creator"
        assert (await bot.get_chat_member(CHANNEL, standin.bot_id)).status == "administrator"
        admins = await bot.get_chat_administrators(CHANNEL)
        assert [a.user.id for a in admins] == [7, standin.bot_id]
        posted = await bot.send_message("@rasad_alerts", "alert")
        assert posted.sender_chat is not None and posted.sender_chat.id == CHANNEL
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.get_chat("@nobody_here")

    with_bot(standin, body)


# ------------------------------------------------------------------------------------------ updates


def test_get_updates_returns_a_queued_command_and_honours_offset(standin: BotApiStandin) -> None:
    queued = standin.user_sends(USER, USER, "/start@rasad_test_bot now", language_code="ar")

    async def body(bot: telegram.Bot) -> tuple[Update, ...]:
        updates = await bot.get_updates(timeout=1)
        again = await bot.get_updates()
        assert [u.update_id for u in again] == [u.update_id for u in updates], "unconfirmed updates are redelivered"
        await bot.get_updates(offset=updates[-1].update_id + 1)
        return updates

    [update] = with_bot(standin, body)
    assert update.update_id == queued["update_id"]
    message = update.message
    assert message is not None and message.text == "/start@rasad_test_bot now"
    assert message.from_user is not None and message.from_user.language_code == "ar"
    [entity] = message.entities
    assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, len("/start@rasad_test_bot"))
    assert standin.pending_updates == 0


def test_a_button_press_arrives_as_callback_query_and_is_answered(standin: BotApiStandin) -> None:
    standin.register_chat(USER)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("العربية", callback_data="lang:ar")]])

    async def body(bot: telegram.Bot) -> None:
        sent = await bot.send_message(USER, "Choose", reply_markup=keyboard)
        standin.user_presses(USER, USER, sent.message_id, "lang:ar")
        [update] = await bot.get_updates()
        query = update.callback_query
        assert query is not None and query.data == "lang:ar"
        assert query.message is not None and query.message.message_id == sent.message_id
        assert await query.answer("تم")
        with pytest.raises(BadRequest, match="Query is too old"):
            await query.answer("twice")

    with_bot(standin, body)
    assert [(a.text, a.show_alert) for a in standin.callback_answers()] == [("تم", False)]


def test_a_second_poller_terminates_the_first_with_conflict(standin: BotApiStandin) -> None:
    async def main() -> None:
        async with make_bot(standin) as first, make_bot(standin) as second:
            waiting = asyncio.create_task(first.get_updates(timeout=30))
            await standin.async_wait_for(lambda: standin.polling)
            assert await second.get_updates(timeout=0) == ()
            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await waiting

    asyncio.run(main())


def test_a_long_poll_whose_client_vanishes_is_abandoned(standin: BotApiStandin) -> None:
    """What a ``kill -9`` of the bot looks like from here: the socket just closes mid-poll."""
    body = b"timeout=30"
    request = (
        f"POST /bot{standin.token}/getUpdates HTTP/1.1\r\nHost: x\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", standin.port)) as sock:
        sock.sendall(request)
        standin.wait_for(lambda: standin.polling)
    standin.wait_for(lambda: not standin.polling)
    assert standin.calls("getUpdates")[-1].status == 0
    standin.user_sends(USER, USER, "/recent")
    [update] = with_bot(standin, lambda bot: bot.get_updates())
    assert update.message is not None and update.message.text == "/recent"


def test_a_ptb_application_answers_start_through_polling(standin: BotApiStandin) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("hi")

    async def main() -> None:
        app = (
            ApplicationBuilder()
            .token(standin.token)
            .base_url(standin.base_url)
            .base_file_url(standin.base_file_url)
            .build()
        )
        app.add_handler(CommandHandler("start", start))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            standin.user_sends(USER, USER, "/start")
            await standin.async_wait_for(lambda: standin.sent(USER))
            await app.updater.stop()
            await app.stop()

    asyncio.run(main())
    [reply] = standin.sent(USER)
    assert reply.text == "hi"
    assert standin.pending_updates == 0, "the updater confirms what it handled when it stops"
    assert {c.method for c in standin.calls()} >= {"getMe", "deleteWebhook", "getUpdates", "sendMessage"}


def test_with_conflicts_off_concurrent_long_polls_all_get_the_update(standin: BotApiStandin) -> None:
    standin.conflict_on_concurrent_polls = False

    async def main() -> list[tuple[Update, ...]]:
        bots = [make_bot(standin) for _ in range(5)]
        for bot in bots:
            await bot.initialize()
        try:
            polls = [asyncio.create_task(bot.get_updates(timeout=30)) for bot in bots]
            await standin.async_wait_for(lambda: standin.polls_waiting == 5)
            standin.user_sends(USER, USER, "/recent")
            return await asyncio.gather(*polls)
        finally:
            for bot in bots:
                await bot.shutdown()

    results = asyncio.run(main())
    assert [[u.message.text for u in r if u.message] for r in results] == [["/recent"]] * 5


def test_256_concurrent_keep_alive_connections_are_served(standin: BotApiStandin) -> None:
    """PTB's default pool is 256 connections; all of them may be open and busy at once."""
    standin.register_chats(range(1, 257))

    async def main() -> list[bytes]:
        connections = [await asyncio.open_connection("127.0.0.1", standin.port) for _ in range(256)]
        for chat_id, (_, writer) in enumerate(connections, start=1):
            body = f"chat_id={chat_id}&text=x".encode()
            writer.write(
                f"POST /bot{standin.token}/sendMessage HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
                + body
            )
        heads = [await reader.readuntil(b"\r\n\r\n") for reader, _ in connections]
        for _, writer in connections:
            writer.close()
        return heads

    heads = asyncio.run(main())
    assert all(h.startswith(b"HTTP/1.1 200 OK") and b"keep-alive" in h for h in heads)
    assert standin.peak_connections == 256 and standin.total_sends == 256


KILLABLE_POLLER = """
import asyncio, sys, telegram
async def main():
    async with telegram.Bot(sys.argv[1], base_url=sys.argv[2]) as bot:
        updates = await bot.get_updates(timeout=30)
        print("got", [u.update_id for u in updates], flush=True)
        await asyncio.sleep(3600)  # killed before it confirms them with the next offset
asyncio.run(main())
"""


def test_updates_a_killed_bot_fetched_but_never_confirmed_are_redelivered(standin: BotApiStandin) -> None:
    import subprocess
    import sys

    queued = standin.user_sends(USER, USER, "/start")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLABLE_POLLER, standin.token, standin.base_url],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == f"got [{queued['update_id']}]"
    finally:
        child.kill()  # SIGKILL: no clean shutdown, no confirming getUpdates
        child.wait()
    [update] = with_bot(standin, lambda bot: bot.get_updates())
    assert update.update_id == queued["update_id"]
