"""`rasad stats --png FILE`: the /stats chart (incidents per week for 26 weeks by country, and by weapon)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sqlmodel import Session

from bot.clock import utc_now
from bot.config import Settings
from bot.database import make_engine, upgrade
from bot.exits import EXIT_OK
from bot.incidents.ingest import NEWS_TZ
from bot.ops.charts import caption, load_chart_data, render_png


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Render the chart for the weeks up to today (the region's calendar) and print its caption."""
    today = utc_now().astimezone(NEWS_TZ).date()
    engine = make_engine(args.db or settings.database.url)
    try:
        upgrade(engine)
        with Session(engine) as session:
            data = load_chart_data(session, today)
    finally:
        engine.dispose()
    png = render_png(data, today=today)
    target = Path(args.png)
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_bytes(png)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    print(caption(data))
    print(f"wrote {target} ({len(png)} bytes)", file=sys.stderr)
    return EXIT_OK
