"""/healthz and /metrics over real HTTP: healthy while the scheduler ticks and the database answers, 503 after."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.config import Settings, load_settings
from bot.counters import record_fetch, record_send
from bot.database import make_engine, upgrade
from bot.feeds.fetcher import FetchLimits, make_client
from bot.incidents.pipeline import PollJob
from bot.incidents.poller import Poller
from bot.ops.health import HealthServer, health_verdict
from tests.ops.conftest import write_config
from tests.support.feed_server import FeedServer

T0 = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)
TICK = timedelta(seconds=15)


@pytest.mark.parametrize(
    ("last_tick", "since_start", "db_error", "status", "reasons"),
    [
        (T0, 60, None, 200, []),  # ticked just now, database fine
        (T0 - 3 * TICK, 600, None, 200, []),  # exactly 3 ticks ago is still fine
        (T0 - 3 * TICK - timedelta(seconds=1), 600, None, 503, ["the scheduler last ticked 46s ago"]),
        (None, 10, None, 200, []),  # starting up: no tick yet, within the grace
        (None, 46, None, 503, ["the scheduler has not ticked since start-up (46s)"]),
        (T0, 60, "OperationalError: unable to open database file", 503, ["the database does not answer"]),
        (None, 600, "no answer within 5s", 503, ["the scheduler has not", "the database does not answer"]),
    ],
)
def test_health_verdict(
    last_tick: datetime | None, since_start: int, db_error: str | None, status: int, reasons: list[str]
) -> None:
    code, body = health_verdict(
        now=T0, started_at=T0 - timedelta(seconds=since_start), last_tick=last_tick, tick=TICK, db_error=db_error
    )
    assert code == status
    assert body["status"] == ("ok" if status == 200 else "unhealthy")
    got = body.get("reasons", [])
    assert len(got) == len(reasons) and all(r.startswith(prefix) for r, prefix in zip(got, reasons, strict=True))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_healthz_and_metrics_then_the_database_goes_away(tmp_path: Path, feed_server: FeedServer) -> None:
    folder = tmp_path / "db"
    url = f"sqlite:///{folder / 'rasad.db'}"
    engine = make_engine(url)
    upgrade(engine)
    config = write_config(
        tmp_path / "rasad.toml", db=url, alpha=feed_server.url("/alpha.xml"), beta=feed_server.url("/page.html")
    )
    settings: Settings = load_settings(config)
    clock = Clock(T0)

    async def main() -> None:
        async with make_client(FetchLimits(timeout=5)) as client, httpx.AsyncClient() as http:
            poller = Poller(engine, settings, client, clock=clock)
            await poller.sync_feeds()
            job = PollJob(poller)
            server = HealthServer(
                "127.0.0.1:0",
                engine=engine,
                settings=lambda: settings,
                last_tick=lambda: job.last_tick,
                last_poll=lambda: job.last_success,
                clock=clock,
            )
            await server.start()
            base = f"http://127.0.0.1:{server.port}"
            try:
                await job()  # one real scheduler tick: polls both feeds
                ok = await http.get(f"{base}/healthz")
                assert ok.status_code == 200 and ok.headers["content-type"] == "application/json"
                assert ok.json()["status"] == "ok" and ok.json()["database"] == "ok"

                before = await http.get(f"{base}/metrics")
                record_fetch("ok")
                record_fetch("http_error")
                record_send("sent")
                metrics = await http.get(f"{base}/metrics")
                assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
                text = metrics.text
                assert 'rasad_feeds{state="ok"} 1.0' in text and 'rasad_feeds{state="failing"} 1.0' in text
                assert "rasad_articles 2.0" in text and 'rasad_outbox{state="pending"} 0.0' in text
                assert "rasad_database_up 1.0" in text
                assert _value(text, "rasad_last_successful_poll_timestamp_seconds") == T0.timestamp()
                assert _value(text, 'rasad_feed_fetches_total{status="http_error"}') == 1 + _value(
                    before.text, 'rasad_feed_fetches_total{status="http_error"}'
                )
                assert _value(text, "rasad_feed_fetch_errors_total") == 1 + _value(
                    before.text, "rasad_feed_fetch_errors_total"
                )
                assert _value(text, 'rasad_telegram_sends_total{outcome="sent"}') >= 1

                clock.now = T0 + 4 * settings.polling.tick  # the scheduler stopped ticking
                stale = await http.get(f"{base}/healthz")
                assert stale.status_code == 503 and stale.json()["reasons"][0].startswith("the scheduler last ticked")
                await job()  # it ticks again
                assert (await http.get(f"{base}/healthz")).status_code == 200

                shutil.rmtree(folder)  # the database is gone
                engine.dispose()
                gone = await http.get(f"{base}/healthz")
                assert gone.status_code == 503
                body = gone.json()
                assert body["status"] == "unhealthy" and body["database"] == "error"
                assert body["reasons"] == [body["reasons"][0]] and "the database does not answer" in body["reasons"][0]
                down = await http.get(f"{base}/metrics")
                assert down.status_code == 200 and "rasad_database_up 0.0" in down.text

                assert (await http.get(f"{base}/nope")).status_code == 404
                assert (await http.post(f"{base}/healthz")).status_code == 405
            finally:
                await server.stop()

    try:
        asyncio.run(main())
    finally:
        engine.dispose()


def _value(text: str, sample: str) -> float:
    for line in text.splitlines():
        if line.startswith(sample + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0
