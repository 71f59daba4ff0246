"""The outbox reads and writes the sender needs; each call is one short transaction the caller commits.

Storage of the delivery state machine (`bot.alerts.delivery.Phase`, `TRANSITIONS`): a row's phase is its
`state` column, its counters are `attempts`, `uncertain` and `edit_attempts`, and every write moves the
phase only through the table (`_move`), skipping the write when its event does not apply. What to do
with a loaded row is `delivery.plan_row`'s decision; this module carries it out. Kept apart from
bot/incidents/store.py (the pipeline's queries). Rows come back as
frozen `Job`s with their text already rendered, so nothing lazy-loads after the session closes and the
event loop never touches the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.alerts.delivery import Phase, Plan, RowEvent, next_phase, plan_row
from bot.alerts.render import AlertView, Format, Lang, SourceLink, render_alert, render_update
from bot.alerts.timeofday import DEFAULT_TZ, TZ_NAMES
from bot.alerts.views import changes_from_payload, view_of
from bot.incidents.subscriptions import in_quiet_hours, keywords_admit, silent
from bot.models import Chat, IncidentRow, Outbox, OutboxKind, Subscription
from bot.upsert import insert_ignore

log = logging.getLogger(__name__)

ERROR_MAX: Final = 1000
UPDATE_WAIT: Final = timedelta(seconds=5)
"""How long an update waits before looking again for its alert's message id."""


class Action(StrEnum):
    """What the sender does for a row."""

    SEND = "send"  # a pending alert or update
    EDIT = "edit"  # a sent alert that must show a new source


@dataclass(frozen=True, slots=True)
class Job:
    """One row ready to go, with its text rendered for the chat's language."""

    row_id: int
    incident_id: int
    chat_id: int
    chat_type: str | None
    kind: OutboxKind
    action: Action
    text: str
    stamp: str
    """The incident's version and updated_at when `text` was rendered; a different one later means stale text."""
    attempts: int = 0
    uncertain: int = 0
    """Attempts whose outcome is unknown (timed out, or in flight when the process died)."""
    reply_to: int | None = None
    message_id: int | None = None
    edit_attempts: int = 0
    migrations: int = 0
    queued_at: datetime | None = None
    """When the row was queued: its age decides when a failing send is no longer worth trying."""
    silent: bool = False
    """Sent without a notification sound (quiet hours, or an update to a chat that chose silent updates)."""
    thread_id: int | None = None
    """The forum topic to post in (the one /subscribe was sent in); None = the chat itself."""


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    """What a chat chose about how its alerts arrive (read with each outbox row)."""

    timezone: str | None = None
    keywords_in: tuple[str, ...] = ()
    keywords_out: tuple[str, ...] = ()
    quiet_from: int | None = None
    quiet_to: int | None = None
    silent_updates: bool = False
    thread_id: int | None = None

    @property
    def tz(self) -> str:
        return self.timezone if self.timezone in TZ_NAMES else DEFAULT_TZ

    def quiet_at(self, now: datetime) -> bool:
        """Whether `now` falls in the chat's quiet hours, in its time zone."""
        return in_quiet_hours(self.quiet_from, self.quiet_to, now.astimezone(ZoneInfo(self.tz)).hour)


@dataclass
class Loaded:
    """A batch of due rows: the jobs, the last id looked at, and the rows set aside on the way."""

    jobs: list[Job]
    last_id: int
    rows: int = 0
    skipped: int = 0
    deferred: int = 0
    crashed: list[int] | None = None
    """Rows whose previous attempt was in flight when the process stopped (their resend may repeat)."""


def stamp_of(inc: IncidentRow) -> str:
    """What identifies the incident's rendered state: any merge bumps updated_at."""
    return f"{inc.version}:{inc.updated_at.isoformat() if inc.updated_at else ''}"


def lang_of(value: str | None) -> Lang:
    """A chat's language choice; anything unknown gets both blocks."""
    try:
        return Lang(value or Lang.BOTH.value)
    except ValueError:
        return Lang.BOTH


