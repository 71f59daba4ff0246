"""The merge decision against a large store: candidates from the (ref_date, country) index, then decide().

Fills a SQLite file with N incidents at a constant density (ten attacks a day across three countries, so a
larger store spans more years, as a real one would), then times candidate lookup + decide for a batch of
reports. Time per report should stay flat from 100,000 to 1,000,000 stored incidents.
Usage: python tests/bench/bench_merge.py [--sizes 100000 1000000] [--reports 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import sqlalchemy as sa
from sqlmodel import Session

from bot.database import make_engine, upgrade
from bot.incidents import store
from bot.incidents.decide import IncidentFacts, candidate_window, decide
from bot.models import IncidentRow

BASES = [
    ("IQ-ASAD", "iraq", 33.78, 42.44),
    ("IQ-EBL", "iraq", 36.23, 43.96),
    ("SY-RLZ", "syria", 36.89, 41.99),
    ("SY-OMAR", "syria", 35.15, 40.57),
    ("SY-TANF", "syria", 33.50, 38.61),
    ("JO-T22", "jordan", 33.31, 38.70),
]
WEAPONS = ["rocket", "drone", "missile", "mortar", "unknown"]
START = date(1700, 1, 1)
PER_DAY = 10


def fill(engine: sa.Engine, n: int, rng: random.Random) -> None:
    days = n // PER_DAY
    rows = []
    for _ in range(n):
        base, country, lat, lon = rng.choice(BASES)
        d = START + timedelta(days=rng.randrange(days))
        rows.append(
            {
                "base_id": base,
                "country": country,
                "lat": lat,
                "lon": lon,
                "date": d,
                "ref_date": d,
                "weapon": rng.choice(WEAPONS),
                "target_kind": "base",
                "intercepted": False,
                "version": 1,
            }
        )
        if len(rows) == 50_000:
            with engine.begin() as conn:
                conn.execute(sa.insert(IncidentRow), rows)
            rows = []
    if rows:
        with engine.begin() as conn:
            conn.execute(sa.insert(IncidentRow), rows)


def run(engine: sa.Engine, n: int, reports: int, rng: random.Random) -> float:
    facts = []
    for _ in range(reports):
        base, country, lat, lon = rng.choice(BASES)
        facts.append(
            IncidentFacts(
                base_id=base,
                country=country,
                lat=lat,
                lon=lon,
                date=START + timedelta(days=rng.randrange(n // PER_DAY)),
                weapon=rng.choice(WEAPONS),
            )
        )
    start = time.perf_counter()
    with Session(engine) as s:
        for f in facts:
            window = candidate_window(f)
            assert window is not None
            decide(f, store.candidates(s, window, f.country), max_km=10)
    return (time.perf_counter() - start) / reports


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--reports", type=int, default=2000)
    args = ap.parse_args()
    rng = random.Random(7)
    for size in sorted(args.sizes):
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'merge.db'}")
            upgrade(engine)
            t = time.perf_counter()
            fill(engine, size, rng)
            filled = time.perf_counter() - t
            per = run(engine, size, args.reports, rng)
            print(
                f"{size:>9,} stored incidents (filled in {filled:.0f} s): "
                f"{per * 1e3:.3f} ms per report (candidates + decide), {1 / per:.0f} reports/s"
            )
            engine.dispose()


if __name__ == "__main__":
    main()
