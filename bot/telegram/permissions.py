"""Who may change a chat's subscription and settings: pure decisions over what Telegram reports.

Anyone may read (/recent, /incident, /stats). Changing what a chat receives is for the person in a
private chat, a group's admins (including an admin posting anonymously as the group), and, for a
channel, someone who administers it and only when Rasad itself can post there.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

ADMIN_STATUSES: Final = frozenset({"administrator", "creator"})


class Refusal(StrEnum):
    """Why a change is refused; texts.refusal_text words each one."""

    NOT_GROUP_ADMIN = "not_group_admin"
    NOT_CHANNEL_ADMIN = "not_channel_admin"
    BOT_NOT_ADMIN = "bot_not_admin"
    BOT_CANNOT_POST = "bot_cannot_post"
    NOT_A_CHANNEL = "not_a_channel"
    CHANNEL_NOT_FOUND = "channel_not_found"
    PRIVATE_ONLY = "private_only"


def may_change_chat(chat_type: str, member_status: str | None, *, anonymous_admin: bool = False) -> Refusal | None:
    """None when the sender may change this chat's subscription and settings."""
    if chat_type == "private":
        return None
    if chat_type == "channel":
        return None  # only a channel's admins can post in it
    if anonymous_admin or member_status in ADMIN_STATUSES:
        return None
    return Refusal.NOT_GROUP_ADMIN


def needs_member_check(chat_type: str, *, anonymous_admin: bool = False) -> bool:
    """Whether deciding needs a getChatMember call (groups, unless the sender is the group itself)."""
    return chat_type in ("group", "supergroup") and not anonymous_admin


def may_manage_channel(
    from_chat_type: str,
    target_type: str,
    user_status: str | None,
    bot_status: str | None,
    bot_can_post: bool | None,
) -> Refusal | None:
    """None when a user in `from_chat_type` may subscribe or configure the channel for its admins."""
    if from_chat_type != "private":
        return Refusal.PRIVATE_ONLY
    if target_type != "channel":
        return Refusal.NOT_A_CHANNEL
    if bot_status not in ADMIN_STATUSES:
        return Refusal.BOT_NOT_ADMIN  # and without it, a channel's admins cannot be checked either
    if user_status not in ADMIN_STATUSES:
        return Refusal.NOT_CHANNEL_ADMIN
    if bot_status == "administrator" and bot_can_post is False:
        return Refusal.BOT_CANNOT_POST
    return None