def _clip(text: str) -> str:
    return text[:ERROR_MAX]


class _Renderer:
    """Views and texts cached by incident stamp, so a 10,000-chat broadcast renders each language once."""

    def __init__(self) -> None:
        self.views: dict[tuple[int, str, str], AlertView] = {}
        self.texts: dict[tuple[Any, ...], str] = {}

    def incident(self, session: Session, incident_id: int) -> tuple[IncidentRow | None, str]:
        inc = session.get(IncidentRow, incident_id)
        return inc, (stamp_of(inc) if inc is not None else "")

    def view(self, session: Session, inc: IncidentRow, stamp: str, tz: str = DEFAULT_TZ) -> AlertView:
        key = (inc.id or 0, stamp, tz)
        v = self.views.get(key)
        if v is None:
            if len(self.views) > 256:
                self.views.clear()
                self.texts.clear()
            v = self.views[key] = view_of(session, inc, tz)
        return v

    def alert(self, session: Session, inc: IncidentRow, stamp: str, lang: Lang, tz: str = DEFAULT_TZ) -> str:
        key = ("alert", inc.id, stamp, lang, tz)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = render_alert(self.view(session, inc, stamp, tz), lang, Format.HTML)
        return text

    def update(
        self, session: Session, inc: IncidentRow, stamp: str, lang: Lang, version: int, payload: dict[str, Any],
        tz: str = DEFAULT_TZ,
    ) -> str:
        changes = changes_from_payload(payload)
        source = payload.get("source")
        url = payload.get("url")
        via = SourceLink(source, url if isinstance(url, str) else "") if isinstance(source, str) else None
        key = ("update", inc.id, stamp, lang, version, repr(payload.get("changes")), repr(via), tz)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = render_update(
                self.view(session, inc, stamp, tz), changes, lang, Format.HTML, source=via
            )
        return text


