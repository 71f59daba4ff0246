"""Prometheus metrics: counters the pipeline bumps, and gauges read from the database at scrape time.

The counters live in `bot.counters` (core, so any stage can bump them); they are registered only in the
registry that `build_registry` makes for the /metrics endpoint (never in prometheus_client's global one,
so tests can build as many as they like). Database gauges are computed on every scrape, so they cannot drift.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import SettingsSource
from bot.counters import EXTRACTOR_ERRORS, FETCH_ERRORS, FETCHES, SENDS, last_poll_time
from bot.models import Article, Incident, Outbox
from bot.ops.operators import feed_overview

__all__ = [
    "CONTENT_TYPE",
    "FEED_KINDS",
    "build_registry",
    "render",
]

log = logging.getLogger("rasad.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FEED_KINDS = ("ok", "new", "failing", "disabled", "paused", "removed")

class DatabaseCollector(Collector):
    """Feeds by state, articles, incidents, outbox depth and the last successful poll, read per scrape."""

    def __init__(
        self,
        engine: Engine,
        settings: SettingsSource,
        clock: Callable[[], datetime],
        last_poll: Callable[[], datetime | None] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.last_poll = last_poll

    def describe(self) -> list[Metric]:
        """No description: keeps registration from scraping the database."""
        return []

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("rasad_database_up", "1 when the last scrape could read the database.")
        try:
            families = list(self._from_db())
        except Exception as exc:  # a scrape must still answer, saying the database is down
            log.warning("metrics: database not readable: %s", exc)
            up.add_metric([], 0)
            families = []
        else:
            up.add_metric([], 1)
        yield up
        yield from families
        poll = GaugeMetricFamily(
            "rasad_last_successful_poll_timestamp_seconds", "Unix time of the last poll cycle that completed."
        )
        when = self.last_poll() if self.last_poll else None
        stamp = when.timestamp() if when else (last_poll_time() or 0.0)
        poll.add_metric([], stamp)
        yield poll

    def _from_db(self) -> Iterator[Metric]:
        with Session(self.engine) as s:
            statuses = feed_overview(s, self.settings(), self.clock())
            articles = s.exec(select(sa.func.count()).select_from(Article)).one()
            incidents = s.exec(select(sa.func.count()).select_from(Incident)).one()
            outbox = s.exec(select(Outbox.state, sa.func.count()).group_by(col(Outbox.state))).all()
        feeds = GaugeMetricFamily("rasad_feeds", "Feeds by state (file joined with fetch state).", labels=["state"])
        counts = dict.fromkeys(FEED_KINDS, 0)
        for st in statuses:
            counts[st.kind] = counts.get(st.kind, 0) + 1
        for kind, n in counts.items():
            feeds.add_metric([kind], n)
        yield feeds
        yield GaugeMetricFamily("rasad_articles", "Articles stored.", value=int(articles))
        yield GaugeMetricFamily("rasad_incidents", "Incidents stored.", value=int(incidents))
        depth = GaugeMetricFamily(
            "rasad_outbox", "Outbox rows by state (pending is the queue depth).", labels=["state"]
        )
        by_state = {"pending": 0, "sent": 0, "dead": 0, "skipped": 0} | {str(k): int(v) for k, v in outbox}
        for state, n in by_state.items():
            depth.add_metric([state], n)
        yield depth


def build_registry(
    engine: Engine,
    settings: SettingsSource,
    *,
    clock: Callable[[], datetime],
    last_poll: Callable[[], datetime | None] | None = None,
) -> CollectorRegistry:
    """A registry with the pipeline counters and the database collector, for one /metrics endpoint."""
    registry = CollectorRegistry(auto_describe=False)
    for counter in (FETCHES, FETCH_ERRORS, SENDS, EXTRACTOR_ERRORS):
        registry.register(counter)
    registry.register(DatabaseCollector(engine, settings, clock, last_poll))
    return registry


def render(registry: CollectorRegistry) -> bytes:
    """The Prometheus text exposition of a registry (blocking: it reads the database)."""
    started = time.perf_counter()
    body: bytes = generate_latest(registry)
    log.debug("metrics scrape took %.3fs", time.perf_counter() - started)
    return body
