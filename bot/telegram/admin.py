"""Operator commands in Telegram: /feeds /addfeed /removefeed /pausefeed /resumefeed /reload.

Only user ids in telegram.admins (read from the live settings, so a reload can add or remove an
admin) may run them; anyone else is told so and nothing changes. Every change is written to the
config file through bot.ops.configfile (validated, comments kept) and applied with the watcher's reload,
so the file stays the single truth and the chat never holds state of its own.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler
from tomlkit.toml_document import TOMLDocument

from bot.clock import utc_now
from bot.config import ConfigError, Settings, SettingsSource
from bot.database import run_db
from bot.feeds.feedcheck import check_feed
from bot.feeds.netguard import Resolver, system_resolver
from bot.incidents.poller import poller_limits
from bot.models import Chat
from bot.ops.configfile import FeedEditError, add_feed, default_name, edit_config, remove_feed, set_enabled
from bot.ops.operators import (
    ConfigWatcher,
    FeedStatus,
    ReloadOutcome,
    clear_feed_failures,
    feed_overview,
    format_when,
    summarize,
)
from bot.telegram.deps import RasadContext, RasadHandler
from bot.telegram.texts import (
    REMOVE_BUTTONS,
    ReplyLang,
    feed_block_lines,
    feed_label,
    feeds_head,
    operator_text,
    reload_text,
    reply_language,
    when_text,
)

__all__ = [
    "ADMIN_COMMANDS",
    "NOT_ALLOWED",
    "AdminContext",
    "admin_handlers",
    "format_feeds",
    "make_admin_notifier",
    "parse_addfeed_args",
]

log = logging.getLogger("rasad.admin")

NOT_ALLOWED = "⛔ Not allowed: only Rasad's operators can use this command.\nغير مسموح: هذا الأمر لمشغّلي رصد فقط."
REMOVE_PREFIX = "rmf"
"""Callback data of the /removefeed question's buttons."""
MAX_MESSAGE = 3800  # under Telegram's 4096 UTF-16 units, with room for surrogate pairs in names
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
"""Admin texts are plain: replies pass parse_mode=None over the application's HTML default (its Defaults already
turn previews off); the notifier, given any Bot, says both."""
ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("feeds", "feeds and their health (operators)"),
    ("addfeed", "URL [name] [ar|en]: add a feed (operators)"),
    ("removefeed", "NAME: remove a feed (operators)"),
    ("pausefeed", "NAME: stop polling a feed (operators)"),
    ("resumefeed", "NAME: poll a feed again (operators)"),
    ("reload", "re-read the config file (operators)"),
)
"""(command, description) pairs, for setMyCommands if the app wants to list them."""

Command = Callable[[Update, RasadContext], Coroutine[Any, Any, None]]


@dataclass
class AdminContext:
    """What the admin handlers need: the database, the config watcher (live settings, file, reload)."""

    engine: Engine
    watcher: ConfigWatcher
    clock: Callable[[], datetime] = utc_now
    resolver: Resolver = field(default=system_resolver)
    """DNS for the private-address guard of /addfeed (a test can pin names to addresses)."""
    pending_removals: dict[str, str] = field(default_factory=dict)
    """/removefeed questions awaiting their button: token → feed name."""

    @property
    def settings(self) -> Settings:
        return self.watcher.settings

    @property
    def config_path(self) -> Path | None:
        return self.watcher.path


# --- pure helpers ----------------------------------------------------------------------------------


def parse_addfeed_args(args: Sequence[str]) -> tuple[str, str | None, str | None]:
    """`/addfeed URL [name…] [ar|en]` → (url, name or None, lang or None); ValueError without a URL."""
    if not args:
        raise ValueError("usage: /addfeed URL [name] [ar|en]")
    url, rest = args[0], list(args[1:])
    lang = None
    if rest and rest[-1].lower() in ("ar", "en"):
        lang = rest.pop().lower()
    name = " ".join(rest).strip() or None
    return url, name, lang


def _feed_block(s: FeedStatus, now: datetime, lang: ReplyLang = "en") -> str:
    if s.next_check_at:
        nxt = when_text(s.next_check_at, now, lang, format_when(s.next_check_at, now))
    elif s.kind in ("new", "ok"):
        nxt = "مستحق" if lang == "ar" else "due"
    else:
        nxt = "-"
    lines = feed_block_lines(
        lang,
        name=s.name,
        state=feed_label(s.kind, s.label, s.consecutive_errors, lang),
        channel=s.source_kind == "channel",
        role=s.role,
        removed=s.kind == "removed",
        last_success=when_text(s.last_success_at, now, lang, format_when(s.last_success_at, now)),
        next_check=nxt,
        errors=s.consecutive_errors,
        articles=s.articles_7d,
        incidents=s.incidents_7d,
        last_error=s.last_error[:300] if s.last_error and s.kind != "disabled" else None,
    )
    return "\n".join(lines)


