"""The user commands: each reads its arguments, checks who may do it, touches the database, replies.

Every command answers, in the chat's language: bad arguments and refusals get a short helpful
text (bot.telegram.texts), failures are left to the application's error handler, which answers
too. Parsing and permission decisions are pure (bot.telegram.args, bot.telegram.permissions); this
module only does the Telegram and database calls around them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlmodel import Session
from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.alerts.outbox import migrate_chat
from bot.alerts.timeofday import DEFAULT_TZ
from bot.incidents.ingest import NEWS_TZ
from bot.telegram import args as parse
from bot.telegram import queries, texts
from bot.telegram.deps import RasadContext, RasadHandler
from bot.telegram.permissions import Refusal, may_change_chat, may_manage_channel, needs_member_check
from bot.telegram.texts import ReplyLang

log = logging.getLogger(__name__)

NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)
"""No link previews in replies: alerts carry many links and a preview would pick one (see app.DEFAULTS)."""
UNKNOWN_GROUP: Final = 100
"""Handler group of the unknown-command answer: after every group that may hold real commands."""



@dataclass(frozen=True, slots=True)
class Here:
    """The chat a command came from, as stored, and the language to answer in."""

    chat: queries.ChatState
    lang: ReplyLang
    user_id: int | None
    user_language: str | None


@dataclass(frozen=True, slots=True)
class Target:
    """The chat a change applies to: this one, or a channel managed from a private chat."""

    chat_id: int
    title: str | None
    other: bool


# --- plumbing shared with settings_menu --------------------------------------------------------------


def _chat_title(chat: Chat) -> str | None:
    return None if chat.type == Chat.PRIVATE else chat.title


async def arrive(update: Update, context: RasadContext) -> Here:
    """Create the chat's row on first contact (alerts in both languages) and pick the reply language."""
    chat = update.effective_chat
    assert chat is not None
    user = update.effective_user
    code = user.language_code if user else None
    deps = context.deps
    state = await deps.db(
        lambda s: queries.ensure_chat(
            s,
            chat_id=chat.id,
            type=chat.type,
            title=_chat_title(chat),
            username=chat.username,
            language="both",
            now=deps.clock(),
        )
    )
    return Here(state, texts.reply_language(state.menu_language, code), user.id if user else None, code)


async def reply(update: Update, context: RasadContext, text: str, **kwargs: object) -> Message:
    """Send an HTML reply; in groups it quotes the command (and still sends if that was deleted)."""
    chat = update.effective_chat
    msg = update.effective_message
    assert chat is not None
    params = None
    if chat.type != Chat.PRIVATE and msg is not None:
        params = ReplyParameters(msg.message_id, allow_sending_without_reply=True)
    sent = await context.bot.send_message(
        chat.id,
        text,
        reply_parameters=params,
        message_thread_id=topic_of(update),
        **kwargs,  # type: ignore[arg-type]
    )
    for hook in context.deps.reply_hooks:
        hook(chat.id, chat.type)
    return sent


def topic_of(update: Update) -> int | None:
    """The forum topic a message was sent in (its message_thread_id), or None outside a forum's topics."""
    chat, msg = update.effective_chat, update.effective_message
    if chat is None or msg is None or not getattr(chat, "is_forum", False) or not msg.is_topic_message:
        return None
    return msg.message_thread_id


