"""Start-up failures an operator fixes (database unreachable, port in use) as one line, not a traceback.

Anything else keeps its traceback: it is a bug, and the trace is what a developer needs.
"""

from __future__ import annotations

import errno
from typing import Final

from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

BIND_ERRNOS: Final = frozenset({errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES})


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0].strip()


def startup_problem(exc: BaseException) -> str | None:
    """What to fix, in one line, for a failure an operator can fix; None for anything else."""
    if isinstance(exc, OperationalError | DBAPIError):
        reason = _first_line(str(exc.orig)) if exc.orig is not None else _first_line(str(exc))
        return f"cannot open the database ({reason}): check [database] url and that the database server is running"
    if isinstance(exc, ArgumentError | NoSuchModuleError):
        return f"the database url is not usable ({_first_line(str(exc))}): check [database] url"
    if isinstance(exc, OSError) and exc.errno in BIND_ERRNOS and "bind" in str(exc):
        return (
            f"cannot listen for /healthz and /metrics ({_first_line(str(exc))}): change [http] listen, "
            "or stop the program using that address"
        )
    return None
