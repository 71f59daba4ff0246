"""`rasad outbox retry`: put the dead-letter rows back in the queue; the running sender takes them in order."""

from __future__ import annotations

from bot.alerts import outbox as ob
from bot.clock import utc_now
from bot.config import Settings
from bot.database import in_transaction, make_engine, upgrade


def run_outbox_retry(settings: Settings, *, chat_id: int | None = None) -> int:
    """Re-queue dead rows (of one chat, or all) and say how many; exit 0."""
    engine = make_engine(settings.database.url)
    try:
        upgrade(engine)
        now = utc_now()
        n = in_transaction(engine, lambda s: ob.requeue_dead(s, now=now, chat_id=chat_id))
    finally:
        engine.dispose()
    where = f" of chat {chat_id}" if chat_id is not None else ""
    print(f"outbox: {n} dead row(s){where} queued again")
    return 0
