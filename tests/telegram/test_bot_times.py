"""Times a chat sees: /incident in the chat's time zone (Baghdad by default, set in /settings), on SQLite and
PostgreSQL, through the stand-in; /incident lists each outlet once with its links."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlmodel import Session

from bot.alerts.timeofday import local_clock
from bot.models import Chat, IncidentRow
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import add_incident, running_bot


def test_incident_shows_when_rasad_learned_of_it_in_the_chats_time_zone(standin: BotApiStandin, db_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, db_url) as bot:
            inc = add_incident(
                bot.engine, day=date(2024, 5, 1),
                sources=(("Outlet A", "https://a.example/1"), ("Outlet A", "https://a.example/2"),
                         ("Outlet B", "https://b.example/1")),
            )
            with Session(bot.engine) as s:
                row = s.get(IncidentRow, inc)
                assert row is not None and row.first_seen_at is not None
                seen = row.first_seen_at
            shown = await bot.say(3101, 3101, f"/incident {inc}")
            assert f"first reported {local_clock(seen, 'Asia/Baghdad')} Baghdad time" in shown.text
            assert shown.text.count("Outlet A") == 1 and "https://a.example/2" in shown.links  # one name, two links

            menu = await bot.say(3101, 3101, "/settings")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            edits = len(standin.edits(3101))
            standin.user_presses(3101, 3101, menu.message_id, data["⬜ New York"])
            await bot.wait(lambda: len(standin.edits(3101)) > edits)
            with Session(bot.engine) as s:
                chat = s.get(Chat, 3101)
                assert chat is not None and chat.timezone == "America/New_York"
            again = await bot.say(3101, 3101, f"/incident {inc}")
            assert f"first reported {local_clock(seen, 'America/New_York')} New York time" in again.text

    asyncio.run(main())
