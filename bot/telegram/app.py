"""The bot process: the PTB Application built in one place, and `run_bot`, which owns its lifecycle.

`rasad run` owns the event loop and the signals, so the application is started by hand (never
run_polling) next to the feed pipeline (the same PollJob, ticked by PTB's JobQueue) and the outbox
sender, and stopped in order within STOP_BUDGET seconds: updates first (nothing new comes in),
then the poll cycle and the sender finish what they are doing (neither loses work: an article is
one transaction, an outbox row is marked sent only after Telegram accepted it), then the
application, then the instance lock.

No AIORateLimiter: it would queue a command reply behind a broadcast sharing its global budget,
and retry 429s that bot.alerts.delivery already classifies and retries (the only retry layer). The sender
paces itself under Telegram's limits on a Bot of its own (its own connection pool), and every
command reply is reported to it (`note_reply`) so the broadcast leaves room; replies go straight out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy.engine import Engine
from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import ApplicationBuilder, Defaults, JobQueue
from telegram.request import HTTPXRequest

from bot.alerts.sender import OutboxSender
from bot.clock import utc_now
from bot.config import LiveSettings, Settings, live_settings
from bot.exits import EXIT_FAILED, EXIT_LOCKED
from bot.incidents.ingest import Event
from bot.instance import keep_alive
from bot.lock import HEARTBEAT, InstanceLock, InstanceLocked
from bot.ops.logsetup import RedactToken
from bot.service import Service
from bot.telegram import texts
from bot.telegram.admin import AdminContext, admin_handlers, make_admin_notifier
from bot.telegram.deps import CONTEXT_TYPES, KEY, Deps, RasadApp, RasadContext, RasadHandler, deps_of
from bot.telegram.exports import export_handlers
from bot.telegram.guidance import guidance_handlers
from bot.telegram.handlers import NO_PREVIEW, UNKNOWN_GROUP, command_handlers, unknown_handler
from bot.telegram.poll_schedule import replace_repeating
from bot.telegram.settings_menu import settings_handlers
from bot.telegram.update_order import PerChatOrder

ADMIN_GROUP: Final = 1
"""Handler group of the operator commands (below UNKNOWN_GROUP, so they are not answered as unknown)."""

log = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://api.telegram.org/bot"
POLL_TIMEOUT: Final = timedelta(seconds=10)
"""Long-poll length; stopping does not wait for it (the poll is cancelled)."""
STOP_BUDGET: Final = 9.0
"""Seconds from the stop signal to exit, under the 10 s a supervisor's SIGTERM allows."""
DRAIN_GRACE: Final = 5.0
"""How long the running poll cycle and the sender may take to finish their current work."""
SENDER_POOL: Final = 16
"""Connections of the sender's Bot: above its in-flight cap (8), so a send never waits for a connection."""
CONFLICT_MESSAGE: Final = "another bot instance is polling with this token (Telegram answered 409 Conflict); stopping"
CONFLICT_KEEP_GOING: Final = (
    "another process polled Telegram with this token (409 Conflict); this instance keeps running: stop the other one"
)
NEWCOMER_WINDOW: Final = 30.0
"""Seconds after polling starts in which a 409 Conflict means we are the newcomer (the other bot was first)."""
CONFLICT_WARN_EVERY: Final = 60.0


def conflict_stops_us(polling_for: float, window: float = NEWCOMER_WINDOW) -> bool:
    """Whether a 409 Conflict stops this instance: only while it is the newcomer.

    Telegram ends the older of two getUpdates calls with 409. A newly started second instance takes the
    running one's poll, the running one polls again within about a second and takes it back, so the
    newcomer sees 409 within its first seconds and stops, with this message; the running one warns and
    keeps serving its subscribers.
    """
    return polling_for < window

