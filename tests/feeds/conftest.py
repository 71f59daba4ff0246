"""Fixtures for the fetch/parse/schedule tests: a loopback feed server and paths to data."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests` is not an installed package; make tests.support importable
    sys.path.insert(0, str(REPO_ROOT))

from tests.support.feed_server import FeedServer  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SHARED_FEEDS = REPO_ROOT.parent / "shared" / "feeds" / "feedparser-tests"


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running loopback server with no routes; add them with `feed_server.add(path, Route(...))`."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def data_dir() -> Path:
    return DATA
