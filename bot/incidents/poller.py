"""The feed orchestrator: one poll cycle, and one feed's refresh read top to bottom.

fetch → parse → new items → (full text) → one transaction per article → validators and schedule.
Validators (ETag, Last-Modified) are saved only after the items they cover are committed, so a crash
between the two re-reads the feed instead of losing its items.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot import malloc
from bot.clock import Clock
from bot.config import LiveSettings, Settings, channel_name, live_settings
from bot.database import run_db
from bot.feeds.channel import fetch_error, last_post_of, poll_jitter, post_number, posts_to_read, preview_url
from bot.feeds.fetcher import FetchLimits, FetchResult, FetchStatus, HostGates, fetch, host_key
from bot.feeds.fulltext import needs_full_text
from bot.feeds.parse import ParsedFeed, ParsedItem, content_identity, link_key
from bot.feeds.parse_worker import Document, ParseFailed, ParsePool, ParseTimeout, default_pool
from bot.feeds.schedule import after_fetch
from bot.feeds.source_data import plausible_published
from bot.incidents import store
from bot.incidents.ingest import ArticleIn, Event, IngestResult, ingest_article
from bot.models import Feed
from bot.pipeline_locks import claim_feeds
from bot.sample import is_sample

log = logging.getLogger(__name__)

T = TypeVar("T")
EventSink = Callable[[int, list[Event]], Awaitable[None] | None]
"""Called after an article's transaction committed, with its id and the events it caused; awaited when it
returns an awaitable (a sink that reads the database does so through run_db, e.g. ConsolePrinter.deliver)."""

MIN_REMEMBERED = 500
CHANNEL_PAGES = 5
"""Preview pages read per poll of a channel (about 20 posts each) when a burst outran the interval."""


@dataclass(frozen=True)
class FeedSnapshot:
    """What one refresh needs to know about a feed, copied out of the session."""

    id: int
    name: str
    url: str
    lang: str
    etag: str | None
    last_modified: str | None
    consecutive_errors: int
    interval: timedelta
    first_fetch: bool
    full_text: bool
    max_age: timedelta | None
    role: str = "news"
    channel: str | None = None  # a Telegram channel's username: read from its web preview
    last_post_id: int | None = None  # the channel's highest post id read so far
    backlog: bool = True  # false: nothing the feed holds at its first fetch alerts


@dataclass
class FeedReport:
    """What one refresh did, for logs, `rasad poll` and metrics."""

    feed: str
    status: FetchStatus
    new_items: int = 0
    articles: int = 0
    events: list[Event] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    disabled: str | None = None
    last_post_id: int | None = None  # a channel's highest post id once this refresh's posts are stored


class FullTextBudget:
    """Seconds left for the article pages of one refresh; None once less than a second is left."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float | None:
        remaining = self.deadline - time.monotonic()
        return remaining if remaining >= 1.0 else None


def claim_lease(settings: Settings) -> timedelta:
    """How long a claimed feed stays out of other pollers' hands if this one dies mid-fetch."""
    p = settings.polling
    return max(timedelta(minutes=2), 3 * p.timeout)


def poller_limits(settings: Settings) -> FetchLimits:
    """Fetch limits from the polling settings (one place for the mapping)."""
    p = settings.polling
    return FetchLimits(
        timeout=p.timeout.total_seconds(), connect_timeout=p.connect_timeout.total_seconds(), max_bytes=p.max_bytes
    )


