#!/usr/bin/env python3
"""Is the local cache of real texts complete? Every manifest line needs .cache/corpus/texts/<id>.txt with its sha256.

Prints each missing or changed text with the url and the query that finds it again; exits 1 when any is missing.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXTS = HERE.parents[2] / ".cache" / "corpus" / "texts"


def main() -> int:
    rows = [json.loads(x) for x in (HERE / "sources.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    bad = 0
    for r in rows:
        path = TEXTS / f"{r['id']}.txt"
        if not path.exists():
            print(f"missing  {r['id']}: {r['url']}  (search pages: {r['query']!r})")
            bad += 1
        elif hashlib.sha256(path.read_bytes()).hexdigest() != r["sha256"]:
            print(f"changed  {r['id']}: {r['url']}")
            bad += 1
    print(f"{len(rows) - bad} of {len(rows)} texts present and unchanged in {TEXTS}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
