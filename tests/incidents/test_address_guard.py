"""The address guard on every connection of every poll, redirect hop and full-text fetch, with the address pinned.

"The public internet" here is a feed server on 127.0.0.2 that the test's address policy calls public, reached
through names only the test's resolver knows (the system DNS does not): a request that arrives there proves
the connection went to the address the guard checked. Everything else on loopback stays refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.feeds.fetcher import POOL_LIMITS, FetchLimits, FetchStatus, fetch, make_client
from bot.feeds.netguard import IPAddress, address_kind
from bot.feeds.pinned_transport import PinnedTransport
from bot.incidents.poller import Poller, poller_limits
from bot.models import Article, Feed
from tests.incidents.conftest import FakeClock, settings_for
from tests.incidents.feedgen import Item, filler, rss
from tests.support.feed_server import FeedServer, Route

NOW = datetime(2024, 4, 23, 9, 0, tzinfo=UTC)
LIMITS = FetchLimits(timeout=5.0, connect_timeout=2.0, max_bytes=1_000_000, max_redirects=5)
PUBLIC = "127.0.0.2"


def public_in_test(ip: IPAddress) -> str | None:
    """The real policy, except that the test's "internet" host counts as public."""
    return None if str(ip) == PUBLIC else address_kind(ip)


class Dns:
    """A resolver only the test knows; counts its look-ups; an answer may change between look-ups."""

    def __init__(self, table: dict[str, list[list[str]]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        answers = self.table.get(host)
        if not answers:
            raise OSError(-2, "Name or service not known")
        n = sum(1 for h in self.lookups if h == host)
        self.lookups.append(host)
        return answers[min(n, len(answers) - 1)]


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer(host=PUBLIC) as server:
        yield server


@pytest.fixture
def inside() -> Iterator[FeedServer]:
    """A service on Rasad's own machine (loopback): must never be reached."""
    with FeedServer() as server:
        yield server


def _port(server: FeedServer) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


def _fetch(url: str, dns: Dns) -> tuple[FetchStatus, str | None, bytes]:
    async def go() -> tuple[FetchStatus, str | None, bytes]:
        transport = PinnedTransport(limits=POOL_LIMITS, resolver=dns, policy=public_in_test)
        async with make_client(LIMITS, transport=transport) as client:
            r = await fetch(client, url, etag=None, last_modified=None, limits=LIMITS, now=NOW)
            return r.status, r.error, r.body

    return asyncio.run(go())


def test_a_public_feed_is_fetched_from_the_checked_address_with_its_own_host_header(site: FeedServer) -> None:
    site.add("/rss", Route(body=rss([])))
    dns = Dns({"news.example": [[PUBLIC]]})
    status, error, body = _fetch(f"http://news.example:{_port(site)}/rss", dns)
    assert status is FetchStatus.OK, error
    assert body.startswith(b"<?xml")
    assert site.requests_for("/rss")[0].headers["host"] == f"news.example:{_port(site)}"
    assert dns.lookups == ["news.example"]


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://127.0.0.1:{inside}/secret", "127.0.0.1 is a loopback"),
        ("http://[::ffff:127.0.0.1]:{inside}/secret", "a loopback (as IPv6)"),
        ("http://intranet.example:{inside}/secret", "intranet.example resolves to 10.1.2.3, a private"),
        ("http://metadata.example/latest/", "metadata.example resolves to 169.254.169.254, a link-local"),
    ],
)
def test_a_redirect_after_acceptance_to_an_inside_address_is_refused(
    site: FeedServer, inside: FeedServer, target: str, kind: str
) -> None:
    inside.add("/secret", Route(body=rss([])))
    site.add("/rss", Route.redirect(target.format(inside=_port(inside)), status=302))
    dns = Dns(
        {"news.example": [[PUBLIC]], "intranet.example": [["10.1.2.3"]], "metadata.example": [["169.254.169.254"]]}
    )
    status, error, _ = _fetch(f"http://news.example:{_port(site)}/rss", dns)
    assert status is FetchStatus.NETWORK_ERROR
    assert error is not None and error.startswith("redirected to ") and "refused: " in error and kind in error, error
    assert inside.requests_for("/secret") == []


def test_a_name_whose_answer_changes_is_connected_to_the_address_that_was_checked(site: FeedServer) -> None:
    """DNS rebinding: the second answer (loopback) is never used; one look-up per connection, kept."""
    site.add("/rss", Route(body=rss([])))
    dns = Dns({"rebind.example": [[PUBLIC], ["127.0.0.1"]]})
    status, error, _ = _fetch(f"http://rebind.example:{_port(site)}/rss", dns)
    assert status is FetchStatus.OK, error
    assert dns.lookups == ["rebind.example"] and len(site.requests_for("/rss")) == 1
    status, error, _ = _fetch(f"http://rebind.example:{_port(site)}/rss", dns)  # a new connection: new look-up
    assert status is FetchStatus.NETWORK_ERROR and error is not None and "loopback" in error


def test_the_poller_refuses_a_redirect_and_a_full_text_page_on_the_inside(
    engine: Engine, clock: FakeClock, site: FeedServer, inside: FeedServer
) -> None:
    inside.add("/page", Route(body=b"<html><body><p>" + "نص داخلي ".encode() * 200 + b"</p></body></html>"))
    item = Item("خبر", f"http://127.0.0.1:{_port(inside)}/page", filler(1), NOW)
    site.add("/full", Route(body=rss([item])))
    site.add("/moved", Route.redirect(f"http://127.0.0.1:{_port(inside)}/page", status=301))
    dns = Dns({"news.example": [[PUBLIC]]})
    base = f"http://news.example:{_port(site)}"
    settings = settings_for(
        [{"name": "Full", "url": f"{base}/full", "full_text": True}, {"name": "Moved", "url": f"{base}/moved"}]
    )

    async def go() -> dict[str, str | None]:
        transport = PinnedTransport(limits=POOL_LIMITS, resolver=dns, policy=public_in_test)
        async with make_client(poller_limits(settings), transport=transport) as client:
            poller = Poller(engine, settings, client, clock=clock)
            await poller.sync_feeds()
            return {r.feed: r.error for r in await poller.poll_due()}

    errors = asyncio.run(go())
    assert errors["Full"] is None  # the feed itself is fine; its article page was not fetched
    assert errors["Moved"] is not None and "loopback" in errors["Moved"]
    assert inside.requests_for("/page") == []
    with Session(engine) as s:
        article = s.exec(select(Article)).one()
        assert article.text == filler(1)  # the feed's summary, not the inside page
        moved = s.exec(select(Feed).where(Feed.name == "Moved")).one()
        assert moved.consecutive_errors == 1 and moved.url == f"{base}/moved"  # no permanent move recorded


def test_the_service_client_refuses_loopback_with_the_real_resolver_and_policy(inside: FeedServer) -> None:
    inside.add("/rss", Route(body=rss([])))

    async def go() -> tuple[FetchStatus, str | None]:
        async with make_client(LIMITS, allow_private=False) as client:
            r = await fetch(client, inside.url("/rss"), etag=None, last_modified=None, limits=LIMITS, now=NOW)
            return r.status, r.error

    status, error = asyncio.run(go())
    assert status is FetchStatus.NETWORK_ERROR and error is not None and "127.0.0.1 is a loopback address" in error
    assert inside.requests_for("/rss") == []
