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
from bot.incidents.status import Status, admits
from bot.ops.replay import ReplayArticle, incidents_json, replay

LEVELS: tuple[Status, ...] = (Status.CLAIMED, Status.REPORTED, Status.CORROBORATED, Status.CONFIRMED)
"""The levels a subscriber can choose, lowest first (`claimed` = any report with claims switched on)."""


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
    fields["status"] = inc.get("status")
    fields["levels"] = levels_reached(inc.get("ladder") or [])
    return Predicted(
        base=str(base["id"]) if isinstance(base, dict) and base.get("id") else "",
        country=inc.get("country"),
        date=date.fromisoformat(day) if isinstance(day, str) else None,
        weapon=str(inc.get("weapon") or "unknown"),
        fields=fields,
        evidence=evidence,
        ref=f"alert {inc.get('id')} (from {', '.join(str(r) for r in inc.get('reports', []))})",
    )


def levels_reached(rungs: list[dict[str, Any]]) -> tuple[str, ...]:
    """Every "alert me from" level at which a chat receives the incident, by the service's own rule
    (`admits`) over the ladder of `rasad replay --json` (a chat gets it once any rung admits it)."""
    return tuple(
        level.value
        for level in LEVELS
        if any(admits(r["status"], level.value, include_claims=level is Status.CLAIMED) for r in rungs)
    )


def by_level(alerts: list[Predicted]) -> dict[str, list[Predicted]]:
    """The alerts a subscriber at each level receives (claims on for `claimed`)."""
    return {
        level.value: [a for a in alerts if _reaches(a, level)] for level in LEVELS
    }


def _reaches(alert: Predicted, level: Status) -> bool:
    levels = alert.fields.get("levels")
    return isinstance(levels, tuple) and level.value in levels


def _evidence(extracted: list[dict[str, Any]]) -> tuple[str, ...]:
    """The evidence sentences of the first report that quotes any."""
    for item in extracted:
        quotes = item.get("evidence")
        if isinstance(quotes, list) and quotes:
            return tuple(str(q) for q in quotes)
    return ()
