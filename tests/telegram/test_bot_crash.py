"""The whole `rasad run` process killed with -9 in the middle of a broadcast, then restarted: nothing is lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from bot.database import make_engine, upgrade
from bot.models import Chat, Subscription
from tests.incidents.feedgen import ASAD_ROCKETS, Item, rss
from tests.support.telegram_standin import BotApiStandin

REPO = Path(__file__).resolve().parents[2]
CHATS = range(70_001, 70_121)


def _start(cfg: Path, standin: BotApiStandin, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": standin.token}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--config", str(cfg)],
        cwd=REPO,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_kill_minus_nine_mid_broadcast_then_restart_delivers_every_alert(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    with Session(engine) as s:
        for chat_id in CHATS:
            s.add(Chat(chat_id=chat_id, language="both", created_at=now))
        s.flush()
        for chat_id in CHATS:
            s.add(Subscription(chat_id=chat_id, created_at=now))
        s.commit()
    engine.dispose()
    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        rss(
            [
                Item(
                    "صواريخ على عين الأسد",
                    "https://news.example/asad",
                    ASAD_ROCKETS,
                    now - timedelta(hours=1),
                    "asad-1",
                )
            ]
        )
    )
    log = tmp_path / "run.log"
    with BotApiStandin(enforce_rate_limits=True) as standin:
        standin.register_chats(CHATS, "private")
        cfg = tmp_path / "rasad.toml"
        cfg.write_text(
            f'[telegram]\napi_base_url = "{standin.base_url}"\n[database]\nurl = "{url}"\n'
            f'[polling]\ntick = "1s"\nmax_age = "0"\n[[feeds]]\nname = "Local"\nurl = "file:feed.xml"\n',
            encoding="utf-8",
        )
        first = _start(cfg, standin, log)
        try:
            standin.wait_for(lambda: standin.total_sends >= 25, timeout=90)
            os.kill(first.pid, signal.SIGKILL)
        finally:
            first.wait(timeout=30)
        sent_before_restart = standin.total_sends
        assert sent_before_restart < len(CHATS), "the broadcast finished before the kill: nothing was tested"

        second = _start(cfg, standin, log)
        try:
            standin.wait_for(lambda: {m.chat_id for m in standin.sent()} >= set(CHATS), timeout=120)
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=15) == 0, log.read_text()
        finally:
            if second.poll() is None:
                second.kill()
        per_chat = Counter(m.chat_id for m in standin.sent() if m.chat_id in CHATS)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert set(per_chat) == set(CHATS)  # every subscriber got the alert
    assert max(per_chat.values()) <= 2  # a repeat only where a send was in flight at the kill ...
    repeats = sum(1 for n in per_chat.values() if n == 2)
    assert repeats <= 8 and (repeats == 0 or "may see it twice" in text)  # ... and it is logged
    # (a restart within a second of the crash may meet one flood-control answer: the new sender cannot know
    # what the dead one sent in the last second; it waits as told, which the delivery above shows)
    assert standin.token not in text  # the token never reaches the log
