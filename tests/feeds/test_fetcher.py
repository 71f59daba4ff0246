"""bot.feeds.fetcher against a real HTTP server on 127.0.0.1: statuses, validators, limits, redirects, files."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import tracemalloc
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import __version__
from bot.feeds.fetcher import FetchLimits, FetchResult, FetchStatus, fetch, make_client, parse_retry_after
from tests.support.feed_server import FeedServer, Route, gzip_bomb

Fetch = Callable[..., FetchResult]
NOW = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
SHORT = FetchLimits(timeout=0.5, connect_timeout=0.5, max_bytes=100_000, max_redirects=3)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def _closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- 200 and conditional GET -------------------------------------------------------------------------


def test_ok_returns_body_validators_and_sends_feed_headers(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add(
        "/feed",
        Route(
            body=RSS, etag='"v1"', last_modified="Sun, 31 Dec 2023 23:00:00 GMT", content_type="text/xml; charset=utf-8"
        ),
    )
    result = fetch_url(url)
    assert result.status is FetchStatus.OK and result.ok
    assert result.http_status == 200
    assert result.body == RSS
    assert result.content_type == "text/xml; charset=utf-8"
    assert result.headers["content-type"] == "text/xml; charset=utf-8"
    assert result.etag == '"v1"'
    assert result.last_modified == "Sun, 31 Dec 2023 23:00:00 GMT"
    assert result.final_url == url and result.permanent_redirect is None and result.error is None
    sent = feed_server.requests_for("/feed")[0].headers
    assert sent["user-agent"].startswith(f"Rasad/{__version__} (+https://")
    assert "application/rss+xml" in sent["accept"] and "application/atom+xml" in sent["accept"]
    assert "gzip" in sent["accept-encoding"]
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_etag_round_trip_gives_304_and_keeps_the_validator(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/feed", Route(body=RSS, etag='"abc"'))
    first = fetch_url(url)
    second = fetch_url(url, etag=first.etag, last_modified=first.last_modified)
    assert second.status is FetchStatus.NOT_MODIFIED and second.ok
    assert second.http_status == 304 and second.body == b""
    assert second.etag == '"abc"'
    assert feed_server.requests_for("/feed")[1].headers["if-none-match"] == '"abc"'

    feed_server.routes["/feed"] = Route(body=RSS + b"\n", etag='"def"')  # the publisher changes the feed
    third = fetch_url(url, etag=second.etag)
    assert third.status is FetchStatus.OK and third.etag == '"def"' and third.body.endswith(b"\n")


def test_last_modified_round_trip_gives_304(feed_server: FeedServer, fetch_url: Fetch) -> None:
    stamp = "Sat, 30 Dec 2023 10:00:00 GMT"
    url = feed_server.add("/lm", Route(body=RSS, last_modified=stamp))
    first = fetch_url(url)
    assert first.status is FetchStatus.OK and first.etag is None and first.last_modified == stamp
    second = fetch_url(url, etag=first.etag, last_modified=first.last_modified)
    assert second.status is FetchStatus.NOT_MODIFIED
    assert second.last_modified == stamp  # what the caller sent is handed back for saving
    headers = feed_server.requests_for("/lm")[1].headers
    assert headers["if-modified-since"] == stamp and "if-none-match" not in headers


# --- rate limits and HTTP errors ---------------------------------------------------------------------


def test_429_with_retry_after_seconds(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/busy", Route(status=429, headers={"Retry-After": "120"}))
    result = fetch_url(url)
    assert result.status is FetchStatus.RATE_LIMITED and not result.ok
    assert result.http_status == 429 and result.retry_after == 120.0
    assert result.error == "HTTP 429 Too Many Requests; retry after 120s"


def test_429_with_retry_after_http_date_is_relative_to_the_given_now(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/busy", Route(status=429, headers={"Retry-After": "Mon, 01 Jan 2024 00:05:00 GMT"}))
    assert fetch_url(url, now=NOW).retry_after == 300.0
    assert fetch_url(url, now=datetime(2024, 1, 1, 0, 4, tzinfo=UTC)).retry_after == 60.0


def test_503_is_rate_limited_only_with_retry_after(feed_server: FeedServer, fetch_url: Fetch) -> None:
    with_header = feed_server.add("/a", Route(status=503, headers={"Retry-After": "30"}))
    without = feed_server.add("/b", Route(status=503))
    assert fetch_url(with_header).status is FetchStatus.RATE_LIMITED
    plain = fetch_url(without)
    assert plain.status is FetchStatus.HTTP_ERROR and plain.retry_after is None
    assert plain.error == "HTTP 503 Service Unavailable"


@pytest.mark.parametrize(("status", "message"), [(500, "HTTP 500 Internal Server Error"), (404, "HTTP 404 Not Found"),
                                                 (410, "HTTP 410 Gone")])  # fmt: skip
def test_http_errors(feed_server: FeedServer, fetch_url: Fetch, status: int, message: str) -> None:
    url = feed_server.add("/err", Route(status=status, body=b"<html>oops</html>"))
    result = fetch_url(url)
    assert result.status is FetchStatus.HTTP_ERROR and result.http_status == status
    assert result.error == message and result.body == b""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),  # delta-seconds
        (" 0 ", 0.0),  # zero is "now"
        ("Mon, 01 Jan 2024 00:01:00 GMT", 60.0),  # HTTP-date, relative to NOW
        ("Sun, 31 Dec 2023 23:00:00 GMT", 0.0),  # a date in the past means "now", never negative
        ("-5", None),  # not delta-seconds, not a date
        ("soon", None),  # garbage
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


# --- time and size limits ----------------------------------------------------------------------------


def test_slow_server_times_out(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/slow", Route(body=RSS, delay=10.0))
    result = fetch_url(url, limits=SHORT)
    assert result.status is FetchStatus.TIMEOUT
    assert result.error is not None and "0.5s" in result.error


def test_connect_timeout_when_the_listen_queue_is_full(fetch_url: Fetch) -> None:
    # A listener that never accepts, its backlog filled: the kernel drops further SYNs, so connect hangs.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = [socket.socket() for _ in range(3)]
        try:
            for filler in fillers:
                filler.setblocking(False)
                with contextlib.suppress(BlockingIOError):
                    filler.connect(("127.0.0.1", port))
            limits = FetchLimits(timeout=5.0, connect_timeout=0.3)
            result = fetch_url(f"http://127.0.0.1:{port}/feed", limits=limits)
        finally:
            for filler in fillers:
                filler.close()
    if result.status is FetchStatus.NETWORK_ERROR:  # tcp_abort_on_overflow=1: the kernel resets instead
        pytest.skip(f"this kernel refuses instead of dropping SYNs: {result.error}")
    assert result.status is FetchStatus.TIMEOUT
    assert result.error == "connect timed out after 0.3s"


def test_total_budget_covers_a_body_that_trickles(feed_server: FeedServer, fetch_url: Fetch) -> None:
    # Each chunk arrives well within the per-read timeout; only the whole-exchange budget can stop this.
    url = feed_server.add("/drip", Route(body=b"x" * 4000, chunk_size=10, drip=0.05))
    result = fetch_url(url, limits=SHORT)
    assert result.status is FetchStatus.TIMEOUT
    assert result.error == "no complete answer within 0.5s"


def test_declared_length_over_cap_is_refused(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/big", Route(body=b"x" * 200_000))
    result = fetch_url(url, limits=SHORT)
    assert result.status is FetchStatus.TOO_LARGE and result.body == b""
    assert result.error == "body of 200000 bytes is larger than 100000 bytes"


def test_chunked_stream_over_cap_is_cut_off(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/endless", Route(stream_bytes=50_000_000))
    result = fetch_url(url, limits=SHORT)
    assert result.status is FetchStatus.TOO_LARGE
    assert result.error == "body larger than 100000 bytes after decoding"


def test_gzip_body_is_decoded(feed_server: FeedServer, fetch_url: Fetch) -> None:
    body = RSS * 500  # ~40 kB, compresses well
    url = feed_server.add("/gz", Route(body=body, gzip=True))
    result = fetch_url(url, limits=SHORT)
    assert result.status is FetchStatus.OK and result.body == body
    assert "content-encoding" in result.headers


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib-deflate", "raw-deflate"])
def test_deflate_body_is_decoded_both_ways(feed_server: FeedServer, fetch_url: Fetch, wbits: int) -> None:
    comp = zlib.compressobj(6, zlib.DEFLATED, wbits)
    url = feed_server.add("/df", Route(body=comp.compress(RSS) + comp.flush(), headers={"Content-Encoding": "deflate"}))
    assert fetch_url(url).body == RSS


def test_gzip_bomb_is_cut_off_after_the_cap_without_inflating_it(feed_server: FeedServer, fetch_url: Fetch) -> None:
    bomb = gzip_bomb(200_000_000)  # ~200 kB on the wire, 200 MB decoded
    url = feed_server.add("/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        result = fetch_url(url, limits=SHORT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status is FetchStatus.TOO_LARGE
    assert result.error == "body larger than 100000 bytes after decoding"
    assert peak < 10_000_000, f"peak traced memory {peak} bytes"


def test_broken_gzip_is_a_bad_response(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/badgz", Route(body=b"this is not gzip", headers={"Content-Encoding": "gzip"}))
    result = fetch_url(url)
    assert result.status is FetchStatus.BAD_RESPONSE
    assert result.error is not None and result.error.startswith("cannot decode gzip body")


def test_unknown_content_encoding_is_a_bad_response(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/br", Route(body=b"\x0b\x02\x80", headers={"Content-Encoding": "br"}))
    result = fetch_url(url)
    assert result.status is FetchStatus.BAD_RESPONSE and result.error == "unsupported Content-Encoding 'br'"


# --- redirects ---------------------------------------------------------------------------------------


def test_all_permanent_hops_report_the_new_url(feed_server: FeedServer, fetch_url: Fetch) -> None:
    feed_server.add("/old", Route.redirect("/older", 301))
    feed_server.add("/older", Route.redirect(feed_server.url("/new"), 308))
    final = feed_server.add("/new", Route(body=RSS, etag='"n"'))
    result = fetch_url(feed_server.url("/old"), etag='"n"')
    assert result.status is FetchStatus.NOT_MODIFIED  # validators travel along the redirects
    assert result.final_url == final and result.permanent_redirect == final
    assert feed_server.requests_for("/new")[0].headers["if-none-match"] == '"n"'


def test_a_temporary_hop_means_no_permanent_redirect(feed_server: FeedServer, fetch_url: Fetch) -> None:
    feed_server.add("/a", Route.redirect("/b", 301))
    feed_server.add("/b", Route.redirect("/c", 302))
    final = feed_server.add("/c", Route(body=RSS))
    result = fetch_url(feed_server.url("/a"))
    assert result.status is FetchStatus.OK and result.final_url == final
    assert result.permanent_redirect is None


def test_permanent_redirect_to_an_error_is_not_reported(feed_server: FeedServer, fetch_url: Fetch) -> None:
    feed_server.add("/moved", Route.redirect("/gone", 301))
    result = fetch_url(feed_server.url("/moved"))
    assert result.status is FetchStatus.HTTP_ERROR and result.http_status == 404
    assert result.permanent_redirect is None


def test_redirect_limit(feed_server: FeedServer, fetch_url: Fetch) -> None:
    for i in range(5):
        feed_server.add(f"/r{i}", Route.redirect(f"/r{i + 1}", 302))
    feed_server.add("/r5", Route(body=RSS))
    assert fetch_url(feed_server.url("/r2"), limits=SHORT).status is FetchStatus.OK  # 3 hops: at the limit
    result = fetch_url(feed_server.url("/r0"), limits=SHORT)  # 5 hops, limit 3
    assert result.status is FetchStatus.TOO_MANY_REDIRECTS and result.error == "more than 3 redirects"
    looped = feed_server.add("/loop", Route.redirect("/loop", 301))
    assert fetch_url(looped, limits=SHORT).status is FetchStatus.TOO_MANY_REDIRECTS


def test_redirect_without_location_is_an_http_error(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/nowhere", Route(status=302, headers={}))
    result = fetch_url(url)
    assert result.status is FetchStatus.HTTP_ERROR and result.http_status == 302


# --- network trouble and bad URLs --------------------------------------------------------------------


def test_connection_refused_is_a_network_error_without_secrets(fetch_url: Fetch) -> None:
    url = f"http://user:hunter2@127.0.0.1:{_closed_port()}/feed?token=SECRET123"
    result = fetch_url(url, limits=SHORT)
    assert result.status is FetchStatus.NETWORK_ERROR
    assert result.error is not None and "\n" not in result.error
    assert result.error.startswith("cannot connect to http://127.0.0.1:")
    assert "hunter2" not in result.error and "SECRET123" not in result.error and "Traceback" not in result.error


def test_dropped_connection_is_a_network_error(feed_server: FeedServer, fetch_url: Fetch) -> None:
    url = feed_server.add("/drop", Route(drop=True))
    result = fetch_url(url)
    assert result.status is FetchStatus.NETWORK_ERROR
    assert result.error is not None and "disconnected" in result.error


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/feed.xml", "bad URL: unsupported scheme 'ftp'"),
        ("feed.xml", "bad URL: unsupported scheme none"),
        ("javascript:alert(1)", "bad URL: unsupported scheme 'javascript'"),
        ("file://remote-host/etc/feed.xml", "bad URL: file URLs must name a local path"),
        ("http://[::1", "bad URL: cannot parse it"),
        ("http:///feed.xml", "bad URL: no host"),
        ("http://127.0.0.1:99999/feed.xml", "bad URL: Port out of range 0-65535"),
        ("https://example.org:http/feed.xml", "bad URL: Port could not be cast to integer value as 'http'"),
    ],
)
def test_bad_urls(fetch_url: Fetch, url: str, message: str) -> None:
    result = fetch_url(url)
    assert result.status is FetchStatus.BAD_URL and result.error == message


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://user:secret@example.org/feed.xml", "javascript:alert(1)"],
)
def test_redirect_to_a_non_http_location_is_refused(feed_server: FeedServer, fetch_url: Fetch, location: str) -> None:
    url = feed_server.add("/evil", Route.redirect(location))
    result = fetch_url(url)
    assert result.status is FetchStatus.BAD_RESPONSE and result.body == b""  # never reads a local file
    assert result.error is not None and result.error.startswith("bad redirect: ")
    assert "secret" not in result.error


def test_cookies_are_not_kept_between_requests(feed_server: FeedServer) -> None:
    url = feed_server.add("/c", Route(body=RSS, headers={"Set-Cookie": "session=abc; Path=/"}))

    async def twice() -> None:
        async with make_client(SHORT) as client:
            for _ in range(2):
                await fetch(client, url, etag=None, last_modified=None, limits=SHORT, now=NOW)

    asyncio.run(twice())
    assert "cookie" not in feed_server.requests_for("/c")[1].headers


# --- file:// ----------------------------------------------------------------------------------------


def test_file_url_reads_and_revalidates(tmp_path: Path, fetch_url: Fetch) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS)
    first = fetch_url(path.as_uri())
    assert first.status is FetchStatus.OK and first.body == RSS and first.etag
    assert first.final_url == path.as_uri() and first.last_modified is not None
    second = fetch_url(path.as_uri(), etag=first.etag)
    assert second.status is FetchStatus.NOT_MODIFIED and second.etag == first.etag
    path.write_bytes(RSS + b"<!-- changed, and longer -->")
    third = fetch_url(path.as_uri(), etag=first.etag)
    assert third.status is FetchStatus.OK and third.etag != first.etag


def test_file_url_limits_and_errors(tmp_path: Path, fetch_url: Fetch) -> None:
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 100_001)
    assert fetch_url(big.as_uri(), limits=SHORT).status is FetchStatus.TOO_LARGE
    missing = fetch_url((tmp_path / "missing.xml").as_uri())
    assert missing.status is FetchStatus.FILE_ERROR
    assert missing.error is not None and missing.error.endswith("No such file or directory")
    assert fetch_url("file:relative/feed.xml").status is FetchStatus.BAD_URL
