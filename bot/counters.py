"""Process-wide Prometheus counters any stage bumps without holding a reference; ops.metrics serves them.

They sit in the core so the feeds and alerts stages can count without importing the ops stage.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import Counter

_SUCCESS = ("ok", "not_modified")

FETCHES = Counter(
    "rasad_feed_fetches", "Feed fetches by outcome (bot.feeds.fetcher.FetchStatus).", ["status"], registry=None
)
FETCH_ERRORS = Counter(
    "rasad_feed_fetch_errors", "Feed fetches that failed (any status but ok/not_modified).", registry=None
)
SENDS = Counter(
    "rasad_telegram_sends", "Telegram sends by outcome (sent, retry, dead, ...).", ["outcome"], registry=None
)
EXTRACTOR_ERRORS = Counter(
    "rasad_extractor_errors",
    "Articles the extractor crashed on, by the extractor function that raised (file:function).",
    ["where"],
    registry=None,
)
_last_poll: list[float] = []


def record_fetch(status: str) -> None:
    """Count one feed fetch; `status` is a FetchStatus value (a StrEnum works as is)."""
    value = str(status)
    FETCHES.labels(status=value).inc()
    if value not in _SUCCESS:
        FETCH_ERRORS.inc()


def record_send(outcome: str) -> None:
    """Count one Telegram send attempt by its outcome."""
    SENDS.labels(outcome=str(outcome)).inc()


def record_extractor_error(where: str) -> None:
    """Count one article the extractor crashed on; `where` is file:function[:line] (the line is dropped)."""
    EXTRACTOR_ERRORS.labels(where=":".join(where.split(":")[:2])).inc()


def record_poll(finished_at: datetime) -> None:
    """Note a poll cycle that completed (when no `last_poll` callable is given to build_registry)."""
    _last_poll[:] = [finished_at.timestamp()]


def last_poll_time() -> float | None:
    """When `record_poll` last ran, as a Unix timestamp; None before the first cycle."""
    return _last_poll[0] if _last_poll else None