DEFAULTS: Final = Defaults(parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
"""Every message the application's bot sends is HTML without a link preview (admin texts opt out: plain)."""
ExtraHandlers = Mapping[int, Sequence[RasadHandler]]
"""Handler group → handlers (e.g. admin commands in group 1); registered before the unknown-command answer."""


TOKEN_LOGGERS: Final = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Updater", "telegram.ext.Application")
"""PTB loggers that print URLs (which carry the token) at DEBUG; they mask it before any handler sees it."""


def guard_token(token: str) -> None:
    """Mask the token at the loggers that print it, so no handler (ours or a later one) ever receives it."""
    for name in TOKEN_LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, RedactToken)]:
            logger.removeFilter(old)
        logger.addFilter(RedactToken(token))


def file_url_for(base_url: str) -> str:
    """Telegram's file URL beside an API base URL: ".../bot" → ".../file/bot" (as api.telegram.org does)."""
    parts = urlsplit(base_url)
    head, _, last = parts.path.rpartition("/")
    return urlunsplit(parts._replace(path=f"{head}/file/{last}"))


def build_application(
    settings: Settings | LiveSettings,
    engine: Engine,
    token: str,
    *,
    clock: Callable[[], datetime] = utc_now,
    extra_handlers: ExtraHandlers | None = None,
) -> RasadApp:
    """The one ApplicationBuilder: base URL from the config, timeouts, concurrency, our handlers."""
    guard_token(token)
    live = live_settings(settings)
    base_url = live().telegram.api_base_url or DEFAULT_BASE_URL
    app: RasadApp = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_url_for(base_url))
        .connect_timeout(10.0)
        .read_timeout(15.0)
        .write_timeout(15.0)
        .pool_timeout(5.0)
        .get_updates_connect_timeout(10.0)
        .get_updates_read_timeout(10.0)
        .concurrent_updates(PerChatOrder())  # chats at once, each chat in order: see update_order
        .context_types(CONTEXT_TYPES)
        .job_queue(JobQueue[RasadContext]())  # PTB's own, typed: its jobs get a RasadContext too
        .defaults(DEFAULTS)
        .build()
    )
    app.bot_data[KEY] = Deps(engine=engine, settings=live, clock=clock)
    for handler in [*command_handlers(), *settings_handlers(), *export_handlers()]:
        app.add_handler(handler, group=0)
    for group, handlers in sorted((extra_handlers or {}).items()):
        if group >= UNKNOWN_GROUP:
            raise ValueError(f"extra handler group {group} must be below {UNKNOWN_GROUP}")
        for handler in handlers:
            app.add_handler(handler, group=group)
    app.add_handler(unknown_handler(), group=UNKNOWN_GROUP)
    for handler in guidance_handlers():
        app.add_handler(handler, group=UNKNOWN_GROUP)
    app.add_error_handler(on_error)
    return app


async def register_commands(app: RasadApp, operators: Sequence[int] = ()) -> None:
    """The command menus, in Arabic (language_code "ar") and English (the default for everyone else).

    Scoped as Telegram allows: every user command in private chats, the reading ones for group
    members, the subscription ones too for group admins, and the operator commands only in the
    operators' own private chats.
    """
    scopes: list[tuple[str, BotCommandScope | None]] = [
        ("everyone", None),
        ("group_members", BotCommandScopeAllGroupChats()),
        ("group_admins", BotCommandScopeAllChatAdministrators()),
        *(("operator", BotCommandScopeChat(chat_id)) for chat_id in operators),
    ]
    try:
        for scope_name, scope in scopes:
            for lang in ("en", "ar"):
                await app.bot.set_my_commands(
                    [BotCommand(n, d) for n, d in texts.command_list(lang, scope_name)],
                    scope=scope,
                    language_code="ar" if lang == "ar" else None,
                )
    except TelegramError as exc:
        log.warning("could not register the command menu: %s", exc)
    try:  # shown in an empty chat and on the profile, in the user's language where Telegram has one
        await app.bot.set_my_description(texts.DESCRIPTION)
        await app.bot.set_my_short_description(texts.SHORT_DESCRIPTION["en"])
        await app.bot.set_my_short_description(texts.SHORT_DESCRIPTION["ar"], language_code="ar")
    except TelegramError as exc:
        log.warning("could not set the bot's description: %s", exc)


