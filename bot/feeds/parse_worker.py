"""Parsing in worker processes with a time limit: one hostile document cannot stall polling or bloat Rasad.

feedparser, lxml and trafilatura are CPU-bound C and Python code that no asyncio timeout can interrupt. A
feed built to be slow (tens of thousands of tiny items, deep nesting, pathological markup) used to cost 26 s
of CPU per parse in the service's own process, and its memory stayed there. Here every parse (feed,
channel preview, full-text page) runs in a small pool of worker processes:

- a parse that takes longer than its limit is stopped by killing its worker (a fresh one replaces it), and
  the caller gets `ParseTimeout`; other feeds' parses go on in the other workers meanwhile;
- each parse may grow its worker's address space by `PARSE_MEMORY_MB` (or `PARSE_MEMORY_FACTOR` times the
  document's size when that is more) on top of the fixed cap `WORKER_MEMORY_BYTES`, so a document that
  blows up in memory ends in a `ParseFailed` for that feed, not in a bloated service;
- a worker is replaced after `CALLS_PER_WORKER` parses, or as soon as its resident memory passes
  `WORKER_RETIRE_MB` (freed memory is handed back to the OS first, bot.malloc), so what the parsers keep
  between calls cannot grow (one that has read article pages sits at ~41 MB and is kept);
- a worker imports only the parsing modules (no database layer, no Telegram library), about 29 MB resident;
- waiting for a free worker happens on the event loop (a dedicated thread per worker), never on the default
  executor the database uses;
- a big document waits for its worker in a temporary file (`Document`), not in the service's memory: while
  two hostile feeds hold both workers, a poll's other bodies (up to `polling.max_bytes` each) queue on disk.

A worker is a child interpreter that imports the parsers once (~0.15 s) and then serves many parses. The
item cap (bot.feeds.parse, `max_items`) still cuts a huge feed before the parser sees it; the time limit is the
backstop for whatever the cap does not catch.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from multiprocessing.connection import Connection
from typing import Any, Final

from bot import malloc
from bot.feeds.parse import ParsedFeed

__all__ = ["Document", "ParseFailed", "ParsePool", "ParseTimeout", "default_pool", "remove_stale_documents"]

log = logging.getLogger(__name__)

WORKERS: Final = 2
"""Parses at once (the service's machine has few cores; more would only queue in the CPU)."""
CALLS_PER_WORKER: Final = 50
"""Parses before a worker is replaced (a fresh feed worker costs ~0.15 s of CPU to start)."""
WORKER_MEMORY_BYTES: Final = 512_000_000
"""Address-space cap of one worker whatever it does (virtual memory: a feed worker maps ~36 MB, one that
loaded the article-page extractor ~50 MB)."""
PARSE_MEMORY_MB: Final = 48
"""How much one parse may add to its worker's address space (see PARSE_MEMORY_FACTOR). Measured here: a 7.2 MB
feed of 500 items of rich HTML needs ~41 MB, a 1 MB article page ~18 MB; a 4 MB single item (~76 MB) or a
4 MB page of dense paragraphs (~80 MB) fails instead. With polling.max_bytes at its default (5 MB) this bounds
what two workers' parses add to the memory to about 2 × 48 MB."""
PARSE_MEMORY_FACTOR: Final = 8
"""A document may use this many times its own size when that is more than PARSE_MEMORY_MB: an operator who
raises polling.max_bytes for a big feed does not see it fail for want of memory (a legitimate feed needs ~6×)."""

SPOOL_BYTES: Final = 512 * 1024
"""A document larger than this waits for its parse in a temporary file (most healthy feeds are smaller)."""
DOCUMENT_PREFIX: Final = "rasad-body-"
STALE_DOCUMENT_SECONDS: Final = 3600.0
"""A document file this old was left by a service killed mid-wait (another running instance's are minutes old
at most): removed when a pool starts."""
STARTUP_SECONDS: Final = 60.0
WORKER_RETIRE_MB: Final = 48.0
"""A worker whose resident memory is past this after a parse is replaced (what parsers keep stays bounded):
a fresh feed worker is ~29 MB, so a feed worker goes once its parses keep ~19 MB."""
_TASKS: Final[dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "feed": ("bot.feeds.parse", "parse_feed", ()),
    "channel": ("bot.feeds.channel", "parse_channel", ()),
    "page": ("bot.feeds.fulltext", "extract_main_text", ("trafilatura",)),
    "modules": ("__main__", "loaded_modules", ()),
}
"""Task name → (module, function, what the function imports when first called), imported in the worker on
first use and before the parse's memory budget is set (trafilatura maps ~14 MB, which is not the page's
doing): a worker that reads only feeds never loads the article-page extractor."""


def _status_mb(field: str) -> float:
    """A size from /proc/self/status ("VmRSS", "VmSize") in MB; 0 where there is no /proc."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _resident_mb() -> float:
    return _status_mb("VmRSS")


def _limit_address_space(soft: int | None, hard: int) -> None:
    """Set the worker's address-space limit: `soft` for one parse, None for the fixed cap alone."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (hard if soft is None else min(soft, hard), hard))
    except (ImportError, ValueError, OSError):
        pass


def loaded_modules() -> list[str]:
    """Top-level packages imported in this process: run as the "modules" task, it shows what a worker carries
    (the parsers, never the database layer or the Telegram library)."""
    return sorted({name.split(".")[0] for name in sys.modules})


class ParseTimeout(Exception):
    """The parse took longer than its limit; its worker was stopped."""


class ParseFailed(Exception):
    """The parse raised, ran out of memory or its worker died; the message says which."""


_Message = tuple[str, tuple[Any, ...], dict[str, Any], dict[int, str]]
"""(task, args, kwargs, files): files maps an argument's position to the file that holds it (see Document)."""


class Document:
    """A fetched body on its way to a parse: kept as is when small, else written to a temporary file and let go.

    The caller must drop its own reference to the bytes (the poller replaces its FetchResult's body) for the
    memory to go; `close()` (or leaving the `with` block) removes the file.
    """

    def __init__(self, body: bytes, *, spool_over: int = SPOOL_BYTES) -> None:
        self.size = len(body)
        self.body: bytes | None = body
        self.path: str | None = None
        if self.size > spool_over:
            fd, self.path = tempfile.mkstemp(prefix=DOCUMENT_PREFIX)  # 0600, in the system's temporary directory
            try:
                with open(fd, "wb") as file:
                    file.write(body)
            except OSError as exc:  # a full disk costs memory, not the parse
                log.warning("could not set a %d-byte document aside on disk: %s", self.size, exc)
                self.close()
            else:
                self.body = None

    def close(self) -> None:
        if self.path is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            self.path = None

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _run(message: _Message, memory: int, parse_mb: float) -> tuple[str, Any]:
    """One task, within the parse's memory budget: ("ok", result) or ("error", text)."""
    task, given, kwargs, files = message
    try:
        args = list(given)
        for position, path in files.items():  # read here, before the budget: the document is not the parse's
            with open(path, "rb") as file:
                args[position] = file.read()
        del given
        size_mb = sum(len(a) for a in args if isinstance(a, (bytes, str))) / (1024 * 1024)
        module, name, lazy = _TASKS[task]
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
        for dependency in lazy:
            importlib.import_module(dependency)
        # the budget is for the document, counted from what the worker maps once its modules are in
        budget = max(parse_mb, PARSE_MEMORY_FACTOR * size_mb)
        _limit_address_space(int((_status_mb("VmSize") + budget) * 1024 * 1024), memory)
        try:
            return "ok", function(*args, **kwargs)
        finally:
            _limit_address_space(None, memory)  # answering and cleaning up must not fail for want of it
    except MemoryError:
        return "error", "the document needed more memory than a parser may use"
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"[:300]


def _serve(  # pragma: no cover - in the worker
    conn_in: Connection, conn_out: Connection, memory: int, parse_mb: float = PARSE_MEMORY_MB
) -> None:
    """The worker's loop: one (task, args, kwargs) in, one ("ok", result) or ("error", text) out."""
    malloc.tune()
    _limit_address_space(None, memory)
    conn_out.send(("ready", None))  # the parsers are imported: from here on, time counts against a parse
    while True:
        try:
            message = conn_in.recv()
        except (EOFError, OSError):
            return
        status, value = _run(message, memory, parse_mb)
        del message  # the document, before measuring what the worker keeps
        malloc.trim()
        conn_out.send((status, value, _resident_mb()))


class _Worker:
    """One worker process (`python -m bot.feeds.parse_worker`) and the pipes to it; one thread at a time.

    A plain child interpreter rather than multiprocessing: nothing of the service (its threads, sockets, the
    caller's __main__) is inherited or re-run, and a kill leaves nothing half-held behind.
    """

    def __init__(self, memory: int, parse_mb: float) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)  # whatever made `bot` importable here
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.feeds.parse_worker", str(memory), str(parse_mb)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.to_worker = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.from_worker = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.calls = 0
        self.ready = False
        self.resident_mb = 0.0

    def alive(self) -> bool:
        return self.process.poll() is None

    def call(self, message: _Message, timeout: float) -> Any:
        self.calls += 1
        try:
            if not self.ready:  # starting an interpreter is not the document's fault: it has its own allowance
                if not self.from_worker.poll(STARTUP_SECONDS):
                    raise ParseFailed(f"the parser did not start within {STARTUP_SECONDS:g}s")
                self.from_worker.recv()
                self.ready = True
            self.to_worker.send(message)
            if not self.from_worker.poll(timeout):
                raise ParseTimeout(f"parsing took longer than {timeout:g}s and was stopped")
            status, value, self.resident_mb = self.from_worker.recv()
        except (EOFError, OSError) as exc:
            raise ParseFailed(f"the parser stopped unexpectedly (exit code {self.process.poll()})") from exc
        if status != "ok":
            raise ParseFailed(str(value))
        return value

    def stop(self) -> None:
        for conn in (self.to_worker, self.from_worker):
            with contextlib.suppress(OSError):
                conn.close()
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("parser process %s did not exit", self.process.pid)


