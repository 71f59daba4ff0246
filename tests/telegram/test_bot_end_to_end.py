"""End to end: a local RSS feed, the pipeline on PTB's JobQueue, a subscriber, the sender, the stand-in.

The articles are our own words about an invented rocket attack on Ain al-Asad. The first outlet's
report alerts the subscriber in Arabic and English with its source link; the second outlet's report of
the same attack edits that alert to add its link, and is not sent again.
"""

from __future__ import annotations

import asyncio
import html
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import FeedSettings, PollingSettings
from tests.support.telegram_standin import BotApiStandin, BotMessage
from tests.telegram.bot_harness import bot_settings, running_bot

pytest.importorskip("bot.alerts.sender")

ITEM_A = (
    """<item>
  <title>سقوط صواريخ على قاعدة عين الأسد</title>
  <link>https://outlet-a.example/news/ain-asad-rockets</link>
  <guid isPermaLink="false">outlet-a-1</guid>
  <pubDate>Sat, 20 Jan 2024 05:10:00 +0300</pubDate>
  <description>"""
    "قال مصدر في قيادة العمليات المشتركة إن ثلاثة صواريخ من نوع كاتيوشا سقطت فجر اليوم السبت "
    "داخل قاعدة عين الأسد الجوية بمحافظة الأنبار غربي العراق، التي تضم مستشارين من قوات "
    "التحالف الدولي. وأضاف المصدر أن الصواريخ انطلقت من منطقة صحراوية قريبة، وأن القوات الأمنية "
    "باشرت البحث عن منصة الإطلاق."
    """</description>
</item>"""
)

ITEM_B = (
    """<item>
  <title>صواريخ كاتيوشا تستهدف عين الأسد</title>
  <link>https://outlet-b.example/2024/01/20/asad</link>
  <guid isPermaLink="false">outlet-b-1</guid>
  <pubDate>Sat, 20 Jan 2024 07:30:00 +0300</pubDate>
  <description>"""
    "أفادت مصادر محلية في الأنبار بسقوط ثلاثة صواريخ كاتيوشا على قاعدة عين الأسد الجوية صباح "
    "السبت، وهي القاعدة التي تستضيف جنوداً أمريكيين ضمن التحالف الدولي. ولم يصدر أي تعليق رسمي "
    "من التحالف حتى الآن."
    """</description>
</item>"""
)


def write_feed(path: Path, title: str, *items: str) -> None:
    """An RSS 2.0 file; rewritten in place, as a site's feed changes between polls."""
    body = "\n".join(items)
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{html.escape(title)}</title>'
        f"<link>https://example.org/</link><description>test</description>{body}</channel></rss>\n",
        encoding="utf-8",
    )


def alerts(standin: BotApiStandin, chat_id: int) -> list[BotMessage]:
    return [m for m in standin.sent(chat_id) if "Rasad #" in m.text]


def test_a_reported_attack_alerts_a_subscriber_in_both_languages_and_a_second_source_edits_it(
    standin: BotApiStandin, sqlite_url: str, tmp_path: Path
) -> None:
    feed_a, feed_b = tmp_path / "a.xml", tmp_path / "b.xml"
    write_feed(feed_a, "Outlet A")
    write_feed(feed_b, "Outlet B")
    settings = bot_settings(
        standin,
        sqlite_url,
        polling=PollingSettings(tick=timedelta(seconds=1), interval=timedelta(seconds=1)),
        feeds=(
            FeedSettings(name="Outlet A", url=feed_a.as_uri(), max_age=timedelta(0)),
            FeedSettings(name="Outlet B", url=feed_b.as_uri(), max_age=timedelta(0)),
        ),
    )
    user = 2001

    async def main() -> None:
        async with running_bot(standin, sqlite_url, settings=settings) as bot:
            assert "تم الاشتراك" in (await bot.say(user, user, "/subscribe", "ar")).text
            menu = await bot.say(user, user, "/settings", "ar")
            # Alerts come in both languages by default, whatever the user's Telegram language.
            assert any(b["text"] == "✅ كلتاهما" for b in menu.buttons)

            write_feed(feed_a, "Outlet A", ITEM_A)
            (alert,) = await bot.wait(lambda: alerts(standin, user), timeout=30)
            assert "قاعدة عين الأسد" in alert.text and "Ain al-Asad" in alert.text
            assert "https://outlet-a.example/news/ain-asad-rockets" in alert.links
            assert "Outlet A" in alert.text and "3 rockets" in alert.text and "20 Jan 2024" in alert.text

            write_feed(feed_b, "Outlet B", ITEM_B)
            edit = await bot.wait(
                lambda: next((e for e in standin.edits(user) if e.message_id == alert.message_id), None), timeout=30
            )
            assert "https://outlet-b.example/2024/01/20/asad" in edit.links
            assert "https://outlet-a.example/news/ain-asad-rockets" in edit.links
            shown = standin.message(user, alert.message_id)
            assert shown is not None and "Outlet B" in shown["text"]
            sent = alerts(standin, user)
            assert len(sent) == 1, "\n---\n".join(m.text for m in sent)  # edited in place, not sent again

    asyncio.run(main())
