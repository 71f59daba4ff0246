"""When to poll a feed next, and when to give up on it. Pure: the clock comes in as `now`.

Rules (each has a row in tests/feeds/test_schedule.py):
- success (OK or NOT_MODIFIED, and no parse error) → next check after `interval`, error count reset;
- a failure → exponential backoff interval·2^(n-1) for the n-th failure in a row, never past the cap
  (the cap is never below `interval`, so a failing feed is not polled more often than a healthy one);
- a fetched body that could not be parsed (status OK with `error` set) is a failure like any other;
- Retry-After is honoured (no earlier than asked) up to the cap: a bogus "retry in a year" cannot silence
  a feed for good;
- RATE_LIMITED counts as a failure for the backoff but never disables a feed: the server is alive;
- after `max_errors` consecutive failures → disabled with "N consecutive failures; last: <error>"
  (max_errors ≤ 0 means never disable);
- with a `seed` (e.g. the feed id), a deterministic jitter of up to +10% spreads feeds that failed together;
- with a `seed`, a success is followed by a small jitter too, different at each fetch (seed and time): up to 5%
  of the interval and never more than 1 s, so feeds added together drift apart without being late.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.feeds.fetcher import FetchStatus

__all__ = ["ScheduleDecision", "after_fetch", "is_due"]

_JITTER = 0.10
_SUCCESS_JITTER = 0.05
_SUCCESS_JITTER_CAP = 1.0  # seconds: on-time polling promises interval + 2 s at p95
_MAX_EXPONENT = 40  # 2**40 intervals is past any cap; stops float overflow for absurd counts


@dataclass(frozen=True)
class ScheduleDecision:
    """Next check time, the new consecutive-error count, and a reason when the feed should be disabled."""

    next_check_at: datetime
    consecutive_errors: int
    disable_reason: str | None = None


def _jitter_fraction(seed: int | str, errors: int) -> float:
    """A stable number in [0, _JITTER) from the seed and the error count: same input, same delay."""
    digest = hashlib.sha256(f"{seed}:{errors}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 * _JITTER


def after_fetch(
    *,
    now: datetime,
    interval: timedelta,
    status: FetchStatus,
    consecutive_errors: int,
    retry_after: float | None,
    max_errors: int,
    backoff_cap: timedelta,
    error: str | None,
    seed: int | str | None = None,
) -> ScheduleDecision:
    """Decide the next check after one poll, from its fetch status and (parse or fetch) error."""
    failed = not status.is_success or (status is FetchStatus.OK and error is not None)
    if not failed:
        extra = 0.0
        if seed is not None:
            draw = _jitter_fraction(f"{seed}@{now.isoformat()}", 0) / _JITTER  # in [0, 1)
            extra = draw * min(interval.total_seconds() * _SUCCESS_JITTER, _SUCCESS_JITTER_CAP)
        return ScheduleDecision(next_check_at=now + interval + timedelta(seconds=extra), consecutive_errors=0)

    errors = max(0, consecutive_errors) + 1
    base = interval.total_seconds()
    cap = max(backoff_cap.total_seconds(), base)
    delay = min(base * 2.0 ** min(errors - 1, _MAX_EXPONENT), cap)
    if retry_after is not None and retry_after > 0:
        delay = min(max(delay, retry_after), cap)
    if seed is not None:
        delay = min(delay * (1.0 + _jitter_fraction(seed, errors)), cap)

    reason = None
    if max_errors > 0 and errors >= max_errors and status is not FetchStatus.RATE_LIMITED:
        last = " ".join((error or str(status)).split())
        reason = f"{errors} consecutive failures; last: {last}"
    return ScheduleDecision(
        next_check_at=now + timedelta(seconds=delay), consecutive_errors=errors, disable_reason=reason
    )


def is_due(next_check_at: datetime | None, now: datetime) -> bool:
    """A feed never checked (None) or whose time has come is due."""
    return next_check_at is None or next_check_at <= now
