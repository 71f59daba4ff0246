"""`rasad replay` (not implemented yet)."""

from __future__ import annotations

import sys
from typing import Any


def run_replay(*args: Any, **kwargs: Any) -> int:
    """Say plainly that this command is not there yet."""
    print("rasad replay: not implemented yet", file=sys.stderr)
    return 1
