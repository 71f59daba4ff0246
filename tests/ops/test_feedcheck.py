"""Checking a feed before adding it: a real loopback server, the guard on every redirect hop."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.feeds.feedcheck import FeedCheck, check_feed
from bot.feeds.fetcher import FetchLimits
from bot.feeds.netguard import IPAddress, Resolver, address_kind, system_resolver
from tests.support.feed_server import FeedServer, Route

LIMITS = FetchLimits(timeout=5.0, connect_timeout=2.0, max_bytes=1_000_000)
PUBLIC = "127.0.0.2"
"""The test's "internet": a server on this address, which the test's policy calls public (nothing else on loopback)."""


def public_in_test(ip: IPAddress) -> str | None:
    return None if str(ip) == PUBLIC else address_kind(ip)


def dns(answers: dict[str, list[list[str]]]) -> Resolver:
    """A resolver only the test knows (as a hostile site's DNS would answer); an answer may change per look-up."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError(-2, "Name or service not known")
        n = asked.count(host)
        asked.append(host)
        return answers[host][min(n, len(answers[host]) - 1)]

    return resolve


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer(host=PUBLIC) as server:
        yield server


def run(url: str, *, allow_private: bool, resolver: Resolver = system_resolver, allow_file: bool = False) -> FeedCheck:
    return asyncio.run(
        check_feed(
            url,
            limits=LIMITS,
            allow_private=allow_private,
            allow_file=allow_file,
            resolver=resolver,
            policy=public_in_test,
        )
    )


def test_a_real_feed_passes(feed_server: FeedServer) -> None:
    check = run(feed_server.url("/alpha.xml"), allow_private=True)
    assert check.ok and check.title == "رصد أتوم تجريبي" and check.items == 2 and check.error is None


def test_a_page_that_is_not_a_feed_is_refused(feed_server: FeedServer) -> None:
    check = run(feed_server.url("/page.html"), allow_private=True)
    assert not check.ok and check.error == "not a feed: got an HTML page"


def test_junk_and_errors_are_refused(feed_server: FeedServer) -> None:
    feed_server.add("/junk", Route(body=b"hello, this is plain text\n", content_type="text/plain"))
    feed_server.add("/gone", Route(status=404, body=b"", content_type="text/plain"))
    junk = run(feed_server.url("/junk"), allow_private=True)
    assert not junk.ok and junk.error is not None and junk.error.startswith("not a feed")
    gone = run(feed_server.url("/gone"), allow_private=True)
    assert not gone.ok and gone.error == "cannot fetch it: HTTP 404 Not Found"


def test_loopback_is_refused_without_a_request(feed_server: FeedServer) -> None:
    check = run(feed_server.url("/alpha.xml"), allow_private=False)
    assert not check.ok and check.error is not None and "127.0.0.1 is a loopback address" in check.error
    assert feed_server.requests_for("/alpha.xml") == []


@pytest.mark.parametrize(
    ("location", "shown", "kind"),
    [
        ("http://127.0.0.1:{port}/alpha.xml", "http://127.0.0.1:{port}/alpha.xml", "loopback"),
        ("http://[::ffff:127.0.0.1]:{port}/alpha.xml", "http://[::ffff:127.0.0.1]:{port}/alpha.xml", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/feed?token=secret", "http://10.0.0.1/feed", "private"),  # no query in messages
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_it_is_followed(
    site: FeedServer, feed_server: FeedServer, location: str, shown: str, kind: str
) -> None:
    port = feed_server.url("/").rsplit(":", 1)[-1].rstrip("/")
    site_port = site.url("/").rsplit(":", 1)[-1].rstrip("/")
    site.add("/hop", Route.redirect(location.format(port=port), status=302))
    check = run(f"http://news.example:{site_port}/hop", allow_private=False, resolver=dns({"news.example": [[PUBLIC]]}))
    assert not check.ok and check.error is not None
    assert check.error.startswith(f"redirected to {shown.format(port=port)}: refused:"), check.error
    assert f"a {kind}" in check.error
    assert len(site.requests_for("/hop")) == 1, "the first hop was fetched"
    assert feed_server.requests_for("/alpha.xml") == [], "the private target never was"


def test_a_public_feed_passes_the_guarded_check(site: FeedServer) -> None:
    site.add("/rss", Route(body=(Path(__file__).parents[1] / "feeds" / "data" / "atom10_arabic.xml").read_bytes()))
    port = site.url("/").rsplit(":", 1)[-1].rstrip("/")
    check = run(f"http://news.example:{port}/rss", allow_private=False, resolver=dns({"news.example": [[PUBLIC]]}))
    assert check.ok, check.error
    assert site.requests_for("/rss")[0].headers["host"] == f"news.example:{port}"


def test_a_name_that_rebinds_to_loopback_after_the_check_is_never_connected_to(
    site: FeedServer, feed_server: FeedServer
) -> None:
    """DNS rebinding at /addfeed: the up-front check hears a public address, the connection's own look-up
    hears loopback; the connection is refused (before, a request hook checked one answer and httpx
    connected to another)."""
    port = feed_server.url("/").rsplit(":", 1)[-1].rstrip("/")
    resolver = dns({"rebind.example": [[PUBLIC], ["127.0.0.1"]]})
    check = run(f"http://rebind.example:{port}/alpha.xml", allow_private=False, resolver=resolver)
    assert not check.ok and check.error is not None
    assert "rebind.example resolves to 127.0.0.1, a loopback address" in check.error, check.error
    assert feed_server.requests_for("/alpha.xml") == []


def test_redirects_are_followed_when_private_addresses_are_allowed(feed_server: FeedServer) -> None:
    feed_server.add("/hop", Route.redirect("/alpha.xml", status=301))
    check = run(feed_server.url("/hop"), allow_private=True)
    assert check.ok and check.final_url == feed_server.url("/alpha.xml")


def test_the_cli_may_check_file_feeds_but_no_other_scheme(tmp_path: object) -> None:
    assert isinstance(tmp_path, Path)
    feed = tmp_path / "feed.xml"
    feed.write_bytes((Path(__file__).parents[1] / "feeds" / "data" / "atom10_arabic.xml").read_bytes())
    assert run(feed.as_uri(), allow_private=True, allow_file=True).ok
    refused = run(feed.as_uri(), allow_private=True)
    assert not refused.ok and refused.error is not None and "only http and https" in refused.error
    ftp = run("ftp://example.org/feed", allow_private=True, allow_file=True)
    assert not ftp.ok and ftp.error is not None and "only http and https" in ftp.error
