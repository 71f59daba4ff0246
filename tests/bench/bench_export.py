"""Exports of a large store stream in bounded memory: time and peak RSS of `rasad export` per format.

Fills a SQLite file (or the PostgreSQL URL given with --db) with N made-up incidents (1–3 sources each,
5 % without coordinates), then runs `rasad export --format F --out FILE` in a child process for each
format and prints its wall time, throughput, output size and the child's peak RSS; then serves the map's
routes in a child process and downloads /incidents.geojson (with each alert's text, as the map gets it) and
/incidents.csv over loopback HTTP, printing the server's peak RSS. Bounded memory shows as a peak RSS
that does not grow with N (compare --n 10000 with --n 100000).
Usage: python tests/bench/bench_export.py [--n 100000] [--db URL]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.database import make_engine, upgrade  # noqa: E402
from tests.support.sample_incidents import samples, store_samples  # noqa: E402

CHILD = (
    "import resource, sys\n"
    "from bot.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak-rss-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
"""`rasad` in a child that reports its own peak RSS (ru_maxrss, KB on Linux) when it is done."""


def child(args: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stderr) of one child process running `rasad ARGS`."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], check=True, cwd=REPO, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak-rss-kb"))
    return seconds, kb / 1024, done.stderr


SERVER = (
    "import asyncio, sys\n"
    "from datetime import UTC, datetime\n"
    "from bot.config import Settings\n"
    "from bot.database import make_engine\n"
    "from bot.ops.health import HealthServer\n"
    "from bot.ops.mappage import map_routes\n"
    "async def run():\n"
    "    engine, settings, clock = make_engine(sys.argv[1]), Settings(feeds=()), lambda: datetime.now(UTC)\n"
    "    server = HealthServer('127.0.0.1:0', engine=engine, settings=lambda: settings, last_tick=lambda: None,\n"
    "                          clock=clock, routes=map_routes(engine, lambda: settings, clock))\n"
    "    await server.start()\n"
    "    print(server.port, flush=True)\n"
    "    await asyncio.to_thread(sys.stdin.read)\n"
    "    await server.stop()\n"
    "asyncio.run(run())\n"
)
"""The [http] server's map routes alone in a child process, until its standard input closes."""


def over_http(url: str, paths: list[str]) -> None:
    """Download each path from a server child; print time, size, and the server's peak RSS (VmHWM) after them."""
    import httpx

    proc = subprocess.Popen([sys.executable, "-c", SERVER, url], cwd=REPO, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdin is not None
        port = int(proc.stdout.readline())
        with httpx.Client(timeout=600) as http:
            for path in paths:
                t0 = time.perf_counter()
                size = 0
                with http.stream("GET", f"http://127.0.0.1:{port}{path}") as response:
                    for piece in response.iter_bytes():
                        size += len(piece)
                seconds = time.perf_counter() - t0
                status = Path(f"/proc/{proc.pid}/status").read_text()
                hwm = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
                print(f"HTTP {path:34} {seconds:6.1f} s, {size / 1e6:6.1f} MB, server peak RSS {hwm / 1024:.0f} MB")
        proc.stdin.close()
        proc.wait(30)
    finally:
        proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="incidents to store (default 100,000)")
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rasad-bench-export-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        t0 = time.perf_counter()
        stored = store_samples(engine, samples(args.n, today=date(2026, 6, 30), days=3 * 365))
        engine.dispose()
        print(f"stored {stored:,} incidents in {time.perf_counter() - t0:.1f} s ({url.split(':')[0]})")
        _, base_rss, _ = child(["export", "--db", url, "--until", "1900-01-01", "--out", str(Path(tmp) / "none.csv")])
        print(f"baseline: an export of nothing peaks at {base_rss:.0f} MB RSS")
        for fmt in ("csv", "json", "geojson"):
            out = Path(tmp) / f"incidents.{fmt}"
            seconds, peak, _ = child(["--log-level", "WARNING", "export", "--db", url, "--format", fmt,
                                      "--out", str(out)])
            size = out.stat().st_size / 1e6
            print(
                f"{fmt:8} {stored:,} incidents in {seconds:6.1f} s ({stored / seconds:,.0f}/s), "
                f"{size:6.1f} MB written, peak RSS {peak:.0f} MB"
            )
        over_http(url, ["/incidents.csv?until=1900-01-01", "/incidents.geojson", "/incidents.csv"])


if __name__ == "__main__":
    main()
