"""The bundled sample feed: a first-run demo, never news.

Used only when no config file exists at all (`rasad run` with no --config, no RASAD_CONFIG, no
config.example.toml in the working folder). Wherever it is configured, its articles never become
Telegram alerts (no outbox rows), and the terminal labels everything it reports as a sample: its
incidents are years old and made up for the demo.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Final
from urllib.parse import unquote, urlsplit

from bot.config import SAMPLE_FEED, Settings

SAMPLE_LABEL: Final = "عيّنة تجريبية مرفقة، ليست أخبارًا حقيقية / SAMPLE: the bundled demo feed, not real news"


def is_sample(url: str | None) -> bool:
    """Whether a feed URL is the bundled sample (never alerted to Telegram): this package's copy, or the
    repository's (config.example.toml points at bot/samples/ beside it, which is not the installed copy
    after `pip install .`)."""
    if url is None:
        return False
    if url == SAMPLE_FEED.as_uri():
        return True
    parts = urlsplit(url)
    if parts.scheme != "file":
        return False
    path = PurePosixPath(unquote(parts.path))
    return path.name == SAMPLE_FEED.name and path.parent.name == SAMPLE_FEED.parent.name


def describe_feeds(settings: Settings) -> str:
    """What will be polled, for check-config and the start-up log: says so plainly when nothing will."""
    if not settings.feeds:
        return "no feeds: nothing will be polled"
    enabled = sum(1 for f in settings.feeds if f.enabled)
    text = f"{len(settings.feeds)} feed(s), {enabled} enabled"
    if any(is_sample(f.url) for f in settings.feeds):
        text += "; includes the bundled sample feed (a demo: printed here, never sent to Telegram)"
    return text
