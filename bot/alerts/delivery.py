"""Pure delivery decisions: what a Telegram answer means and when to try again (pacing: bot.alerts.pacing).

No I/O and no clock: `bot.alerts.sender` feeds these functions the exception PTB raised, the row's counters and
the time, and carries out what they decide. Keeping them pure lets every rule have its own table row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.models import OutboxState

REASON_MAX: Final = 900
"""Reasons are stored in Outbox.last_error (1000 chars) with a short prefix."""


class Outcome(StrEnum):
    """What one API call's result means for delivery."""

    SENT = "sent"
    NOT_MODIFIED = "not_modified"  # an edit that changed nothing: the chat already shows this text
    RETRY_AFTER = "retry_after"  # flood control: wait what Telegram says
    FORBIDDEN = "forbidden"  # blocked, kicked, deactivated user: stop writing to the chat
    MIGRATED = "migrated"  # group became a supergroup with a new id
    BAD_REQUEST = "bad_request"  # Telegram refused this message; trying again will not help
    TRANSIENT = "transient"  # 5xx, connection refused, pool or connect timeout: nothing was delivered
    AMBIGUOUS = "ambiguous"  # the request may have reached Telegram but no answer came back
    FATAL = "fatal"  # the bot itself is unusable (bad token): no row is to blame


@dataclass(frozen=True, slots=True)
class Classified:
    """An outcome with what Telegram said alongside it."""

    outcome: Outcome
    retry_after: timedelta | None = None
    new_chat_id: int | None = None
    reason: str | None = None


_NOT_MODIFIED = "message is not modified"
_CHAT_GONE = "chat not found"
"""A 400 that will not change by trying again: the chat is gone (deleted, or the bot was never in it)."""
# httpx failures raised before the request could reach the server: safe to send again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:REASON_MAX]


def _root(exc: BaseException) -> BaseException | None:
    """The httpx error PTB wrapped, if any (PTB raises `from err`)."""
    seen = 0
    cause = exc.__cause__
    while cause is not None and seen < 5:
        if isinstance(cause, httpx.HTTPError):
            return cause
        cause, seen = cause.__cause__, seen + 1
    return None


def _retry_after(exc: RetryAfter) -> timedelta:
    """The wait as a timedelta: PTB keeps one internally, while its public property may be an int."""
    raw = getattr(exc, "_retry_after", None)
    if isinstance(raw, timedelta):
        return raw
    value = exc.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def classify(exc: BaseException | None) -> Classified:
    """Map what PTB raised (None = the call returned) to an Outcome.

    Order matters: BadRequest and TimedOut are NetworkError subclasses, so they are tested first; a
    NetworkError PTB built from an HTTP status (5xx) has no httpx cause, one from a broken connection has.
    """
    if exc is None:
        return Classified(Outcome.SENT)
    if isinstance(exc, RetryAfter):
        wait = _retry_after(exc)
        return Classified(Outcome.RETRY_AFTER, retry_after=wait, reason=_reason(exc))
    if isinstance(exc, ChatMigrated):
        return Classified(Outcome.MIGRATED, new_chat_id=int(exc.new_chat_id), reason=_reason(exc))
    if isinstance(exc, Forbidden):
        return Classified(Outcome.FORBIDDEN, reason=_reason(exc))
    if isinstance(exc, InvalidToken | Conflict):
        return Classified(Outcome.FATAL, reason=_reason(exc))
    if isinstance(exc, BadRequest):
        if _NOT_MODIFIED in str(exc).lower():
            return Classified(Outcome.NOT_MODIFIED, reason=_reason(exc))
        if _CHAT_GONE in str(exc).lower():
            return Classified(Outcome.FORBIDDEN, reason=_reason(exc))  # stop writing to it, like a block
        return Classified(Outcome.BAD_REQUEST, reason=_reason(exc))
    if isinstance(exc, TimedOut):
        if str(exc).startswith("Pool timeout") or isinstance(_root(exc), _NOT_SENT):
            return Classified(Outcome.TRANSIENT, reason=_reason(exc))
        return Classified(Outcome.AMBIGUOUS, reason=_reason(exc) if str(exc) else "timed out")
    if isinstance(exc, NetworkError):
        root = _root(exc)
        if root is None or isinstance(root, _NOT_SENT):
            return Classified(Outcome.TRANSIENT, reason=_reason(exc))
        return Classified(Outcome.AMBIGUOUS, reason=_reason(exc))  # connection broke after the request went out
    if isinstance(exc, TelegramError):
        return Classified(Outcome.TRANSIENT, reason=_reason(exc))
    return Classified(Outcome.TRANSIENT, reason=f"{type(exc).__name__}: {_reason(exc)}")


