"""An httpx transport that resolves each host once, checks every address, and connects to a checked one.

The address guard (bot.netguard) used to run only when /addfeed accepted a feed, and as a request hook
that resolved the name separately from httpx: a feed accepted once could later redirect the poller to
127.0.0.1 or the LAN, and a DNS server answering a public address to the check and a private one to the
connection slipped through. Here the guard sits where the connection is made, for every connection of
every poll, redirect hop and full-text fetch: the name is resolved once, every address it has must be
public, and the socket is opened to one of exactly those addresses (no second DNS answer). TLS still
verifies and sends SNI for the host name and the Host header is the request's own, because httpcore
takes both from the URL, not from the address we connect to.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpcore
import httpx
from httpcore._backends.auto import AutoBackend

from bot.feeds.netguard import BlockedAddress, IPAddress, Resolver, address_kind, system_resolver

AddressPolicy = Callable[[IPAddress], str | None]
"""The kind of non-public address this is ("loopback", "private"…), or None when it may be connected to
(bot.netguard.address_kind; tests may narrow it)."""


def _ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


async def allowed_addresses(host: str, port: int, resolver: Resolver, policy: AddressPolicy) -> list[str]:
    """The addresses to connect to for host:port, resolved once; BlockedAddress when any of them is refused."""
    where = f"{host}:{port}"
    literal = _ip(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no addresses")
    for text in addresses:
        ip = _ip(text)
        if ip is None:
            raise BlockedAddress(where, f"refused: {host} resolves to {text!r}, which is not an IP address")
        kind = policy(ip)
        if kind is not None:
            shown = f"{ip} is" if literal is not None else f"{host} resolves to {ip},"
            raise BlockedAddress(where, f"refused: {shown} a {kind} address (admin.allow_private_addresses is off)")
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the guard in connect_tcp (the one place every connection passes)."""

    def __init__(self, *, resolver: Resolver = system_resolver, policy: AddressPolicy = address_kind) -> None:
        self.resolver = resolver
        self.policy = policy
        self.inner = AutoBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        deadline = None if timeout is None else time.monotonic() + timeout
        addresses = await allowed_addresses(host, port, self.resolver, self.policy)
        last: Exception | None = None
        for address in addresses:
            left = None if deadline is None else max(0.01, deadline - time.monotonic())
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout=left, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used for feeds")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (pooling, keep-alive, TLS) on a GuardedBackend; no proxies from the environment."""

    def __init__(
        self, *, limits: httpx.Limits, resolver: Resolver = system_resolver, policy: AddressPolicy = address_kind
    ) -> None:
        super().__init__(limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(resolver=resolver, policy=policy),
        )