def format_feeds(
    statuses: Sequence[FeedStatus], now: datetime, limit: int = MAX_MESSAGE, lang: ReplyLang = "en"
) -> list[str]:
    """The /feeds answer as messages of at most `limit` characters, whole feeds per message."""
    head = feeds_head(lang, len(statuses), summarize(statuses))
    messages: list[str] = []
    current = head
    for st in statuses:
        block = _feed_block(st, now, lang)[: limit - 2]
        if len(current) + 2 + len(block) > limit:
            messages.append(current)
            current = block
        else:
            current += "\n\n" + block
    messages.append(current)
    return messages


# --- handlers --------------------------------------------------------------------------------------


async def _reply(update: Update, text: str) -> None:
    message = update.effective_message
    if message is None:
        return
    for start in range(0, max(len(text), 1), MAX_MESSAGE):
        await message.reply_text(text[start : start + MAX_MESSAGE], parse_mode=None)


def _admin_only(ctx: AdminContext, name: str, command: Command) -> Command:
    async def guarded(update: Update, context: RasadContext) -> None:
        user = update.effective_user
        if user is None or user.id not in ctx.settings.telegram.admins:
            log.warning("/%s refused for user %s", name, user.id if user else "(none)")
            await _reply(update, NOT_ALLOWED)
            return
        log.info("/%s by admin %s", name, user.id)
        await command(update, context)

    return guarded


async def _lang(ctx: AdminContext, update: Update) -> ReplyLang:
    """The operator's language: the chat's menu language when chosen, else their Telegram app's."""
    chat, user = update.effective_chat, update.effective_user
    menu = None
    if chat is not None:
        chat_id = chat.id
        menu = await run_db(ctx.engine, lambda s: (row.menu_language if (row := s.get(Chat, chat_id)) else None))
    return reply_language(menu, user.language_code if user else None)


def _name_arg(context: RasadContext) -> str:
    return " ".join(context.args or ()).strip()


async def _edit(ctx: AdminContext, update: Update, mutate: Callable[[TOMLDocument], object]) -> bool:
    """Write a change to the file and apply it; replies with the problem and returns False when refused."""
    path = ctx.config_path
    lang = await _lang(ctx, update)
    if path is None:
        await _reply(update, operator_text(lang, "no_config"))
        return False
    try:
        await asyncio.to_thread(edit_config, path, mutate)
    except FeedEditError as exc:
        await _reply(update, operator_text(lang, "not_changed", detail=exc))
        return False
    except ConfigError as exc:
        await _reply(update, operator_text(lang, "not_changed_invalid", detail="\n".join(exc.problems[:20])))
        return False
    return True


def _outcome_text(outcome: ReloadOutcome, lang: ReplyLang) -> str:
    return reload_text(
        lang, ok=outcome.ok, source=outcome.source, changes=outcome.changes, problems=outcome.problems,
        english=outcome.text(),
    )


async def _apply(ctx: AdminContext, update: Update, reason: str) -> str:
    outcome = await ctx.watcher.reload(reason, notify=False)
    return "" if outcome.ok else "\n\n" + _outcome_text(outcome, await _lang(ctx, update))


