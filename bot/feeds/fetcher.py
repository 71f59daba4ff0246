"""Fetch one feed (or article page) over HTTP or from disk, bounded in time and size.

`fetch` never raises for network or HTTP trouble: every outcome is a `FetchResult` whose `status` says what
happened and whose `error` is one line a person can read. The caller passes the clock in (`now`), so
Retry-After dates are resolved without reading the time here.

Decoding of gzip/deflate is done here rather than by httpx, so that the size cap applies to the decoded
bytes while they stream: a compression bomb is cut off at `max_bytes + 1` bytes of output.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import hashlib
import os
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

from bot import __version__
from bot.feeds.netguard import BlockedAddress
from bot.feeds.pinned_transport import PinnedTransport

__all__ = [
    "FEED_ACCEPT",
    "FetchLimits",
    "FetchResult",
    "FetchStatus",
    "HostGates",
    "fetch",
    "fetch_all",
    "host_key",
    "make_client",
    "parse_retry_after",
]

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
"""Accept header for feeds: feed types first, anything else still welcome (some servers send text/html)."""

_CHUNK = 64 * 1024
_T = TypeVar("_T")
_R = TypeVar("_R")
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_PERMANENT_CODES = frozenset({301, 308})


@dataclass(frozen=True)
class FetchLimits:
    """Bounds for one fetch; `timeout` is the wall-clock budget for the whole exchange incl. redirects."""

    timeout: float = 20.0
    connect_timeout: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    user_agent: str = f"Rasad/{__version__} (+https://github.com/rasad-monitor/rasad; feed reader)"


class FetchStatus(StrEnum):
    """What a fetch came to; everything but OK and NOT_MODIFIED is a failure for scheduling."""

    OK = "ok"
    NOT_MODIFIED = "not_modified"
    HTTP_ERROR = "http_error"  # a final status other than 2xx/304 (see http_status)
    RATE_LIMITED = "rate_limited"  # 429, or 503 with Retry-After
    TIMEOUT = "timeout"  # connect, read or total budget exceeded
    TOO_LARGE = "too_large"  # more than max_bytes after decoding
    TOO_MANY_REDIRECTS = "too_many_redirects"
    NETWORK_ERROR = "network_error"  # DNS, refused, reset, TLS, protocol violations
    BAD_RESPONSE = "bad_response"  # undecodable body (broken gzip, unknown Content-Encoding)
    BAD_URL = "bad_url"  # not http(s)/file, or unparsable
    FILE_ERROR = "file_error"  # file:// that cannot be read

    @property
    def is_success(self) -> bool:
        """True when the feed answered usefully (content or "unchanged")."""
        return self in (FetchStatus.OK, FetchStatus.NOT_MODIFIED)


@dataclass(frozen=True)
class FetchResult:
    """Everything the poller needs from one fetch; `body` is decoded (no Content-Encoding) and capped."""

    status: FetchStatus
    url: str
    final_url: str
    http_status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    permanent_redirect: str | None = None
    retry_after: float | None = None
    error: str | None = None
    elapsed: float = 0.0
    blocked: str | None = None
    """The address guard's reason when it, not the network, stopped the exchange (final_url: the refused hop)."""

    @property
    def ok(self) -> bool:
        """True for OK and NOT_MODIFIED."""
        return self.status.is_success


class _Abort(Exception):
    """Internal: stop the exchange with a given status and message."""

    def __init__(self, status: FetchStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


POOL_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=50, keepalive_expiry=30.0)


