"""glibc's allocator told to give memory back: a few large bodies must not leave the process bigger for good.

A poll holds feed bodies of up to `polling.max_bytes` each, copies them into the pipe to a parse worker, and
lets them go; a worker builds a parse tree of tens of MB and drops it. With glibc's defaults that memory
mostly stays with the process: the mmap threshold rises to the size of the last big block freed (so the
next 5 MB body lands in the heap, where one live small object can pin it), every thread may get its own
arena, and free pages inside the heap are returned only when they happen to sit at its top.

`tune()` fixes the mmap threshold (big blocks are always mapped, so freeing one unmaps it) and caps the
arenas; `trim()` returns free heap pages. Both do nothing where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Final

__all__ = ["trim", "tune"]

M_MMAP_THRESHOLD: Final = -3
M_ARENA_MAX: Final = -8
MMAP_THRESHOLD_BYTES: Final = 256 * 1024
"""Blocks this large or larger are mapped on their own (glibc's dynamic threshold otherwise climbs to 32 MB)."""
ARENA_MAX: Final = 2
"""Arenas for the whole process (glibc allows 8 per core): the parse and database threads share them."""

_lock = threading.Lock()
_libc: ctypes.CDLL | None = None
_loaded = False
_tuned = False


def _glibc() -> ctypes.CDLL | None:
    global _libc, _loaded
    with _lock:
        if not _loaded:
            _loaded = True
            try:
                libc = ctypes.CDLL(None)
                if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
                    _libc = libc
            except OSError:
                _libc = None
        return _libc


def tune() -> None:
    """Fixed mmap threshold and few arenas, once per process (later calls do nothing)."""
    global _tuned
    libc = _glibc()
    if libc is None or _tuned:
        return
    _tuned = True
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    libc.mallopt(M_ARENA_MAX, ARENA_MAX)


def trim() -> None:
    """Give free heap memory back to the OS (after a big body or parse has been let go)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
