"""Durations as operators write them ("90s", "5m", "2h", "1d", "1h30m"); one parser for the whole service."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
_WHOLE = re.compile(r"(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+")


def parse_duration(value: object) -> timedelta:
    """Parse a duration; a bare number means seconds, "0" means zero (used to switch checks off)."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError(f"{value!r} is not a duration (negative)")
        return _seconds(value, value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a duration")
    text = value.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return _seconds(float(text), value)
    if not _WHOLE.fullmatch(text):
        raise ValueError(f'"{value}" is not a duration (write e.g. 90s, 5m, 2h, 1d)')
    seconds = sum(float(n) * _UNITS[u] for n, u in _PART.findall(text))
    return _seconds(seconds, value)


def _seconds(seconds: float, written: object) -> timedelta:
    """A timedelta, or a ValueError naming what was written when it is beyond any duration (never OverflowError)."""
    try:
        return timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        raise ValueError(f'"{written}" is far too long a duration') from None


def format_duration(value: timedelta) -> str:
    """Render a duration the way operators write it, for logs and command replies."""
    total = int(value.total_seconds())
    if total == 0:
        return "0"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        n, total = divmod(total, size)
        if n:
            parts.append(f"{n}{unit}")
    return "".join(parts)
