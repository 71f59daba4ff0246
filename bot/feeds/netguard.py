"""Keep chat-added feeds off Rasad's own network: only http(s), only hosts with public addresses.

A Telegram admin can type any URL into /addfeed; without this guard that is a way to make the server
probe 127.0.0.1, the LAN or a cloud metadata endpoint (169.254.169.254). The rule: the scheme must be
http or https and EVERY address the host resolves to must be globally routable. This module decides (the table in
`address_kind`, the up-front check in `check_public_url`); bot.feeds.pinned_transport enforces it where every
connection is made (poller, redirect hops, full-text pages and the /addfeed check alike).

DNS rebinding: `check_public_url` resolves the name for a clear message before any request; the connection
does not trust that answer. The pinned transport resolves again, once per connection, checks every address
of that answer and connects to one of exactly those, so an answer that changes between the two look-ups is
refused or connects to a checked public address, never to a private one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

__all__ = [
    "BlockedAddress",
    "Resolver",
    "address_kind",
    "address_problem",
    "check_public_url",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""(host, port) → every address the host resolves to, as text."""

ALLOWED_SCHEMES = ("http", "https")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(Exception):
    """Raised by the pinned transport before a connection to a refused address is made; `reason` says why.

    Deliberately not an httpx.HTTPError, so bot.feeds.fetcher.fetch lets it through instead of reporting a
    network error: the caller must see that the guard, not the network, stopped the request.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped ::ffff:a.b.c.d, NAT64, 6to4), else None."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    return None


def address_kind(ip: IPAddress) -> str | None:
    """What kind of non-public address this is ("loopback", "private"…), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            kind = address_kind(inner)
            return f"{kind} (as IPv6)" if kind else None
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "non-public"),
    )
    return next((kind for hit, kind in checks if hit), None)


def address_problem(ip: IPAddress) -> str | None:
    """Why this address must not be fetched from a chat command, or None when it is public."""
    kind = address_kind(ip)
    return f"{ip} is a {kind} address" if kind else None


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address getaddrinfo gives for host:port (both families), via the event loop's executor."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


async def check_public_url(
    url: str,
    *,
    allow_private: bool,
    resolver: Resolver = system_resolver,
    policy: Callable[[IPAddress], str | None] = address_kind,
) -> str | None:
    """None when `url` may be fetched, else the reason it may not (one line a person can read)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        return f"not a valid URL: {exc}"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"only http and https URLs are allowed, not {scheme + ':' if scheme else 'a URL without a scheme'}"
    if not host:
        return "the URL has no host"
    if allow_private:
        return None
    literal = _literal(host)
    if literal is not None:
        addresses: list[str] = [str(literal)]
    else:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError) as exc:
            return f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}"
        if not addresses:
            return f"cannot resolve {host}: no addresses"
    for text in addresses:
        ip = _literal(text)
        if ip is None:
            return f"{host} resolves to {text!r}, which is not an IP address"
        kind = policy(ip)
        if kind:
            where = f"{ip} is" if literal is not None else f"{host} resolves to {ip},"
            return f"refused: {where} a {kind} address (admin.allow_private_addresses is off)"
    return None