_TOPIC_GONE = "message thread not found"


def topic_gone(c: Classified, *, thread_id: int | None) -> bool:
    """Whether a refused send was refused because the forum topic it was aimed at is deleted."""
    return c.outcome is Outcome.BAD_REQUEST and thread_id is not None and _TOPIC_GONE in (c.reason or "").lower()


# --- retries -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait between failed attempts and when to give up.

    A transient failure never ends a row after a count: it is tried again until the alert is older than
    `max_age` (an alert a day late is not worth sending), so an outage of any length short of that loses
    nothing.
    """

    base: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=15)
    max_age: timedelta = timedelta(hours=24)
    jitter: float = 0.2
    """Up to this fraction is added to each wait (the caller draws the random part), so chats do not retry in step."""


def backoff(attempts: int, policy: RetryPolicy, jitter: float = 0.0) -> timedelta:
    """Exponential wait after the `attempts`-th failure: base, 2·base, 4·base, … up to cap, then jitter.

    `jitter` in [0, 1) is the random draw; the wait grows by `jitter * policy.jitter` of itself.
    """
    exponent = max(0, attempts - 1)
    wait: timedelta = policy.cap if exponent >= 30 else min(policy.cap, policy.base * (2**exponent))
    return wait * (1 + policy.jitter * min(max(jitter, 0.0), 1.0))


RETRYABLE: Final = frozenset({Outcome.RETRY_AFTER, Outcome.TRANSIENT, Outcome.AMBIGUOUS})
"""Outcomes after which the row is tried again until it is too old (`RetryPolicy.max_age`)."""


def too_old(age: timedelta, policy: RetryPolicy) -> bool:
    """Whether an alert this old (since its row was queued) is no longer worth sending."""
    return age >= policy.max_age


def next_attempt(
    now: datetime,
    attempts: int,
    outcome: Outcome,
    retry_after: timedelta | None,
    policy: RetryPolicy,
    *,
    age: timedelta = timedelta(0),
    jitter: float = 0.0,
) -> datetime | None:
    """When to try again after a failure; None means give up (dead-letter).

    `attempts` counts attempts made so far, this one included; `age` is how long the row has waited since
    it was queued. An ambiguous outcome is resent like a transient one: a duplicate beats a loss.
    """
    if outcome in RETRYABLE and too_old(age, policy):
        return None
    if outcome is Outcome.RETRY_AFTER:
        return now + (retry_after if retry_after is not None else policy.base)
    if outcome is Outcome.MIGRATED:
        return now
    if outcome in (Outcome.AMBIGUOUS, Outcome.TRANSIENT):
        return now + backoff(attempts, policy, jitter)
    if outcome is Outcome.FATAL:
        return now + policy.cap
    return None


class Step(StrEnum):
    """What the sender does with a row after an attempt."""

    DONE = "done"  # sent (or the edit is in place): record it
    RETRY = "retry"  # keep it pending until `at` (`open_circuit`: Telegram looks down, hold every send)
    DEAD = "dead"  # give up and keep the reason
    DEACTIVATE = "deactivate"  # the chat refuses us: subscription off, this row dead, the chat's others skipped
    MIGRATE = "migrate"  # move the chat to its new id and send again at once
    HALT = "halt"  # the bot cannot work at all: leave the row untouched and stop sending


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision for one row; `pause_until` holds every send, not just this row's."""

    step: Step
    at: datetime | None = None
    pause_until: datetime | None = None
    reason: str | None = None
    open_circuit: bool = False
    """Telegram could not be reached or failed (not this row's fault): stop sending until `at`, then probe."""


