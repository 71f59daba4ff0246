"""What operators see and change: feed health, config reload (file watch and SIGHUP), one-time alerts.

The config file is the single truth for feeds. `ConfigWatcher` re-reads it when it is saved (watchfiles)
or on SIGHUP, validates it completely, and only then swaps the live settings and calls `apply`; an
invalid file is logged key by key, reported to the admins, and the last good settings stay in force.
Feed health (`feed_overview`) joins the file with the database's fetch state for /feeds and
`rasad feeds list`; `report_disabled_feeds` tells the admins once about a feed disabled for failures.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import ConfigError, LiveSettings, Settings, channel_name, live_settings, load_settings
from bot.database import run_db
from bot.durations import format_duration
from bot.models import Feed, FeedItem, IncidentReport

__all__ = [
    "ConfigWatcher",
    "FeedStatus",
    "ReloadOutcome",
    "clear_feed_failures",
    "describe_changes",
    "feed_overview",
    "feed_state",
    "format_when",
    "report_disabled_feeds",
]

log = logging.getLogger("rasad.operators")

Notify = Callable[[str], Awaitable[None]]
Apply = Callable[[Settings], Awaitable[None]]
STATS_WINDOW = timedelta(days=7)
MAX_PROBLEMS_SHOWN = 20

# --- feed health -----------------------------------------------------------------------------------


def feed_state(
    *, in_config: bool, enabled: bool, disabled_reason: str | None, consecutive_errors: int, fetched: bool
) -> tuple[str, str]:
    """(kind, label) of a feed: removed / paused / disabled / failing / new / ok, first match wins.

    Paused comes before disabled: the operator's own choice in the file explains best why nothing
    is fetched, and resuming clears both.
    """
    if not in_config:
        return "removed", "removed"
    if not enabled:
        return "paused", "paused"
    if disabled_reason:
        return "disabled", f"disabled: {disabled_reason}"
    if consecutive_errors > 0:
        return "failing", f"failing {consecutive_errors}"
    if not fetched:
        return "new", "new"
    return "ok", "ok"


@dataclass(frozen=True)
class FeedStatus:
    """One line of /feeds and `rasad feeds list`."""

    name: str
    url: str
    kind: str
    label: str
    last_success_at: datetime | None = None
    next_check_at: datetime | None = None
    consecutive_errors: int = 0
    last_error: str | None = None
    articles_7d: int = 0
    incidents_7d: int = 0
    role: str = "news"  # "claimant": an armed group's channel, its posts read as claims

    @property
    def source_kind(self) -> str:
        """"channel" for a Telegram channel, "feed" for RSS/Atom (shown by /feeds and `rasad feeds list`)."""
        return "channel" if channel_name(self.url) is not None else "feed"


def _counts(session: Session, since: datetime) -> tuple[dict[int, int], dict[int, int]]:
    """Articles and incidents per feed id since `since`, via the items each feed carried."""
    articles = session.exec(
        select(FeedItem.feed_id, sa.func.count(sa.distinct(col(FeedItem.article_id))))
        .where(col(FeedItem.article_id).is_not(None), col(FeedItem.first_seen_at) >= since)
        .group_by(col(FeedItem.feed_id))
    ).all()
    incidents = session.exec(
        select(FeedItem.feed_id, sa.func.count(sa.distinct(col(IncidentReport.incident_id))))
        .join(IncidentReport, col(IncidentReport.article_id) == col(FeedItem.article_id))
        .where(col(IncidentReport.created_at) >= since)
        .group_by(col(FeedItem.feed_id))
    ).all()
    return {int(k): int(v) for k, v in articles}, {int(k): int(v) for k, v in incidents}


def feed_overview(session: Session | None, settings: Settings, now: datetime) -> list[FeedStatus]:
    """Every feed in the file (file order), then removed feeds still in the database; no session: file only.

    The file decides whether a feed exists and is enabled, even before the running service synced it.
    """
    rows: dict[str, Feed] = {}
    articles: dict[int, int] = {}
    incidents: dict[int, int] = {}
    if session is not None:
        rows = {f.name: f for f in session.exec(select(Feed).order_by(col(Feed.id))).all()}
        articles, incidents = _counts(session, now - STATS_WINDOW)
    out: list[FeedStatus] = []
    roles = {fs.name: fs.role for fs in settings.feeds}

    def status(name: str, url: str, in_config: bool, enabled: bool, row: Feed | None) -> FeedStatus:
        kind, label = feed_state(
            in_config=in_config,
            enabled=enabled,
            disabled_reason=row.disabled_reason if row else None,
            consecutive_errors=row.consecutive_errors if row else 0,
            fetched=row is not None and row.last_success_at is not None,
        )
        fid = row.id if row is not None and row.id is not None else -1
        return FeedStatus(
            name=name,
            url=url,
            kind=kind,
            label=label,
            last_success_at=row.last_success_at if row else None,
            next_check_at=row.next_check_at if row and kind in ("ok", "failing", "new") else None,
            consecutive_errors=row.consecutive_errors if row else 0,
            last_error=row.last_error if row else None,
            articles_7d=articles.get(fid, 0),
            incidents_7d=incidents.get(fid, 0),
            role=roles.get(name, "news"),
        )

    names = set()
    for fs in settings.feeds:
        names.add(fs.name)
        out.append(status(fs.name, fs.url, True, fs.enabled, rows.get(fs.name)))
    for name, row in rows.items():
        if name not in names:
            out.append(status(name, row.config_url or row.url, False, row.enabled, row))
    return out


def format_when(when: datetime | None, now: datetime) -> str:
    """A time as "5m ago" / "in 2m" / "never", short enough for a chat line."""
    if when is None:
        return "never"
    delta = when - now
    seconds = int(abs(delta.total_seconds()))
    if seconds < 60:
        return "now" if seconds < 5 else (f"in {seconds}s" if delta.total_seconds() > 0 else f"{seconds}s ago")
    text = format_duration(timedelta(seconds=seconds - seconds % 60 if seconds < 86400 else seconds - seconds % 3600))
    return f"in {text}" if delta.total_seconds() > 0 else f"{text} ago"


def clear_feed_failures(session: Session, name: str) -> bool:
    """Forget a feed's failures (resume): it is fetched at the next tick. True when there was any to clear."""
    row = session.exec(select(Feed).where(Feed.name == name)).first()
    if row is None:
        return False
    had = bool(row.disabled_reason) or row.consecutive_errors > 0
    row.disabled_reason = None
    row.disabled_notified = False
    row.consecutive_errors = 0
    row.last_error = None
    row.next_check_at = None
    session.add(row)
    return had


