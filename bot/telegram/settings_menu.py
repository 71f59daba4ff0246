"""/settings: an inline keyboard for a chat's alert language, menu language, "alert me from" level and claims,
countries, target kinds and updates.

The message shows the current choices on one line; each row has a label that explains its choice
when pressed; Done replaces the menu with what was saved.

Each button's callback data names the chat it configures ("cfg:<chat id>:<choice>"), so a channel
can be configured from a private chat; every press re-checks the presser's right to change that
chat, because callback data comes from the client and a keyboard outlives admin changes.
Parsing a press and applying it to the stored choices are pure functions.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Final

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.telegram import queries, texts
from bot.telegram.deps import RasadContext, RasadHandler
from bot.telegram.handlers import (
    arrive,
    channel_access,
    may_change_here,
    reply,
    target_of_command,
)
from bot.telegram.queries import ChatState
from bot.telegram.texts import COUNTRY_KEYS, ReplyLang

log = logging.getLogger(__name__)

PREFIX: Final = "cfg"
LANGUAGES: Final = ("ar", "en", "both")
MENU_LANGUAGES: Final = ("ar", "en", "auto")
"""The menu language: one for everyone in the chat, or "auto" (each user's Telegram language)."""
TIMEZONES: Final = ("Asia/Baghdad", "UTC", "Europe/London", "America/New_York")
"""The time zones offered; the region's own (Damascus, Amman) keep Baghdad's UTC+3."""
ALERT_LEVELS: Final = ("reported", "corroborated", "confirmed")
""""Alert me from": any report, corroborated (two independent outlets) or confirmed (an official); issue 13."""
ROWS: Final = ("lang", "menu", "level", "countries", "targets", "updates", "tz")
"""The labelled rows of the menu; pressing a label explains the choice."""
ON: Final = "✅ "
OFF: Final = "⬜ "
TOGGLES: Final = ("cv", "dp", "up", "cl")
"""Switches: supply convoys, diplomatic targets, update messages, claims from claimant sources."""


@dataclass(frozen=True, slots=True)
class Press:
    """One button press: the chat it configures, the choice, and its value (language or country)."""

    chat_id: int
    choice: str
    value: str | None = None


def press_data(chat_id: int, choice: str, value: str | None = None) -> str:
    """The callback data of a button (well under Telegram's 64 bytes)."""
    return f"{PREFIX}:{chat_id}:{choice}" + (f":{value}" if value else "")


def parse_press(data: str | None) -> Press | None:
    """Read callback data back; None for anything this menu did not make."""
    parts = (data or "").split(":")
    if len(parts) not in (3, 4) or parts[0] != PREFIX:
        return None
    try:
        chat_id = int(parts[1])
    except ValueError:
        return None
    choice, value = parts[2], (parts[3] if len(parts) == 4 else None)
    if choice == "l" and value in LANGUAGES:
        return Press(chat_id, choice, value)
    if choice == "m" and value in MENU_LANGUAGES:
        return Press(chat_id, choice, value)
    if choice == "i" and value in ROWS:
        return Press(chat_id, choice, value)
    if choice == "z" and value is not None and value.isdigit() and int(value) < len(TIMEZONES):
        return Press(chat_id, choice, value)
    if choice == "c" and value in COUNTRY_KEYS:
        return Press(chat_id, choice, value)
    if choice == "s" and value in ALERT_LEVELS:
        return Press(chat_id, choice, value)
    if choice in (*TOGGLES, "x") and value is None:
        return Press(chat_id, choice)
    return None


def toggle_country(countries: tuple[str, ...], key: str) -> tuple[str, ...] | None:
    """Flip one country. Empty means all; choosing every country stores empty again; None = none would remain."""
    chosen = set(countries or COUNTRY_KEYS) & set(COUNTRY_KEYS)
    chosen ^= {key}
    if not chosen:
        return None
    return () if chosen == set(COUNTRY_KEYS) else tuple(k for k in COUNTRY_KEYS if k in chosen)


def apply_press(state: ChatState, press: Press) -> ChatState | str:
    """The choices after a press, or a problem code for texts.settings_answer."""
    if press.choice == "l" and press.value:
        return replace(state, language=press.value)
    if press.choice == "z" and press.value:
        zone = TIMEZONES[int(press.value)]
        return replace(state, timezone=None if zone == TIMEZONES[0] else zone)
    if press.choice == "m" and press.value:
        return replace(state, menu_language=None if press.value == "auto" else press.value)
    if press.choice == "c" and press.value:
        countries = toggle_country(state.countries, press.value)
        return "last_country" if countries is None else replace(state, countries=countries)
    if press.choice == "cv":
        return replace(state, include_convoy=not state.include_convoy)
    if press.choice == "dp":
        return replace(state, include_diplomatic=not state.include_diplomatic)
    if press.choice == "up":
        return replace(state, send_updates=not state.send_updates)
    if press.choice == "s" and press.value:
        return replace(state, min_status=press.value)
    if press.choice == "cl":
        return replace(state, include_claims=not state.include_claims)
    return "stale"


def keyboard(state: ChatState, lang: ReplyLang) -> InlineKeyboardMarkup:
    """The menu for a chat's current choices: a tick marks what is on."""

    def btn(on: bool, label: str, choice: str, value: str | None = None) -> InlineKeyboardButton:
        return InlineKeyboardButton((ON if on else OFF) + label, callback_data=press_data(state.chat_id, choice, value))

    def label(row: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(texts.row_label(row, lang), callback_data=press_data(state.chat_id, "i", row))]

    chosen = set(state.countries or COUNTRY_KEYS)
    menu = state.menu_language or "auto"
    rows = [
        label("lang"),
        [btn(state.language == code, texts.button(f"lang_{code}", lang), "l", code) for code in LANGUAGES],
        label("menu"),
        [btn(menu == code, texts.button(f"menu_{code}", lang), "m", code) for code in MENU_LANGUAGES],
        label("level"),
        [btn(level_of(state) == level, texts.button(f"level_{level}", lang), "s", level) for level in ALERT_LEVELS],
        [btn(state.include_claims, texts.button("claims", lang), "cl")],
        label("countries"),
        [btn(key in chosen, texts.country_label(key, lang), "c", key) for key in COUNTRY_KEYS],
        label("targets"),
        [
            btn(state.include_convoy, texts.button("convoy", lang), "cv"),
            btn(state.include_diplomatic, texts.button("diplomatic", lang), "dp"),
        ],
        label("updates"),
        [btn(state.send_updates, texts.button("updates", lang), "up")],
        label("tz"),
        [
            btn((state.timezone or TIMEZONES[0]) == zone, texts.timezone_label(zone, lang), "z", str(i))
            for i, zone in enumerate(TIMEZONES)
        ],
        [InlineKeyboardButton(texts.button("done", lang), callback_data=press_data(state.chat_id, "x"))],
    ]
    return InlineKeyboardMarkup(rows)


def level_of(state: ChatState) -> str:
    """The chat's "alert me from" level as the menu offers it (an unknown stored value reads as any report)."""
    return state.min_status if state.min_status in ALERT_LEVELS else ALERT_LEVELS[0]


def menu_text(state: ChatState, lang: ReplyLang, *, other: bool) -> str:
    """The text above the keyboard; names the channel when configuring one from a private chat."""
    return texts.settings_text(
        lang, subscribed=state.subscribed, title=state.title if other else None, summary=summary(state, lang)
    )


def summary(state: ChatState, lang: ReplyLang) -> str:
    """The chat's current choices on one line (texts.settings_summary)."""
    return texts.state_summary(state, lang)


# --- handlers -----------------------------------------------------------------------------------------


async def cmd_settings(update: Update, context: RasadContext) -> None:
    """/settings [@channel]: show the menu (to those who may change the chat)."""
    here = await arrive(update, context)
    target = await target_of_command(update, context, here)
    if target is None:
        return
    state = await context.deps.db(lambda s: queries.chat_state(s, target.chat_id))
    assert state is not None  # resolve_target made sure the row exists
    lang = texts.reply_language(state.menu_language, here.user_language) if target.other else here.lang
    await reply(update, context, menu_text(state, lang, other=target.other), reply_markup=keyboard(state, lang))


async def _allowed(update: Update, context: RasadContext, query: CallbackQuery, message: Message, press: Press) -> bool:
    """Re-check on every press: the presser must still be allowed to change the configured chat."""
    user_id = query.from_user.id
    if press.chat_id == message.chat.id:
        return await may_change_here(update, context, user_id) is None
    _channel, refusal = await channel_access(context, message.chat.type, user_id, press.chat_id)
    return refusal is None


async def on_press(update: Update, context: RasadContext) -> None:
    """A press on the menu: check, apply, store, redraw, and always answer the press."""
    query = update.callback_query
    assert query is not None
    code = query.from_user.language_code
    press = parse_press(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if press is None or message is None:
        await query.answer(texts.settings_answer(texts.reply_language("both", code), "stale"))
        return
    deps = context.deps
    state = await deps.db(lambda s: queries.chat_state(s, press.chat_id))
    if state is None:
        await query.answer(texts.settings_answer(texts.reply_language("both", code), "stale"))
        return
    lang = texts.reply_language(state.menu_language, code)
    if press.choice == "i" and press.value:  # a row's label: explain the choice, change nothing
        await query.answer(texts.row_help(press.value, lang), show_alert=True)
        return
    if not await _allowed(update, context, query, message, press):
        await query.answer(texts.settings_answer(lang, "refused"), show_alert=True)
        return
    if press.choice == "x":
        await query.answer(texts.settings_answer(lang, "done"))
        await message.edit_text(texts.saved_text(lang, summary(state, lang)), reply_markup=None)
        return
    # The press is applied to the choices as stored when its transaction runs, not to `state` read above
    # (another press may have been saved meanwhile): concurrent presses are all kept.
    def edit(stored: ChatState) -> ChatState | str:
        return apply_press(stored, press)

    saved = await deps.db(lambda s: queries.change_choices(s, press.chat_id, edit, deps.clock()))
    if saved is None:
        await query.answer(texts.settings_answer(lang, "stale"))
        return
    if isinstance(saved, str):
        await query.answer(texts.settings_answer(lang, saved), show_alert=saved == "last_country")
        return
    log.info("chat %s: settings changed (%s%s)", saved.chat_id, press.choice, f"={press.value}" if press.value else "")
    lang = texts.reply_language(saved.menu_language, code)
    await query.answer(texts.settings_answer(lang, None))
    other = press.chat_id != message.chat.id
    try:
        await message.edit_text(
            menu_text(saved, lang, other=other),
            reply_markup=keyboard(saved, lang),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def settings_handlers() -> list[RasadHandler]:
    """The /settings command and its button presses."""
    return [CommandHandler("settings", cmd_settings), CallbackQueryHandler(on_press, pattern=f"^{PREFIX}:")]