def make_client(
    limits: FetchLimits, *, allow_private: bool = True, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """One place for client defaults: timeouts, pool size, headers, no cookies, redirects handled by fetch.

    Unless `allow_private`, every connection (each poll, redirect hop and full-text page) goes through
    bot.feeds.pinned_transport: resolved once, refused for non-public addresses, connected to the checked address.
    A given `transport` replaces it (tests pass a PinnedTransport with their own resolver).
    """
    pool = POOL_LIMITS
    if transport is None and not allow_private:
        transport = PinnedTransport(limits=pool)
    return httpx.AsyncClient(
        timeout=httpx.Timeout(limits.timeout, connect=limits.connect_timeout),
        limits=pool,
        transport=transport,
        trust_env=transport is None,  # a proxy from the environment would connect for us, past the guard
        headers={
            "User-Agent": limits.user_agent,
            "Accept": FEED_ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        },
        # Feeds are public: a cookie set by one site must not follow us to the next poll or another feed.
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        follow_redirects=False,
        http2=False,
        max_redirects=limits.max_redirects,
    )


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP-date relative to `now`); None if bad."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" / missing zone: HTTP-dates are GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def host_key(url: str) -> str:
    """Lower-cased host[:port] of a URL, the unit of politeness for `fetch_all`; "" when there is none."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return ""
    return f"{host}:{port}" if port else host


def _redact(url: str) -> str:
    """URL for messages: no user:password, no query (tokens live there), no fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return "<invalid URL>"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _one_line(text: str, limit: int = 200) -> str:
    """First non-empty line of an exception text, capped, with any URL-ish credentials cut out."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if "@" in line and "://" in line:  # never echo userinfo
        line = " ".join(_redact(w) if "://" in w else w for w in line.split())
    return line[:limit]


def _describe(exc: BaseException) -> str:
    """Human text for an exception: its message, or its type name when it has none."""
    return _one_line(str(exc)) or type(exc).__name__


class _Decoder:
    """Streaming Content-Encoding decoder with a hard output cap (bounded per call, not per chunk)."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self._kind = encoding
        self._max = max_bytes
        self._parts: list[bytes] = []
        self._size = 0
        self._first = True
        self._zlib: zlib._Decompress | None = None
        if encoding == "gzip":
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj()
        elif encoding != "identity":
            raise _Abort(FetchStatus.BAD_RESPONSE, f"unsupported Content-Encoding {encoding!r}")

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max:
            raise _Abort(FetchStatus.TOO_LARGE, f"body larger than {self._max} bytes after decoding")
        if data:
            self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        """Decode one raw chunk; raises _Abort as soon as the decoded size passes the cap."""
        if self._zlib is None:
            self._append(chunk)
            return
        if self._first and self._kind == "deflate" and chunk:
            self._first = False
            # "deflate" is zlib-wrapped per RFC, raw deflate in practice on some servers.
            probe = zlib.decompressobj()
            try:
                probe.decompress(chunk[:2])
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        data = chunk
        try:
            while data:
                out = self._zlib.decompress(data, self._max - self._size + 1)
                self._append(out)
                data = self._zlib.unconsumed_tail
                if self._zlib.eof and self._zlib.unused_data and self._kind == "gzip":
                    # Concatenated gzip members: start the next one.
                    data = self._zlib.unused_data
                    self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        except zlib.error as exc:
            raise _Abort(FetchStatus.BAD_RESPONSE, f"cannot decode {self._kind} body: {exc}") from None

    def finish(self) -> bytes:
        """Flush the decoder and return the whole decoded body."""
        if self._zlib is not None:
            try:
                self._append(self._zlib.flush())
            except zlib.error as exc:
                raise _Abort(FetchStatus.BAD_RESPONSE, f"cannot decode {self._kind} body: {exc}") from None
        return b"".join(self._parts)


async def _read_body(response: httpx.Response, limits: FetchLimits) -> bytes:
    """Stream the raw body through the capped decoder; stop reading the moment the cap is passed."""
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "identity").strip().lower() or "identity"
    if encoding == "identity" and declared.isdigit() and int(declared) > limits.max_bytes:
        raise _Abort(FetchStatus.TOO_LARGE, f"body of {int(declared)} bytes is larger than {limits.max_bytes} bytes")
    decoder = _Decoder(encoding, limits.max_bytes)
    async for chunk in response.aiter_raw(_CHUNK):
        decoder.feed(chunk)
    return decoder.finish()


def _header_map(response: httpx.Response) -> dict[str, str]:
    """Response headers as a plain lower-cased dict (last value wins), for the parser."""
    return {k.lower(): v for k, v in response.headers.items()}


