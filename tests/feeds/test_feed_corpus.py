"""Every feedparser test file, served over loopback with the headers its comment block declares, goes
through fetch + parse_feed: no exception, items or a clear error, and no markup in any title or text.

The files live in the shared folder beside the repository (never copied in); the test skips without them.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.feeds.fetcher import FetchLimits, FetchResult, FetchStatus, fetch, fetch_all, make_client
from bot.feeds.parse import ParsedFeed, parse_feed
from tests.support.feed_server import FeedServer, Route

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
CORPUS = SHARED / "feeds" / "feedparser-tests"
NOW = datetime(2024, 1, 1, tzinfo=UTC)
LIMITS = FetchLimits(timeout=10.0, connect_timeout=5.0, max_bytes=1_000_000)
HEADER = re.compile(rb"^Header:\s+([^:\r\n]+):([^\r\n]+)$", re.MULTILINE)  # as feedparser's own harness
TAG_LIKE = re.compile(r"<\s*[A-Za-z!/?]")


@dataclass(frozen=True)
class Outcome:
    name: str
    fetched: FetchResult
    parsed: ParsedFeed


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".xml", ".rdf", ".atom", ".rss"))


def route_for(path: Path) -> Route:
    """The file's bytes with the headers declared in its comment block (Content-type may be absent)."""
    body = path.read_bytes()
    headers = {k.strip().decode("latin-1"): v.strip().decode("latin-1") for k, v in HEADER.findall(body[:4096])}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    extra = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    return Route(body=body, content_type=content_type, headers=extra)


async def fetch_and_parse_all(server: FeedServer, names: list[str]) -> list[Outcome]:
    async with make_client(LIMITS) as client:

        async def one(name: str) -> Outcome:
            fetched = await fetch(
                client, server.url("/" + quote(name)), etag=None, last_modified=None, limits=LIMITS, now=NOW
            )
            parsed = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
            return Outcome(name, fetched, parsed)

        results = await fetch_all(names, one, key=lambda _: "loopback", concurrency=16, per_host=16)
    outcomes: list[Outcome] = []
    for name, result in zip(names, results, strict=True):
        if isinstance(result, Exception):
            pytest.fail(f"{name}: fetch or parse raised {type(result).__name__}: {result}")
        outcomes.append(result)
    return outcomes


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"feedparser test corpus not found at {CORPUS}")
def test_feedparser_corpus_survives_fetch_and_parse() -> None:
    files = corpus_files()
    assert len(files) > 1000, f"expected the full corpus, found {len(files)} files"
    names = [p.relative_to(CORPUS).as_posix() for p in files]
    with FeedServer({"/" + quote(n): route_for(p) for n, p in zip(names, files, strict=True)}) as server:
        outcomes = asyncio.run(fetch_and_parse_all(server, names))

    problems: list[str] = []
    counts = {"items": 0, "empty feed": 0, "error": 0, "warning": 0}
    for o in outcomes:
        if o.fetched.status is not FetchStatus.OK:
            problems.append(f"{o.name}: fetch {o.fetched.status}: {o.fetched.error}")
            continue
        p = o.parsed
        if p.items:
            counts["items"] += 1
        elif p.error:
            counts["error"] += 1
            if "\n" in p.error or len(p.error) > 300:
                problems.append(f"{o.name}: unclear error {p.error!r}")
        elif p.format:
            counts["empty feed"] += 1
        else:
            problems.append(f"{o.name}: neither items nor an error")
        if p.warning:
            counts["warning"] += 1
        for item in p.items:
            for text in (item.title, item.text, p.title):
                lowered = text.lower()
                if "<script" in lowered or "javascript:" in lowered or TAG_LIKE.search(text):
                    problems.append(f"{o.name}: markup left in {text[:80]!r}")
            if item.link is not None and not item.link.startswith(("http://", "https://")):
                problems.append(f"{o.name}: unsafe link {item.link!r}")
    print(f"\ncorpus: {len(outcomes)} files; {counts}")
    assert not problems, "\n".join(problems[:40])
