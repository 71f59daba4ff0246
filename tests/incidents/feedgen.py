"""Build small RSS documents for pipeline tests (our own words, Arabic news style)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    """One feed item."""

    title: str
    link: str
    text: str
    published: datetime | None = None
    guid: str | None = None


def rss(items: list[Item], title: str = "وكالة اختبار") -> bytes:
    """An RSS 2.0 document with these items, newest first as publishers write them."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://news.example/</link><description>test</description>",
    ]
    for it in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(it.title)}</title><link>{escape(it.link)}</link>")
        if it.guid:
            parts.append(f'<guid isPermaLink="false">{escape(it.guid)}</guid>')
        if it.published:
            parts.append(f"<pubDate>{format_datetime(it.published)}</pubDate>")
        parts.append(f"<description>{escape(it.text)}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


ASAD_ROCKETS = (
    "أفاد مصدر أمني عراقي بأن ثلاثة صواريخ سقطت مساء الثلاثاء على قاعدة عين الأسد الجوية بمحافظة الأنبار "
    "التي تستضيف قوات أمريكية، من دون أن يسفر القصف عن إصابات."
)
ASAD_ROCKETS_LATER = (
    "قال مسؤول في التحالف الدولي إن ثلاثة صواريخ استهدفت قاعدة عين الأسد مساء الثلاثاء، وأعلنت "
    "المقاومة الإسلامية في العراق في بيان مسؤوليتها عن الهجوم."
)
TANF_DRONES = (
    "أعلنت القيادة المركزية الأمريكية أن طائرتين مسيرتين استهدفتا قاعدة التنف في سوريا فجر الأربعاء، "
    "وتم إسقاطهما من دون وقوع إصابات."
)
# Written for these tests: the same drones reported at Tower 22, across the border from al-Tanf.
TOWER22_DRONES = (
    "قالت وزارة الدفاع الأمريكية إن طائرتين مسيرتين هاجمتا موقع البرج 22 في الأردن قرب الحدود السورية فجر "
    "الأربعاء، وتم إسقاطهما من دون وقوع إصابات."
)
NOTHING = "عقد البرلمان العراقي جلسة لمناقشة الموازنة العامة للعام المقبل وسط خلافات بين الكتل السياسية."


def filler(n: int) -> str:
    """A harmless article body (no attack), different for each n."""
    return f"{NOTHING} وناقش النواب البند رقم {n} من جدول الأعمال."