class OutboxReader:
    """Loads due rows batch by batch (keyset on id), rendering with a cache that outlives one batch."""

    def __init__(self) -> None:
        self._render = _Renderer()

    def load(self, session: Session, *, now: datetime, after_id: int, limit: int, action: Action) -> Loaded:
        """Due rows with id > after_id: pending sends, or sent alerts awaiting an edit."""
        q = (
            sa.select(
                Outbox, col(Chat.language), col(Chat.type), col(Subscription.active), col(Chat.timezone),
                col(Subscription.keywords_in), col(Subscription.keywords_out), col(Subscription.quiet_from),
                col(Subscription.quiet_to), col(Subscription.silent_updates), col(Subscription.thread_id),
            )
            .join(Chat, col(Chat.chat_id) == col(Outbox.chat_id), isouter=True)
            .join(Subscription, col(Subscription.chat_id) == col(Outbox.chat_id), isouter=True)
            .where(col(Outbox.id) > after_id)
            .where(sa.or_(col(Outbox.next_attempt_at).is_(None), col(Outbox.next_attempt_at) <= now))
        )
        if action is Action.SEND:
            q = q.where(col(Outbox.state).in_([Phase.PENDING.value, Phase.IN_FLIGHT.value]))
        else:
            q = q.where(col(Outbox.state) == Phase.EDIT_DUE.value, col(Outbox.kind) == OutboxKind.ALERT.value)
        rows = list(session.execute(q.order_by(col(Outbox.id)).limit(limit)).all())
        out = Loaded(jobs=[], last_id=(rows[-1][0].id or after_id) if rows else after_id, rows=len(rows))
        alerts = self._alert_rows(session, [r[0] for r in rows if r[0].kind == OutboxKind.UPDATE.value])
        for row, language, chat_type, active, tz, k_in, k_out, q_from, q_to, silent_up, thread in rows:
            prefs = ChatPrefs(tz, tuple(k_in or ()), tuple(k_out or ()), q_from, q_to, bool(silent_up), thread)
            job = self._job(session, row, language, chat_type, active, alerts, now, out, prefs)
            if job is not None:
                out.jobs.append(job)
        return out

    def _alert_rows(self, session: Session, updates: Sequence[Outbox]) -> dict[tuple[int, int], Outbox]:
        if not updates:
            return {}
        incidents = sorted({u.incident_id for u in updates})
        chats = sorted({u.chat_id for u in updates})
        q = select(Outbox).where(
            col(Outbox.kind) == OutboxKind.ALERT.value,
            col(Outbox.incident_id).in_(incidents),
            col(Outbox.chat_id).in_(chats),
        )
        return {(r.incident_id, r.chat_id): r for r in session.exec(q).all()}

    def _job(
        self,
        session: Session,
        row: Outbox,
        language: str | None,
        chat_type: str | None,
        active: bool | None,
        alerts: dict[tuple[int, int], Outbox],
        now: datetime,
        out: Loaded,
        prefs: ChatPrefs | None = None,
    ) -> Job | None:
        assert row.id is not None
        phase = phase_of(row)
        inc, stamp = self._render.incident(session, row.incident_id)
        alert = alerts.get((row.incident_id, row.chat_id)) if row.kind == OutboxKind.UPDATE.value else None
        plan = plan_row(
            phase=phase,
            is_update=row.kind == OutboxKind.UPDATE.value,
            subscription_active=active,
            incident_exists=inc is not None,
            has_message_id=row.telegram_message_id is not None,
            uncertain=row.uncertain,
            alert_phase=phase_of(alert) if alert is not None else None,
        )
        if plan.crashed:
            out.crashed = [*(out.crashed or []), row.id]
            log.warning(
                "outbox %d to chat %s: the previous send was in flight when the process stopped; "
                "sending again, so the chat may see it twice",
                row.id,
                row.chat_id,
            )
        if plan.plan is Plan.SET_ASIDE:
            _set_aside(session, row, plan.reason or "", phase is Phase.EDIT_DUE)
            out.skipped += 1
            return None
        if plan.plan is Plan.DEFER:
            # the reply must follow its alert: look again once the alert had its turn
            assert alert is not None
            later = alert.next_attempt_at if alert.next_attempt_at and alert.next_attempt_at > now else now
            row.next_attempt_at = later + UPDATE_WAIT
            session.add(row)
            out.deferred += 1
            return None
        assert inc is not None
        lang = lang_of(language)
        prefs = prefs or ChatPrefs()
        tz = prefs.tz
        if plan.plan is Plan.EDIT:
            return Job(
                row_id=row.id,
                incident_id=row.incident_id,
                chat_id=row.chat_id,
                chat_type=chat_type,
                kind=OutboxKind.ALERT,
                action=Action.EDIT,
                text=self._render.alert(session, inc, stamp, lang, tz),
                stamp=stamp,
                attempts=row.attempts,
                message_id=row.telegram_message_id,
                edit_attempts=row.edit_attempts,
                queued_at=row.created_at,
            )
        if alert is not None:
            text = self._render.update(session, inc, stamp, lang, row.version, row.payload, tz)
            reply_to = alert.telegram_message_id
        else:
            text = self._render.alert(session, inc, stamp, lang, tz)
            reply_to = None
            if (prefs.keywords_in or prefs.keywords_out) and not keywords_admit(
                prefs.keywords_in, prefs.keywords_out, self._render.alert(session, inc, stamp, Lang.BOTH, tz)
            ):  # the chat's keywords, over the alert's words in both languages
                _set_aside(session, row, "the chat's keywords leave this alert out", False)
                out.skipped += 1
                return None
        return Job(
            row_id=row.id,
            incident_id=row.incident_id,
            chat_id=row.chat_id,
            chat_type=chat_type,
            kind=OutboxKind(row.kind),
            action=Action.SEND,
            text=text,
            stamp=stamp,
            attempts=row.attempts,
            uncertain=plan.uncertain,
            reply_to=reply_to,
            queued_at=row.created_at,
            silent=silent(is_update=alert is not None, silent_updates=prefs.silent_updates, quiet=prefs.quiet_at(now)),
            thread_id=prefs.thread_id,
        )


def phase_of(row: Outbox) -> Phase:
    """The row's phase: its `state` column."""
    return Phase(row.state)


