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

from bot.incidents.subscriptions import WEAPON_KEYS
from bot.telegram import args as parse
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
from extractor.gazetteer import gazetteer
from extractor.provinces import provinces

log = logging.getLogger(__name__)

PREFIX: Final = "cfg"
LANGUAGES: Final = ("ar", "en", "both")
MENU_LANGUAGES: Final = ("ar", "en", "auto")
"""The menu language: one for everyone in the chat, or "auto" (each user's Telegram language)."""
TIMEZONES: Final = ("Asia/Baghdad", "UTC", "Europe/London", "America/New_York")
"""The time zones offered; the region's own (Damascus, Amman) keep Baghdad's UTC+3."""
ALERT_LEVELS: Final = ("reported", "corroborated", "confirmed")
""""Alert me from": any report, corroborated (two independent outlets) or confirmed (an official); issue 13."""
ROWS: Final = (
    "lang", "menu", "level", "countries", "places", "weapons", "targets", "keywords", "updates", "quiet", "tz",
)
"""The labelled rows of the menu; pressing a label explains the choice."""
ON: Final = "✅ "
OFF: Final = "⬜ "
TOGGLES: Final = ("cv", "dp", "up", "cl", "ca", "su", "bc", "pc")
"""Switches: supply convoys, diplomatic targets, update messages, claims from claimant sources, casualties only,
silent updates; and the clearing of the base and province filters."""
QUIET_HOURS: Final = ((None, None), (22, 7), (23, 6), (0, 8))
"""The quiet hours offered (from, to) in the chat's time zone; the first is none."""
VIEWS: Final = ("m", "b", "p")
"""The menu's pages: the main one, the bases, the provinces."""


def base_ids() -> tuple[str, ...]:
    """The bases a chat can pick: every gazetteer place, in data order (grouped by country)."""
    return tuple(gazetteer().ids())


def province_names() -> tuple[str, ...]:
    """The provinces a chat can pick (English names, as incidents store them)."""
    return tuple(en for en, _ar, _country in provinces())


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
    if choice == "w" and value in WEAPON_KEYS:
        return Press(chat_id, choice, value)
    if choice == "q" and value is not None and value.isdigit() and int(value) < len(QUIET_HOURS):
        return Press(chat_id, choice, value)
    if choice == "v" and value in VIEWS:
        return Press(chat_id, choice, value)
    if choice == "b" and value in base_ids():
        return Press(chat_id, choice, value)
    if choice == "p" and value is not None and value.isdigit() and int(value) < len(province_names()):
        return Press(chat_id, choice, value)
    if choice in (*TOGGLES, "x") and value is None:
        return Press(chat_id, choice)
    return None


def toggle_country(countries: tuple[str, ...], key: str) -> tuple[str, ...] | None:
    """Flip one country. Empty means all; choosing every country stores empty again; None = none would remain."""
    return toggle_all_ticked(countries, key, COUNTRY_KEYS)


def toggle_all_ticked(chosen_now: tuple[str, ...], key: str, every: tuple[str, ...]) -> tuple[str, ...] | None:
    """Flip one of `every` where empty means all ticked (countries, weapons); None = none would remain."""
    chosen = set(chosen_now or every) & set(every)
    chosen ^= {key}
    if not chosen:
        return None
    return () if chosen == set(every) else tuple(k for k in every if k in chosen)


def toggle_picked(chosen_now: tuple[str, ...], key: str, every: tuple[str, ...]) -> tuple[str, ...]:
    """Flip one of `every` where empty means none picked, i.e. no filter (bases, provinces)."""
    chosen = set(chosen_now) ^ {key}
    return tuple(k for k in every if k in chosen)


def view_after(press: Press) -> str:
    """The menu page to draw after a press: a base or province press stays on its page."""
    if press.choice == "v" and press.value:
        return press.value
    if press.choice in ("b", "bc"):
        return "b"
    if press.choice in ("p", "pc"):
        return "p"
    return "m"


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
    if press.choice == "w" and press.value:
        weapons = toggle_all_ticked(state.weapons, press.value, WEAPON_KEYS)
        return "last_weapon" if weapons is None else replace(state, weapons=weapons)
    if press.choice == "ca":
        return replace(state, casualties_only=not state.casualties_only)
    if press.choice == "su":
        return replace(state, silent_updates=not state.silent_updates)
    if press.choice == "q" and press.value:
        start, end = QUIET_HOURS[int(press.value)]
        return replace(state, quiet_from=start, quiet_to=end)
    if press.choice == "b" and press.value:
        return replace(state, bases=toggle_picked(state.bases, press.value, base_ids()))
    if press.choice == "p" and press.value:
        names = province_names()
        return replace(state, provinces=toggle_picked(state.provinces, names[int(press.value)], names))
    if press.choice == "bc":
        return replace(state, bases=())
    if press.choice == "pc":
        return replace(state, provinces=())
    return "stale"


def keyboard(state: ChatState, lang: ReplyLang, view: str = "m") -> InlineKeyboardMarkup:
    """The menu for a chat's current choices: a tick marks what is on. `view` picks the page (VIEWS)."""
    if view == "b":
        return _pick_page(state, lang, "b")
    if view == "p":
        return _pick_page(state, lang, "p")
    return _main_page(state, lang)


