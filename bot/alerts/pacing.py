"""Telegram's sending limits as state on an injected clock: the one stateful part of delivery, kept apart.

`bot.alerts.delivery` decides what an answer means (pure); `bot.alerts.outbox` stores rows; this module
only says when the next message may start, so no send is ever refused for going too fast.
"""

from __future__ import annotations

import collections
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

GROUP_TYPES: Final = frozenset({"group", "supergroup", "channel"})
"""Chat types that share Telegram's per-group limit (20 a minute); everything else counts as private."""


def is_group(chat_type: str | None, chat_id: int) -> bool:
    """Groups, supergroups and channels share the per-minute limit; an unknown type is guessed from the id."""
    if chat_type:
        return chat_type in GROUP_TYPES
    return chat_id < 0


@dataclass
class Pacer:
    """Telegram's broadcast limits as arithmetic on an injected clock, counted so no send can be refused.

    Telegram timestamps a message somewhere between our request's start and its answer, so a send counts
    from its start until one window after its answer: only then is it certainly out of Telegram's window.
    Overall: fewer than `rate` sends in flight or answered within the last second, and starts spaced
    `1/rate` apart so they do not bunch. Per chat: `chat_interval` from the previous answer. Per group or
    channel: fewer than `group_per_minute` answered in the last minute. A RetryAfter holds everything.
    """

    rate: float = 30.0
    chat_interval: timedelta = timedelta(seconds=1)
    group_per_minute: int = 20
    window: timedelta = timedelta(seconds=1)
    group_window: timedelta = timedelta(minutes=1)
    _next_start: datetime | None = field(default=None, init=False)
    _paused_until: datetime | None = field(default=None, init=False)
    _inflight: int = field(default=0, init=False)
    _ends: collections.deque[datetime] = field(default_factory=collections.deque, init=False)
    _last: dict[int, datetime] = field(default_factory=dict, init=False)
    _groups: dict[int, collections.deque[datetime]] = field(default_factory=dict, init=False)

    @property
    def spacing(self) -> timedelta:
        """The gap between two starts overall."""
        return timedelta(seconds=1.0 / self.rate)

    @property
    def cap(self) -> int:
        """Sends allowed in one window overall."""
        return max(1, math.floor(self.rate))

    def global_ready_at(self, now: datetime) -> datetime | None:
        """The earliest moment any message may start; None = not until a send in flight is answered."""
        at = now
        if self._next_start is not None and self._next_start > at:
            at = self._next_start
        if self._paused_until is not None and self._paused_until > at:
            at = self._paused_until
        ends = self._ends
        while ends and ends[0] <= now - self.window:
            ends.popleft()
        excess = self._inflight + len(ends) - self.cap  # >= 0: that many more must leave the window first
        if excess >= 0:
            if excess >= len(ends):
                return None
            at = max(at, ends[excess] + self.window)
        return at

    def chat_ready_at(self, chat_id: int, chat_type: str | None, now: datetime) -> datetime:
        """The earliest moment this chat may get a message, ignoring the overall limit."""
        at = now
        last = self._last.get(chat_id)
        if last is not None:
            at = max(at, last + self.chat_interval)
        window = self._groups.get(chat_id)
        if window is not None and is_group(chat_type, chat_id):
            while window and window[0] <= now - self.group_window:
                window.popleft()
            if len(window) >= self.group_per_minute:
                at = max(at, window[-self.group_per_minute] + self.group_window)
        return at

    def ready_at(self, chat_id: int, chat_type: str | None, now: datetime) -> datetime | None:
        """The earliest moment a message to this chat respects every limit (None: wait for an answer)."""
        overall = self.global_ready_at(now)
        return None if overall is None else max(overall, self.chat_ready_at(chat_id, chat_type, now))

    def start(self, chat_id: int, chat_type: str | None, now: datetime) -> None:
        """A send to this chat starts now."""
        self._inflight += 1
        # keep to the grid when a wake-up was a little late, so lateness does not add up send after send
        on_grid = self._next_start is not None and now - self._next_start < self.spacing
        base = self._next_start if on_grid and self._next_start is not None else now
        self._next_start = base + self.spacing
        self._last[chat_id] = now  # until the answer comes, the start is the best lower bound

    def finish(self, chat_id: int, chat_type: str | None, now: datetime) -> None:
        """The send to this chat was answered now (whatever the answer: a refused send may still count)."""
        self._inflight = max(0, self._inflight - 1)
        self._ends.append(now)
        self._last[chat_id] = now
        if is_group(chat_type, chat_id):
            self._groups.setdefault(chat_id, collections.deque()).append(now)

    def note(self, chat_id: int, chat_type: str | None, now: datetime) -> None:
        """A message sent outside the broadcast (a command reply) was answered now: count it the same way."""
        self._ends.append(now)
        self._last[chat_id] = now
        if is_group(chat_type, chat_id):
            self._groups.setdefault(chat_id, collections.deque()).append(now)

    def pause_until(self, until: datetime) -> None:
        """Hold every send until `until` (flood control answered RetryAfter)."""
        if self._paused_until is None or until > self._paused_until:
            self._paused_until = until

    def forget_before(self, now: datetime) -> None:
        """Drop per-chat history too old to matter, so memory stays flat over a 10,000-chat broadcast."""
        horizon = now - max(self.chat_interval, self.group_window)
        for chat_id in [c for c, t in self._last.items() if t <= horizon]:
            del self._last[chat_id]
            window = self._groups.get(chat_id)
            if window is not None and (not window or window[-1] <= horizon):
                del self._groups[chat_id]
