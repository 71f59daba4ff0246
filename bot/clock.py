"""The one place the service reads the wall clock; everything else takes time as a parameter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""What every component takes instead of reading the wall clock: `utc_now`, or a test's clock."""


def utc_now() -> datetime:
    """Now, timezone-aware UTC."""
    return datetime.now(UTC)