def _move(row: Outbox, event: RowEvent) -> bool:
    """Move the row as the state machine says; False (row untouched) when `event` does not apply to it."""
    to = next_phase(phase_of(row), event)
    if to is None:
        return False
    row.state = to.value
    return True


def _set_aside(session: Session, row: Outbox, why: str, editing: bool) -> None:
    if editing:
        if _move(row, RowEvent.SET_ASIDE):
            row.last_error = _clip(f"edit dropped: {why}")
            row.next_attempt_at = None
            session.add(row)
    else:
        _finish(session, row, RowEvent.SET_ASIDE, why)


def _finish(session: Session, row: Outbox, event: RowEvent, why: str) -> None:
    if not _move(row, event):
        return
    row.last_error = _clip(why)
    row.next_attempt_at = None
    session.add(row)


# --- writes after an attempt -----------------------------------------------------------------------


def drop_topic(session: Session, chat_id: int, *, thread_id: int, now: datetime) -> bool:
    """The chat's forum topic is gone: its alerts go to the chat itself (General) from now on.

    False when the subscription no longer points at that topic (another row already did this).
    """
    table = Subscription.__table__  # type: ignore[attr-defined]
    done = session.execute(
        sa.update(table)
        .where(table.c.chat_id == chat_id, table.c.thread_id == thread_id)
        .values(thread_id=None, updated_at=now)
    )
    return bool(getattr(done, "rowcount", 0))


def begin_attempt(session: Session, row_id: int, *, attempts: int, uncertain: int, now: datetime) -> bool:
    """Mark a pending row as in flight before its send; False when it is no longer pending."""
    row = session.get(Outbox, row_id)
    if row is None or not _move(row, RowEvent.START):
        return False
    row.attempts = attempts
    row.uncertain = uncertain
    session.add(row)
    return True


def mark_sent(session: Session, row_id: int, *, message_id: int, now: datetime, stamp: str) -> None:
    """Telegram accepted the message; if the incident changed since it was rendered, queue an edit."""
    row = session.get(Outbox, row_id)
    if row is None or not _move(row, RowEvent.ACCEPTED):
        return
    row.telegram_message_id = message_id
    row.sent_at = now
    row.last_error = None
    row.next_attempt_at = None
    session.add(row)
    session.flush()  # take the write lock before reading the incident, so no merge slips in between
    inc = session.get(IncidentRow, row.incident_id)
    if row.kind == OutboxKind.ALERT.value and inc is not None and stamp_of(inc) != stamp:
        _move(row, RowEvent.INCIDENT_CHANGED)
        session.add(row)


def mark_retry(
    session: Session, row_id: int, *, at: datetime, reason: str, attempts: int, uncertain: int
) -> None:
    """Keep the row pending until `at`."""
    row = session.get(Outbox, row_id)
    if row is None or not _move(row, RowEvent.RETRY):
        return
    row.next_attempt_at = at
    row.last_error = _clip(reason)
    row.attempts = attempts
    row.uncertain = uncertain
    session.add(row)


def mark_dead(session: Session, row_id: int, *, reason: str) -> None:
    """Give up on the row, keeping why (the dead-letter list is the rows in state dead)."""
    row = session.get(Outbox, row_id)
    if row is None:
        return
    _finish(session, row, RowEvent.GIVE_UP, reason)


def edit_done(session: Session, row_id: int, *, stamp: str) -> None:
    """The sent alert now shows the fresh text; it needs another edit only if the incident moved on since."""
    row = session.get(Outbox, row_id)
    if row is None or not _move(row, RowEvent.EDITED):
        return
    row.next_attempt_at = None
    row.last_error = None
    row.edit_attempts = 0
    session.add(row)
    session.flush()
    inc = session.get(IncidentRow, row.incident_id)
    if inc is not None and stamp_of(inc) != stamp:
        _move(row, RowEvent.INCIDENT_CHANGED)
        session.add(row)


