"""kill -9 at any moment of a poll loses no alert and leaves no half-written article."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.database import make_engine, upgrade
from bot.models import Article, Chat, IncidentReport, IncidentRow, Outbox, Subscription
from tests.incidents.feedgen import ASAD_ROCKETS, TANF_DRONES, Item, filler, rss
from tests.support.feed_server import FeedServer, Route

REPO = Path(__file__).resolve().parents[2]


def _count(s: Session, model: type) -> int:
    return int(s.exec(select(func.count()).select_from(model)).one())


def _articles(engine: Engine) -> int:
    with Session(engine) as s:
        return _count(s, Article)


def test_kill_minus_nine_during_polls_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as s:
        s.add(Chat(chat_id=5, created_at=datetime.now(UTC)))
        s.flush()
        s.add(Subscription(chat_id=5, created_at=datetime.now(UTC)))
        s.commit()
    # The articles span four hours that end at noon UTC (afternoon in Baghdad), so they share one local day and
    # "Tuesday evening" means one day for all of them, whatever the hour the test runs at.
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    if now > datetime.now(UTC):
        now -= timedelta(days=1)
    items: list[Item] = []
    for i in range(240):
        text = ASAD_ROCKETS if i % 40 == 0 else TANF_DRONES if i % 40 == 20 else filler(i)
        items.append(Item(f"خبر {i}", f"https://news.example/crash/{i}", text, now - timedelta(minutes=i), f"c{i}"))
    rng = random.Random(11)
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    with FeedServer() as server:
        routes = [Route(body=b"", delay=0.1) for _ in range(3)]
        feeds = []
        for k, route in enumerate(routes):
            feed_url = server.add(f"/f{k}", route)
            feeds.append(f'[[feeds]]\nname = "f{k}"\nurl = "{feed_url}"\n')
        cfg = tmp_path / "rasad.toml"
        cfg.write_text(
            f'[database]\nurl = "{url}"\n[polling]\nmax_age = "0"\n[admin]\nallow_private_addresses = true\n'
            + "".join(feeds),
            encoding="utf-8",
        )
        killed = 0
        published = 0
        while published < len(items):
            # the outlets publish 40 more articles; a poll starts and is killed at a random moment
            published += 40
            for k, route in enumerate(routes):
                route.body = rss(items[:published][k::3])
            with engine.begin() as conn:
                conn.exec_driver_sql("UPDATE feed SET next_check_at = NULL")
            before = _articles(engine)
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "poll", "--once", "--config", str(cfg)],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            # kill it once it is storing articles: the moment the first of this round's articles commits
            while proc.poll() is None and _articles(engine) == before:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.05))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            proc.wait(timeout=120)
        # every feed due again: a clean run finishes what the killed ones left
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE feed SET next_check_at = NULL")
        done = subprocess.run(
            [sys.executable, "-m", "bot", "poll", "--once", "--config", str(cfg)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    with Session(engine) as s:
        assert _count(s, Article) == len(items)
        attacks = {it.link for it in items if it.text in (ASAD_ROCKETS, TANF_DRONES)}
        reported = {
            a.url
            for a, _ in s.exec(select(Article, IncidentReport).where(IncidentReport.article_id == Article.id)).all()
        }
        assert reported == attacks  # every attack article has its report: none half-written
        incidents = s.exec(select(IncidentRow)).all()
        assert len(incidents) == 2
        rows = s.exec(select(Outbox)).all()
        assert sorted((r.incident_id, r.chat_id) for r in rows) == sorted((i.id, 5) for i in incidents)
    engine.dispose()
    print(f"\n{killed} of 6 polls killed mid-way")
    assert killed >= 1, "no poll was killed mid-way: the test proved nothing"
