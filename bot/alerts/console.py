"""Terminal delivery: what `rasad run` without a token and `rasad poll --once` print for each event."""

from __future__ import annotations

import sys
from functools import partial
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.alerts.render import Format, Lang, render_alert, render_update
from bot.alerts.views import view_of
from bot.database import run_db
from bot.incidents.decide import DecisionKind
from bot.incidents.ingest import Event
from bot.models import Article, Feed, IncidentRow
from bot.sample import SAMPLE_LABEL, is_sample

RULE = "─" * 60


class ConsolePrinter:
    """Prints new incidents as full alerts, merges as one line, updates as the change."""

    def __init__(self, engine: Engine, out: TextIO | None = None) -> None:
        self.engine = engine
        self.out = out or sys.stdout

    def __call__(self, article_id: int, events: list[Event]) -> None:
        """Print an article's events (blocking: for the shell commands outside an event loop, e.g. replay)."""
        with Session(self.engine) as s:
            text = self.texts(s, article_id, events)
        self.out.write(text)
        self.out.flush()

    async def deliver(self, article_id: int, events: list[Event]) -> None:
        """Print an article's events from the event loop (the pipeline's sink): the reading goes through run_db."""
        text = await run_db(self.engine, partial(self.texts, article_id=article_id, events=events))
        self.out.write(text)
        self.out.flush()

    @classmethod
    def texts(cls, s: Session, article_id: int, events: list[Event]) -> str:
        """An article's events as terminal text, one block each (a sample feed's labelled as a sample)."""
        article = s.get(Article, article_id)
        source = (article.source or article.url) if article else f"article {article_id}"
        feed = s.get(Feed, article.feed_id) if article and article.feed_id else None
        demo = feed is not None and (is_sample(feed.config_url) or is_sample(feed.url))
        out: list[str] = []
        for ev in events:
            text = cls.describe(s, ev, source)
            out.append((f"[{SAMPLE_LABEL}]\n{text}" if demo else text) + "\n")
        return "".join(out)

    @staticmethod
    def describe(s: Session, ev: Event, source: str) -> str:
        """One event as terminal text."""
        if ev.incident_id is None:
            return f"· report ignored ({ev.reason.value}) from {source}"
        inc = s.get(IncidentRow, ev.incident_id)
        if inc is None:
            return f"· incident #{ev.incident_id} is gone"
        view = view_of(s, inc)
        if ev.kind is DecisionKind.NEW:
            return f"{RULE}\nNEW INCIDENT #{inc.id}\n{render_alert(view, Lang.BOTH, Format.TEXT)}\n{RULE}"
        if ev.kind is DecisionKind.UPDATE:
            body = render_update(view, ev.changes, Lang.BOTH, Format.TEXT)
            return f"UPDATE #{inc.id} v{inc.version} ({source}):\n{body}"
        return f"· merged: {source} reports incident #{inc.id} ({len(view.sources)} sources)"