# --- errors -----------------------------------------------------------------------------------------


def describe_error(exc: BaseException) -> tuple[int, str, bool]:
    """(log level, message, with traceback?) for an error: network trouble is one plain line, bugs get a trace."""
    if isinstance(exc, Conflict):
        return logging.ERROR, CONFLICT_MESSAGE, False
    if isinstance(exc, Forbidden):
        return logging.INFO, f"chat unreachable: {exc}", False
    if isinstance(exc, BadRequest):
        return logging.ERROR, f"Telegram refused a request: {exc}", True
    if isinstance(exc, NetworkError):
        return logging.WARNING, f"network trouble talking to Telegram: {exc}", False
    if isinstance(exc, TelegramError):
        return logging.WARNING, f"Telegram error: {exc}", False
    return logging.ERROR, f"handler failed: {exc!r}", True


async def on_error(update: object, context: RasadContext) -> None:
    """Log a handler's failure once, and still answer the user (never silence, never a traceback)."""
    exc = context.error
    if exc is None:
        return
    level, message, trace = describe_error(exc)
    log.log(level, "%s", message, exc_info=exc if trace else None)
    if not isinstance(update, Update) or isinstance(exc, Forbidden | Conflict):
        return
    user = update.effective_user
    lang = texts.reply_language("both", user.language_code if user else None)
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await update.callback_query.answer(texts.error_text(lang))
        elif update.effective_chat is not None and update.effective_message is not None:
            await context.bot.send_message(
                update.effective_chat.id, texts.error_text(lang)
            )


# --- running -----------------------------------------------------------------------------------------


def sender_bot(settings: Settings, token: str) -> Bot:
    """The sender's own Bot (own connection pool, no rate limiter): a broadcast never holds a reply's connection."""
    base_url = settings.telegram.api_base_url or DEFAULT_BASE_URL
    request = HTTPXRequest(
        connection_pool_size=SENDER_POOL, connect_timeout=10.0, read_timeout=15.0, write_timeout=15.0, pool_timeout=5.0
    )
    return Bot(token, base_url=base_url, base_file_url=file_url_for(base_url), request=request)


def delivery_notices(notify: Callable[[str], Awaitable[None]]) -> Callable[[bool, str], Awaitable[None]]:
    """The sender's on_delivery: tell the admins, in Arabic and English, once when delivery stops and once when
    it resumes. The stop notice usually cannot reach them (Telegram is what failed), so it is repeated in the
    resume notice when it did not get through."""
    missed: list[str] = []

    async def tell(resumed: bool, detail: str) -> None:
        if not resumed:
            text = (
                "⚠️ توقف إرسال التنبيهات: تيليغرام لا يستجيب. التنبيهات محفوظة وستُرسل عند عودته.\n"
                f"⚠️ Alert delivery stopped: Telegram fails ({detail}). Alerts are kept and go out when it returns."
            )
            try:
                await notify(text)
            except Exception:
                missed.append(text)
                raise
            return
        text = (
            f"✅ عاد إرسال التنبيهات ({detail}).\n✅ Alert delivery resumed ({detail}); the backlog goes out in order."
        )
        earlier, missed[:] = list(missed), []
        await notify("\n\n".join([*earlier, text]))

    return tell


class _Run:
    """The parts run_bot started, so the stop sequence knows what to stop."""

    def __init__(self) -> None:
        self.halt = asyncio.Event()
        self.failed: str | None = None
        self.service: Service | None = None
        self.sender_stop = asyncio.Event()
        self.sender: OutboxSender | None = None
        self.sender_bot: Bot | None = None
        self.sender_task: asyncio.Task[Any] | None = None
        self.heartbeat: asyncio.Task[None] | None = None

    def fail(self, why: str) -> None:
        self.failed = self.failed or why
        self.halt.set()


