"""The one outbox drainer: pending alerts, update replies and source edits go to Telegram within its limits.

It shares the event loop with the chat commands, so it never blocks it: database work runs on a thread of
its own, and pacing is `await`ed, never slept. A row is marked sent only after Telegram answered OK, in its
own transaction right after that answer; before each send the row is marked "in flight", so a restart can
tell a send whose outcome is unknown (it is sent again, and the log says it may repeat: a duplicate beats a
loss). When Telegram cannot be reached or fails (refused, 5xx, dropped connections) the circuit opens: every
send is held until the failed row's backoff ends, then that row alone probes; when it goes through, the
backlog is released and drained from the oldest row, in order. Operators are told once when delivery stops
and once when it resumes (`on_delivery`).

Decisions live in `bot.alerts.delivery` (pure); queries in `bot.alerts.outbox`; this module is the I/O between.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

import telegram
from sqlalchemy.engine import Engine
from telegram import LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.alerts import outbox as ob
from bot.alerts.delivery import Classified, Outcome, RetryPolicy, Step, classify, topic_gone, verdict_for
from bot.alerts.i18n import TOPIC_GONE
from bot.alerts.pacing import Pacer
from bot.clock import Clock, utc_now
from bot.config import SettingsSource, TelegramSettings
from bot.counters import record_send
from bot.database import run_db

log = logging.getLogger(__name__)

T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]

MAX_MIGRATIONS = 3
"""A chat that keeps migrating (a loop of ChatMigrated answers) is given up on after this many moves."""

GATE_POLL = 0.005
"""Seconds between looks while every slot of the window is taken by sends still in flight."""

@dataclass
class SenderStats:
    """What the sender did since it started (for logs, /stats and the benchmark)."""

    sent: int = 0
    edited: int = 0
    retried: int = 0
    retry_after: int = 0
    dead: int = 0
    deactivated: int = 0
    migrated: int = 0
    skipped: int = 0
    uncertain: int = 0
    outages: int = 0


@dataclass
class _Pass:
    """The state of one drain pass: what is queued, waiting for its chat, or in flight."""

    queue: deque[ob.Job] = field(default_factory=deque)
    waiting: list[tuple[datetime, int, ob.Job]] = field(default_factory=list)
    held_until: dict[int, datetime] = field(default_factory=dict)
    """Per chat, when its last job put in `waiting` falls due: a later job of the chat never goes before it."""
    inflight: dict[asyncio.Task[None], ob.Job] = field(default_factory=dict)
    busy: set[int] = field(default_factory=set)
    dropped: set[int] = field(default_factory=set)
    moved: dict[int, int] = field(default_factory=dict)
    after: dict[ob.Action, int] = field(default_factory=lambda: {ob.Action.SEND: 0, ob.Action.EDIT: 0})
    exhausted: set[ob.Action] = field(default_factory=set)
    handled: int = 0
    halt_until: datetime | None = None
    seq: itertools.count[int] = field(default_factory=itertools.count)


class OutboxSender:
    """Drains the outbox: `run(stop)` as a service, `drain_once()` for one pass (tests, `rasad poll`).

    `bot` should be a plain `telegram.Bot` of its own (no AIORateLimiter): this sender paces broadcasts
    itself, and a shared rate limiter would make command replies queue behind a broadcast. Its HTTP pool
    must allow `max_in_flight` connections (PTB's default of 256 does).
    """

    def __init__(
        self,
        engine: Engine,
        bot: telegram.Bot,
        settings: TelegramSettings | SettingsSource,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        policy: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        max_in_flight: int = 8,
        batch: int = 200,
        idle: timedelta = timedelta(seconds=30),
        jitter: Callable[[], float] = random.random,
        on_delivery: Callable[[bool, str], Awaitable[None]] | None = None,
    ) -> None:
        self.engine = engine
        self.bot = bot
        self.clock = clock
        self.sleep = sleep
        self._telegram: Callable[[], TelegramSettings] = (
            (lambda: settings) if isinstance(settings, TelegramSettings) else (lambda: settings().telegram)
        )
        section = self._applied = self._telegram()
        self.policy = policy or RetryPolicy(max_age=section.max_age)
        self.pacer = pacer or Pacer(
            rate=section.global_rate, chat_interval=section.chat_interval, group_per_minute=section.group_per_minute
        )
        self.max_in_flight = max(1, max_in_flight)
        self.batch = max(1, batch)
        self.idle = idle
        self.stats = SenderStats()
        self._reader = ob.OutboxReader()
        self.jitter = jitter
        self.on_delivery = on_delivery
        self.stalled_since: datetime | None = None
        """When the circuit opened (Telegram unreachable or failing); None while delivery works."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rasad-outbox")
        self._wake: asyncio.Event | None = None
        self._gate = asyncio.Lock()

    # ------------------------------------------------------------------ public

    def wake(self) -> None:
        """New rows were committed: start a pass now rather than at the next idle check."""
        if self._wake is not None:
            self._wake.set()

    def note_reply(self, chat_id: int, chat_type: str | None) -> None:
        """A command reply was answered (on another Bot): count it, so the broadcast leaves room for it."""
        self.pacer.note(chat_id, chat_type, self.clock())

    def close(self) -> None:
        """Release the database thread."""
        self._executor.shutdown(wait=True)

    async def run(self, stop: asyncio.Event) -> None:
        """Drain, then wait for new rows (wake), the next retry or `idle`, until `stop` is set."""
        self._wake = asyncio.Event()
        while not stop.is_set():
            self._wake.clear()
            halt: datetime | None = None
            try:
                halt = (await self._drain(stop)).halt_until
            except Exception:
                log.exception("outbox pass failed; trying again later")
            if stop.is_set():
                break
            now = self.clock()
            due = halt
            if due is None:
                try:
                    due = await self._db(ob.next_due, now)
                except Exception:
                    log.exception("could not read the outbox")
            limit = now + self.idle
            wait = min(due, limit) if due is not None else limit
            await self._wait_any(stop, self._wake, max(0.0, (wait - now).total_seconds()))

    async def drain_once(self) -> int:
        """One pass over every row due now (retries falling due later wait for a later pass); rows handled."""
        return (await self._drain(None)).handled

    # ------------------------------------------------------------------ the pass

    def _follow_settings(self) -> None:
        """Apply a reloaded `[telegram]` section to the pacing and the retry policy (pacing state is kept)."""
        section = self._telegram()
        if section is self._applied or section == self._applied:
            return
        self._applied = section
        self.pacer.rate = section.global_rate
        self.pacer.chat_interval = section.chat_interval
        self.pacer.group_per_minute = section.group_per_minute
        self.policy = replace(self.policy, max_age=section.max_age)
        log.info(
            "sender follows the reloaded settings: %s messages/s, %s per chat, %s per group a minute, retried for %s",
            section.global_rate,
            section.chat_interval,
            section.group_per_minute,
            section.max_age,
        )

    async def _drain(self, stop: asyncio.Event | None) -> _Pass:
        p = _Pass()
        try:
            while p.halt_until is None and not (stop is not None and stop.is_set()):
                now = self.clock()
                self._follow_settings()
                await self._refill(p, now)
                due: list[ob.Job] = []
                while p.waiting and p.waiting[0][0] <= now:
                    due.append(heapq.heappop(p.waiting)[2])
                p.queue.extendleft(reversed(due))  # at the front, in the order they fell due
                if len(p.inflight) >= self.max_in_flight or (self.stalled_since is not None and p.inflight):
                    await self._wait_pass(p, None)  # while the circuit is open, one probe at a time
                    continue
                if self.stalled_since is not None and p.waiting:
                    await self._wait_pass(p, p.waiting[0][0] - now)  # probing: the refused row goes first
                    continue
                job = self._next_ready(p, now)
                if job is not None:
                    self._launch(p, job)
                    continue
                if p.waiting:
                    await self._wait_pass(p, p.waiting[0][0] - now)
                elif p.inflight:
                    await self._wait_pass(p, None)
                elif len(p.exhausted) == 2 and not p.queue:
                    break
        finally:
            # finish what is in flight and record it, even when cancelled: a send that succeeded is marked
            await self._settle(p)
        return p

    async def _settle(self, p: _Pass) -> None:
        while p.inflight:
            done, _ = await asyncio.wait(set(p.inflight))  # not cancellable from outside: tasks run to the end
            self._collect(p, done)

    async def _refill(self, p: _Pass, now: datetime) -> None:
        if len(p.queue) >= self.batch // 2:
            return
        for action in (ob.Action.SEND, ob.Action.EDIT):  # new alerts and updates before source edits
            if action in p.exhausted:
                continue
            loaded = await self._db(
                self._reader.load, now=now, after_id=p.after[action], limit=self.batch, action=action
            )
            p.after[action] = loaded.last_id
            p.handled += loaded.skipped
            self.stats.skipped += loaded.skipped
            self.stats.uncertain += len(loaded.crashed or ())
            if loaded.rows == 0:
                p.exhausted.add(action)
            p.queue.extend(loaded.jobs)
            if loaded.rows:
                self.pacer.forget_before(now)
                return

    def _next_ready(self, p: _Pass, now: datetime) -> ob.Job | None:
        """The first queued job whose chat may get a message now; the others wait in the heap for their chat."""
        while p.queue:
            job = p.queue.popleft()
            if job.chat_id in p.moved:
                if job.action is ob.Action.EDIT:
                    continue  # the message stayed in the old chat; migrate_chat dropped the edit
                job = replace(job, chat_id=p.moved[job.chat_id], chat_type="supergroup")
            if job.chat_id in p.dropped:
                continue
            if job.chat_id in p.busy:
                at = now + self.pacer.chat_interval
            else:
                at = self.pacer.chat_ready_at(job.chat_id, job.chat_type, now)
            at = max(at, p.held_until.get(job.chat_id, at))  # behind the chat's earlier rows
            if at <= now:
                return job
            p.held_until[job.chat_id] = at
            heapq.heappush(p.waiting, (at, next(p.seq), job))
        return None

    def _launch(self, p: _Pass, job: ob.Job) -> None:
        p.busy.add(job.chat_id)
        task = asyncio.create_task(self._deliver(p, job), name=f"outbox-{job.row_id}")
        p.inflight[task] = job

    async def _wait_pass(self, p: _Pass, delay: timedelta | None) -> None:
        """Until an in-flight send finishes or `delay` passes."""
        waiters: set[asyncio.Future[Any]] = set(p.inflight)
        sleeper: asyncio.Task[None] | None = None
        if delay is not None:
            sleeper = asyncio.create_task(self._sleep_for(max(0.0, delay.total_seconds())))
            waiters.add(sleeper)
        try:
            if waiters:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if sleeper is not None and not sleeper.done():
                sleeper.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sleeper
        self._collect(p, {t for t in p.inflight if t.done()})

    async def _sleep_for(self, seconds: float) -> None:
        await self.sleep(seconds)

    def _collect(self, p: _Pass, done: set[asyncio.Task[None]]) -> None:
        for task in done:
            job = p.inflight.pop(task, None)
            if job is None:
                continue
            p.busy.discard(job.chat_id)
            if not task.cancelled() and task.exception() is not None:
                log.error("outbox %d: delivery crashed", job.row_id, exc_info=task.exception())

    # ------------------------------------------------------------------ one row

    async def _deliver(self, p: _Pass, job: ob.Job) -> None:
        """Send or edit one row and record the outcome at once."""
        await self._gate_for(job)
        if job.action is ob.Action.SEND:
            attempts = job.attempts + 1
            # marked only now, right before the request: "in flight" after a crash means really maybe sent
            fresh = await self._db(
                ob.begin_attempt, job.row_id, attempts=attempts, uncertain=job.uncertain, now=self.clock()
            )
            if not fresh:
                self.pacer.finish(job.chat_id, job.chat_type, self.clock())
                return
            if job.uncertain:
                log.warning(
                    "outbox %d to chat %d: resending after an attempt with unknown outcome; it may repeat",
                    job.row_id,
                    job.chat_id,
                )
        else:
            attempts = job.edit_attempts + 1
        message_id: int | None = None
        try:
            message_id = await self._call(job)
            c = classify(None)
        except Exception as exc:
            c = classify(exc)
        finally:
            self.pacer.finish(job.chat_id, job.chat_type, self.clock())
        record_send(c.outcome)
        if c.outcome is Outcome.AMBIGUOUS:
            self.stats.uncertain += 1
            log.warning("outbox %d to chat %d: %s; the send may repeat", job.row_id, job.chat_id, c.reason)
        await self._record(p, job, c, attempts, message_id)

    async def _gate_for(self, job: ob.Job) -> None:
        """Wait, in turn (the lock is first come, first served), until the Pacer lets this send start."""
        async with self._gate:
            while True:
                now = self.clock()
                at = self.pacer.ready_at(job.chat_id, job.chat_type, now)
                if at is not None and at <= now:
                    break
                await self.sleep(GATE_POLL if at is None else (at - now).total_seconds())
            self.pacer.start(job.chat_id, job.chat_type, now)

    async def _call(self, job: ob.Job) -> int:
        preview = LinkPreviewOptions(is_disabled=True)
        if job.action is ob.Action.EDIT:
            assert job.message_id is not None
            await self.bot.edit_message_text(
                job.text, chat_id=job.chat_id, message_id=job.message_id, parse_mode=ParseMode.HTML,
                link_preview_options=preview,
            )
            return job.message_id
        reply = (
            ReplyParameters(message_id=job.reply_to, allow_sending_without_reply=True)
            if job.reply_to is not None
            else None
        )
        msg = await self.bot.send_message(
            job.chat_id, job.text, parse_mode=ParseMode.HTML, link_preview_options=preview, reply_parameters=reply,
            disable_notification=job.silent, message_thread_id=job.thread_id,
        )
        return msg.message_id

    async def _record(self, p: _Pass, job: ob.Job, c: Classified, attempts: int, message_id: int | None) -> None:
        now = self.clock()
        if job.action is ob.Action.SEND and topic_gone(c, thread_id=job.thread_id):
            await self._topic_gone(p, job, attempts, now)
            return
        uncertain = job.uncertain + (1 if c.outcome is Outcome.AMBIGUOUS else 0)
        age = now - job.queued_at if job.queued_at is not None else timedelta(0)
        v = verdict_for(
            c, now=now, attempts=attempts, uncertain=uncertain, policy=self.policy, age=age, jitter=self.jitter()
        )
        if not v.open_circuit and v.step is not Step.HALT and c.outcome is not Outcome.RETRY_AFTER:
            await self._circuit_closed(p, now)  # Telegram answered: it is up
        if v.step not in (Step.MIGRATE, Step.HALT):
            p.handled += 1
        editing = job.action is ob.Action.EDIT
        if v.pause_until is not None and v.step is not Step.HALT:
            self.pacer.pause_until(v.pause_until)
        if v.step is Step.DONE:
            if editing:  # applied, or "message is not modified": either way the chat shows this text
                await self._db(ob.edit_done, job.row_id, stamp=job.stamp)
                self.stats.edited += 1
            else:
                assert message_id is not None
                await self._db(ob.mark_sent, job.row_id, message_id=message_id, now=now, stamp=job.stamp)
                self.stats.sent += 1
            return
        if v.step is Step.RETRY:
            assert v.at is not None
            reason = f"{c.outcome.value}: {c.reason}"
            if editing:
                await self._db(ob.edit_retry, job.row_id, at=v.at, reason=reason, edit_attempts=attempts)
            else:
                await self._db(
                    ob.mark_retry, job.row_id, at=v.at, reason=reason, attempts=attempts, uncertain=uncertain
                )
            self.stats.retried += 1
            if v.open_circuit:
                await self._circuit_open(p, v.at, reason)
            if c.outcome is Outcome.RETRY_AFTER:
                self.stats.retry_after += 1
                log.warning("flood control: holding every send until %s (%s)", v.at.isoformat(), c.reason)
                # the same row goes again once Telegram's wait is over, still in this pass
                again = (
                    replace(job, edit_attempts=attempts)
                    if editing
                    else replace(job, attempts=attempts, uncertain=uncertain)
                )
                p.held_until[job.chat_id] = max(v.at, p.held_until.get(job.chat_id, v.at))
                heapq.heappush(p.waiting, (v.at, next(p.seq), again))
            return
        if v.step is Step.DEAD:
            log.warning("outbox %d to chat %d dead: %s", job.row_id, job.chat_id, v.reason)
            if editing:
                await self._db(ob.edit_failed, job.row_id, reason=v.reason or c.outcome.value)
            else:
                await self._db(ob.mark_dead, job.row_id, reason=f"{c.outcome.value}: {v.reason}")
            self.stats.dead += 1
            return
        if v.step is Step.DEACTIVATE:
            log.warning("chat %d refuses the bot (%s): subscription deactivated", job.chat_id, v.reason)
            await self._db(
                ob.deactivate_chat, job.chat_id, row_id=job.row_id, reason=v.reason or "forbidden", now=now,
                editing=editing,
            )
            p.dropped.add(job.chat_id)
            self.stats.deactivated += 1
            return
        if v.step is Step.MIGRATE:
            assert c.new_chat_id is not None
            log.info("chat %d migrated to %d; moving its subscription and outbox", job.chat_id, c.new_chat_id)
            await self._db(ob.migrate_chat, job.chat_id, c.new_chat_id, now=now)
            self.stats.migrated += 1
            p.moved[job.chat_id] = c.new_chat_id
            if editing:
                return
            if job.migrations + 1 > MAX_MIGRATIONS:
                await self._db(ob.mark_dead, job.row_id, reason=f"migrated {job.migrations + 1} times in a row")
                self.stats.dead += 1
                return
            moved = replace(
                job, chat_id=c.new_chat_id, chat_type="supergroup", attempts=attempts, migrations=job.migrations + 1
            )
            p.queue.appendleft(moved)
            return
        # Step.HALT: the bot cannot send at all; put the attempt back and stop this pass
        log.error("the bot cannot send (%s); pausing the outbox until %s", v.reason, v.pause_until)
        if not editing:
            await self._db(
                ob.mark_retry, job.row_id, at=now, reason=f"halted: {v.reason}", attempts=job.attempts,
                uncertain=job.uncertain,
            )
        p.halt_until = v.pause_until or now + self.policy.cap
        p.queue.appendleft(job)

    async def _topic_gone(self, p: _Pass, job: ob.Job, attempts: int, now: datetime) -> None:
        """The forum topic the chat's alerts went to is deleted: send to General from now on, say so there once,
        and put the row back to go out again without the topic."""
        assert job.thread_id is not None
        first = await self._db(ob.drop_topic, job.chat_id, thread_id=job.thread_id, now=now)
        await self._db(
            ob.mark_retry, job.row_id, at=now, reason=f"topic {job.thread_id} deleted: resending to General",
            attempts=attempts, uncertain=job.uncertain,
        )
        p.handled += 1
        self.stats.retried += 1
        log.warning("chat %d: forum topic %d is gone; alerts go to its General topic", job.chat_id, job.thread_id)
        if first:
            try:
                await self.bot.send_message(job.chat_id, f"{TOPIC_GONE.ar}\n\n{TOPIC_GONE.en}")
            except TelegramError as exc:
                log.warning("chat %d: could not say that its topic is gone: %s", job.chat_id, exc)
        self.wake()

    # ------------------------------------------------------------------ the circuit

    async def _circuit_open(self, p: _Pass, until: datetime, reason: str) -> None:
        """Telegram failed us: hold every send until `until` (this pass ends), then probe with one row."""
        p.halt_until = until if p.halt_until is None else min(p.halt_until, until)
        if self.stalled_since is not None:
            log.info("delivery still stopped (%s); next probe at %s", reason, until.isoformat())
            return
        self.stalled_since = self.clock()
        self.stats.outages += 1
        log.error("delivery stopped: Telegram fails (%s); holding every send, next probe at %s", reason,
                  until.isoformat())
        await self._tell(False, reason)

    async def _circuit_closed(self, p: _Pass, now: datetime) -> None:
        """An answer came back: release the backlog so it drains from the oldest row, in order."""
        if self.stalled_since is None:
            return
        down = now - self.stalled_since
        self.stalled_since = None
        released = await self._db(ob.release_waiting, now=now)
        log.warning("delivery resumed after %s; %d waiting row(s) released in order", down, released)
        p.halt_until = now if p.halt_until is None else p.halt_until  # start again from the oldest row
        await self._tell(True, f"after {down}")

    async def _tell(self, resumed: bool, detail: str) -> None:
        if self.on_delivery is None:
            return
        try:
            await self.on_delivery(resumed, detail)
        except Exception:
            log.exception("could not tell the operators that delivery %s", "resumed" if resumed else "stopped")

    # ------------------------------------------------------------------ plumbing

    async def _db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn(session, *args)` in one transaction on the sender's database thread (retried on "locked")."""
        return await run_db(self.engine, lambda session: fn(session, *args, **kwargs), executor=self._executor)

    async def _wait_any(self, stop: asyncio.Event, wake: asyncio.Event, seconds: float) -> None:
        tasks = [
            asyncio.create_task(stop.wait()),
            asyncio.create_task(wake.wait()),
            asyncio.create_task(self._sleep_for(seconds)),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