async def member_status(context: RasadContext, chat_id: int, user_id: int) -> str | None:
    """A user's status in a chat, or None when Telegram will not say (not a member, no access)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except (BadRequest, Forbidden):
        return None
    return str(member.status)


async def may_change_here(update: Update, context: RasadContext, user_id: int | None) -> Refusal | None:
    """Whether the sender may change this chat (a group needs an admin; see permissions)."""
    chat = update.effective_chat
    assert chat is not None
    msg = update.effective_message
    anonymous = bool(update.message and msg and msg.sender_chat and msg.sender_chat.id == chat.id)
    status = None
    if needs_member_check(chat.type, anonymous_admin=anonymous) and user_id is not None:
        status = await member_status(context, chat.id, user_id)
    return may_change_chat(chat.type, status, anonymous_admin=anonymous)


async def channel_access(
    context: RasadContext, from_chat_type: str, user_id: int | None, target: str | int
) -> tuple[Chat | None, Refusal | None]:
    """Look a channel up and decide whether this user may manage its subscription from here."""
    if from_chat_type != Chat.PRIVATE:
        return None, Refusal.PRIVATE_ONLY
    try:
        chat = await context.bot.get_chat(target)
    except (BadRequest, Forbidden):
        return None, Refusal.CHANNEL_NOT_FOUND
    if chat.type != Chat.CHANNEL:
        return None, Refusal.NOT_A_CHANNEL
    bot_status, can_post = None, None
    try:
        bot_member = await context.bot.get_chat_member(chat.id, context.bot.id)
        bot_status = str(bot_member.status)
        can_post = getattr(bot_member, "can_post_messages", None)
    except (BadRequest, Forbidden):
        pass
    user_status = await member_status(context, chat.id, user_id) if user_id is not None else None
    refusal = may_manage_channel(from_chat_type, chat.type, user_status, bot_status, can_post)
    plain = Chat(chat.id, chat.type, title=chat.title, username=chat.username)
    return plain, refusal


async def resolve_target(
    update: Update, context: RasadContext, here: Here, target: str | int | None
) -> Target | Refusal:
    """The chat a change applies to, after the permission check; channels get their row created."""
    if target is None:
        refusal = await may_change_here(update, context, here.user_id)
        return refusal or Target(here.chat.chat_id, here.chat.title, other=False)
    channel, refusal = await channel_access(context, here.chat.type, here.user_id, target)
    if refusal is not None or channel is None:
        return refusal or Refusal.CHANNEL_NOT_FOUND
    deps = context.deps
    language = here.chat.language if here.chat.language in ("ar", "en", "both") else "both"
    await deps.db(
        lambda s: queries.ensure_chat(
            s,
            chat_id=channel.id,
            type=channel.type,
            title=channel.title,
            username=channel.username,
            language=language,
            now=deps.clock(),
        )
    )
    return Target(channel.id, channel.title or (f"@{channel.username}" if channel.username else None), other=True)


async def target_of_command(
    update: Update, context: RasadContext, here: Here, wanted: str | int | parse.Problem | None = None,
    *, parsed: bool = False,
) -> Target | None:
    """The chat a /subscribe, /unsubscribe or /settings [@channel] applies to; None after answering why not.

    `wanted` (with parsed=True) is a target the command already read from its arguments.
    """
    if not parsed:
        wanted = parse.parse_target(context.args or [])
    if isinstance(wanted, parse.Problem):
        await reply(update, context, texts.usage_text(here.lang, wanted.code, wanted.arg))
        return None
    target = await resolve_target(update, context, here, wanted)
    if isinstance(target, Refusal):
        await reply(update, context, texts.refusal_text(here.lang, target.value, refusal_where(wanted)))
        return None
    return target


def refusal_where(target: str | int | None) -> str | None:
    """How a refusal names the channel the user typed."""
    return str(target) if target is not None else None


# --- commands -----------------------------------------------------------------------------------------


async def cmd_start(update: Update, context: RasadContext) -> None:
    """/start: what Rasad does and how to subscribe."""
    here = await arrive(update, context)
    await reply(update, context, texts.start_text(here.lang))


async def cmd_help(update: Update, context: RasadContext) -> None:
    """/help: the commands."""
    here = await arrive(update, context)
    await reply(update, context, texts.help_text(here.lang))


async def cmd_about(update: Update, context: RasadContext) -> None:
    """/about: what the alerts are."""
    here = await arrive(update, context)
    await reply(update, context, texts.about_text(here.lang))


async def cmd_subscribe(update: Update, context: RasadContext) -> None:
    """/subscribe [@channel]: create or re-activate the subscription of this chat or of a channel."""
    here = await arrive(update, context)
    target = await target_of_command(update, context, here)
    if target is None:
        return
    deps = context.deps

    topic = None if target.other else topic_of(update)  # alerts go to the topic /subscribe was sent in

    def subscribe(s: Session) -> tuple[queries.SubscribeOutcome, queries.ChatState | None]:
        outcome = queries.subscribe(s, target.chat_id, deps.clock(), thread_id=topic)
        s.flush()
        return outcome, queries.chat_state(s, target.chat_id)

    outcome, state = await deps.db(subscribe)
    log.info("chat %s: subscribe (%s)", target.chat_id, outcome.value)
    where = target.title if target.other else None
    summary = texts.state_summary(state, here.lang) if state else None
    handle = " ".join(context.args or []) if target.other else None
    text = texts.subscribed_text(here.lang, outcome.value, where, summary, handle, topic=topic is not None)
    await reply(update, context, text)


async def cmd_unsubscribe(update: Update, context: RasadContext) -> None:
    """/unsubscribe [@channel]: deactivate (choices are kept for a later /subscribe)."""
    here = await arrive(update, context)
    target = await target_of_command(update, context, here)
    if target is None:
        return
    deps = context.deps
    was_active = await deps.db(lambda s: queries.unsubscribe(s, target.chat_id, deps.clock()))
    log.info("chat %s: unsubscribe (was active: %s)", target.chat_id, was_active)
    await reply(update, context, texts.unsubscribed_text(here.lang, was_active, target.title if target.other else None))


async def cmd_recent(update: Update, context: RasadContext) -> None:
    """/recent [N]: the latest N incidents, newest first, with Newer/Older buttons to turn pages."""
    here = await arrive(update, context)
    req = parse.parse_recent(context.args or [])
    if isinstance(req, parse.Problem):
        await reply(update, context, texts.usage_text(here.lang, req.code, req.arg))
        return
    note = texts.usage_text(here.lang, req.note) if req.note else None
    text, markup = await show_recent_page(context, parse.Page(0, req.count), here.lang, here.chat.timezone, note)
    await reply(update, context, text, reply_markup=markup)


async def show_recent_page(
    context: RasadContext, page: parse.Page, lang: ReplyLang, tz: str | None, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One /recent page and its buttons (one more incident is read to know whether an older page exists)."""
    zone = tz or DEFAULT_TZ
    lines = await context.deps.db(lambda s: queries.recent(s, page.size + 1, page.offset, zone))
    text, shown = texts.recent_page(lines[: page.size], lang, note, page.offset)
    newer, older = parse.page_turns(page, shown, more=len(lines) > shown)
    labels = texts.recent_buttons(lang)
    row = [
        InlineKeyboardButton(label, callback_data=parse.page_data(turn))
        for label, turn in zip(labels, (newer, older), strict=True)
        if turn is not None
    ]
    return text, InlineKeyboardMarkup([row]) if row else None