async def _fetch_http(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
    now: datetime,
    accept: str,
    started: float,
) -> FetchResult:
    """HTTP(S) exchange: manual redirects (to count them and see if all were permanent), capped body."""
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    hops: list[int] = []
    current = url
    http_status: int | None = None
    try:
        async with asyncio.timeout(limits.timeout):
            # Per-operation timeouts off except connect: the total budget above is the one clock that rules, so
            # the limits passed here govern whatever client this is, and the error always says which bound hit.
            timeout = httpx.Timeout(None, connect=limits.connect_timeout)
            request = client.build_request("GET", url, headers=headers, timeout=timeout)
            while True:
                current = str(request.url)
                response = await client.send(request, stream=True, follow_redirects=False)
                try:
                    http_status = response.status_code
                    if response.status_code in _REDIRECT_CODES and response.next_request is not None:
                        if len(hops) >= limits.max_redirects:
                            raise _Abort(
                                FetchStatus.TOO_MANY_REDIRECTS,
                                f"more than {limits.max_redirects} redirects",
                            )
                        hops.append(response.status_code)
                        request = response.next_request
                        continue
                    return await _final_response(response, url, hops, etag, last_modified, limits, now, started)
                finally:
                    await response.aclose()
    except _Abort as abort:
        return _failure(abort.status, url, current, abort.message, started, http_status)
    except BlockedAddress as exc:  # the address guard refused this hop (bot.feeds.pinned_transport or a request hook)
        where = "" if current == url else f"redirected to {_redact(current)}: "
        failed = _failure(FetchStatus.NETWORK_ERROR, url, current, where + exc.reason, started, http_status)
        return replace(failed, blocked=exc.reason)
    except TimeoutError:
        return _failure(FetchStatus.TIMEOUT, url, current, f"no complete answer within {limits.timeout:g}s", started)
    except httpx.ConnectTimeout:
        return _failure(
            FetchStatus.TIMEOUT, url, current, f"connect timed out after {limits.connect_timeout:g}s", started
        )
    except httpx.TimeoutException as exc:
        return _failure(FetchStatus.TIMEOUT, url, current, f"timed out waiting ({type(exc).__name__})", started)
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        # The feed URL was checked before the first request, so this is a Location header we cannot follow.
        return _failure(FetchStatus.BAD_RESPONSE, url, current, f"bad redirect: {_describe(exc)}", started, http_status)
    except httpx.DecodingError as exc:
        return _failure(FetchStatus.BAD_RESPONSE, url, current, _describe(exc), started, http_status)
    except httpx.ConnectError as exc:
        where = _redact(current)
        return _failure(
            FetchStatus.NETWORK_ERROR, url, current, f"cannot connect to {where}: {_describe(exc)}", started
        )
    except (httpx.HTTPError, OSError) as exc:
        return _failure(
            FetchStatus.NETWORK_ERROR,
            url,
            current,
            f"{type(exc).__name__}: {_describe(exc)}",
            started,
            http_status,
        )


async def _final_response(
    response: httpx.Response,
    url: str,
    hops: list[int],
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
    now: datetime,
    started: float,
) -> FetchResult:
    """Turn the last (non-redirect) response into a FetchResult, reading the body only for 2xx."""
    code = response.status_code
    final_url = str(response.url)
    headers = _header_map(response)
    new_etag = headers.get("etag")
    new_modified = headers.get("last-modified")
    if code == 304:
        # Keep the validators we sent unless the server replaced them, so the caller can save them as is.
        new_etag = new_etag or etag
        new_modified = new_modified or last_modified
    retry_after = parse_retry_after(headers.get("retry-after"), now) if code in (429, 503) else None
    permanent = final_url if hops and all(h in _PERMANENT_CODES for h in hops) else None

    def result(status: FetchStatus, error: str | None = None, body: bytes = b"") -> FetchResult:
        return FetchResult(
            status=status,
            url=url,
            final_url=final_url,
            http_status=code,
            body=body,
            content_type=headers.get("content-type"),
            headers=headers,
            etag=new_etag,
            last_modified=new_modified,
            permanent_redirect=permanent if status.is_success else None,
            retry_after=retry_after,
            error=error,
            elapsed=time.perf_counter() - started,
        )

    if code == 304:
        return result(FetchStatus.NOT_MODIFIED)
    if code == 429 or (code == 503 and retry_after is not None):
        wait = f"; retry after {retry_after:g}s" if retry_after is not None else ""
        return result(FetchStatus.RATE_LIMITED, f"HTTP {code} {response.reason_phrase}{wait}".strip())
    if not 200 <= code < 300:
        if code in _REDIRECT_CODES:
            return result(FetchStatus.HTTP_ERROR, f"HTTP {code} redirect without a usable Location")
        return result(FetchStatus.HTTP_ERROR, f"HTTP {code} {response.reason_phrase}".strip())
    body = await _read_body(response, limits)
    return result(FetchStatus.OK, body=body)


def _failure(
    status: FetchStatus,
    url: str,
    final_url: str,
    message: str,
    started: float,
    http_status: int | None = None,
) -> FetchResult:
    return FetchResult(
        status=status,
        url=url,
        final_url=final_url,
        http_status=http_status,
        error=message,
        elapsed=time.perf_counter() - started,
    )


