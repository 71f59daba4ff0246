"""bot.feeds.parse.parse_feed on our own fixtures: Arabic RSS/Atom, legacy charsets over HTTP, hostile HTML, junk."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.feeds.fetcher import FetchResult, FetchStatus
from bot.feeds.parse import ParsedFeed, html_to_text, link_key, parse_feed
from tests.support.feed_server import FeedServer, Route

DATA = Path(__file__).resolve().parent / "data"
FEED_URL = "https://feeds.example.com/dir/feed.xml"
Fetch = Callable[..., FetchResult]


def parse_file(name: str, *, url: str = FEED_URL, content_type: str | None = None) -> ParsedFeed:
    return parse_feed((DATA / name).read_bytes(), url=url, content_type=content_type)


def fetch_and_parse(server: FeedServer, fetch_url: Fetch, name: str, content_type: str | None) -> ParsedFeed:
    """The orchestrator's path: serve the file over HTTP, fetch it, parse with the served Content-Type."""
    url = server.add(f"/{name}", Route(body=(DATA / name).read_bytes(), content_type=content_type))
    result = fetch_url(url)
    assert result.status is FetchStatus.OK
    return parse_feed(result.body, url=result.final_url, content_type=result.content_type)


def test_rss2_arabic() -> None:
    feed = parse_file("rss2_arabic.xml", content_type="application/rss+xml; charset=utf-8")
    assert feed.error is None and feed.warning is None and feed.format == "rss20"
    assert feed.title == "رصد — أخبار تجريبية"
    first, second, third = feed.items
    assert first.guid == "rasad-test-0001"
    assert first.title == "هجوم بطائرة مسيّرة على قاعدة عين الأسد غربي العراق"
    assert first.link == "https://news.example.org/2024/02/03/drone-ain-al-asad"
    assert first.published == datetime(2024, 2, 3, 3, 15, tzinfo=UTC)  # +0300 → UTC
    assert not first.is_summary  # content:encoded is the full text
    assert first.text.startswith("أفادت مصادر أمنية عراقية")
    assert "\n\nوقالت المصادر" in first.text  # paragraphs stay apart
    assert "<" not in first.text and "عين الأسد" in first.text
    assert second.is_summary and second.text == "سقطت ثلاثة صواريخ قرب القاعدة الأمريكية في حقل كونيكو للغاز."
    assert link_key(second.link) == "https://news.example.org/2024/02/04/conoco-rockets"
    assert third.guid is None
    assert third.link == "https://feeds.example.com/2024/02/05/harir-statement"  # relative → feed URL
    assert len({i.identity for i in feed.items}) == 3


def test_atom10_arabic() -> None:
    feed = parse_file("atom10_arabic.xml", content_type="application/atom+xml")
    assert feed.error is None and feed.format == "atom10"
    tanf, shaddadi = feed.items
    assert tanf.title == "استهداف قاعدة التنف بطائرتين مسيّرتين"  # type="html" title, tags gone
    assert tanf.link == "https://atom.example.net/ar/news/77-tanf"  # xml:base
    assert tanf.published == datetime(2024, 3, 10, 2, 30, tzinfo=UTC)  # published wins over updated
    assert not tanf.is_summary and tanf.text.endswith("ولم يصدر تعليق فوري من التحالف.")
    assert shaddadi.published == datetime(2024, 3, 11, 12, 0, tzinfo=UTC)  # falls back to updated
    assert shaddadi.is_summary and shaddadi.text == "دوّت صفارات الإنذار في قاعدة الشدادي مساء الاثنين."


ARABIC_TITLES = ["سقوط صواريخ قرب قاعدة فكتوريا في مطار بغداد", "هجوم على قاعدة الحرير شمال أربيل"]


@pytest.mark.parametrize(
    ("name", "content_type", "titles"),
    [
        ("windows1256.xml", "application/rss+xml", ARABIC_TITLES),  # charset from the XML declaration
        ("windows1256.xml", "text/xml; charset=windows-1256", ARABIC_TITLES),  # header and declaration agree
        ("windows1256_undeclared.xml", "application/rss+xml; charset=windows-1256", ARABIC_TITLES),  # header only
        ("iso8859_6.xml", "application/xml", ARABIC_TITLES),
        ("iso8859_6.xml", None, ARABIC_TITLES),  # no Content-Type at all
        ("koi8r.xml", "application/rss+xml", ["Новости: атака на базу"]),
        ("big5.xml", "application/rss+xml", ["基地遭到無人機襲擊"]),
    ],
)
def test_legacy_charsets_over_http(
    feed_server: FeedServer, fetch_url: Fetch, name: str, content_type: str | None, titles: list[str]
) -> None:
    feed = fetch_and_parse(feed_server, fetch_url, name, content_type)
    assert feed.error is None
    assert [i.title for i in feed.items] == titles


def test_the_http_charset_is_what_decodes_an_undeclared_feed(feed_server: FeedServer, fetch_url: Fetch) -> None:
    # The same bytes without the header charset cannot come out as Arabic: the header is really used.
    feed = fetch_and_parse(feed_server, fetch_url, "windows1256_undeclared.xml", "application/rss+xml")
    assert [i.title for i in feed.items] != ARABIC_TITLES


