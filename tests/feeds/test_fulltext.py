"""bot.feeds.fulltext: main text of an article page (fetched over loopback as the poller does) and when to bother."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.feeds.fetcher import FetchResult, FetchStatus
from bot.feeds.fulltext import extract_main_text, needs_full_text
from bot.feeds.parse import ParsedItem
from tests.support.feed_server import FeedServer, Route

DATA = Path(__file__).resolve().parent / "data"
PAGE = (DATA / "article_page.html").read_bytes()
Fetch = Callable[..., FetchResult]


def check_article(text: str | None) -> None:
    assert text is not None
    assert text.startswith("هجوم بطائرات مسيّرة على قاعدة عين الأسد")
    assert "منظومات الدفاع الجوي في القاعدة تمكنت من اعتراض طائرتين" in text
    for noise in ("الأكثر قراءة", "أسعار الذهب", "جميع الحقوق محفوظة", "tracker", "footer script", "مُدرَج بالسكربت"):
        assert noise not in text, noise  # navigation, sidebar, footer and scripts are not the article
    for markup in ("<", "alert(", "onerror"):
        assert markup not in text, markup


def test_extracts_the_article_from_a_page_fetched_over_http(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/news/1", Route(body=PAGE, content_type="text/html; charset=utf-8", gzip=True))
    page = fetch_url(url)
    assert page.status is FetchStatus.OK
    check_article(extract_main_text(page.body, page.final_url, content_type=page.content_type))


def test_windows_1256_page_with_the_charset_only_in_the_header() -> None:
    html = PAGE.decode("utf-8").replace('<meta charset="utf-8">', "").encode("cp1256")
    check_article(extract_main_text(html, "https://news.example.org/1", content_type="text/html; charset=windows-1256"))


def test_str_input() -> None:
    check_article(extract_main_text(PAGE.decode("utf-8"), "https://news.example.org/1"))


@pytest.mark.parametrize(
    "html",
    [
        b"",  # nothing
        b"<html><body><p>short</p></body></html>",  # too little to be an article
        b"\x00\xff\xfe garbage \x89PNG",  # not HTML
        b"<html><body>" + b"<div>" * 5000 + b"</body></html>",  # deep nesting
        "<html><body><script>alert(1)</script></body></html>",  # only a script
    ],
)
def test_no_article_is_none(html: bytes | str) -> None:
    assert extract_main_text(html, "https://news.example.org/1") is None


def test_unknown_charset_falls_back_to_sniffing() -> None:
    check_article(extract_main_text(PAGE, "https://news.example.org/1", content_type="text/html; charset=x-bogus"))


def item(text: str, *, is_summary: bool, link: str | None = "https://news.example.org/1") -> ParsedItem:
    return ParsedItem("id", None, link, "t", text, None, is_summary)


@pytest.mark.parametrize(
    ("feed_item", "needed"),
    [
        # A short summary with a link: fetch the page.
        (item("x" * 100, is_summary=True), True),
        # A summary as long as an article: enough.
        (item("x" * 600, is_summary=True), False),
        # Full content of ordinary length: enough, even if under min_chars.
        (item("x" * 300, is_summary=False), False),
        # "Full" content that is only a stub (under a quarter of min_chars): fetch.
        (item("x" * 100, is_summary=False), True),
        # No link: nothing to fetch.
        (item("x", is_summary=True, link=None), False),
    ],
)
def test_needs_full_text(feed_item: ParsedItem, needed: bool) -> None:
    assert needs_full_text(feed_item) is needed


def test_needs_full_text_threshold_is_a_parameter() -> None:
    assert needs_full_text(item("x" * 100, is_summary=True), min_chars=50) is False


def test_the_same_page_twice_gives_the_same_text() -> None:
    # trafilatura's deduplicate option is process-wide: a second extraction of one page must not come back empty.
    first = extract_main_text(PAGE, "https://news.example.org/1")
    assert first is not None and extract_main_text(PAGE, "https://other.example.org/2") == first
