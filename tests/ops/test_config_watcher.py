"""The config file edited while Rasad runs: good edits applied within seconds, bad ones rejected and reported.

The watcher drives a real Poller over a real SQLite file, as `rasad run` wires it: apply = swap the
settings and re-sync the feed table. Waiting is on events the code sets, never on sleeps; the
timeouts below only stop a broken build from hanging.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.clock import utc_now
from bot.config import Settings, load_settings
from bot.feeds.fetcher import FetchLimits, make_client
from bot.incidents.poller import Poller
from bot.models import Feed
from bot.ops.operators import ConfigWatcher
from bot.service import Service
from tests.ops.conftest import write_config

HANG_GUARD = 30.0


def _config(tmp_path: Path, sqlite_url: str) -> Path:
    return write_config(
        tmp_path / "rasad.toml", db=sqlite_url, alpha="https://alpha.example/feed", beta="https://beta.example/rss"
    )


def _feeds(engine: Engine) -> dict[str, tuple[bool, bool]]:
    with Session(engine) as s:
        return {f.name: (f.in_config, f.enabled) for f in s.exec(select(Feed)).all()}


class Running:
    """A poller and a watcher as the runner would wire them, plus what the admins were told."""

    def __init__(self, engine: Engine, config: Path, client: object) -> None:
        settings = load_settings(config)
        import httpx

        assert isinstance(client, httpx.AsyncClient)
        self.poller = Poller(engine, settings, client, clock=utc_now)
        self.told: list[str] = []
        self.applied: asyncio.Queue[Settings] = asyncio.Queue()
        self.notified: asyncio.Queue[str] = asyncio.Queue()
        self.watcher = ConfigWatcher(config, settings, apply=self.apply, notify_admins=self.notify, debounce_ms=200)

    async def apply(self, settings: Settings) -> None:
        self.poller.settings = settings
        await self.poller.sync_feeds()
        await self.applied.put(settings)

    async def notify(self, text: str) -> None:
        self.told.append(text)
        await self.notified.put(text)


def test_saved_edits_are_applied_and_bad_ones_rejected(tmp_path: Path, engine: Engine, sqlite_url: str) -> None:
    config = _config(tmp_path, sqlite_url)

    async def main() -> None:
        async with make_client(FetchLimits()) as client:
            rasad = Running(engine, config, client)
            await rasad.poller.sync_feeds()
            task = asyncio.create_task(rasad.watcher.run())
            await asyncio.wait_for(rasad.watcher.watching.wait(), HANG_GUARD)

            # A good edit: Beta removed, Gamma added, Alpha paused and its interval changed.
            text = config.read_text(encoding="utf-8")
            text = text.replace('lang = "en"\nenabled = true\n', 'lang = "en"\nenabled = false\n')
            text = text.split('[[feeds]]\nname = "Beta"')[0]
            text = text.replace('lang = "ar"\n', 'lang = "ar"\nenabled = false\ninterval = "1m"\n', 1)
            text += '[[feeds]]\nname = "Gamma"\nurl = "https://gamma.example/atom"\n'
            config.write_text(text, encoding="utf-8")
            applied = await asyncio.wait_for(rasad.applied.get(), HANG_GUARD)
            assert [f.name for f in applied.feeds] == ["Alpha", "Gamma"]
            assert rasad.watcher.settings is applied and rasad.poller.settings is applied
            assert _feeds(engine) == {"Alpha": (True, False), "Beta": (False, True), "Gamma": (True, True)}
            with Session(engine) as s:
                alpha = s.exec(select(Feed).where(Feed.name == "Alpha")).one()
                assert alpha.interval_seconds == 60

            # A bad edit: rejected, every problem reported, the last good settings stay in force.
            config.write_text(
                text.replace('tick = "1s"', 'tick = "often"').replace('name = "Gamma"', 'name = "Alpha"'),
                encoding="utf-8",
            )
            report = await asyncio.wait_for(rasad.notified.get(), HANG_GUARD)
            assert "Config NOT applied" in report and "2 problem(s)" in report
            assert "polling.tick:" in report and "feeds[1].name: 'Alpha' is already used by feeds[0]" in report
            assert "last good configuration stays in force" in report
            assert rasad.watcher.settings is applied and rasad.applied.empty()
            assert _feeds(engine)["Gamma"] == (True, True)

            # Fixed again: applied, and the admins hear the file is good again.
            config.write_text(text.replace('name = "Gamma"', 'name = "Delta"'), encoding="utf-8")
            fixed = await asyncio.wait_for(rasad.applied.get(), HANG_GUARD)
            assert [f.name for f in fixed.feeds] == ["Alpha", "Delta"]
            news = await asyncio.wait_for(rasad.notified.get(), HANG_GUARD)
            assert "valid again and applied" in news and "feed added: Delta" in news
            assert _feeds(engine)["Gamma"] == (False, True) and _feeds(engine)["Delta"] == (True, True)

            await rasad.watcher.stop()
            await asyncio.wait_for(task, HANG_GUARD)

    asyncio.run(main())


def test_sighup_reloads_and_a_missing_file_keeps_the_settings(tmp_path: Path, engine: Engine, sqlite_url: str) -> None:
    config = _config(tmp_path, sqlite_url)
    config.write_text(config.read_text(encoding="utf-8").replace("watch_config = true", "watch_config = false"))

    async def main() -> None:
        async with make_client(FetchLimits()) as client:
            rasad = Running(engine, config, client)
            assert rasad.watcher.install_sighup()
            before = rasad.watcher.reloads
            config.write_text(config.read_text(encoding="utf-8").replace('name = "Beta"', 'name = "Bravo"'))
            os.kill(os.getpid(), signal.SIGHUP)
            applied = await asyncio.wait_for(rasad.applied.get(), HANG_GUARD)
            assert [f.name for f in applied.feeds] == ["Alpha", "Bravo"]
            assert rasad.watcher.reloads == before + 1

            config.unlink()
            outcome = await rasad.watcher.reload("test")
            assert not outcome.ok and outcome.problems[0].startswith("cannot read the file")
            assert rasad.watcher.settings is applied
            assert len(rasad.told) == 1
            again = await rasad.watcher.reload("test")
            assert not again.ok and len(rasad.told) == 1, "the same problems are reported once"
            await rasad.watcher.stop()

    asyncio.run(main())


def test_a_failing_apply_keeps_the_old_settings(tmp_path: Path, sqlite_url: str) -> None:
    config = _config(tmp_path, sqlite_url)
    told: list[str] = []

    async def apply(settings: Settings) -> None:
        raise RuntimeError("database is locked")

    async def notify(text: str) -> None:
        told.append(text)

    async def main() -> None:
        settings = load_settings(config)
        watcher = ConfigWatcher(config, settings, apply=apply, notify_admins=notify)
        config.write_text(config.read_text(encoding="utf-8").replace('name = "Beta"', 'name = "Bravo"'))
        outcome = await watcher.reload("test")
        assert not outcome.ok and "database is locked" in outcome.problems[0]
        assert watcher.settings is settings
        assert told and "NOT applied" in told[0]

    asyncio.run(main())


def test_the_service_hands_one_live_settings_source_to_every_part(engine: Engine) -> None:
    """Poller, watcher and health read the same object, so a reload needs no copying into anyone."""
    settings = load_settings(None)

    async def main() -> None:
        async with make_client(FetchLimits()) as client:
            service = Service(engine, settings, client, config_path=None, clock=utc_now)
            assert service.watcher.live is service.live and service.poller.live is service.live
            new = settings.model_copy(update={"polling": settings.polling.model_copy(update={"max_errors": 9})})
            service.live.swap(new)
            assert service.settings is new and service.poller.settings is new and service.watcher.settings is new

    asyncio.run(main())