def edit_retry(session: Session, row_id: int, *, at: datetime, reason: str, edit_attempts: int) -> None:
    """Try the edit again at `at`."""
    row = session.get(Outbox, row_id)
    if row is None or not _move(row, RowEvent.EDIT_RETRY):
        return
    row.next_attempt_at = at
    row.last_error = _clip(f"edit: {reason}")
    row.edit_attempts = edit_attempts
    session.add(row)


def edit_failed(session: Session, row_id: int, *, reason: str) -> None:
    """Give up on the edit; the alert stays as first sent."""
    row = session.get(Outbox, row_id)
    if row is None or not _move(row, RowEvent.EDIT_FAILED):
        return
    row.next_attempt_at = None
    row.last_error = _clip(f"edit failed: {reason}")
    session.add(row)


def deactivate_chat(session: Session, chat_id: int, *, row_id: int, reason: str, now: datetime, editing: bool) -> int:
    """The chat refuses the bot: subscription off with the reason, this row dead, its other rows set aside.

    Returns how many other pending rows of the chat were skipped.
    """
    sub = session.exec(select(Subscription).where(Subscription.chat_id == chat_id)).first()
    if sub is not None:
        sub.active = False
        sub.deactivated_reason = _clip(reason)[:300]
        sub.updated_at = now
        session.add(sub)
    row = session.get(Outbox, row_id)
    if row is not None:
        if editing:
            _finish(session, row, RowEvent.EDIT_FAILED, f"edit failed: {reason}")
        else:
            _finish(session, row, RowEvent.GIVE_UP, reason)
    # bulk moves, as TRANSITIONS has them: queued rows are set aside, due edits dropped
    waiting = [Phase.PENDING.value, Phase.IN_FLIGHT.value]
    assert all(next_phase(Phase(p), RowEvent.SET_ASIDE) is Phase.SKIPPED for p in waiting)
    assert next_phase(Phase.EDIT_DUE, RowEvent.SET_ASIDE) is Phase.SENT
    others = session.execute(
        sa.update(Outbox)
        .where(col(Outbox.chat_id) == chat_id, col(Outbox.state).in_(waiting))
        .values(
            state=Phase.SKIPPED.value,
            last_error=_clip(f"subscription deactivated: {reason}"),
            next_attempt_at=None,
        )
    )
    session.execute(
        sa.update(Outbox)
        .where(col(Outbox.chat_id) == chat_id, col(Outbox.state) == Phase.EDIT_DUE.value)
        .values(state=Phase.SENT.value, next_attempt_at=None)
    )
    return int(getattr(others, "rowcount", 0) or 0)


def migrate_chat(session: Session, old_id: int, new_id: int, *, now: datetime) -> None:
    """A group became a supergroup: the chat, its subscription and its outbox rows move to the new id.

    Idempotent, so the command handlers (on Telegram's migrate service message) and the sender (on
    ChatMigrated) may both call it. Messages already sent stay in the old chat: moved sent rows lose their
    message id (a reply or an edit could otherwise hit an unrelated message in the new chat).
    """
    if old_id == new_id:
        return
    old_chat = session.get(Chat, old_id)
    # one INSERT ... ON CONFLICT: a command from the new supergroup may be creating the same row right now
    insert_ignore(
        session,
        Chat,
        {
            "chat_id": new_id,
            "type": "supergroup",
            "title": old_chat.title if old_chat else None,
            "username": old_chat.username if old_chat else None,
            "language": old_chat.language if old_chat else "both",
            "menu_language": old_chat.menu_language if old_chat else None,
            "timezone": old_chat.timezone if old_chat else None,
            "created_at": now,
            "updated_at": now,
        },
        ["chat_id"],
    )
    old_sub = session.exec(select(Subscription).where(Subscription.chat_id == old_id)).first()
    new_sub = session.exec(select(Subscription).where(Subscription.chat_id == new_id)).first()
    moved_sub = False
    if old_sub is not None and new_sub is None:
        old_sub.chat_id, old_sub.updated_at = new_id, now
        session.add(old_sub)
        moved_sub = True
    elif old_sub is not None and old_sub.active:
        old_sub.active, old_sub.deactivated_reason, old_sub.updated_at = False, f"migrated to {new_id}", now
        session.add(old_sub)
    taken = {
        (r.incident_id, r.version) for r in session.exec(select(Outbox).where(Outbox.chat_id == new_id)).all()
    }
    for row in session.exec(select(Outbox).where(Outbox.chat_id == old_id)).all():
        if (row.incident_id, row.version) in taken:
            if phase_of(row) in (Phase.PENDING, Phase.IN_FLIGHT):
                _finish(session, row, RowEvent.SET_ASIDE, f"chat migrated to {new_id}, which has this row")
            continue
        row.chat_id = new_id
        phase = phase_of(row)
        _move(row, RowEvent.CHAT_MIGRATED)
        if phase in (Phase.SENT, Phase.EDIT_DUE):
            if row.telegram_message_id is not None:
                row.last_error = _clip(f"message {row.telegram_message_id} stays in {old_id} (migrated)")
            row.telegram_message_id = None
            row.next_attempt_at = None
        elif phase in (Phase.PENDING, Phase.IN_FLIGHT):
            row.next_attempt_at = now
            row.last_error = _clip(f"chat migrated from {old_id}")
        session.add(row)
    session.flush()
    if moved_sub and old_chat is not None:
        session.delete(old_chat)


