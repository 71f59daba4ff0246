"""`rasad eval --replay`: the labelled articles through the whole pipeline, as `rasad replay` runs them
(oldest first, one transaction each, on a temporary SQLite file), then every stored incident read back as
the alert a subscriber receives.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.database import make_engine, upgrade
from bot.evaluation.gold import GoldArticle
from bot.evaluation.score import Predicted
from bot.incidents import store
from bot.incidents.ingest import NEWS_TZ
from bot.ops.replay import ReplayArticle, incidents_json, replay


def replay_article(gold: GoldArticle, text: str) -> ReplayArticle:
    """A labelled article as a replay line: published at midday in the region, its own outlet unless named."""
    return ReplayArticle(
        id=gold.id,
        url=gold.url or f"urn:rasad:eval:{gold.id}",
        title="",
        published=datetime.combine(gold.published, time(12), tzinfo=NEWS_TZ),
        text=text,
        source=gold.outlet or gold.id,
    )


def replay_alerts(articles: list[tuple[GoldArticle, str]]) -> list[Predicted]:
    """Replay the articles on a fresh temporary database and return one Predicted per stored incident."""
    with tempfile.TemporaryDirectory(prefix="rasad-eval-") as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'eval.db'}")
        try:
            upgrade(engine)
            ids = replay(engine, [replay_article(g, t) for g, t in articles])
            shown = incidents_json(engine, ids)["incidents"]
            with Session(engine) as s:
                evidence = {
                    inc["id"]: _evidence([r.extracted for _, r in store.incident_sources(s, int(inc["id"]))])
                    for inc in shown
                }
        finally:
            engine.dispose()
    return [alert_of(inc, evidence.get(inc["id"], ())) for inc in shown]


def alert_of(inc: dict[str, Any], evidence: tuple[str, ...] = ()) -> Predicted:
    """One incident of `rasad replay --json` as the scorer sees it."""
    base = inc.get("base")
    day = inc.get("date")
    fields = {k: inc.get(k) for k in ("country", "target_kind", "weapon", "count", "killed", "wounded", "claimed_by")}
    return Predicted(
        base=str(base["id"]) if isinstance(base, dict) and base.get("id") else "",
        country=inc.get("country"),
        date=date.fromisoformat(day) if isinstance(day, str) else None,
        weapon=str(inc.get("weapon") or "unknown"),
        fields=fields,
        evidence=evidence,
        ref=f"alert {inc.get('id')} (from {', '.join(str(r) for r in inc.get('reports', []))})",
    )


def _evidence(extracted: list[dict[str, Any]]) -> tuple[str, ...]:
    """The evidence sentences of the first report that quotes any."""
    for item in extracted:
        quotes = item.get("evidence")
        if isinstance(quotes, list) and quotes:
            return tuple(str(q) for q in quotes)
    return ()
