"""Made-up incidents at real gazetteer bases, stored as the pipeline stores them (incident, article, report).

For the export, chart and map tests, the 100,000-incident benchmark and the README's pictures. Every
text here is invented (outlet names "Outlet A" …, example.org links); no sentence of a real article.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.models import Article, IncidentReport, IncidentRow
from extractor.gazetteer import gazetteer

WEAPONS = ("rocket", "drone", "drone", "rocket", "mortar", "missile", "ied", "unknown", "mixed")
CLAIMANTS = (None, None, None, "Islamic Resistance in Iraq", "المقاومة الإسلامية في العراق")


@dataclass(frozen=True)
class Sample:
    """What one made-up incident looks like before it is stored."""

    day: date
    base_id: str | None
    weapon: str
    count: int | None
    killed: int | None
    wounded: int | None
    claimed_by: str | None
    sources: int


def samples(n: int, *, today: date, days: int = 182, seed: int = 16, without_place: float = 0.05) -> Iterator[Sample]:
    """n incidents spread over the `days` before `today`, tempo rising towards the end, a few without a place."""
    rng = random.Random(seed)
    places = [p for p in gazetteer().ids() if (pl := gazetteer().get(p)) and pl.lat is not None]
    weights = [4 if "ASAD" in p or "HARIR" in p or "TANF" in p else 1 for p in places]
    for _ in range(n):
        back = int(days * (rng.random() ** 1.6))  # more recent days are more likely: a rising tempo
        yield Sample(
            day=today - timedelta(days=back),
            base_id=None if rng.random() < without_place else rng.choices(places, weights)[0],
            weapon=rng.choice(WEAPONS),
            count=rng.choice((None, 1, 1, 2, 3, 5, 8)),
            killed=rng.choice((None, 0, 0, 0, 1)),
            wounded=rng.choice((None, 0, 0, 2, 4)),
            claimed_by=rng.choice(CLAIMANTS),
            sources=rng.choice((1, 1, 2, 3)),
        )


def _kind(base_id: str | None) -> str:
    return "diplomatic" if base_id and gazetteer().kind(base_id) == "diplomatic" else "base"


def store_samples(engine: Engine, items: Iterator[Sample] | list[Sample], *, chunk: int = 5000) -> int:
    """Insert incidents with their source articles and reports in bulk; returns how many incidents."""
    total = 0
    with engine.begin() as conn:
        next_article = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(Article.id), 0))).scalar_one()) + 1
        next_incident = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(IncidentRow.id), 0))).scalar_one()) + 1
    batch: list[Sample] = []

    def flush() -> None:
        nonlocal next_article, next_incident
        incidents, articles, reports = [], [], []
        for s in batch:
            place = gazetteer().get(s.base_id) if s.base_id else None
            seen = datetime.combine(s.day, datetime.min.time(), UTC) + timedelta(hours=9)
            incidents.append({
                "id": next_incident, "base_id": s.base_id,
                "place_en": place.name_en if place else None, "place_ar": place.name_ar if place else None,
                "country": place.country if place else "iraq",
                "province_en": place.province_en if place else None,
                "province_ar": place.province_ar if place else None,
                "lat": place.lat if place else None, "lon": place.lon if place else None,
                "date": s.day, "ref_date": s.day, "weapon": s.weapon, "target_kind": _kind(s.base_id), "count": s.count,
                "killed": s.killed, "wounded": s.wounded, "intercepted": False, "claimed_by": s.claimed_by,
                "launch_site": None, "version": 1, "first_seen_at": seen,
                "updated_at": (seen + timedelta(hours=2)),
            })
            for k in range(s.sources):
                url = f"https://outlet-{k}.example.org/news/{next_incident}"
                articles.append({
                    "id": next_article, "feed_id": None, "url": url, "url_key": url, "identity": f"{next_article:064x}",
                    "title": f"Report {next_incident}", "source": f"Outlet {'ABC'[k]}", "lang": "ar",
                    "published": seen, "text": "", "fetched_at": seen,
                    "alerted": True,
                })
                reports.append({
                    "incident_id": next_incident, "article_id": next_article, "decision": "new" if k == 0 else "same",
                    "reason": "sample", "extracted": {}, "created_at": seen,
                })
                next_article += 1
            next_incident += 1
        with engine.begin() as conn:
            conn.execute(sa.insert(IncidentRow.__table__), incidents)  # type: ignore[attr-defined]
            conn.execute(sa.insert(Article.__table__), articles)  # type: ignore[attr-defined]
            conn.execute(sa.insert(IncidentReport.__table__), reports)  # type: ignore[attr-defined]
        batch.clear()

    for s in items:
        batch.append(s)
        total += 1
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        with engine.begin() as conn:
            for table in ("incident", "article"):
                seq = f"pg_get_serial_sequence('{table}', 'id')"
                conn.execute(sa.text(f"SELECT setval({seq}, (SELECT MAX(id) FROM {table}))"))
    return total