def disabled_message(name: str, reason: str) -> str:
    """The one-time admin alert for a feed disabled after repeated failures."""
    return (
        f"⚠️ Feed {name!r} was disabled after repeated failures.\n"
        f"Error: {reason}\n"
        f"Fix the feed (or its URL in the config file), then /resumefeed {name}"
    )


async def report_disabled_feeds(engine: Engine, notify: Notify) -> list[str]:
    """Tell the admins once about each feed disabled for failures; returns the names reported.

    A feed is marked notified only after `notify` returned, so a failed send is retried next time.
    """

    def pending(s: Session) -> list[tuple[int, str, str]]:
        rows = s.exec(
            select(Feed).where(
                col(Feed.disabled_reason).is_not(None), col(Feed.in_config), col(Feed.disabled_notified).is_(False)
            )
        ).all()
        return [(r.id or 0, r.name, r.disabled_reason or "") for r in rows]

    def mark(s: Session, feed_id: int, reason: str) -> None:
        row = s.get(Feed, feed_id)
        if row is not None and row.disabled_reason == reason:
            row.disabled_notified = True
            s.add(row)

    reported: list[str] = []
    for feed_id, name, reason in await run_db(engine, pending):
        try:
            await notify(disabled_message(name, reason))
        except Exception:
            log.exception("could not tell the admins that feed %s was disabled; will retry", name)
            break
        await run_db(engine, partial(mark, feed_id=feed_id, reason=reason))
        reported.append(name)
    return reported


# --- reload ----------------------------------------------------------------------------------------


