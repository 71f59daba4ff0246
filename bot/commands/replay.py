"""`rasad replay`: articles from a JSONL file through extraction and merge, in publication order."""

from __future__ import annotations

import argparse
import json
import sys

from bot.alerts.console import ConsolePrinter
from bot.config import DatabaseSettings
from bot.database import make_engine, upgrade
from bot.ops.replay import incidents_json, read_articles, replay


def run_replay(args: argparse.Namespace) -> int:
    """Validate the whole file first (every bad line reported, exit 2), then replay it."""
    articles, problems = read_articles(args.articles)
    if problems:
        print(f"{args.articles}: {len(problems)} problem(s)", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 2
    url = DatabaseSettings(url=args.db).url if args.db else "sqlite://"
    engine = make_engine(url)
    try:
        upgrade(engine)
        printer = None if args.json else ConsolePrinter(engine)
        ids = replay(engine, articles, printer=printer)
        if args.json:
            json.dump(incidents_json(engine, ids), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
    finally:
        engine.dispose()
    return 0