def verdict_for(
    c: Classified,
    *,
    now: datetime,
    attempts: int,
    uncertain: int,
    policy: RetryPolicy,
    age: timedelta = timedelta(0),
    jitter: float = 0.0,
) -> Verdict:
    """Turn a classified answer into what to do with the row (counters include this attempt).

    `age` is how long the row has waited since it was queued; `jitter` the random draw for the backoff.
    """
    o = c.outcome
    if o in (Outcome.SENT, Outcome.NOT_MODIFIED):
        return Verdict(Step.DONE)
    if o is Outcome.FORBIDDEN:
        return Verdict(Step.DEACTIVATE, reason=c.reason)
    if o is Outcome.MIGRATED:
        return Verdict(Step.MIGRATE, at=now, reason=c.reason)
    if o is Outcome.BAD_REQUEST:
        return Verdict(Step.DEAD, reason=c.reason)
    if o is Outcome.FATAL:
        return Verdict(Step.HALT, pause_until=next_attempt(now, attempts, o, None, policy), reason=c.reason)
    at = next_attempt(now, attempts, o, c.retry_after, policy, age=age, jitter=jitter)
    if at is None:
        hours = age.total_seconds() / 3600
        why = f"too old to send after {attempts} attempts over {hours:.1f} h"
        if uncertain:
            why += f" ({uncertain} with unknown outcome)"
        return Verdict(Step.DEAD, reason=f"{why}: {c.reason}")
    if o is Outcome.RETRY_AFTER:
        return Verdict(Step.RETRY, at=at, pause_until=at, reason=c.reason)
    return Verdict(Step.RETRY, at=at, reason=c.reason, open_circuit=True)


# --- the outbox row's state machine ---------------------------------------------------------------


Phase = OutboxState
"""Where an outbox row stands: the one state machine of delivery. The enum lives with the table (core) because
the row stores it as is, in `Outbox.state`; bot.alerts.outbox moves it only through TRANSITIONS."""


class RowEvent(StrEnum):
    """What happens to a row."""

    START = "start"  # a send begins
    ACCEPTED = "accepted"  # Telegram accepted the message
    RETRY = "retry"  # try again later
    GIVE_UP = "give_up"  # no more attempts
    SET_ASIDE = "set_aside"  # nothing to send (or to edit) any more
    INCIDENT_CHANGED = "incident_changed"  # another outlet's report merged into the incident
    EDITED = "edited"  # the sent alert shows the current text
    EDIT_RETRY = "edit_retry"  # try the edit again later
    EDIT_FAILED = "edit_failed"  # give up on the edit; the alert stays as first sent
    CHAT_MIGRATED = "chat_migrated"  # the group became a supergroup: the row follows the chat
    REQUEUE = "requeue"  # an operator sends a given-up row again (`rasad outbox retry`)