def _restart_values(s: Settings) -> dict[str, str | None]:
    """Settings that only a restart applies (the engine, the HTTP listener, the bot's API server)."""
    return {
        "database.url": s.database.url,
        "http.listen": s.http.listen,
        "telegram.api_base_url": s.telegram.api_base_url,
    }


def describe_changes(old: Settings, new: Settings) -> list[str]:
    """One line per change an operator cares about, feeds first; [] when nothing changed."""
    lines: list[str] = []
    before = {f.name: f for f in old.feeds}
    after = {f.name: f for f in new.feeds}
    for name, f in after.items():
        was = before.get(name)
        if was is None:
            lines.append(f"feed added: {name}" + ("" if f.enabled else " (paused)"))
            continue
        if was.enabled != f.enabled:
            lines.append(f"feed {'resumed' if f.enabled else 'paused'}: {name}")
        if was.url != f.url:
            lines.append(f"feed {name}: url changed")
        if old.feed_interval(was) != new.feed_interval(f):
            lines.append(f"feed {name}: interval {format_duration(new.feed_interval(f))}")
        others = {k for k in ("lang", "max_age", "full_text") if getattr(was, k) != getattr(f, k)}
        if others:
            lines.append(f"feed {name}: {', '.join(sorted(others))} changed")
    lines += [f"feed removed: {name}" for name in before if name not in after]
    for section in ("telegram", "polling", "admin"):
        a, b = getattr(old, section), getattr(new, section)
        if a != b:
            keys = sorted(k for k in type(a).model_fields if getattr(a, k) != getattr(b, k))
            restart = {"api_base_url"} & set(keys) if section == "telegram" else set()
            if set(keys) - restart:
                lines.append(f"{section}: {', '.join(k for k in keys if k not in restart)} changed")
    restart_old, restart_new = _restart_values(old), _restart_values(new)
    for key, value in restart_new.items():
        if restart_old[key] != value:
            lines.append(f"{key} changed: takes effect after a restart")
    return lines


@dataclass(frozen=True)
class ReloadOutcome:
    """What a reload did: applied changes, nothing to do, or the problems that kept the old settings."""

    ok: bool
    changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    source: str = ""

    def text(self) -> str:
        """A reply for /reload and the log."""
        if not self.ok:
            shown = self.problems[:MAX_PROBLEMS_SHOWN]
            more = len(self.problems) - len(shown)
            lines = [f"Config NOT applied ({self.source}): {len(self.problems)} problem(s):", *shown]
            if more:
                lines.append(f"… and {more} more")
            lines.append("The last good configuration stays in force.")
            return "\n".join(lines)
        if not self.changes:
            return f"Config reloaded ({self.source}): no changes."
        return "\n".join([f"Config applied ({self.source}):", *(f"• {c}" for c in self.changes)])