async def on_page(update: Update, context: RasadContext) -> None:
    """A press on a /recent page button: the same message shows the other page (anyone may turn pages)."""
    query = update.callback_query
    assert query is not None
    message = query.message if isinstance(query.message, Message) else None
    page = parse.parse_page(query.data)
    code = query.from_user.language_code
    if page is None or message is None:
        await query.answer(texts.settings_answer(texts.reply_language(None, code), "stale"))
        return
    deps = context.deps
    state = await deps.db(lambda s: queries.chat_state(s, message.chat.id))
    lang = texts.reply_language(state.menu_language if state else None, code)
    text, markup = await show_recent_page(context, page, lang, state.timezone if state else None)
    await query.answer()
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def cmd_incident(update: Update, context: RasadContext) -> None:
    """/incident ID: everything known about one incident."""
    here = await arrive(update, context)
    wanted = parse.parse_incident(context.args or [])
    if isinstance(wanted, parse.Problem):
        await reply(update, context, texts.usage_text(here.lang, wanted.code, wanted.arg))
        return
    tz = here.chat.timezone or DEFAULT_TZ
    detail = await context.deps.db(lambda s: queries.incident(s, wanted, tz))
    if detail is None:
        await reply(update, context, texts.not_found_text(here.lang, wanted))
        return
    await reply(update, context, texts.incident_text(detail, here.lang))


def stats_windows(now: datetime) -> tuple[datetime, datetime]:
    """The first days of the 7- and 30-day windows, counted in the region's calendar (UTC+3)."""
    today = now.astimezone(NEWS_TZ)
    return today - timedelta(days=6), today - timedelta(days=29)


def known_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> frozenset[str]:
    """Every command some handler of the application answers (ours and extra groups')."""
    names: set[str] = set()
    for group in app.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler):
                names.update(handler.commands)
    return frozenset(names)


async def cmd_unknown(update: Update, context: RasadContext) -> None:
    """Any other /command addressed to us: say so and point at /help (never silence)."""
    msg = update.effective_message
    chat = update.effective_chat
    if msg is None or chat is None or not msg.text:
        return
    command, addressed_to = parse.command_of(msg.text)
    if command in known_commands(context.application):
        return
    if not parse.answer_unknown(chat.type, addressed_to, context.bot.username):
        return
    here = await arrive(update, context)
    meant = texts.ARABIC_COMMANDS.get(command)
    if meant is not None:  # "/اشتراك": Telegram commands are Latin; say which one is meant
        await reply(update, context, texts.arabic_command_text(here.lang, command, meant))
        return
    await reply(update, context, texts.unknown_command_text(here.lang, "/" + command))


def command_handlers() -> list[RasadHandler]:
    """Our commands, for handler group 0."""
    table = {
        "start": cmd_start,
        "help": cmd_help,
        "about": cmd_about,
        "subscribe": cmd_subscribe,
        "unsubscribe": cmd_unsubscribe,
        "recent": cmd_recent,
        "incident": cmd_incident,
    }
    handlers: list[RasadHandler] = [CommandHandler(name, fn) for name, fn in table.items()]
    handlers.append(CallbackQueryHandler(on_page, pattern=f"^{parse.PAGE_PREFIX}:"))
    handlers.append(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    return handlers


async def on_migrate(update: Update, context: RasadContext) -> None:
    """A group became a supergroup: move its chat, subscription and pending alerts to the new id."""
    msg = update.effective_message
    if msg is None or not msg.migrate_to_chat_id:
        return  # the supergroup's "migrated from" twin carries nothing new
    old_id, new_id = msg.chat.id, msg.migrate_to_chat_id
    deps = context.deps
    await deps.db(lambda s: migrate_chat(s, old_id, new_id, now=deps.clock()))
    log.info("chat %s moved to %s (group upgraded to a supergroup)", old_id, new_id)


def unknown_handler() -> RasadHandler:
    """The fallback for commands nobody registered (group UNKNOWN_GROUP)."""
    # Telegram marks only Latin command names as commands; "/شيء" is still meant as one.
    looks_like_command = filters.COMMAND | (filters.TEXT & filters.Regex(r"^/\S"))
    return MessageHandler(looks_like_command & filters.UpdateType.MESSAGE, cmd_unknown)
