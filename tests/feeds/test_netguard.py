"""The private-address guard: which addresses are refused, scheme rules, names resolving to private hosts."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from bot.feeds.netguard import Resolver, address_kind, check_public_url


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("8.8.8.8", None),  # public IPv4 is fine
        ("2606:4700:4700::1111", None),  # public IPv6 is fine
        ("127.0.0.1", "loopback"),  # the machine itself
        ("127.8.9.10", "loopback"),  # all of 127/8
        ("::1", "loopback"),  # IPv6 loopback
        ("10.0.0.5", "private"),  # RFC 1918
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),  # unique local IPv6
        ("169.254.169.254", "link-local"),  # cloud metadata endpoint
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),  # connects to the machine on Linux
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT: not global
        ("::ffff:127.0.0.1", "loopback (as IPv6)"),  # IPv4-mapped IPv6 unwraps to its IPv4
        ("::ffff:8.8.8.8", None),  # ... and a mapped public address is public
        ("64:ff9b::a00:1", "private (as IPv6)"),  # NAT64 of 10.0.0.1
        ("2002:7f00:1::", "loopback (as IPv6)"),  # 6to4 of 127.0.0.1
    ],
)
def test_address_kind(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


def _resolver(table: dict[str, list[str]]) -> Resolver:
    """DNS as a table (the network boundary, not our code); unknown names fail like NXDOMAIN."""

    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(-2, "Name or service not known")
        return table[host]

    return resolve


DNS = _resolver(
    {
        "news.example": ["93.184.216.34"],
        "intranet.example": ["10.1.2.3"],
        "mixed.example": ["93.184.216.34", "127.0.0.1"],  # one bad address is enough to refuse
        "v6.example": ["2606:4700::1"],
        "mapped.example": ["::ffff:192.168.0.1"],
    }
)


@pytest.mark.parametrize(
    ("url", "allow_private", "expected"),
    [
        ("https://news.example/feed", False, None),  # public host: allowed
        ("http://v6.example/rss", False, None),
        ("https://intranet.example/feed", False, "intranet.example resolves to 10.1.2.3, a private address"),
        ("https://mixed.example/feed", False, "127.0.0.1, a loopback address"),
        ("https://mapped.example/feed", False, "a private (as IPv6) address"),
        ("http://127.0.0.1:8080/feed", False, "127.0.0.1 is a loopback address"),
        ("http://[::1]/feed", False, "::1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", False, "link-local"),
        ("http://0.0.0.0:9108/metrics", False, "unspecified"),
        ("https://nowhere.example/feed", False, "cannot resolve nowhere.example"),
        ("ftp://news.example/feed", False, "only http and https"),  # schemes: never anything else
        ("file:///etc/passwd", False, "only http and https"),
        ("file:///etc/passwd", True, "only http and https"),  # ... even when private addresses are allowed
        ("gopher://news.example/", True, "only http and https"),
        ("news.example/feed", False, "without a scheme"),
        ("http:///feed", False, "has no host"),
        ("http://127.0.0.1:8080/feed", True, None),  # allow_private_addresses = true
        ("https://intranet.example/feed", True, None),
    ],
)
def test_check_public_url(url: str, allow_private: bool, expected: str | None) -> None:
    reason = asyncio.run(check_public_url(url, allow_private=allow_private, resolver=DNS))
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and expected in reason, reason


def test_the_system_resolver_refuses_localhost() -> None:
    reason = asyncio.run(check_public_url("http://localhost:9/feed", allow_private=False))
    assert reason is not None and "loopback" in reason
