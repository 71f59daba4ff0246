"""The exit statuses of every `rasad` command, in one place.

0 done; 1 failed (a run that stopped on an error); 2 refused: bad usage or an invalid config file, or another
instance holds the database's lease.
"""

from __future__ import annotations

from typing import Final

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2
EXIT_LOCKED: Final = 2