async def run_bot(
    settings: Settings,
    engine: Engine,
    client: httpx.AsyncClient,
    *,
    token: str,
    stop: asyncio.Event,
    clock: Callable[[], datetime] = utc_now,
    extra_handlers: ExtraHandlers | None = None,
    heartbeat: timedelta = HEARTBEAT,
    config_path: Path | None = None,
    newcomer_window: float = NEWCOMER_WINDOW,
) -> None:
    """Run the bot, the feed pipeline and the sender until `stop` is set; exits 2 if another instance runs."""
    lock = InstanceLock(engine, clock=utc_now)  # a lease is about real time between processes, not domain time
    try:
        await lock.acquire_async()
    except InstanceLocked as exc:
        log.error("%s", exc)
        raise SystemExit(EXIT_LOCKED) from None
    try:
        run = _Run()

        def committed(_article_id: int, _events: list[Event]) -> None:
            if run.sender is not None:
                run.sender.wake()  # new outbox rows: send now rather than at the sender's next idle check

        service = Service(engine, settings, client, config_path=config_path, clock=clock, on_events=committed)
        handlers = dict(extra_handlers or {})
        handlers.setdefault(ADMIN_GROUP, admin_handlers(AdminContext(engine=engine, watcher=service.watcher)))
        app = build_application(service.live, engine, token, clock=clock, extra_handlers=handlers)
        service.notify = make_admin_notifier(app.bot, service.live)
        run.service = service
        run.heartbeat = asyncio.create_task(
            keep_alive(lock, lambda: run.fail("lost the instance lock to another instance"), heartbeat),
            name="rasad-lock-heartbeat",
        )
        try:
            await _serve(app, run, settings, engine, client, stop, clock, newcomer_window)
        finally:
            run.heartbeat.cancel()
            await asyncio.gather(run.heartbeat, return_exceptions=True)
    finally:
        await lock.release_async()
    if run.failed:
        log.error("stopped: %s", run.failed)
        raise SystemExit(EXIT_FAILED)


async def _serve(
    app: RasadApp,
    run: _Run,
    settings: Settings,
    engine: Engine,
    client: httpx.AsyncClient,
    stop: asyncio.Event,
    clock: Callable[[], datetime],
    newcomer_window: float = NEWCOMER_WINDOW,
) -> None:
    base = settings.telegram.api_base_url or DEFAULT_BASE_URL
    try:
        await app.initialize()
    except InvalidToken:
        log.error("Telegram refused the bot token (TELEGRAM_BOT_TOKEN): check it")
        await app.shutdown()
        raise SystemExit(EXIT_LOCKED) from None
    except NetworkError as exc:
        log.error("cannot reach Telegram at %s: %s", base, exc)
        await app.shutdown()
        raise SystemExit(EXIT_FAILED) from None
    try:
        await app.start()
        await register_commands(app, settings.telegram.admins)
        await _start_sender(app, run, settings, engine, clock)
        await _start_pipeline(app, run, settings)

        loop = asyncio.get_running_loop()
        polling_since = loop.time()
        last_warned: list[float] = []

        def on_poll_error(exc: TelegramError) -> None:
            if isinstance(exc, Conflict):
                if conflict_stops_us(loop.time() - polling_since, newcomer_window):
                    log.error("%s", CONFLICT_MESSAGE)
                    run.fail("another bot instance is polling with this token")
                elif not last_warned or loop.time() - last_warned[0] >= CONFLICT_WARN_EVERY:
                    last_warned[:] = [loop.time()]
                    log.warning("%s", CONFLICT_KEEP_GOING)
                return
            level, message, _ = describe_error(exc)
            log.log(level, "while polling for updates: %s", message)

        assert app.updater is not None
        await app.updater.start_polling(timeout=POLL_TIMEOUT, error_callback=on_poll_error)
        log.info("bot @%s running via %s; press Ctrl-C to stop", app.bot.username, base)
        waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(run.halt.wait())]
        try:
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
        log.info("stopping")
    finally:
        await _stop(app, run)


