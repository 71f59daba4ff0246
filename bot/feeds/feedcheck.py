"""Fetch a candidate feed once and check that it parses, before /addfeed or `rasad feeds add` keeps it.

The fetch is bot.feeds.fetcher.fetch with its usual limits. For chat-added feeds the URL is checked first (a
clear message without any connection), then the fetch goes through bot.feeds.pinned_transport, the poller's own
guard: every hop (the first request and each redirect) is resolved once, refused for a non-public address and
connected to the address that was checked, so neither a redirect to 127.0.0.1 nor a DNS answer that changes
between the check and the connection (rebinding) reaches Rasad's own network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from bot.clock import utc_now
from bot.config import channel_name
from bot.feeds.channel import DEFAULT_PREVIEW_BASE, parse_channel, preview_url
from bot.feeds.fetcher import POOL_LIMITS, FetchLimits, fetch, make_client
from bot.feeds.netguard import Resolver, address_kind, check_public_url, system_resolver
from bot.feeds.parse import parse_feed
from bot.feeds.pinned_transport import AddressPolicy, PinnedTransport

__all__ = ["FeedCheck", "check_feed"]


@dataclass(frozen=True)
class FeedCheck:
    """What the check found: `ok` with the feed's title and item count, or `error` for the operator."""

    ok: bool
    url: str
    title: str = ""
    items: int = 0
    error: str | None = None
    final_url: str | None = None
    warning: str | None = None
    published: tuple[datetime | None, ...] = ()
    """Each item's publication date as the feed gives it (None where it gives none)."""


async def check_feed(
    url: str,
    *,
    limits: FetchLimits,
    allow_private: bool,
    allow_file: bool = False,
    resolver: Resolver = system_resolver,
    policy: AddressPolicy = address_kind,
    now: datetime | None = None,
    channel_base: str = DEFAULT_PREVIEW_BASE,
) -> FeedCheck:
    """Fetch `url` once (guarded unless `allow_private`) and parse it; never raises for bad feeds.

    `allow_file` lets the CLI check file: feeds (the operator owns the machine); a chat never can.
    `resolver` and `policy` are the guard's DNS and its idea of a public address (tests narrow both).
    """
    url = url.strip()
    channel = channel_name(url)
    if channel is not None:  # a Telegram channel: its public preview page is what gets checked and read
        url = preview_url(channel, channel_base)
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if not (allow_file and scheme == "file"):
        reason = await check_public_url(url, allow_private=allow_private, resolver=resolver, policy=policy)
        if reason is not None:
            return FeedCheck(ok=False, url=url, error=reason)
    transport = None if allow_private else PinnedTransport(limits=POOL_LIMITS, resolver=resolver, policy=policy)
    async with make_client(limits, transport=transport) as client:
        result = await fetch(client, url, etag=None, last_modified=None, limits=limits, now=now or utc_now())
    if result.blocked:
        hop = "" if result.final_url in (url, None) else f"redirected to {_short(result.final_url)}: "
        return FeedCheck(ok=False, url=url, error=hop + result.blocked, final_url=result.final_url)
    if not result.ok:
        return FeedCheck(ok=False, url=url, error=f"cannot fetch it: {result.error}", final_url=result.final_url)
    if channel is not None:
        parsed = parse_channel(result.body, channel)
    else:
        parsed = parse_feed(result.body, url=result.final_url, content_type=result.content_type)
    if parsed.error:
        error = parsed.error if parsed.error.startswith("not a feed") else f"not a usable feed: {parsed.error}"
        return FeedCheck(ok=False, url=url, error=error, final_url=result.final_url)
    return FeedCheck(
        ok=True,
        url=url,
        title=parsed.title,
        items=len(parsed.items),
        final_url=result.final_url,
        warning=parsed.warning,
        published=tuple(item.published for item in parsed.items),
    )


def _short(url: str) -> str:
    """scheme://host/path of a URL, for messages (no query, no credentials)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "an invalid URL"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}{parts.path}"
