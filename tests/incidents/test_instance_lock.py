"""Console mode and `poll --once` take the bot's instance lock: one pipeline per database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from bot.database import make_engine, upgrade
from bot.lock import InstanceLock
from bot.models import Feed
from tests.incidents.feedgen import NOTHING, Item, rss

REPO = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"} | {"PYTHONPATH": str(REPO)}


def _config(tmp_path: Path, name: str, feed: str, db: Path) -> Path:
    cfg = tmp_path / f"{name}.toml"
    cfg.write_text(
        f'[database]\nurl = "sqlite:///{db}"\n[polling]\ninterval = "1h"\n'
        f'[[feeds]]\nname = "{name}"\nurl = "file:{feed}"\n',
        encoding="utf-8",
    )
    return cfg


def test_poll_once_beside_a_running_console_instance_refuses_and_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(rss([Item("الموازنة", "https://news.example/b", NOTHING)]))
    db = tmp_path / "shared.db"
    running_cfg = _config(tmp_path, "Running", "feed.xml", db)
    other_cfg = _config(tmp_path, "Other", "feed.xml", db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(running_cfg)],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    engine = None
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            if "running; press Ctrl-C" in line or time.monotonic() > deadline:
                break
        engine = make_engine(f"sqlite:///{db}")
        assert InstanceLock(engine).holder() is not None  # console mode holds the lease

        poll = subprocess.run(
            [sys.executable, "-m", "bot", "poll", "--once", "--config", str(other_cfg)],
            cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=60,
        )
        assert poll.returncode == 2, poll.stderr
        assert "another Rasad instance is running on this database" in poll.stderr
        assert "Traceback" not in poll.stderr
        with Session(engine) as s:
            feeds = {f.name: f.in_config for f in s.exec(select(Feed)).all()}
        assert feeds == {"Running": True}  # the running instance's feed table is untouched

        second = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--config", str(other_cfg)],
            cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=60,
        )
        assert second.returncode == 2 and "another Rasad instance is running" in second.stderr
        assert "Traceback" not in second.stderr
        assert proc.poll() is None  # the first one keeps going
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
        if engine is not None:
            engine.dispose()
    assert proc.returncode == 0


def test_poll_once_alone_takes_and_releases_the_lock(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_bytes(rss([Item("الموازنة", "https://news.example/b", NOTHING)]))
    db = tmp_path / "alone.db"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "poll", "--once", "--config", str(_config(tmp_path, "A", "feed.xml", db))],
        cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    engine = make_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
        assert InstanceLock(engine).holder() is None
    finally:
        engine.dispose()
