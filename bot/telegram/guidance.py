"""Answers where the bot would otherwise stay silent: plain text and links in a private chat, a
command posted inside a channel, and the bot being added to a group (an Arabic command word is
answered by handlers.cmd_unknown, which sees every unknown command).

A new user's first message is often not a command; silence reads as a broken bot. Each answer is
short and points at the command that does what the user seems to want (texts in bot.telegram.texts).
"""

from __future__ import annotations

import logging
import re
from typing import Final

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from bot.telegram import args as parse
from bot.telegram import texts
from bot.telegram.deps import RasadContext, RasadHandler
from bot.telegram.handlers import arrive, reply

log = logging.getLogger(__name__)

LINK: Final = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b\S+\.(?:com|net|org|info|news|iq|sy|jo)(?:/\S*)?\b")
"""What reads as a pasted link."""

CHANNEL_COMMANDS: Final = frozenset({"start", "help", "subscribe", "unsubscribe", "settings"})
"""Commands that, posted in a channel, mean someone is trying to subscribe it."""


async def on_private_text(update: Update, context: RasadContext) -> None:
    """A private message that is not a command: a link gets the link answer, anything else the short help."""
    msg = update.effective_message
    if msg is None or not msg.text:
        return
    here = await arrive(update, context)
    text = texts.link_help(here.lang) if LINK.search(msg.text) else texts.plain_text_help(here.lang)
    await reply(update, context, text)


async def on_channel_command(update: Update, context: RasadContext) -> None:
    """/subscribe (or another subscription command) posted inside a channel: how to subscribe it."""
    post = update.channel_post
    if post is None or not post.text:
        return
    command, addressed_to = parse.command_of(post.text)
    if command not in CHANNEL_COMMANDS:
        return
    if addressed_to is not None and (context.bot.username or "").lower() != addressed_to.lower():
        return
    try:
        await context.bot.send_message(post.chat.id, texts.channel_command_text(post.chat.username))
    except TelegramError as exc:  # the bot may not post here; there is nobody else to tell
        log.info("channel %s: could not answer a posted command: %s", post.chat.id, exc)


async def on_added_to_group(update: Update, context: RasadContext) -> None:
    """The bot was added to a group: say what it does and how an admin subscribes."""
    msg = update.effective_message
    if msg is None or not any(m.id == context.bot.id for m in msg.new_chat_members or ()):
        return
    here = await arrive(update, context)
    await reply(update, context, texts.added_to_group_text(here.lang))


def guidance_handlers() -> list[RasadHandler]:
    """Handlers for the unknown-command group: they only see what no command handler took."""
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.Regex(r"^/") & filters.UpdateType.MESSAGE
    return [
        MessageHandler(private_text, on_private_text),
        MessageHandler(filters.UpdateType.CHANNEL_POST & filters.Regex(r"^/"), on_channel_command),
        MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, on_added_to_group),
    ]
