"""bot.feeds.schedule: one commented row per rule (after Alertmanager's dedup tables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds.fetcher import FetchStatus
from bot.feeds.schedule import ScheduleDecision, after_fetch, is_due

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Row:
    status: FetchStatus
    errors: int  # consecutive errors before this poll
    want_delay: timedelta
    want_errors: int
    want_reason: str | None = None
    retry_after: float | None = None
    error: str | None = None
    interval: timedelta = 10 * MIN
    cap: timedelta = 6 * HOUR
    max_errors: int = 5


ROWS = {
    # Success: back to the normal interval, error count reset.
    "ok resets": Row(FetchStatus.OK, errors=3, want_delay=10 * MIN, want_errors=0),
    # 304 is a success too.
    "not modified resets": Row(FetchStatus.NOT_MODIFIED, errors=2, want_delay=10 * MIN, want_errors=0),
    # Success ignores a stray Retry-After.
    "ok ignores retry-after": Row(FetchStatus.OK, errors=0, retry_after=9999, want_delay=10 * MIN, want_errors=0),
    # First failure: interval·2^0, i.e. the normal interval.
    "1st failure": Row(FetchStatus.TIMEOUT, errors=0, error="t", want_delay=10 * MIN, want_errors=1),
    # Second failure doubles.
    "2nd failure": Row(FetchStatus.HTTP_ERROR, errors=1, error="HTTP 500", want_delay=20 * MIN, want_errors=2),
    # Fourth: 10·2^3 = 80 min.
    "4th failure": Row(FetchStatus.NETWORK_ERROR, errors=3, error="x", want_delay=80 * MIN, want_errors=4),
    # The backoff never passes the cap.
    "capped": Row(FetchStatus.TIMEOUT, errors=10, error="t", max_errors=0, want_delay=6 * HOUR, want_errors=11),
    # Absurd error counts neither overflow nor pass the cap.
    "huge count": Row(FetchStatus.TIMEOUT, errors=10_000, max_errors=0, want_delay=6 * HOUR, want_errors=10_001),
    # A cap below the interval is lifted to the interval: failing never means polling faster.
    "cap below interval": Row(FetchStatus.TIMEOUT, errors=4, cap=MIN, max_errors=0, want_delay=10 * MIN,
                              want_errors=5),
    # Parse failure (OK with an error) counts as a failure.
    "unparsable body": Row(FetchStatus.OK, errors=1, error="not a feed: got an HTML page", want_delay=20 * MIN,
                           want_errors=2),
    # Retry-After longer than the backoff is honoured.
    "retry-after honoured": Row(FetchStatus.RATE_LIMITED, errors=0, retry_after=3600, want_delay=HOUR,
                                want_errors=1),
    # Retry-After shorter than the backoff does not shorten it.
    "retry-after shorter": Row(FetchStatus.RATE_LIMITED, errors=3, retry_after=60, want_delay=80 * MIN,
                               want_errors=4),
    # Retry-After beyond the cap is cut to the cap.
    "retry-after capped": Row(FetchStatus.RATE_LIMITED, errors=0, retry_after=30 * 86400, want_delay=6 * HOUR,
                              want_errors=1),
    # Rate limiting never disables: the server is alive.
    "rate limited no disable": Row(FetchStatus.RATE_LIMITED, errors=9, retry_after=None, want_delay=6 * HOUR,
                                   want_errors=10),
    # One short of max_errors: still enabled.
    "below max": Row(FetchStatus.HTTP_ERROR, errors=3, error="HTTP 404 Not Found", want_delay=80 * MIN,
                     want_errors=4),
    # Reaching max_errors disables, with the last error in the reason.
    "disable at max": Row(FetchStatus.HTTP_ERROR, errors=4, error="HTTP 404 Not Found", want_delay=160 * MIN,
                          want_errors=5, want_reason="5 consecutive failures; last: HTTP 404 Not Found"),
    # Without an error text the status names the failure.
    "disable without text": Row(FetchStatus.TIMEOUT, errors=4, want_delay=160 * MIN, want_errors=5,
                                want_reason="5 consecutive failures; last: timeout"),
    # Multi-line error text is folded to one line in the reason.
    "reason one line": Row(FetchStatus.BAD_RESPONSE, errors=0, max_errors=1, error="bad\n  gzip",
                           want_delay=10 * MIN, want_errors=1, want_reason="1 consecutive failures; last: bad gzip"),
    # max_errors 0 means never disable.
    "never disable": Row(FetchStatus.TIMEOUT, errors=99, max_errors=0, want_delay=6 * HOUR, want_errors=100),
}  # fmt: skip


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_after_fetch(row: Row) -> None:
    decision = after_fetch(
        now=NOW,
        interval=row.interval,
        status=row.status,
        consecutive_errors=row.errors,
        retry_after=row.retry_after,
        max_errors=row.max_errors,
        backoff_cap=row.cap,
        error=row.error,
    )
    assert decision == ScheduleDecision(NOW + row.want_delay, row.want_errors, row.want_reason)


def _decide(seed: int | str | None, errors: int = 2) -> ScheduleDecision:
    return after_fetch(
        now=NOW,
        interval=10 * MIN,
        status=FetchStatus.TIMEOUT,
        consecutive_errors=errors,
        retry_after=None,
        max_errors=0,
        backoff_cap=6 * HOUR,
        error="t",
        seed=seed,
    )


def test_jitter_is_deterministic_small_and_spreads_feeds() -> None:
    plain = _decide(None).next_check_at  # 3rd failure: 40 min
    jittered = [_decide(seed).next_check_at for seed in range(50)]
    assert jittered == [_decide(seed).next_check_at for seed in range(50)]  # same seed, same answer
    assert all(plain <= t < plain + 4 * MIN for t in jittered)  # at most +10%
    assert len(set(jittered)) > 40  # feeds that failed together do not come back together
    assert _decide("feed-7", errors=100).next_check_at == NOW + 6 * HOUR  # never past the cap


@pytest.mark.parametrize(
    ("next_check_at", "due"),
    [
        (None, True),  # never checked
        (NOW - MIN, True),  # overdue
        (NOW, True),  # exactly now
        (NOW + timedelta(seconds=1), False),  # not yet
    ],
)
def test_is_due(next_check_at: datetime | None, due: bool) -> None:
    assert is_due(next_check_at, NOW) is due


@pytest.mark.parametrize(("interval", "most"), [(timedelta(seconds=2), 0.1), (MIN, 1.0), (HOUR, 1.0)])
def test_a_success_is_followed_by_a_small_jitter_that_changes_from_fetch_to_fetch(
    interval: timedelta, most: float
) -> None:
    def after(seed: int | None, at: datetime) -> timedelta:
        decision = after_fetch(
            now=at,
            interval=interval,
            status=FetchStatus.OK,
            consecutive_errors=0,
            retry_after=None,
            max_errors=10,
            backoff_cap=6 * HOUR,
            error=None,
            seed=seed,
        )
        return decision.next_check_at - at

    assert after(None, NOW) == interval  # no seed, no jitter
    times = [NOW + k * interval for k in range(40)]
    extras = [(after(7, t) - interval).total_seconds() for t in times]
    assert extras == [(after(7, t) - interval).total_seconds() for t in times]  # deterministic
    assert all(0 <= e <= most for e in extras), extras  # up to 5% of the interval, never over 1 s
    assert len(set(extras)) > 30  # a different draw at each fetch: feeds started together drift apart
    assert len({after(seed, NOW) for seed in range(40)}) > 30  # and different feeds differ
