"""`rasad feeds` (not implemented yet)."""

from __future__ import annotations

import sys
from typing import Any


def run_feeds(*args: Any, **kwargs: Any) -> int:
    """Say plainly that this command is not there yet."""
    print("rasad feeds: not implemented yet", file=sys.stderr)
    return 1