class ConfigWatcher:
    """Holds the last good settings; reloads on file saves (watchfiles) and SIGHUP; reports bad edits.

    `apply(settings)` is awaited with every new valid configuration (the runner re-syncs the feeds);
    `notify_admins(text)` gets the problems of a rejected edit (once per distinct set of problems) and
    the news that the file is good again.
    """

    def __init__(
        self,
        path: Path | None,
        settings: Settings | LiveSettings,
        *,
        apply: Apply,
        notify_admins: Notify,
        debounce_ms: int = 500,
        force_polling: bool | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.live = live_settings(settings)
        self._apply = apply
        self._notify = notify_admins
        self._debounce_ms = debounce_ms
        self._force_polling = force_polling
        self._lock = asyncio.Lock()
        self._last_problems: list[str] | None = None
        self._stop = asyncio.Event()
        self._tasks: set[asyncio.Task[object]] = set()
        self._sighup = False
        self.reloads = 0
        """Reload attempts finished (any outcome); lets tests and /healthz-style checks see progress."""
        self.watching = asyncio.Event()
        """Set once the file watcher is running (tests wait for it before editing the file)."""

    @property
    def settings(self) -> Settings:
        """The configuration in force: the last one that validated and applied."""
        return self.live()

    async def reload(self, reason: str = "manual", *, notify: bool = True) -> ReloadOutcome:
        """Load and validate the file; apply it when valid and different. Never raises for a bad file."""
        async with self._lock:
            try:
                return await self._reload(reason, notify)
            finally:
                self.reloads += 1

    async def _reload(self, reason: str, notify: bool) -> ReloadOutcome:
        if self.path is None:
            return ReloadOutcome(ok=False, problems=["no config file: Rasad runs on its built-in defaults"])
        source = str(self.path)
        try:
            new = await asyncio.to_thread(load_settings, self.path)
        except ConfigError as exc:
            outcome = ReloadOutcome(ok=False, problems=list(exc.problems), source=source)
            log.error("config reload (%s) rejected: %s has %d problem(s)", reason, source, len(exc.problems))
            for problem in exc.problems:
                log.error("  %s", problem)
            if notify and exc.problems != self._last_problems:
                await self._safe_notify(outcome.text())
                self._last_problems = list(exc.problems)
            return outcome
        recovered = self._last_problems is not None
        self._last_problems = None
        current = self.live()
        changes = describe_changes(current, new)
        if new == current:
            if recovered and notify:
                await self._safe_notify(f"Config file {source} is valid again; nothing changed.")
            return ReloadOutcome(ok=True, source=source)
        self.live.swap(new)  # in force for everyone before `apply` runs (the poller syncs feeds from it)
        try:
            await self._apply(new)
        except Exception as exc:
            self.live.swap(current)
            log.exception("config reload (%s): applying the new settings failed", reason)
            problem = f"applying the new settings failed: {type(exc).__name__}: {exc}"
            if notify:
                await self._safe_notify(f"Config NOT applied ({source}): {problem}")
            return ReloadOutcome(ok=False, problems=[problem], source=source)
        log.info("config reload (%s): applied %s", reason, "; ".join(changes) or "changes")
        if recovered and notify:
            await self._safe_notify("\n".join([f"Config file {source} is valid again and applied.", *changes]))
        return ReloadOutcome(ok=True, changes=changes, source=source)

    async def _safe_notify(self, text: str) -> None:
        try:
            await self._notify(text)
        except Exception:
            log.exception("could not notify the admins")

    # --- triggers ---------------------------------------------------------------------------------

    def install_sighup(self) -> bool:
        """Reload on SIGHUP (the loop's signal handler); False where signals cannot be handled."""
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._on_sighup)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            return False
        self._sighup = True
        return True

    def _on_sighup(self) -> None:
        log.info("SIGHUP: reloading the config")
        task: asyncio.Task[object] = asyncio.get_running_loop().create_task(self.reload("SIGHUP"))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self) -> None:
        """Watch the file until `stop()`; saves are applied when admin.watch_config is on (checked each time)."""
        if self.path is None:
            self.watching.set()
            await self._stop.wait()
            return
        from watchfiles import awatch

        target = self.path.resolve()
        folder = target.parent

        def only_our_file(_change: object, changed: str) -> bool:
            return Path(changed).name == target.name

        log.info("watching %s for changes", target)
        while not self._stop.is_set():
            try:
                watcher = awatch(
                    folder,
                    watch_filter=only_our_file,
                    debounce=self._debounce_ms,
                    step=50,
                    stop_event=self._stop,
                    recursive=False,
                    force_polling=self._force_polling,
                    poll_delay_ms=100,
                    rust_timeout=1000,
                    yield_on_timeout=True,
                )
                async for changes in watcher:
                    self.watching.set()
                    if not changes:
                        continue
                    if not self.live().admin.watch_config:
                        log.info("%s changed; admin.watch_config is off, send SIGHUP or /reload to apply", target)
                        continue
                    await self.reload("file saved")
            except Exception:
                if self._stop.is_set():
                    break
                log.exception("config file watcher failed; restarting it")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=5)

    async def stop(self) -> None:
        """Stop watching, drop the SIGHUP handler and wait for reloads in flight."""
        self._stop.set()
        if self._sighup:
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
            self._sighup = False
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def summarize(statuses: Sequence[FeedStatus]) -> dict[str, int]:
    """How many feeds are in each state (for the /feeds header and metrics)."""
    out: dict[str, int] = {}
    for st in statuses:
        out[st.kind] = out.get(st.kind, 0) + 1
    return out
