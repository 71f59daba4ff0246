"""Replaying articles through extraction and merge, in publication order, on a given database.

Shared by `rasad replay` and `rasad eval --replay`, so both read stored incidents the same way.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.alerts.console import ConsolePrinter
from bot.alerts.render import Format, Lang, render_alert
from bot.alerts.views import place_of, view_of
from bot.config import PollingSettings
from bot.incidents import store
from bot.incidents.ingest import NEWS_TZ, ArticleIn, ingest_article
from bot.incidents.status import Status, attributions, ladder
from bot.models import IncidentRow


@dataclass(frozen=True)
class ReplayArticle:
    """One line of the replay file, validated."""

    id: str
    url: str
    title: str
    published: datetime
    text: str
    source: str | None


def parse_published(value: object) -> datetime:
    """ISO date (taken as midday in the region) or datetime (UTC when it has no zone)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("published must be an ISO date or datetime string")
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(12), tzinfo=NEWS_TZ)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"published: {text!r} is not an ISO date or datetime") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=NEWS_TZ)


def read_articles(path: str) -> tuple[list[ReplayArticle], list[str]]:
    """Every valid line, and a message for every invalid one (line numbers from 1)."""
    try:
        raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}: cannot read: {exc}"]
    articles: list[ReplayArticle] = []
    problems: list[str] = []
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            if not isinstance(obj, dict):
                raise ValueError("not a JSON object")
            articles.append(_article(obj))
        except (ValueError, KeyError) as exc:
            problems.append(f"line {n}: {exc}")
    return articles, problems


def _article(obj: dict[str, Any]) -> ReplayArticle:
    for key in ("id", "text", "published"):
        if key not in obj:
            raise ValueError(f"missing {key!r}")
    text = obj["text"]
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    return ReplayArticle(
        id=str(obj["id"]),
        url=str(obj.get("url") or f"urn:rasad:{obj['id']}"),
        title=str(obj.get("title") or ""),
        published=parse_published(obj["published"]),
        text=text,
        source=str(obj["source"]) if obj.get("source") else None,
    )


def replay(
    engine: Engine,
    articles: list[ReplayArticle],
    *,
    printer: ConsolePrinter | None = None,
    max_km: float | None = None,
) -> dict[int, str]:
    """Ingest articles oldest first, one transaction each; returns stored article id → replay id."""
    ids: dict[int, str] = {}
    km = PollingSettings().merge_distance_km if max_km is None else max_km
    for art in sorted(articles, key=lambda a: (a.published, a.id)):
        identity = hashlib.sha256(f"replay:{art.id}".encode()).hexdigest()
        item = ArticleIn(
            url=art.url,
            title=art.title,
            text=art.text,
            published=art.published,
            identity=identity,
            source=art.source or _host(art.url),
        )
        with Session(engine, expire_on_commit=False) as s:
            res = ingest_article(s, item, now=art.published, alert=True, max_km=km)
            s.commit()
        if res.article_id is not None and not res.duplicate:
            ids[res.article_id] = art.id
            if printer and res.events:
                printer(res.article_id, res.events)
    return ids


def incidents_json(engine: Engine, ids: dict[int, str]) -> dict[str, Any]:
    """The scripted JSON shape of every stored incident."""
    out: list[dict[str, Any]] = []
    with Session(engine) as s:
        for inc in s.exec(select(IncidentRow).order_by(col(IncidentRow.id))).all():
            view = view_of(s, inc)
            reports = [ids.get(a.id or 0, str(a.id)) for a, _ in store.incident_sources(s, inc.id or 0)]
            place = place_of(inc)
            stored = store.incident_reports(s, inc.id or 0)
            rungs = ladder(stored)
            out.append(
                {
                    "id": inc.id,
                    "base": asdict(place) if place else None,
                    "country": inc.country,
                    "province": inc.province_en,
                    "target_kind": inc.target_kind,
                    "date": inc.date.isoformat() if inc.date else None,
                    "weapon": inc.weapon,
                    "count": inc.count,
                    "killed": inc.killed,
                    "wounded": inc.wounded,
                    "claimed_by": inc.claimed_by,
                    "version": inc.version,
                    "reports": reports,
                    "sources": [src.url for src in view.sources],
                    "status": rungs[-1].status.value if rungs else Status.REPORTED.value,
                    "ladder": [{"status": r.status.value, "at": r.at.isoformat()} for r in rungs],
                    "attributions": [
                        {"name": name, "kind": kind.value}
                        for name, kind in attributions(stored)
                    ],
                    "alert": {
                        "ar": render_alert(view, Lang.AR, Format.TEXT),
                        "en": render_alert(view, Lang.EN, Format.TEXT),
                    },
                }
            )
    return {"incidents": out}


def _host(url: str) -> str | None:
    return urlsplit(url).hostname or None
