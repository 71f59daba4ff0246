"""The `rasad` command: argument parsing and dispatch only; the work lives in the modules it calls."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import __version__
from bot.config import ConfigError, Settings, default_config_path, load_settings
from bot.exits import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from bot.sample import describe_feeds

log = logging.getLogger("rasad")



def _settings(path: str | None) -> tuple[Settings, str]:
    """Load the given config, else config.example.toml in the working folder, else the embedded defaults."""
    chosen = Path(path) if path else default_config_path()
    return load_settings(chosen), (str(chosen) if chosen else "embedded defaults")


def cmd_check_config(args: argparse.Namespace) -> int:
    settings, source = _settings(args.file)
    print(f"{source}: OK ({describe_feeds(settings)}; database {settings.database.url})")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from bot.runner import run

    settings, source = _settings(args.config)
    return run(settings, source=source, config_path=args.config or default_config_path())


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.database import describe_url, make_engine, upgrade

    settings, _ = _settings(args.config)
    url = args.db or settings.database.url
    engine = make_engine(url)
    try:
        applied = upgrade(engine)
    finally:
        engine.dispose()
    if applied:
        print(f"{describe_url(url)}: applied {', '.join(applied)}")
    else:
        print(f"{describe_url(url)}: already up to date")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from bot.commands.extract import run_extract

    return run_extract(args)


def cmd_poll(args: argparse.Namespace) -> int:
    from bot.commands.poll import run_poll

    settings, source = _settings(args.config)
    return run_poll(settings, source=source, once=args.once)


def cmd_replay(args: argparse.Namespace) -> int:
    from bot.commands.replay import run_replay

    return run_replay(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.commands.eval import run_eval

    return run_eval(args)


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    from bot.commands.outbox import run_outbox_retry

    settings, _ = _settings(args.config)
    if args.db:
        settings = settings.model_copy(update={"database": settings.database.model_copy(update={"url": args.db})})
    return run_outbox_retry(settings, chat_id=args.chat)


def cmd_feeds(args: argparse.Namespace) -> int:
    from bot.commands.feeds import run_feeds

    return run_feeds(args)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.commands.export import run_export

    settings, _ = _settings(args.config)
    return run_export(args, settings)


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.commands.stats import run_stats

    settings, _ = _settings(args.config)
    return run_stats(args, settings)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree, with --help on every level."""
    parser = argparse.ArgumentParser(
        prog="rasad",
        description="Rasad watches Arabic news feeds for attacks on US and coalition bases and sends alerts.",
    )
    parser.add_argument("--version", action="version", version=f"rasad {__version__}")
    parser.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="how much to log (default INFO)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log-level",
        default=argparse.SUPPRESS,
        type=str.upper,
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="how much to log (default INFO)",
    )

    p = sub.add_parser("run", parents=[common], help="run the bot and the feed pipeline until stopped")
    p.add_argument("--config", metavar="FILE", help="config file (default: ./config.example.toml, else built-ins)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check-config", parents=[common], help="validate a config file and list every problem")
    p.add_argument("file", nargs="?", metavar="FILE", help="config file (default as for run)")
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("db", parents=[common], help="database maintenance")
    dbsub = p.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", parents=[common], help="apply pending schema migrations")
    q.add_argument("--config", metavar="FILE", help="config file naming the database")
    q.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    q.set_defaults(func=cmd_db_upgrade)

    p = sub.add_parser("outbox", parents=[common], help="the alerts waiting for Telegram")
    osub = p.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    q = osub.add_parser("retry", parents=[common], help="queue the dead (given-up) alerts again")
    q.add_argument("--config", metavar="FILE", help="config file naming the database")
    q.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    q.add_argument("--chat", type=int, metavar="CHAT_ID", help="only this chat's rows")
    q.set_defaults(func=cmd_outbox_retry)

    p = sub.add_parser("extract", parents=[common], help="extract attacks from one article (plain text)")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--explain", action="store_true", help="print each clause, the rules fired on it and the outcome")
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="article text file, or - for stdin")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("poll", parents=[common], help="poll the configured feeds")
    p.add_argument("--once", action="store_true", help="run one full cycle and exit")
    p.add_argument("--config", metavar="FILE", help="config file")
    p.set_defaults(func=cmd_poll)

    p = sub.add_parser("replay", parents=[common], help="run articles from a JSONL file through extraction and merge")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--db", metavar="URL", help="database URL (default: in-memory SQLite)")
    p.add_argument("articles", metavar="ARTICLES.jsonl", help="one JSON article per line")
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("eval", parents=[common], help="score the extractor on labelled articles (gold.jsonl)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="print each miss and false report with its evidence")
    p.add_argument("--replay", action="store_true", help="also score the alerts of a replay through the pipeline")
    p.add_argument("--split", metavar="NAME", help="score only the articles whose 'split' is NAME (dev, blind ...)")
    p.add_argument(
        "--sources", metavar="MANIFEST.jsonl",
        help="each article's url and outlet (default: sources.jsonl beside the gold file or one folder up)",
    )
    p.add_argument("gold", metavar="GOLD.jsonl", nargs="+",
                   help="labels, one article per line (shared/corpus/README.md); several files are scored together")
    p.add_argument("texts", metavar="TEXTS_DIR", help="folder holding <id>.txt for each article")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("feeds", parents=[common], help="list and edit the feeds in the config file")
    p.add_argument("--config", metavar="FILE", help="config file to read and edit")
    fsub = p.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    q = fsub.add_parser("list", parents=[common], help="each feed with its health")
    q.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    q = fsub.add_parser("add", parents=[common], help="add a feed (checks that it parses)")
    q.add_argument("url", help="http(s) URL, file: path (relative to the config file's folder), t.me/NAME or tg:NAME")
    q.add_argument("name", nargs="?")
    q.add_argument("--name", dest="name_option", metavar="NAME", help="the feed's name (default: its title)")
    q.add_argument("--lang", choices=["ar", "en"], default="ar", help="the language of its articles (default ar)")
    q.add_argument(
        "--backlog", choices=["alert", "skip"], default="alert",
        help="the items it already has: alert (those newer than max_age may alert; the default) or skip (none does)",
    )
    q.add_argument("--no-check", action="store_true", help="do not fetch it first")
    q.add_argument(
        "--role", choices=["news", "claimant"], default="news", help="claimant: an armed group's channel (claims)"
    )
    for action, text in (("remove", "remove a feed"), ("pause", "disable a feed"), ("resume", "re-enable a feed")):
        q = fsub.add_parser(action, parents=[common], help=text)
        q.add_argument("name")
    p.set_defaults(func=cmd_feeds)

    p = sub.add_parser("export", parents=[common], help="write the stored incidents as CSV, GeoJSON or JSON")
    p.add_argument("--format", choices=["csv", "geojson", "json"], default="csv", help="file format (default csv)")
    p.add_argument("--since", metavar="DATE", help="first day, YYYY-MM-DD (the attack's date)")
    p.add_argument("--until", metavar="DATE", help="last day, YYYY-MM-DD")
    p.add_argument("--country", metavar="C", help="one country: iraq, syria, jordan, ...")
    p.add_argument("--status", metavar="S", help="one status (where the incident records one)")
    p.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument("--config", metavar="FILE", help="config file naming the database (as for run)")
    p.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", parents=[common], help="draw the weekly chart (26 weeks, by country and weapon)")
    p.add_argument("--png", metavar="FILE", required=True, help="PNG file to write")
    p.add_argument("--config", metavar="FILE", help="config file naming the database (as for run)")
    p.add_argument("--db", metavar="URL", help="database URL (overrides the config)")
    p.set_defaults(func=cmd_stats)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rasad` command; exits 2 with a clear message on bad input, never a traceback."""
    from bot.ops.logsetup import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.log_level)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return func(args)
    except ConfigError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from bot.startup import startup_problem

        line = startup_problem(exc)
        if line is None:
            raise
        print(f"rasad {args.command}: {line}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
