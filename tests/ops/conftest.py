"""Fixtures for the operator tests: a loopback feed server, a config file on disk, a migrated SQLite file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # `tests` is not an installed package; make tests.support importable
    sys.path.insert(0, str(REPO_ROOT))

from bot.database import make_engine, upgrade  # noqa: E402
from tests.support.feed_server import FeedServer, Route  # noqa: E402

FEEDS_DATA = REPO_ROOT / "tests" / "feeds" / "data"
ATOM = (FEEDS_DATA / "atom10_arabic.xml").read_bytes()
HTML_PAGE = (FEEDS_DATA / "html_page.html").read_bytes()

CONFIG = """\
# Rasad test config: comments must survive every edit.
[telegram]
admins = [{admins}]  # operators

[database]
url = "{db}"

[polling]
interval = "5m"
tick = "1s"
max_errors = 2

[admin]
allow_private_addresses = {private}
watch_config = true

# The feeds we watch.
[[feeds]]
name = "Alpha"
url = "{alpha}"  # the first feed
lang = "ar"

[[feeds]]
name = "Beta"
url = "{beta}"
lang = "en"
enabled = true
"""


def write_config(
    path: Path,
    *,
    db: str,
    alpha: str,
    beta: str,
    admins: tuple[int, ...] = (),
    private: bool = True,
) -> Path:
    """Write the test config; returns its path."""
    path.write_text(
        CONFIG.format(
            db=db,
            alpha=alpha,
            beta=beta,
            admins=", ".join(str(a) for a in admins),
            private="true" if private else "false",
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running loopback server serving /alpha.xml and /beta.xml (Atom) and /page.html (not a feed)."""
    with FeedServer() as server:
        server.add("/alpha.xml", Route(body=ATOM, content_type="application/atom+xml"))
        server.add("/beta.xml", Route(body=ATOM, content_type="application/atom+xml"))
        server.add("/page.html", Route(body=HTML_PAGE, content_type="text/html; charset=utf-8"))
        yield server


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """A migrated SQLite file."""
    eng = make_engine(sqlite_url)
    upgrade(eng)
    yield eng
    eng.dispose()
