#!/usr/bin/env python3
"""Put one text of the manifest back into the local cache on a new machine, after the kept-aside check.

Usage: restore_text.py ID < text

The id must be a line of sources.jsonl. The text is checked with ../shared/corpus/kept/not-kept first (a text it
calls KEPT is not saved, exit 3). It is then written to .cache/corpus/texts/ID.txt; the script says whether its
sha256 is the one the manifest recorded (a differing text is still saved, and check_cache.py lists it as changed).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
NOT_KEPT = ROOT.parent / "shared" / "corpus" / "kept" / "not-kept"
TEXTS = ROOT / ".cache" / "corpus" / "texts"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    want = sys.argv[1]
    lines = (HERE / "sources.jsonl").read_text("utf-8").splitlines()
    rows = {r["id"]: r for r in (json.loads(x) for x in lines if x.strip())}
    if want not in rows:
        print(f"{want}: not in sources.jsonl")
        return 2
    text = sys.stdin.read().strip() + "\n"
    check = subprocess.run([sys.executable, str(NOT_KEPT)], input=text, capture_output=True, text=True)
    if check.returncode != 0 or "KEPT" in check.stdout:
        print(f"{want}: KEPT aside for scoring: dropped; do not read, label or quote it")
        return 3
    TEXTS.mkdir(parents=True, exist_ok=True)
    (TEXTS / f"{want}.txt").write_text(text, encoding="utf-8")
    same = hashlib.sha256(text.encode()).hexdigest() == rows[want]["sha256"]
    print(f"{want}: saved ({len(text)} chars), sha256 {'matches' if same else 'DIFFERS from the manifest'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
