"""bot.feeds.parse.item_identity and link_key: one commented row per rule."""

from __future__ import annotations

import hashlib

import pytest

from bot.feeds.parse import item_identity, link_key


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("link", "key"),
    [
        # Scheme and host are lower-cased, http folds into https.
        ("HTTP://News.Example.ORG/a", "https://news.example.org/a"),
        # The fragment goes.
        ("https://example.org/a#comments", "https://example.org/a"),
        # The trailing slash goes (also the root's).
        ("https://example.org/a/", "https://example.org/a"),
        ("https://example.org/", "https://example.org"),
        # utm_* and other tracking parameters go; the rest is sorted.
        ("https://example.org/a?utm_source=rss&id=5&utm_medium=feed&fbclid=x&b=1", "https://example.org/a?b=1&id=5"),
        # A query of only tracking parameters leaves no '?'.
        ("https://example.org/a?utm_campaign=x&gclid=y", "https://example.org/a"),
        # Default ports go, others stay.
        ("https://example.org:443/a", "https://example.org/a"),
        ("http://example.org:80/a", "https://example.org/a"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        # Raw and %-encoded Arabic slugs give one key.
        ("https://example.org/news/هجوم-قاعدة", "https://example.org/news/%D9%87%D8%AC%D9%88%D9%85-%D9%82%D8%A7%D8%B9%D8%AF%D8%A9"),
        ("https://example.org/news/%d9%87%d8%ac%d9%88%d9%85-%d9%82%d8%a7%d8%b9%d8%af%d8%a9/",
         "https://example.org/news/%D9%87%D8%AC%D9%88%D9%85-%D9%82%D8%A7%D8%B9%D8%AF%D8%A9"),
        # Path case is kept (paths are case-sensitive).
        ("https://example.org/News/A", "https://example.org/News/A"),
        # Surrounding whitespace is ignored.
        ("  https://example.org/a \n", "https://example.org/a"),
        # Not http(s), relative, empty or broken: no key.
        ("javascript:alert(1)", None),
        ("mailto:a@example.org", None),
        ("/relative/path", None),
        ("", None),
        (None, None),
        ("http://[::1", None),
    ],
)  # fmt: skip
def test_link_key(link: str | None, key: str | None) -> None:
    assert link_key(link) == key


@pytest.mark.parametrize(
    ("args", "basis"),
    [
        # A GUID wins over everything.
        (("guid-1", "https://example.org/a", "t", "s"), "guid\0guid-1"),
        # GUID whitespace is trimmed.
        (("  guid-1\n", None, None, None), "guid\0guid-1"),
        # No GUID: the normalised link.
        ((None, "HTTP://Example.org/a/?utm_source=x", "t", "s"), "link\0https://example.org/a"),
        # A blank GUID counts as none.
        (("   ", "https://example.org/a", "t", "s"), "link\0https://example.org/a"),
        # A link that cannot be normalised is used as it is.
        ((None, "/relative", "t", "s"), "link\0/relative"),
        # Neither: title + summary with whitespace folded.
        ((None, None, " هجوم   على\nقاعدة ", "نص  الخبر"), "text\0هجوم على قاعدة\0نص الخبر"),
        # Nothing at all still hashes (to the empty text basis).
        ((None, None, None, None), "text\0\0"),
    ],
)
def test_item_identity(args: tuple[str | None, str | None, str | None, str | None], basis: str) -> None:
    assert item_identity(*args) == sha(basis)


def test_identity_kinds_do_not_collide() -> None:
    # A GUID that happens to equal a link key is still a different identity from that link.
    assert item_identity("https://example.org/a", None, None, None) != item_identity(
        None, "https://example.org/a", None, None
    )
