"""One alert to N subscribed chats through the Bot API stand-in enforcing Telegram's limits.

The parent process builds a SQLite file (N chats, a few of them groups, one incident, N outbox rows) and
serves the stand-in with rate limits on; a child process runs the real OutboxSender with a real
telegram.Bot until the outbox is drained, so the peak RSS printed is the sender's alone.
Prints elapsed time, messages per second (target >= 27, 90 % of the 30/s cap), 429s received (target 0)
and the sender's peak RSS.
Usage: python tests/bench/bench_broadcast.py [--chats 10000] [--groups 20]   (quick: --chats 600)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa
import telegram
from sqlmodel import Session

from bot.alerts.outbox import counts
from bot.alerts.sender import OutboxSender
from bot.config import TelegramSettings
from bot.database import make_engine, upgrade
from bot.models import Article, Chat, IncidentReport, IncidentRow, Outbox, Subscription
from tests.support.telegram_standin import BotApiStandin

GROUP_BASE = -1001000000000


def chat_ids(chats: int, groups: int) -> tuple[list[int], list[int]]:
    """Private chat ids and group ids; groups are part of the N."""
    groups = min(groups, chats)
    return list(range(10_001, 10_001 + chats - groups)), [GROUP_BASE - i for i in range(groups)]


def build(url: str, private: list[int], groups: list[int]) -> None:
    """The database: chats with subscriptions, one incident with two sources, one pending alert per chat."""
    now = datetime.now(UTC)
    engine = make_engine(url)
    upgrade(engine)
    langs = ["ar", "en", "both"]
    with Session(engine) as s:
        everyone = [(c, "private") for c in private] + [(g, "supergroup") for g in groups]
        s.execute(
            sa.insert(Chat),
            [
                {"chat_id": c, "type": t, "language": langs[i % 3], "created_at": now}
                for i, (c, t) in enumerate(everyone)
            ],
        )
        s.execute(
            sa.insert(Subscription),
            [{"chat_id": c, "active": True, "countries": [], "include_convoy": True, "include_diplomatic": True,
              "send_updates": True, "created_at": now} for c, _ in everyone],
        )
        inc = IncidentRow(base_id="IQ-ASAD", place_en="Ain al-Asad Air Base", place_ar="قاعدة عين الأسد",
                       country="iraq", lat=33.8, lon=42.44, date=date(2024, 5, 1), ref_date=date(2024, 5, 1),
                       weapon="rocket", count=3, first_seen_at=now, updated_at=now)
        s.add(inc)
        s.flush()
        assert inc.id is not None
        for k, (name, link) in enumerate([("Rudaw", "https://www.rudaw.net/a/1"), ("Shafaq", "https://shafaq.com/a/2")]):
            art = Article(url=link, url_key=link, identity=f"i{k}", title="t", source=name, text="x", fetched_at=now)
            s.add(art)
            s.flush()
            assert art.id is not None
            s.add(IncidentReport(incident_id=inc.id, article_id=art.id, decision="new", reason="new", extracted={}))
        s.execute(
            sa.insert(Outbox),
            [{"incident_id": inc.id, "version": 1, "chat_id": c, "kind": "alert", "state": "pending", "attempts": 0,
              "next_attempt_at": now, "payload": {}, "created_at": now} for c, _ in everyone],
        )
        s.commit()
    engine.dispose()


async def _send_all(url: str, base_url: str, token: str) -> dict[str, float]:
    engine = make_engine(url)
    async with telegram.Bot(token, base_url=base_url) as bot:
        sender = OutboxSender(engine, bot, TelegramSettings())
        started = time.perf_counter()
        passes = 0
        while True:
            passes += 1
            await sender.drain_once()
            with Session(engine) as s:
                left = counts(s).get("pending", 0)
            if left == 0 or passes >= 20:
                break
        elapsed = time.perf_counter() - started
        sender.close()
    engine.dispose()
    st = sender.stats
    return {
        "elapsed": elapsed,
        "sent": st.sent,
        "dead": st.dead,
        "retried": st.retried,
        "retry_after": st.retry_after,
        "passes": passes,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child(argv: list[str]) -> None:
    url, base_url, token = argv
    print(json.dumps(asyncio.run(_send_all(url, base_url, token))))


def main() -> None:
    parser = argparse.ArgumentParser(description="broadcast benchmark")
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    private, groups = chat_ids(args.chats, args.groups)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        build(url, private, groups)
        with BotApiStandin(enforce_rate_limits=True) as standin:
            standin.register_chats(private, "private")
            standin.register_chats(groups, "supergroup")
            proc = subprocess.run(
                [sys.executable, __file__, "--child", url, standin.base_url, standin.token],
                capture_output=True, text=True, check=False,
            )
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr)
                raise SystemExit(proc.returncode)
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            stats = standin.stats()
            delivered = len({m.chat_id for m in standin.sent()})
            engine = make_engine(url)
            with Session(engine) as s:
                states = counts(s)
            engine.dispose()
    rate = result["sent"] / result["elapsed"] if result["elapsed"] else 0.0
    print(f"chats:           {args.chats} ({len(private)} private, {len(groups)} groups)")
    print(f"elapsed:         {result['elapsed']:.1f} s ({result['passes']} pass(es))")
    print(f"messages/s:      {rate:.2f} (target >= 27; cap 30)")
    print(f"429s received:   {stats.get('429s', 0)} (target 0)")
    print(f"peak RSS:        {result['peak_rss_mb']:.1f} MB (sender process)")
    calls = stats.get("sendMessage:200", 0)
    print(f"sent:            {result['sent']}; chats reached {delivered}; sendMessage answered ok {calls}")
    print(f"outbox states:   {states}; dead {result['dead']}, retried {result['retried']}")
    print(f"connections:     peak {stats.get('peak_connections', 0)}")


if __name__ == "__main__":
    main()
