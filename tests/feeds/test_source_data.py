"""Sources' data put right: mislabelled charsets, colliding GUIDs, renamed items, impossible dates (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds.parse import ParsedItem, content_identity, item_identity, keep_colliding_guids, parse_feed
from bot.feeds.source_data import (
    declared_charset,
    plausible_published,
    repair_encoding,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# Our own words, in the style of a news item.
HEADLINE = "سقوط صواريخ قرب قاعدة جوية غربي البلاد"
BODY = "قال مصدر محلي إن عدة صواريخ سقطت مساء اليوم قرب قاعدة جوية في المحافظة الغربية دون أنباء عن إصابات."


def _rss(encoding_label: str, items: list[tuple[str, str, str, str]]) -> str:
    parts = [f'<?xml version="1.0" encoding="{encoding_label}"?>', '<rss version="2.0"><channel><title>وكالة</title>']
    for guid, link, title, text in items:
        parts.append(f"<item><guid isPermaLink=\"false\">{guid}</guid><link>{link}</link>"
                     f"<title>{title}</title><description>{text}</description></item>")
    parts.append("</channel></rss>")
    return "".join(parts)


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'<?xml version="1.0" encoding="windows-1256"?><rss/>', None, "windows-1256"),
        (b"<rss/>", "application/rss+xml; charset=UTF-8", "UTF-8"),
        (b'<?xml version="1.0" encoding="utf-8"?><rss/>', "text/xml; charset=iso-8859-6", "iso-8859-6"),
        (b"<rss/>", "text/xml", None),
    ],
)
def test_declared_charset(body: bytes, content_type: str | None, expected: str | None) -> None:
    assert declared_charset(body, content_type) == expected


def test_windows_1256_served_as_utf8_is_read_as_windows_1256_with_a_warning() -> None:
    body = _rss("UTF-8", [("g1", "https://a.example/1", HEADLINE, BODY)]).encode("cp1256")
    repaired = repair_encoding(body, "application/rss+xml; charset=utf-8")
    assert repaired.warning is not None and "says utf-8" in repaired.warning and "1256" in repaired.warning
    assert repaired.content_type == "application/rss+xml; charset=utf-8"
    assert HEADLINE in repaired.body.decode("utf-8")
    parsed = parse_feed(body, url="https://a.example/rss", content_type="application/rss+xml; charset=utf-8")
    assert parsed.error is None and parsed.items[0].title == HEADLINE and parsed.items[0].text == BODY
    assert parsed.warning is not None and parsed.warning.startswith("charset:")


@pytest.mark.parametrize(
    ("label", "codec"), [("UTF-8", "utf-8"), ("windows-1256", "cp1256"), ("utf-8", "utf-8-sig")]
)
def test_text_valid_in_its_declared_charset_passes_untouched(label: str, codec: str) -> None:
    body = _rss(label, [("g1", "https://a.example/1", HEADLINE, BODY)]).encode(codec)
    repaired = repair_encoding(body, None)
    assert repaired.body == body and repaired.warning is None
    parsed = parse_feed(body, url="https://a.example/rss")
    assert parsed.items[0].title == HEADLINE and parsed.warning is None


def _item(guid: str | None, link: str, title: str = HEADLINE, text: str = BODY) -> ParsedItem:
    return ParsedItem(item_identity(guid, link, title, text), guid, link, title, text, None, True)


def test_one_guid_on_two_different_items_keeps_both_and_a_repeat_once() -> None:
    first = _item("g", "https://a.example/1")
    other = _item("g", "https://a.example/2", "هجوم بطائرة مسيرة على قاعدة شرقي البلاد", BODY + " تحديث")
    again = _item("g", "https://a.example/1")
    kept = keep_colliding_guids([first, other, again])
    assert [i.link for i in kept] == ["https://a.example/1", "https://a.example/2"]
    assert kept[0].identity == first.identity and kept[1].identity != first.identity
    assert keep_colliding_guids([first, other])[1].identity == kept[1].identity  # stable from fetch to fetch


def test_a_feed_with_two_items_under_one_guid_parses_to_two_items() -> None:
    body = _rss("UTF-8", [("same", "https://a.example/1", HEADLINE, BODY),
                          ("same", "https://a.example/2", "خبر آخر تماما عن موضوع مختلف", "نص مختلف " * 10)])
    assert [i.link for i in parse_feed(body.encode(), url="https://a.example/rss").items] == [
        "https://a.example/1",
        "https://a.example/2",
    ]


def test_content_identity_ignores_guid_link_and_spacing_but_not_words() -> None:
    a = _item("x1", "https://a.example/?sid=1")
    b = _item("x2", "https://a.example/?sid=2", title=f"  {HEADLINE} ", text=BODY.replace(" ", "  "))
    c = _item("x3", "https://a.example/?sid=3", title=HEADLINE + " (محدث)")
    assert content_identity(a) == content_identity(b) != content_identity(c)
    assert content_identity(_item("x", "https://a.example/", title="عاجل", text="")) is None  # too little to tell


@pytest.mark.parametrize(
    ("published", "kept"),
    [
        (None, False),
        (NOW, True),
        (NOW + timedelta(hours=23), True),  # a publisher's clock a few hours ahead
        (NOW + timedelta(days=1, minutes=1), False),
        (datetime(2099, 12, 30, tzinfo=UTC), False),
        (datetime(1999, 12, 31, 23, 59, tzinfo=UTC), False),
        (datetime(2000, 1, 1, tzinfo=UTC), True),
        (datetime(1970, 1, 1, tzinfo=UTC), False),
    ],
)
def test_plausible_published(published: datetime | None, kept: bool) -> None:
    assert plausible_published(published, NOW) == (published if kept else None)


@pytest.mark.parametrize("kind", ["rss", "atom", "rdf"])
def test_a_feed_of_many_items_is_cut_before_parsing_and_says_so(kind: str) -> None:
    n = 5000
    if kind == "rss":
        entries = "".join(f"<item><guid>g{i}</guid><title>t{i}</title></item>" for i in range(n))
        doc = f'<rss version="2.0"><channel><title>x</title>{entries}</channel></rss>'
    elif kind == "atom":
        entries = "".join(f'<entry><id>g{i}</id><title>t{i}</title></entry>' for i in range(n))
        doc = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>{entries}</feed>'
    else:
        entries = "".join(f'<item rdf:about="https://a.example/{i}"><title>t{i}</title>'
                          f"<link>https://a.example/{i}</link></item>" for i in range(n))
        doc = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
               f'<channel rdf:about="https://a.example/"><title>x</title></channel>{entries}</rdf:RDF>')
    parsed = parse_feed(doc.encode(), url="https://a.example/rss", max_items=100)
    assert parsed.error is None and len(parsed.items) == 100 and parsed.items[-1].title == "t99"
    assert parsed.warning is not None and "more than 100 items: only the first 100 were read" in parsed.warning
    assert not parsed.warning.startswith("not well-formed")  # the cut document was closed properly
    small = parse_feed(doc.encode(), url="https://a.example/rss", max_items=n)
    assert len(small.items) == n and small.warning is None