class ParsePool:
    """A few parser processes, each driven by its own thread; `run` waits for one without blocking the loop."""

    def __init__(
        self,
        workers: int = WORKERS,
        *,
        calls_per_worker: int = CALLS_PER_WORKER,
        memory: int = WORKER_MEMORY_BYTES,
        parse_mb: float = PARSE_MEMORY_MB,
        retire_mb: float = WORKER_RETIRE_MB,
    ) -> None:
        self.workers = workers
        self.retire_mb = retire_mb
        self.calls_per_worker = calls_per_worker
        self.memory = memory
        self.parse_mb = parse_mb
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rasad-parse")
        self._local = threading.local()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.started = 0
        """Worker processes started so far (a killed or recycled one is replaced by a new one)."""

    def _worker(self) -> _Worker:
        worker: _Worker | None = getattr(self._local, "worker", None)
        if worker is not None and self._spent(worker):
            self._drop(worker)
            worker = None
        if worker is None:
            worker = _Worker(self.memory, self.parse_mb)
            with self._lock:
                self._all.add(worker)
                self.started += 1
            self._local.worker = worker
        return worker

    def _drop(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)
        if getattr(self._local, "worker", None) is worker:
            self._local.worker = None

    def _spent(self, worker: _Worker) -> bool:
        return worker.calls >= self.calls_per_worker or worker.resident_mb > self.retire_mb or not worker.alive()

    def _call(self, message: _Message, timeout: float) -> Any:
        worker = self._worker()
        try:
            return worker.call(message, timeout)
        except (ParseTimeout, ParseFailed) as exc:
            if isinstance(exc, ParseTimeout) or not worker.alive() or not worker.ready:
                self._drop(worker)  # killed mid-parse or dead: the next call starts a fresh one
            raise
        finally:
            if self._spent(worker):
                self._drop(worker)  # now, not at this thread's next parse: an idle bloated worker is memory held

    async def run(self, task: str, *args: Any, timeout: float, **kwargs: Any) -> Any:
        """Run one of the parse tasks ("feed", "channel", "page") in a worker, within `timeout` seconds; a
        `Document` argument reaches the task as its bytes."""
        files: dict[int, str] = {}
        plain: list[Any] = []
        for position, arg in enumerate(args):
            if isinstance(arg, Document):
                if arg.path is not None:
                    files[position] = arg.path
                plain.append(b"" if arg.path is not None else arg.body)
            else:
                plain.append(arg)
        message: _Message = (task, tuple(plain), kwargs, files)
        del args, plain
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(self._call, message, timeout))

    async def feed(
        self, body: bytes | Document, *, url: str, content_type: str | None, timeout: float
    ) -> ParsedFeed:
        result = await self.run("feed", body, url=url, content_type=content_type, timeout=timeout)
        assert isinstance(result, ParsedFeed)
        return result

    async def channel(self, body: bytes | Document, name: str, *, timeout: float) -> ParsedFeed:
        result = await self.run("channel", body, name, timeout=timeout)
        assert isinstance(result, ParsedFeed)
        return result

    async def page(
        self, html: bytes | Document, url: str, *, content_type: str | None, timeout: float
    ) -> str | None:
        result = await self.run("page", html, url, content_type=content_type, timeout=timeout)
        assert result is None or isinstance(result, str)
        return result

    def pids(self) -> list[int]:
        """Process ids of the live workers (the RSS benchmark adds their memory to the service's)."""
        with self._lock:
            return [w.process.pid for w in self._all if w.alive()]

    def close(self) -> None:
        """Stop every worker (at exit)."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)


_default: ParsePool | None = None
_default_lock = threading.Lock()


def default_pool() -> ParsePool:
    """The process-wide pool (started lazily, stopped at exit)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = ParsePool()
            atexit.register(_default.close)
            remove_stale_documents()
        return _default


def remove_stale_documents(older_than: float = STALE_DOCUMENT_SECONDS, directory: str | None = None) -> int:
    """Remove documents a killed service left on disk (older than any wait for a parse); returns how many."""
    folder = directory or tempfile.gettempdir()
    removed = 0
    now = time.time()
    try:
        names = [n for n in os.listdir(folder) if n.startswith(DOCUMENT_PREFIX)]
    except OSError:
        return 0
    for name in names:
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            if now - os.stat(path).st_mtime > older_than:
                os.unlink(path)
                removed += 1
    return removed


if __name__ == "__main__":  # pragma: no cover - the worker process
    # Ctrl-C in a terminal reaches the whole process group: the service decides when to stop, and the worker
    # ends when its pipe closes (a traceback from the worker on Ctrl-C told the user nothing)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _in = Connection(os.dup(0), writable=False)
    _out = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # a library that prints must not write into the protocol
    sys.stdout = sys.stderr
    _serve(
        _in,
        _out,
        int(sys.argv[1]) if len(sys.argv) > 1 else WORKER_MEMORY_BYTES,
        float(sys.argv[2]) if len(sys.argv) > 2 else PARSE_MEMORY_MB,
    )