def test_hostile_html_comes_out_as_plain_text() -> None:
    feed = parse_file("hostile.xml")
    assert feed.title == "Hostile feed"
    first, second = feed.items
    assert first.title == "هجوم على قاعدة فكتوريا"
    assert first.link is None  # javascript: link dropped
    assert "نص الخبر الأول" in first.text and "مضاعف" in first.text
    assert second.text == "hover text"
    for item in feed.items:
        for text in (item.title, item.text):
            lowered = text.lower()
            assert not re.search(r"<\s*[a-z!/?]", lowered), text
            for bad in ("javascript:", "onerror", "onclick", "document.cookie", "alert(", "display:none"):
                assert bad not in lowered, (bad, text)


def test_relative_links_resolve_against_the_final_url() -> None:
    feed = parse_file("relative_links.xml", url="https://site.example.org/feeds/ar/rss.xml")
    assert [i.link for i in feed.items] == [
        "https://site.example.org/articles/1",
        "https://site.example.org/feeds/ar/2.html",
        "https://site.example.org/feeds/up/3.html",
        "https://other.example.com/4",
    ]


def test_republished_item_with_a_new_guid_keeps_its_link_key() -> None:
    (old,) = parse_file("republish_v1.xml").items
    (new,) = parse_file("republish_v2.xml").items
    assert old.identity != new.identity  # the GUID changed, so it is a new entry for the feed…
    assert link_key(old.link) == link_key(new.link) == "https://rep.example.org/news/123"  # …same article


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        (b"", None, "empty response body"),
        (b"  \r\n\t ", None, "empty response body"),
        ((DATA / "html_page.html").read_bytes(), "text/html; charset=utf-8", "not a feed: got an HTML page"),
        ((DATA / "html_page.html").read_bytes(), "application/rss+xml", "not a feed: got an HTML page"),
        ((DATA / "not_a_feed.txt").read_bytes(), "text/plain", "not a feed: not well-formed XML"),
        (b'{"items": []}', "application/json", "not a feed: not well-formed XML"),
        (b"<?xml version='1.0'?><note><to>x</to></note>", "application/xml", "not a feed: no RSS, Atom or RDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", "not a feed"),
    ],
)
def test_not_a_feed(body: bytes, content_type: str | None, error: str) -> None:
    feed = parse_feed(body, url=FEED_URL, content_type=content_type)
    assert feed.items == [] and feed.error is not None
    assert feed.error.startswith(error), feed.error
    assert "\n" not in feed.error and len(feed.error) < 300


def test_invalid_xml_is_parsed_leniently_with_a_warning() -> None:
    feed = parse_file("invalid.xml", content_type="application/rss+xml")
    assert feed.error is None
    assert feed.warning is not None and feed.warning.startswith("not well-formed XML (line ")
    (item,) = feed.items
    assert item.link == "https://broken.example.org/1"
    assert "قاعدة" in item.title


def test_valid_feed_without_items_is_not_an_error() -> None:
    feed = parse_feed(b'<rss version="2.0"><channel><title>quiet</title></channel></rss>', url=FEED_URL)
    assert feed.error is None and feed.items == [] and feed.title == "quiet" and feed.format == "rss20"


def test_max_items_and_duplicates() -> None:
    items = "".join(f"<item><guid>g{i % 30}</guid><title>t{i}</title></item>" for i in range(60))
    body = f'<rss version="2.0"><channel><title>many</title>{items}</channel></rss>'.encode()
    assert [i.guid for i in parse_feed(body, url=FEED_URL).items] == [f"g{i}" for i in range(30)]
    assert len(parse_feed(body, url=FEED_URL, max_items=7).items) == 7


def test_long_title_is_capped_and_whitespace_collapsed() -> None:
    title = "هجوم   على\n\tقاعدة " + "ا" * 1000
    body = f'<rss version="2.0"><channel><item><title>{title}</title></item></channel></rss>'.encode()
    (item,) = parse_feed(body, url=FEED_URL).items
    assert item.title.startswith("هجوم على قاعدة ") and len(item.title) <= 300 and item.title.endswith("…")


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),  # blocks → paragraphs
        ("a<br>b<br/>c", "a\nb\nc"),  # line breaks kept
        ("x <script>alert(1)</script>y", "x y"),  # script content dropped
        ("<style>p{}</style>نص", "نص"),  # style content dropped
        ("&lt;b&gt;bold&lt;/b&gt;", "bold"),  # double-escaped markup is stripped too
        ("5 &lt; 6 &amp;&amp; 7 &gt; 3", "5 < 6 && 7 > 3"),  # a lone '<' is text
        ("tab\there\u00a0nbsp\x00nul", "tab here nbspnul"),  # control characters out, spaces folded
        ("<a href='javascript:alert(1)' onclick='x()'>link</a>", "link"),  # attributes never reach text
        ("<img src=x onerror=alert(1)>", ""),
        ("<unclosed", "\u2039unclosed"),  # a tag the parser gives back as text is defused, not kept
    ],
)
def test_html_to_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;!?=\"' abcsriptjavx:pé\nقاعدة")), max_size=80))
def test_html_to_text_never_leaves_a_tag(markup: str) -> None:
    assert not re.search(r"<\s*[A-Za-z!/?]", html_to_text(markup))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_parse_feed_never_raises(body: bytes) -> None:
    feed = parse_feed(body, url=FEED_URL)
    assert feed.items or feed.error is not None or feed.format


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_parse_feed_never_raises_on_feed_like_text(junk: str) -> None:
    body = f'<rss version="2.0"><channel><item><title>{junk}</title><description>{junk}</description>'
    parse_feed(body.encode("utf-8", "surrogatepass"), url=FEED_URL)