class Poller:
    """Holds what every refresh shares: the database, settings, HTTP client, clock and event sink."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings | LiveSettings,
        client: httpx.AsyncClient,
        *,
        clock: Clock,
        on_events: EventSink | None = None,
        parsers: ParsePool | None = None,
    ) -> None:
        malloc.tune()  # feed bodies of MBs come and go here: freed, they must go back to the OS (bot.malloc)
        self.engine = engine
        self.parsers = parsers or default_pool()
        """Worker processes every parse runs in, each within polling.parse_timeout (bot.feeds.parse_worker)."""
        self.live = live_settings(settings)
        self.client = client
        self.clock = clock
        self.on_events = on_events
        self._db_lock = asyncio.Lock()
        self._gates: HostGates | None = None
        self._page_gates: HostGates | None = None

    @property
    def settings(self) -> Settings:
        """The configuration in force (read from the live source at each use)."""
        return self.live()

    @settings.setter
    def settings(self, new: Settings) -> None:
        self.live.swap(new)

    @property
    def limits(self) -> FetchLimits:
        return poller_limits(self.settings)

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work` in its own transaction, off the event loop, one at a time (SQLite has one writer)."""
        async with self._db_lock:
            return await run_db(self.engine, work)

    async def sync_feeds(self) -> None:
        """Bring the feed table in line with the settings."""
        await self.db(lambda s: store.sync_feeds(s, self.settings, self.clock()))

    def gates(self) -> HostGates:
        """Slots for feed fetches: `polling.concurrency` overall, `polling.per_host` per host (a live edit of
        either takes effect for fetches that start after it)."""
        p = self.settings.polling
        if self._gates is None or (self._gates.concurrency, self._gates.per_host) != (p.concurrency, p.per_host):
            self._gates = HostGates(p.concurrency, p.per_host)
        return self._gates

    def page_gates(self) -> HostGates:
        """Slots for full-text article pages, apart from the feeds' own: a site that trickles its pages holds
        these, never a slot a feed fetch is waiting for."""
        p = self.settings.polling
        if self._page_gates is None or (self._page_gates.concurrency, self._page_gates.per_host) != (
            p.concurrency,
            p.per_host,
        ):
            self._page_gates = HostGates(p.concurrency, p.per_host)
        return self._page_gates

    async def claim_due(self) -> list[FeedSnapshot]:
        """Claim every feed of this config that is due now (bot.pipeline_locks), as snapshots to refresh."""
        now = self.clock()
        mine = {fs.name for fs in self.settings.feeds}  # never another config's feeds (a poll --once beside us)
        lease = claim_lease(self.settings)

        def claim(s: Session) -> list[FeedSnapshot]:
            due = [f for f in store.due_feeds(s, now) if f.name in mine]
            return [self._snapshot(f) for f in claim_feeds(s, due, now, lease)]

        return await self.db(claim)

    async def refresh_safely(self, job: FeedSnapshot) -> FeedReport:
        """`refresh`, with an unexpected failure logged and reported instead of raised."""
        try:
            return await self.refresh(job)
        except Exception as exc:
            log.error("feed %s: refresh failed: %s", job.name, exc, exc_info=exc)
            return FeedReport(job.name, FetchStatus.NETWORK_ERROR, error=str(exc))
        finally:
            malloc.trim()  # the body and its copies are gone: their pages go back (well under 1 ms)

    async def poll_due(self) -> list[FeedReport]:
        """Every feed due now, each refreshed on its own (within the overall and per-host bounds); returns
        when all are done. The service's scheduler (bot.incidents.pipeline) does not wait like this: it starts
        each feed when due and never lets one hold another."""
        jobs = await self.claim_due()
        if not jobs:
            return []
        return list(await asyncio.gather(*(self.refresh_safely(job) for job in jobs)))

    def _snapshot(self, f: Feed) -> FeedSnapshot:
        assert f.id is not None
        fs = next((x for x in self.settings.feeds if x.name == f.name), None)
        interval = timedelta(seconds=f.interval_seconds) if f.interval_seconds else self.settings.polling.interval
        max_age = self.settings.feed_max_age(fs)
        return FeedSnapshot(
            id=f.id,
            name=f.name,
            url=f.url,
            lang=f.lang,
            etag=f.etag,
            last_modified=f.last_modified,
            consecutive_errors=f.consecutive_errors,
            interval=interval,
            first_fetch=not f.first_fetch_done,
            full_text=f.full_text,
            max_age=max_age,
            role=fs.role if fs is not None else "news",
            channel=channel_name(f.url),
            last_post_id=f.last_post_id,
            backlog=fs.backlog if fs is not None else True,
        )

    async def refresh(self, job: FeedSnapshot) -> FeedReport:
        """Fetch one feed, store its new articles one transaction each, then save validators and schedule."""
        if job.channel is not None:  # a Telegram channel: its public web preview, through the same fetcher
            url = preview_url(job.channel, self.settings.channels.preview_base_url)
            async with self.gates().slot(host_key(url)):
                result = await fetch(
                    self.client, url, etag=None, last_modified=None, limits=self.limits, now=self.clock()
                )
        else:
            async with self.gates().slot(host_key(job.url)):  # the slot is held for the exchange only
                result = await fetch(
                    self.client,
                    job.url,
                    etag=job.etag,
                    last_modified=job.last_modified,
                    limits=self.limits,
                    now=self.clock(),
                )
        report = FeedReport(job.name, result.status, error=result.error)
        if job.channel is not None and result.status is FetchStatus.HTTP_ERROR:
            report.error = fetch_error(job.channel, result.http_status, result.error)
        if result.status is FetchStatus.OK:
            # parsing is CPU-bound: in a worker process, within its own time limit, so neither this feed's
            # timeout nor any other feed waits for it; a big body waits for its worker on disk, not here
            with Document(result.body) as document:
                result = replace(result, body=b"")
                parsed = await self._parse(job, url if job.channel is not None else job.url, result, document)
            if job.channel is not None and not parsed.error and not job.first_fetch:
                parsed = await self._older_posts(job, url, parsed)
            report.warning = parsed.warning
            if parsed.error:
                report.error = parsed.error
            else:
                await self._store_items(job, parsed.items, report)
                if job.channel is not None:
                    report.last_post_id = last_post_of(parsed.items, job.last_post_id)
        if report.warning:
            log.warning("feed %s: %s", job.name, report.warning)
        if report.error:
            log.warning("feed %s: %s", job.name, report.error)
        await self.db(lambda s: self._save_state(s, job, result, report))
        return report

    async def _parse(self, job: FeedSnapshot, url: str, result: FetchResult, document: Document) -> ParsedFeed:
        """The fetched body (`document`) as a feed; a parse that fails or outlasts polling.parse_timeout is a
        parse error."""
        limit = self.settings.polling.parse_timeout.total_seconds()
        try:
            if job.channel is not None:
                return await self.parsers.channel(document, job.channel, timeout=limit)
            return await self.parsers.feed(
                document, url=result.final_url, content_type=result.content_type, timeout=limit
            )
        except ParseTimeout as exc:
            return ParsedFeed("", [], error=f"{exc} (polling.parse_timeout)")
        except ParseFailed as exc:
            return ParsedFeed("", [], error=f"could not parse it: {exc}")

    async def _older_posts(self, job: FeedSnapshot, url: str, parsed: ParsedFeed) -> ParsedFeed:
        """Follow the preview's "before" pages while even the oldest post shown is new (a burst of posts
        between two polls), up to CHANNEL_PAGES pages; a failing older page just ends the walk."""
        assert job.channel is not None
        items = list(parsed.items)
        for _ in range(CHANNEL_PAGES - 1):
            oldest = items[0] if items else None
            before = post_number(oldest) if oldest is not None else None
            if oldest is None or before is None or before <= 1:
                break
            if job.last_post_id is not None and before <= job.last_post_id:
                break  # the page already reaches the posts read before
            seen, _links = await self.db(
                partial(store.seen_items, feed_id=job.id, identities=[oldest.identity], link_keys=[])
            )
            if oldest.identity in seen:
                break
            async with self.gates().slot(host_key(url)):
                page = await fetch(
                    self.client,
                    f"{url}?before={before}",
                    etag=None,
                    last_modified=None,
                    limits=self.limits,
                    now=self.clock(),
                )
            if page.status is not FetchStatus.OK:
                break
            with Document(page.body) as document:
                page = replace(page, body=b"")
                older = await self._parse(job, url, page, document)
            fresh = [i for i in older.items if (n := post_number(i)) is not None and n < before]
            if older.error or not fresh:
                break
            items = fresh + items
        return ParsedFeed(parsed.title, items, parsed.warning, parsed.error, parsed.format)

    async def _store_items(self, job: FeedSnapshot, items: list[ParsedItem], report: FeedReport) -> None:
        contents = {i.identity: content_identity(i) for i in items}  # an item renamed every fetch is known by it

        def find_new(s: Session) -> list[ParsedItem]:
            known = [i.identity for i in items] + [c for c in contents.values() if c]
            ids, links = store.seen_items(s, job.id, known, [k for i in items if (k := link_key(i.link))])
            if job.channel is not None:  # newer posts, and edits (a new identity at a known link) read again
                return posts_to_read(items, job.last_post_id, ids)
            return [
                i
                for i in items
                if i.identity not in ids and link_key(i.link) not in links and contents[i.identity] not in ids
            ]

        new = await self.db(find_new)
        report.new_items = len(new)
        # Article pages share one budget per refresh (the fetch timeout): a site that trickles its pages costs
        # this feed at most that long, then the remaining items go in with the feed's own text.
        budget = FullTextBudget(self.limits.timeout)
        for item in sorted(new, key=lambda i: (i.published is None, i.published or self.clock())):
            text = await self._full_text(job, item, budget)
            res = await self.db(partial(self._ingest, job=job, item=item, text=text))
            report.articles += 0 if res.duplicate else 1
            report.events.extend(res.events)
            if self.on_events and res.article_id is not None and res.events:
                told = self.on_events(res.article_id, res.events)
                if told is not None:
                    await told
        keep = 2 * max(MIN_REMEMBERED, 2 * len(items))  # two identities per item: its own and its content's
        seen = [i.identity for i in items] + [c for c in contents.values() if c]

        def remember(s: Session) -> None:
            store.touch_items(s, job.id, seen, self.clock())
            store.prune_items(s, job.id, keep)

        await self.db(remember)

    async def _full_text(self, job: FeedSnapshot, item: ParsedItem, budget: FullTextBudget | None = None) -> str:
        if not (job.full_text and item.link and needs_full_text(item)):
            return item.text
        limits = self.limits
        if budget is not None:
            left = budget.left()
            if left is None:
                log.info("feed %s: full-text budget spent; %s goes in with the feed's text", job.name, item.link)
                return item.text
            limits = replace(limits, timeout=min(limits.timeout, left))
        try:
            # waiting for a page slot counts against the same budget as the page itself
            async with asyncio.timeout(limits.timeout), self.page_gates().slot(host_key(item.link)):
                page = await fetch(
                    self.client,
                    item.link,
                    etag=None,
                    last_modified=None,
                    limits=limits,
                    now=self.clock(),
                    accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                )
        except TimeoutError:
            log.info("feed %s: no slot for the full text of %s in time; the feed's text is used", job.name, item.link)
            return item.text
        if page.status is not FetchStatus.OK:
            log.info("feed %s: full text of %s not fetched: %s", job.name, item.link, page.error)
            return item.text
        try:
            with Document(page.body) as document:
                page = replace(page, body=b"")
                main = await self.parsers.page(
                    document,
                    page.final_url,
                    content_type=page.content_type,
                    timeout=self.settings.polling.parse_timeout.total_seconds(),
                )
        except (ParseTimeout, ParseFailed) as exc:
            log.info("feed %s: full text of %s not read: %s", job.name, item.link, exc)
            return item.text
        return main if main and len(main) > len(item.text) else item.text

    def _ingest(self, s: Session, *, job: FeedSnapshot, item: ParsedItem, text: str) -> IngestResult:
        now = self.clock()
        alert = self._should_alert(job, item, now)
        art = ArticleIn(
            url=item.link or "",
            title=item.title,
            text=text,
            published=item.published,
            identity=item.identity,
            lang=job.lang,
            source=job.name,
            feed_id=job.id,
            # a group's channel forwarding another's statement: that group's claim when the post names none
            claimant=(item.forwarded_from or job.name) if job.role == "claimant" else None,
            revised=job.channel is not None,
        )
        res = ingest_article(s, art, now=now, alert=alert, max_km=self.settings.polling.merge_distance_km)
        store.remember_item(s, job.id, item.identity, link_key(item.link), res.article_id, now)
        content = content_identity(item)
        if content is not None and content != item.identity:
            store.remember_item(s, job.id, content, None, res.article_id, now)
        return res

    @staticmethod
    def _should_alert(job: FeedSnapshot, item: ParsedItem, now: datetime) -> bool:
        """Old items never alert; at a feed's first fetch, undated items count as old (no backlog burst), and a
        feed with `backlog = false` alerts on nothing it holds then.

        The bundled sample feed never alerts: it is a terminal demo, never news for subscribers.
        """
        if is_sample(job.url):
            return False
        if job.first_fetch and not job.backlog:
            return False
        if job.max_age is None:
            return True
        published = plausible_published(item.published, now)  # a date in 2099 is not "new"
        if published is None:
            return not job.first_fetch
        return now - published <= job.max_age

    def _save_state(self, s: Session, job: FeedSnapshot, result: FetchResult, report: FeedReport) -> None:
        row = s.get(Feed, job.id)
        if row is None:
            return
        now = self.clock()
        row.last_fetch_at = now
        failed = not result.ok or report.error is not None
        if not failed:
            row.last_success_at = now
            row.first_fetch_done = True
            if result.status is FetchStatus.OK:
                row.etag, row.last_modified = result.etag, result.last_modified
        if job.channel is not None and not failed and report.last_post_id is not None:
            row.last_post_id = max(row.last_post_id or 0, report.last_post_id)  # only newer posts from now on
        if result.permanent_redirect and not failed and job.channel is None:
            log.info("feed %s moved permanently to %s", job.name, result.permanent_redirect)
            row.url = result.permanent_redirect
        p = self.settings.polling
        decision = after_fetch(
            now=now,
            interval=job.interval,
            status=result.status,
            consecutive_errors=row.consecutive_errors,
            retry_after=result.retry_after,
            max_errors=p.max_errors,
            backoff_cap=p.backoff_cap,
            error=report.error,
            seed=job.id,
        )
        row.next_check_at = decision.next_check_at
        if job.channel is not None and decision.consecutive_errors == 0:
            row.next_check_at += poll_jitter(job.channel, now, job.interval)  # channels polled often: spread them
        row.consecutive_errors = decision.consecutive_errors
        row.last_error = report.error[:1000] if failed and report.error else None
        if not failed and report.warning:  # fetched, but not as it should be (a mislabelled charset…): say so
            row.last_error = f"warning: {report.warning}"[:1000]
        if decision.disable_reason:
            row.disabled_reason = decision.disable_reason[:1000]
            row.disabled_notified = False
            report.disabled = decision.disable_reason
            log.error("feed %s disabled: %s", job.name, decision.disable_reason)
        s.add(row)