async def _start_sender(
    app: RasadApp, run: _Run, settings: Settings, engine: Engine, clock: Callable[[], datetime]
) -> None:
    """Start the outbox sender on a Bot of its own, and let it count our command replies in its pacing."""
    assert run.service is not None
    bot = sender_bot(settings, app.bot.token)
    # live: a reloaded rate reaches the sender; the admins hear when delivery stops and resumes
    on_delivery = delivery_notices(run.service.notify)
    sender = OutboxSender(engine, bot, run.service.live, clock=clock, sleep=asyncio.sleep, on_delivery=on_delivery)
    await bot.initialize()
    run.sender, run.sender_bot = sender, bot
    deps_of(app.bot_data).reply_hooks.append(sender.note_reply)
    run.sender_task = asyncio.create_task(sender.run(run.sender_stop), name="rasad-sender")
    run.sender_task.add_done_callback(lambda t: _sender_ended(t, run))


async def _start_pipeline(app: RasadApp, run: _Run, settings: Settings) -> None:
    """Start the shared service (feeds synced, config watched) and tick its PollJob on PTB's JobQueue."""
    assert run.service is not None and app.job_queue is not None
    service = run.service
    await service.start()
    poll_job = service.job
    job_queue = app.job_queue

    async def tick(_context: RasadContext) -> None:
        await poll_job()

    def schedule(seconds: float) -> None:
        replace_repeating(job_queue, tick, seconds)  # the new job first: a failed edit keeps the old one

    schedule(settings.polling.tick.total_seconds())
    service.on_tick_change = schedule
    # Start polling now: the JobQueue's first run comes a whole tick later (its start time is already past
    # when APScheduler computes it). The tick remains the loop's watchdog.
    await poll_job()


def _sender_ended(task: asyncio.Task[Any], run: _Run) -> None:
    if task.cancelled() or run.sender_stop.is_set():
        return
    exc = task.exception()
    if exc is not None:
        log.error("the outbox sender failed: %r", exc, exc_info=exc)
    run.fail("the outbox sender stopped unexpectedly")


async def _stop(app: RasadApp, run: _Run) -> None:
    """Stop in order within STOP_BUDGET: updates, then the poll cycle and the sender, then the application."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + STOP_BUDGET

    def left(cap: float) -> float:
        return max(0.1, min(cap, deadline - loop.time()))

    if app.updater is not None and app.updater.running:
        try:
            await asyncio.wait_for(app.updater.stop(), timeout=left(2.0))
        except (TimeoutError, TelegramError) as exc:
            log.warning("stopping the update poll: %r", exc)
    for job in app.job_queue.get_jobs_by_name("poll") if app.job_queue else ():
        job.schedule_removal()
    run.sender_stop.set()
    await asyncio.gather(_drain_poll(run, left(DRAIN_GRACE)), _drain_sender(run, left(DRAIN_GRACE)))
    if app.running:
        try:
            await asyncio.wait_for(app.stop(), timeout=left(3.0))
        except TimeoutError:
            log.warning("some updates were still being handled at shutdown")
    try:
        await asyncio.wait_for(app.shutdown(), timeout=left(2.0))
    except (TimeoutError, RuntimeError) as exc:
        log.warning("shutting the application down: %r", exc)


async def _drain_poll(run: _Run, grace: float) -> None:
    if run.service is not None:
        await run.service.stop(grace)


async def _drain_sender(run: _Run, grace: float) -> None:
    task = run.sender_task
    if task is not None and not task.done():
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=grace)
        except TimeoutError:
            log.warning("the outbox sender did not finish within %.0f s; cancelling it", grace)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        except Exception:
            pass  # already reported by _sender_ended
    if run.sender is not None:
        await asyncio.to_thread(run.sender.close)
    if run.sender_bot is not None:
        with contextlib.suppress(Exception):
            await run.sender_bot.shutdown()