def _file_etag(stat: os.stat_result) -> str:
    """A strong-enough validator for a local file: mtime and size."""
    digest = hashlib.sha256(f"{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:16]
    return f'"{digest}"'


def _read_file(url: str, etag: str | None, limits: FetchLimits) -> FetchResult:
    """file:///abs/path read with the same size cap; NOT_MODIFIED when its mtime/size ETag is unchanged."""
    started = time.perf_counter()
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return _failure(FetchStatus.BAD_URL, url, url, "bad URL: file URLs must name a local path", started)
    path = Path(unquote(parts.path))
    if not path.is_absolute():
        return _failure(FetchStatus.BAD_URL, url, url, "bad URL: file path must be absolute", started)
    try:
        with path.open("rb") as handle:
            stat = os.fstat(handle.fileno())
            tag = _file_etag(stat)
            modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
            if etag is not None and etag == tag:
                return FetchResult(
                    status=FetchStatus.NOT_MODIFIED,
                    url=url,
                    final_url=url,
                    etag=tag,
                    last_modified=modified,
                    elapsed=time.perf_counter() - started,
                )
            if stat.st_size > limits.max_bytes:
                raise _Abort(
                    FetchStatus.TOO_LARGE, f"file of {stat.st_size} bytes is larger than {limits.max_bytes} bytes"
                )
            body = handle.read(limits.max_bytes + 1)
            if len(body) > limits.max_bytes:
                raise _Abort(FetchStatus.TOO_LARGE, f"file larger than {limits.max_bytes} bytes")
    except _Abort as abort:
        return _failure(abort.status, url, url, abort.message, started)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return _failure(FetchStatus.FILE_ERROR, url, url, f"cannot read {path}: {reason}", started)
    return FetchResult(
        status=FetchStatus.OK,
        url=url,
        final_url=url,
        body=body,
        etag=tag,
        last_modified=modified,
        elapsed=time.perf_counter() - started,
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
    now: datetime,
    accept: str = FEED_ACCEPT,
) -> FetchResult:
    """Conditional GET of `url` (http, https or file) within `limits`; never raises for I/O trouble."""
    started = time.perf_counter()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return _failure(FetchStatus.BAD_URL, url, url, "bad URL: cannot parse it", started)
    if scheme == "file":
        try:
            async with asyncio.timeout(limits.timeout):
                return await asyncio.to_thread(_read_file, url, etag, limits)
        except TimeoutError:
            return _failure(FetchStatus.TIMEOUT, url, url, f"file not read within {limits.timeout:g}s", started)
    if scheme not in ("http", "https"):
        shown = f"{scheme!r}" if scheme else "none"
        return _failure(FetchStatus.BAD_URL, url, url, f"bad URL: unsupported scheme {shown}", started)
    problem = _http_url_problem(url)
    if problem is not None:
        return _failure(FetchStatus.BAD_URL, url, url, f"bad URL: {problem}", started)
    try:
        return await _fetch_http(
            client,
            url,
            etag=etag,
            last_modified=last_modified,
            limits=limits,
            now=now,
            accept=accept,
            started=started,
        )
    except Exception as exc:  # last resort: e.g. an ExceptionGroup from the network stack; the poll goes on
        return _failure(
            FetchStatus.NETWORK_ERROR, url, url, f"unexpected {type(exc).__name__}: {_describe(exc)}", started
        )


def _http_url_problem(url: str) -> str | None:
    """Why httpx could not request this http(s) URL (bad host, port, characters), or None."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a non-numeric or out-of-range port
        if not parts.hostname:
            return "no host"
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        return _describe(exc)
    return None


class HostGates:
    """At most `concurrency` holders at once overall and `per_host` per host key.

    A holder waits for its host first, then for an overall slot: one queued behind a busy host never sits on
    an overall slot another host could use. Entering and leaving is cheap; the poller holds a slot only for the
    network exchange, never while parsing or writing, so a slow host costs its own slots and nothing else.
    """

    def __init__(self, concurrency: int, per_host: int) -> None:
        if concurrency < 1 or per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        self.concurrency = concurrency
        self.per_host = per_host
        self._overall = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold one slot for `host` (and one overall) for the body of the `async with`."""
        gate = self._hosts.setdefault(host, asyncio.Semaphore(self.per_host))
        self._users[host] = self._users.get(host, 0) + 1
        try:
            async with gate, self._overall:
                yield
        finally:
            self._users[host] -= 1
            if self._users[host] == 0:  # forget idle hosts: 500 feeds on 500 hosts leave no trail
                del self._users[host], self._hosts[host]


async def fetch_all(
    jobs: Iterable[_T],
    run: Callable[[_T], Awaitable[_R]],
    *,
    key: Callable[[_T], str],
    concurrency: int,
    per_host: int = 2,
) -> list[_R | Exception]:
    """Run `run(job)` for every job, at most `concurrency` at once and `per_host` per `key(job)`.

    Results keep the order of `jobs`; a job that raises yields its exception in its slot instead of
    cancelling the others, so one broken feed never holds up the rest beyond its own timeout.
    """
    gates = HostGates(concurrency, per_host)

    async def one(job: _T) -> _R | Exception:
        async with gates.slot(key(job)):
            try:
                return await run(job)
            except Exception as exc:
                return exc

    tasks = [asyncio.ensure_future(one(job)) for job in jobs]
    return list(await asyncio.gather(*tasks))
