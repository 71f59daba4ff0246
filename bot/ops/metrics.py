"""Prometheus metrics: counters the pipeline bumps, and gauges read from the database at scrape time.

The counters live in `bot.counters` (core, so any stage can bump them); they are registered only in the
registry of a `Metrics`, one per /metrics endpoint (never in prometheus_client's global one, so tests can
build as many as they like). Database gauges are read on every scrape (through `run_db`, off the event
loop), so they cannot drift.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.config import Settings, SettingsSource
from bot.counters import EXTRACTOR_ERRORS, FETCH_ERRORS, FETCHES, SENDS, last_poll_time
from bot.database import run_db
from bot.models import Article, IncidentRow, Outbox
from bot.ops.operators import feed_overview

__all__ = [
    "CONTENT_TYPE",
    "FEED_KINDS",
    "DatabaseFigures",
    "Metrics",
    "read_figures",
]

log = logging.getLogger("rasad.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
FEED_KINDS = ("ok", "new", "failing", "disabled", "paused", "removed")

@dataclass(frozen=True, slots=True)
class DatabaseFigures:
    """What one scrape reads from the database."""

    feeds: dict[str, int]
    articles: int
    incidents: int
    outbox: dict[str, int]


def read_figures(session: Session, settings: Settings, now: datetime) -> DatabaseFigures:
    """Feeds by state, articles, incidents and outbox rows by state, as stored now."""
    statuses = feed_overview(session, settings, now)
    articles = session.exec(select(sa.func.count()).select_from(Article)).one()
    incidents = session.exec(select(sa.func.count()).select_from(IncidentRow)).one()
    outbox = session.exec(select(Outbox.state, sa.func.count()).group_by(col(Outbox.state))).all()
    feeds = dict.fromkeys(FEED_KINDS, 0)
    for st in statuses:
        feeds[st.kind] = feeds.get(st.kind, 0) + 1
    by_state = {"pending": 0, "sent": 0, "dead": 0, "skipped": 0} | {str(k): int(v) for k, v in outbox}
    return DatabaseFigures(feeds=feeds, articles=int(articles), incidents=int(incidents), outbox=by_state)


class DatabaseCollector(Collector):
    """Gauges of the figures the last scrape read (None: the database was not readable) and the last poll."""

    def __init__(self, last_poll: Callable[[], datetime | None] | None = None) -> None:
        self.last_poll = last_poll
        self.figures: DatabaseFigures | None = None

    def describe(self) -> list[Metric]:
        """No description: keeps registration from collecting."""
        return []

    def collect(self) -> Iterator[Metric]:
        figures = self.figures
        up = GaugeMetricFamily("rasad_database_up", "1 when the last scrape could read the database.")
        up.add_metric([], 0 if figures is None else 1)
        yield up
        if figures is not None:
            yield from _gauges(figures)
        poll = GaugeMetricFamily(
            "rasad_last_successful_poll_timestamp_seconds", "Unix time of the last poll cycle that completed."
        )
        when = self.last_poll() if self.last_poll else None
        stamp = when.timestamp() if when else (last_poll_time() or 0.0)
        poll.add_metric([], stamp)
        yield poll


def _gauges(figures: DatabaseFigures) -> Iterator[Metric]:
    feeds = GaugeMetricFamily("rasad_feeds", "Feeds by state (file joined with fetch state).", labels=["state"])
    for kind, n in figures.feeds.items():
        feeds.add_metric([kind], n)
    yield feeds
    yield GaugeMetricFamily("rasad_articles", "Articles stored.", value=figures.articles)
    yield GaugeMetricFamily("rasad_incidents", "Incidents stored.", value=figures.incidents)
    depth = GaugeMetricFamily("rasad_outbox", "Outbox rows by state (pending is the queue depth).", labels=["state"])
    for state, n in figures.outbox.items():
        depth.add_metric([state], n)
    yield depth


class Metrics:
    """The registry of one /metrics endpoint: the pipeline counters and the database gauges."""

    def __init__(
        self,
        engine: Engine,
        settings: SettingsSource,
        *,
        clock: Callable[[], datetime],
        last_poll: Callable[[], datetime | None] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.registry = CollectorRegistry(auto_describe=False)
        for counter in (FETCHES, FETCH_ERRORS, SENDS, EXTRACTOR_ERRORS):
            self.registry.register(counter)
        self._database = DatabaseCollector(last_poll)
        self.registry.register(self._database)

    async def scrape(self) -> bytes:
        """The Prometheus text exposition now: the database read through `run_db`, then every metric rendered."""
        started = time.perf_counter()
        read = partial(read_figures, settings=self.settings(), now=self.clock())
        try:
            figures: DatabaseFigures | None = await run_db(self.engine, read)
        except Exception as exc:  # a scrape must still answer, saying the database is down
            log.warning("metrics: database not readable: %s", exc)
            figures = None
        self._database.figures = figures  # no await from here to the rendering: scrapes cannot interleave
        body: bytes = generate_latest(self.registry)
        log.debug("metrics scrape took %.3fs", time.perf_counter() - started)
        return body
