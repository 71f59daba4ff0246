"""The accepted range of every duration and number in the config, in one table.

Without upper bounds a typo ("99999999d") passed validation and failed later, far from its cause: an
overflow in the scheduler, a sender looping hot, an integer too large for PostgreSQL. Each range here
is documented beside its key in config.example.toml (a test checks they agree), and a value outside it
is refused with a message naming the key and the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from bot.durations import format_duration


@dataclass(frozen=True, slots=True)
class Range:
    """Inclusive bounds; `zero_ok` also accepts 0 where 0 means "off"."""

    lo: float
    hi: float
    duration: bool = False
    zero_ok: bool = False

    def text(self) -> str:
        """The range as the config file writes it."""
        show = (lambda v: format_duration(timedelta(seconds=v))) if self.duration else _number
        low = "0 (off) or " + show(self.lo) if self.zero_ok and self.lo > 0 else show(self.lo)
        return f"{low} to {show(self.hi)}"


def _number(v: float) -> str:
    if not float(v).is_integer():
        return str(v)
    return f"{int(v):,}".replace(",", "_") if v >= 10_000 else str(int(v))


SECOND: Final = 1.0
MINUTE: Final = 60.0
HOUR: Final = 3600.0
DAY: Final = 86400.0

BOUNDS: Final[dict[str, Range]] = {
    "telegram.global_rate": Range(0.1, 1000),
    "telegram.chat_interval": Range(0, 10 * MINUTE, duration=True),
    "telegram.group_per_minute": Range(1, 1000),
    "telegram.max_attempts": Range(1, 100),
    "telegram.max_age": Range(MINUTE, 30 * DAY, duration=True),
    "polling.interval": Range(SECOND, 7 * DAY, duration=True),
    "polling.tick": Range(SECOND, HOUR, duration=True),
    "polling.max_age": Range(MINUTE, 365 * DAY, duration=True, zero_ok=True),
    "polling.timeout": Range(SECOND, 10 * MINUTE, duration=True),
    "polling.connect_timeout": Range(SECOND, 2 * MINUTE, duration=True),
    "polling.max_bytes": Range(1024, 100_000_000),
    "polling.concurrency": Range(1, 500),
    "polling.per_host": Range(1, 50),
    "polling.parse_timeout": Range(SECOND, 5 * MINUTE, duration=True),
    "polling.max_errors": Range(1, 1000),
    "polling.backoff_cap": Range(MINUTE, 7 * DAY, duration=True),
    "polling.merge_distance_km": Range(0, 100),
    "feeds.interval": Range(SECOND, 7 * DAY, duration=True),
    "feeds.max_age": Range(MINUTE, 365 * DAY, duration=True, zero_ok=True),
}


def problem(key: str, value: float | timedelta) -> str | None:
    """Why `value` is outside the range of `key`, or None when it is inside (or the key has no range)."""
    bounds = BOUNDS.get(key)
    if bounds is None:
        return None
    v = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if bounds.zero_ok and v == 0:
        return None
    if bounds.lo <= v <= bounds.hi:
        return None
    shown = format_duration(timedelta(seconds=v)) if bounds.duration else _number(v)
    return f"must be {bounds.text()} (got {shown})"
