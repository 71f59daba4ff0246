"""Fixtures for tests that drive the bot through the Telegram Bot API stand-in."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# `tests.support` must import however pytest was started (`pytest` does not put the repo on sys.path).
_REPO = str(Path(__file__).resolve().parents[2])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from tests.support.telegram_standin import BotApiStandin  # noqa: E402


@pytest.fixture
def standin() -> Iterator[BotApiStandin]:
    """A started stand-in on a free loopback port, stopped after the test; fails the test on its own bugs."""
    with BotApiStandin() as server:
        yield server
        assert not server.internal_errors, "stand-in bug:\n" + "\n".join(server.internal_errors)