def admin_handlers(ctx: AdminContext) -> list[RasadHandler]:
    """The six operator commands as PTB handlers (add them to the Application in any group)."""

    async def feeds(update: Update, context: RasadContext) -> None:
        now = ctx.clock()

        statuses = await run_db(ctx.engine, lambda s: feed_overview(s, ctx.settings, now))
        for text in format_feeds(statuses, now, lang=await _lang(ctx, update)):
            await _reply(update, text)

    async def addfeed(update: Update, context: RasadContext) -> None:
        lang = await _lang(ctx, update)
        try:
            url, name, feed_lang = parse_addfeed_args(context.args or ())
        except ValueError:
            await _reply(update, operator_text(lang, "usage_addfeed"))
            return
        if ctx.config_path is None:
            await _reply(update, operator_text(lang, "no_config"))
            return
        settings = ctx.settings
        check = await check_feed(
            url,
            limits=poller_limits(settings),
            allow_private=settings.admin.allow_private_addresses,
            resolver=ctx.resolver,
            now=ctx.clock(),
            channel_base=settings.channels.preview_base_url,
        )
        if not check.ok:
            await _reply(update, operator_text(lang, "not_added", detail=check.error))
            return
        chosen = name or default_name(check.title, url, (f.name for f in settings.feeds))
        chosen_lang = feed_lang or "ar"
        if not await _edit(ctx, update, lambda doc: add_feed(doc, chosen, url, chosen_lang)):
            return
        extra = await _apply(ctx, update, "/addfeed")
        title = f" “{check.title}”" if check.title and check.title != chosen else ""
        await _reply(
            update,
            operator_text(
                lang, "added", name=chosen, feed_lang=chosen_lang, title=title, items=check.items, extra=extra
            ),
        )

    async def removefeed(update: Update, context: RasadContext) -> None:
        name = _name_arg(context)
        lang = await _lang(ctx, update)
        if not name:
            await _reply(update, operator_text(lang, "usage_removefeed"))
            return
        known = next((f.name for f in ctx.settings.feeds if f.name.casefold() == name.casefold()), None)
        message = update.effective_message
        if known is None or message is None:  # the file's own answer ("no feed named …"): nothing to confirm
            await _edit(ctx, update, lambda doc: remove_feed(doc, name))
            return
        token = secrets.token_hex(4)
        ctx.pending_removals[token] = known
        yes, no = REMOVE_BUTTONS["yes"], REMOVE_BUTTONS["no"]
        buttons = [
            InlineKeyboardButton(f"{yes[1]} / {yes[0]}", callback_data=f"{REMOVE_PREFIX}:{token}:y"),
            InlineKeyboardButton(f"{no[1]} / {no[0]}", callback_data=f"{REMOVE_PREFIX}:{token}:n"),
        ]
        await message.reply_text(
            operator_text(lang, "remove_question", name=known),
            parse_mode=None,
            reply_markup=InlineKeyboardMarkup([buttons]),
        )

    async def confirm_remove(update: Update, context: RasadContext) -> None:
        """The answer to a /removefeed question: checked again (buttons outlive admin lists), then done."""
        query = update.callback_query
        if query is None:
            return
        if query.from_user.id not in ctx.settings.telegram.admins:
            await query.answer(NOT_ALLOWED, show_alert=True)
            return
        parts = (query.data or "").split(":")
        name = ctx.pending_removals.pop(parts[1], None) if len(parts) == 3 else None
        lang = await _lang(ctx, update)
        if name is None:
            await query.answer(operator_text(lang, "remove_stale"), show_alert=True)
            return
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
        if parts[2] != "y":
            await _reply(update, operator_text(lang, "kept", name=name))
            return
        log.info("/removefeed %r confirmed by admin %s", name, query.from_user.id)
        removed: list[str] = []
        if not await _edit(ctx, update, lambda doc: removed.append(remove_feed(doc, name))):
            return
        extra = await _apply(ctx, update, "/removefeed")
        await _reply(update, operator_text(lang, "removed", name=removed[0], extra=extra))

    async def pausefeed(update: Update, context: RasadContext) -> None:
        name = _name_arg(context)
        lang = await _lang(ctx, update)
        if not name:
            await _reply(update, operator_text(lang, "usage_pausefeed"))
            return
        result: list[tuple[str, bool]] = []
        if not await _edit(ctx, update, lambda doc: result.append(set_enabled(doc, name, False))):
            return
        written, changed = result[0]
        if not changed:
            await _reply(update, operator_text(lang, "already_paused", name=written))
            return
        extra = await _apply(ctx, update, "/pausefeed")
        await _reply(update, operator_text(lang, "paused", name=written, extra=extra))

    async def resumefeed(update: Update, context: RasadContext) -> None:
        name = _name_arg(context)
        lang = await _lang(ctx, update)
        if not name:
            await _reply(update, operator_text(lang, "usage_resumefeed"))
            return
        result: list[tuple[str, bool]] = []
        if not await _edit(ctx, update, lambda doc: result.append(set_enabled(doc, name, True))):
            return
        written, changed = result[0]

        cleared = await run_db(ctx.engine, lambda s: clear_feed_failures(s, written))
        extra = await _apply(ctx, update, "/resumefeed") if changed else ""
        if not (changed or cleared):
            await _reply(update, operator_text(lang, "not_paused", name=written))
            return
        await _reply(update, operator_text(lang, "resumed", name=written, extra=extra))

    async def reload(update: Update, context: RasadContext) -> None:
        outcome = await ctx.watcher.reload("/reload", notify=False)
        await _reply(update, _outcome_text(outcome, await _lang(ctx, update)))

    commands: dict[str, Command] = {
        "feeds": feeds,
        "addfeed": addfeed,
        "removefeed": removefeed,
        "pausefeed": pausefeed,
        "resumefeed": resumefeed,
        "reload": reload,
    }
    handlers: list[RasadHandler] = [CommandHandler(name, _admin_only(ctx, name, fn)) for name, fn in commands.items()]
    handlers.append(CallbackQueryHandler(confirm_remove, pattern=f"^{REMOVE_PREFIX}:"))
    return handlers


def make_admin_notifier(bot: Bot, settings: SettingsSource) -> Callable[[str], Awaitable[None]]:
    """notify_admins(text) for the watcher and report_disabled_feeds: a private message to each admin.

    Raises only when there are admins and none could be reached, so a one-time notice is retried.
    """

    async def notify(text: str) -> None:
        admins = settings().telegram.admins
        if not admins:
            log.warning("no telegram.admins to notify: %s", text.replace("\n", " | "))
            return
        delivered = 0
        for admin in admins:
            try:
                await bot.send_message(
                    chat_id=admin, text=text[:MAX_MESSAGE], parse_mode=None, link_preview_options=_NO_PREVIEW
                )
                delivered += 1
            except TelegramError as exc:
                log.warning("could not notify admin %s: %s", admin, exc)
        if delivered == 0:
            raise RuntimeError("no admin could be notified")

    return notify