P, E = Phase, RowEvent
TRANSITIONS: Final[dict[tuple[Phase, RowEvent], Phase]] = {
    (P.PENDING, E.START): P.IN_FLIGHT,
    (P.IN_FLIGHT, E.START): P.IN_FLIGHT,  # resent after a crash (counted as uncertain)
    (P.IN_FLIGHT, E.ACCEPTED): P.SENT,
    # Telegram has the message whatever happened to the row meanwhile (a migration reset it, a skip)
    (P.PENDING, E.ACCEPTED): P.SENT,
    (P.DEAD, E.ACCEPTED): P.SENT,
    (P.SKIPPED, E.ACCEPTED): P.SENT,
    (P.PENDING, E.RETRY): P.PENDING,
    (P.IN_FLIGHT, E.RETRY): P.PENDING,
    (P.PENDING, E.GIVE_UP): P.DEAD,
    (P.IN_FLIGHT, E.GIVE_UP): P.DEAD,
    (P.PENDING, E.SET_ASIDE): P.SKIPPED,
    (P.IN_FLIGHT, E.SET_ASIDE): P.SKIPPED,
    (P.EDIT_DUE, E.SET_ASIDE): P.SENT,  # the edit is dropped, the alert stays
    (P.SENT, E.INCIDENT_CHANGED): P.EDIT_DUE,
    (P.EDIT_DUE, E.INCIDENT_CHANGED): P.EDIT_DUE,
    (P.EDIT_DUE, E.EDITED): P.SENT,
    (P.SENT, E.EDITED): P.SENT,  # the edit was dropped meanwhile (chat migrated or left)
    (P.EDIT_DUE, E.EDIT_RETRY): P.EDIT_DUE,
    (P.SENT, E.EDIT_RETRY): P.SENT,
    (P.EDIT_DUE, E.EDIT_FAILED): P.SENT,
    (P.SENT, E.EDIT_FAILED): P.SENT,
    (P.PENDING, E.CHAT_MIGRATED): P.PENDING,
    (P.IN_FLIGHT, E.CHAT_MIGRATED): P.PENDING,
    (P.SENT, E.CHAT_MIGRATED): P.SENT,  # the message stays in the old chat; nothing left to edit
    (P.EDIT_DUE, E.CHAT_MIGRATED): P.SENT,
    (P.DEAD, E.REQUEUE): P.PENDING,
}
"""Every allowed move; a pair not listed leaves the row as it is (e.g. a retry for a row already sent).

A text sent or edited while the incident moved on is followed by INCIDENT_CHANGED (the edit comes next).
bot.alerts.outbox stores the phases; ingest applies INCIDENT_CHANGED when a report merges.
"""
del P, E


def next_phase(phase: Phase, event: RowEvent) -> Phase | None:
    """The phase `event` moves a row in `phase` to; None when the event does not apply to it."""
    return TRANSITIONS.get((phase, event))


class Plan(StrEnum):
    """What the sender does with a due row it loaded."""

    SEND = "send"  # send the alert, or the update as a reply to its alert
    EDIT = "edit"  # edit the sent alert to show the current text
    SET_ASIDE = "set_aside"  # RowEvent.SET_ASIDE, with the reason
    DEFER = "defer"  # an update whose alert has not gone yet: look again a little later


@dataclass(frozen=True, slots=True)
class RowPlan:
    """The plan for one loaded row; `uncertain` counts this send if it repeats one whose outcome is unknown."""

    plan: Plan
    reason: str | None = None
    uncertain: int = 0
    crashed: bool = False


def plan_row(
    *,
    phase: Phase,
    is_update: bool,
    subscription_active: bool | None,
    incident_exists: bool,
    has_message_id: bool,
    uncertain: int,
    alert_phase: Phase | None = None,
) -> RowPlan:
    """Decide a due row (PENDING, IN_FLIGHT or EDIT_DUE) before any text is sent; see the table tests.

    `subscription_active` is None when the chat has no subscription; `alert_phase` is the phase of the
    alert an update replies to (None when there is none). A row left in flight by a crash is sent again
    (counted as uncertain): a duplicate beats a loss.
    """
    if not subscription_active:
        why = "no active subscription" if subscription_active is None else "subscription inactive"
        return RowPlan(Plan.SET_ASIDE, why)
    if not incident_exists:
        return RowPlan(Plan.SET_ASIDE, "incident gone")
    if phase is Phase.EDIT_DUE:
        return RowPlan(Plan.EDIT) if has_message_id else RowPlan(Plan.SET_ASIDE, "no message id to edit")
    crashed = phase is Phase.IN_FLIGHT
    if crashed:
        uncertain += 1
    if is_update:
        if alert_phase in (None, Phase.DEAD, Phase.SKIPPED):
            return RowPlan(Plan.SET_ASIDE, "the alert it updates was not delivered", uncertain, crashed)
        if alert_phase not in (Phase.SENT, Phase.EDIT_DUE):
            return RowPlan(Plan.DEFER, None, uncertain, crashed)
    return RowPlan(Plan.SEND, None, uncertain, crashed)