def _pick_page(state: ChatState, lang: ReplyLang, view: str) -> InlineKeyboardMarkup:
    """The bases (or provinces) page: two to a row, ticked when picked; none picked = no filter."""
    if view == "b":
        places = [(i, gazetteer().get(i)) for i in base_ids()]
        items = [
            (i, (p.name_ar if lang == "ar" else p.name_en) if p else i, i in state.bases) for i, p in places
        ]
    else:
        items = [
            (str(n), ar if lang == "ar" else en, en in state.provinces)
            for n, (en, ar, _country) in enumerate(provinces())
        ]
    chat = state.chat_id
    buttons = [
        InlineKeyboardButton((ON if on else OFF) + texts.short(label, 28), callback_data=press_data(chat, view, k))
        for k, label, on in items
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    clear = "bc" if view == "b" else "pc"
    rows.append([
        InlineKeyboardButton(texts.button("pick_clear", lang), callback_data=press_data(state.chat_id, clear)),
        InlineKeyboardButton(texts.button("back", lang), callback_data=press_data(state.chat_id, "v", "m")),
    ])
    return InlineKeyboardMarkup(rows)


def _main_page(state: ChatState, lang: ReplyLang) -> InlineKeyboardMarkup:

    def btn(on: bool, label: str, choice: str, value: str | None = None) -> InlineKeyboardButton:
        return InlineKeyboardButton((ON if on else OFF) + label, callback_data=press_data(state.chat_id, choice, value))

    def label(row: str) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(texts.row_label(row, lang), callback_data=press_data(state.chat_id, "i", row))]

    chosen = set(state.countries or COUNTRY_KEYS)
    weapons = set(state.weapons or WEAPON_KEYS)
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
        label("places"),
        [
            InlineKeyboardButton(
                texts.places_button("bases", len(state.bases), lang), callback_data=press_data(state.chat_id, "v", "b")
            ),
            InlineKeyboardButton(
                texts.places_button("provinces", len(state.provinces), lang),
                callback_data=press_data(state.chat_id, "v", "p"),
            ),
        ],
        label("weapons"),
        *[
            [btn(key in weapons, texts.weapon_label(key, lang), "w", key) for key in WEAPON_KEYS[i : i + 3]]
            for i in range(0, len(WEAPON_KEYS), 3)
        ],
        label("targets"),
        [
            btn(state.include_convoy, texts.button("convoy", lang), "cv"),
            btn(state.include_diplomatic, texts.button("diplomatic", lang), "dp"),
        ],
        [btn(state.casualties_only, texts.button("casualties_only", lang), "ca")],
        label("keywords"),
        [
            InlineKeyboardButton(
                texts.keywords_button(state.keywords_in, state.keywords_out, lang),
                callback_data=press_data(state.chat_id, "i", "keywords"),
            )
        ],
        label("updates"),
        [
            btn(state.send_updates, texts.button("updates", lang), "up"),
            btn(state.silent_updates, texts.button("silent_updates", lang), "su"),
        ],
        label("quiet"),
        [
            btn((state.quiet_from, state.quiet_to) == span, texts.quiet_label(*span, lang), "q", str(i))
            for i, span in enumerate(QUIET_HOURS)
        ],
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
    other = press.chat_id != message.chat.id
    if press.choice == "v":  # another page of the menu: nothing changes
        await query.answer()
        await _redraw(message, state, lang, other, view_after(press))
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
        await query.answer(texts.settings_answer(lang, saved), show_alert=saved in ("last_country", "last_weapon"))
        return
    log.info("chat %s: settings changed (%s%s)", saved.chat_id, press.choice, f"={press.value}" if press.value else "")
    lang = texts.reply_language(saved.menu_language, code)
    await query.answer(texts.settings_answer(lang, None))
    await _redraw(message, saved, lang, other, view_after(press))


async def _redraw(message: Message, state: ChatState, lang: ReplyLang, other: bool, view: str) -> None:
    """Show the menu's page `view` for these choices in the same message."""
    text = menu_text(state, lang, other=other)
    if view != "m":
        text += "\n\n" + texts.pick_page_text(view, lang)
    try:
        await message.edit_text(text, reply_markup=keyboard(state, lang, view))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def cmd_keywords(update: Update, context: RasadContext) -> None:
    """/keywords [@channel] [+word | -word | clear]…: show or change the chat's keywords (admins, like /settings)."""
    here = await arrive(update, context)
    req = parse.parse_keywords(context.args or [])
    if isinstance(req, parse.Problem):
        await reply(update, context, texts.usage_text(here.lang, req.code, req.arg))
        return
    if not req.changes:  # just looking: anyone may
        target_id = here.chat.chat_id
        if req.target is not None:
            target = await target_of_command(update, context, here, req.target, parsed=True)
            if target is None:
                return
            target_id = target.chat_id
        state = await context.deps.db(lambda s: queries.chat_state(s, target_id))
        got = (state.keywords_in, state.keywords_out) if state else ((), ())
        await reply(update, context, texts.keywords_text(here.lang, *got, changed=False))
        return
    target = await target_of_command(update, context, here, req.target, parsed=True)
    if target is None:
        return
    deps = context.deps

    def edit(stored: ChatState) -> ChatState | str:
        lists = parse.apply_keywords(stored.keywords_in, stored.keywords_out, req)
        if isinstance(lists, parse.Problem):
            return lists.code
        return replace(stored, keywords_in=lists[0], keywords_out=lists[1])

    saved = await deps.db(lambda s: queries.change_choices(s, target.chat_id, edit, deps.clock()))
    if isinstance(saved, str):
        await reply(update, context, texts.usage_text(here.lang, saved))
        return
    assert saved is not None  # resolve_target made sure the row exists
    log.info("chat %s: keywords changed", saved.chat_id)
    await reply(update, context, texts.keywords_text(here.lang, saved.keywords_in, saved.keywords_out, changed=True))


def settings_handlers() -> list[RasadHandler]:
    """The /settings and /keywords commands and the menu's button presses."""
    return [
        CommandHandler("settings", cmd_settings),
        CommandHandler("keywords", cmd_keywords),
        CallbackQueryHandler(on_press, pattern=f"^{PREFIX}:"),
    ]
