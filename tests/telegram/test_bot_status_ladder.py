"""End to end, issue 13: how sure an alert is, through the real bot, poller, sender and the Bot API stand-in.

Local RSS files stand in for four outlets reporting one invented rocket attack on Ain al-Asad (our own
words). A chat on the default level gets the alert as `reported`; a second outlet's report edits it in
place to `corroborated` (no new message); an official's confirmation edits it to `confirmed` and replies
to it; an official's denial edits it to `disputed` and replies again. A chat that chose "Alert me from:
confirmed" in /settings receives nothing until the confirmation, then the alert.
"""

from __future__ import annotations

import asyncio
import html
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.config import FeedSettings, PollingSettings
from bot.models import Subscription
from tests.support.telegram_standin import BotApiStandin, BotMessage
from tests.telegram.bot_harness import bot_settings, running_bot

pytest.importorskip("bot.alerts.sender")

# Written for this test.
REPORTS = {
    "a": ("https://outlet-a.example/news/asad-rockets", "أفاد مصدر أمني بسقوط ثلاثة صواريخ كاتيوشا فجر اليوم السبت "
          "على قاعدة عين الأسد في الأنبار بغرب العراق، من دون ورود معلومات عن خسائر."),
    "b": ("https://outlet-b.example/2024/01/20/asad", "ذكر سكان محليون في الأنبار أن ثلاثة صواريخ كاتيوشا سقطت "
          "على قاعدة عين الأسد الجوية صباح اليوم السبت."),
    "c": ("https://outlet-c.example/asad-confirmed", "أكد مسؤول في التحالف الدولي أن ثلاثة صواريخ كاتيوشا سقطت "
          "فجر اليوم السبت على قاعدة عين الأسد الجوية في الأنبار."),
    "d": ("https://outlet-d.example/asad-denied", "تحدثت مواقع محلية عن سقوط صواريخ على قاعدة عين الأسد الجوية "
          "فجر اليوم السبت. ونفت القيادة المركزية الأمريكية تعرض القاعدة لأي هجوم."),
}


def write_feed(path: Path, name: str, key: str | None = None) -> None:
    """An RSS 2.0 file with the outlet's report (or empty); rewritten in place, as a site's feed changes."""
    item = ""
    if key is not None:
        url, text = REPORTS[key]
        item = (
            f"<item><title>{html.escape(name)}: عين الأسد</title><link>{url}</link>"
            f'<guid isPermaLink="false">{key}-1</guid><pubDate>Sat, 20 Jan 2024 08:00:00 +0300</pubDate>'
            f"<description>{html.escape(text)}</description></item>"
        )
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{html.escape(name)}</title>'
        f"<link>https://example.org/</link><description>test</description>{item}</channel></rss>\n",
        encoding="utf-8",
    )


def alerts(standin: BotApiStandin, chat_id: int) -> list[BotMessage]:
    return [m for m in standin.sent(chat_id) if "Rasad #" in m.text and m.reply_to is None]


def replies(standin: BotApiStandin, chat_id: int, to: int) -> list[BotMessage]:
    return [m for m in standin.sent(chat_id) if m.reply_to == to]


def test_a_rise_edits_the_alert_in_place_confirmation_and_denial_reply_and_a_confirmed_chat_waits(
    standin: BotApiStandin, sqlite_url: str, tmp_path: Path
) -> None:
    feeds = {key: tmp_path / f"{key}.xml" for key in REPORTS}
    for key, path in feeds.items():
        write_feed(path, f"Outlet {key.upper()}")
    settings = bot_settings(
        standin,
        sqlite_url,
        polling=PollingSettings(tick=timedelta(seconds=1), interval=timedelta(seconds=1)),
        feeds=tuple(
            FeedSettings(name=f"Outlet {key.upper()}", url=path.as_uri(), max_age=timedelta(0))
            for key, path in feeds.items()
        ),
    )
    anyone, careful = 3001, 3002

    async def main() -> None:
        async with running_bot(standin, sqlite_url, settings=settings) as bot:
            await bot.say(anyone, anyone, "/subscribe")
            await bot.say(careful, careful, "/subscribe")
            menu = await bot.say(careful, careful, "/settings")
            data = {b["text"]: b["callback_data"] for b in menu.buttons}
            assert "✅ Any report" in data and "⬜ Claims by the groups themselves" in data  # the defaults
            edits = len(standin.edits(careful))
            standin.user_presses(careful, careful, menu.message_id, data["⬜ Confirmed"])
            await bot.wait(lambda: len(standin.edits(careful)) > edits)
            assert "✅ Confirmed" in {b["text"] for b in standin.edits(careful)[-1].buttons}
            assert "once an official confirms it" in standin.edits(careful)[-1].text
            with Session(bot.engine) as s:
                levels = {x.chat_id: (x.min_status, x.include_claims) for x in s.exec(select(Subscription)).all()}
            assert levels == {anyone: ("reported", False), careful: ("confirmed", False)}
            before = {chat: len(standin.sent(chat)) for chat in (anyone, careful)}

            # One outlet: reported. The careful chat waits.
            write_feed(feeds["a"], "Outlet A", "a")
            (alert,) = await bot.wait(lambda: alerts(standin, anyone), timeout=30)
            assert "Reported: " in alert.text and "مصدر واحد: " in alert.text
            assert REPORTS["a"][0] in alert.links

            # A second, independent outlet: corroborated, by an edit of the same message and nothing else.
            write_feed(feeds["b"], "Outlet B", "b")

            def shows(word: str) -> bool:
                shown = standin.message(anyone, alert.message_id)
                return shown is not None and word in shown["text"]

            await bot.wait(lambda: shows("Corroborated: "), timeout=30)
            assert shows("مصادر مستقلة متعددة: ") and REPORTS["b"][0] in standin.edits(anyone)[-1].links
            await asyncio.sleep(3)  # time for a wrongly queued message to arrive
            assert len(standin.sent(anyone)) == before[anyone] + 1  # the alert alone, edited in place
            assert len(standin.sent(careful)) == before[careful]

            # An official confirms it: the alert is edited and replied to; the careful chat gets it now.
            write_feed(feeds["c"], "Outlet C", "c")
            (confirmed,) = await bot.wait(lambda: replies(standin, anyone, alert.message_id), timeout=30)
            assert "Confirmed: Coalition" in confirmed.text and "مؤكد: التحالف الدولي" in confirmed.text
            await bot.wait(lambda: shows("Confirmed: Coalition"), timeout=30)
            (late,) = await bot.wait(lambda: alerts(standin, careful), timeout=30)
            assert "Confirmed: Coalition" in late.text and late.reply_to is None
            assert all(url in late.links for url, _text in (REPORTS["a"], REPORTS["b"], REPORTS["c"]))

            # An official denies it: shown as disputed, never dropped; a short reply says so.
            write_feed(feeds["d"], "Outlet D", "d")
            await bot.wait(lambda: len(replies(standin, anyone, alert.message_id)) == 2, timeout=30)
            disputed = replies(standin, anyone, alert.message_id)[-1]
            assert "Disputed: " in disputed.text and "نفي رسمي: " in disputed.text
            await bot.wait(lambda: shows("Disputed: "), timeout=30)
            (denied,) = await bot.wait(lambda: replies(standin, careful, late.message_id), timeout=30)
            assert "Disputed: " in denied.text
            assert len(alerts(standin, anyone)) == 1 and len(alerts(standin, careful)) == 1  # one alert per chat

    asyncio.run(main())
