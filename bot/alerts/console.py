"""Terminal delivery: what `rasad run` without a token and `rasad poll --once` print for each event."""

from __future__ import annotations

import sys
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.alerts.render import Format, Lang, render_alert, render_update
from bot.alerts.views import view_of
from bot.incidents.decide import DecisionKind
from bot.incidents.ingest import Event
from bot.models import Article, Incident

RULE = "─" * 60


class ConsolePrinter:
    """Prints new incidents as full alerts, merges as one line, updates as the change."""

    def __init__(self, engine: Engine, out: TextIO | None = None) -> None:
        self.engine = engine
        self.out = out or sys.stdout

    def __call__(self, article_id: int, events: list[Event]) -> None:
        with Session(self.engine) as s:
            article = s.get(Article, article_id)
            source = (article.source or article.url) if article else f"article {article_id}"
            for ev in events:
                self.out.write(self.describe(s, ev, source) + "\n")
        self.out.flush()

    @staticmethod
    def describe(s: Session, ev: Event, source: str) -> str:
        """One event as terminal text."""
        if ev.incident_id is None:
            return f"· report ignored ({ev.reason.value}) from {source}"
        inc = s.get(Incident, ev.incident_id)
        if inc is None:
            return f"· incident #{ev.incident_id} is gone"
        view = view_of(s, inc)
        if ev.kind is DecisionKind.NEW:
            return f"{RULE}\nNEW INCIDENT #{inc.id}\n{render_alert(view, Lang.BOTH, Format.TEXT)}\n{RULE}"
        if ev.kind is DecisionKind.UPDATE:
            body = render_update(view, ev.changes, Lang.BOTH, Format.TEXT)
            return f"UPDATE #{inc.id} v{inc.version} ({source}):\n{body}"
        return f"· merged: {source} reports incident #{inc.id} ({len(view.sources)} sources)"
