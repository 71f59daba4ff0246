"""Throughput of the extractor on one core: articles/s and MB/s, and the time for a 1 MB input.

Run: .venv/bin/python tests/bench/bench_extract.py [--code DIR] [--quick]
Uses shared/corpus/dev (beside the repo) repeated; falls back to tests/extractor/cases when it is absent.
Prints figures only (no assertions): the issue aims at >= 500 articles/s of ~5 KB and linear growth.
  --code   bench the `extractor` package found in DIR (e.g. a `git archive` of an older commit) instead of
           this checkout: run both alternately to compare two versions on the same machine
  --quick  the article throughput only
  --real   also read every labelled article of the real corpus (tests/corpus/real, texts from the local
           cache .cache/corpus/texts; skipped when the cache is absent), per language: the mix of attack
           reports and hard negatives a feed brings, at their real lengths
Each throughput is given by the wall clock and by this process's CPU time: on a shared, busy machine the CPU
time is the figure to compare (the wall clock counts time spent waiting for a core).
"""

from __future__ import annotations

import argparse
import sys
import time
import tomllib
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
_ARGS = argparse.ArgumentParser(description="extractor throughput")
_ARGS.add_argument("--code", default=None, help="directory holding the extractor package to bench")
_ARGS.add_argument("--quick", action="store_true", help="article throughput only")
_ARGS.add_argument("--real", action="store_true", help="also the real corpus, per language")
ARGS = _ARGS.parse_args(sys.argv[1:]) if __name__ == "__main__" else _ARGS.parse_args([])
sys.path.insert(0, str(REPO))
if ARGS.code:
    sys.path.insert(0, str(Path(ARGS.code).resolve()))

from extractor import extract  # noqa: E402

DEV = REPO.parent / "shared" / "corpus" / "dev"
CASES = REPO / "tests" / "extractor" / "cases"


def articles() -> tuple[str, list[tuple[str, date]]]:
    """(where from, [(text, published)])."""
    if (DEV / "gold.jsonl").exists():
        import json

        out = []
        for line in (DEV / "gold.jsonl").read_text("utf-8").splitlines():
            g = json.loads(line)
            out.append(((DEV / f"{g['id']}.txt").read_text("utf-8"), date.fromisoformat(g["published"])))
        return str(DEV), out
    out = []
    for p in sorted(CASES.glob("*.txt")):
        lines = p.read_text("utf-8").splitlines()
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        meta = tomllib.loads("\n".join(lines[1:end]))
        out.append(("\n".join(lines[end + 1:]), meta["published"]))
    return str(CASES), out


def real_corpus() -> None:
    """Every labelled real article, by language: CPU time per article on a second pass (the figure issue 12 aims
    at)."""
    import json

    real = REPO / "tests" / "corpus" / "real"
    texts = REPO / ".cache" / "corpus" / "texts"
    for lang in ("ar", "en"):
        docs: list[tuple[str, date]] = []
        for line in (real / lang / "gold.jsonl").read_text("utf-8").splitlines():
            g = json.loads(line)
            path = texts / f"{g['id']}.txt"
            if path.exists():
                docs.append((path.read_text("utf-8"), date.fromisoformat(g["published"])))
        if not docs:
            print(f"real corpus ({lang}): no cached texts")
            continue
        for text, pub in docs:  # a first pass compiles every lazily built pattern: a running service has them
            extract(text, pub, lang=lang)
        c0 = time.process_time()
        for text, pub in docs:
            extract(text, pub, lang=lang)
        cpu = time.process_time() - c0
        kb = sum(len(t.encode("utf-8")) for t, _ in docs) / len(docs) / 1024
        rate = len(docs) / cpu
        print(f"real corpus ({lang}): {len(docs)} articles, mean {kb:.1f} KB: {rate:.0f} articles/s by CPU time")


def main() -> None:
    where, docs = articles()
    import extractor

    extract(docs[0][0], docs[0][1])  # warm up: compile regexes, load data
    total_bytes = sum(len(t.encode("utf-8")) for t, _ in docs)
    rounds = max(1, 2000 // len(docs))
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text, pub in docs:
            extract(text, pub)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = rounds * len(docs)
    print(f"extractor: {Path(extractor.__file__).parent}")
    print(f"corpus: {where} ({len(docs)} articles, mean {total_bytes / len(docs) / 1024:.1f} KB)")
    print(f"articles/s: {n / dt:.0f}   MB/s: {rounds * total_bytes / dt / 1e6:.2f}   ({n} articles in {dt:.2f} s)"
          f"   by CPU time: {n / cpu:.0f} articles/s ({cpu:.2f} s)")
    if ARGS.real:
        real_corpus()
    if ARGS.quick:
        return
    # Most feed items are not attack reports; the reader's first look turns those away cheaply.
    calm = ("قال وزير الاقتصاد إن الحكومة تعمل على خفض التضخم خلال العام المقبل عبر حزمة إجراءات مالية، "
            "مشيرا إلى استقرار نسبي في أسعار السلع الأساسية. ") * 30
    t0 = time.perf_counter()
    for _ in range(500):
        extract(calm, docs[0][1])
    dt = time.perf_counter() - t0
    print(f"articles/s without attack words ({len(calm.encode('utf-8')) / 1024:.1f} KB each): {500 / dt:.0f}")
    body = "\n".join(t for t, _ in docs)
    for size in (100_000, 300_000, 1_000_000):
        big = (body * (size // len(body) + 1))[:size]
        t0 = time.perf_counter()
        extract(big, docs[0][1])
        print(f"{size / 1e6:.1f} M characters of real text: {time.perf_counter() - t0:.2f} s")
    chunk = "استهدفت صواريخ قاعدة عين الأسد و "
    t0 = time.perf_counter()
    extract(chunk * (1_000_000 // len(chunk)), docs[0][1])
    print(f"1 M characters, one adversarial sentence: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
