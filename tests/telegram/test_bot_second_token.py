"""A second instance with the same bot token (on another database): it stops with a clear message on
Telegram's 409 Conflict, and the instance that was running first keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.telegram.app import CONFLICT_KEEP_GOING, CONFLICT_MESSAGE, EXIT_FAILED, conflict_stops_us
from tests.conftest import REPO
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import running_bot


@pytest.mark.parametrize(
    ("polling_for", "stops"), [(0.0, True), (5.0, True), (29.9, True), (30.0, False), (3600, False)]
)
def test_only_a_newcomer_stops_on_conflict(polling_for: float, stops: bool) -> None:
    assert conflict_stops_us(polling_for) is stops


def test_the_second_instance_exits_and_the_first_keeps_going(
    standin: BotApiStandin, sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    caplog.set_level(logging.INFO)

    config = tmp_path / "second.toml"
    config.write_text(
        f'feeds = []\n[database]\nurl = "{other_url}"\n[telegram]\napi_base_url = "{standin.base_url}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": standin.token, "PYTHONPATH": str(REPO)}

    def second_instance() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )

    async def main() -> None:
        # The first instance has been polling longer than its newcomer window (shortened for the test).
        async with running_bot(standin, sqlite_url, newcomer_window=0.2) as first:
            await asyncio.sleep(0.5)
            second = await asyncio.to_thread(second_instance)
            assert second.returncode == EXIT_FAILED, second.stderr
            assert CONFLICT_MESSAGE in second.stderr and "Traceback" not in second.stderr
            assert not first.task.done()
            reply = await first.say(1501, 1501, "/start")  # still polling and answering
            assert "Rasad" in reply.text

    asyncio.run(main())
    assert CONFLICT_KEEP_GOING in [r.getMessage() for r in caplog.records]
