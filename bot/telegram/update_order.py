"""How incoming updates are processed: chats concurrently, each chat's own updates one at a time, in order.

Why not fully sequential (`concurrent_updates(False)`): one slow command (a getChat round trip, a big
/recent, a database wait) would hold every other chat's answer. Why not fully concurrent (PTB's
SimpleUpdateProcessor): a new user's /start and /subscribe arriving in one getUpdates batch would run at
once, so the replies could come out of order ("Subscribed" before the welcome) and two presses on one
settings menu would race. Per chat, in order, is what a user expects from a conversation. The writes are
race-free on their own (single-statement upserts, locked settings changes), so this ordering is about
what users see, not about correctness of the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Final

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT: Final = 32
"""Updates handled at once across chats."""


def order_key(update: object) -> int | None:
    """The chat an update belongs to (else its user); None for updates that need no ordering."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatOrder(BaseUpdateProcessor):
    """At most MAX_CONCURRENT updates at once, and never two of one chat at once (FIFO per chat)."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = order_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:  # no one else waits on this chat: forget its lock
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