def requeue_dead(session: Session, *, now: datetime, chat_id: int | None = None) -> int:
    """Put given-up rows back in the queue (attempts and counters reset), oldest first; how many.

    The rows go through plan_row again, so a row whose subscription is off or whose incident is gone is set
    aside on its next turn rather than sent.
    """
    q = select(Outbox).where(col(Outbox.state) == Phase.DEAD.value)
    if chat_id is not None:
        q = q.where(col(Outbox.chat_id) == chat_id)
    n = 0
    for row in session.exec(q.order_by(col(Outbox.id))).all():
        why = row.last_error or ""
        if not _move(row, RowEvent.REQUEUE):
            continue
        row.attempts = row.uncertain = 0
        row.next_attempt_at = now
        row.last_error = _clip(f"requeued by an operator; was dead: {why}")
        session.add(row)
        n += 1
    return n


def release_waiting(session: Session, *, now: datetime) -> int:
    """Telegram answers again: every row waiting out a backoff is due now, so the backlog goes in id order."""
    waiting = [Phase.PENDING.value, Phase.IN_FLIGHT.value, Phase.EDIT_DUE.value]
    res = session.execute(
        sa.update(Outbox)
        .where(col(Outbox.state).in_(waiting), col(Outbox.next_attempt_at) > now)
        .values(next_attempt_at=now)
    )
    return int(getattr(res, "rowcount", 0) or 0)


def oldest_waiting(session: Session, now: datetime) -> datetime | None:
    """When the oldest row still owed to a chat was queued (None when none waits): /healthz's stall check."""
    waiting = [Phase.PENDING.value, Phase.IN_FLIGHT.value]
    at: datetime | None = session.exec(
        select(sa.func.min(Outbox.created_at)).where(col(Outbox.state).in_(waiting))
    ).one()
    return at


def next_due(session: Session, now: datetime) -> datetime | None:
    """When the next pending row or edit falls due (None when nothing waits; `now` when one is due already)."""
    waiting = col(Outbox.state).in_([Phase.PENDING.value, Phase.IN_FLIGHT.value, Phase.EDIT_DUE.value])
    unscheduled = session.exec(select(Outbox.id).where(waiting, col(Outbox.next_attempt_at).is_(None)).limit(1)).first()
    if unscheduled is not None:
        return now
    at: datetime | None = session.exec(select(sa.func.min(Outbox.next_attempt_at)).where(waiting)).one()
    return at


def counts(session: Session, chat_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Rows by state (for logs, tests and the benchmark)."""
    q = select(Outbox.state, sa.func.count()).group_by(col(Outbox.state))
    if chat_ids is not None:
        q = q.where(col(Outbox.chat_id).in_(list(chat_ids)))
    return {str(state): int(n) for state, n in session.exec(q).all()}
