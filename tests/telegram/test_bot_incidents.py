"""/recent, /incident and /stats through the stand-in, on incidents inserted directly into the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.telegram.export_texts import CHART_NOTE
from tests.support.telegram_standin import BotApiStandin
from tests.telegram.bot_harness import add_incident, fresh_engine, running_bot

NOW = datetime(2024, 4, 21, 9, 0, tzinfo=UTC)


def test_recent_with_no_incidents_says_so(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            assert (await bot.say(1001, 1001, "/recent")).text == "No incidents recorded yet."
            assert (await bot.say(1002, 1002, "/recent", "ar")).text == "لم يُسجَّل أي هجوم بعد."

    asyncio.run(main())


def test_recent_lists_the_newest_first_with_date_place_weapon_casualties_sources_and_id(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    engine = fresh_engine(sqlite_url)
    old = add_incident(engine, day=date(2024, 4, 1), weapon="drone", sources=(("A", "https://a.example/1"),))
    new = add_incident(
        engine, day=date(2024, 4, 20), weapon="rocket", wounded=2,
        sources=(("A", "https://a.example/2"), ("B", "https://b.example/2"), ("C", "https://c.example/2")),
    )
    mid = add_incident(
        engine, day=date(2024, 4, 10), place=("tower-22", "Tower 22", "البرج 22"), country="jordan",
        province=("Mafraq", "المفرق"), weapon="drone", killed=3, wounded=40,
    )
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            en = (await bot.say(1003, 1003, "/recent")).text.splitlines()
            assert en[0] == "Latest 3 incidents"
            assert [line.split(" · ")[0] for line in en[1:4]] == [f"#{new}", f"#{mid}", f"#{old}"]
            assert en[1] == (
                f"#{new} · Sat 20 Apr 2024 · Ain al-Asad Air Base (Anbar, Iraq) · rockets · 2 wounded · Reported"
                " · 3 sources"
            )
            assert en[2] == (
                f"#{mid} · Wed 10 Apr 2024 · Tower 22 (Mafraq, Jordan) · drones · 3 killed, 40 wounded · Reported"
                " · 1 source"
            )
            ar = (await bot.say(1004, 1004, "/recent 2", "ar")).text.splitlines()
            assert ar[0] == "آخر الهجمات (2)" and len([x for x in ar if x.startswith("#")]) == 2
            assert ar[1] == (
                f"#{new} · السبت 20 نيسان 2024 · قاعدة عين الأسد (الأنبار، العراق) · صواريخ · جريحان · مصدر واحد"
                " · 3 مصادر"
            )

    asyncio.run(main())


def test_recent_with_bad_or_huge_counts_gets_a_helpful_answer(standin: BotApiStandin, sqlite_url: str) -> None:
    engine = fresh_engine(sqlite_url)
    add_incident(engine, day=date(2024, 4, 20))
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            huge = (await bot.say(1005, 1005, "/recent 999")).text
            assert huge.startswith("A page holds at most 20 incidents; press “Older” for the ones before them.")
            assert "Latest incident" in huge
            word = (await bot.say(1005, 1005, "/recent abc")).text
            assert word == "“abc” is not a number. Example: /recent 10 (1 to 20)."
            zero = (await bot.say(1005, 1005, "/recent 0")).text
            assert "at least one" in zero
            arabic_digits = (await bot.say(1006, 1006, "/recent ١", "ar")).text
            assert arabic_digits.startswith("آخر هجوم")

    asyncio.run(main())


def test_incident_shows_every_fact_every_source_link_and_a_map(standin: BotApiStandin, sqlite_url: str) -> None:
    engine = fresh_engine(sqlite_url)
    sources = tuple((f"Outlet <{i}>", f"https://news{i}.example/a?x={i}&y=1") for i in range(25))
    inc = add_incident(engine, day=date(2024, 4, 20), killed=0, wounded=0, sources=sources)
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            msg = await bot.say(1007, 1007, f"/incident {inc}")
            assert "Rocket attack on Ain al-Asad Air Base (Anbar, Iraq)" in msg.text
            assert "no casualties" in msg.text and "Sources (25):" in msg.text
            assert "Outlet <24>" in msg.text  # escaped on the way out, shown as typed
            links = msg.links
            assert all(url in links for _, url in sources)
            assert any(u.startswith("https://www.openstreetmap.org/?mlat=33.8000&mlon=42.4400") for u in links)
            ar = await bot.say(1008, 1008, f"/incident #{inc}", "ar")
            assert "هجوم صاروخي على قاعدة عين الأسد" in ar.text and "المصادر (25):" in ar.text

    asyncio.run(main())


def test_incident_unknown_or_malformed_ids_are_answered(standin: BotApiStandin, sqlite_url: str) -> None:
    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            assert (await bot.say(1009, 1009, "/incident 12345")).text.startswith("There is no incident #12345.")
            assert (await bot.say(1009, 1009, "/incident x")).text.startswith("“x” is not an incident number.")
            assert (await bot.say(1009, 1009, "/incident")).text.startswith("Send the incident's number.")
            assert (await bot.say(1009, 1009, "/incident 1 2")).text == "This command takes one argument only."

    asyncio.run(main())


def test_stats_counts_by_country_and_weapon_over_7_and_30_days(standin: BotApiStandin, sqlite_url: str) -> None:
    engine = fresh_engine(sqlite_url)
    today = NOW.date()
    add_incident(engine, day=today, weapon="rocket")
    add_incident(engine, day=today - timedelta(days=6), weapon="drone", country="syria")
    add_incident(engine, day=today - timedelta(days=20), weapon="drone")
    add_incident(engine, day=today - timedelta(days=40), weapon="mortar")  # outside both windows
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, sqlite_url, clock=lambda: NOW) as bot:
            en = (await bot.say(1010, 1010, "/stats")).text.splitlines()
            assert en[0] == "Incidents: 2 in the last 7 days · 3 in the last 30 days"
            assert en[2:5] == ["By country (7 / 30 days)", "Iraq: 1 / 2", "Syria: 1 / 1"]
            assert en[6:9] == ["By weapon (7 / 30 days)", "drones: 1 / 2", "rockets: 1 / 1"]
            assert en[10:] == CHART_NOTE.splitlines()  # the chart's labels are English: a line in both languages
            ar = (await bot.say(1011, 1011, "/stats", "ar")).text.splitlines()
            assert ar[0] == "الهجمات: 2 خلال 7 أيام · 3 خلال 30 يوماً" and "العراق: 1 / 2" in ar

    asyncio.run(main())


def test_recent_pages_with_newer_and_older_buttons_editing_the_same_message(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    engine = fresh_engine(sqlite_url)
    ids = [add_incident(engine, day=date(2024, 3, 1) + timedelta(days=i)) for i in range(7)]
    engine.dispose()
    newest_first = ids[::-1]

    def numbers(text: str) -> list[int]:
        return [int(line.split(" · ")[0][1:]) for line in text.splitlines() if line.startswith("#")]

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            first = await bot.say(1201, 1201, "/recent 3")
            assert numbers(first.text) == newest_first[:3]
            assert [b["text"] for b in first.buttons] == ["Older ▶"]
            before = len(standin.sent(1201))

            async def press(label: str, count: int) -> str:
                current = standin.message(1201, first.message_id)
                assert current is not None
                data = {b["text"]: b["callback_data"] for row in current["reply_markup"]["inline_keyboard"]
                        for b in row}
                standin.user_presses(1201, 1201, first.message_id, data[label])
                await bot.wait(lambda: len(standin.edits(1201)) >= count)
                return standin.edits(1201)[-1].text

            second = await press("Older ▶", 1)
            assert second.splitlines()[0] == "Incidents 4–6, newest first"
            assert numbers(second) == newest_first[3:6]
            third = await press("Older ▶", 2)
            assert numbers(third) == newest_first[6:] and third.splitlines()[0] == "Incidents 7–7, newest first"
            page = standin.message(1201, first.message_id)
            assert page is not None
            assert [b["text"] for row in page["reply_markup"]["inline_keyboard"] for b in row] == ["◀ Newer"]
            back = await press("◀ Newer", 3)
            assert numbers(back) == newest_first[3:6]
            assert len(standin.sent(1201)) == before  # every page is the same message, edited
            ar = await bot.say(1202, 1202, "/recent 30", "ar")
            assert ar.text.startswith("تتسع الصفحة الواحدة لعشرين هجوماً") and "20" not in ar.text.splitlines()[1]
            assert numbers(ar.text) == newest_first and ar.buttons == []

    asyncio.run(main())


def test_incident_shows_evidence_who_is_cited_and_each_outlet_once_with_its_articles_times(
    standin: BotApiStandin, sqlite_url: str
) -> None:
    from sqlmodel import Session, select

    from bot.models import Article, IncidentReport

    engine = fresh_engine(sqlite_url)
    inc = add_incident(
        engine, day=date(2024, 4, 20),
        sources=(("Wire", "https://wire.example/1"), ("Daily", "https://daily.example/1"),
                 ("Wire", "https://wire.example/2")),
    )
    published = {  # UTC; shown in Baghdad time (UTC+3), or in the chat's chosen zone
        "https://wire.example/1": datetime(2024, 4, 20, 18, 5, tzinfo=UTC),
        "https://daily.example/1": datetime(2024, 4, 20, 19, 30, tzinfo=UTC),
        "https://wire.example/2": None,  # no date in the feed: when Rasad read it
    }
    made_up = {  # invented sentences, in the shape the extractor keeps as evidence
        "https://wire.example/1": (["Three rockets struck the test base late on Saturday."], ["CENTCOM"]),
        "https://daily.example/1": (["Three rockets struck the test base late on Saturday."], []),
        "https://wire.example/2": (["Two of the rockets were intercepted, an official said."], ["an official"]),
    }
    read_at = datetime(2024, 4, 20, 21, 0, tzinfo=UTC)
    with Session(engine) as s:
        for article, report in s.exec(
            select(Article, IncidentReport).where(IncidentReport.article_id == Article.id)
        ).all():
            article.published = published[article.url]
            report.created_at = read_at
            evidence, cited = made_up[article.url]
            report.extracted = {"evidence": evidence, "sources": cited}
            s.add(article)
            s.add(report)
        s.commit()
    engine.dispose()

    async def main() -> None:
        async with running_bot(standin, sqlite_url) as bot:
            msg = await bot.say(1301, 1301, f"/incident {inc}")
            lines = msg.text.splitlines()
            say = lines.index("What the reports say:")
            assert lines[say + 1 : say + 3] == [
                "«Three rockets struck the test base late on Saturday.» — Wire",  # the same sentence once
                "«Two of the rockets were intercepted, an official said.» — Wire",
            ]
            assert "Sources (2): (Baghdad time)" in lines
            assert "1. Wire (citing CENTCOM, an official): 20 Apr 21:05 · 21 Apr 00:00" in lines
            assert "2. Daily: 20 Apr 22:30" in lines
            assert set(msg.links) >= set(published)
            ar = (await bot.say(1302, 1302, f"/incident {inc}", "ar")).text.splitlines()
            assert "ما ورد في التقارير:" in ar and "المصادر (2): (بتوقيت بغداد)" in ar
            assert "1. Wire (نقلاً عن CENTCOM، an official): 20 نيسان 21:05 · 21 نيسان 00:00" in ar

    asyncio.run(main())
