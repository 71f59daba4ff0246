"""`rasad feeds list|add|remove|pause|resume`: the CLI twin of the admin commands, on the same file.

Edits go through bot.ops.configfile.edit_config (same validation as a start-up, atomic write, comments
kept); a running Rasad picks them up through its config watcher (or SIGHUP). The operator owns the
machine, so `add` may use private addresses and file: feeds; other schemes are still refused.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session
from tomlkit.toml_document import TOMLDocument

from bot.clock import utc_now
from bot.config import ConfigError, Settings, channel_name, default_config_path, load_settings, normalise_feed_url
from bot.database import make_engine
from bot.durations import format_duration
from bot.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from bot.feeds.feedcheck import check_feed
from bot.incidents.poller import poller_limits
from bot.ops.configfile import FeedEditError, add_feed, default_name, edit_config, remove_feed, set_enabled
from bot.ops.operators import FeedStatus, clear_feed_failures, feed_overview, format_when

T = TypeVar("T")
APPLY_NOTE = "A running Rasad applies it within seconds (or on SIGHUP)."


class _Usage(Exception):
    """Bad input: printed as is, exit 2."""


def run_feeds(args: argparse.Namespace) -> int:
    """Dispatch `rasad feeds ACTION`; bad input exits 2 with one clear line, never a traceback."""
    try:
        action = args.feeds_command
        if action == "list":
            return _list(args)
        path = _config_to_edit(args)
        if action == "add":
            return _add(args, path)
        if action == "remove":
            name = _edit(path, lambda doc: remove_feed(doc, args.name))
            print(f"removed feed {name!r} from {path}; its articles and incidents stay stored. {APPLY_NOTE}")
            return EXIT_OK
        if action == "pause":
            name, changed = _edit(path, lambda doc: set_enabled(doc, args.name, False))
            print(f"paused feed {name!r} in {path}. {APPLY_NOTE}" if changed else f"feed {name!r} is already paused")
            return EXIT_OK
        if action == "resume":
            return _resume(args, path)
        raise _Usage(f"unknown action {action!r}")
    except (_Usage, FeedEditError) as exc:
        print(f"rasad feeds: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_USAGE


def _config_to_edit(args: argparse.Namespace) -> Path:
    chosen = Path(args.config) if getattr(args, "config", None) else default_config_path()
    if chosen is None:
        raise _Usage("no config file to edit: pass --config FILE (Rasad is running on its built-in defaults)")
    if not chosen.is_file():
        raise _Usage(f"no config file at {chosen}")
    return chosen


def _edit(path: Path, mutate: Callable[[TOMLDocument], T]) -> T:
    """edit_config, handing back what the mutation returned (the feed's name as written)."""
    box: list[T] = []
    edit_config(path, lambda doc: box.append(mutate(doc)))
    return box[0]


def backlog_note(
    published: Sequence[datetime | None] | None, *, now: datetime, max_age: timedelta | None, backlog: bool,
    tick: timedelta,
) -> str:
    """What happens to a new feed, in one sentence: when it is polled, and which of its items may alert.

    `published` holds the dates of the items it has now (None when it was not checked). At the first fetch an
    undated item counts as old; with backlog off nothing there alerts.
    """
    when = f"polled within {format_duration(tick)} once a running Rasad has read the file"
    if published is None:
        return f"{when}; not checked, so its existing items are unknown"
    n = len(published)
    if n == 0:
        return f"{when}; it has no items yet: the first ones to appear may alert"
    if not backlog:
        return f"{when}; --backlog skip: none of its {n} existing item(s) will alert, only items that appear later"
    if max_age is None:
        return f"{when}; max_age is 0 (off): its {n} dated item(s) may alert, whatever their age"
    fresh = sum(1 for p in published if p is not None and timedelta(0) <= now - p <= max_age)
    old = n - fresh
    age = format_duration(max_age)
    if fresh == 0:
        return f"{when}; its {n} existing item(s) are older than max_age {age} (or undated) and will not alert"
    return (
        f"{when}; of its {n} existing item(s), {fresh} are newer than max_age {age} and may alert, "
        f"{old} are older (or undated) and will not"
    )


def _add(args: argparse.Namespace, path: Path) -> int:
    settings = load_settings(path)
    url = str(args.url).strip()
    title = ""
    published: tuple[datetime | None, ...] | None = None
    if not args.no_check:
        try:  # the URL forms the config accepts: a relative file: path is relative to the config file's folder
            checked_url = url if channel_name(url) else normalise_feed_url(url, base_dir=path.parent)
        except ValueError:
            checked_url = url  # the check says what is wrong with it
        check = asyncio.run(
            check_feed(
                checked_url,
                limits=poller_limits(settings),
                allow_private=True,
                allow_file=True,
                now=utc_now(),
                channel_base=settings.channels.preview_base_url,
            )
        )
        if not check.ok:
            print(f"rasad feeds add: {url} was not added: {check.error}", file=sys.stderr)
            return EXIT_FAILED
        title = check.title
        published = check.published
        print(f"checked: {check.title or '(untitled)'}, {check.items} item(s)")
    given = (getattr(args, "name_option", None) or args.name or "").strip()
    name = given or default_name(title, url, (f.name for f in settings.feeds))
    role = getattr(args, "role", None) or "news"
    backlog = getattr(args, "backlog", "alert") != "skip"
    edit_config(path, lambda doc: add_feed(doc, name, url, args.lang, role=role, backlog=backlog))
    kind = "Telegram channel" if channel_name(url) else "feed"
    shown = f"{args.lang}, role {role}" if role != "news" else args.lang
    print(f"added {kind} {name!r} ({shown}) to {path}. {APPLY_NOTE}")
    feed = next((f for f in load_settings(path).feeds if f.name == name), None)
    note = backlog_note(
        published, now=utc_now(), max_age=load_settings(path).feed_max_age(feed), backlog=backlog,
        tick=settings.polling.tick,
    )
    print(f"It will be {note}.")
    return EXIT_OK


def _resume(args: argparse.Namespace, path: Path) -> int:
    name, changed = _edit(path, lambda doc: set_enabled(doc, args.name, True))
    settings = load_settings(path)
    engine = _open_existing(settings.database.url)
    cleared = False
    if engine is not None:
        try:
            with Session(engine) as s:
                cleared = clear_feed_failures(s, name)
                s.commit()
        finally:
            engine.dispose()
    if changed or cleared:
        done = [w for w, yes in (("re-enabled in the file", changed), ("failure count cleared", cleared)) if yes]
        print(f"resumed feed {name!r}: {', '.join(done)}. {APPLY_NOTE if changed else ''}".rstrip())
    else:
        print(f"feed {name!r} was not paused or disabled; nothing to do")
    return EXIT_OK


def _open_existing(url: str) -> Engine | None:
    """An engine for a database that already has Rasad's tables; None when there is none yet.

    `feeds list` must not create an empty SQLite file as a side effect of looking.
    """
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        database = u.database or ""
        if database in ("", ":memory:") or not Path(database).expanduser().is_file():
            return None
    engine = make_engine(url)
    try:
        if sa.inspect(engine).has_table("feed"):
            return engine
    except Exception:
        pass
    engine.dispose()
    return None


def _list(args: argparse.Namespace) -> int:
    chosen = Path(args.config) if getattr(args, "config", None) else default_config_path()
    settings = load_settings(chosen) if chosen else Settings()
    url = getattr(args, "db", None) or settings.database.url
    engine = _open_existing(url)
    now = utc_now()
    if engine is None:
        statuses = feed_overview(None, settings, now)
        note = "(no database yet: fetch state unknown)"
    else:
        try:
            with Session(engine) as s:
                statuses = feed_overview(s, settings, now)
        finally:
            engine.dispose()
        note = ""
    print(f"{chosen or 'built-in defaults'}: {len(statuses)} feed(s) {note}".rstrip())
    print(format_table(statuses, now))
    return EXIT_OK


def format_table(statuses: Sequence[FeedStatus], now: datetime) -> str:
    """Fixed-width columns, last error last (it is the long one)."""
    header = ("NAME", "STATE", "LAST SUCCESS", "NEXT CHECK", "ERRORS", "ART 7D", "INC 7D", "LAST ERROR")
    rows = [
        (
            s.name + (f" [{s.source_kind}, {s.role}]" if s.source_kind == "channel" or s.role != "news" else ""),
            s.label if s.kind != "disabled" else "disabled",
            format_when(s.last_success_at, now),
            format_when(s.next_check_at, now) if s.next_check_at else ("due" if s.kind in ("new", "ok") else "-"),
            str(s.consecutive_errors),
            str(s.articles_7d),
            str(s.incidents_7d),
            (s.label.removeprefix("disabled: ") if s.kind == "disabled" else s.last_error or "-")[:120],
        )
        for s in statuses
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for r in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, r[-1]]).rstrip())
    return "\n".join(lines)
