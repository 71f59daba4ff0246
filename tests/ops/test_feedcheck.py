"""Checking a feed before adding it: a real loopback server, the guard on every redirect hop."""

from __future__ import annotations

import asyncio

import pytest

from bot.feeds.feedcheck import FeedCheck, check_feed
from bot.feeds.fetcher import FetchLimits
from bot.feeds.netguard import Resolver, system_resolver
from tests.support.feed_server import FeedServer, Route

LIMITS = FetchLimits(timeout=5.0, connect_timeout=2.0, max_bytes=1_000_000)


def pretend_public(*names: str) -> Resolver:
    """DNS that says these names are public (as a hostile site's DNS would); the kernel still connects locally."""

    async def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return ["93.184.216.34"]
        raise OSError(-2, "Name or service not known")

    return resolve


def run(url: str, *, allow_private: bool, resolver: Resolver = system_resolver, allow_file: bool = False) -> FeedCheck:
    return asyncio.run(
        check_feed(url, limits=LIMITS, allow_private=allow_private, allow_file=allow_file, resolver=resolver)
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
    feed_server: FeedServer, location: str, shown: str, kind: str
) -> None:
    port = feed_server.url("/").rsplit(":", 1)[-1].rstrip("/")
    feed_server.add("/hop", Route.redirect(location.format(port=port), status=302))
    # "localhost" reaches the loopback server, but the guard's DNS calls it public, as a hostile
    # site's DNS would: only the redirect names the private target.
    check = run(f"http://localhost:{port}/hop", allow_private=False, resolver=pretend_public("localhost"))
    assert not check.ok and check.error is not None
    assert check.error.startswith(f"redirected to {shown.format(port=port)}: refused:"), check.error
    assert f"a {kind}" in check.error
    assert len(feed_server.requests_for("/hop")) == 1, "the first hop was fetched"
    assert feed_server.requests_for("/alpha.xml") == [], "the private target never was"


def test_redirects_are_followed_when_private_addresses_are_allowed(feed_server: FeedServer) -> None:
    feed_server.add("/hop", Route.redirect("/alpha.xml", status=301))
    check = run(feed_server.url("/hop"), allow_private=True)
    assert check.ok and check.final_url == feed_server.url("/alpha.xml")


def test_the_cli_may_check_file_feeds_but_no_other_scheme(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    feed = tmp_path / "feed.xml"
    feed.write_bytes((Path(__file__).parents[1] / "feeds" / "data" / "atom10_arabic.xml").read_bytes())
    assert run(feed.as_uri(), allow_private=True, allow_file=True).ok
    refused = run(feed.as_uri(), allow_private=True)
    assert not refused.ok and refused.error is not None and "only http and https" in refused.error
    ftp = run("ftp://example.org/feed", allow_private=True, allow_file=True)
    assert not ftp.ok and ftp.error is not None and "only http and https" in ftp.error
