"""What a parse may cost in memory: lean workers, a budget per parse, bloated workers gone at once, and big
bodies waiting for their worker on disk rather than in the service (bot.feeds.parse_worker, bot.malloc).

Real worker processes and real documents throughout; the figures over time are the benchmark's
(tests/bench/bench_hostile_rss.py), not asserted here.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import malloc
from bot.feeds.parse_worker import Document, ParseFailed, ParsePool, remove_stale_documents
from tests.incidents.feedgen import ASAD_ROCKETS, Item, rss

SERVICE_ONLY = {"sqlalchemy", "sqlmodel", "alembic", "telegram", "httpx", "apscheduler", "prometheus_client"}
"""Packages of the service a worker has no use for (database, Telegram, HTTP client, scheduler, metrics)."""


def one_huge_item(size: int = 4_000_000) -> bytes:
    """A feed whose single item carries `size` bytes of text: ~76 MB for the parsers to take apart."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>'
    item = b"<item><title>b</title><description>" + b"kalam " * (size // 6) + b"</description></item>"
    return head + item + b"</channel></rss>"


def attack_feed() -> bytes:
    return rss([Item("عين الأسد", "https://news.example/a", ASAD_ROCKETS)])


@pytest.fixture
def pool() -> Iterator[ParsePool]:
    p = ParsePool(workers=1)
    yield p
    p.close()


def test_a_worker_imports_the_parsers_and_nothing_of_the_service(pool: ParsePool) -> None:
    async def go() -> list[str]:
        await pool.feed(attack_feed(), url="https://news.example/", content_type=None, timeout=30)
        loaded: list[str] = await pool.run("modules", timeout=30)
        return loaded

    loaded = set(asyncio.run(go()))
    assert "feedparser" in loaded
    assert not loaded & SERVICE_ONLY, loaded & SERVICE_ONLY
    assert "extractor" not in loaded and "trafilatura" not in loaded  # the article extractor only for pages


def test_a_document_past_the_parse_budget_fails_alone_and_the_next_parse_goes_on() -> None:
    pool = ParsePool(workers=1, parse_mb=48)
    try:

        async def go() -> int:
            with pytest.raises(ParseFailed, match="more memory than a parser may use"):
                await pool.feed(one_huge_item(), url="https://big.example/", content_type=None, timeout=60)
            ok = await pool.feed(attack_feed(), url="https://news.example/", content_type=None, timeout=30)
            return len(ok.items)

        assert asyncio.run(go()) == 1
    finally:
        pool.close()


def test_a_big_feed_within_the_budget_still_parses(pool: ParsePool) -> None:
    """500 items of long Arabic text (~7.8 MB, more than polling.max_bytes allows) fit the default budget."""
    text = "<p>" + "كلمة عربية طويلة " * 500 + "</p>"
    body = rss([Item(f"خبر {i}", f"https://news.example/{i}", text) for i in range(500)])
    parsed = asyncio.run(pool.feed(body, url="https://news.example/", content_type=None, timeout=60))
    assert parsed.error is None and len(parsed.items) == 500


def test_an_article_page_of_a_megabyte_is_read_within_the_budget(pool: ParsePool) -> None:
    """The budget is for the page: the extractor is imported before it is set."""
    paragraph = "<p>" + "قال مسؤول عسكري إن صواريخ سقطت قرب القاعدة صباح اليوم. " * 40 + "</p>\n"
    html = ("<html><body><nav>menu</nav><article>" + paragraph * 300 + "</article></body></html>").encode()
    assert len(html) > 1_000_000
    text = asyncio.run(pool.page(html, "https://news.example/a", content_type=None, timeout=60))
    assert text is not None and "صواريخ" in text


def test_a_worker_past_its_resident_limit_is_replaced_right_after_its_parse() -> None:
    pool = ParsePool(workers=1, retire_mb=1.0)  # every worker is past 1 MB: each is stopped after its parse
    try:

        async def go() -> tuple[list[int], int]:
            await pool.feed(attack_feed(), url="https://news.example/", content_type=None, timeout=30)
            left = pool.pids()
            await pool.feed(attack_feed(), url="https://news.example/", content_type=None, timeout=30)
            return left, pool.started

        left, started = asyncio.run(go())
        assert left == []  # not kept idle until the next parse
        assert started == 2
    finally:
        pool.close()


def test_a_big_body_waits_on_disk_and_reaches_the_parser_whole(pool: ParsePool) -> None:
    body = attack_feed()
    with Document(body, spool_over=100) as document:
        assert document.body is None and document.path is not None and os.path.getsize(document.path) == len(body)
        path = document.path
        parsed = asyncio.run(pool.feed(document, url="https://news.example/", content_type=None, timeout=30))
    assert not os.path.exists(path)  # removed once parsed
    assert [i.title for i in parsed.items] == ["عين الأسد"]
    with Document(body) as small:  # a healthy feed's body stays in memory: no file for every poll
        assert small.path is None and small.body is body


def test_documents_a_killed_service_left_on_disk_are_removed_and_fresh_ones_kept(tmp_path: Path) -> None:
    old, fresh, other = tmp_path / "rasad-body-old", tmp_path / "rasad-body-fresh", tmp_path / "someone-else"
    for path in (old, fresh, other):
        path.write_bytes(b"<rss/>")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    assert remove_stale_documents(directory=str(tmp_path)) == 1
    assert not old.exists() and fresh.exists() and other.exists()


def test_the_allocator_calls_are_harmless_wherever_they_run() -> None:
    malloc.tune()
    malloc.tune()
    malloc.trim()
