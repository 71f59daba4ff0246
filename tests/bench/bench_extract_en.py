"""Throughput of the English reader on one core: articles/s and MB/s, and the time for a 1 MB input.

Run: .venv/bin/python tests/bench/bench_extract_en.py [GOLD.jsonl TEXTS_DIR]
Reads the English case articles (tests/extractor/en/cases), or the `split == "dev"` English articles of a
labelled corpus (TEXTS_DIR/<id>.txt; the blind part is never opened), repeated.
Prints figures only (no assertions): the issue aims at >= 500 articles/s.
"""

from __future__ import annotations

import json
import sys
import time
import tomllib
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from extractor import extract  # noqa: E402

CASES = REPO / "tests" / "extractor" / "en" / "cases"


def articles(gold: Path | None, texts: Path | None) -> tuple[str, list[tuple[str, date]]]:
    """(where from, [(text, published)])."""
    if gold is not None and texts is not None:
        docs = []
        for line in gold.read_text("utf-8").splitlines():
            g = json.loads(line)
            if g.get("split") == "dev" and g.get("lang") == "en" and (texts / f"{g['id']}.txt").exists():
                docs.append(((texts / f"{g['id']}.txt").read_text("utf-8"), date.fromisoformat(g["published"])))
        return f"{texts} (English dev part of {gold.name})", docs
    out = []
    for p in sorted(CASES.glob("*.txt")):
        lines = p.read_text("utf-8").splitlines()
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        meta = tomllib.loads("\n".join(lines[1:end]))
        out.append(("\n".join(lines[end + 1:]), meta["published"]))
    return str(CASES), out


def main() -> None:
    args = [Path(a) for a in sys.argv[1:3]]
    where, docs = articles(*args) if len(args) == 2 else articles(None, None)
    if not docs:
        print(f"no English articles in {where}")
        return
    extract(docs[0][0], docs[0][1], lang="en")  # warm up: compile regexes, load data
    total_bytes = sum(len(t.encode("utf-8")) for t, _ in docs)
    rounds = max(1, 3000 // len(docs))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text, pub in docs:
            extract(text, pub, lang="en")
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = rounds * len(docs)
    print(f"corpus: {where} ({len(docs)} articles, mean {total_bytes / len(docs) / 1024:.1f} KB)")
    print(f"articles/s: {n / dt:.0f} wall, {n / cpu:.0f} per CPU second   MB/s: {rounds * total_bytes / dt / 1e6:.2f}"
          f"   ({n} articles in {dt:.2f} s; a loaded machine lowers the wall figure)")
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text, pub in docs:
            extract(text, pub)
    dt = time.perf_counter() - t0
    print(f"without lang (script detection first): {n / dt:.0f} articles/s")
    calm = ("The finance minister said the government expects inflation to ease next year as fuel prices "
            "settle and the central bank keeps rates on hold. ") * 30
    t0 = time.perf_counter()
    for _ in range(2000):
        extract(calm, date(2024, 1, 9), lang="en")
    print(f"articles with no attack words (~4 KB): {2000 / (time.perf_counter() - t0):.0f} articles/s")
    big = ("\n\n".join(t for t, _ in docs) + "\n\n") * (1_000_000 // max(1, total_bytes) + 1)
    big = big[:1_000_000]
    t0 = time.perf_counter()
    extract(big, date(2024, 1, 9), lang="en")
    print(f"1 MB input: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
