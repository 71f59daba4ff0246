"""`rasad extract`: one article (plain text, first line may be the title) → the attacks it reports."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.clock import utc_now
from bot.incidents.ingest import NEWS_TZ
from extractor import extract
from extractor.explanation import ExtractionError, explain_all, format_traces
from extractor.serialize import format_summary, incident_to_dict


def read_article(source: str) -> str:
    """The article text from a file or standard input (undecodable bytes replaced, never a crash)."""
    if source == "-":
        return sys.stdin.buffer.read().decode("utf-8", "replace")
    return Path(source).read_bytes().decode("utf-8", "replace")


def run_extract(args: argparse.Namespace) -> int:
    """Print the incidents as JSON (`--json`) or as an English summary; exit 0 when none are found too."""
    try:
        published = date.fromisoformat(args.published) if args.published else utc_now().astimezone(NEWS_TZ).date()
    except ValueError:
        print(f"rasad extract: --published {args.published!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return 2
    try:
        text = read_article(args.file)
    except OSError as exc:
        print(f"rasad extract: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    title, _, body = text.partition("\n")
    # The first line is taken as the title when it looks like one (short, no sentence end); else all is body.
    if body.strip() and len(title) <= 200 and not title.rstrip().endswith((".", "。", "؟", "!")):
        text, heading = body, title.strip() or None
    else:
        heading = None
    if args.explain:
        return _explain(text, published, heading)
    incidents = extract(text, published, heading)
    if args.json:
        json.dump({"incidents": [incident_to_dict(i) for i in incidents]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_summary(incidents) + "\n")
    return 0


def _explain(text: str, published: date, title: str | None) -> int:
    """`--explain`: every clause read, the rules fired on it in order and the outcome; a crash is shown with
    the trace up to it (exit 1)."""
    try:
        ex = explain_all(text, published, title)
    except ExtractionError as err:
        sys.stdout.write(format_traces(err.trace, [], all_sentences=True) + "\n")
        print(f"rasad extract: the reader failed in {err.where} (sentence {err.sentence}): {err.__cause__!r}",
              file=sys.stderr)
        return 1
    sys.stdout.write(format_traces(ex.clauses, ex.incidents, scored=ex.scored) + "\n")
    return 0
