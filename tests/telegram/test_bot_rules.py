"""Table tests for the bot's pure decisions: arguments, permissions, the settings menu, languages, URLs, errors."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.telegram import texts
from bot.telegram.app import CONFLICT_MESSAGE, describe_error, file_url_for
from bot.telegram.args import (
    Problem,
    RecentRequest,
    answer_unknown,
    command_of,
    parse_incident,
    parse_recent,
    parse_target,
)
from bot.telegram.permissions import Refusal, may_change_chat, may_manage_channel
from bot.telegram.queries import ChatState
from bot.telegram.settings_menu import Press, apply_press, keyboard, parse_press, press_data, toggle_country
from bot.telegram.texts import guess_language, recent_text, reply_language, usage_text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], RecentRequest(5)),  # no argument: the default
        (["7"], RecentRequest(7)),
        (["20"], RecentRequest(20)),  # the cap itself
        (["21"], RecentRequest(20, "recent_too_many")),  # above the cap: the cap, and say so
        (["999"], RecentRequest(20, "recent_too_many")),
        (["١٢"], RecentRequest(12)),  # Arabic-Indic digits from an Arabic keyboard
        (["#3"], RecentRequest(3)),
        (["0"], Problem("recent_too_few", "0")),
        (["-4"], Problem("recent_too_few", "-4")),
        (["abc"], Problem("recent_not_number", "abc")),
        (["1e3"], Problem("recent_not_number", "1e3")),
        (["99999999999999999999"], Problem("recent_not_number", "99999999999999999999")),  # absurd length
        (["5", "6"], Problem("too_many_args")),
    ],
)
def test_parse_recent(args: list[str], expected: RecentRequest | Problem) -> None:
    assert parse_recent(args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["12"], 12),
        (["#12"], 12),  # as alerts print it
        (["٤٢"], 42),
        ([], Problem("incident_missing")),
        (["x"], Problem("incident_not_number", "x")),
        (["0"], Problem("incident_not_number", "0")),
        (["1", "2"], Problem("too_many_args")),
    ],
)
def test_parse_incident(args: list[str], expected: int | Problem) -> None:
    assert parse_incident(args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], None),  # this chat
        (["@basewatch"], "@basewatch"),
        (["https://t.me/basewatch"], "@basewatch"),  # a pasted link
        (["t.me/basewatch/"], "@basewatch"),
        (["-1001234567890"], -1001234567890),  # a private channel's id
        (["@ab"], Problem("subscribe_bad_target", "@ab")),  # too short for a username
        (["@x!"], Problem("subscribe_bad_target", "@x!")),
        (["basewatch"], Problem("subscribe_bad_target", "basewatch")),  # without @ it may be a typo of anything
        (["-42"], Problem("subscribe_bad_target", "-42")),  # a basic group id is not a channel
        (["@a", "@b"], Problem("too_many_args")),
    ],
)
def test_parse_target(args: list[str], expected: str | int | Problem | None) -> None:
    assert parse_target(args) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/Recent 5", ("recent", None)),
        ("/recent@Rasad_Bot 5", ("recent", "Rasad_Bot")),
        ("/شيء", ("شيء", None)),
        ("", ("", None)),
    ],
)
def test_command_of(text: str, expected: tuple[str, str | None]) -> None:
    assert command_of(text) == expected


@pytest.mark.parametrize(
    ("chat_type", "addressed_to", "expected"),
    [
        ("private", None, True),  # a private chat is talking to us
        ("private", "rasad_test_bot", True),
        ("private", "other_bot", False),
        ("group", None, False),  # groups hold other bots: their commands are not ours to refuse
        ("supergroup", "RASAD_TEST_BOT", True),  # named us (any case)
        ("group", "other_bot", False),
    ],
)
def test_answer_unknown(chat_type: str, addressed_to: str | None, expected: bool) -> None:
    assert answer_unknown(chat_type, addressed_to, "rasad_test_bot") is expected


@pytest.mark.parametrize(
    ("chat_type", "status", "anonymous", "expected"),
    [
        ("private", None, False, None),  # one's own chat
        ("channel", None, False, None),  # only admins can post in a channel
        ("group", "creator", False, None),
        ("supergroup", "administrator", False, None),
        ("group", "member", False, Refusal.NOT_GROUP_ADMIN),
        ("supergroup", "restricted", False, Refusal.NOT_GROUP_ADMIN),
        ("group", None, False, Refusal.NOT_GROUP_ADMIN),  # Telegram would not say: refuse
        ("supergroup", None, True, None),  # an admin posting anonymously as the group
    ],
)
def test_may_change_chat(chat_type: str, status: str | None, anonymous: bool, expected: Refusal | None) -> None:
    assert may_change_chat(chat_type, status, anonymous_admin=anonymous) == expected


@pytest.mark.parametrize(
    ("from_type", "target_type", "user", "bot", "can_post", "expected"),
    [
        ("private", "channel", "creator", "administrator", True, None),
        ("private", "channel", "administrator", "administrator", True, None),
        ("private", "channel", "administrator", "administrator", None, None),  # right not reported: allow
        ("group", "channel", "creator", "administrator", True, Refusal.PRIVATE_ONLY),  # not from a group
        ("private", "supergroup", "creator", "administrator", True, Refusal.NOT_A_CHANNEL),
        ("private", "channel", "creator", "member", None, Refusal.BOT_NOT_ADMIN),
        ("private", "channel", "creator", None, None, Refusal.BOT_NOT_ADMIN),  # getChatMember refused
        ("private", "channel", "member", "administrator", True, Refusal.NOT_CHANNEL_ADMIN),
        ("private", "channel", None, "administrator", True, Refusal.NOT_CHANNEL_ADMIN),
        ("private", "channel", "creator", "administrator", False, Refusal.BOT_CANNOT_POST),
    ],
)
def test_may_manage_channel(
    from_type: str, target_type: str, user: str | None, bot: str | None, can_post: bool | None,
    expected: Refusal | None,
) -> None:
    assert may_manage_channel(from_type, target_type, user, bot, can_post) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("cfg:42:l:both", Press(42, "l", "both")),
        ("cfg:-1001234567890:c:syria", Press(-1001234567890, "c", "syria")),
        ("cfg:42:cv", Press(42, "cv")),
        ("cfg:42:x", Press(42, "x")),
        ("cfg:42:l:fr", None),  # not a language we offer
        ("cfg:42:c:france", None),
        ("cfg:abc:cv", None),
        ("cfg:42:cv:1", None),
        ("adm:42:cv", None),  # another module's buttons
        (None, None),
    ],
)
def test_parse_press(data: str | None, expected: Press | None) -> None:
    assert parse_press(data) == expected


@pytest.mark.parametrize(
    ("countries", "key", "expected"),
    [
        ((), "syria", ("iraq", "jordan", "other")),  # empty means all: unticking one keeps the others
        (("iraq", "jordan", "other"), "syria", ()),  # every country ticked again: stored as "all"
        (("iraq",), "jordan", ("iraq", "jordan")),
        (("jordan",), "jordan", None),  # the last one cannot go
        (("iraq", "kuwait"), "syria", ("iraq", "syria")),  # a stale key outside the menu is dropped
    ],
)
def test_toggle_country(countries: tuple[str, ...], key: str, expected: tuple[str, ...] | None) -> None:
    assert toggle_country(countries, key) == expected


STATE = ChatState(chat_id=42, type="private", title=None, language="en", subscribed=True)


@pytest.mark.parametrize(
    ("press", "expected"),
    [
        (Press(42, "l", "ar"), ChatState(42, "private", None, "ar", True)),
        (Press(42, "c", "iraq"), ChatState(42, "private", None, "en", True, ("syria", "jordan", "other"))),
        (Press(42, "cv"), ChatState(42, "private", None, "en", True, include_convoy=False)),
        (Press(42, "dp"), ChatState(42, "private", None, "en", True, include_diplomatic=False)),
        (Press(42, "up"), ChatState(42, "private", None, "en", True, send_updates=False)),
        (Press(42, "m", "ar"), ChatState(42, "private", None, "en", True, menu_language="ar")),
        (Press(42, "m", "auto"), ChatState(42, "private", None, "en", True)),
        (Press(42, "s", "corroborated"), ChatState(42, "private", None, "en", True, min_status="corroborated")),
        (Press(42, "s", "confirmed"), ChatState(42, "private", None, "en", True, min_status="confirmed")),
        (Press(42, "s", "reported"), STATE),
        (Press(42, "cl"), ChatState(42, "private", None, "en", True, include_claims=True)),
        (Press(42, "x"), "stale"),  # "done" is not a change
        (Press(42, "i", "lang"), "stale"),  # a row's label explains, it changes nothing
    ],
)
def test_apply_press(press: Press, expected: ChatState | str) -> None:
    assert apply_press(STATE, press) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("cfg:42:s:confirmed", Press(42, "s", "confirmed")),
        ("cfg:42:s:claimed", None),  # claims are the switch below the levels, not a level of their own
        ("cfg:42:s:disputed", None),
        ("cfg:42:s", None),
        ("cfg:42:cl", Press(42, "cl")),
    ],
)
def test_parse_level_press(data: str, expected: Press | None) -> None:
    assert parse_press(data) == expected


def test_the_menu_ticks_the_chats_level_and_its_claims_switch() -> None:
    state = ChatState(42, "private", None, "en", True, min_status="corroborated", include_claims=True)
    ticked = [b.text for row in keyboard(state, "en").inline_keyboard for b in row if b.text.startswith("✅")]
    assert "✅ Corroborated" in ticked and "✅ Claims by the groups themselves" in ticked
    assert "✅ Any report" not in ticked and "✅ Confirmed" not in ticked


@pytest.mark.parametrize(
    ("level", "claims", "lang", "expected"),
    [
        ("reported", False, "en", "· from any report ·"),
        ("confirmed", False, "en", "· once an official confirms it ·"),
        ("corroborated", True, "en", "· once independent outlets corroborate it, with groups' claims ·"),
        ("confirmed", False, "ar", "· حين يؤكده مسؤول رسمي ·"),
        ("reported", True, "ar", "· ابتداءً من أي خبر، مع بيانات التبنّي ·"),
    ],
)
def test_the_summary_says_the_level(level: str, claims: bool, lang: str, expected: str) -> None:
    state = ChatState(42, "private", None, "en", True, min_status=level, include_claims=claims)
    assert expected in texts.state_summary(state, "ar" if lang == "ar" else "en")


def test_every_button_fits_telegrams_64_byte_callback_data_and_parses_back() -> None:
    state = ChatState(chat_id=-1009999999999999, type="channel", title="x", language="both")
    for lang in ("ar", "en"):
        for button in (b for row in keyboard(state, lang).inline_keyboard for b in row):
            data = str(button.callback_data)
            assert len(data.encode()) <= 64 and parse_press(data) is not None
    assert press_data(1, "l", "both") == "cfg:1:l:both"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ar", "ar"), ("ar-IQ", "ar"), ("AR", "ar"), ("en", "en"), ("fa", "en"), (None, "en"), ("", "en")],
)
def test_guess_language(code: str | None, expected: str) -> None:
    assert guess_language(code) == expected


@pytest.mark.parametrize(
    ("menu_language", "user_code", "expected"),
    [
        ("ar", "en", "ar"),  # the chat's menus were set to Arabic (a group's admins chose)
        ("en", "ar", "en"),
        (None, "ar", "ar"),  # no menu language chosen: each user's Telegram language
        (None, "de", "en"),
        (None, None, "en"),
    ],
)
def test_reply_language(menu_language: str | None, user_code: str | None, expected: str) -> None:
    assert reply_language(menu_language, user_code) == expected


def test_outside_text_is_escaped_in_replies() -> None:
    assert "&lt;b&gt;" in usage_text("en", "recent_not_number", "<b>")
    assert recent_text([], "en", note="n") == "n\nNo incidents recorded yet."


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("http://tg.internal/proxy/bot", "http://tg.internal/proxy/file/bot"),
        ("http://127.0.0.1:8081/bot{token}", "http://127.0.0.1:8081/file/bot{token}"),
    ],
)
def test_file_url_for(base: str, expected: str) -> None:
    assert file_url_for(base) == expected


@pytest.mark.parametrize(
    ("exc", "level", "start", "trace"),
    [
        (Conflict("terminated by other getUpdates request"), logging.ERROR, CONFLICT_MESSAGE, False),
        (TimedOut(), logging.WARNING, "network trouble", False),  # expected: one line, no traceback
        (NetworkError("httpx.ConnectError: refused"), logging.WARNING, "network trouble", False),
        (Forbidden("bot was blocked by the user"), logging.INFO, "chat unreachable", False),
        (RetryAfter(timedelta(seconds=5)), logging.WARNING, "Telegram error", False),
        (BadRequest("Can't parse entities"), logging.ERROR, "Telegram refused a request", True),  # our bug
        (ValueError("boom"), logging.ERROR, "handler failed", True),
    ],
)
def test_describe_error(exc: Exception, level: int, start: str, trace: bool) -> None:
    got_level, message, with_trace = describe_error(exc)
    assert (got_level, with_trace) == (level, trace) and message.startswith(start)


def test_recent_counts_what_it_shows_never_what_was_asked() -> None:
    from datetime import UTC, datetime

    from bot.alerts.render import AlertView, SourceLink, utf16_len
    from bot.telegram.queries import IncidentLine
    from extractor.types import Place

    many = tuple(SourceLink(f"Outlet {i}", f"https://o{i}.example/") for i in range(3))
    long = Place("X", "n" * 80, "ن" * 80, "iraq", "p" * 40, "ب" * 40)
    seen = datetime(2024, 5, 1, tzinfo=UTC)
    lines = [IncidentLine(AlertView(i, 1, place=long, country="iraq", sources=many), seen) for i in range(1, 51)]
    for lang in ("ar", "en"):
        text = recent_text(lines, lang)
        shown = text.count("<b>#")
        assert 0 < shown < 50
        assert (f"Latest {shown} incidents" in text) if lang == "en" else (f"آخر الهجمات ({shown})" in text)
        assert str(50 - shown) in text and "20" not in text.split("\n")[0]
        assert utf16_len(text) <= 4096


@pytest.mark.parametrize(
    ("status", "lang", "word"),
    [
        ("corroborated", "en", " · Corroborated · "),
        ("confirmed", "ar", " · مؤكد · "),
        ("disputed", "en", " · Disputed · "),
        ("claimed", "ar", " · ادعاء · "),
    ],
)
def test_recent_says_how_sure_each_incident_is(status: str, lang: str, word: str) -> None:
    from datetime import UTC, datetime

    from bot.alerts.render import AlertView, SourceLink
    from bot.telegram.queries import IncidentLine

    line = IncidentLine(AlertView(7, 1, country="iraq", sources=(SourceLink("A", "https://a.example/"),),
                                  status=status), datetime(2024, 5, 1, tzinfo=UTC))
    assert word in recent_text([line], "ar" if lang == "ar" else "en")


@pytest.mark.parametrize(
    ("offset", "size", "shown", "more", "newer", "older"),
    [
        (0, 5, 5, True, None, (5, 5)),  # first page, more behind it
        (0, 5, 3, False, None, None),  # everything fits on one page
        (0, 20, 8, True, None, (8, 20)),  # only 8 fitted: the older page starts at the 9th
        (5, 5, 5, True, (0, 5), (10, 5)),
        (3, 5, 2, False, (0, 5), None),  # never before the newest
        (10, 5, 0, False, (5, 5), None),  # an empty page past the end
    ],
)
def test_page_turns(
    offset: int, size: int, shown: int, more: bool, newer: tuple[int, int] | None, older: tuple[int, int] | None
) -> None:
    from bot.telegram.args import Page, page_data, page_turns, parse_page

    got = page_turns(Page(offset, size), shown, more)
    assert got == (Page(*newer) if newer else None, Page(*older) if older else None)
    for page in got:
        if page is not None:
            assert parse_page(page_data(page)) == page


@pytest.mark.parametrize("data", ["rc:1:0", "rc:1:21", "rc:-1:5", "rc:x:5", "rc:1", "cfg:1:5", None, "rc:1:5:9"])
def test_parse_page_refuses_what_no_button_made(data: str | None) -> None:
    from bot.telegram.args import parse_page

    assert parse_page(data) is None


def test_an_undated_incident_in_recent_takes_the_day_it_was_first_seen_in_the_chats_zone() -> None:
    from datetime import UTC, datetime

    from bot.alerts.render import AlertView
    from bot.telegram.queries import IncidentLine
    from bot.telegram.texts import recent_line

    seen = datetime(2024, 5, 1, 22, 30, tzinfo=UTC)  # already 2 May in Baghdad
    baghdad = recent_line(IncidentLine(AlertView(1, 1, country="iraq"), seen), "en")
    utc = recent_line(IncidentLine(AlertView(1, 1, country="iraq", tz="UTC"), seen), "en")
    assert "Thu 2 May 2024" in baghdad and "Wed 1 May 2024" in utc
