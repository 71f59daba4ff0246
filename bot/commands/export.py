"""`rasad export`: the stored incidents as CSV, GeoJSON or JSON, to a file or standard output, streamed.

A file is written beside its final name and renamed when complete, so a reader never sees half an export.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.database import make_engine, upgrade
from bot.exits import EXIT_OK, EXIT_USAGE
from bot.ops.export import Batches, Encoder, ExportQuery, GeoJsonEncoder, encoder_for


def _day(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{flag} must be a date as YYYY-MM-DD, not {value!r}") from None


def query_of(args: argparse.Namespace) -> ExportQuery:
    """The filters given on the command line; ValueError says what is wrong with them."""
    since, until = _day(args.since, "--since"), _day(args.until, "--until")
    if since and until and since > until:
        raise ValueError("--since is after --until")
    country = args.country.strip().lower() if args.country else None
    return ExportQuery(since=since, until=until, country=country, status=args.status or None)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the export; report how many incidents went in (and, for GeoJSON, how many had no coordinates)."""
    try:
        query = query_of(args)
    except ValueError as exc:
        print(f"rasad export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    engine = make_engine(args.db or settings.database.url)
    try:
        upgrade(engine)
        if args.out:
            target = Path(args.out)
            partial = target.with_name(target.name + ".partial")
            try:
                with partial.open("wb") as out:
                    written, encoder = _write(engine, query, args.format, out)
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
            where = str(target)
        else:
            try:
                written, encoder = _write(engine, query, args.format, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            except BrokenPipeError:  # `rasad export | head`: the reader has what it wanted
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                return EXIT_OK
            where = "standard output"
    finally:
        engine.dispose()
    note = f"{written} incident(s) exported as {args.format} to {where}"
    if isinstance(encoder, GeoJsonEncoder):
        note += f"; {encoder.without_coordinates} without coordinates left out of the GeoJSON"
    print(note, file=sys.stderr)
    return EXIT_OK


def _write(engine: Engine, query: ExportQuery, fmt: str, out: BinaryIO) -> tuple[int, Encoder]:
    encoder = encoder_for(fmt)
    out.write(encoder.head().encode("utf-8"))
    written = 0
    for records in Batches(engine, query):
        out.write(encoder.rows(records).encode("utf-8"))
        written += len(records)
    out.write(encoder.tail().encode("utf-8"))
    return written, encoder
